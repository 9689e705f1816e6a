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

if TYPE_CHECKING:
    from services.app import Services

log = logging.getLogger(__name__)
ZERO = Decimal("0")
OPEN_STATUSES = (DebtStatus.ACTIVE, DebtStatus.OVERDUE, DebtStatus.NEGOTIATING)


@dataclass(frozen=True)
class DebtRow:
    """One debt with today's figures, as the debt list shows it."""

    debt: Debt
    balance: Decimal | None
    days_overdue: int

    @property
    def is_open(self) -> bool:
        return self.debt.status in OPEN_STATUSES


@dataclass(frozen=True)
class OverdueItem:
    debt: Debt
    days_overdue: int
    total_due: Decimal | None
    cost_per_day: Decimal | None
    next_step: str | None  # already translated
    next_step_date: date | None
    limitation_ends: date | None


@dataclass(frozen=True)
class Overview:
    as_of: date
    debt_count: int
    total_owed: Decimal
    per_lender: list[tuple[str, Decimal]]
    due_7: Decimal | None
    due_30: Decimal | None
    dues: list[tuple[date, Debt, Decimal]] = field(default_factory=list)
    overdue: list[OverdueItem] = field(default_factory=list)
    overdue_cost_per_day: Decimal | None = None


def debt_rows(services: Services, as_of: date, include_archived: bool = True) -> list[DebtRow]:
    rows = []
    for debt in services.list_debts(include_archived=include_archived):
        assert debt.id is not None
        summary: Any = services.debt_summary(debt.id, as_of)
        rows.append(DebtRow(debt, getattr(summary, "balance", None), int(getattr(summary, "days_overdue", 0) or 0)))
    return rows


def upcoming_dues(debt: Debt, as_of: date, days: int) -> list[tuple[date, Decimal]] | None:
    """Instalments of ``debt`` due after ``as_of`` and within ``days``; None when no schedule engine."""
    try:
        from domain.schedules import schedule_for
    except ImportError:
        return None
    schedule: Any = schedule_for(debt)
    rows = getattr(schedule, "rows", schedule)
    end = as_of + timedelta(days=days)
    return [(r.due_date, r.payment) for r in rows if as_of < r.due_date <= end]


def overdue_item(services: Services, row: DebtRow, as_of: date) -> OverdueItem:
    report: Any = None
    try:
        from services import overdue as overdue_service

        assert row.debt.id is not None
        report = overdue_service.report(services, row.debt.id, as_of)
    except ImportError:
        report = None
    if report is None:
        return OverdueItem(row.debt, row.days_overdue, row.balance, None, None, None, None)
    next_step = next((e for e in getattr(report, "events", ()) if getattr(e, "date", as_of) > as_of), None)
    return OverdueItem(
        debt=row.debt,
        days_overdue=row.days_overdue,
        total_due=getattr(report, "total_due", None),
        cost_per_day=getattr(report, "cost_per_day", None),
        next_step=getattr(next_step, "text", None) if next_step else None,
        next_step_date=getattr(next_step, "date", None) if next_step else None,
        limitation_ends=getattr(report, "limitation_ends", None),
    )


def overview(services: Services, as_of: date) -> Overview:
    rows = [r for r in debt_rows(services, as_of, include_archived=False) if r.is_open]
    total = sum((r.balance or ZERO for r in rows), ZERO)
    lenders: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for r in rows:
        lenders[r.debt.lender] += r.balance or ZERO
    per_lender = sorted(lenders.items(), key=lambda kv: (-kv[1], kv[0]))

    dues: list[tuple[date, Debt, Decimal]] | None = []
    for r in rows:
        if r.days_overdue > 0:
            continue
        found = upcoming_dues(r.debt, as_of, 30)
        if found is None:
            dues = None
            break
        dues.extend((d, r.debt, amount) for d, amount in found)
    due_7 = due_30 = None
    if dues is not None:
        dues.sort(key=lambda t: (t[0], t[1].name))
        due_7 = sum((a for d, _, a in dues if d <= as_of + timedelta(days=7)), ZERO)
        due_30 = sum((a for _, _, a in dues), ZERO)

    overdue = [overdue_item(services, r, as_of) for r in rows if r.days_overdue > 0]
    overdue.sort(key=lambda o: -o.days_overdue)
    costs = [o.cost_per_day for o in overdue]
    cost_per_day = sum((c for c in costs if c is not None), ZERO) if overdue and None not in costs else None
    return Overview(as_of, len(rows), total, per_lender, due_7, due_30, dues or [], overdue, cost_per_day)


def amount_due(services: Services, debt: Debt, as_of: date) -> Decimal | None:
    """What to pre-fill when the person records a payment: arrears first, else the next instalment."""
    assert debt.id is not None
    summary: Any = services.debt_summary(debt.id, as_of)
    for name in ("amount_due", "due_now", "next_payment"):
        value = getattr(summary, name, None)
        if isinstance(value, Decimal) and value > 0:
            return value
    if int(getattr(summary, "days_overdue", 0) or 0) > 0:
        item = overdue_item(services, DebtRow(debt, getattr(summary, "balance", None), 1), as_of)
        if item.total_due:
            return item.total_due
    upcoming = upcoming_dues(debt, as_of - timedelta(days=1), 62)
    if upcoming:
        return upcoming[0][1]
    return None


def affordable_per_month(services: Services) -> Decimal | None:
    """Income minus essential expenses, when the person has entered a budget; None otherwise."""
    budget = services.get_budget()
    if budget.income <= 0:
        return None
    try:
        from domain import negotiation

        fn: Any = getattr(negotiation, "affordable_amount", None)
        if fn is not None:
            return fn(budget)  # type: ignore[no-any-return]
    except ImportError:
        pass
    return max(budget.income - budget.essential_total, ZERO)


def proposal_per_lender(services: Services, as_of: date, monthly: Decimal) -> list[tuple[str, Decimal, Decimal]]:
    """Split ``monthly`` across lenders in proportion to what each is owed: (lender, owed, offer).

    Each share is rounded half-up to the fen; the largest lender absorbs the residue so the
    offers add up to exactly ``monthly``.
    """
    from domain.money import round_fen

    owed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for r in debt_rows(services, as_of, include_archived=False):
        if r.is_open and r.balance:
            owed[r.debt.lender] += r.balance
    total = sum(owed.values(), ZERO)
    if total <= 0 or monthly <= 0:
        return [(lender, amount, ZERO) for lender, amount in owed.items()]
    try:
        from domain import negotiation

        split: Any = getattr(negotiation, "pro_rata_split", None)
    except ImportError:
        split = None
    ordered = sorted(owed.items(), key=lambda kv: (-kv[1], kv[0]))
    if split is not None:
        shares = split(monthly, [amount for _lender, amount in ordered])
        return [(lender, amount, share) for (lender, amount), share in zip(ordered, shares, strict=True)]
    offers = [round_fen(monthly * amount / total) for _lender, amount in ordered]
    offers[0] += monthly - sum(offers, ZERO)
    return [(lender, amount, offer) for (lender, amount), offer in zip(ordered, offers, strict=True)]
