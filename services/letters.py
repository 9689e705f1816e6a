"""Use case "write a letter to a lender" and "print the repayment-plan report".

Gathers the person's details (settings), the debt, the budget, the contact log and
the engine's figures into ``documents.letter_data.LetterFacts``, warns when
sending a letter may restart the limitation period, and writes the PDFs. Every
read goes through ``Services``; documents/ only lays out what it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from documents.letter_data import (
    DEADLINE_DAYS,
    ChargeLine,
    ContactLine,
    DebtLine,
    LetterFacts,
    LetterOffer,
    Person,
    ScheduleLine,
)
from documents.letters import LETTER_KINDS
from domain.debts import Budget, Debt, DebtStatus
from domain.money import ZERO
from domain.negotiation import balance_share, first_offer_date, offer_instalments
from domain.strategies import first_minimum
from fileio.atomic import atomic_file
from resources.i18n import N_, format_date, format_money, format_percent, get_language, normalize_language, tr
from services.errors import UserError
from services.person import (
    CAUSE_KEY,
    EVIDENCE_KEY,
    PERSON_KEYS,
    person_details,
    save_person,
    with_overrides,
)
from services.plan_pdf import (
    PLAN_ASSUMPTIONS,
    STRATEGY_LABELS,
    debt_balances,
    plan_report,
    plan_report_from_plans,
    write_plan_pdf,
)

if TYPE_CHECKING:
    from documents.letters import Letter
    from services.app import Services

KIND_CODES = {
    "negotiation": "N",
    "hardship": "H",
    "proposal": "P",
    "complaint": "C",
    "statement": "S",
    "dispute": "D",
}
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
# gives up the defence (Art. 19). The others admit nothing.
ACKNOWLEDGING_KINDS = frozenset({"negotiation", "hardship", "proposal"})
OFFER_KINDS = frozenset({"negotiation", "proposal"})
# Letters that state the person's income and expenses and build an offer on them: without both
# they would state ¥0.00 and offer a token payment nobody chose, so they are not written.
BUDGET_KINDS = frozenset({"negotiation", "hardship", "proposal"})
# Letters built on what happened to the person (a hardship statement is nothing without it);
# a negotiation letter states it when given and leaves it out when not.
CAUSE_KINDS = frozenset({"hardship"})
CAUSE_USED_KINDS = frozenset({"hardship", "negotiation"})
MISSING_TEXTS = {
    "income": N_("your monthly income after tax"),
    "expenses": N_("your essential monthly expenses"),
    "cause": N_("what caused your hardship, in a few factual sentences"),
}


def no_income_stated(svc: Services) -> bool:
    """Whether the person has said they have no income at present (``planning.save_budget``): an
    income of nothing is then what a letter states, not a detail still missing."""
    from services.planning import NO_INCOME_KEY

    return svc.get_setting(NO_INCOME_KEY, "") == "1"


def missing_details(
    svc: Services,
    kind: str,
    *,
    cause: str | None = None,
    budget: Budget | None = None,
    income_given: bool = False,
) -> list[str]:
    """What a letter of ``kind`` still needs from the person: "income", "expenses", "cause".

    ``cause`` and ``budget`` are what the person gives for this letter; None means the saved
    ones. ``income_given``: the income in ``budget`` was given for this letter (nothing is an
    answer then). A letter that lacks any of them is never written with stand-ins.
    """
    missing = []
    if kind in BUDGET_KINDS:
        budget = budget if budget is not None else svc.get_budget()
        if budget.income <= 0 and not (income_given or no_income_stated(svc)):
            missing.append("income")
        if budget.essential_total <= 0:
            missing.append("expenses")
    if kind in CAUSE_KINDS:
        given = cause if cause is not None else str(svc.get_setting(CAUSE_KEY, "") or "")
        if not given.strip():
            missing.append("cause")
    return missing


def budget_for_letter(svc: Services, income: Decimal | None, expenses: Decimal | None) -> Budget | None:
    """The saved budget with the income and/or essential expenses given for one letter (None:
    nothing given, the saved budget as it is). Given expenses stand for all the saved ones."""
    if income is None and expenses is None:
        return None
    saved = svc.get_budget()
    return Budget(
        income=saved.income if income is None else income,
        expenses=dict(saved.expenses) if expenses is None else {tr(N_("Essential spending")): expenses},
    )


class MissingDetails(UserError):
    """A letter refused because the person has not given what it states (``missing``)."""

    def __init__(self, missing: Sequence[str], lang: str | None = None) -> None:
        self.missing = tuple(missing)
        what = ("、" if normalize_language(lang or get_language()) == "zh_CN" else "; ").join(
            tr(MISSING_TEXTS[m], lang) for m in self.missing
        )
        super().__init__(tr(N_("This letter needs {what}. Nothing was written."), lang, what=what))


# --- warnings, contacts, charges: the overdue report ----------------------------------


@dataclass(frozen=True, slots=True)
class LimitationWarning:
    """Why sending a letter may cost the person a defence. severity: "restart" or "waive"."""

    severity: str
    text: str
    source: str
    ask: bool = False  # the period may have ended or ends within six months: ask before acting


def letter_warning(
    svc: Services, debt_id: int, kind: str, as_of: date, lang: str | None = None
) -> LimitationWarning | None:
    """The warning to show before the letter is made (None when the letter is safe to send)."""
    from services import overdue

    if kind not in ACKNOWLEDGING_KINDS:
        return None
    text = overdue.restart_warning(svc, debt_id, "letter", as_of, lang)
    if text is None:
        return None
    expired = overdue.build_report(svc, debt_id, as_of).limitation.expired
    return LimitationWarning(
        "waive" if expired else "restart",
        text,
        tr(N_("Civil Code Art. 192, 195; SPC limitation rules Art. 14, 19"), lang),
        ask=overdue.restart_needs_question(svc, debt_id, as_of),
    )


# A complaint speaks as its writer: each broken rule in the first person (本人, "me"), as a
# clause without a closing full stop. A rule not listed keeps the overdue report's own text.
RULE_TEXTS = {
    "quiet_hours": N_("Contact between {start} and {end} without my consent"),
    "call_limit": N_("More than {limit} call attempts in one day to the same number"),
    "third_party": N_(
        "Collection through a third party: others may only be asked how to reach me, never told of the debt"
    ),
    "hometown": N_(
        "Contact with my household-registration (户籍地) village or community committee about "
        "the debt: third parties must not be told of it"
    ),
    "disclosed_debt": N_("Telling someone else about my debt"),
    "threat": N_("Threats or insults"),
    "posed_as_authority": N_("Posing as a court, the police or a government office"),
    "false_legal_claim": N_("False or exaggerated legal claims (fake blacklists, “arrest”, “criminal case”)"),
    "public_exposure": N_("Public exposure: notices, posters or group messages about my debt"),
    "home_visit": N_("A home visit without my consent"),
    "new_loan": N_("Pushing me to take a new loan to repay"),
}


def contact_rules(svc: Services, debt_id: int, lang: str | None = None) -> dict[int, tuple[str, ...]]:
    """For each logged contact of a debt (by id), the collection rules it broke, in ``lang``,
    worded as the person writing the complaint."""
    from services import overdue

    lang = lang or get_language()
    out: dict[int, tuple[str, ...]] = {}
    for check in overdue.collection_violations(svc, debt_id):
        if check.entry.id is not None:
            out[check.entry.id] = tuple(
                overdue.render(RULE_TEXTS[v.rule], v.params, lang)
                if v.rule in RULE_TEXTS
                else overdue.render(v.text, v.params, lang)
                for v in check.violations
            )
    return out


def _overdue_costs(svc: Services, debt: Debt, as_of: date) -> tuple[Decimal, Decimal, Decimal]:
    """(overdue amount, penalty interest, late fees) from the overdue report: the overdue amount is
    the instalments in arrears (principal with their interest and fees, as the lender states
    逾期金额), so the three add up to the report's total due."""
    from services import overdue

    report = overdue.build_report(svc, debt.id, as_of)  # type: ignore[arg-type]
    return (
        Decimal(report.overdue_principal + report.overdue_interest),
        Decimal(report.penalty_interest),
        Decimal(report.late_fees),
    )


def _percent_param(value: str | None) -> Decimal | None:
    try:
        return Decimal(value.strip().rstrip("%")) if value else None
    except ArithmeticError:
        return None


# The letter speaks to the lender, so each failed check is worded here in the first
# person; a check of a kind not listed keeps the overdue report's own text.
CHARGE_TEXTS = {
    # {rate} is whichever annual rate the overdue report compared (the IRR one, or the agreed one if higher).
    "rate_cap": N_(
        "The annual rate of {rate} is above the cap of {cap}: {multiple} × the one-year "
        "LPR of {lpr} on {when} (SPC private-lending provisions Art. 25)."
    ),
    "overdue_cap": N_(
        "Overdue interest, late fees and other charges of {rate} a year together exceed the "
        "cap of {cap} (SPC private-lending provisions Art. 29)."
    ),
    "advance_interest": N_(
        "Of the {principal} lent only {received} reached me: interest was deducted in "
        "advance (Civil Code Art. 670)."
    ),
    "excessive_penalty": N_(
        "Overdue charges of {charge} a year are more than {margin} above the loss, "
        "counted at {loss} a year (Civil Code Art. 585)."
    ),
    "financial_line": N_(
        "Interest, penalty interest, 违约金 and other charges together exceed {line} a "
        "year, the line courts apply to loans from licensed lenders "
        "(SPC 法发〔2017〕22号 Art. 2)."
    ),
}
OVERLAPPING_CHECKS = ("financial_line", "excessive_penalty")


def _charge_text(check: Any, lang: str, render: Any) -> str:
    template = CHARGE_TEXTS.get(check.kind)
    params = dict(check.params)
    if template is None:
        return str(render(check.text, check.params, lang))
    values: dict[str, str] = {}
    for key, value in params.items():
        if key in ("principal", "received", "amount", "charges"):
            values[key] = format_money(Decimal(value), lang)
        elif key == "when":
            values[key] = format_date(date.fromisoformat(value), lang, "long")
        elif key in ("rate", "cap", "lpr", "charge", "loss", "margin", "line", "overdue"):
            number = _percent_param(value)
            values[key] = format_percent(number, lang) if number is not None else value
        else:
            values[key] = value
    try:
        return tr(template, lang, **values)
    except KeyError:  # the report no longer gives a figure the wording needs
        return str(render(check.text, check.params, lang))


def charges_over_cap(
    svc: Services, debt: Debt, as_of: date, lang: str
) -> tuple[list[ChargeLine], Decimal | None, Decimal | None]:
    """The overdue report's failed legal checks that name a sum: (lines, one-year LPR, cap), percent."""
    from services import overdue

    report = overdue.build_report(svc, debt.id, as_of)  # type: ignore[arg-type]
    lines = []
    lpr = cap = None
    # The cap and its LPR are the rate check's own (an LPR only where the LPR line applies).
    for check in report.legal_checks:
        if check.kind == "rate_cap" and check.applies:
            lpr = _percent_param(check.params.get("lpr"))
            cap = _percent_param(check.params.get("cap"))
    failed = [c for c in report.legal_checks if not c.ok and c.applies and c.amount and c.amount > 0]
    # The 24% line and the excessive-penalty check measure overlapping charges: claim the larger once.
    overlapping = [c for c in failed if c.kind in OVERLAPPING_CHECKS]
    if len(overlapping) > 1:
        keep = max(overlapping, key=lambda c: c.amount or 0)
        failed = [c for c in failed if c.kind not in OVERLAPPING_CHECKS or c is keep]
    for check in failed:
        params = dict(check.params)
        lpr = lpr or _percent_param(params.get("lpr"))
        cap = cap or _percent_param(params.get("cap"))
        lines.append(ChargeLine(_charge_text(check, lang, overdue.render), check.amount or ZERO))
    return lines, lpr, cap


# --- the offer ---------------------------------------------------------------------------


def first_payment_date(debt: Debt, as_of: date) -> date:
    """The first due day after the lender has had time to answer."""
    return first_offer_date(debt.due_day, as_of, DEADLINE_DAYS)


def instalments(
    debt: Debt, balance: Decimal, monthly: Decimal, months: int, start: date
) -> tuple[ScheduleLine, ...]:
    """Equal payments with interest frozen (``domain.negotiation.offer_instalments``), as letter lines."""
    return tuple(
        ScheduleLine(i.period, i.due_date, i.payment, i.balance)
        for i in offer_instalments(balance, monthly, months, start, debt.due_day)
    )


def engine_offer(
    debt: Debt,
    balance: Decimal,
    all_balances: Decimal,
    surplus: Decimal,
    as_of: date,
    *,
    monthly: Decimal,
    months: int,
    token: bool,
) -> tuple[LetterOffer, tuple[ScheduleLine, ...]]:
    """An offer (monthly amount and term from the engine) as a dated schedule with interest frozen.

    The engine never offers more than the budget affords: when the term cannot clear
    the balance the schedule stops at the term and the rest is what the letter asks
    to be written off or agreed later.
    """
    start = first_payment_date(debt, as_of)
    schedule = instalments(debt, balance, monthly, months, start)
    return LetterOffer(
        monthly=monthly,
        start=start,
        months=len(schedule),
        total=sum((s.payment for s in schedule), ZERO),
        end=schedule[-1].due_date,
        share=balance_share(balance, all_balances),
        surplus=max(surplus, ZERO),
        token=token,
        remaining=schedule[-1].balance,
    ), schedule


@dataclass(frozen=True, slots=True)
class _EngineOffers:
    affordable: Decimal
    offers: dict[int, Any]  # debt id -> domain.negotiation.LetterOffer
    minimums: dict[int, Decimal]  # debt id -> this month's minimum payment
    kept_back: Decimal = Decimal("0")  # what the person keeps back of what income leaves


def _engine_offers(svc: Services, as_of: date, budget: Budget | None = None) -> _EngineOffers | None:
    """The engine's affordable amount, offer per lender and minimum payments (None: nothing is owed)."""
    from services import planning

    try:
        means, proposal = planning.make_proposal(svc, as_of, budget=budget)
    except UserError:
        return None
    # this month's real minimum, the figure ``plan --json`` shows for each debt
    minimums = {d.id: first_minimum(d) for d in planning.plan_debts(svc, as_of)}
    return _EngineOffers(means.affordable, {o.debt_id: o for o in proposal.offers}, minimums, means.reserve)


# --- gathering ---------------------------------------------------------------------------


def _chosen_contacts(
    svc: Services, debt: Debt, lang: str, contact_ids: Sequence[int] | None
) -> list[ContactLine]:
    logged = {c.id: c for c in svc.list_contacts(debt.id)}
    rules = contact_rules(svc, debt.id, lang)  # type: ignore[arg-type]
    wanted = set(contact_ids) if contact_ids else {i for i, broken in rules.items() if broken}
    missing = sorted(wanted - set(logged))
    if missing:
        raise UserError(tr("No contact entry {ids} for this debt", ids=", ".join(map(str, missing))))
    if not wanted:
        raise UserError(
            tr(
                "No logged contact for this debt broke a collection rule: log the contacts "
                "first, or choose them."
            )
        )
    return [
        ContactLine(c.when, c.channel, c.target, c.who, c.summary, rules.get(c.id, ()))  # type: ignore[arg-type]
        for c in sorted((logged[i] for i in wanted), key=lambda e: e.when)
    ]


def letter_facts(
    svc: Services,
    debt_id: int,
    kind: str,
    as_of: date,
    lang: str,
    *,
    person: Person | None = None,
    contact_ids: Sequence[int] | None = None,
    cause: str | None = None,
    mask_id: bool = True,
    budget: Budget | None = None,
    income_given: bool = False,
) -> LetterFacts:
    """Everything a letter about one debt needs, read from the database and the engine.

    ``budget`` (income and expenses given for this letter) stands in for the saved one. A letter
    whose income, expenses or cause are missing is refused (``MissingDetails``), never filled in.
    """
    lang = normalize_language(lang)
    if kind not in LETTER_KINDS:
        raise UserError(tr("Unknown letter kind {kind}", kind=kind))
    debt = svc.get_debt(debt_id)
    person = person or person_details(svc)
    if not person.name:
        raise UserError(tr("Your name is missing: fill in “My details” on the Letters page, or give --name."))
    missing = missing_details(svc, kind, cause=cause, budget=budget, income_given=income_given)
    if missing:
        raise MissingDetails(missing)
    lenders = {lender.name: lender for lender in svc.list_lenders()}
    summaries = debt_balances(svc, as_of)
    active = [
        d
        for d, _balance, _days in summaries.values()
        if d.status not in (DebtStatus.SETTLED, DebtStatus.ARCHIVED) or d.id == debt.id
    ]
    balances = {d.id: summaries[d.id][1:] for d in active}  # type: ignore[index]
    total = sum((b for b, _ in balances.values()), Decimal("0"))
    engine = _engine_offers(svc, as_of, budget)
    budget = budget if budget is not None else svc.get_budget()
    surplus = engine.affordable if engine else max(budget.income - budget.essential_total, Decimal("0"))
    offers: dict[int, tuple[LetterOffer, tuple[ScheduleLine, ...]]] = {}
    lines: list[DebtLine] = []
    for other in active:
        bal, days = balances[other.id]
        made = engine.offers.get(other.id) if engine else None  # type: ignore[arg-type]
        if made is not None:
            offers[other.id] = engine_offer(  # type: ignore[index]
                other,
                bal,
                total,
                surplus,
                as_of,
                monthly=made.monthly,
                months=made.months,
                token=made.token,
            )
        offered = offers.get(other.id)  # type: ignore[arg-type]
        due = engine.minimums.get(other.id, Decimal("0")) if engine else Decimal("0")  # type: ignore[arg-type]
        lines.append(
            DebtLine(
                other.name,
                other.lender,
                bal,
                due,
                days,
                offered[0].monthly if offered else Decimal("0"),
                offered[0].share if offered else Decimal("0"),
            )
        )
    if debt.id not in balances:  # archived, or its figures cannot be read (that error names it)
        summary = svc.debt_summary(debt.id, as_of)  # type: ignore[arg-type]
        balances[debt.id] = (Decimal(summary.balance), int(summary.days_overdue or 0))
    balance, days_overdue = balances[debt.id]
    offer, schedule = offers.get(debt.id, (None, ()))  # type: ignore[arg-type]
    if offer is None and kind in OFFER_KINDS:
        raise UserError(tr("Nothing is owed on this debt, so there is nothing to offer."))
    overdue_amount, penalty, late_fees = _overdue_costs(svc, debt, as_of)
    payments = svc.list_payments(debt.id)
    contacts = _chosen_contacts(svc, debt, lang, contact_ids) if kind == "complaint" else []
    charges: list[ChargeLine] = []
    lpr = cap = compared = None
    old_lines = False
    if kind == "dispute":
        charges, lpr, cap = charges_over_cap(svc, debt, as_of, lang)
        compared, old_lines = cap_comparison(svc, debt, as_of)
        if not charges:
            raise UserError(tr("Nothing on this debt is above a legal limit the program can check."))
    limitation_ends, time_barred = _limitation(svc, debt, as_of)
    evidence_text = str(svc.get_setting(EVIDENCE_KEY, "") or "")
    return LetterFacts(
        person=person,
        debt=debt,
        as_of=as_of,
        balance=balance,
        lender=lenders.get(debt.lender),
        days_overdue=days_overdue,
        overdue_amount=overdue_amount,
        penalty_interest=penalty,
        late_fees=late_fees,
        paid_total=sum((p.amount for p in payments), Decimal("0")),
        budget=budget,
        debts=tuple(lines),
        offer=offer,
        schedule=schedule,
        cause=cause if cause is not None else str(svc.get_setting(CAUSE_KEY, "") or ""),
        evidence=tuple(line.strip() for line in evidence_text.splitlines() if line.strip()),
        contacts=tuple(contacts),
        charges=tuple(charges),
        lpr=lpr,
        cap=cap,
        compared_rate=compared,
        old_private_lines=old_lines,
        limitation_ends=limitation_ends,
        time_barred=time_barred,
        mask_id=mask_id,
        reference=f"DK-{debt.id:04d}-{as_of:%Y%m%d}-{KIND_CODES[kind]}",
        kept_back=engine.kept_back if engine else Decimal("0"),
    )


def _limitation(svc: Services, debt: Debt, as_of: date) -> tuple[date | None, bool]:
    """When the limitation period ends by the person's records, and whether it has passed."""
    from services import overdue

    try:
        lim = overdue.build_report(svc, debt.id, as_of).limitation  # type: ignore[arg-type]
    except (ValueError, ArithmeticError):
        return None, False
    return lim.ends, lim.expired


def cap_comparison(svc: Services, debt: Debt, as_of: date) -> tuple[Decimal | None, bool]:
    """The rate compared with the private-lending cap (percent a year, on the principal actually
    received) and whether the contract predates 2020-08-20 (SPC private-lending provisions Art. 31)."""
    from services import overdue

    report = overdue.build_report(svc, debt.id, as_of)  # type: ignore[arg-type]
    for check in report.legal_checks:
        if check.kind == "rate_cap" and check.applies:
            old = "void" in check.params or check.params.get("when", "") != debt.start_date.isoformat()
            return _percent_param(check.params.get("rate")), old
    return None, False


def make_letter(svc: Services, debt_id: int, kind: str, lang: str, as_of: date, **options: Any) -> Letter:
    """The composed letter (editable wording and tables), not yet rendered."""
    from documents.letter_data import letter_input
    from documents.letters import compose_letter

    facts = letter_facts(svc, debt_id, kind, as_of, lang, **options)
    return compose_letter(letter_input(kind, lang, facts))


def write_pdf(letter: Letter, out: Path | BinaryIO) -> None:
    """Render the letter to ``out`` (a path, or an open binary file such as standard output); a path that
    cannot be written is the person's problem to fix."""
    from documents.letters import render_letter

    if not isinstance(out, str | PathLike):
        render_letter(letter, out)
        return
    try:
        with atomic_file(out) as fh:  # whole or not at all, and private: it holds name, ID and address
            render_letter(letter, cast(BinaryIO, fh))
    except OSError as exc:
        raise UserError(
            tr("Cannot write {path}: {reason}", path=str(out), reason=exc.strerror or str(exc))
        ) from exc


__all__ = [
    "CAUSE_KEY",
    "EVIDENCE_KEY",
    "PERSON_KEYS",
    "PLAN_ASSUMPTIONS",
    "STRATEGY_LABELS",
    "Person",
    "make_letter",
    "person_details",
    "plan_report",
    "plan_report_from_plans",
    "save_person",
    "with_overrides",
    "write_pdf",
    "write_plan_pdf",
]
