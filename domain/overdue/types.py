"""The values of the overdue account: rules in force, instalments, charges, events, checks, reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from domain.apr import PaymentRowLike
from domain.debts import DebtKind
from domain.money import ZERO
from domain.rules import Cited, Escalation, LegalRules, LprTable, OverdueTerms

PAST, CURRENT, COMING = "past", "current", "coming"
# How close to its end a limitation period must be before a restarting action is
# warned about (a choice of this program, not a rule of law).
WARN_WINDOW_MONTHS = 6


class ArrearsRowLike(PaymentRowLike, Protocol):
    """The part of a schedule row (domain.schedules) the overdue engine reads: the rate's part, and when."""

    @property
    def due_date(self) -> date: ...


@dataclass(frozen=True, slots=True)
class OverdueRules:
    """Everything the engine needs from resources/rules, for one debt's kind."""

    terms: OverdueTerms
    legal: LegalRules
    lpr: LprTable
    escalation: Escalation


@dataclass(frozen=True, slots=True)
class Instalment:
    """An amount in arrears (or falling due later), overdue from its due date."""

    due_date: date
    principal: Decimal
    interest: Decimal = ZERO
    fee: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest + self.fee


@dataclass(frozen=True, slots=True)
class RuleUse:
    """Which rule a figure came from: msgid + params, and its citation."""

    figure: str
    text: str
    params: Mapping[str, str]
    cited: Cited | None


@dataclass(frozen=True, slots=True)
class Charges:
    """The state of the arrears on one date."""

    on: date
    days_overdue: int
    in_grace: bool
    overdue_principal: Decimal
    overdue_interest: Decimal  # contractual interest and instalment fees in arrears
    penalty_interest: Decimal
    late_fees: Decimal
    rules_used: tuple[RuleUse, ...] = ()

    @property
    def total_due(self) -> Decimal:
        return self.overdue_principal + self.overdue_interest + self.penalty_interest + self.late_fees

    @property
    def charges(self) -> Decimal:
        return self.penalty_interest + self.late_fees


@dataclass(frozen=True, slots=True)
class ProjectionPoint:
    on: date
    days_overdue: int
    penalty_interest: Decimal
    late_fees: Decimal
    total_due: Decimal
    more_than_now: Decimal  # what waiting until ``on`` adds to today's total


@dataclass(frozen=True, slots=True)
class Event:
    """One step of the escalation timeline, placed on this debt's calendar."""

    key: str
    kind: str
    day: int
    day_to: int | None  # None: from ``day`` on
    on: date
    on_to: date | None
    text: str
    params: Mapping[str, str]
    cited: Cited
    commonly: bool
    status: str  # past | current | coming: where today falls against the step's days
    applies: bool = True
    severity: int = 0  # how serious for the person (escalation.toml), to pick what matters most
    possible: bool = False  # depends on the lender's or a court's choice: shown as possible, never dated
    needs_judgment: bool = False  # only after a judgment the program cannot know of
    stage: bool = False  # the one step that says where the debt stands today


@dataclass(frozen=True, slots=True)
class LegalCheck:
    kind: str
    ok: bool
    applies: bool
    text: str
    params: Mapping[str, str]
    cited: Cited
    amount: Decimal | None = None  # what the person can dispute, when it is a sum


@dataclass(frozen=True, slots=True)
class Limitation:
    """When the three-year limitation period ends, and what started it."""

    starts: date
    ends: date
    basis: str  # last_due | last_payment | last_demand | overdue_since
    expired: bool
    cited: Cited
    last_payment: date | None = None
    last_demand: date | None = None
    card: bool = False  # a card: the bank's own acts also interrupt it (bank-card provisions Art. 3)


@dataclass(frozen=True, slots=True)
class OverdueReport:
    debt_id: int | None
    kind: DebtKind
    as_of: date
    days_overdue: int
    in_grace: bool
    grace_days: int
    stage: str
    overdue_principal: Decimal
    overdue_interest: Decimal
    penalty_interest: Decimal
    late_fees: Decimal
    total_due: Decimal
    events: tuple[Event, ...]
    limitation: Limitation
    legal_checks: tuple[LegalCheck, ...]
    projection: tuple[ProjectionPoint, ...]
    rules_used: tuple[RuleUse, ...] = field(default_factory=tuple)
