"""What to offer lenders: the affordable monthly amount, its split, and what the offer saves.

The affordable amount is income less essential expenses (``domain.debts.Budget``), less
anything the person keeps back. It is split between lenders pro-rata by balance, as
debt-management plans split it, unless the person sets an amount for a lender. Each offer
is an instalment term at a frozen (or stated) rate, no longer than the product's longest
term (card 个性化分期: 60 months, Measures Art. 70; data in resources/rules/repayment.toml).
When nothing is affordable the offer is a token payment per lender, as UK advice services
recommend, so that each lender sees goodwill and a statement of means.

Savings compare the offer with the current path: paying only the minimums at the debt's
own rate and fees (``domain.strategies``, minimum-only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from domain.debts import N_, Budget
from domain.errors import DomainError
from domain.money import FEN, ZERO, D, round_fen
from domain.schedules import annuity_payment
from domain.strategies import PlanDebt, Strategy, build_plan


class ProposalError(DomainError):
    """Input an offer cannot be built from (no debts, a negative amount ...)."""


@dataclass(frozen=True, slots=True)
class Affordability:
    income: Decimal
    essentials: Decimal
    reserve: Decimal  # kept back for emergencies, by the person's choice
    affordable: Decimal  # what can go to the lenders each month, never negative

    @property
    def token_only(self) -> bool:
        return self.affordable <= 0


def affordability(budget: Budget, reserve: Decimal = ZERO) -> Affordability:
    """Income less essential expenses less ``reserve``: what the lenders can be offered."""
    income, essentials, reserve = (
        round_fen(D(budget.income)),
        round_fen(budget.essential_total),
        round_fen(D(reserve)),
    )
    if income < 0 or essentials < 0 or reserve < 0:
        raise ProposalError(N_("income, expenses and reserve cannot be negative"))
    return Affordability(income, essentials, reserve, max(income - essentials - reserve, ZERO))


@dataclass(frozen=True, slots=True)
class Offer:
    """One lender's offer."""

    debt_id: int
    name: str
    balance: Decimal
    monthly: Decimal  # the payment offered
    months: int  # how long the offer takes to clear the balance (capped at max_months)
    max_months: int  # the longest term the product allows
    fits: bool  # the balance is cleared within max_months at this payment
    needed_monthly: Decimal  # the smallest payment that clears it within max_months
    offer_rate: Decimal  # percent per month asked for during the offer (0 = interest frozen)
    offer_cost: Decimal  # interest paid under the offer
    current_cost: Decimal  # interest and fees on the current path (minimums only)
    current_months: int
    current_ends: bool  # False: the current path never clears the debt (cost shown is up to the cap)
    token: bool = False

    @property
    def saving(self) -> Decimal:
        return self.current_cost - self.offer_cost

    @property
    def total(self) -> Decimal:
        return self.balance + self.offer_cost


@dataclass(frozen=True, slots=True)
class Proposal:
    affordable: Decimal
    offers: tuple[Offer, ...]
    token_only: bool

    @property
    def monthly_total(self) -> Decimal:
        return sum((o.monthly for o in self.offers), ZERO)

    @property
    def saving(self) -> Decimal:
        return sum((o.saving for o in self.offers), ZERO)

    @property
    def all_fit(self) -> bool:
        return all(o.fits for o in self.offers)


NOT_FIT_TEXT = N_(
    "{name}: {monthly} a month does not clear {balance} within {max} months; "
    "at least {needed} a month is needed."
)
TOKEN_TEXT = N_(
    "Nothing is affordable now: a token payment of {amount} a month to each lender shows "
    "goodwill while your situation changes."
)


def split_pro_rata(total: Decimal, balances: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """``total`` split by balance, rounded to the fen; the largest balance takes the residue."""
    whole = sum(balances.values(), ZERO)
    if whole <= 0:
        raise ProposalError(N_("nothing is owed"))
    shares = {k: round_fen(total * b / whole) for k, b in balances.items()}
    largest = max(balances, key=lambda k: (balances[k], -k))
    shares[largest] += round_fen(total) - sum(shares.values(), ZERO)
    return shares


def _months_to_clear(
    balance: Decimal, monthly: Decimal, rate: Decimal, cap: int
) -> tuple[int, Decimal, bool]:
    """Months, interest and whether it clears within ``cap`` (rate: monthly fraction)."""
    owed = balance
    interest_total = ZERO
    for month in range(1, cap + 1):
        interest = round_fen(owed * rate)
        interest_total += interest
        owed += interest
        owed -= min(monthly, owed)
        if owed == 0:
            return month, interest_total, True
    return cap, interest_total, False


def propose(
    debts: Sequence[PlanDebt],
    affordable: Decimal,
    max_months: Mapping[int, int],
    start: date,
    *,
    amounts: Mapping[int, Decimal] | None = None,
    offer_rate: Decimal = ZERO,
    token_payment: Decimal = ZERO,
) -> Proposal:
    """An offer to each lender from ``affordable`` a month.

    ``max_months``: the longest term per debt id (the product's rule). ``amounts``: the
    person's own amount for some lenders; the rest of ``affordable`` is split pro-rata
    among the others. ``offer_rate``: percent per month asked for during the offer
    (0 = interest frozen). ``token_payment``: offered to each lender when nothing is affordable.
    """
    open_debts = [d for d in debts if d.balance > 0]
    if not open_debts:
        raise ProposalError(N_("nothing is owed"))
    affordable = round_fen(D(affordable))
    chosen = {k: round_fen(D(v)) for k, v in (amounts or {}).items()}
    if affordable < 0 or any(v < 0 for v in chosen.values()) or offer_rate < 0 or token_payment < 0:
        raise ProposalError(N_("amounts cannot be negative"))
    ids = {d.id for d in open_debts}
    if set(chosen) - ids:
        unknown = ", ".join(map(str, sorted(set(chosen) - ids)))
        raise ProposalError(N_("no debt has the id {ids}"), ids=unknown)
    token_only = affordable == 0
    if token_only:
        monthly = {d.id: round_fen(token_payment) for d in open_debts}
    else:
        rest = affordable - sum(chosen.values(), ZERO)
        if rest < 0:
            raise ProposalError(N_("the amounts set add up to more than is affordable"))
        others = {d.id: d.balance for d in open_debts if d.id not in chosen}
        monthly = {**(split_pro_rata(rest, others) if others else {}), **chosen}
    rate = D(offer_rate) / 100
    offers = []
    for d in open_debts:
        cap = max_months[d.id]
        pay = monthly[d.id]
        months, cost, fits = _months_to_clear(d.balance, pay, rate, cap) if pay > 0 else (cap, ZERO, False)
        needed = annuity_payment(d.balance, rate, cap)
        if needed * cap < d.balance:  # rounding down must not leave a residue past the cap
            needed = (d.balance / cap).quantize(FEN, ROUND_CEILING) if rate == 0 else needed + FEN
        current = build_plan([d], d.balance + d.minimum_payment, Strategy.MINIMUM_ONLY, start)
        offers.append(
            Offer(
                debt_id=d.id,
                name=d.name,
                balance=d.balance,
                monthly=pay,
                months=months,
                max_months=cap,
                fits=fits,
                needed_monthly=needed,
                offer_rate=D(offer_rate),
                offer_cost=cost,
                current_cost=current.total_interest + current.total_fees,
                current_months=current.months,
                current_ends=current.ends,
                token=token_only,
            )
        )
    return Proposal(affordable, tuple(offers), token_only)


# --- an offer as dated instalments -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfferInstalment:
    """One payment of an offer: its number, date, amount and the balance left after it."""

    period: int
    due_date: date
    payment: Decimal
    balance: Decimal


def first_offer_date(due_day: int, as_of: date, answer_days: int) -> date:
    """The first due day (``due_day`` of a month) on or after ``as_of + answer_days``: the lender has
    had time to answer before the first payment falls due."""
    from datetime import timedelta

    from domain.dates import add_months

    earliest = as_of + timedelta(days=answer_days)
    candidate = add_months(earliest.replace(day=1), 0, due_day)
    return candidate if candidate >= earliest else add_months(earliest.replace(day=1), 1, due_day)


def offer_instalments(
    balance: Decimal, monthly: Decimal, months: int, start: date, due_day: int
) -> tuple[OfferInstalment, ...]:
    """Equal payments of ``monthly`` with interest frozen, from ``start`` on ``due_day`` each month.

    The schedule stops when the balance is cleared, or after ``months`` payments with the rest left
    (what a letter asks to be written off or agreed later). The last payment absorbs a residue under
    1% of a payment, which is not worth another month. Nothing offered (``monthly`` 0): one line
    with the whole balance left.
    """
    from domain.dates import add_months

    if monthly <= 0:
        return (OfferInstalment(1, start, ZERO, balance),)
    schedule: list[OfferInstalment] = []
    left = balance
    for period in range(1, max(months, 1) + 1):
        pay = min(monthly, left)
        if period == max(months, 1) and left - pay < monthly / 100:
            pay = left
        left -= pay
        schedule.append(OfferInstalment(period, add_months(start, period - 1, due_day), pay, left))
        if left == 0:
            break
    return tuple(schedule)


def balance_share(balance: Decimal, all_balances: Decimal) -> Decimal:
    """A debt's share of all the balances, as a fraction to four places (half up); 1 when nothing
    else is owed."""
    from decimal import ROUND_HALF_UP

    share = (balance / all_balances) if all_balances > 0 else Decimal("1")
    return share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
