"""The overdue report of one debt: costs, timeline, legal checks, limitation period.

Reads the debt, its payments and contact log through the services facade
(``get_debt``, ``list_payments``, ``list_contacts``, ``get_setting``), hands
them with the rules (resources/rules) to ``domain.overdue``, and turns the
result into translated, locale-formatted text or the command line's JSON.

The person's contract wins over presets: the debt's own fields (rate,
penalty_rate_multiplier, late_fee_rate_per_day, grace_days) are used as they
are, and the kind's overdue terms (per-cycle 违约金, caps, which amounts
penalties are charged on, report days) can be overridden per debt with
``set_term_overrides`` (kept in the debt's ``debt_terms`` row).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from domain.collection import ContactCheck, check_contacts
from domain.debts import ContactEntry, Debt, DebtKind, DebtStatus, Payment
from domain.ledger import LateCharges
from domain.money import money_str
from domain.overdue import (
    ArrearsRowLike,
    Event,
    LegalCheck,
    OverdueReport,
    OverdueRules,
    RuleUse,
    arrears,
    charges_on,
    limitation,
    limitation_explanation,
    next_serious,
    overdue_report,
)
from domain.overdue import restart_needs_question as domain_restart_needs_question
from domain.overdue import restart_warning as domain_restart_warning
from domain.rules import Cited, RuleError, override_terms
from resources.i18n import N_, format_date, format_money, format_percent, get_language, tr
from resources.rules import collection_rules, escalation_rules, legal_rules, lpr_table, overdue_terms
from services.errors import UserError
from services.moved_settings import TERMS_PREFIX

ACTIONS = ("payment", "letter", "plan")
_MONEY_PARAMS = {"amount", "principal", "received", "charges", "threshold", "share", "total"}
_PERCENT_PARAMS = {
    "rate",
    "cap",
    "lpr",
    "charge",
    "loss",
    "margin",
    "percent",
    "nominal",
    "effective",
    "line",
    "overdue",
    "void",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Words that rules pass as parameters, translated where shown.
_WORDS = {
    "principal": N_("overdue principal"),
    "principal_and_interest": N_("overdue principal and unpaid interest"),
    "overdue_amount": N_("overdue amount"),
    "overdue_principal": N_("overdue principal"),
    "day": N_("day"),
    "month": N_("month"),
    "year": N_("year"),
    "contract": N_("the contract's own price"),
    "lpr": N_("the one-year LPR"),
    "financial_line": N_("counted at most at the 24% line courts use for financial loans"),
    # Which annual rate the 4 × LPR check compares.
    "effective": N_("the effective rate"),
    "nominal": N_("the nominal rate on what reached you (interest paid in one sum is discounted by the IRR)"),
    "as_received": N_(
        "the agreed rate on what you received (interest taken in advance is disputed once, as principal)"
    ),
}
_STAGES = {
    "M0": N_("Not overdue"),
    "M7": N_("M7: more than 180 days overdue"),
}


class OverdueSource(Protocol):
    """The part of ``services.app.Services`` this module reads."""

    def get_debt(self, debt_id: int) -> Debt: ...
    def list_payments(self, debt_id: int | None = None) -> list[Payment]: ...
    def list_contacts(self, debt_id: int | None = None) -> list[ContactEntry]: ...


# --- rules and inputs -------------------------------------------------------------------


# A debt's own overdue terms are its debt_terms row (removed with the debt); an export still writes
# them as the setting "<prefix><debt id>" holding JSON (services.moved_settings).
SETTING_TERMS_PREFIX = TERMS_PREFIX


def term_overrides(svc: Any, debt_id: int) -> dict[str, object]:
    """The person's own overdue terms for a debt, or {}."""
    getter = getattr(svc, "get_term_overrides", None)
    return dict(getter(debt_id)) if getter else {}


def overrides_from_text(raw: str | None) -> dict[str, object]:
    """The stored overdue terms of a debt (JSON text), or {} when none or unreadable."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return dict(value) if isinstance(value, dict) else {}


def set_term_overrides(svc: Any, debt_id: int, overrides: Mapping[str, object]) -> None:
    """Store the contract's overdue terms for one debt; refused (UserError) when invalid."""
    debt = svc.get_debt(debt_id)
    try:
        override_terms(overdue_terms()[debt.kind], overrides)
    except RuleError as exc:
        raise UserError(tr("Overdue terms are not valid: {problem}", problem=str(exc))) from exc
    try:
        svc.store_term_overrides(debt_id, overrides)
    except ValueError as exc:
        raise UserError(tr("Overdue terms are not valid: {problem}", problem=str(exc))) from exc


def rules_for(kind: DebtKind, overrides: Mapping[str, object] | None = None) -> OverdueRules:
    terms = overdue_terms()[kind]
    if overrides:
        # A stale override never blocks the report: the preset is used.
        with contextlib.suppress(RuleError):
            terms = override_terms(terms, overrides)
    return OverdueRules(terms, legal_rules(), lpr_table(), escalation_rules())


def schedule_rows(debt: Debt) -> Sequence[ArrearsRowLike] | None:
    """What is left of the debt's repayment schedule as it stands (``domain.standing``), else None."""
    from domain.standing import standing

    try:
        return standing(debt).rows
    except (AttributeError, ValueError, ArithmeticError, TypeError):
        return None


def late_charges(
    debt: Debt, payments: Sequence[tuple[date, Decimal]], overrides: Mapping[str, object] | None = None
) -> list[LateCharges] | None:
    """The overdue charges (late fees, penalty interest) unpaid just before each payment, from the
    same account as the overdue report; None when the debt has no arrears. The ledger pays them
    first, so a payment's split, the overdue page and the reminders tell the same arrears."""
    if debt.overdue_since is None:
        return None
    instalments, _rule = arrears(debt, schedule_rows(debt))
    if not instalments:
        return None
    rules = rules_for(debt.kind, overrides)
    out = [LateCharges()] * len(payments)
    earlier: list[Payment] = []
    for index in sorted(range(len(payments)), key=lambda i: (payments[i][0], i)):
        on, amount = payments[index]
        if on >= debt.overdue_since:
            now = charges_on(debt, instalments, earlier, on, rules)
            out[index] = LateCharges(now.late_fees, now.penalty_interest)
        earlier.append(Payment(debt.id or 0, on, amount))
    return out


def arrears_due(
    svc: OverdueSource, debt: Debt, as_of: date, payments: Sequence[Payment] | None = None
) -> Decimal | None:
    """What the debt's arrears come to on ``as_of`` with the charges on them, after the payments:
    the overdue report's total due, the one figure the overview, the banner and the reminders
    show. None when the debt has no arrears."""
    if debt.overdue_since is None or debt.id is None:
        return None
    return arrears_on(
        debt,
        as_of,
        svc.list_payments(debt.id) if payments is None else payments,
        term_overrides(svc, debt.id),
    )


def arrears_on(
    debt: Debt, as_of: date, payments: Sequence[Payment], overrides: Mapping[str, object]
) -> Decimal | None:
    """``arrears_due`` from figures already read: the debt's payments and its own overdue terms."""
    if debt.overdue_since is None:
        return None
    instalments, _rule = arrears(debt, schedule_rows(debt), as_of)
    if not instalments:
        return None
    paid = [p for p in payments if p.date <= as_of]
    return charges_on(debt, instalments, paid, as_of, rules_for(debt.kind, overrides)).total_due


def build_report(svc: OverdueSource, debt_id: int, as_of: date) -> OverdueReport:
    """The overdue report for one debt on ``as_of`` (NotFoundError when there is no such debt)."""
    debt = svc.get_debt(debt_id)
    rules = rules_for(debt.kind, term_overrides(svc, debt_id))
    return overdue_report(
        debt,
        svc.list_payments(debt_id),
        svc.list_contacts(debt_id),
        as_of,
        rules=rules,
        rows=schedule_rows(debt),
        other_cards=_other_cards(svc, debt),
    )


def _other_cards(svc: Any, debt: Debt) -> list[tuple[Debt, list[Payment]]]:
    """The person's other credit cards not yet settled, with their payments (the criminal threshold
    adds the unpaid principal of all of them)."""
    if debt.kind is not DebtKind.CREDIT_CARD or not hasattr(svc, "list_debts"):
        return []
    done = (DebtStatus.SETTLED, DebtStatus.ARCHIVED)
    return [
        (card, svc.list_payments(card.id))
        for card in svc.list_debts(include_archived=False)
        if card.kind is DebtKind.CREDIT_CARD and card.id != debt.id and card.status not in done
    ]


def all_reports(svc: Any, as_of: date, include_archived: bool = False) -> list[OverdueReport]:
    """The overdue report of every debt (for the dashboard and the overdue page), in list order."""
    return [
        build_report(svc, debt.id, as_of)
        for debt in svc.list_debts(include_archived=include_archived)
        if debt.id is not None
    ]


def restart_warning(
    svc: OverdueSource, debt_id: int, action: str, as_of: date, lang: str | None = None
) -> str | None:
    """A translated warning before a payment, letter or plan that restarts the limitation period.

    Always after the period ended, and always for a letter or a plan (they acknowledge the debt);
    for a payment only when the period ends within six months.
    """
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {ACTIONS}")
    debt = svc.get_debt(debt_id)
    rules = rules_for(debt.kind, term_overrides(svc, debt_id))
    lim = limitation(
        debt,
        svc.list_payments(debt_id),
        svc.list_contacts(debt_id),
        as_of,
        rules=rules,
        rows=schedule_rows(debt),
    )
    found = domain_restart_warning(lim, action, as_of)
    if found is None:
        return None
    text, params = found
    return tr(text, lang, **_format_params(params, lang))


def restart_needs_question(svc: OverdueSource, debt_id: int, as_of: date) -> bool:
    """Whether acting on the debt now deserves a question (the period may have ended or ends within
    six months), rather than a quiet note (``domain.overdue.restart_needs_question``)."""
    debt = svc.get_debt(debt_id)
    rules = rules_for(debt.kind, term_overrides(svc, debt_id))
    lim = limitation(
        debt,
        svc.list_payments(debt_id),
        svc.list_contacts(debt_id),
        as_of,
        rules=rules,
        rows=schedule_rows(debt),
    )
    return domain_restart_needs_question(lim, as_of)


def collection_violations(svc: OverdueSource, debt_id: int) -> tuple[ContactCheck, ...]:
    """Each recorded contact of a debt with the collection rules it broke."""
    debt = svc.get_debt(debt_id)
    contacts = sorted(svc.list_contacts(debt_id), key=lambda c: c.when)
    return check_contacts(contacts, collection_rules(), debt.kind)


# --- formatting -----------------------------------------------------------------------


def _format_params(params: Mapping[str, str], lang: str | None) -> dict[str, str]:
    out = {}
    for key, value in params.items():
        if key in _MONEY_PARAMS:
            out[key] = format_money(Decimal(value), lang)
        elif key in _PERCENT_PARAMS:
            places = len(value.partition(".")[2])
            out[key] = format_percent(Decimal(value), lang, places)
        elif _ISO_DATE.match(value):
            out[key] = format_date(date.fromisoformat(value), lang)
        elif value in _WORDS:
            out[key] = tr(_WORDS[value], lang)
        else:
            out[key] = value
    return out


def render(text: str, params: Mapping[str, str], lang: str | None = None) -> str:
    """A rule's msgid with its parameters, translated and formatted for ``lang``."""
    return tr(text, lang, **_format_params(params, lang))


def stage_text(stage: str, lang: str | None = None) -> str:
    if stage in _STAGES:
        return tr(_STAGES[stage], lang)
    n = int(stage[1:])
    return tr(
        N_("{stage}: {first}–{last} days overdue"), lang, stage=stage, first=(n - 1) * 30 + 1, last=n * 30
    )


def event_text(event: Event, lang: str | None = None) -> str:
    """What the step is, without its day: whether the day is only practice is said once, by
    ``event_when`` and the legend (``TIMELINE_LEGEND``), not before every step."""
    return render(event.text, event.params, lang)


# When a step comes. "About" marks a day that is only commonly reported; "possible" a step that
# depends on the lender's or a court's choice, which is never given a date.
_WHEN = {
    ("possible", "judgment"): N_("possible only after a judgment"),
    ("possible", "now", True): N_("possible now (commonly from about day {day})"),
    ("possible", "now", False): N_("possible now (from day {day})"),
    ("possible", "later", True): N_("possible from about day {day}"),
    ("possible", "later", False): N_("possible from day {day}"),
    ("range", True): N_("about day {day}–{day_to}"),
    ("range", False): N_("day {day}–{day_to}"),
    ("open", True): N_("from about day {day}"),
    ("open", False): N_("from day {day}"),
    ("day", True): N_("about day {day}"),
    ("day", False): N_("day {day}"),
}
TIMELINE_LEGEND = N_(
    "“About”: the day is commonly reported practice, set by no rule. “Possible”: it depends "
    "on the lender's or a court's choice, so it has no date."
)
# How each step stands today, as the timeline shows it: one step is the stage ("now").
DISPLAY_STATUS = {
    "past": N_("past"),
    "now": N_("now"),
    "under_way": N_("under way"),
    "possible": N_("possible"),
    "coming": N_("coming"),
}


def display_status(event: Event) -> str:
    """past | now (the one current stage) | under_way | possible | coming."""
    if event.possible:
        return "possible"
    if event.stage:
        return "now"
    return "under_way" if event.status == "current" else event.status


def event_when(event: Event, lang: str | None = None) -> str:
    """When the step comes, in days from the first missed due date ("about day 31–90",
    "possible from about day 91"); a possible step gets no date."""
    if event.possible:
        if event.needs_judgment:
            key: tuple[str | bool, ...] = ("possible", "judgment")
        else:
            key = ("possible", "later" if event.status == "coming" else "now", event.commonly)
    elif event.day_to is None:
        key = ("open", event.commonly)
    elif event.day_to == event.day:
        key = ("day", event.commonly)
    else:
        key = ("range", event.commonly)
    return tr(_WHEN[key], lang, day=event.day, day_to=event.day_to if event.day_to is not None else "")


def event_date(event: Event) -> date | None:
    """The step's first date, or None when it depends on someone's choice (never a fixed date)."""
    return None if event.possible else event.on


def next_step(report: OverdueReport) -> Event | None:
    """The most serious step still ahead for this debt (``domain.overdue.next_serious``)."""
    return next_serious(report.events)


def _source(cited: Cited | None, lang: str | None = None) -> str:
    """The cited sources in the language shown."""
    return cited.source_text_for(lang or get_language()) if cited else ""


def _event_json(event: Event, lang: str | None) -> dict[str, object]:
    return {
        "day": event.day,
        "date": event.on.isoformat(),
        "kind": event.kind,
        "text": event_text(event, lang),
        "source": _source(event.cited, lang),
        "certainty": event.cited.certainty,
        "key": event.key,
        "day_to": event.day_to,
        "date_to": event.on_to.isoformat() if event.on_to else None,
        "status": event.status,
        "commonly_reported": event.commonly,
        "applies": event.applies,
        # Added: how the window shows it.
        "when": event_when(event, lang),
        "possible": event.possible,
        "current_stage": event.stage,
        "severity": event.severity,
        "display_status": display_status(event),
    }


def _check_json(check: LegalCheck, lang: str | None) -> dict[str, object]:
    return {
        "kind": check.kind,
        "ok": check.ok,
        "text": render(check.text, check.params, lang),
        "source": _source(check.cited, lang),
        "applies": check.applies,
        "certainty": check.cited.certainty,
        "amount": money_str(check.amount) if check.amount is not None else None,
    }


def _rule_json(use: RuleUse, lang: str | None) -> dict[str, object]:
    return {
        "figure": use.figure,
        "text": render(use.text, use.params, lang),
        "source": _source(use.cited, lang),
        "certainty": use.cited.certainty if use.cited else None,
    }


def violations_json(checks: Sequence[ContactCheck], lang: str | None = None) -> list[dict[str, object]]:
    return [
        {
            "contact_id": c.entry.id,
            "when": c.entry.when.isoformat(timespec="minutes"),
            "rules": [
                {
                    "rule": v.rule,
                    "text": render(v.text, v.params, lang),
                    "source": _source(v.cited, lang),
                    "certainty": v.cited.certainty,
                }
                for v in c.violations
            ],
        }
        for c in checks
        if c.violations
    ]


def report_json(
    report: OverdueReport, lang: str | None = None, violations: Sequence[ContactCheck] = ()
) -> dict[str, object]:
    """The ``overdue --json`` document (ARCHITECTURE.md), with added fields after the contract's."""
    lang = lang or get_language()
    lim = report.limitation
    return {
        "debt_id": report.debt_id,
        "as_of": report.as_of.isoformat(),
        "days_overdue": report.days_overdue,
        "overdue_principal": money_str(report.overdue_principal),
        "penalty_interest": money_str(report.penalty_interest),
        "late_fees": money_str(report.late_fees),
        "total_due": money_str(report.total_due),
        "stage": report.stage,
        "events": [_event_json(e, lang) for e in report.events],
        "limitation_ends": lim.ends.isoformat(),
        "legal_checks": [_check_json(c, lang) for c in report.legal_checks],
        # Added fields.
        "kind": report.kind.value,
        "overdue_interest": money_str(report.overdue_interest),
        "in_grace": report.in_grace,
        "grace_days": report.grace_days,
        "stage_text": stage_text(report.stage, lang),
        "limitation": {
            "starts": lim.starts.isoformat(),
            "ends": lim.ends.isoformat(),
            "basis": lim.basis,
            "expired": lim.expired,
            "source": _source(lim.cited, lang),
            "certainty": lim.cited.certainty,
            "last_payment": lim.last_payment.isoformat() if lim.last_payment else None,
            "last_demand": lim.last_demand.isoformat() if lim.last_demand else None,
            "text": [render(text, params, lang) for text, params in limitation_explanation(lim)],
        },
        "projection": [
            {
                "date": p.on.isoformat(),
                "days_overdue": p.days_overdue,
                "penalty_interest": money_str(p.penalty_interest),
                "late_fees": money_str(p.late_fees),
                "total_due": money_str(p.total_due),
                "more_than_now": money_str(p.more_than_now),
            }
            for p in report.projection
        ],
        "rules_used": [_rule_json(u, lang) for u in report.rules_used],
        "collection_violations": violations_json(violations, lang),
        "current_stage": next(
            (
                e.key if e.kind != "report_code" else f"report_code_{e.params['code']}"
                for e in report.events
                if e.stage
            ),
            None,
        ),
        "next_step": _next_step_json(report, lang),
        "timeline_legend": tr(TIMELINE_LEGEND, lang),
    }


def _next_step_json(report: OverdueReport, lang: str | None) -> dict[str, object] | None:
    event = next_step(report)
    if event is None:
        return None
    found = event_date(event)
    return {
        "key": event.key,
        "kind": event.kind,
        "text": event_text(event, lang),
        "when": event_when(event, lang),
        "date": found.isoformat() if found else None,
        "possible": event.possible,
        "severity": event.severity,
    }


def report_lines(
    report: OverdueReport, lang: str | None = None, violations: Sequence[ContactCheck] = ()
) -> list[str]:
    """The report as plain lines for the terminal."""

    def money(value: Decimal) -> str:
        return format_money(value, lang)

    lines = [
        tr(
            N_("Debt {id} on {date}: {days} days overdue ({stage})"),
            lang,
            id=report.debt_id,
            date=format_date(report.as_of, lang),
            days=report.days_overdue,
            stage=stage_text(report.stage, lang),
        ),
        tr(
            N_(
                "Overdue principal {principal}, interest and fees in arrears {interest}, penalty interest "
                "{penalty}, late fees {fees}; total due now {total}"
            ),
            lang,
            principal=money(report.overdue_principal),
            interest=money(report.overdue_interest),
            penalty=money(report.penalty_interest),
            fees=money(report.late_fees),
            total=money(report.total_due),
        ),
    ]
    for p in report.projection:
        lines.append(
            tr(
                N_("  On {date}: {total} (+{more})"),
                lang,
                date=format_date(p.on, lang),
                total=money(p.total_due),
                more=money(p.more_than_now),
            )
        )
    lines.append(tr(N_("Timeline:"), lang))
    for e in report.events:
        status = tr(DISPLAY_STATUS[display_status(e)], lang)
        found = event_date(e)
        when = f"{found.isoformat()}, {event_when(e, lang)}" if found else event_when(e, lang)
        lines.append(f"  [{status}] {when}: {event_text(e, lang)}")
    lines.append("  " + tr(TIMELINE_LEGEND, lang))
    lines.append(
        tr(N_("Limitation period ends on {date}."), lang, date=format_date(report.limitation.ends, lang))
    )
    explanation = limitation_explanation(report.limitation)
    lines.extend(f"  {render(text, params, lang)}" for text, params in explanation)
    lines.append(tr(N_("Legal checks:"), lang))
    for check in report.legal_checks:
        mark = "✓" if check.ok else "✗"
        lines.append(f"  {mark} {render(check.text, check.params, lang)}")
    bad = [c for c in violations if c.violations]
    if bad:
        lines.append(tr(N_("Contacts that broke collection rules:"), lang))
        for c in bad:
            rules = " ".join(render(v.text, v.params, lang) for v in c.violations)
            lines.append(f"  {c.entry.when.isoformat(timespec='minutes')} {c.entry.who}: {rules}")
    return lines
