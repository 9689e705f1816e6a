"""Revision 0004: payments get a column for the ledger state kept after each (NULL until known) and the
indexes their ledger is read by; a 0003 database keeps its figures, and a first write to a debt keeps the
states of all its payments. Downgrade takes the column and the indexes away again."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from decimal import Decimal

from domain import ledger
from storage.db import open_database
from tests.storage.sample_db import sample_path

AS_OF = date(2026, 11, 23)


def _old_database(tmp_path):
    copy = tmp_path / "old.sqlite3"
    shutil.copy(sample_path("0003"), copy)
    return copy


def _rows(path, query):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def _payment_indexes(path):
    return {
        r[0]
        for r in _rows(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'payments'")
    }


def test_a_0003_database_gets_the_column_and_indexes_and_keeps_its_figures(tmp_path):
    from services.app import Services

    path = _old_database(tmp_path)
    with Services.open(path) as svc:  # figures as 0003 gave them: by replaying every payment
        before = svc.list_summaries(AS_OF)
    assert _payment_indexes(path) == {"ix_payments_debt_id_date_id", "ix_payments_date_id"}
    counted = _rows(path, "SELECT count(*), count(ledger_state) FROM payments")[0]
    assert counted[0] > 0 and counted[1] == 0  # no state known yet
    debt_id = 5  # 建行快贷: payments of its own instalments
    with Services.open(path) as svc:
        debt = svc.get_debt(debt_id)
        old = svc.list_payments(debt_id)
        new_id = svc.add_payment(debt_id, "100.00", AS_OF)
        payments = svc.list_payments(debt_id)
        after = {s.debt.id: s for s in svc.list_summaries(AS_OF)}
    # the first write replays the debt from the start and keeps every payment's state
    states = dict(_rows(path, f"SELECT id, ledger_state FROM payments WHERE debt_id = {debt_id}"))
    assert len(states) == len(old) + 1 and all(states.values())
    replayed = ledger.allocate(debt, [(p.date, p.amount) for p in payments])
    assert [(p.fees, p.interest, p.principal) for p in payments] == [
        (s.fees, s.interest, s.principal) for s in replayed
    ]
    assert payments[-1].id == new_id
    kept = ledger.state_from_text(states[new_id])
    assert kept is not None and kept.paid_total == sum((p.amount for p in payments), Decimal(0))
    for summary in before:  # the other debts stand where they stood; this one 100.00 further
        now = after[summary.debt.id]
        if summary.debt.id == debt_id:
            assert now.total_paid == summary.total_paid + Decimal("100.00")
            assert now.balance == summary.balance - payments[-1].principal
        else:
            assert now == summary


def test_downgrade_takes_the_column_and_indexes_away(tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from storage.migrations import MIGRATIONS

    path = _old_database(tmp_path)
    open_database(path).close()
    payments = _rows(path, "SELECT id, debt_id, date, amount, fees, interest, principal, note FROM payments")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")  # as storage.db.upgrade: batch mode copies tables
        with conn.begin():
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
    engine.dispose()
    columns = [r[1] for r in _rows(path, "PRAGMA table_info(payments)")]
    assert "ledger_state" not in columns
    assert _payment_indexes(path) == {"ix_payments_debt_id"}
    assert _rows(path, "SELECT * FROM payments") == payments
