"""The debt and payment values every layer passes around.

Field names and units follow the debt JSON of the command-line contract:
rates are percent (``rate`` per ``rate_unit``; ``fee_rate`` percent per month of
the original principal; ``late_fee_rate_per_day`` percent per day), amounts are
Decimal yuan, dates are ``datetime.date``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class DebtKind(StrEnum):
    JD_BAITIAO = "jd_baitiao"
    JD_JINTIAO = "jd_jintiao"
    HUABEI = "huabei"
    JIEBEI = "jiebei"
    CREDIT_CARD = "credit_card"
    BANK_LOAN = "bank_loan"
    CONSUMER_FINANCE = "consumer_finance"
    SMALL_LOAN = "small_loan"
    PRIVATE_LOAN = "private_loan"
    MORTGAGE = "mortgage"  # 房贷: secured on the home
    CAR_LOAN = "car_loan"  # 车贷: secured on the car
    GUARANTEED = "guaranteed"  # a loan someone vouched for (担保人 / 保证人)
    OTHER = "other"


class Method(StrEnum):
    EQUAL_INSTALLMENT = "equal-installment"  # 等额本息
    EQUAL_PRINCIPAL = "equal-principal"  # 等额本金
    INTEREST_ONLY = "interest-only"  # 先息后本
    BULLET = "bullet"  # 到期一次还本付息
    FEE_INSTALLMENT = "fee-installment"  # 分期手续费 on the original principal
    DAILY_INTEREST = "daily-interest"  # 按日计息 (Jiebei, Jintiao)
    REVOLVING = "revolving"  # credit-card revolving balance


class RateUnit(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class DebtStatus(StrEnum):
    ACTIVE = "active"
    OVERDUE = "overdue"
    NEGOTIATING = "negotiating"
    SETTLED = "settled"
    ARCHIVED = "archived"


@dataclass(frozen=True, slots=True)
class Debt:
    """One debt as the person entered it (terms default from the product preset)."""

    name: str
    lender: str
    kind: DebtKind
    principal: Decimal
    start_date: date
    method: Method
    months: int
    rate: Decimal = Decimal("0")  # percent per rate_unit
    rate_unit: RateUnit = RateUnit.YEAR
    fee_rate: Decimal = Decimal("0")  # percent per month of the original principal
    due_day: int = 1
    grace_days: int = 0
    penalty_rate_multiplier: Decimal = Decimal("1.5")
    late_fee_rate_per_day: Decimal = Decimal("0")  # percent per day of the overdue amount
    overdue_since: date | None = None  # first missed due date
    overdue_amount: Decimal | None = None  # arrears the person already has
    received_amount: Decimal | None = None  # what reached them (砍头息)
    # Where the debt stood when it was entered (see ``domain.standing``): instalments of its
    # schedule paid in full before anything recorded (已还期数), and/or the principal the lender
    # shows on a date (当前剩余本金; for a card, the statement balance).
    instalments_paid: int = 0
    outstanding_principal: Decimal | None = None
    outstanding_as_of: date | None = None
    status: DebtStatus = DebtStatus.ACTIVE
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment made on a debt, and how it was split (Civil Code Art. 561 order)."""

    debt_id: int
    date: date
    amount: Decimal
    fees: Decimal = Decimal("0")
    interest: Decimal = Decimal("0")
    principal: Decimal = Decimal("0")
    note: str = ""
    id: int | None = None


class ContactChannel(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    WECHAT = "wechat"
    LETTER = "letter"
    VISIT = "visit"
    EMAIL = "email"
    OTHER = "other"


class ContactTarget(StrEnum):
    """Whom the collector contacted: the debtor, or a third party about the debt."""

    DEBTOR = "debtor"
    GUARANTOR = "guarantor"
    FAMILY = "family"
    EMPLOYER = "employer"
    HOMETOWN = "hometown"  # 户籍地 village or community committee
    FRIEND = "friend"
    OTHER = "other"


class ContactConduct(StrEnum):
    """Things a collector did that the person can tick when logging a contact."""

    THREAT = "threat"  # threats of violence or harm
    INSULT = "insult"
    POSED_AS_AUTHORITY = "posed_as_authority"  # pretended to be a court, police or lawyer's office
    FALSE_LEGAL_CLAIM = "false_legal_claim"  # exaggerated legal consequences, fake blacklists
    DISCLOSED_DEBT = "disclosed_debt"  # told a third party about the debt
    PUBLIC_EXPOSURE = "public_exposure"  # public notices, group messages, posters
    HOME_VISIT_UNCONSENTED = "home_visit_unconsented"
    PUSHED_NEW_LOAN = "pushed_new_loan"


@dataclass(frozen=True, slots=True)
class ContactEntry:
    """One collection contact, kept as evidence."""

    when: datetime
    channel: ContactChannel
    who: str  # the caller / company as they named themselves
    target: ContactTarget = ContactTarget.DEBTOR
    summary: str = ""  # what was said
    conduct: frozenset[ContactConduct] = frozenset()
    attachments: tuple[str, ...] = ()  # file names of recordings, screenshots
    debt_id: int | None = None
    phone_number: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Lender:
    name: str
    kind: DebtKind = DebtKind.OTHER
    phone: str = ""
    address: str = ""
    account_number: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Budget:
    """Monthly income and essential expenses by category (Decimal yuan)."""

    income: Decimal = Decimal("0")
    expenses: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def essential_total(self) -> Decimal:
        return sum(self.expenses.values(), Decimal("0"))


@dataclass(frozen=True, slots=True)
class FieldError:
    """A user error as data: the field, an untranslated message id and its parameters.

    ``message`` is an English msgid marked with ``N_`` at its source; the layer
    that shows it translates it and fills ``params`` with ``str.format``.
    """

    field: str
    message: str
    # dataclasses.field by its full name: the attribute above shadows ``field`` here.
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)


def N_(message: str) -> str:
    """Mark a message for translation without translating it (translated where shown)."""
    return message
