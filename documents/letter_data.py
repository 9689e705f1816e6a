"""The facts a letter is written from, and how they become a template's values.

``LetterFacts`` holds plain domain values the letter service gathers (the debt,
the person, the budget, the offer, the selected contacts, the disputed charges);
``letter_input`` turns them into the values, flags, lists and tables of one
letter kind in one language. No money math happens here: amounts arrive computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from documents.letters import LetterInput, Party, RateText, Table, mask_account, mask_id_number
from domain.debts import Budget, ContactChannel, ContactTarget, Debt, DebtKind, Lender
from resources.i18n import N_, format_date, format_money, format_percent, normalize_language, tr

DEADLINE_DAYS = 15  # a polite time to answer; not a legal term


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    address: str = ""
    phone: str = ""
    id_number: str = ""
    email: str = ""
    city: str = ""


@dataclass(frozen=True, slots=True)
class DebtLine:
    """One of the person's debts, as listed in a hardship statement or a proposal."""

    name: str
    lender: str
    balance: Decimal
    monthly_due: Decimal
    days_overdue: int = 0
    offer_monthly: Decimal = Decimal("0")
    share: Decimal = Decimal("0")  # fraction of all balances, 0..1


@dataclass(frozen=True, slots=True)
class LetterOffer:
    monthly: Decimal
    start: date
    months: int
    total: Decimal
    end: date
    share: Decimal  # this debt's fraction of all balances, 0..1
    surplus: Decimal  # what the budget leaves each month for all debts
    token: bool = False  # nothing is affordable: a token payment
    remaining: Decimal = Decimal("0")  # still owed when the offer's term ends


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    period: int
    due_date: date
    payment: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True)
class ContactLine:
    """A logged collection contact with the rules it broke (texts in the letter's language)."""

    when: datetime
    channel: ContactChannel
    target: ContactTarget
    who: str
    summary: str
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChargeLine:
    """A charge above a legal limit: what, which rule, the limit (text in the letter's language)."""

    item: str
    over: Decimal


@dataclass(frozen=True, slots=True)
class LetterFacts:
    person: Person
    debt: Debt
    as_of: date
    balance: Decimal
    lender: Lender | None = None
    days_overdue: int = 0
    overdue_amount: Decimal = Decimal("0")
    penalty_interest: Decimal = Decimal("0")
    late_fees: Decimal = Decimal("0")
    paid_total: Decimal = Decimal("0")
    budget: Budget = field(default_factory=Budget)
    debts: tuple[DebtLine, ...] = ()
    offer: LetterOffer | None = None
    schedule: tuple[ScheduleLine, ...] = ()
    cause: str = ""
    evidence: tuple[str, ...] = ()
    contacts: tuple[ContactLine, ...] = ()
    charges: tuple[ChargeLine, ...] = ()
    lpr: Decimal | None = None  # percent a year at the contract date
    cap: Decimal | None = None  # percent a year
    # The rate the cap is compared with (on the principal actually received), percent a year.
    compared_rate: Decimal | None = None
    # A private loan made before 2020-08-20: the 2015 lines for interest before that day (Art. 31).
    old_private_lines: bool = False
    # The limitation period's end by the person's records, and whether it has passed (time-barred).
    limitation_ends: date | None = None
    time_barred: bool = False
    mask_id: bool = True
    reference: str = ""
    kept_back: Decimal = Decimal("0")  # of what income leaves after expenses, kept out of the offers


CHANNEL_LABELS = {
    ContactChannel.PHONE: N_("phone call"),
    ContactChannel.SMS: N_("text message"),
    ContactChannel.WECHAT: N_("WeChat"),
    ContactChannel.LETTER: N_("letter"),
    ContactChannel.VISIT: N_("visit"),
    ContactChannel.EMAIL: N_("email"),
    ContactChannel.OTHER: N_("other"),
}
TARGET_LABELS = {
    ContactTarget.DEBTOR: N_("me"),
    ContactTarget.GUARANTOR: N_("my guarantor"),
    ContactTarget.FAMILY: N_("my family"),
    ContactTarget.EMPLOYER: N_("my employer"),
    ContactTarget.HOMETOWN: N_("my home village or community committee"),
    ContactTarget.FRIEND: N_("a friend"),
    ContactTarget.OTHER: N_("someone else"),
}
# What the person is to the lender: a card's holder, everyone else's borrower.
ROLE_LABELS = {"card": N_("cardholder"), "loan": N_("borrower")}
# What a negotiation asks each kind of lender for: a card has 个性化分期 (its own paragraph);
# every other product its own terms.
ARRANGEMENTS = {
    "loan": N_(
        "an extension of the loan (Civil Code Article 678) or a new repayment schedule with smaller "
        "monthly payments"
    ),
    "platform": N_(
        "an arrangement under your own negotiated-repayment service: deferred repayment or "
        "repayment in instalments"
    ),
    "private": N_("new repayment dates and amounts"),
}
ARRANGEMENT_OF_KIND = {
    DebtKind.JD_BAITIAO: "platform",
    DebtKind.JD_JINTIAO: "platform",
    DebtKind.HUABEI: "platform",
    DebtKind.JIEBEI: "platform",
    DebtKind.PRIVATE_LOAN: "private",
}
RATE_UNIT_LABELS = {
    "day": N_("{rate} a day"),
    "month": N_("{rate} a month"),
    "year": N_("{rate} a year"),
}
DEFAULT_EVIDENCE = (
    N_("Proof of income (payslips or bank statements for the last 6 months)"),
    N_("Proof of unemployment or of reduced income, if any"),
    N_("Medical records and bills, if illness is a cause"),
    N_("A list of all my debts with the latest statement of each"),
)
STATEMENT_ITEMS = (
    N_(
        "The balance on {as_of} and what it is made of: principal, interest, penalty interest, compound "
        "interest, late fees, instalment and other fees, each separately."
    ),
    N_(
        "How each interest and fee amount was calculated: the rate used, the amount it was charged on, and "
        "the dates from and to."
    ),
    N_(
        "Every transaction and payment since {start_date}, and how each payment was applied to fees, "
        "interest and principal (Civil Code Article 561)."
    ),
    N_("A copy of the contract and of the terms setting each rate and fee."),
    N_("What you have reported about this account to the credit reference database, and when."),
)


def _party_lines(person: Person, lang: str, mask: bool) -> tuple[str, ...]:
    lines: list[str] = []
    if person.address:
        lines.append(person.address)
    if person.phone:
        lines.append(tr("Telephone: {phone}", lang, phone=person.phone))
    if person.email:
        lines.append(tr("Email: {email}", lang, email=person.email))
    if person.id_number:
        shown = mask_id_number(person.id_number) if mask else person.id_number
        lines.append(tr("ID number: {id}", lang, id=shown))
    return tuple(lines)


def _money(value: Decimal, lang: str) -> str:
    return format_money(value, lang)


def _share(value: Decimal, lang: str) -> str:
    return format_percent(value * 100, lang, places=1)


def _clause(text: str, lang: str) -> str:
    """A bracketed aside after a word: full-width brackets join Chinese directly, English takes a space."""
    return text if lang.startswith("zh") else " " + text


def _clause_end(text: str) -> str:
    """A sentence made a clause: its closing full stop goes, so "。；", ".;" and "。）" never appear."""
    return text.strip().rstrip("。.；;，,")


def letter_input(kind: str, lang: str, facts: LetterFacts) -> LetterInput:
    """The template values, flags, lists and tables for one letter kind and language."""
    lang = normalize_language(lang)
    debt = facts.debt
    person = facts.person
    lender_name = facts.lender.name if facts.lender else debt.lender
    recipient_lines = tuple(x for x in ((facts.lender.address if facts.lender else ""),) if x)
    account_raw = facts.lender.account_number if facts.lender and facts.lender.account_number else ""
    account = mask_account(account_raw, lang) if account_raw else ""
    id_shown = mask_id_number(person.id_number) if facts.mask_id else person.id_number
    budget = facts.budget
    surplus = facts.offer.surplus if facts.offer else budget.income - budget.essential_total
    offer = facts.offer
    total_all = sum((d.balance for d in facts.debts), Decimal("0")) or facts.balance
    card = debt.kind == DebtKind.CREDIT_CARD
    zh = lang.startswith("zh")
    phone = person.phone.strip()
    values: dict[str, object] = {
        "name": person.name,
        "phone": phone or tr("(not given)", lang),
        # A phone number the person did not give is left out, words and brackets with it.
        "phone_paren": (
            tr("(telephone: {phone})", lang, phone=phone)
            if zh
            else " " + tr("(telephone: {phone})", lang, phone=phone)
        )
        if phone
        else "",
        "phone_or": (
            tr("or on {phone}", lang, phone=phone) if zh else " " + tr("or on {phone}", lang, phone=phone)
        )
        if phone
        else "",
        "complainant_phone": tr(", telephone {phone}", lang, phone=phone) if phone else "",
        "role": tr(ROLE_LABELS["card" if card else "loan"], lang),
        "arrangement": tr(ARRANGEMENTS[ARRANGEMENT_OF_KIND.get(debt.kind, "loan")], lang),
        "lender": lender_name,
        "debt_name": debt.name,
        "account": account or tr("(not given)", lang),
        # Optional details stand in brackets after the name they belong to, or are left out.
        "account_clause": _clause(tr("(account: {account})", lang, account=account), lang) if account else "",
        "id_clause": _clause(tr("(ID number {id})", lang, id=id_shown), lang) if person.id_number else "",
        "as_of": facts.as_of,
        "deadline": facts.as_of + timedelta(days=DEADLINE_DAYS),
        "limitation_ends": facts.limitation_ends or facts.as_of,
        "principal": debt.principal,
        "start_date": debt.start_date,
        "balance": facts.balance,
        "paid_total": facts.paid_total,
        "overdue_amount": facts.overdue_amount,
        "overdue_since": debt.overdue_since or facts.as_of,
        "days_overdue": facts.days_overdue,
        "penalty_interest": facts.penalty_interest,
        "late_fees": facts.late_fees,
        "income": budget.income,
        "expenses_total": budget.essential_total,
        "surplus": max(surplus, Decimal("0")),
        "debts_count": max(len(facts.debts), 1),
        "total_balance_all": total_all,
        "total_monthly_due": sum((d.monthly_due for d in facts.debts), Decimal("0")),
        # What happened, in the person's words; never a stand-in (the letter service asks for it).
        "cause": facts.cause.strip(),
        "received_amount": debt.received_amount if debt.received_amount is not None else debt.principal,
    }
    if offer is not None:
        values.update(
            {
                "offer_monthly": offer.monthly,
                "offer_start": offer.start,
                "offer_months": offer.months,
                "offer_total": offer.total,
                "offer_end": offer.end,
                "share": _share(offer.share, lang),
                "remaining_after": offer.remaining,
            }
        )
    penalty_parts = []
    if facts.penalty_interest > 0:
        penalty_parts.append(
            tr("penalty interest of {amount}", lang, amount=_money(facts.penalty_interest, lang))
        )
    if facts.late_fees > 0:
        penalty_parts.append(tr("late fees (违约金) of {amount}", lang, amount=_money(facts.late_fees, lang)))
    values["penalty_items"] = tr(" and ", lang).join(penalty_parts)
    flags: set[str] = set()
    if card:
        flags.add("card")
    if debt.kind == DebtKind.PRIVATE_LOAN:
        flags.add("private_loan")
        if facts.old_private_lines:
            flags.add("old_private_lines")
    if debt.kind == DebtKind.PRIVATE_LOAN or (
        facts.lender is not None and facts.lender.kind == DebtKind.PRIVATE_LOAN
    ):
        flags.add("named")  # the lender is a person, greeted by name
    if facts.days_overdue > 0:
        flags.add("overdue")
    if facts.time_barred:
        flags.add("time_barred")
    if facts.penalty_interest > 0 or facts.late_fees > 0:
        flags.add("has_penalty")
    if sum((d.monthly_due for d in facts.debts), Decimal("0")) > max(surplus, Decimal("0")):
        flags.add("due_exceeds")
    if facts.budget.income <= 0:
        flags.add("no_income")  # the person has said so: nothing else lets such a letter be written
    if offer is not None and offer.token:
        flags.add("token")
    if offer is not None and offer.remaining > 0 and not offer.token:
        flags.add("short")
    if debt.received_amount is not None and debt.received_amount < debt.principal:
        flags.add("advance_interest")

    lists: dict[str, tuple[str, ...]] = {
        "evidence": facts.evidence or tuple(tr(e, lang) for e in DEFAULT_EVIDENCE),
        "requested_items": tuple(
            tr(
                item,
                lang,
                as_of=format_date(facts.as_of, lang, "long"),
                start_date=format_date(debt.start_date, lang, "long"),
            )
            for item in STATEMENT_ITEMS
        ),
    }
    tables: dict[str, Table] = {}
    if kind == "hardship":
        rows = [(tr("Income", lang), _money(budget.income, lang))]
        rows += [(tr(category, lang), _money(amount, lang)) for category, amount in budget.expenses.items()]
        rows.append((tr("Essential spending in total", lang), _money(budget.essential_total, lang)))
        if facts.kept_back > 0:
            rows.append((tr("Kept back for emergencies", lang), _money(facts.kept_back, lang)))
        rows.append((tr("Left for all debts", lang), _money(max(surplus, Decimal("0")), lang)))
        tables["budget"] = Table(
            (tr("Each month", lang), tr("Amount", lang)), tuple(rows), ("L", "R"), (3, 2)
        )
        tables["debts"] = Table(
            (
                tr("Debt", lang),
                tr("Lender", lang),
                tr("Balance", lang),
                tr("Due each month", lang),
                tr("Days overdue", lang),
            ),
            tuple(
                (d.name, d.lender, _money(d.balance, lang), _money(d.monthly_due, lang), str(d.days_overdue))
                for d in facts.debts
            ),
            ("L", "L", "R", "R", "R"),
            (3, 3, 2.2, 2.2, 1.4),
        )
    if kind == "proposal":
        tables["lenders"] = Table(
            (
                tr("Debt", lang),
                tr("Lender", lang),
                tr("Balance", lang),
                tr("Share", lang),
                tr("Each month", lang),
            ),
            tuple(
                (
                    d.name,
                    d.lender,
                    _money(d.balance, lang),
                    _share(d.share, lang),
                    _money(d.offer_monthly, lang),
                )
                for d in facts.debts
            ),
            ("L", "L", "R", "R", "R"),
            (3, 3, 2.2, 1.4, 2.2),
        )
        tables["schedule"] = Table(
            (tr("Instalment", lang), tr("Due date", lang), tr("Amount", lang), tr("Balance after", lang)),
            tuple(
                (
                    str(s.period),
                    format_date(s.due_date, lang, "long"),
                    _money(s.payment, lang),
                    _money(s.balance, lang),
                )
                for s in facts.schedule
            ),
            ("R", "L", "R", "R"),
            (1, 3, 2, 2),
        )
    if kind == "complaint":
        rows = []
        facts_list = []
        for c in facts.contacts:
            when = f"{format_date(c.when.date(), lang, 'long')} {c.when:%H:%M}"
            channel = tr(CHANNEL_LABELS[c.channel], lang)
            target = tr(TARGET_LABELS[c.target], lang)
            rows.append(
                (
                    when,
                    tr("{channel} to {target}", lang, channel=channel, target=target),
                    (c.who + ("：" if lang == "zh_CN" else ": ") if c.who else "") + c.summary,
                    "\n".join(c.rules),
                )
            )
            facts_list.append(
                tr(
                    "{when}, {channel} to {target}: {summary} ({rules})",
                    lang,
                    when=when,
                    channel=channel,
                    target=target,
                    summary=_clause_end(c.summary or c.who),
                    rules=("；" if lang == "zh_CN" else "; ").join(_clause_end(r) for r in c.rules),
                )
            )
        tables["contacts"] = Table(
            (
                tr("When", lang),
                tr("How and to whom", lang),
                tr("What happened", lang),
                tr("Rule broken", lang),
            ),
            tuple(rows),
            ("L", "L", "L", "L"),
            (2.2, 2, 3.6, 3.6),
        )
        lists["complaint_facts"] = tuple(facts_list)
        moments = [c.when.date() for c in facts.contacts] or [facts.as_of]
        values.update(
            {
                "first_contact": min(moments),
                "last_contact": max(moments),
                "contacts_count": len(facts.contacts),
            }
        )
    if kind == "dispute":
        tables["charges"] = Table(
            (tr("What is above the limit", lang), tr("Amount over", lang)),
            tuple((c.item, _money(c.over, lang)) for c in facts.charges),
            ("L", "R"),
            (4, 1),
        )
        values["over_total"] = sum((c.over for c in facts.charges), Decimal("0"))
        values["lpr"] = RateText(facts.lpr) if facts.lpr is not None else tr("(unknown)", lang)
        values["cap"] = RateText(facts.cap) if facts.cap is not None else tr("(unknown)", lang)
        if facts.compared_rate is not None:
            values["contract_rate"] = RateText(facts.compared_rate)
        else:
            values["contract_rate"] = (
                RateText(debt.rate)
                if debt.rate_unit.value == "year"
                else tr(RATE_UNIT_LABELS[debt.rate_unit.value], lang, rate=format_percent(debt.rate, lang, 4))
            )

    references = [(tr("Account", lang), account)] if account else []
    if facts.reference:
        references.append((tr("Reference number", lang), facts.reference))
    sender = Party(person.name, _party_lines(person, lang, facts.mask_id))
    recipient = Party(lender_name, recipient_lines)
    return LetterInput(
        kind=kind,
        lang=lang,
        as_of=facts.as_of,
        sender=sender,
        recipient=recipient,
        place=person.city,
        references=tuple(references),
        values=values,
        flags=frozenset(flags),
        lists=lists,
        tables=tables,
    )
