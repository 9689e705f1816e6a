"""Debt input checks: every problem reported at once, each naming its field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.debts import DebtKind, Method, RateUnit
from domain.money import MAX_AMOUNT
from domain.validation import check_debt, coerce_debt

GOOD = {
    "name": "京东白条",
    "lender": "京东金融",
    "kind": "jd_baitiao",
    "principal": "12000.00",
    "start_date": "2026-01-15",
    "method": "fee-installment",
    "months": 12,
}


def fields(errors):
    return sorted(e.field for e in errors)


def test_a_good_debt_has_no_errors_and_typed_values():
    debt, errors = check_debt(GOOD)
    assert errors == []
    assert debt.kind is DebtKind.JD_BAITIAO and debt.method is Method.FEE_INSTALLMENT
    assert debt.principal == Decimal("12000.00") and debt.start_date == date(2026, 1, 15)


def test_every_bad_field_is_reported_at_once():
    bad = {
        "name": "",
        "lender": "x" * 101,
        "kind": "loan_shark",
        "principal": "-5",
        "start_date": "1900-01-01",
        "method": "whatever",
        "months": 0,
        "rate": "3650",
        "rate_unit": "year",
        "fee_rate": "abc",
        "due_day": 32,
        "grace_days": -1,
        "overdue_since": "2026-02-30",
        "overdue_amount": "1e20",
        "received_amount": "oops",
        "colour": "red",
    }
    debt, errors = check_debt(bad)
    assert debt is None
    assert fields(errors) == sorted(
        [
            "name",
            "lender",
            "kind",
            "principal",
            "start_date",
            "method",
            "months",
            "rate",
            "fee_rate",
            "due_day",
            "grace_days",
            "overdue_since",
            "overdue_amount",
            "received_amount",
            "colour",
        ]
    )


def test_missing_required_fields_are_each_named():
    _, errors = check_debt({})
    assert fields(errors) == sorted(["name", "lender", "kind", "principal", "start_date", "method", "months"])
    assert {e.message for e in errors} == {"is required"}


@pytest.mark.parametrize(
    ("unit", "ok", "too_high"),
    [
        ("day", "1", "1.01"),
        ("month", "30", "30.1"),
        ("year", "365", "3650"),
    ],
)
def test_rate_ceiling_per_unit(unit, ok, too_high):
    assert check_debt({**GOOD, "rate": ok, "rate_unit": unit})[1] == []
    _, errors = check_debt({**GOOD, "rate": too_high, "rate_unit": unit})
    assert fields(errors) == ["rate"] and "per " + unit in errors[0].message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("principal", "0"),
        ("principal", str(MAX_AMOUNT + 1)),
        ("principal", "1.005"),
        ("principal", 1.5),
        ("principal", True),
        ("months", 601),
        ("months", "12.5"),
        ("due_day", 0),
        ("start_date", "2201-01-01"),
        ("start_date", "1969-12-31"),
        ("rate", "-1"),
        ("name", "n" * 101),
        ("kind", 3),
    ],
)
def test_out_of_range_values_are_refused(field, value):
    _, errors = check_debt({**GOOD, field: value})
    assert fields(errors) == [field]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("principal", "¥1,234.50"),
        ("principal", 1234),
        ("months", 600),
        ("months", 1),
        ("due_day", 31),
        ("start_date", "1970-01-01"),
        ("start_date", "2200-12-31"),
        ("name", "n" * 100),
    ],
)
def test_edge_values_are_accepted(field, value):
    assert check_debt({**GOOD, field: value})[1] == []


def test_overdue_since_before_start_and_received_more_than_principal():
    _, errors = check_debt({**GOOD, "overdue_since": "2025-12-31", "received_amount": "12000.01"})
    assert fields(errors) == ["overdue_since", "received_amount"]


def test_defaults_fill_what_is_left_out_and_the_data_wins():
    debt, _ = check_debt(
        {**GOOD, "rate": "0.02"}, {"rate": Decimal("0.05"), "rate_unit": RateUnit.DAY, "due_day": 10}
    )
    assert debt.rate == Decimal("0.02") and debt.rate_unit is RateUnit.DAY and debt.due_day == 10


def test_prefix_says_where_in_a_file():
    _, errors = coerce_debt({**GOOD, "principal": "lots"}, prefix="debts[3].")
    assert [(e.field, e.message) for e in errors] == [("debts[3].principal", "not an amount")]


def test_null_is_allowed_only_for_the_optional_arrears_fields():
    assert check_debt({**GOOD, "overdue_since": None, "received_amount": None})[1] == []
    assert fields(check_debt({**GOOD, "rate": None})[1]) == ["rate"]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.floats(allow_nan=True)
    | st.decimals(allow_nan=True)
    | st.dates(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=5,
)


@given(junk=st.dictionaries(st.sampled_from([*GOOD, "rate", "due_day", "overdue_since", "x"]), json_values))
def test_any_junk_gives_a_debt_or_errors_never_an_exception(junk):
    debt, errors = check_debt({**GOOD, **junk})
    assert (debt is None) == bool(errors)
    assert all(isinstance(e.field, str) and e.message for e in errors)
