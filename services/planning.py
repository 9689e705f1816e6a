"""Use cases of the repayment engine: plans across the stored debts, schedules and rates.

Turns stored debts into the plain values the engine works on (``PlanDebt``), loads the
engine's rules (triage severity, revolving minimums, longest instalment terms), and turns
results into the command-line contract's JSON and into translated notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from domain.debts import Budget, Debt, DebtKind, DebtStatus, Method
from domain.money import ZERO, money_str, round_fen
from domain.negotiation import (
    NOT_FIT_TEXT,
    TOKEN_TEXT,
    Affordability,
    Proposal,
    ProposalError,
    affordability,
    propose,
)
from domain.plan_input import plan_debt
from domain.rates import EffectiveRate, effective_rate
from domain.repayment_rules import RepaymentRules, parse_repayment_rules
from domain.schedules import Change, Schedule, schedule_for
from domain.strategies import (
    NEVER_ENDS_TEXT,
    SHORTFALL_TEXT,
    BudgetChange,
    Comparison,
    DebtOutcome,
    ExtraMoney,
    Plan,
    PlanDebt,
    PlanError,
    Strategy,
    TriageRules,
    all_plans,
    build_plan,
    compare_plans,
    parse_triage_rules,
)
from resources.i18n import N_, format_money, tr
from resources.rules import read_rules_text
from services.errors import UserError, user_error
from services.overdue import arrears_on

if TYPE_CHECKING:
    from services.debts import DebtStanding

UNPAID_TEXT = N_("{name}: the minimum goes unpaid in {count} of the plan's months, from month {first}.")
PRIORITY_TEXT = N_("Priority {priority}: {name}, minimum {minimum} a month.")
NO_REASON_TEXT = N_("Nothing serious a payment this month can still avert.")
CONSEQUENCES_TEXT = N_("A minimum left unpaid can bring:")
HAPPENED_TEXT = N_("Already happened, so a payment short of the arrears does not undo it: {consequence}")
CLOSED = (DebtStatus.SETTLED, DebtStatus.ARCHIVED)


class DebtSource(Protocol):
    """What planning needs of ``services.app.Services``."""

    def list_standings(self, as_of: date, include_archived: bool = True) -> Sequence[DebtStanding]: ...


def triage_rules() -> TriageRules:
    return parse_triage_rules(read_rules_text("triage.toml"))


@cache
def repayment_rules() -> RepaymentRules:
    return parse_repayment_rules(read_rules_text("repayment.toml"))


# --- schedules ----------------------------------------------------------------------


def debt_schedule(debt: Debt, changes: Iterable[Change] = (), minimum_path: bool = False) -> Schedule:
    """A debt's schedule; for a revolving debt with ``minimum_path`` the minimum every cycle
    (the kind's minimum-payment rule, or the card rule when the kind has none)."""
    minimum = None
    if minimum_path and debt.method is Method.REVOLVING:
        rules = repayment_rules()
        minimum = rules.minimum_for(debt.kind) or rules.minimum_for(DebtKind.CREDIT_CARD)
    return schedule_for(debt, changes, minimum=minimum)


def schedule_to_json(schedule: Schedule) -> dict[str, Any]:
    """The contract's ``calc schedule --json`` document."""
    return {
        "method": schedule.method.value,
        "principal": money_str(schedule.principal),
        "payment_total": money_str(schedule.payment_total),
        "interest_total": money_str(schedule.interest_total),
        "fee_total": money_str(schedule.fee_total),
        "rows": [
            {
                "period": r.period,
                "due_date": r.due_date.isoformat(),
                "payment": money_str(r.payment),
                "principal": money_str(r.principal),
                "interest": money_str(r.interest),
                "fee": money_str(r.fee),
                "balance": money_str(r.balance),
            }
            for r in schedule.rows
        ],
    }


def percent_str(value: Decimal, places: int = 2) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


@dataclass(frozen=True, slots=True)
class AprResult:
    principal: Decimal
    months: int
    fee_rate: Decimal
    upfront_fee: Decimal
    rate: EffectiveRate
    schedule: Schedule | None


def apr_of(cashflows: Sequence[Decimal]) -> EffectiveRate:
    try:
        return effective_rate(cashflows)
    except ValueError as exc:
        raise UserError(tr(N_("No annual rate balances these payments: {reason}"), reason=str(exc))) from exc


def apr_to_json(result: AprResult) -> dict[str, Any]:
    """The contract's ``calc apr --json`` document (rates percent strings)."""
    return {
        "principal": money_str(result.principal),
        "months": result.months,
        "fee_rate": f"{result.fee_rate:f}",
        "irr_monthly": percent_str(result.rate.irr_monthly, 4),
        "apr_simple": percent_str(result.rate.apr_simple),
        "apr_compound": percent_str(result.rate.apr_compound),
    }


# --- plans ----------------------------------------------------------------------------


def plan_debts(svc: DebtSource, as_of: date) -> list[PlanDebt]:
    """Every open debt with something still owed on ``as_of``, as plan input (one read of debts,
    payments and overdue terms together; a debt stored damaged is left out, and reported)."""
    rules = repayment_rules()
    out = []
    for standing in svc.list_standings(as_of, include_archived=False):
        summary = standing.summary
        debt = summary.debt
        if debt.status in CLOSED or debt.id is None or debt.start_date > as_of:
            continue
        if summary.balance > 0:
            arrears = (
                arrears_on(debt, as_of, standing.payments, standing.terms) if summary.days_overdue else None
            )
            out.append(plan_debt(debt, summary.balance, summary.days_overdue, as_of, rules, arrears=arrears))
    return out


def _plan_error(exc: PlanError) -> UserError:
    return user_error(exc, N_("Cannot build the plan: {reason}"))


def make_plan(
    svc: DebtSource,
    budget: Decimal,
    strategy: Strategy | str,
    as_of: date,
    *,
    order: Sequence[int] | None = None,
    budget_changes: Iterable[BudgetChange] = (),
    extra: Iterable[ExtraMoney] = (),
) -> Plan:
    """One strategy's plan over the stored debts (balances on ``as_of``)."""
    debts = plan_debts(svc, as_of)
    try:
        return build_plan(
            debts,
            budget,
            strategy,
            as_of,
            order=order,
            budget_changes=budget_changes,
            extra=extra,
            triage=triage_rules(),
        )
    except PlanError as exc:
        raise _plan_error(exc) from exc


def all_plans_for(
    svc: DebtSource,
    budget: Decimal,
    as_of: date,
    *,
    order: Sequence[int] | None = None,
    budget_changes: Iterable[BudgetChange] = (),
    extra: Iterable[ExtraMoney] = (),
) -> dict[Strategy, Plan]:
    """Every strategy's plan (custom only with an ``order``) and the minimum-only baseline."""
    debts = plan_debts(svc, as_of)
    try:
        return all_plans(
            debts,
            budget,
            as_of,
            triage=triage_rules(),
            order=order,
            budget_changes=budget_changes,
            extra=extra,
        )
    except PlanError as exc:
        raise _plan_error(exc) from exc


def compare_strategies(
    svc: DebtSource,
    budget: Decimal,
    as_of: date,
    *,
    order: Sequence[int] | None = None,
    budget_changes: Iterable[BudgetChange] = (),
    extra: Iterable[ExtraMoney] = (),
) -> tuple[dict[Strategy, Plan], list[Comparison]]:
    """Every strategy's plan and each compared with paying only the minimums."""
    plans = all_plans_for(svc, budget, as_of, order=order, budget_changes=budget_changes, extra=extra)
    baseline = plans[Strategy.MINIMUM_ONLY]
    others = [p for s, p in plans.items() if s is not Strategy.MINIMUM_ONLY]
    return plans, compare_plans(others, baseline)


def _debt_json(plan: Plan, d: DebtOutcome) -> dict[str, Any]:
    """One debt of a plan; a triage plan adds its priority and the reasons for it."""
    out: dict[str, Any] = {
        "id": d.id,
        "name": d.name,
        "payoff_date": d.payoff_date.isoformat() if d.payoff_date else None,
        "interest": money_str(d.interest),
        "minimum": money_str(d.minimum),
    }
    if plan.strategy is Strategy.TRIAGE:
        out["priority"] = d.priority
        out["reasons"] = [
            {"key": f.key, "text": tr(f.consequence), "certainty": f.certainty, "happened": False}
            for f in d.reasons
        ]
        out["reasons"] += [
            {
                "key": f.key,
                "text": tr(HAPPENED_TEXT, consequence=tr(f.consequence)),
                "certainty": f.certainty,
                "happened": True,
            }
            for f in d.happened
        ]
    return out


def triage_lines(plan: Plan, lang: str | None = None) -> list[str]:
    """A triage plan's order, most serious first, each debt with why it stands there."""
    lines = []
    for d in sorted((d for d in plan.debts if d.priority is not None), key=lambda d: d.priority or 0):
        lines.append(
            tr(PRIORITY_TEXT, lang, priority=d.priority, name=d.name, minimum=format_money(d.minimum, lang))
        )
        lines.extend("  " + tr(f.consequence, lang) for f in d.reasons)
        lines.extend("  " + tr(HAPPENED_TEXT, lang, consequence=tr(f.consequence, lang)) for f in d.happened)
        if not d.reasons and not d.happened:
            lines.append("  " + tr(NO_REASON_TEXT, lang))
    return lines


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The contract's ``plan --json`` document."""
    return {
        "strategy": plan.strategy.value,
        "budget": money_str(plan.budget),
        "months": plan.months,
        "payoff_date": plan.payoff_date.isoformat() if plan.payoff_date else None,
        "total_interest": money_str(plan.total_interest),
        "total_paid": money_str(plan.total_paid),
        "debts": [_debt_json(plan, d) for d in plan.debts],
        "months_detail": [
            {
                "month": m.month,
                "date": m.date.isoformat(),
                "payments": [{"debt_id": i, "amount": money_str(a)} for i, a in m.payments],
                "remaining": money_str(m.remaining),
            }
            for m in plan.months_detail
        ],
    }


def plan_notes(plan: Plan, lang: str | None = None) -> list[str]:
    """What the person must know about a plan, translated: shortfall, never ends, unpaid debts."""
    notes = []
    if plan.shortfall > 0:
        notes.append(
            tr(
                SHORTFALL_TEXT,
                lang,
                shortfall=format_money(plan.shortfall, lang),
                minimums=format_money(plan.minimums, lang),
            )
        )
    if plan.never_ends is not None:
        params: Mapping[str, object] = {
            k: (format_money(v, lang) if isinstance(v, Decimal) else v)
            for k, v in plan.never_ends_params.items()
        }
        notes.append(tr(NEVER_ENDS_TEXT[plan.never_ends], lang, **params))
    triage = plan.strategy is Strategy.TRIAGE
    if triage:
        notes.extend(triage_lines(plan, lang))
    consequences: list[str] = []
    for d in plan.unpaid_debts:
        notes.append(tr(UNPAID_TEXT, lang, name=d.name, count=d.missed_months, first=d.first_missed_month))
        if not triage:  # a triage plan has listed them with its order
            consequences.extend(
                c for c in (tr(f.consequence, lang) for f in d.consequences) if c not in consequences
            )
    if consequences:  # each said once, after the debts it concerns, not again under every debt
        notes.append(tr(CONSEQUENCES_TEXT, lang))
        notes.extend("  " + c for c in consequences)
    return notes


# --- offers to lenders -----------------------------------------------------------------


class BudgetSource(DebtSource, Protocol):
    def get_budget(self) -> Budget: ...
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...


# The one monthly figure for debts: the plan page's budget and the budget page's affordable
# amount. Unset (""), it is income minus essential expenses.
DEBT_BUDGET_KEY = "plan.budget"


@dataclass(frozen=True, slots=True)
class DebtBudget:
    """What goes to the debts each month, the one figure every page shows and changes."""

    amount: Decimal | None  # None: no income entered and nothing chosen
    leftover: Decimal | None  # income minus essential expenses; None without an income
    chosen: bool  # the person set it (plan or budget page), rather than taking the leftover

    @property
    def above_leftover(self) -> bool:
        return self.amount is not None and self.leftover is not None and self.amount > self.leftover


def debt_budget(svc: BudgetSource) -> DebtBudget:
    """The one monthly figure for debts: the person's chosen amount, else income less expenses."""
    budget = svc.get_budget()
    leftover = affordability(budget).affordable if budget.income > 0 else None
    raw = svc.get_setting(DEBT_BUDGET_KEY, None)
    try:
        chosen = round_fen(Decimal(raw)) if raw not in (None, "") else None
    except ArithmeticError:
        chosen = None  # a damaged setting reads as none chosen
    if chosen is not None and chosen >= 0:
        return DebtBudget(chosen, leftover, True)
    return DebtBudget(leftover, leftover, False)


def set_debt_budget(svc: BudgetSource, amount: Decimal | None) -> None:
    """Choose the monthly figure for debts (None: back to income less expenses)."""
    if amount is not None and amount < 0:
        raise UserError(tr(N_("The amount for debts cannot be negative.")))
    svc.set_setting(DEBT_BUDGET_KEY, "" if amount is None else money_str(round_fen(amount)))


NO_INCOME_KEY = "person.no_income"  # "1": the person has no income at present, and said so


def save_budget(svc: Any, budget: Budget, *, no_income: bool | None = None) -> None:
    """Keep a new income and expenses; the figure for debts becomes what they leave.
    ``no_income``: the person says they have no income at present (an income above nothing
    takes that back; None: as it was)."""
    svc.set_budget(budget)
    set_debt_budget(svc, None)
    if budget.income > 0:
        no_income = False
    if no_income is not None:
        svc.set_setting(NO_INCOME_KEY, "1" if no_income else "")


def make_proposal(
    svc: BudgetSource,
    as_of: date,
    *,
    reserve: Decimal = ZERO,
    amounts: Mapping[int, Decimal] | None = None,
    offer_rate: Decimal = ZERO,
    debt_ids: Sequence[int] | None = None,
    budget: Budget | None = None,
) -> tuple[Affordability, Proposal]:
    """What the budget affords and an offer to each lender (all open debts, or ``debt_ids``).

    Without ``budget``, the stored one and the one figure for debts (``debt_budget``): a figure
    below what income and expenses leave keeps the difference back; offers never go above it.
    """
    rules = repayment_rules()
    debts = plan_debts(svc, as_of)
    if debt_ids is not None:
        debts = [d for d in debts if d.id in set(debt_ids)]
    if budget is None:
        budget = svc.get_budget()
        figure = debt_budget(svc)
        if figure.chosen and figure.amount is not None and figure.leftover is not None:
            reserve = max(reserve, figure.leftover - figure.amount)
    try:
        means = affordability(budget, reserve)
        proposal = propose(
            debts,
            means.affordable,
            {d.id: rules.max_term_for(d.kind).months for d in debts},
            as_of,
            amounts=amounts,
            offer_rate=offer_rate,
            token_payment=rules.token_payment,
        )
    except ProposalError as exc:
        raise user_error(exc, N_("Cannot build the offer: {reason}")) from exc
    return means, proposal


def proposal_notes(proposal: Proposal, lang: str | None = None) -> list[str]:
    """Translated warnings about an offer: token payments, offers that do not fit the term."""
    notes = []
    if proposal.token_only and proposal.offers:
        notes.append(tr(TOKEN_TEXT, lang, amount=format_money(proposal.offers[0].monthly, lang)))
    for o in proposal.offers:
        if not o.fits and not o.token:
            notes.append(
                tr(
                    NOT_FIT_TEXT,
                    lang,
                    name=o.name,
                    monthly=format_money(o.monthly, lang),
                    balance=format_money(o.balance, lang),
                    max=o.max_months,
                    needed=format_money(o.needed_monthly, lang),
                )
            )
    return notes


def debt_apr(debt: Debt) -> EffectiveRate:
    """The true annual rate of a stored debt: its schedule's payments against what actually
    reached the person (``received_amount`` when interest was taken in advance, Civil Code
    Art. 670), per PBOC 〔2021〕3号 — the one figure of ``domain.apr``."""
    from domain.apr import debt_rate

    rate = debt_rate(debt, schedule_for(debt).rows)
    if rate is None:
        raise UserError(
            tr(
                N_("No annual rate balances these payments: {reason}"),
                reason="cash flows must contain both money received and money paid",
            )
        )
    return rate
