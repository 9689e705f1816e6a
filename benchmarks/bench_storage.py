"""Opening the database, listing debts, recording a payment, export and import.

Baseline for opening: a bare ``sqlite3.connect`` + one query in the same run.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from benchmarks.timing import median_ms

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 23)


def run() -> list[dict]:
    import sqlite3

    from services.app import Services
    from services.demo import build_demo
    from services.jsonio import export_database, import_database
    from storage.db import open_database

    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "d.sqlite3"
        with Services.open(db) as svc:
            build_demo(svc, AS_OF)

        def bare() -> None:
            conn = sqlite3.connect(db)
            conn.execute("SELECT count(*) FROM debts").fetchone()
            conn.close()

        baseline = median_ms(bare, 20)
        opened = median_ms(lambda: open_database(db).close(), 20)
        rows.append(
            {
                "name": "open existing db (at head, no Alembic)",
                "median_ms": opened,
                "baseline_ms": baseline,
                "ratio": opened / baseline,
                "runs": 20,
            }
        )

        def cli() -> None:
            subprocess.run(
                [sys.executable, "main.py", "--db", str(db), "debt", "list", "--json"],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )

        rows.append(
            {"name": "process: main.py debt list --json (demo)", "median_ms": median_ms(cli, 5), "runs": 5}
        )

        big = Path(folder) / "big.sqlite3"
        with Services.open(big) as svc:
            for i in range(200):
                debt_id = svc.add_debt(
                    {
                        "name": f"debt {i}",
                        "lender": f"lender {i % 20}",
                        "kind": "bank_loan",
                        "principal": "50000",
                        "start_date": "2024-01-15",
                        "method": "equal-installment",
                        "months": 36,
                    }
                )
                for m in range(10):
                    svc.add_payment(debt_id, "1000", date(2024, 2, 15) + timedelta(days=30 * m))
            rows.append(
                {
                    "name": "list_summaries: 200 debts, 2000 payments",
                    "median_ms": median_ms(lambda: svc.list_summaries(AS_OF), 5),
                    "runs": 5,
                }
            )
            rows.append(
                {
                    "name": "add_payment (debt with 10 payments)",
                    "median_ms": median_ms(lambda: svc.add_payment(1, "1", AS_OF), 10),
                    "runs": 10,
                }
            )
            data = export_database(svc)
            rows.append(
                {
                    "name": "export 200 debts, 2000 payments",
                    "median_ms": median_ms(lambda: export_database(svc), 5),
                    "runs": 5,
                    "note": f"{len(data) // 1024} KiB",
                }
            )

        def restore() -> None:
            with Services.open(":memory:") as target:
                import_database(target, data)

        rows.append(
            {"name": "import the same into an empty db", "median_ms": median_ms(restore, 3), "runs": 3}
        )
    return rows
