"""Date and rate arithmetic shared by the overdue modules, and the penalty rate in force."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.dates import add_months
from domain.debts import N_, Debt, RateUnit
from domain.money import HUNDRED, ZERO, round_fen
from domain.overdue.types import OverdueRules, RuleUse
from domain.rules import LegalRules

# --- dates ------------------------------------------------------------------------


def next_due_date(as_of: date, due_day: int) -> date:
    """The first due date on or after ``as_of`` for a monthly due day."""
    this_month = add_months(as_of.replace(day=1), 0, due_day)
    return this_month if this_month >= as_of else add_months(as_of.replace(day=1), 1, due_day)


# --- rates ------------------------------------------------------------------------


def daily_rate(rate: Decimal, unit: RateUnit, legal: LegalRules) -> Decimal:
    """A percent rate per unit as a fraction per day (year / 360, month / 30 by the day-count rule)."""
    per_year, per_month = legal.day_count()
    if unit is RateUnit.DAY:
        return rate / HUNDRED
    if unit is RateUnit.MONTH:
        return rate / HUNDRED / per_month
    return rate / HUNDRED / per_year


def annual_percent(rate: Decimal, unit: RateUnit, legal: LegalRules) -> Decimal:
    """A percent rate per unit as a simple percent a year."""
    per_year, _ = legal.day_count()
    if unit is RateUnit.DAY:
        return rate * per_year
    if unit is RateUnit.MONTH:
        return rate * 12
    return rate


def _pct(value: Decimal) -> str:
    """A percent as plain text for a message parameter: "12.00", "0.015" (small daily rates keep 4 places)."""
    places = Decimal("0.0001") if abs(value) < 1 else Decimal("0.01")
    text = format(value.quantize(places, rounding=ROUND_HALF_UP).normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def _money(value: Decimal) -> str:
    return f"{round_fen(value):.2f}"


def penalty_daily_rate(debt: Debt, rules: OverdueRules) -> tuple[Decimal, RuleUse]:
    """The daily penalty rate (fraction) and the rule that set it."""
    terms = rules.terms
    if not terms.penalty_interest:
        return ZERO, RuleUse(
            "penalty_interest",
            N_("This kind of debt charges no penalty interest; lateness costs the late fee."),
            {},
            terms.cited,
        )
    if debt.rate > 0:
        rate = daily_rate(debt.rate, debt.rate_unit, rules.legal) * debt.penalty_rate_multiplier
        return rate, RuleUse(
            "penalty_interest",
            N_("Penalty interest: the contract rate {rate} per {unit} × {multiplier}, on {base}."),
            {
                "rate": _pct(debt.rate),
                "unit": debt.rate_unit.value,
                "multiplier": str(debt.penalty_rate_multiplier),
                "base": terms.penalty_base,
            },
            terms.cited,
        )
    if terms.rate_fallback == "lpr" and debt.overdue_since is not None:
        lpr = rules.lpr.at(debt.overdue_since)
        if lpr is not None:
            per_year, _ = rules.legal.day_count()
            return lpr.one_year / HUNDRED / per_year, RuleUse(
                "penalty_interest",
                N_("No rate was agreed: overdue interest at the one-year LPR of {lpr} in force on {date}."),
                {"lpr": _pct(lpr.one_year), "date": debt.overdue_since.isoformat()},
                terms.cited,
            )
    return ZERO, RuleUse(
        "penalty_interest", N_("No rate is recorded, so no penalty interest is counted."), {}, terms.cited
    )
