"""The ledger read in pages: counts, pages in the window's order, one payment by id."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.debts import Payment
from services.app import Services
from services.errors import NotFoundError
from storage.models import PaymentRow

LOAN = {
    "name": "建行快贷",
    "lender": "中国建设银行",
    "kind": "bank_loan",
    "principal": "10000.00",
    "start_date": "2026-01-01",
    "method": "equal-installment",
    "months": 12,
    "rate": "3.6",
    "rate_unit": "year",
}


@pytest.fixture(scope="module")
def ledger():
    """Two debts; payments recorded out of date order, several on the same day."""
    with Services.open(":memory:") as svc:
        first = svc.add_debt(LOAN)
        second = svc.add_debt({**LOAN, "name": "白条", "lender": "京东金融"})
        for n in range(45):
            on = date(2026, 1, 2) + timedelta(days=(n * 7) % 30)  # many share a day; ids not in date order
            svc.add_payment(first if n % 3 else second, Decimal(10 + n), on, note=f"第 {n} 笔")
        yield svc, first, second


def _newest_first(payments):
    return sorted(payments, key=lambda p: (p.date, p.id), reverse=True)


def test_list_payments_reads_the_same_payments_as_the_stored_rows(ledger):
    svc, first, _second = ledger
    with svc.transaction() as s:  # the ORM path, independent of the column select
        stored = [
            Payment(
                id=r.id,
                debt_id=r.debt_id,
                date=r.date,
                amount=r.amount,
                fees=r.fees,
                interest=r.interest,
                principal=r.principal,
                note=r.note,
            )
            for r in s.scalars(select(PaymentRow))
        ]
    listed = svc.list_payments()
    assert sorted(listed, key=lambda p: p.id) == sorted(stored, key=lambda p: p.id)
    assert [(p.date, p.id) for p in listed] == sorted((p.date, p.id) for p in stored)
    assert all(p.amount == p.fees + p.interest + p.principal for p in listed)
    assert {p.debt_id for p in svc.list_payments(first)} == {first}


def _key(payment):
    return (payment.date, payment.id)


@pytest.mark.parametrize("which", ["all", "first", "second"])
def test_pages_put_together_are_the_ledger_newest_first(ledger, which):
    svc, first, second = ledger
    debt_id = {"all": None, "first": first, "second": second}[which]
    expected = _newest_first(svc.list_payments(debt_id))
    assert svc.count_payments(debt_id) == len(expected) > 0
    for limit in (1, 7, 200):
        pages, after = [], None
        while page := svc.page_payments(debt_id, after, limit):
            assert len(page) == min(limit, len(expected) - len(pages))
            pages.extend(page)
            after = _key(page[-1])
        assert pages == expected
    assert svc.page_payments(debt_id, _key(expected[-1]), 200) == []
    assert svc.page_payments(debt_id, None, 0) == []


def test_a_page_after_a_payment_removed_meanwhile_goes_on_from_its_place(ledger):
    svc, first, _second = ledger
    expected = _newest_first(svc.list_payments(first))
    shown = svc.page_payments(first, None, 10)
    gone = svc.remove_payment(shown[-1].id)  # the last one shown is deleted elsewhere
    try:
        assert svc.page_payments(first, _key(shown[-1]), 5) == expected[10:15]
    finally:
        svc.restore_deleted(gone)


@pytest.mark.parametrize("which", ["all", "one"])
def test_a_page_is_read_on_the_index_in_its_order_not_by_counting_rows_off(ledger, which):
    from sqlalchemy import event

    svc, first, _second = ledger
    debt_id = None if which == "all" else first
    engine = svc.database.engine
    seen: list[tuple[str, tuple]] = []

    def spy(_conn, _cursor, statement, parameters, _context, _many):
        if "ORDER BY payments.date DESC" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", spy)
    try:
        newest = svc.page_payments(debt_id, None, 3)
        svc.page_payments(debt_id, _key(newest[-1]), 3)
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    statement, parameters = seen[-1]
    assert "OFFSET ?" not in statement or 0 in parameters[-1:]  # nothing counted off
    with svc.reading() as s:
        plan = " ".join(
            str(r[-1]) for r in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        )
    index = "ix_payments_date_id" if which == "all" else "ix_payments_debt_id_date_id"
    assert index in plan and "TEMP B-TREE" not in plan, plan


def test_same_day_payments_are_ordered_by_id_descending(ledger):
    svc, _first, _second = ledger
    page = svc.page_payments(None, None, 200)
    days = {}
    for p in page:
        days.setdefault(p.date, []).append(p.id)
    assert any(len(ids) > 1 for ids in days.values())
    assert all(ids == sorted(ids, reverse=True) for ids in days.values())


def test_an_unknown_debt_or_payment_is_not_found(ledger):
    svc, _first, _second = ledger
    with pytest.raises(NotFoundError):
        svc.count_payments(999)
    with pytest.raises(NotFoundError):
        svc.page_payments(999)
    with pytest.raises(NotFoundError):
        svc.get_payment(10**9)


def test_get_payment_is_the_listed_payment(ledger):
    svc, _first, _second = ledger
    for p in svc.list_payments()[::9]:
        assert svc.get_payment(p.id) == p
