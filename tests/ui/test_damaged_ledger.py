"""The payments page reads the ledger in batches: damaged payments are left out without cutting it short."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import date, timedelta

from services.app import Services
from ui.models import Column, LazyRowsModel

PAYMENTS = 450
DAMAGED = {5: "amount = 'abc'", 230: "date = '2026-02-30'", 449: "note = X'FF'"}  # newest-first positions


def test_scrolling_the_whole_ledger_shows_every_readable_payment_once(tmp_path, qtmodeltester):
    db = tmp_path / "d.sqlite3"
    with Services.open(db) as svc:
        debt = svc.add_debt(
            {
                "name": "Loan",
                "lender": "Bank",
                "kind": "bank_loan",
                "principal": "900000.00",
                "start_date": "2020-01-15",
                "method": "bullet",
                "months": 120,
            }
        )
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.executemany(
            "INSERT INTO payments (id, debt_id, date, amount, fees, interest, principal, note) "
            "VALUES (?, ?, ?, 100, 0, 0, 100, '')",
            [(n + 1, debt, (date(2020, 2, 1) + timedelta(days=n)).isoformat()) for n in range(PAYMENTS)],
        )
        for position, damage in DAMAGED.items():
            conn.execute(f"UPDATE payments SET {damage} WHERE id = ?", (PAYMENTS - position,))
        conn.commit()
    reported: list[str] = []
    with Services.open(db, on_problem=reported.append) as svc:
        model = LazyRowsModel([Column("Id", lambda p: p.id, "int")])
        model.set_source(
            svc.count_payments(debt),
            lambda last, limit: svc.page_payments(
                debt, None if last is None else (last.date, last.id), limit
            ),
        )
        while model.canFetchMore():
            model.fetchMore()
        shown = [model.row_at(r).id for r in range(model.rowCount())]
        expected = [PAYMENTS - n for n in range(PAYMENTS) if n not in DAMAGED]
        assert shown == expected
        assert len(reported) == len(DAMAGED)
        assert svc.count_payments(debt) == PAYMENTS - len(DAMAGED)  # once found, no longer counted
        qtmodeltester.check(model, force_py=True)
