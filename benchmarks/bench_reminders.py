"""Reminders: the once-a-minute check on the demo database, the pure rule engine, and the .ics export."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path

from benchmarks.timing import median_ms

AS_OF = date(2026, 11, 23)


def run() -> list[dict]:
    from domain.reminders import Due, ReminderRule, due_reminders

    rule = ReminderRule((3, 1), True, True, clock_time(9, 0))
    dues = [
        Due(
            i % 60,
            f"debt {i % 60}",
            AS_OF + timedelta(days=i % 40 - 10),
            Decimal("100.00"),
            overdue=i % 40 < 10,
        )
        for i in range(1000)
    ]
    last = {i: datetime(2026, 11, 1) for i in range(60)}
    at_nine = datetime(2026, 11, 23, 9, 0)
    rows = [
        {
            "name": "due_reminders, 1000 dues of 60 debts",
            "runs": 50,
            "median_ms": median_ms(lambda: due_reminders(dues, {}, at_nine, last, rule), 50),
        }
    ]

    from services import reminders
    from services.app import Services
    from services.demo import build_demo

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.sqlite3"
        with Services.open(db) as svc:
            build_demo(svc, AS_OF)
            moments = iter(datetime(2026, 11, 23, 9, 0) + timedelta(minutes=k) for k in range(10_000))

            def check() -> None:
                reminders.fire_due_reminders(svc, next(moments))

            rows.append(
                {
                    "name": "tray check (fire_due_reminders), demo database",
                    "runs": 30,
                    "median_ms": median_ms(check, 30),
                }
            )
            rows.append(
                {
                    "name": "remind --within 7 (dues_within), demo database",
                    "runs": 30,
                    "median_ms": median_ms(lambda: reminders.dues_within(svc, AS_OF, 7), 30),
                }
            )
            out = Path(folder) / "dues.ics"
            rows.append(
                {
                    "name": "calendar export (.ics), demo database",
                    "runs": 20,
                    "median_ms": median_ms(lambda: reminders.export_ics(svc, out, AS_OF), 20),
                }
            )
    return rows
