"""The Payments page reads the ledger from the services a batch at a time, newest first."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QItemSelectionModel

from ui.models import LazyRowsModel

PAYMENTS = 450  # more than two batches


@pytest.fixture
def big_ledger(empty_services, monkeypatch):
    """One debt with 450 payments written in one transaction (as an import would), and spies on reads."""
    from storage.models import PaymentRow

    svc = empty_services
    debt_id = svc.add_debt(
        {
            "name": "房贷",
            "lender": "招商银行",
            "kind": "bank_loan",
            "principal": "900000",
            "start_date": "2020-01-01",
            "method": "equal-installment",
            "months": 360,
        }
    )
    with svc.transaction() as s:
        for n in range(PAYMENTS):
            on = date(2020, 2, 1) + timedelta(days=n // 3)  # three a day: same-day order is by id
            s.add(
                PaymentRow(
                    debt_id=debt_id,
                    date=on,
                    amount=Decimal(100 + n),
                    fees=Decimal(0),
                    interest=Decimal(0),
                    principal=Decimal(100 + n),
                    note=f"#{n}",
                )
            )
    reads: list[tuple[tuple[date, int] | None, int]] = []
    page = svc.page_payments

    def spy_page(debt=None, after=None, limit=200):
        reads.append((after, limit))
        return page(debt, after, limit)

    def no_full_read(*_args, **_kwargs):
        raise AssertionError("the Payments page read the whole ledger")

    monkeypatch.setattr(svc, "page_payments", spy_page)
    monkeypatch.setattr(svc, "list_payments", no_full_read)
    return svc, debt_id, reads, page


@pytest.fixture
def ledger_page(big_ledger, qtbot):
    from tests.ui.conftest import TODAY
    from ui.context import AppContext
    from ui.pages.payments import PaymentsPage

    svc = big_ledger[0]
    page = PaymentsPage(AppContext(svc, today=lambda: TODAY))
    qtbot.addWidget(page)
    page.resize(900, 500)
    page.refresh()
    page.show()
    return page


def test_the_page_shows_the_first_batch_after_reading_only_it(big_ledger, ledger_page):
    svc, _debt_id, reads, page_payments = big_ledger
    model = ledger_page.model
    assert reads == [(None, LazyRowsModel.BATCH)]
    assert model.total() == PAYMENTS and "450" in ledger_page.totals.text()
    assert model.rowCount() == LazyRowsModel.BATCH
    newest = page_payments(None, None, 3)
    assert [model.row_at(r) for r in range(3)] == newest
    assert newest[0].date == date(2020, 2, 1) + timedelta(days=(PAYMENTS - 1) // 3)


def test_scrolling_reads_the_next_batches_in_order(big_ledger, ledger_page, qtmodeltester):
    svc, _debt_id, reads, page_payments = big_ledger
    model = ledger_page.model
    while model.canFetchMore():
        ledger_page.table.scrollToBottom()
        model.fetchMore()
    assert model.rowCount() == PAYMENTS
    shown = [model.row_at(r) for r in range(PAYMENTS)]
    after = [(shown[n].date, shown[n].id) for n in (199, 399)]  # each batch after the last row shown
    assert reads[:3] == [(None, 200), (after[0], 200), (after[1], 50)]
    assert shown == page_payments(None, None, PAYMENTS)
    keys = [(p.date, p.id) for p in shown]
    assert keys == sorted(keys, reverse=True)
    qtmodeltester.check(model, force_py=True)


def test_delete_and_undo_on_the_lazy_ledger(big_ledger, ledger_page):
    from ui.undo import undo_stack

    svc, debt_id, _reads, page_payments = big_ledger
    model = ledger_page.model
    target = model.row_at(5)
    index = model.index(5, 0)
    ledger_page.table.selectionModel().select(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    ledger_page.delete_selected()
    ledger_page.refresh()
    assert svc.count_payments(debt_id) == PAYMENTS - 1 == model.total()
    assert target not in [model.row_at(r) for r in range(model.rowCount())]
    undo_stack(ledger_page.context).undo()
    ledger_page.refresh()
    assert model.total() == PAYMENTS
    restored = [p for p in page_payments(None, None, PAYMENTS) if p.note == target.note]
    assert len(restored) == 1 and (restored[0].date, restored[0].amount) == (target.date, target.amount)


def test_a_source_that_shrank_since_it_was_counted_stops_where_it_ends(qtmodeltester):
    from ui.models import Column

    rows = list(range(250))
    model = LazyRowsModel([Column("Number", lambda n: n, "int")])
    model.set_source(400, lambda after, limit: rows[0 if after is None else after + 1 :][:limit])
    assert model.rowCount() == 200 and model.canFetchMore()
    del rows[220:]  # removed elsewhere meanwhile
    model.fetchMore()
    assert model.rowCount() == 220 == model.total() and not model.canFetchMore()
    qtmodeltester.check(model, force_py=True)
    model.set_source(5, lambda after, limit: [])
    assert model.rowCount() == 0 == model.total() and not model.canFetchMore()
