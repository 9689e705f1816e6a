"""Builds the saved sample database of the current schema revision.

Run ``python -m tests.storage.sample_db`` after adding a migration: it writes
``tests/data/db_rev_<HEAD>.sqlite3`` with a row in every table, so the next
revision's migration is tested on real data of this one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from services.app import Instalment, Services
from services.demo import build_demo
from storage.migrations import HEAD

DATA = Path(__file__).resolve().parent.parent / "data"
AS_OF = date(2026, 11, 23)


def sample_path(revision: str) -> Path:
    return DATA / f"db_rev_{revision}.sqlite3"


def build_sample(out: Path) -> Path:
    with Services.open(":memory:") as svc:
        build_demo(svc, AS_OF)
        svc.set_instalments(
            1,
            [
                Instalment(
                    1,
                    1,
                    date(2026, 5, 26),
                    Decimal("706.67"),
                    Decimal("666.67"),
                    Decimal("0.00"),
                    Decimal("40.00"),
                )
            ],
        )
        svc.set_setting("language", "zh_CN")
        by_name = {d.name: d.id for d in svc.list_debts()}
        # Since revision 0002: a debt entered as it stood (instalments paid, outstanding principal).
        svc.update_debt(
            by_name["向表哥借款（装修）"],
            {"outstanding_principal": "18000.00", "outstanding_as_of": "2026-08-01"},
        )
        svc.update_debt(by_name["借呗"], {"instalments_paid": 1})
        # Since revision 0003: a debt's own overdue terms, and a reminder rule's details, as columns.
        from datetime import time

        from domain.reminders import ReminderRule
        from services import overdue, reminders

        reminded = sorted(r.debt_id for r in svc.list_reminders())
        overdue.set_term_overrides(svc, reminded[0], {"cycle_fee_percent": "3", "report_day_typical": 20})
        reminders.set_rule(svc, reminded[0], ReminderRule((5,), True, False, time(20, 0)))
        reminders.set_rule(svc, reminded[1], None)
        return svc.backup(out)


if __name__ == "__main__":
    print(build_sample(sample_path(HEAD)))
