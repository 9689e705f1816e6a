"""The contract's debt JSON, whole-database export/import and the payments CSV."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sqlite3
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.debts import ContactChannel, ContactEntry
from services.app import Services
from services.demo import build_demo
from services.errors import ConflictError, ValidationError
from services.jsonio import (
    debt_from_json,
    debt_to_json,
    export_database,
    import_database,
    loads,
    payments_csv,
    read_debt_json,
)

AS_OF = date(2026, 11, 23)
CONTRACT_KEYS = [
    "name",
    "lender",
    "kind",
    "principal",
    "start_date",
    "method",
    "months",
    "rate",
    "rate_unit",
    "fee_rate",
    "due_day",
    "grace_days",
    "penalty_rate_multiplier",
    "late_fee_rate_per_day",
    "overdue_since",
    "overdue_amount",
    "received_amount",
    "instalments_paid",
    "outstanding_principal",
    "outstanding_as_of",
]


@pytest.fixture
def demo():
    with Services.open(":memory:") as svc:
        build_demo(svc, AS_OF)
        yield svc


@pytest.fixture
def empty():
    with Services.open(":memory:") as svc:
        yield svc


def test_debt_json_has_the_contract_fields_and_formats(demo):
    debt = demo.get_debt(1)
    obj = debt_to_json(debt, balance=Decimal("6666.66"), days_overdue=120)
    assert list(obj) == ["id", *CONTRACT_KEYS, "balance", "days_overdue"]
    assert obj["principal"] == "8000.00" and obj["fee_rate"] == "0.5" and obj["received_amount"] is None
    assert obj["overdue_since"] == (AS_OF - timedelta(days=120)).isoformat()
    data, errors = debt_from_json(debt_to_json(debt, with_id=False))
    assert errors == [] and data["principal"] == debt.principal and data["start_date"] == debt.start_date


def test_debt_json_refuses_unknown_keys_and_non_objects():
    assert [e.field for e in debt_from_json({"name": "x", "colour": "red"})[1]][:1] == ["colour"]
    assert debt_from_json([1, 2])[1][0].message == "must be a JSON object"
    with pytest.raises(ValidationError, match="line 1, column"):
        read_debt_json(b'{"name": ')


def test_json_numbers_are_read_as_exact_decimals():
    assert loads('{"rate": 0.1}')["rate"] == Decimal("0.1")


def test_export_import_export_is_byte_identical_with_the_same_ids(demo, empty):
    first = export_database(demo)
    assert import_database(empty, first) == 6
    assert export_database(empty) == first
    assert [d.id for d in empty.list_debts()] == [d.id for d in demo.list_debts()]
    document = json.loads(first)
    assert (document["format"], document["version"]) == ("debtkeeper", 1)
    assert list(document) == sorted(document)


def test_overdue_terms_and_reminder_details_go_out_as_settings_and_come_back_as_columns(demo, empty):
    from datetime import time

    from domain.reminders import ReminderRule
    from services import overdue, reminders

    overdue.set_term_overrides(
        demo, 2, {"cycle_fee_percent": "3", "report_day_typical": 20, "penalty_interest": False}
    )
    reminders.set_rule(demo, 2, ReminderRule((5,), True, False, time(20, 0)))
    reminders.set_rule(demo, 3, None)
    first = export_database(demo)
    settings = json.loads(first)["settings"]
    assert json.loads(settings["overdue_terms.2"]) == {
        "cycle_fee_percent": "3",
        "penalty_interest": False,
        "report_day_typical": 20,
    }
    assert json.loads(settings["reminders.rules.2"]) == {"at": "20:00", "daily_while_overdue": False}
    assert json.loads(settings["reminders.rules.3"]) == {"follow_defaults": True}
    import_database(empty, first)
    assert export_database(empty) == first
    assert overdue.term_overrides(empty, 2) == overdue.term_overrides(demo, 2)
    assert reminders.own_rule(empty, 2) == reminders.own_rule(demo, 2)
    assert reminders.own_rule(empty, 3) is None
    assert empty.get_setting("overdue_terms.2") is None and empty.get_setting("reminders.rules.2") is None


def test_an_older_file_with_terms_as_text_is_read_into_the_columns(demo, empty):
    document = json.loads(export_database(demo))
    document["settings"]["overdue_terms.2"] = '{"report_day_typical": "20", "cycle_fee_percent": 3}'
    document["settings"]["overdue_terms.99"] = '{"cycle_fee_percent": "3"}'  # no such debt: left out
    import_database(empty, json.dumps(document).encode())
    from services import overdue

    assert overdue.term_overrides(empty, 2) == {"report_day_typical": 20, "cycle_fee_percent": "3"}
    assert "overdue_terms.99" not in json.loads(export_database(empty))["settings"]


def test_ids_with_gaps_survive(empty):
    for name in ("a", "b", "c"):
        empty.add_debt(
            {
                "name": name,
                "lender": "L",
                "kind": "other",
                "principal": "100",
                "start_date": "2026-01-01",
                "method": "bullet",
                "months": 1,
            }
        )
    empty.remove_debt(2)
    data = export_database(empty)
    with Services.open(":memory:") as other:
        import_database(other, data)
        assert [d.id for d in other.list_debts()] == [1, 3]
        assert export_database(other) == data


def test_import_into_a_non_empty_database_is_refused(demo):
    data = export_database(demo)
    with pytest.raises(ConflictError, match="--replace"):
        import_database(demo, data)


def test_replace_takes_a_backup_first(tmp_path):
    with Services.open(tmp_path / "a.sqlite3") as svc:
        build_demo(svc, AS_OF)
        svc.add_debt(
            {
                "name": "extra",
                "lender": "L",
                "kind": "other",
                "principal": "100",
                "start_date": "2026-01-01",
                "method": "bullet",
                "months": 1,
            }
        )
        before = export_database(svc)
        with Services.open(":memory:") as scratch:
            build_demo(scratch, AS_OF)
            data = export_database(scratch)
        backup = tmp_path / "backups" / "before.sqlite3"
        import_database(svc, data, replace=True, backup_to=backup)
        assert export_database(svc) == data
    with Services.open(backup) as saved:
        assert export_database(saved) == before


def _demo_document(demo):
    return json.loads(export_database(demo))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["debts"][3].update(principal="lots"), "debts[3].principal: not an amount"),
        (lambda d: d["debts"][0].update(rate="3650", rate_unit="year"), "debts[0].rate"),
        (lambda d: d["debts"][1].pop("name"), "debts[1].name: is required"),
        (lambda d: d["debts"][1].update(colour="red"), "debts[1].colour: unknown field"),
        (lambda d: d["payments"][2].update(debt_id=99), "payments[2].debt_id: refers to no record"),
        (lambda d: d["payments"][0].update(fees="1.00"), "payments[0].amount: fees, interest and principal"),
        (lambda d: d["payments"][0].update(date="1900-01-01"), "payments[0].date"),
        (lambda d: d["contacts"][1].update(when="yesterday"), "contacts[1].when"),
        (lambda d: d["contacts"][1].update(conduct=["rude"]), "contacts[1].conduct[0]"),
        (lambda d: d["lenders"][1].update(id=1), "lenders[1].id: the id 1 is used twice"),
        (lambda d: d["payments"][1].update(id=2**63), "payments[1].id: must be a whole number"),
        (lambda d: d.update(version=2), "file.version"),
        (lambda d: d.update(format="other"), "file.format"),
        (lambda d: d["budget"].update(income="-1"), "budget.income: must not be negative"),
    ],
)
def test_a_malformed_file_changes_nothing_and_says_where(demo, change, where):
    document = _demo_document(demo)
    change(document)
    with Services.open(":memory:") as target:
        with pytest.raises(ValidationError) as info:
            import_database(target, json.dumps(document).encode())
        assert where in info.value.message
        assert target.is_empty()
    before = export_database(demo)
    with pytest.raises(ValidationError):
        import_database(demo, json.dumps(document).encode(), replace=True)
    assert export_database(demo) == before


def test_a_truncated_file_changes_nothing(demo, empty):
    data = export_database(demo)
    with pytest.raises(ValidationError, match="not valid JSON"):
        import_database(empty, data[: len(data) // 2])
    with pytest.raises(ValidationError, match="UTF-8"):
        import_database(empty, b"\xff\xfe\x00")
    assert empty.is_empty()


def test_payments_csv(demo):
    text = payments_csv(demo).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == len(demo.list_payments())
    first = rows[0]
    payment = demo.list_payments()[0]
    assert first["amount"] == f"{payment.amount:.2f}" and first["date"] == payment.date.isoformat()
    assert Decimal(first["fees"]) + Decimal(first["interest"]) + Decimal(first["principal"]) == payment.amount


# --- property: any database survives export -> import -> export -----------------------------

money = st.integers(min_value=1, max_value=10_000_000).map(lambda fen: f"{Decimal(fen) / 100:.2f}")
debts = st.fixed_dictionaries(
    {
        "name": st.text(min_size=1, max_size=20).filter(str.strip),
        "lender": st.sampled_from(["京东金融", "招商银行", "表哥", "L\"ender's"]),
        "kind": st.sampled_from(
            ["jd_baitiao", "huabei", "jiebei", "credit_card", "bank_loan", "private_loan"]
        ),
        "principal": money,
        "start_date": st.dates(date(1970, 1, 1), date(2100, 1, 1)).map(date.isoformat),
        "method": st.sampled_from(["equal-installment", "fee-installment", "revolving", "bullet"]),
        "months": st.integers(1, 600),
        "rate": st.decimals(min_value=0, max_value=1, places=4).map(str),
        "rate_unit": st.just("day"),
    }
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.lists(
        st.tuples(debts, st.lists(st.tuples(st.integers(0, 1000), st.integers(1, 5000)), max_size=3)),
        min_size=1,
        max_size=4,
    ),
    note=st.text(max_size=30),
)
def test_any_database_round_trips(items, note):
    with Services.open(":memory:") as svc, Services.open(":memory:") as other:
        for debt, payments in items:
            debt_id = svc.add_debt(debt)
            start = date.fromisoformat(debt["start_date"])
            for days, yuan in payments:
                with contextlib.suppress(ValidationError):  # more than was owed
                    svc.add_payment(debt_id, str(yuan), start + timedelta(days=days), note=note)
            svc.add_contact(
                ContactEntry(
                    when=datetime(2026, 1, 1, 23, 10),
                    channel=ContactChannel.PHONE,
                    who=note,
                    summary=note,
                    debt_id=debt_id,
                )
            )
        svc.set_setting("note", note)
        data = export_database(svc)
        import_database(other, data)
        assert export_database(other) == data


def test_import_restores_a_database_that_opens_from_disk(tmp_path, demo):
    data = export_database(demo)
    with Services.open(tmp_path / "d.sqlite3") as svc:
        import_database(svc, data)
    with sqlite3.connect(tmp_path / "d.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM debts").fetchone()[0] == 6


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))
    yield prefix


@pytest.fixture(scope="module")
def demo_document():
    with Services.open(":memory:") as svc:
        build_demo(svc, AS_OF)
        return json.loads(export_database(svc))


junk = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.sampled_from([2**63, 2**63 - 1, 0, -1])
    | st.text(max_size=8)
    | st.just([])
    | st.just({})
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), value=junk)
def test_a_damaged_export_is_refused_or_restored_never_a_crash(demo_document, data, value):
    import copy

    document = copy.deepcopy(demo_document)
    path = data.draw(st.sampled_from([p for p in _paths(document) if p]))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    with Services.open(":memory:") as target:
        try:
            import_database(target, json.dumps(document, default=str).encode())
        except ValidationError as exc:
            assert exc.message and target.is_empty()
