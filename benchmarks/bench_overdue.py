"""How long one debt's overdue report takes: the day-by-day account, timeline, checks and projection.

Worst realistic case: a 36-month loan two years in arrears, every instalment
missed, with 100 part-payments and 200 logged contacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from benchmarks.timing import median_ms
from domain.debts import ContactChannel, ContactEntry, Debt, DebtKind, Method, Payment, RateUnit
from domain.overdue import OverdueRules, add_months, overdue_report
from resources.rules import escalation_rules, legal_rules, lpr_table, overdue_terms

RUNS = 20


@dataclass(frozen=True)
class _Row:
    due_date: date
    principal: Decimal
    interest: Decimal
    fee: Decimal = Decimal("0")


def _case(payments: int, contacts: int):
    since = date(2024, 11, 15)
    debt = Debt(
        name="loan",
        lender="bank",
        kind=DebtKind.BANK_LOAN,
        principal=Decimal("360000"),
        start_date=date(2024, 10, 15),
        method=Method.EQUAL_INSTALLMENT,
        months=36,
        rate=Decimal("6"),
        rate_unit=RateUnit.YEAR,
        due_day=15,
        grace_days=3,
        overdue_since=since,
        id=1,
    )
    rows = [_Row(add_months(since, k), Decimal("10000"), Decimal("950")) for k in range(36)]
    pays = [
        Payment(debt_id=1, date=since + timedelta(days=7 * k + 3), amount=Decimal("300"))
        for k in range(payments)
    ]
    logged = [
        ContactEntry(
            when=datetime(2025, 1, 1, 9) + timedelta(hours=9 * k),
            channel=ContactChannel.PHONE,
            who="collector",
            debt_id=1,
        )
        for k in range(contacts)
    ]
    return debt, rows, pays, logged


def run() -> list[dict]:
    rules = OverdueRules(overdue_terms()[DebtKind.BANK_LOAN], legal_rules(), lpr_table(), escalation_rules())
    as_of = date(2026, 11, 23)
    out = []
    for label, payments, contacts in (
        ("report, 0 payments", 0, 0),
        ("report, 100 payments + 200 contacts", 100, 200),
    ):
        debt, rows, pays, logged = _case(payments, contacts)
        ms = median_ms(
            lambda d=debt, r=rows, p=pays, c=logged: overdue_report(d, p, c, as_of, rules=rules, rows=r),
            RUNS,
        )
        out.append(
            {
                "name": f"overdue {label}",
                "median_ms": ms,
                "runs": RUNS,
                "note": "36 instalments, 2 years in arrears",
            }
        )
    return out


if __name__ == "__main__":
    for row in run():
        print(row)
