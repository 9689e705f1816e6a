"""Where the person stands today: the figures the overview and the debt list show.

Each function reads through the ``Services`` facade and the engine and returns
plain values; the window only formats them. Parts of the engine that are not in
this build leave their figures out (``None``) instead of guessing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from domain.debts import Debt, DebtStatus
from domain.money import ZERO

if TYPE_CHECKING:
    from services.app import Services

log = logging.getLogger(__name__)
OPEN_STATUSES = (DebtStatus.ACTIVE, DebtStatus.OVERDUE, DebtStatus.NEGOTIATING)
COINCIDE_SHARE = Decimal("0.01")  # lines closer than this share of the chart's height look like one


@dataclass(frozen=True)
class OverviewDebt:
    """One debt with today's figures, as the debt list shows it."""

    debt: Debt
    balance: Decimal | None
    days_overdue: int
    derived: DebtStatus | None = None  # the derived status (domain.status), as every page shows it

    @property
    def status(self) -> DebtStatus:
        """The status to show: derived from the figures, the same as the command line's."""
        return self.debt.status if self.derived is None else self.derived

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class OverdueItem:
    debt: Debt
    days_overdue: int
    total_due: Decimal | None
    cost_per_day: Decimal | None
    next_step: str | None  # already translated: the most serious step still ahead
    next_step_date: date | None  # None when the step depends on the lender's choice (never dated)
    limitation_ends: date | None
    next_step_when: str | None = None  # already translated: "possible from about day 91"
    next_step_kind: str | None = None  # the step's kind (lawsuit, credit_report ...), for a way into help


@dataclass(frozen=True)
class Overview:
    as_of: date
    debt_count: int
    total_owed: Decimal
    per_lender: list[tuple[str, Decimal]]
    due_7: Decimal | None
    due_30: Decimal | None
    dues: list[Any] = field(default_factory=list)  # services.reminders' Due values
    overdue: list[OverdueItem] = field(default_factory=list)
    overdue_cost_per_day: Decimal | None = None


def debt_rows(services: Services, as_of: date, include_archived: bool = True) -> list[OverviewDebt]:
    """Every debt with its balance and days overdue on ``as_of`` (one read)."""
    return rows_of(services.list_summaries(as_of, include_archived=include_archived))


def rows_of(summaries: Any) -> list[OverviewDebt]:
    return [OverviewDebt(s.debt, s.balance, int(s.days_overdue), s.status) for s in summaries]


def overdue_item(services: Services, row: OverviewDebt, as_of: date) -> OverdueItem:
    """An overdue debt's total due, what each further day adds, its next step and limitation date."""
    from domain.overdue import cost_per_day
    from services import overdue as overdue_service

    assert row.debt.id is not None
    report = overdue_service.build_report(services, row.debt.id, as_of)
    # The most serious step still ahead (by its severity in the rules), not merely the nearest.
    next_event = overdue_service.next_step(report)
    return OverdueItem(
        debt=row.debt,
        days_overdue=report.days_overdue,
        total_due=report.total_due,
        cost_per_day=cost_per_day(report, as_of),
        next_step=overdue_service.event_text(next_event) if next_event else None,
        next_step_date=overdue_service.event_date(next_event) if next_event else None,
        limitation_ends=report.limitation.ends,
        next_step_when=overdue_service.event_when(next_event) if next_event else None,
        next_step_kind=next_event.kind if next_event else None,
    )


def coming_dues(services: Services, as_of: date, days: int, debts: Any = None) -> list[Any]:
    """Instalments falling due within ``days`` (the reminder service's dues, so every view agrees).
    Arrears are left out: the overdue figures show them. ``debts``: the open debts, when read."""
    from services.reminders import dues_within

    dues = [d for d in dues_within(services, as_of, days, debts) if not d.overdue]
    return sorted(dues, key=lambda d: (d.due_date, d.name))


def overview(services: Services, as_of: date) -> Overview:
    from services.reminders import open_of

    summaries = services.list_summaries(as_of, include_archived=False)  # read once for both
    rows = [r for r in rows_of(summaries) if r.is_open]
    total = sum((r.balance or ZERO for r in rows), ZERO)
    lenders: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for r in rows:
        lenders[r.debt.lender] += r.balance or ZERO
    per_lender = sorted(lenders.items(), key=lambda kv: (-kv[1], kv[0]))

    dues = coming_dues(services, as_of, 30, open_of(summaries))
    due_7 = due_30 = None
    if dues is not None:
        due_7 = sum((d.amount for d in dues if d.due_date <= as_of + timedelta(days=7)), ZERO)
        due_30 = sum((d.amount for d in dues), ZERO)

    overdue = [overdue_item(services, r, as_of) for r in rows if r.days_overdue > 0]
    overdue.sort(key=lambda o: -o.days_overdue)
    costs = [o.cost_per_day for o in overdue]
    cost_per_day = sum((c for c in costs if c is not None), ZERO) if overdue and None not in costs else None
    return Overview(as_of, len(rows), total, per_lender, due_7, due_30, dues or [], overdue, cost_per_day)


def amount_due(services: Services, debt: Debt, as_of: date) -> Decimal | None:
    """What to pre-fill when the person records a payment: the arrears, else the next instalment."""
    assert debt.id is not None
    summary = services.debt_summary(debt.id, as_of)
    if summary.days_overdue > 0:
        row = OverviewDebt(debt, summary.balance, summary.days_overdue, summary.status)
        item = overdue_item(services, row, as_of)
        if item.total_due:
            return item.total_due
    upcoming = [d for d in coming_dues(services, as_of, 62) or [] if d.debt_id == debt.id]
    return upcoming[0].amount if upcoming else None


def affordable_per_month(services: Services) -> Decimal | None:
    """The one monthly figure for debts (``services.planning.debt_budget``): what the person chose on
    the plan or budget page, else what income leaves after essential expenses; None until either."""
    from services.planning import debt_budget

    return debt_budget(services).amount


@dataclass(frozen=True)
class PlanComparison:
    """Each strategy's plan for one budget, with what it costs, or the reason there is none.

    ``rows`` are (strategy, plan, interest and fees) in the order asked for; ``best`` is the
    cheapest strategy that ends (not the minimum-only baseline).
    """

    budget: Decimal
    rows: list[tuple[str, Any, Decimal]]
    best: str | None
    saved_against_minimums: Decimal | None  # None when paying the minimums never ends: no fair comparison
    notes: list[str]
    error: str | None = None
    minimums_end: bool = True  # paying only the minimums clears the debts at some point
    nothing_owed: bool = False  # no open debt with a balance: there is nothing to plan

    def same_as(self) -> dict[str, str]:
        """Strategies whose balance line lies on an earlier one's: {later: earlier}.

        Lines coincide on a chart when they have as many months and never differ by more than
        ``COINCIDE_SHARE`` of the largest balance shown (a pixel or two): they are told apart by name.
        """
        lines = [(key, [m.remaining for m in plan.months_detail]) for key, plan, _cost in self.rows]
        top = max((max(line, default=ZERO) for _key, line in lines), default=ZERO)
        out: dict[str, str] = {}
        for i, (key, line) in enumerate(lines):
            for earlier, other in lines[:i]:
                if (
                    earlier not in out
                    and len(other) == len(line)
                    and all(abs(a - b) <= top * COINCIDE_SHARE for a, b in zip(line, other, strict=True))
                ):
                    out[key] = earlier
                    break
        return out

    def finishing_months(self) -> int | None:
        """The longest plan that ends, in months (the time a chart of them needs); None if none ends."""
        ending = [plan.months for _key, plan, _cost in self.rows if plan.ends]
        return max(ending) if ending else None


def compare_plans(
    services: Services, budget: Decimal, as_of: date, strategies: tuple[str, ...]
) -> PlanComparison:
    """Every strategy's plan for ``budget`` (the engine's), costed for a side-by-side view."""
    from services import planning
    from services.errors import UserError

    try:
        plans, comparisons = planning.compare_strategies(services, budget, as_of)
    except UserError as exc:
        return PlanComparison(budget, [], None, None, [], exc.message)
    by_key = {s.value: p for s, p in plans.items()}
    rows = [
        (k, by_key[k], by_key[k].total_interest + by_key[k].total_fees) for k in strategies if k in by_key
    ]
    ending = [r for r in rows if r[0] != "minimum-only" and r[1].ends]
    best = min(ending, key=lambda r: r[2]) if ending else None
    minimums_end = by_key["minimum-only"].ends if "minimum-only" in by_key else True
    # Against a path that never ends, "less interest" compares a whole plan with an arbitrary cut-off.
    saved = (
        next((c.interest_saved for c in comparisons if best and c.strategy.value == best[0]), None)
        if minimums_end
        else None
    )
    notes = planning.plan_notes(best[1]) if best else (planning.plan_notes(rows[0][1]) if rows else [])
    nothing_owed = not any(plan.debts for _key, plan, _cost in rows)
    return PlanComparison(
        budget,
        rows,
        best[0] if best else None,
        saved,
        notes,
        minimums_end=minimums_end,
        nothing_owed=nothing_owed,
    )
