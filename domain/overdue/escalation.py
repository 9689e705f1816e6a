"""The escalation timeline: reminders, credit report, risk class, collection, lawsuit, enforcement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from domain.debts import N_, Debt, DebtKind, Payment
from domain.money import ZERO
from domain.overdue._common import _money, next_due_date
from domain.overdue.types import COMING, CURRENT, PAST, Event, OverdueRules
from domain.rules import Cited, Rule, Step

# --- stage and timeline ------------------------------------------------------------


def stage_for(days_overdue: int, bucket_days: int = 30, max_code: int = 7) -> str:
    """M0 current; M1 1-30 days; ... M7 over 180 (the credit report's 30-day buckets)."""
    if days_overdue <= 0:
        return "M0"
    return f"M{min(max_code, -(-days_overdue // bucket_days))}"


def _status(days: int, first: int, last: int | None) -> str:
    if days < first:
        return COMING
    if last is None or days <= last:
        return CURRENT
    return PAST


def card_overdrawn_principal(debt: Debt, payments: Iterable[Payment], as_of: date) -> Decimal:
    """The overdrawn principal of a card still unpaid on ``as_of``, the base of the criminal threshold.

    法释〔2018〕19号 Art. 9: the amount is the principal actually overdrawn and still unpaid (not
    interest, compound interest, late fees or charges), and money repaid counts as repaying
    principal. So every payment from the first missed due date on counts in full against the
    principal; earlier payments count with the principal part they were booked with.
    """
    if debt.kind is not DebtKind.CREDIT_CARD:
        return ZERO
    start = debt.principal
    counted_from: date | None = None
    outstanding = getattr(debt, "outstanding_principal", None)
    if outstanding is not None:
        start = outstanding
        counted_from = getattr(debt, "outstanding_as_of", None)
    repaid = ZERO
    for payment in payments:
        if payment.date > as_of or (counted_from is not None and payment.date <= counted_from):
            continue
        if debt.overdue_since is not None and payment.date >= debt.overdue_since:
            repaid += payment.amount
        else:
            repaid += payment.principal
    return max(ZERO, start - repaid)


def timeline(
    debt: Debt,
    days_overdue: int,
    overdue_principal: Decimal,
    as_of: date,
    rules: OverdueRules,
    *,
    cards_total: Decimal | None = None,
) -> tuple[Event, ...]:
    """The escalation steps for this debt's kind, dated from its first missed due date.

    A debt that is not overdue gets the same steps dated from its next due date, all coming.
    For a card, ``overdue_principal`` is its overdrawn principal still unpaid
    (``card_overdrawn_principal``) and ``cards_total`` that of all the person's cards together.
    """
    esc, terms = rules.escalation, rules.terms
    base = debt.overdue_since or next_due_date(as_of, debt.due_day)
    events: list[Event] = []

    def add(
        step: Step,
        first: int,
        last: int | None,
        *,
        params: Mapping[str, str] | None = None,
        text: str | None = None,
        cited: Cited | None = None,
        applies: bool = True,
    ) -> None:
        events.append(
            Event(
                key=step.key,
                kind=step.kind,
                day=first,
                day_to=last,
                on=base + timedelta(days=first),
                on_to=base + timedelta(days=last) if last is not None else None,
                text=text or step.text,
                params=dict(params or {}),
                cited=cited or step.cited,
                commonly=step.commonly,
                # A step that needs a judgment is never dated as if it happened: it stays coming.
                status=COMING if step.after_judgment else _status(days_overdue, first, last),
                applies=applies,
                severity=step.severity,
                possible=step.possible,
                needs_judgment=step.after_judgment,
            )
        )

    for step in esc.steps:
        if not step.applies(debt.kind):
            continue
        if step.day == "grace":
            if debt.grace_days > 0:
                add(step, debt.grace_days, debt.grace_days)
        elif step.day == "report":
            if terms.report_day_max > 0:
                add(
                    step,
                    terms.report_day_min,
                    terms.report_day_max,
                    params={"typical": str(terms.report_day_typical)},
                )
        else:
            first = int(step.day)
            add(step, first, None if step.open_ended else (step.day_to if step.day_to is not None else first))
    if terms.report_day_max > 0:
        bucket = esc.report_bucket_days
        code_step = Step(
            "report_code",
            frozenset({"all"}),
            0,
            None,
            False,
            "report_code",
            "",
            True,
            esc.report_cited,
            severity=esc.report_severity,
        )
        for code in range(1, esc.report_max_code + 1):
            first = (code - 1) * bucket + 1
            last = None if code == esc.report_max_code else code * bucket
            text = (
                N_("If reported, each monthly record shows {code}: {first}–{last} days overdue.")
                if last is not None
                else N_("If reported, each monthly record shows {code}: more than {over} days overdue.")
            )
            add(
                code_step,
                first,
                last,
                params={"code": str(code), "first": str(first), "last": str(last), "over": str(first - 1)},
                text=text,
            )
    for risk in esc.risk_classes:
        if risk.applies(debt.kind):
            add(risk, int(risk.day), None if risk.open_ended else risk.day_to, params={"name": risk.name})
    crime = esc.criminal
    if debt.kind.value in crime.params.get("kinds", []):
        total = overdue_principal if cards_total is None else max(cards_total, overdue_principal)
        events.append(_criminal_event(crime, base, days_overdue, overdue_principal, total))
    events.sort(key=lambda e: (e.day, e.day_to if e.day_to is not None else 10**6, e.key))
    stage = current_stage(events)
    return tuple(replace(e, stage=True) if e is stage else e for e in events)


def current_stage(events: Sequence[Event]) -> Event | None:
    """The one step that says where the debt stands today, or None when nothing is under way.

    Several steps can be under way at once (a report code, a risk class, letters that may
    come, a suit that may be filed); only one is the stage. It is the credit report's code for
    today's 30-day bucket when the debt's kind is reported; else the latest-starting step under
    way that does not depend on the lender's choice.
    """
    now = [e for e in events if e.status == CURRENT and e.applies and not e.possible]
    codes = [e for e in now if e.kind == "report_code"]
    chosen = codes or now
    return max(chosen, key=lambda e: (e.day, -e.severity)) if chosen else None


def next_serious(events: Sequence[Event]) -> Event | None:
    """The most serious step still ahead or open now, the earliest of equals; None when none is.

    Picked by severity (escalation.toml), not by date alone: a suit that may come in two months
    matters more than the next credit-report code. Steps that need a judgment are left out: the
    suit comes first, and the program cannot know of a judgment.
    """
    ahead = [
        e
        for e in events
        if e.applies
        and not e.needs_judgment
        and e.severity > 0
        and (e.status == COMING or (e.status == CURRENT and (e.possible or not e.stage)))
    ]
    if not ahead:
        return None
    return min(ahead, key=lambda e: (-e.severity, e.day, e.key))


def _criminal_event(crime: Rule, base: date, days_overdue: int, principal: Decimal, total: Decimal) -> Event:
    threshold = crime.decimal("principal_threshold")
    # The earliest day: a first collection on day 1, a second one gap_days later, then months_after.
    first = 1 + crime.integer("collection_gap_days") + 30 * crime.integer("months_after")
    reached = total >= threshold
    text = (
        N_(
            "Unpaid overdrawn card principal: {principal} on this card, {total} on all your cards together "
            "(in practice courts add them up). That is at or above {threshold}, the amount for malicious "
            "overdraft (恶意透支). It is a crime only with intent to take the money illegally and no "
            "repayment more than 3 months after two effective collections (有效催收). A collection is "
            "effective when it "
            "comes after the card passed its limit or due date, in a way that shows you received it "
            "(unless you evaded it), at least 30 days after the other one, and as the rules or the "
            "contract allow. Repaying in full before prosecution guarantees nothing: the prosecutor may "
            "decline to prosecute (可以不起诉)."
        )
        if reached
        else N_(
            "Unpaid overdrawn card principal: {principal} on this card, {total} on all your cards together "
            "(in practice courts add them up). That is below {threshold}, the amount for malicious overdraft "
            "(恶意透支): interest, compound interest, late fees and charges do not count, and every "
            "repayment counts against the principal. Above it, two effective collections (有效催收) "
            "at least 30 days apart "
            "and 3 months without repayment can make it a crime."
        )
    )
    return Event(
        "criminal_threshold",
        "criminal_threshold",
        first,
        None,
        base + timedelta(days=first),
        None,
        text,
        {"principal": _money(principal), "total": _money(total), "threshold": _money(threshold)},
        crime.cited,
        False,
        _status(days_overdue, first, None) if reached else COMING,
        applies=reached,
        severity=int(crime.params.get("severity", 0)),
        possible=bool(crime.params.get("possible", False)),
    )
