"""A database with 100,000 payments: opening it, showing the ledger, export, import, backup, verify.

The ledger's table model must stay lazy: besides the time until the Payments
page shows its first rows (offscreen), the row reports how many payments were
read from the database (``rows read``) against how many the ledger holds; the
rest are read a batch at a time as the table scrolls (the last batch is timed).
Baseline for opening: a bare ``sqlite3`` count of the payments in the same run.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.timing import median_ms

PAYMENTS = 100_000
DEBTS = 50
AS_OF = date(2026, 11, 23)


def build(db: Path) -> None:
    """50 debts through the services, then 100,000 payments written in one go (same columns, fen)."""
    from services.app import Services

    with Services.open(db) as svc:
        for n in range(DEBTS):
            svc.add_debt(
                {
                    "name": f"贷款 {n}",
                    "lender": f"银行 {n % 10}",
                    "kind": "bank_loan",
                    "principal": "900000.00",
                    "start_date": "2010-01-15",
                    "method": "equal-installment",
                    "months": 360,
                }
            )
    conn = sqlite3.connect(db)
    start = date(2010, 2, 1)
    rows = (
        (1 + i % DEBTS, (start + timedelta(days=i // DEBTS)).isoformat(), 10000, 0, 2500, 7500, f"第 {i} 笔")
        for i in range(PAYMENTS)
    )
    with conn:
        conn.executemany(
            "INSERT INTO payments (debt_id, date, amount, fees, interest, principal, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.close()


def _key_before_last_batch(db: Path) -> tuple[date, int]:
    """The (date, id) of the payment shown just before the ledger's last batch of 200."""
    conn = sqlite3.connect(db)
    day, key = conn.execute(
        "SELECT date, id FROM payments ORDER BY date DESC, id DESC LIMIT 1 OFFSET ?", (PAYMENTS - 201,)
    ).fetchone()
    conn.close()
    return date.fromisoformat(day), key


def _ledger_first_rows(db: Path) -> tuple[float, int, int]:
    """Open the database and the Payments page offscreen; ms until its first rows are painted."""
    from PySide6.QtWidgets import QApplication

    from services.app import Services
    from ui.app import make_application
    from ui.context import AppContext
    from ui.pages.payments import PaymentsPage

    make_application()
    started = time.perf_counter()
    context = AppContext(Services.open(db), today=lambda: AS_OF)
    page = PaymentsPage(context)
    page.resize(1100, 700)
    page.refresh()
    page.show()
    page.repaint()
    QApplication.processEvents()
    elapsed = (time.perf_counter() - started) * 1000
    shown, loaded = page.model.rowCount(), page.model.total()  # rows read, payments in the ledger
    page.close()
    page.deleteLater()
    context.services.close()
    QApplication.processEvents()
    return elapsed, shown, loaded


def run() -> list[dict]:
    from services import safety
    from services.app import Services
    from services.jsonio import export_database, import_database
    from storage.backup import take_backup, verify_backup
    from storage.db import open_database

    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "big.sqlite3"
        started = time.perf_counter()
        build(db)
        note = f"{os.path.getsize(db) // 1024**2} MiB, built in {time.perf_counter() - started:.1f} s"

        def bare() -> None:
            conn = sqlite3.connect(db)
            conn.execute("SELECT count(*) FROM payments").fetchone()
            conn.close()

        baseline = median_ms(bare, 10)
        opened = median_ms(lambda: open_database(db).close(), 10)
        rows.append(
            {
                "name": f"open db with {PAYMENTS:,} payments",
                "median_ms": opened,
                "baseline_ms": baseline,
                "ratio": opened / baseline,
                "runs": 10,
                "note": note,
            }
        )

        runs = [_ledger_first_rows(db) for _ in range(2)]
        shown, loaded = runs[0][1], runs[0][2]
        rows.append(
            {
                "name": "payments page: open db, first rows painted",
                "runs": 2,
                "median_ms": statistics.median(r[0] for r in runs),
                "note": f"rows read {shown:,} of {loaded:,} (lazy model)",
            }
        )

        after = _key_before_last_batch(db)
        with Services.open(db) as svc:
            rows.append(
                {
                    "name": "ledger: the last batch of 200 (scrolled to the end)",
                    "runs": 5,
                    "median_ms": median_ms(lambda: svc.page_payments(None, after, 200), 5),
                }
            )
            rows.append(
                {
                    "name": f"list_payments ({PAYMENTS:,})",
                    "runs": 2,
                    "median_ms": median_ms(svc.list_payments, 2),
                }
            )
            data = export_database(svc)
            rows.append(
                {
                    "name": f"export {PAYMENTS:,} payments (JSON)",
                    "runs": 2,
                    "median_ms": median_ms(lambda: export_database(svc), 2),
                    "note": f"{len(data) // 1024**2} MiB",
                }
            )

        def restore() -> None:
            target = Path(folder) / "imported.sqlite3"
            for leftover in Path(folder).glob("imported.sqlite3*"):
                leftover.unlink()
            with Services.open(target) as svc:
                import_database(svc, data)

        rows.append(
            {
                "name": f"import {PAYMENTS:,} payments into an empty db",
                "runs": 1,
                "median_ms": median_ms(restore, 1),
            }
        )
        target = Path(folder) / "copy.sqlite3"
        rows.append(
            {
                "name": "backup (online backup API)",
                "runs": 5,
                "median_ms": median_ms(lambda: take_backup(db, "manual", out=target), 5),
            }
        )
        rows.append(
            {
                "name": "verify backup (integrity_check)",
                "runs": 5,
                "median_ms": median_ms(lambda: verify_backup(target), 5),
            }
        )
        rows.append(
            {
                "name": "restore backup (verify, back up, swap)",
                "runs": 3,
                "median_ms": median_ms(lambda: safety.restore(db, target), 3),
            }
        )
    return rows
