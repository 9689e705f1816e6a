"""The guide: the person's questions answered for their own debts, and what to do next.

From each debt's derived facts (its standing, balance, days overdue and the overdue engine's
report: timeline, legal checks, limitation period, and the collection checks of its contact
log) ``build_guide`` makes

* the situation: a few plain sentences — how many debts, which are overdue and how long, civil
  or possibly criminal, and the next thing likely to happen, as the typical range the timeline
  gives (a lender's choice is never given a date);
* the answers, per topic (``TOPICS``), filled with the person's own lenders, amounts and dates,
  each marked ``law``, ``typical`` or ``depends`` with its public sources;
* the steps for this week and this month, each with why and its source.

Every text is data (resources/rules/guide.toml: an English msgid with its certainty and
sources, translated where shown); figures come from the other rules (the card threshold,
contact hours, the 24% line) through the overdue report and the rules handed in. An answer
made of several texts takes the least certain of them (law < typical < depends).

Borrowing to repay (以贷养贷) is costed with ``domain.schedules``: an equal-instalment loan of
what is overdue now at the assumed rate and term of guide.toml.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from domain.collection import ContactCheck
from domain.debts import Debt, DebtKind, RateUnit
from domain.guide_rules import (
    CERTAINTIES,
    OPEN_STANDINGS,
    PRODUCT_KINDS,
    THIRD_PARTY_RULES,
    TOPICS,
    WHEN,
    GuideRules,
    GuideStepRule,
    GuideText,
    parse_guide,
)
from domain.money import ZERO, D, round_fen
from domain.overdue.types import COMING, CURRENT, Event, OverdueReport
from domain.repayment_rules import TermLimit
from domain.rules import (
    Cited,
    ContactRule,
    Escalation,
    LegalRules,
    Source,
)
from domain.schedules import equal_installment_schedule

# --- values ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Percent:
    """A rate in percent, shown as "24.00%"."""

    value: Decimal


@dataclass(frozen=True, slots=True)
class Line:
    """A sentence to show: an English msgid and its parameters.

    Parameters are Decimal (money), ``Percent``, ``date``, int, str, a tuple of str (a list of
    names) or another ``Line``. ``engine``: the msgid and its string parameters come from the
    overdue engine (formatted as its report is).
    """

    text: str
    params: Mapping[str, object] = field(default_factory=dict)
    engine: bool = False


@dataclass(frozen=True, slots=True)
class DebtFacts:
    """One debt as the guide sees it: its derived standing and the overdue engine's findings."""

    debt: Debt
    standing: str  # current | overdue | settled | archived (domain.status.Standing)
    balance: Decimal
    report: OverdueReport
    contact_checks: tuple[ContactCheck, ...] = ()

    @property
    def id(self) -> int:
        return self.debt.id or 0

    @property
    def days_overdue(self) -> int:
        return self.report.days_overdue if self.standing == "overdue" else 0


@dataclass(frozen=True, slots=True)
class OtherRules:
    """The rules of other files the guide reads figures from."""

    escalation: Escalation
    legal: LegalRules
    collection: Mapping[str, ContactRule]
    card_plan: TermLimit


@dataclass(frozen=True, slots=True)
class Answer:
    topic: str
    question: str  # msgid
    lines: tuple[Line, ...]
    certainty: str
    sources: tuple[Source, ...]
    debt_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class GuideStep:
    order: int
    key: str
    when: str
    action: Line
    why: Line
    certainty: str
    sources: tuple[Source, ...]
    done: bool


@dataclass(frozen=True, slots=True)
class Guide:
    as_of: date
    debt_ids: tuple[int, ...]
    situation: tuple[Line, ...]
    answers: tuple[Answer, ...]
    steps: tuple[GuideStep, ...]


# --- building the guide -----------------------------------------------------------------------------


def _least_certain(certainties: Iterable[str]) -> str:
    return max(certainties, key=CERTAINTIES.index, default="law")


class _Builder:
    def __init__(self, rules: GuideRules, debts: Sequence[DebtFacts]) -> None:
        self.rules = rules
        self.all_ids = tuple(d.id for d in debts)
        self.answers: list[Answer] = []

    def line(self, key: str, **params: object) -> tuple[Line, Cited]:
        text = self.rules.texts[key]
        return Line(text.text, params), text.cited

    def add(
        self,
        topic: str,
        parts: Sequence[tuple[Line, Cited | None]],
        debt_ids: Iterable[int] = (),
        question: str | None = None,
    ) -> None:
        """One answer from its parts; ``debt_ids`` empty: it is about every debt in view."""
        if not parts:
            return
        cited = [c for _line, c in parts if c is not None]
        sources: list[Source] = []
        for c in cited:
            sources += [s for s in c.sources if s not in sources]
        ids = tuple(debt_ids) or self.all_ids
        lines = tuple(p for p, _c in parts)
        self.answers.append(
            Answer(
                topic,
                self.rules.questions[question or topic],
                lines,
                _least_certain(c.certainty for c in cited),
                tuple(sources),
                ids,
            )
        )


def _names(debts: Iterable[DebtFacts]) -> tuple[str, ...]:
    return tuple(d.debt.name for d in debts)


def _lenders(debts: Iterable[DebtFacts]) -> tuple[str, ...]:
    out: list[str] = []
    for d in debts:
        if d.debt.lender not in out:
            out.append(d.debt.lender)
    return tuple(out)


def _event(report: OverdueReport, *kinds: str) -> Event | None:
    return next((e for e in report.events if e.kind in kinds and e.applies), None)


def _criminal_event(report: OverdueReport) -> Event | None:
    return next((e for e in report.events if e.kind == "criminal_threshold"), None)


def _borrowing(rules: GuideRules, owed: Decimal, as_of: date) -> dict[str, object]:
    """What borrowing ``owed`` at the assumed rate and term costs: an equal-instalment schedule."""
    rate, months = D(str(rules.fact("new_loan", "rate"))), int(rules.fact("new_loan", "months"))
    schedule = equal_installment_schedule(owed, rate, RateUnit.YEAR, months, as_of)
    return {
        "amount": owed,
        "rate": Percent(rate),
        "months": months,
        "interest": schedule.interest_total,
        "payment": schedule.rows[0].payment,
        "paid": schedule.payment_total,
    }


def _situation(
    b: _Builder, debts: Sequence[DebtFacts], overdue: Sequence[DebtFacts], cards: Sequence[DebtFacts]
) -> list[Line]:
    if not debts:
        return [b.line("situation_empty")[0]]
    lines = [b.line("situation_count", count=len(debts), total=sum((d.balance for d in debts), ZERO))[0]]
    if overdue:
        items = tuple(
            b.line(
                "situation_overdue_item",
                name=d.debt.name,
                lender=d.debt.lender,
                days=d.days_overdue,
                amount=d.report.total_due,
            )[0]
            for d in overdue
        )
        lines.append(b.line("situation_overdue", items=items)[0])
    else:
        lines.append(b.line("situation_none_overdue")[0])
    crime = [e for e in (_criminal_event(c.report) for c in cards) if e is not None]
    if crime:
        worst = max(crime, key=lambda e: D(e.params["total"]))
        key = "situation_card_over" if worst.applies else "situation_card_below"
        lines.append(b.line(key, total=D(worst.params["total"]), threshold=D(worst.params["threshold"]))[0])
    else:
        lines.append(b.line("situation_civil")[0])
    if overdue:
        lines += _next_event(b, overdue[0])
    else:
        days = [
            int(e.params.get("typical", e.day))
            for d in debts
            if (e := _event(d.report, "credit_report")) is not None
        ]
        if days:
            lines.append(b.line("situation_keep_paying", days=min(days))[0])
    return lines


def _next_event(b: _Builder, worst: DebtFacts) -> list[Line]:
    """The most serious step happening now for the most overdue debt, else the next one coming."""
    kinds = b.rules.next_kinds
    events = [
        e for e in worst.report.events if e.kind in kinds and e.applies and e.status in (CURRENT, COMING)
    ]
    now = sorted((e for e in events if e.status == CURRENT), key=lambda e: kinds.index(e.kind))
    coming = sorted((e for e in events if e.status == COMING), key=lambda e: (e.day, kinds.index(e.kind)))
    debt = worst.debt
    what = Line(b.rules.event_words[(now or coming)[0].kind]) if (now or coming) else None
    if now and what is not None:
        e = now[0]
        if e.on_to is None:
            return [b.line("situation_next_open", name=debt.name, lender=debt.lender, what=what)[0]]
        return [
            b.line(
                "situation_next_now",
                name=debt.name,
                lender=debt.lender,
                what=what,
                first=e.day,
                last=e.day_to,
                days=worst.days_overdue,
                until=e.on_to,
            )[0]
        ]
    if coming and what is not None:
        e = coming[0]
        return [
            b.line(
                "situation_next_coming",
                name=debt.name,
                lender=debt.lender,
                what=what,
                first=e.day,
                **{"from": e.on},
            )[0]
        ]
    return []


def _hometown(b: _Builder, debts: Sequence[DebtFacts], overdue: Sequence[DebtFacts]) -> None:
    parts = [b.line("hometown_law")]
    named = overdue or debts
    if named:
        parts.append(b.line("hometown_lenders", lenders=_lenders(named)))
    cards = [d for d in named if d.debt.kind is DebtKind.CREDIT_CARD]
    if cards:
        parts.append(b.line("hometown_card", names=_names(cards)))
    b.add("hometown_visit", parts, [d.id for d in named])
    b.add("hometown_visit", [b.line("hometown_practice")], [d.id for d in named])
    action = [b.line("hometown_action")]
    third = [
        (d, c)
        for d in debts
        for c in d.contact_checks
        if any(v.rule in THIRD_PARTY_RULES for v in c.violations)
    ]
    if third:
        last = max(c.entry.when for _d, c in third).date()
        about = [d for d in debts if any(d is t for t, _c in third)]
        action.append(b.line("hometown_logged", count=len(third), names=_names(about), date=last))
    b.add("hometown_visit", action, [d.id for d in named])


def _lawsuit(
    b: _Builder, debts: Sequence[DebtFacts], overdue: Sequence[DebtFacts], other: OtherRules, days: int
) -> None:
    parts = []
    for d in overdue:
        e = _event(d.report, "lawsuit")
        if e is None:
            continue
        if e.day_to is None:
            parts.append(b.line("lawsuit_private", name=d.debt.name, lender=d.debt.lender))
        else:
            parts.append(
                b.line(
                    "lawsuit_debt",
                    name=d.debt.name,
                    lender=d.debt.lender,
                    days=d.days_overdue,
                    first=e.day,
                    last=e.day_to,
                    **{"from": e.on, "to": e.on_to},
                )
            )
    if not overdue:
        parts.append(b.line("lawsuit_none"))
    b.add("lawsuit", parts, [d.id for d in overdue])
    b.add("lawsuit", [b.line("court_papers", days=days)], question="court_papers")
    line = other.legal.rules["financial_line"].decimal("percent")
    court = [b.line("in_court", line=Percent(line))]
    for d in debts:
        for check in d.report.legal_checks:
            if check.applies and not check.ok and (check.amount is None or check.amount > 0):
                found = Line(check.text, check.params, engine=True)
                text = b.rules.texts["in_court_check"].text
                court.append((Line(text, {"name": d.debt.name, "check": found}), check.cited))
    b.add("lawsuit", court, question="in_court")


def _criminal(b: _Builder, debts: Sequence[DebtFacts], cards: Sequence[DebtFacts], other: OtherRules) -> None:
    for d in cards:
        e = _criminal_event(d.report)
        if e is None:
            continue
        total, threshold = D(e.params["total"]), D(e.params["threshold"])
        key = "criminal_card_over" if e.applies else "criminal_card"
        gap = total - threshold if e.applies else threshold - total
        b.add(
            "criminal",
            [
                b.line(
                    key,
                    name=d.debt.name,
                    lender=d.debt.lender,
                    check=Line(e.text, e.params, engine=True),
                    gap=gap,
                )
            ],
            [d.id],
        )
    civil = [d for d in debts if d.debt.kind is not DebtKind.CREDIT_CARD]
    if civil:
        b.add("criminal", [b.line("criminal_civil", names=_names(civil))], [d.id for d in civil])
    if not debts:
        threshold = other.escalation.criminal.decimal("principal_threshold")
        b.add("criminal", [b.line("criminal_general", threshold=threshold)])


def _credit_report(b: _Builder, debts: Sequence[DebtFacts], rules: GuideRules) -> None:
    parts = []
    for d in debts:
        e = _event(d.report, "credit_report")
        if e is None or d.days_overdue <= 0:
            continue
        typical = int(e.params.get("typical", e.day))
        if d.days_overdue >= typical:
            parts.append(
                b.line(
                    "report_overdue",
                    name=d.debt.name,
                    lender=d.debt.lender,
                    days=d.days_overdue,
                    typical=typical,
                )
            )
        else:
            parts.append(
                b.line(
                    "report_soon",
                    name=d.debt.name,
                    lender=d.debt.lender,
                    days=d.days_overdue,
                    typical=typical,
                    date=e.on + timedelta(days=typical - e.day),
                )
            )
    reported = [d for d in debts if _event(d.report, "credit_report") is not None]
    current = [d for d in reported if d.days_overdue <= 0]
    if current:
        parts.append(b.line("report_current", names=_names(current)))
    private = [d for d in debts if _event(d.report, "credit_report") is None]
    if private:
        parts.append(b.line("report_private", names=_names(private)))
    b.add("credit_report", parts, [d.id for d in debts])
    rights = b.line(
        "report_rights",
        years=int(rules.fact("credit_kept_years")),
        free=int(rules.fact("free_reports")),
        dispute=int(rules.fact("dispute_days")),
    )
    b.add("credit_report", [rights])


def _limitation(b: _Builder, debts: Sequence[DebtFacts], explain: Mapping[int, Sequence[Line]]) -> None:
    parts: list[tuple[Line, Cited | None]] = []
    for d in debts:
        lim = d.report.limitation
        key = "limitation_expired" if lim.expired else "limitation_debt"
        parts.append(b.line(key, name=d.debt.name, ends=lim.ends))
    if not debts:
        parts.append(b.line("limitation_general"))
    # How the period restarts and that it must be raised: the engine's own explanation.
    card = next((d for d in debts if d.report.limitation.card), None)
    sample = card or (debts[0] if debts else None)
    if sample is not None:
        parts += [(line, sample.report.limitation.cited) for line in explain.get(sample.id, ())[1:]]
    b.add("limitation", parts, [d.id for d in debts])


def _collection(b: _Builder, debts: Sequence[DebtFacts], other: OtherRules) -> None:
    quiet, calls = other.collection["quiet_hours"], other.collection["call_limit"]
    b.add("collection_rules", [b.line("collection_law")])
    parts = [
        b.line(
            "collection_guideline",
            start=str(quiet.params["start"]),
            end=str(quiet.params["end"]),
            calls=int(calls.params["max_per_day"]),
        )
    ]
    checks = [(d, c) for d in debts for c in d.contact_checks]
    broken = [(d, c) for d, c in checks if c.violations]
    if broken:
        about = [d for d in debts if any(d is x for x, _c in broken)]
        parts.append(b.line("collection_broken", count=len(broken), names=_names(about)))
    elif checks:
        parts.append(b.line("collection_clean", count=len(checks)))
    else:
        parts.append(b.line("collection_empty"))
    b.add("collection_rules", parts)


def _negotiation(b: _Builder, debts: Sequence[DebtFacts], other: OtherRules) -> None:
    cards = [d for d in debts if d.debt.kind is DebtKind.CREDIT_CARD]
    products = [d for d in debts if d.debt.kind in PRODUCT_KINDS]
    private = [d for d in debts if d.debt.kind is DebtKind.PRIVATE_LOAN]
    if cards:
        b.add(
            "negotiation",
            [b.line("negotiate_card", names=_names(cards), months=other.card_plan.months)],
            [d.id for d in cards],
        )
    if products:
        b.add("negotiation", [b.line("negotiate_product", names=_names(products))], [d.id for d in products])
    if private:
        b.add(
            "negotiation",
            [b.line("negotiate_private", names=_names(private), lenders=_lenders(private))],
            [d.id for d in private],
        )
    b.add("negotiation", [b.line("negotiate_all")])


def build_guide(
    debts: Sequence[DebtFacts],
    as_of: date,
    rules: GuideRules,
    other: OtherRules,
    *,
    done: Iterable[str] = (),
    explain: Mapping[int, Sequence[Line]] | None = None,
) -> Guide:
    """The guide for the debts given (the person's open debts, or the one they asked about).

    ``done``: the keys of the steps the person ticked. ``explain``: per debt id, the limitation
    period's explanation as the engine words it (``limitation_explanation``), as lines.
    """
    open_debts = [d for d in debts if d.standing in OPEN_STANDINGS]
    overdue = sorted((d for d in open_debts if d.days_overdue > 0), key=lambda d: (-d.days_overdue, d.id))
    cards = [d for d in open_debts if d.debt.kind is DebtKind.CREDIT_CARD]
    b = _Builder(rules, open_debts)
    situation = _situation(b, open_debts, overdue, cards)
    days = int(rules.fact("payment_order_days"))
    _hometown(b, open_debts, overdue)
    _lawsuit(b, open_debts, overdue, other, days)
    _criminal(b, open_debts, cards, other)
    _credit_report(b, open_debts, rules)
    _limitation(b, open_debts, explain or {})
    _collection(b, open_debts, other)
    _negotiation(b, open_debts, other)
    if overdue:
        owed, key = sum((d.report.total_due for d in overdue), ZERO), "borrow_overdue"
    else:
        owed, key = sum((d.balance for d in open_debts), ZERO), "borrow_total"
    if owed <= 0:
        owed, key = D(str(rules.fact("new_loan", "example_amount"))), "borrow_example"
    cost = _borrowing(rules, round_fen(owed), as_of)
    b.add("borrowing_to_repay", [b.line(key, **cost), b.line("borrow_pushed")])
    steps = _steps(rules, open_debts, overdue, cost, frozenset(done))
    return Guide(as_of, tuple(d.id for d in debts), tuple(situation), tuple(b.answers), steps)


def _steps(
    rules: GuideRules,
    debts: Sequence[DebtFacts],
    overdue: Sequence[DebtFacts],
    cost: Mapping[str, object],
    done: frozenset[str],
) -> tuple[GuideStep, ...]:
    broken = any(c.violations for d in debts for c in d.contact_checks)
    applies = {"always": True, "overdue": bool(overdue), "broken": broken, "debts": bool(debts)}
    params: dict[str, object] = {
        "lenders": _lenders(overdue),
        "days": int(rules.fact("payment_order_days")),
        "dispute": int(rules.fact("dispute_days")),
        **cost,
    }
    chosen = [s for s in rules.steps if applies[s.applies]]
    chosen.sort(key=lambda s: WHEN.index(s.when))  # stable: the file's order within a period
    return tuple(
        GuideStep(
            n,
            s.key,
            s.when,
            Line(s.action, params),
            Line(s.why, params),
            s.cited.certainty,
            s.cited.sources,
            s.key in done,
        )
        for n, s in enumerate(chosen, start=1)
    )


# guide.toml's rules live in domain.guide_rules; their readers name them through here too.
__all__ = ["CERTAINTIES", "TOPICS", "GuideRules", "GuideStepRule", "GuideText", "parse_guide"]
