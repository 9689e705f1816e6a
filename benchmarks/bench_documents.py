"""How long a letter and a big plan report take to make (medians; reported, never asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.timing import median_ms

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _engine_report(debts: int = 50, months: int = 60):
    """A real plan from the engine: ``debts`` debts a budget clears in about ``months`` months."""
    from datetime import date
    from decimal import Decimal

    from domain.debts import Debt, DebtKind, Method, RateUnit
    from domain.strategies import PlanDebt, all_plans
    from services.letters import plan_report_from_plans
    from services.planning import triage_rules

    start = date(2026, 11, 23)
    plan_debts, stored = [], []
    for i in range(1, debts + 1):
        balance = Decimal(2000 + 150 * i)
        rate = Decimal(6 + i % 18)
        plan_debts.append(
            PlanDebt(
                id=i,
                name=f"Debt {i}",
                balance=balance,
                rate=rate,
                rate_unit=RateUnit.YEAR,
                minimum_payment=(balance / 60).quantize(Decimal("0.01")),
            )
        )
        stored.append(
            Debt(
                name=f"Debt {i}",
                lender=f"Lender {i}",
                kind=DebtKind.BANK_LOAN,
                principal=balance,
                start_date=date(2026, 1, 1),
                method=Method.EQUAL_INSTALLMENT,
                months=60,
                rate=rate,
                id=i,
            )
        )
    total = sum((d.balance for d in plan_debts), Decimal(0))
    budget = (total / months * Decimal("1.4")).quantize(Decimal("1"))
    plans = all_plans(plan_debts, budget, start, triage=triage_rules())
    return plan_report_from_plans(
        plans,
        "avalanche",
        stored,
        {d.id: d.balance for d in plan_debts},
        budget=budget,
        income=budget * 2,
        expenses=budget,
        person="Li Ming",
        lang="zh_CN",
        as_of=start,
    )


def run() -> list[dict]:
    from documents.letter_data import letter_input
    from documents.letters import compose_letter, render_letter
    from documents.plan_report import render_plan_report
    from tests.documents import samples

    facts = samples.facts()
    big = samples.plan_report("zh_CN", debts=50, months=60)
    engine_report = _engine_report()
    return [
        {
            "name": "letter: negotiation zh_CN (compose + PDF)",
            "median_ms": median_ms(
                lambda: render_letter(compose_letter(letter_input("negotiation", "zh_CN", facts))),
                15,
                warm_up=True,
            ),
        },
        {
            "name": "letter: proposal en_US, 50-row schedule",
            "median_ms": median_ms(
                lambda: render_letter(compose_letter(letter_input("proposal", "en_US", facts))),
                15,
                warm_up=True,
            ),
        },
        {
            "name": "plan report: 50 debts x 60 months (PDF only)",
            "median_ms": median_ms(lambda: render_plan_report(big), 5, warm_up=True),
        },
        {
            "name": f"plan report: engine plans, 50 debts, {engine_report.chosen.months} months (PDF only)",
            "median_ms": median_ms(lambda: render_plan_report(engine_report), 5, warm_up=True),
        },
        {
            "name": "plan report: 50 debts, every strategy + PDF",
            "median_ms": median_ms(lambda: render_plan_report(_engine_report()), 3, warm_up=True),
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']:<50} {row['median_ms']:10.1f} ms")
