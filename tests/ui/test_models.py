"""Every item model passes Qt's model tester; the ledger loads lazily."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from domain.debts import Payment
from ui.models import LazyRowsModel


def test_models_of_every_page(window, qtmodeltester):
    for key in ("dashboard", "debts", "payments", "overdue", "budget", "plan"):
        window.show_page(key)
    pages = window.pages
    models = [
        pages["dashboard"].lenders,
        pages["dashboard"].dues,
        pages["dashboard"].overdue,
        pages["debts"].model,
        pages["debts"].proxy,
        pages["payments"].model,
        pages["overdue"].events,
        pages["overdue"].checks,
        pages["overdue"].contacts,
        pages["budget"].proposal,
        pages["plan"].compare,
    ]
    for model in models:
        qtmodeltester.check(model, force_py=True)


def test_schedule_model(services, qtmodeltester):
    from ui.dialogs.schedule import SCHEDULE_COLUMNS, schedule_rows
    from ui.models import RowsModel

    model = RowsModel(SCHEDULE_COLUMNS)
    model.set_rows(schedule_rows(services.list_debts()[0]))
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)


def test_ledger_of_100000_payments_loads_in_batches(qtmodeltester):
    from ui.pages.payments import payment_columns

    start = date(2020, 1, 1)
    payments = [
        Payment(debt_id=1, date=start + timedelta(days=i % 2000), amount=Decimal("10.00"), id=i)
        for i in range(100_000)
    ]
    model = LazyRowsModel(payment_columns({1: "Loan"}))
    model.set_rows(payments)
    assert model.rowCount() == LazyRowsModel.BATCH
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * LazyRowsModel.BATCH
    assert model.total() == 100_000
    qtmodeltester.check(model, force_py=True)
