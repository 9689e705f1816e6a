"""Use case "write a letter to a lender" and "print the repayment-plan report".

Gathers the person's details (settings), the debt, the budget, the contact log and
the engine's figures into ``documents.letter_data.LetterFacts``, warns when
sending a letter may restart the limitation period, and writes the PDFs. Every
read goes through ``Services``; documents/ only lays out what it is given.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from documents.letter_data import (
    DEADLINE_DAYS,
    ChargeLine,
    ContactLine,
    DebtLine,
    LetterFacts,
    Offer,
    Person,
    ScheduleLine,
)
from domain.debts import ContactConduct, ContactEntry, ContactTarget, Debt, DebtKind, DebtStatus, RateUnit
from domain.money import round_fen
from resources.i18n import N_, format_date, format_money, format_percent, get_language, normalize_language, tr
from services.errors import UserError

if TYPE_CHECKING:
    from documents.letters import Letter
    from services.app import Services

LETTER_KINDS = ("negotiation", "hardship", "proposal", "complaint", "statement", "dispute")
KIND_CODES = {"negotiation": "N", "hardship": "H", "proposal": "P", "complaint": "C", "statement": "S",
              "dispute": "D"}
KIND_LABELS = {
    "negotiation": N_("Negotiation / instalment request"),
    "hardship": N_("Hardship statement"),
    "proposal": N_("Repayment proposal"),
    "complaint": N_("Complaint about collection"),
    "statement": N_("Request for a statement"),
    "dispute": N_("Dispute of charges above the legal limit"),
}
# Letters that state the debt and offer to pay it: an agreement to pay (SPC
# limitation rules Art. 14) restarts the period, and after it has run out it
# gives up the defence (Art. 19).
ACKNOWLEDGING_KINDS = frozenset({"negotiation", "hardship", "proposal"})
CARD_MAX_MONTHS = 60  # card Measures Art. 70: 个性化分期 up to 5 years

PERSON_KEYS = {"name": "person.name", "address": "person.address", "phone": "person.phone",
               "id_number": "person.id_number", "email": "person.email", "city": "person.city"}
CAUSE_KEY = "person.hardship_cause"
EVIDENCE_KEY = "person.evidence"


# --- the person ----------------------------------------------------------------------


def person_details(svc: Services) -> Person:
    """The person's own details as stored in settings ("" where not given)."""
    values = {field: str(svc.get_setting(key, "") or "") for field, key in PERSON_KEYS.items()}
    return Person(**values)


def save_person(svc: Services, person: Person) -> None:
    for field, key in PERSON_KEYS.items():
        svc.set_setting(key, getattr(person, field))


def with_overrides(person: Person, **overrides: str | None) -> Person:
    from dataclasses import replace

    given = {k: v.strip() for k, v in overrides.items() if v is not None}
    return replace(person, **given)


# --- the limitation period -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LimitationWarning:
    """Why sending a letter may cost the person a defence. severity: "restart" or "waive"."""

    severity: str
    text: str
    source: str


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _add_months(day: date, months: int, due_day: int | None = None) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(due_day or day.day, last))


def limitation_warning(debt: Debt, kind: str, as_of: date, *, contacts: Sequence[ContactEntry] = (),
                       payment_dates: Sequence[date] = (),
                       lang: str | None = None) -> LimitationWarning | None:
    """A warning before sending a letter that acknowledges the debt (DOMAIN §4), else None.

    The three-year period (Civil Code Art. 188) runs from the last instalment's
    due date (Art. 189) and restarts on a payment or a demand that reached the
    person (Art. 195; SPC limitation rules Art. 8, 14): the latest of those is
    the start used here. It is an estimate from what the program knows.
    """
    if kind not in ACKNOWLEDGING_KINDS:
        return None
    lang = lang or get_language()
    starts = [_add_months(debt.start_date, debt.months, debt.due_day)]
    starts += list(payment_dates)
    starts += [c.when.date() for c in contacts if c.target in (ContactTarget.DEBTOR, ContactTarget.GUARANTOR)]
    if debt.overdue_since:
        starts.append(debt.overdue_since)
    ends = _add_years(max(starts), 3)
    if as_of > ends:
        return LimitationWarning(
            "waive",
            tr("The three-year limitation period for this debt may have run out on {date}. Offering to "
               "pay or agreeing a plan now gives up that defence for good (SPC limitation rules Art. 19). "
               "Get legal advice before you send this letter.", lang, date=format_date(ends, lang, "long")),
            "Civil Code Art. 188, 195; SPC limitation rules Art. 14, 19")
    return LimitationWarning(
        "restart",
        tr("Sending this letter restarts the three-year limitation period (now estimated to end on "
           "{date}): an offer or a plan counts as agreeing to pay (Civil Code Art. 195; SPC limitation "
           "rules Art. 14). That is normal when you mean to repay.", lang,
           date=format_date(ends, lang, "long")),
        "Civil Code Art. 188, 189, 195; SPC limitation rules Art. 8, 14")


# --- collection conduct ----------------------------------------------------------------

_CONDUCT_RULES = {
    ContactConduct.THREAT: N_("Threats (card Measures Art. 68)"),
    ContactConduct.INSULT: N_("Insults (card Measures Art. 68)"),
    ContactConduct.POSED_AS_AUTHORITY: N_("Posing as a court, the police or a law office "
                                          "(CBA guideline 2026)"),
    ContactConduct.FALSE_LEGAL_CLAIM: N_("Invented blacklists or exaggerated legal consequences "
                                         "(CBA guideline 2026)"),
    ContactConduct.DISCLOSED_DEBT: N_("Telling a third party about the debt (card Measures Art. 68; "
                                      "CBA guideline 2026)"),
    ContactConduct.PUBLIC_EXPOSURE: N_("Public notices or group messages about the debt "
                                       "(CBA guideline 2026)"),
    ContactConduct.HOME_VISIT_UNCONSENTED: N_("A home visit without consent (CBA guideline 2026)"),
    ContactConduct.PUSHED_NEW_LOAN: N_("Pushing a new loan to repay the old one (CBA guideline 2026)"),
}
NIGHT_RULE = N_("Contact between 22:00 and 08:00 without consent (CBA guideline 2026)")
THIRD_PARTY_RULE = N_("Collecting from a third party unconnected with the debt (card Measures Art. 68)")
HOMETOWN_RULE = N_("Contacting the home village or community committee about the debt "
                   "(card Measures Art. 68)")
CALLS_RULE = N_("More than 6 call attempts in a day from one number (CBA guideline 2026)")


def broken_rules(entry: ContactEntry, all_entries: Iterable[ContactEntry] = ()) -> list[str]:
    """The collection rules (untranslated msgids) a logged contact broke (DOMAIN §5)."""
    rules: list[str] = []
    if entry.when.hour >= 22 or entry.when.hour < 8:
        rules.append(NIGHT_RULE)
    if entry.target == ContactTarget.HOMETOWN:
        rules.append(HOMETOWN_RULE)
    elif entry.target not in (ContactTarget.DEBTOR, ContactTarget.GUARANTOR):
        rules.append(THIRD_PARTY_RULE)
    if entry.phone_number and entry.channel.value == "phone":
        same_day = Counter((e.when.date(), e.phone_number) for e in all_entries if e.channel == entry.channel)
        if same_day[(entry.when.date(), entry.phone_number)] > 6:
            rules.append(CALLS_RULE)
    rules += [_CONDUCT_RULES[c] for c in sorted(entry.conduct, key=lambda c: c.value)]
    return rules


# --- legal caps (until the overdue checks are on hand) -----------------------------------

# One-year LPR, PBOC announcements (DOMAIN §4): the ceiling uses the rate on the contract date.
_LPR_ONE_YEAR = (
    (date(2019, 8, 20), Decimal("4.25")), (date(2019, 9, 20), Decimal("4.20")),
    (date(2019, 11, 20), Decimal("4.15")), (date(2020, 2, 20), Decimal("4.05")),
    (date(2020, 4, 20), Decimal("3.85")), (date(2021, 12, 20), Decimal("3.80")),
    (date(2022, 1, 20), Decimal("3.70")), (date(2022, 8, 22), Decimal("3.65")),
    (date(2023, 6, 20), Decimal("3.55")), (date(2023, 8, 21), Decimal("3.45")),
    (date(2024, 7, 22), Decimal("3.35")), (date(2024, 10, 21), Decimal("3.10")),
    (date(2025, 5, 20), Decimal("3.00")),
)


def lpr_on(day: date) -> Decimal | None:
    rate = None
    for since, value in _LPR_ONE_YEAR:
        if day >= since:
            rate = value
    return rate


def _annual_rate(debt: Debt) -> Decimal:
    # 360 days / 12 months a year, the convention Chinese lenders quote rates with.
    factor = {RateUnit.DAY: Decimal(360), RateUnit.MONTH: Decimal(12), RateUnit.YEAR: Decimal(1)}
    return debt.rate * factor[debt.rate_unit]


def charges_over_cap(debt: Debt, as_of: date, lang: str) -> tuple[list[ChargeLine], Decimal | None,
                                                                   Decimal | None]:
    """Private-loan charges above 4 × LPR and interest taken in advance; (lines, lpr, cap)."""
    lines: list[ChargeLine] = []
    lpr = lpr_on(debt.start_date)
    cap = lpr * 4 if lpr is not None else None
    in_use = debt.received_amount if debt.received_amount is not None else debt.principal
    if debt.kind == DebtKind.PRIVATE_LOAN and cap is not None and _annual_rate(debt) > cap:
        end = min(as_of, _add_months(debt.start_date, debt.months))
        days = Decimal(max((end - debt.start_date).days, 0))
        over = round_fen(in_use * (_annual_rate(debt) - cap) / 100 * days / 365)
        lines.append(ChargeLine(
            tr("Interest above four times the LPR, {start} to {end}", lang,
               start=format_date(debt.start_date, lang, "long"), end=format_date(end, lang, "long")),
            tr("SPC private-lending provisions (2020) Art. 25, 29", lang),
            format_percent(cap, lang), format_percent(_annual_rate(debt), lang), over))
    if debt.received_amount is not None and debt.received_amount < debt.principal:
        lines.append(ChargeLine(
            tr("Interest deducted in advance from the principal", lang), tr("Civil Code Art. 670", lang),
            format_money(debt.received_amount, lang), format_money(debt.principal, lang),
            debt.principal - debt.received_amount))
    return lines, lpr, cap


# --- the offer ---------------------------------------------------------------------------


def first_payment_date(debt: Debt, as_of: date) -> date:
    """The first due day after the lender has had time to answer."""
    earliest = as_of + timedelta(days=DEADLINE_DAYS)
    candidate = _add_months(earliest.replace(day=1), 0, debt.due_day)
    return candidate if candidate >= earliest else _add_months(earliest.replace(day=1), 1, debt.due_day)


def pro_rata_offer(debt: Debt, balance: Decimal, all_balances: Decimal, surplus: Decimal, as_of: date, *,
                   token: Decimal = Decimal("10.00")) -> tuple[Offer, tuple[ScheduleLine, ...]]:
    """Share the monthly surplus by balance; interest frozen, so the schedule is equal payments."""
    share = (balance / all_balances) if all_balances > 0 else Decimal("1")
    monthly = round_fen(max(surplus, Decimal("0")) * share)
    is_token = monthly < token
    if is_token:
        monthly = token
    months = int((balance / monthly).to_integral_value(rounding=ROUND_CEILING)) if balance > 0 else 1
    if debt.kind == DebtKind.CREDIT_CARD and months > CARD_MAX_MONTHS and not is_token:
        # Art. 70 allows at most 5 years: ask for the balance over 60 payments instead.
        months = CARD_MAX_MONTHS
        monthly = (balance / months).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
    start = first_payment_date(debt, as_of)
    schedule: list[ScheduleLine] = []
    left = balance
    for period in range(1, months + 1):
        pay = min(monthly, left) if period < months else left
        left -= pay
        schedule.append(ScheduleLine(period, _add_months(start, period - 1, debt.due_day), pay, left))
    offer = Offer(monthly=monthly, start=start, months=months, total=balance, end=schedule[-1].due_date,
                  share=share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
                  surplus=max(surplus, Decimal("0")), token=is_token)
    return offer, tuple(schedule)


# --- gathering ---------------------------------------------------------------------------


def _summary(svc: Services, debt: Debt, as_of: date) -> tuple[Decimal, int]:
    summary = svc.debt_summary(debt.id, as_of)  # type: ignore[arg-type]
    return Decimal(summary.balance), int(getattr(summary, "days_overdue", 0) or 0)


def _monthly_due(debt: Debt, balance: Decimal) -> Decimal:
    try:
        from domain.schedules import schedule_for  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return round_fen(debt.principal / max(debt.months, 1))
    schedule: Any = schedule_for(debt)
    rows = getattr(schedule, "rows", schedule)
    return Decimal(rows[0].payment) if rows else Decimal("0")


def _overdue_service() -> Any:
    """services.overdue when this build has it (the overdue report, its checks and warnings)."""
    try:
        from services import overdue  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    return overdue if hasattr(overdue, "build_report") else None


def _overdue_costs(svc: Services, debt: Debt, as_of: date) -> tuple[Decimal, Decimal, Decimal]:
    """(overdue amount, penalty interest, late fees) from the overdue report when it is available."""
    overdue = _overdue_service()
    if overdue is None:
        return (debt.overdue_amount or Decimal("0")), Decimal("0"), Decimal("0")
    report = overdue.build_report(svc, debt.id, as_of)
    return (Decimal(report.overdue_principal), Decimal(report.penalty_interest), Decimal(report.late_fees))


def contact_rules(svc: Services, debt_id: int, lang: str | None = None) -> dict[int, tuple[str, ...]]:
    """For each logged contact of a debt (by id), the collection rules it broke, in ``lang``."""
    lang = lang or get_language()
    overdue = _overdue_service()
    if overdue is not None and hasattr(overdue, "collection_violations"):
        out: dict[int, tuple[str, ...]] = {}
        for check in overdue.collection_violations(svc, debt_id):
            if check.entry.id is not None:
                out[check.entry.id] = tuple(overdue.render(v.text, v.params, lang) for v in check.violations)
        return out
    logged = svc.list_contacts(debt_id)
    return {c.id: tuple(tr(r, lang) for r in broken_rules(c, logged)) for c in logged if c.id is not None}


_PERCENT_PARAMS = ("cap", "rate", "charge", "loss", "margin")


def _param(value: str | None, lang: str, percent: bool) -> str:
    if not value:
        return "—"
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value
    return format_percent(number, lang) if percent else format_money(number, lang)


def _checks_over_cap(svc: Services, debt: Debt, as_of: date, lang: str) -> tuple[list[ChargeLine],
                                                                                 Decimal | None,
                                                                                 Decimal | None] | None:
    """Failed legal checks with an amount, from the overdue report; None when it is not available."""
    overdue = _overdue_service()
    if overdue is None:
        return None
    report = overdue.build_report(svc, debt.id, as_of)
    lines = []
    cap = None
    for check in report.legal_checks:
        if check.ok or not check.applies or not check.amount or check.amount <= 0:
            continue
        params = dict(check.params)
        limit_key = next((k for k in ("cap", "received", "loss") if k in params), None)
        charged_key = next((k for k in ("rate", "principal", "charge") if k in params), None)
        if "cap" in params and cap is None:
            try:
                cap = Decimal(params["cap"])
            except ArithmeticError:
                cap = None
        lines.append(ChargeLine(
            overdue.render(check.text, check.params, lang), check.cited.source_text if check.cited else "",
            _param(params.get(limit_key) if limit_key else None, lang, limit_key in _PERCENT_PARAMS),
            _param(params.get(charged_key) if charged_key else None, lang, charged_key in _PERCENT_PARAMS),
            Decimal(check.amount)))
    return lines, lpr_on(debt.start_date), cap


def letter_facts(svc: Services, debt_id: int, kind: str, as_of: date, lang: str, *,
                 person: Person | None = None, contact_ids: Sequence[int] | None = None,
                 cause: str | None = None, mask_id: bool = True) -> LetterFacts:
    """Everything a letter about one debt needs, read from the database and the engine."""
    lang = normalize_language(lang)
    if kind not in LETTER_KINDS:
        raise UserError(tr("Unknown letter kind {kind}", kind=kind))
    debt = svc.get_debt(debt_id)
    person = person or person_details(svc)
    if not person.name:
        raise UserError(tr("Your name is missing: enter it in Settings or give --name."))
    lenders = {lender.name: lender for lender in svc.list_lenders()}
    active = [d for d in svc.list_debts(include_archived=False)
              if d.status not in (DebtStatus.SETTLED, DebtStatus.ARCHIVED) or d.id == debt.id]
    lines: list[DebtLine] = []
    balances: dict[int, tuple[Decimal, int]] = {}
    for other in active:
        balances[other.id] = _summary(svc, other, as_of)  # type: ignore[index]
    total = sum((b for b, _ in balances.values()), Decimal("0"))
    budget = svc.get_budget()
    surplus = budget.income - budget.essential_total
    for other in active:
        bal, days = balances[other.id]  # type: ignore[index]
        other_offer, _ = pro_rata_offer(other, bal, total, surplus, as_of)
        lines.append(DebtLine(other.name, other.lender, bal, _monthly_due(other, bal), days,
                              other_offer.monthly, other_offer.share))
    balance, days_overdue = balances[debt.id]  # type: ignore[index]
    offer, schedule = pro_rata_offer(debt, balance, total, surplus, as_of)
    overdue_amount, penalty, late_fees = _overdue_costs(svc, debt, as_of)
    payments = svc.list_payments(debt.id)
    contacts: list[ContactLine] = []
    if kind == "complaint":
        logged = {c.id: c for c in svc.list_contacts(debt.id)}
        rules = contact_rules(svc, debt.id, lang)  # type: ignore[arg-type]
        wanted = set(contact_ids) if contact_ids else {i for i, broken in rules.items() if broken}
        missing = sorted(wanted - set(logged))
        if missing:
            raise UserError(tr("No contact entry {ids} for this debt", ids=", ".join(map(str, missing))))
        if not wanted:
            raise UserError(tr("No logged contact for this debt broke a collection rule: log the contacts "
                               "first, or choose them."))
        for c in sorted((logged[i] for i in wanted), key=lambda e: e.when):
            contacts.append(ContactLine(c.when, c.channel, c.target, c.who, c.summary,
                                        rules.get(c.id, ())))  # type: ignore[arg-type]
    charges: list[ChargeLine] = []
    lpr = cap = None
    if kind == "dispute":
        found = _checks_over_cap(svc, debt, as_of, lang)
        charges, lpr, cap = found if found is not None else charges_over_cap(debt, as_of, lang)
        if not charges:
            raise UserError(tr("Nothing on this debt is above a legal limit the program can check."))
    evidence_text = str(svc.get_setting(EVIDENCE_KEY, "") or "")
    return LetterFacts(
        person=person, debt=debt, as_of=as_of, balance=balance, lender=lenders.get(debt.lender),
        days_overdue=days_overdue, overdue_amount=overdue_amount, penalty_interest=penalty,
        late_fees=late_fees, paid_total=sum((p.amount for p in payments), Decimal("0")), budget=budget,
        debts=tuple(lines), offer=offer, schedule=schedule,
        cause=cause if cause is not None else str(svc.get_setting(CAUSE_KEY, "") or ""),
        evidence=tuple(line.strip() for line in evidence_text.splitlines() if line.strip()),
        contacts=tuple(contacts), charges=tuple(charges), lpr=lpr, cap=cap, mask_id=mask_id,
        reference=f"DK-{debt.id:04d}-{as_of:%Y%m%d}-{KIND_CODES[kind]}")


def letter_warning(svc: Services, debt_id: int, kind: str, as_of: date,
                   lang: str | None = None) -> LimitationWarning | None:
    """The warning to show before the letter is made (None when the letter is safe to send)."""
    overdue = _overdue_service()
    if overdue is not None and hasattr(overdue, "restart_warning"):
        if kind not in ACKNOWLEDGING_KINDS:
            return None
        text = overdue.restart_warning(svc, debt_id, "letter", as_of, lang)
        if text is None:
            return None
        expired = overdue.build_report(svc, debt_id, as_of).limitation.expired
        return LimitationWarning("waive" if expired else "restart", text,
                                 "Civil Code Art. 192, 195; SPC limitation rules Art. 14, 19")
    debt = svc.get_debt(debt_id)
    contacts = svc.list_contacts(debt_id)
    payments = [p.date for p in svc.list_payments(debt_id)]
    return limitation_warning(debt, kind, as_of, contacts=contacts, payment_dates=payments, lang=lang)


def make_letter(svc: Services, debt_id: int, kind: str, lang: str, as_of: date, **options: Any) -> Letter:
    """The composed letter (editable wording and tables), not yet rendered."""
    from documents.letter_data import letter_input
    from documents.letters import compose_letter

    facts = letter_facts(svc, debt_id, kind, as_of, lang, **options)
    return compose_letter(letter_input(kind, lang, facts))


def write_pdf(letter: Letter, out: Path) -> None:
    """Render the letter to ``out``; a path that cannot be written is the person's problem to fix."""
    from documents.letters import render_letter

    try:
        with out.open("wb") as fh:
            render_letter(letter, fh)
    except OSError as exc:
        raise UserError(tr("Cannot write {path}: {reason}", path=str(out), reason=exc.strerror or str(exc))) \
            from exc


# --- the repayment-plan report ---------------------------------------------------------

STRATEGY_LABELS = {
    "avalanche": N_("Avalanche (highest rate first)"),
    "snowball": N_("Snowball (smallest balance first)"),
    "custom": N_("Your own order"),
    "triage": N_("Triage (most serious consequences first)"),
    "minimum_only": N_("Minimum payments only"),
    "minimum-only": N_("Minimum payments only"),
}
PLAN_ASSUMPTIONS = (
    (N_("Interest is charged monthly on what is still owed, at each debt's rate; payments are made on the "
        "due day."), N_("Your debts' terms as entered (typical / per your contract)")),
    (N_("The monthly budget is what you set for repayments; money freed when a debt is paid off goes to "
        "the next debt in the strategy's order."), N_("The plan you chose")),
    (N_("Payments go to fees first, then interest, then principal."), N_("Civil Code Art. 561")),
)


def _rate_text(debt: Debt, lang: str) -> str:
    from documents.letter_data import RATE_UNIT_LABELS

    return tr(RATE_UNIT_LABELS[debt.rate_unit.value], lang, rate=format_percent(debt.rate, lang, 2))


def plan_report_from_plans(plans: Any, chosen: str, debts: Sequence[Debt], balances: dict[int, Decimal],
                           *, budget: Decimal, income: Decimal, expenses: Decimal, person: str, lang: str,
                           as_of: date) -> Any:
    """The report's values from the engine's plans (a mapping strategy -> Plan)."""
    from documents.plan_report import PlanDebt, PlanMonth, PlanReport, PlanResult
    from resources.rules import product_presets

    lang = normalize_language(lang)

    def key_of(strategy: object) -> str:
        return str(getattr(strategy, "value", strategy))

    def result(plan: Any) -> PlanResult:
        return PlanResult(tr(STRATEGY_LABELS.get(key_of(plan.strategy), key_of(plan.strategy)), lang),
                          plan.months, plan.payoff_date, plan.total_interest + getattr(plan, "total_fees", 0),
                          plan.total_paid, tuple(m.remaining for m in plan.months_detail))

    by_key = {key_of(k): v for k, v in dict(plans).items()}
    if chosen not in by_key:
        raise UserError(tr("No plan for the strategy {strategy}", strategy=chosen))
    plan = by_key[chosen]
    outcomes = {o.id: o for o in plan.debts}
    plan_debts = tuple(PlanDebt(d.id, d.name, d.lender, balances.get(d.id, Decimal("0")),  # type: ignore[arg-type]
                                _rate_text(d, lang), outcomes[d.id].payoff_date if d.id in outcomes else None,
                                (outcomes[d.id].interest + outcomes[d.id].fees) if d.id in outcomes
                                else Decimal("0"))
                       for d in debts if d.id in outcomes)
    months = tuple(PlanMonth(m.month, m.date, tuple(m.payments), m.remaining,
                             tuple(getattr(m, "balances", ()))) for m in plan.months_detail)
    compared = tuple(result(by_key[k]) for k in ("avalanche", "snowball", "custom", "triage", "minimum_only",
                                                 "minimum-only") if k in by_key)
    presets = product_presets()
    assumptions = [(tr(text, lang), tr(source, lang)) for text, source in PLAN_ASSUMPTIONS]
    seen: set[str] = set()
    for d in debts:
        preset = presets.get(d.kind)
        if preset is None:
            continue
        for src in preset.sources:
            if src.key not in seen:
                seen.add(src.key)
                assumptions.append((tr("{product}: {fact}", lang, product=preset.label(lang), fact=src.title),
                                    tr("{where} (checked {date})", lang, where=src.url or src.title,
                                       date=src.checked)))
    unpaid = getattr(plan, "unpaid_debts", ())
    note = ""
    if unpaid:
        note = tr("With this budget some minimums go unpaid: {debts}. Missing them adds penalty interest and "
                  "fees and can be reported to the credit bureau.", lang,
                  debts=", ".join(o.name for o in unpaid))
    return PlanReport(lang=lang, as_of=as_of, person=person, budget=budget, income=income, expenses=expenses,
                      chosen=result(plan), debts=plan_debts, months=months, compared=compared,
                      assumptions=tuple(assumptions), unpaid_note=note)


def plan_report(svc: Services, budget: Decimal, strategy: str, lang: str, as_of: date, *,
                order: Sequence[int] | None = None) -> Any:
    """The repayment-plan report for a budget and strategy, from the engine's plans."""
    try:
        from services import planning  # type: ignore[attr-defined,unused-ignore]
    except ImportError as exc:
        raise UserError(tr("Repayment plans are not available in this build.")) from exc
    if budget <= 0:
        raise UserError(tr("The budget must be more than zero."))
    plans = planning.all_plans_for(svc, budget, as_of, order=order)
    debts = [d for d in svc.list_debts(include_archived=False)]
    balances = {d.id: _summary(svc, d, as_of)[0] for d in debts}
    b = svc.get_budget()
    person = person_details(svc).name
    return plan_report_from_plans(plans, strategy, debts, balances,  # type: ignore[arg-type]
                                  budget=budget, income=b.income, expenses=b.essential_total, person=person,
                                  lang=lang, as_of=as_of)


def write_plan_pdf(report: Any, out: Path) -> None:
    from documents.plan_report import render_plan_report

    try:
        with out.open("wb") as fh:
            render_plan_report(report, fh)
    except OSError as exc:
        raise UserError(tr("Cannot write {path}: {reason}", path=str(out), reason=exc.strerror or str(exc))) \
            from exc
