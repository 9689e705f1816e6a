"""How long a payoff plan takes: 50 debts over 360 months, every strategy, and the growth.

Each debt is an instalment loan whose minimum is its own 360-month (等额本息) payment, and
the budget is the sum of the minimums plus 1%: the plan runs close to the full term, the
worst case the window recomputes on every edit. Growth: debts × months over 10/25/50 ×
60/180/360. Prints the median of repeated runs; ``run()`` returns the rows for
benchmarks/run.py. Results are reported, never asserted.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.debts import DebtKind, RateUnit  # noqa: E402
from domain.rates import monthly_fraction  # noqa: E402
from domain.schedules import annuity_payment  # noqa: E402
from domain.strategies import PlanDebt, Strategy, build_plan, parse_triage_rules  # noqa: E402
from resources.rules import read_rules_text  # noqa: E402

AS_OF = date(2026, 11, 23)
KINDS = [
    DebtKind.CREDIT_CARD,
    DebtKind.BANK_LOAN,
    DebtKind.JIEBEI,
    DebtKind.CONSUMER_FINANCE,
    DebtKind.JD_BAITIAO,
    DebtKind.PRIVATE_LOAN,
]
STRATEGIES = [Strategy.AVALANCHE, Strategy.SNOWBALL, Strategy.CUSTOM, Strategy.TRIAGE, Strategy.MINIMUM_ONLY]


def sample_debts(count: int, months: int) -> list[PlanDebt]:
    """``count`` deterministic loans (no randomness: every run sees the same work)."""
    out = []
    for i in range(count):
        balance = Decimal(5000 + (i * 7919) % 95000)
        rate = Decimal(3 + (i * 37) % 21)  # 3%–23% a year
        minimum = annuity_payment(balance, monthly_fraction(rate, RateUnit.YEAR), months)
        out.append(
            PlanDebt(
                i + 1, f"debt {i + 1}", balance, rate, RateUnit.YEAR, minimum, kind=KINDS[i % len(KINDS)]
            )
        )
    return out


def time_plan(debts: list[PlanDebt], strategy: Strategy, runs: int) -> tuple[float, int]:
    triage = parse_triage_rules(read_rules_text("triage.toml"))
    budget = (sum((d.minimum_payment for d in debts), Decimal(0)) * Decimal("1.01")).quantize(Decimal(1))
    order = [d.id for d in reversed(debts)]
    times = []
    months = 0
    for _ in range(runs):
        started = time.perf_counter()
        plan = build_plan(debts, budget, strategy, AS_OF, order=order, triage=triage)
        times.append((time.perf_counter() - started) * 1000)
        months = plan.months
    return statistics.median(times), months


def run(runs: int = 7) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    debts = sample_debts(50, 360)
    for strategy in STRATEGIES:
        median, months = time_plan(debts, strategy, runs)
        rows.append(
            {
                "name": f"plan 50 debts × 360 months, {strategy.value}",
                "median_ms": median,
                "runs": runs,
                "note": f"{months} months simulated",
            }
        )
    base = None
    for count in (10, 25, 50):
        for months in (60, 180, 360):
            median, simulated = time_plan(sample_debts(count, months), Strategy.AVALANCHE, max(3, runs // 2))
            if base is None:
                base = median
            rows.append(
                {
                    "name": f"growth avalanche {count} debts × {months} months",
                    "median_ms": median,
                    "baseline_ms": base,
                    "ratio": median / base,
                    "runs": max(3, runs // 2),
                    "note": f"{simulated} months; "
                    f"{median * 1000 / (count * simulated):.1f} µs per debt-month",
                }
            )
    return rows


def main() -> int:
    for row in run():
        ratio = f"  ×{row['ratio']:.1f}" if "ratio" in row else ""
        print(f"{row['name']:<48} {row['median_ms']:8.1f} ms{ratio}  ({row['note']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
