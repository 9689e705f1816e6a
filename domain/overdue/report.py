"""The whole overdue report of one debt on one day: charges, timeline, legal checks, limitation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from domain.debts import N_, ContactEntry, Debt, DebtKind, Payment
from domain.money import ZERO, round_fen
from domain.overdue.charges import arrears, charges_on, project
from domain.overdue.escalation import card_overdrawn_principal, stage_for, timeline
from domain.overdue.legal import legal_checks
from domain.overdue.limitation import last_due_date, limitation
from domain.overdue.types import ArrearsRowLike, OverdueReport, OverdueRules, RuleUse

# --- the whole report ------------------------------------------------------------------------


def overdue_report(
    debt: Debt,
    payments: Sequence[Payment],
    contacts: Sequence[ContactEntry],
    as_of: date,
    *,
    rules: OverdueRules,
    rows: Sequence[ArrearsRowLike] | None = None,
    horizon_days: Sequence[int] = (30, 60, 90),
    other_cards: Sequence[tuple[Debt, Sequence[Payment]]] = (),
) -> OverdueReport:
    """Everything the overdue page, the ``overdue`` command and the letters show for one debt.

    ``other_cards``: the person's other credit cards with their payments; for a card, the criminal
    threshold is judged on the unpaid principal of all cards together.
    """
    instalments, arrears_rule = arrears(debt, rows, as_of)
    paid = [p for p in payments if p.date <= as_of]
    now = charges_on(debt, instalments, paid, as_of, rules)
    esc = rules.escalation
    stage = stage_for(now.days_overdue, esc.report_bucket_days, esc.report_max_code)
    if debt.kind is DebtKind.CREDIT_CARD:
        own = card_overdrawn_principal(debt, paid, as_of)
        total = own + sum(
            (
                card_overdrawn_principal(card, card_paid, as_of)
                for card, card_paid in other_cards
                if card.id is None or card.id != debt.id
            ),
            start=ZERO,
        )
        events = timeline(debt, now.days_overdue, own, as_of, rules, cards_total=total)
    else:
        events = timeline(debt, now.days_overdue, now.overdue_principal, as_of, rules)
    projection = project(
        debt, instalments, paid, as_of, [as_of + timedelta(days=d) for d in horizon_days], rules=rules
    )
    used = [arrears_rule, *now.rules_used]
    lpr_day = max(debt.start_date, debt.overdue_since or debt.start_date, as_of)
    if lpr_day > rules.lpr.confirmed_through:
        used.append(
            RuleUse(
                "lpr",
                N_(
                    "The LPR table is confirmed up to {date}; later announcements may differ. Check the "
                    "latest one-year LPR and correct the table if it changed."
                ),
                {"date": rules.lpr.confirmed_through.isoformat()},
                rules.lpr.cited,
            )
        )
    return OverdueReport(
        debt_id=debt.id,
        kind=debt.kind,
        as_of=as_of,
        days_overdue=now.days_overdue,
        in_grace=now.in_grace,
        grace_days=debt.grace_days,
        stage=stage,
        overdue_principal=now.overdue_principal,
        overdue_interest=now.overdue_interest,
        penalty_interest=now.penalty_interest,
        late_fees=now.late_fees,
        total_due=now.total_due,
        events=events,
        limitation=limitation(debt, payments, contacts, as_of, rules=rules, rows=rows),
        legal_checks=legal_checks(debt, now, as_of, rules, last_due_date(debt, rows), rows=rows),
        projection=projection,
        rules_used=tuple(used),
    )


def cost_per_day(report: OverdueReport, as_of: date) -> Decimal | None:
    """What each further day of arrears adds: the penalty interest and late fees accruing on the
    arrears of ``as_of``, averaged over the report's first projected period and rounded half up
    to the fen; never instalments that have yet to fall due. None without a projection."""
    if not report.projection:
        return None
    first = report.projection[0]
    days = (first.on - as_of).days
    if days <= 0:
        return None
    now = report.penalty_interest + report.late_fees
    accrued = first.penalty_interest + first.late_fees - now
    return round_fen(max(accrued, ZERO) / days)
