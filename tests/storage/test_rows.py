"""Rows read as stored and checked one at a time: each kind of bad value is named, good rows read exactly."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.money import MAX_AMOUNT, from_fen
from storage import rows
from storage.db import open_database
from storage.models import ContactRow, PaymentRow

PAYMENT = (7, 1, "2026-02-15", 296799, 0, 37458, 259341, "按月还款")  # id, debt_id, date, amounts, note


@given(st.integers(min_value=1, max_value=int(MAX_AMOUNT * 100)))
def test_fen_become_the_same_yuan_as_from_fen(fen):
    (payment,) = rows.check_rows(PaymentRow, [(1, 1, "2026-01-01", fen, 0, 0, fen, "")]).values
    read = rows.payment_from_values(payment)
    assert str(read.amount) == str(from_fen(fen)) and read.principal == from_fen(fen)


def test_a_good_row_reads_exactly():
    (values,) = rows.check_rows(PaymentRow, [PAYMENT]).values
    payment = rows.payment_from_values(values)
    assert payment.date == date(2026, 2, 15) and payment.amount == Decimal("2967.99")
    assert (payment.fees, payment.interest, payment.principal) == (
        Decimal(0),
        Decimal("374.58"),
        Decimal("2593.41"),
    )
    assert payment.id == 7 and payment.note == "按月还款"


@pytest.mark.parametrize(
    ("column", "stored", "problem"),
    [
        ("amount", "abc", "not an amount"),
        ("amount", 12.5, "not a whole number of fen"),
        ("amount", -1, "must not be negative"),
        ("amount", 10**17, "must be at most"),
        ("amount", None, "is required"),
        ("amount", True, "not an amount"),
        ("date", "2026-02-30", "not a date"),
        ("date", "2026-2-15", "not a date"),
        ("date", "2026-02-15T00:00:00", "not a date"),
        ("date", 20260215, "not a date"),
        ("date", "1900-01-01", "must be a date between"),
        ("note", b"\xff", "must be text"),
        ("note", "x" * 10_001, "is too long"),
        ("debt_id", "1", "not a whole number"),
        ("fees", 1, "do not add up to the amount"),
    ],
)
def test_each_bad_value_is_named_with_its_column_and_what_is_wrong(column, stored, problem):
    index = [c.key for c in PaymentRow.__table__.columns].index(column)
    raw = list(PAYMENT)
    raw[index] = stored
    read = rows.check_rows(PaymentRow, [tuple(raw), (8, *PAYMENT[1:])])
    assert [v["id"] for v in read.values] == [8]  # the good row beside it is read
    (bad,) = read.problems
    text = bad.describe("en_US")
    assert text.startswith("table payments, id 7, column ")
    assert problem in text
    assert "\n" not in text and len(text) < 400


@pytest.mark.parametrize(
    ("column", "stored", "problem"),
    [
        ("when", "noon", "not a date and time"),
        ("when", "2026-08-15 25:00:00", "not a date and time"),
        ("channel", "pigeon", "must be one of: phone"),
        ("conduct", "not json", "not a list of text"),
        ("conduct", '["threat", 3]', "not a list of text"),
        ("conduct", '["bribery"]', "must be one of"),
    ],
)
def test_contact_values(column, stored, problem):
    good = {
        "id": 1,
        "debt_id": None,
        "when": "2026-08-15 10:15:00.000000",
        "channel": "phone",
        "who": "x",
        "target": "debtor",
        "summary": "",
        "conduct": "[]",
        "attachments": "[]",
        "phone_number": "",
    }
    (entry,) = rows.check_rows(ContactRow, [tuple(good.values())]).values
    assert entry["when"] == datetime(2026, 8, 15, 10, 15)
    read = rows.check_rows(ContactRow, [tuple({**good, column: stored}.values())])
    assert read.values == [] and problem in read.problems[0].describe("en_US")


def test_a_long_or_hostile_stored_value_is_quoted_short_and_escaped():
    raw = list(PAYMENT)
    raw[3] = "\x1b[31m" + "x" * 500
    (bad,) = rows.check_rows(PaymentRow, [tuple(raw)]).problems
    text = bad.describe("en_US")
    assert "\x1b" not in text and "\\x1b" in text and len(text) < 200


def test_reading_a_real_database_leaves_out_only_the_damaged_row(tmp_path):
    db = tmp_path / "d.sqlite3"
    database = open_database(db)
    database.close()
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO lenders (id, name, kind, phone, address, account_number) "
        "VALUES (1, '银行', 'bank_loan', '', '', '')"
    )
    conn.execute(
        "INSERT INTO debts (id, name, lender_id, kind, principal, start_date, method, months, rate, "
        "rate_unit, fee_rate, due_day, grace_days, penalty_rate_multiplier, late_fee_rate_per_day, "
        "status) VALUES (1, '贷款', 1, 'bank_loan', 100000, '2026-01-15', 'bullet', 12, '4.9', "
        "'year', '0', 15, 0, '1.5', '0', 'active')"
    )
    conn.execute(
        "INSERT INTO debts SELECT 2, name, lender_id, kind, 'lots', start_date, method, months, "
        "rate, rate_unit, fee_rate, due_day, grace_days, penalty_rate_multiplier, "
        "late_fee_rate_per_day, overdue_since, overdue_amount, received_amount, status, "
        "instalments_paid, outstanding_principal, outstanding_as_of "
        "FROM debts WHERE id = 1"
    )
    conn.commit()
    conn.close()
    database = open_database(db)
    with database.transaction() as s:
        read = rows.read_debts(s.connection())
    database.close()
    assert [d.id for d in read.values] == [1]
    assert read.values[0].principal == Decimal("1000.00") and read.values[0].lender == "银行"
    assert [p.describe("en_US") for p in read.problems] == [
        "table debts, id 2, column principal: not an amount (stored value: 'lots')"
    ]


def test_the_column_type_refuses_a_fraction_of_a_fen_rather_than_cutting_it():
    from domain.money import MoneyError
    from storage.types import Fen

    assert Fen().process_result_value(1250, None) == Decimal("12.50")
    with pytest.raises(MoneyError):
        Fen().process_result_value(12.5, None)  # was read as 0.12 yuan
