"""Import writes whole tables at once and stays all-or-nothing; the export's amounts read as typed ones."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event

from domain.money import MoneyError
from domain.validation import check_amount, parse_money_value
from services.app import Services
from services.demo import build_demo
from services.errors import StorageError
from services.jsonio import _Checker, export_database, import_database

AS_OF = date(2026, 11, 23)


def _fail_when_writing(svc: Services, table: str) -> None:
    """As if the disk filled up while the rows of ``table`` were being written."""

    def before(_conn, _cursor, statement, _params, _context, _many):
        if statement.startswith(f"INSERT INTO {table}"):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(svc.database.engine, "before_cursor_execute", before)


@pytest.mark.parametrize("table", ["debts", "payments", "budget_expenses"])
def test_an_import_that_fails_while_writing_leaves_the_database_as_it_was(tmp_path, table):
    with Services.open(":memory:") as source:
        build_demo(source, AS_OF)
        source.add_payment(1, "12.34", AS_OF, note="extra")
        data = export_database(source)
    with Services.open(tmp_path / "d.sqlite3") as svc:
        build_demo(svc, AS_OF)
        before = export_database(svc)
        assert before != data
        _fail_when_writing(svc, table)
        with pytest.raises(StorageError, match="disk is full"):
            import_database(svc, data, replace=True)
        assert export_database(svc) == before
    with Services.open(tmp_path / "empty.sqlite3") as empty:
        _fail_when_writing(empty, table)
        with pytest.raises(StorageError):
            import_database(empty, data)
        assert empty.is_empty()


def _general(value: object, positive: bool) -> Decimal | None:
    """What the checker gave before it learnt the export's own form: the typed-amount parser."""
    try:
        amount = parse_money_value(value)
    except MoneyError:
        return None
    errors: list = []
    check_amount("x", amount, errors, positive=positive)
    return None if errors else amount


amounts = st.one_of(
    st.from_regex(r"\A[0-9]{1,15}\.[0-9]{1,3}\Z"),
    st.decimals(min_value=-10, max_value=10**13, places=2, allow_nan=False).map(str),
    st.text(alphabet="0123456789.,-+¥ ٣", max_size=18),
)


@given(amounts, st.booleans())
def test_amounts_in_the_export_form_read_exactly_as_any_typed_amount(value, positive):
    got = _Checker().money(value, "x", positive=positive)
    expected = _general(value, positive)
    assert got == expected
    if got is not None:
        assert str(got) == str(expected)  # the same exponent: "1.50" stays "1.50"
