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


@pytest.mark.parametrize("which", ["all", "first", "second"])
def test_pages_put_together_are_the_ledger_newest_first(ledger, which):
    svc, first, second = ledger
    debt_id = {"all": None, "first": first, "second": second}[which]
    expected = _newest_first(svc.list_payments(debt_id))
    assert svc.count_payments(debt_id) == len(expected) > 0
    for limit in (1, 7, 200):
        pages = []
        for offset in range(0, len(expected) + limit, limit):
            page = svc.page_payments(debt_id, offset, limit)
            assert len(page) == len(expected[offset : offset + limit])
            pages.extend(page)
        assert pages == expected
    assert svc.page_payments(debt_id, len(expected), 200) == []
    assert svc.page_payments(debt_id, 3, 0) == []


def test_same_day_payments_are_ordered_by_id_descending(ledger):
    svc, _first, _second = ledger
    page = svc.page_payments(None, 0, 200)
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
