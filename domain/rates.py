"""Interest rates: units, conversions, what people type, the true annual rate, legal ceilings.

Conventions (as Chinese lenders quote them):

* a year is 12 months and 360 days, a month is 30 days: 0.05%/day = 1.5%/month = 18%/year;
* loans that charge "by the day" (按日计息) charge the daily rate for the actual days
  elapsed — the schedules do that; these conversions are only for quoting;
* rates in the public API are percent (``Decimal("18")`` is 18%) unless a name says
  ``fraction``.

The effective annual rate follows PBOC announcement 〔2021〕第3号: the monthly internal
rate of return of the cash flows actually received and paid, simple = IRR × 12,
compound = (1 + IRR)^12 − 1. Computed in Decimal (Newton's method inside a bisection
bracket); no float anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from domain.debts import RateUnit
from domain.errors import DomainError
from domain.money import HUNDRED, ONE, ZERO, D

DAYS_PER_YEAR = Decimal("360")
DAYS_PER_MONTH = Decimal("30")
MONTHS_PER_YEAR = Decimal("12")
# Above this a typed rate is a mistake (3,650%/year = 10%/day): nobody lends at it knowingly.
MAX_ANNUAL_PERCENT = Decimal("1000")

_PER_YEAR = {RateUnit.DAY: DAYS_PER_YEAR, RateUnit.MONTH: MONTHS_PER_YEAR, RateUnit.YEAR: ONE}


class RateError(DomainError):
    """Text that is not a rate, or a rate that cannot be right."""


@dataclass(frozen=True, slots=True)
class Rate:
    """A rate as the person typed it: percent per unit."""

    percent: Decimal
    unit: RateUnit

    def to(self, unit: RateUnit) -> Rate:
        return Rate(convert_rate(self.percent, self.unit, unit), unit)


def convert_rate(percent: Decimal, from_unit: RateUnit, to_unit: RateUnit) -> Decimal:
    """Convert a percent rate between day, month and year (year = 12 months = 360 days)."""
    per_year = D(percent) * _PER_YEAR[RateUnit(from_unit)]
    return per_year / _PER_YEAR[RateUnit(to_unit)]


def annual_percent(percent: Decimal, unit: RateUnit) -> Decimal:
    return convert_rate(percent, unit, RateUnit.YEAR)


def monthly_fraction(percent: Decimal, unit: RateUnit) -> Decimal:
    """The rate per month as a fraction (1.5% -> 0.015)."""
    return convert_rate(percent, unit, RateUnit.MONTH) / HUNDRED


def daily_fraction(percent: Decimal, unit: RateUnit) -> Decimal:
    """The rate per day as a fraction (0.05% -> 0.0005)."""
    return convert_rate(percent, unit, RateUnit.DAY) / HUNDRED


def check_rate(percent: Decimal, unit: RateUnit) -> None:
    """Raise RateError for a negative rate or one above MAX_ANNUAL_PERCENT a year."""
    if percent < 0:
        raise RateError("negative rate")
    if annual_percent(percent, unit) > MAX_ANNUAL_PERCENT:
        raise RateError(f"rate above {MAX_ANNUAL_PERCENT}% a year")


# --- what people type ----------------------------------------------------------

_CN_DIGITS: dict[str, Decimal] = {
    **{ch: Decimal(i) for i, ch in enumerate("〇一二三四五六七八九")},
    "零": ZERO,
    "两": Decimal(2),
    "十": Decimal(10),
    "半": Decimal("0.5"),
}
_UNIT_WORDS = (
    (
        RateUnit.DAY,
        (
            "日利率",
            "日息",
            "日利",
            "日化",
            "每日",
            "每天",
            "/天",
            "/日",
            "per day",
            "a day",
            "/day",
            "daily",
            "p.d.",
        ),
    ),
    (
        RateUnit.MONTH,
        (
            "月利率",
            "月息",
            "月利",
            "月化",
            "每月",
            "/月",
            "per month",
            "a month",
            "/month",
            "monthly",
            "p.m.",
        ),
    ),
    (
        RateUnit.YEAR,
        (
            "年化利率",
            "年化",
            "年利率",
            "年息",
            "年利",
            "每年",
            "/年",
            "per year",
            "a year",
            "/year",
            "yearly",
            "annual",
            "apr",
            "p.a.",
        ),
    ),
)
# 分 and 厘 as rate words: 年息1分 = 10%, 月息1分 = 1%, 日息1分 = 0.1%; 1厘 = a tenth of that.
_LEADING_UNIT = {"日": RateUnit.DAY, "天": RateUnit.DAY, "月": RateUnit.MONTH, "年": RateUnit.YEAR}
_FEN_PERCENT = {RateUnit.YEAR: Decimal("10"), RateUnit.MONTH: Decimal("1"), RateUnit.DAY: Decimal("0.1")}
_NUMBER = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十半]+(?:点[零〇一二三四五六七八九]+)?)"


def _cn_number(text: str) -> Decimal:
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return D(text)
    if "点" in text:  # 二点五 = 2.5
        whole, _, digits = text.partition("点")
        fraction = "".join(str(_CN_DIGITS[ch]) for ch in digits)
        return _cn_number(whole) + D("0." + fraction)
    if text == "十":
        return Decimal(10)
    if "十" in text:  # 十五, 二十, 二十五
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else ONE) * 10 + (_CN_DIGITS[ones] if ones else ZERO)
    if len(text) == 1:
        return _CN_DIGITS[text]
    raise RateError(f"not a number: {text!r}")


def parse_rate(text: str, default_unit: RateUnit = RateUnit.YEAR) -> Rate:
    """Parse a rate as people write it.

    "0.05%/天" and "日利率万五" (5 in 10,000) are 0.05% a day; "月息1分" is 1% a month,
    "月息8厘" 0.8%; "年化18%", "18% APR" and a bare "18%" (``default_unit``) are 18% a year;
    "千分之三/天" is 0.3% a day. Raises RateError when the text is not a rate.
    """
    if not isinstance(text, str):
        raise RateError(f"expected text, got {type(text).__name__}")
    cleaned = text.strip().translate(str.maketrans("０１２３４５６７８９．％／", "0123456789.%/")).lower()
    cleaned = cleaned.replace(" ", "").replace("约", "").replace("为", "")
    if not cleaned:
        raise RateError("empty rate")
    unit: RateUnit | None = None
    for candidate, words in _UNIT_WORDS:
        if any(w.replace(" ", "") in cleaned for w in words):
            unit = candidate
            break
    if unit is None:  # "日0.05%", "月1.5%": a leading 日/月/年 names the unit
        unit = _LEADING_UNIT.get(cleaned[0])
    if unit is None:  # "万五" on its own is how daily rates are said
        unit = RateUnit.DAY if "万" in cleaned else default_unit
    try:
        if m := re.search(r"万分之" + _NUMBER, cleaned) or re.search(r"万" + _NUMBER, cleaned):
            percent = _cn_number(m.group(1)) / 100
        elif m := re.search(r"千分之" + _NUMBER, cleaned):
            percent = _cn_number(m.group(1)) / 10
        elif m := re.search(_NUMBER + r"(分|厘)([零〇一二两三四五六七八九\d])?", cleaned):
            fen = _FEN_PERCENT[unit] * _cn_number(m.group(1))
            percent = fen if m.group(2) == "分" else fen / 10
            if m.group(2) == "分" and m.group(3):  # 一分二 = 1分2厘
                percent += _FEN_PERCENT[unit] * _cn_number(m.group(3)) / 10
        elif m := re.search(r"(\d+(?:\.\d+)?)%", cleaned) or re.fullmatch(r"(\d+(?:\.\d+)?)", cleaned):
            percent = D(m.group(1))
        else:
            raise RateError(f"not a rate: {text!r}")
    except KeyError as exc:
        raise RateError(f"not a rate: {text!r}") from exc
    return Rate(percent, unit)


# --- effective annual rate -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EffectiveRate:
    """The true cost of a loan per PBOC 〔2021〕3号, all in percent (unrounded)."""

    irr_monthly: Decimal
    apr_simple: Decimal  # monthly IRR × 12: must be labelled "simple"
    apr_compound: Decimal  # (1 + monthly IRR)^12 − 1


def _npv_and_slope(rate: Decimal, cashflows: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    discount = ONE / (ONE + rate)
    factor = ONE
    npv = ZERO
    slope = ZERO
    for k, flow in enumerate(cashflows):
        npv += flow * factor
        if k:
            slope -= k * flow * factor * discount
        factor *= discount
    return npv, slope


def irr_monthly(cashflows: Sequence[Decimal], tolerance: Decimal = Decimal("1e-15")) -> Decimal:
    """The per-period internal rate of return (a fraction) of equally spaced cash flows.

    ``cashflows[0]`` is what the borrower received (negative or positive), the rest what
    they paid (the other sign). Newton steps, kept inside a bracket that always holds
    the root, so it neither diverges nor loops: at most 400 steps. Raises ValueError
    when the flows do not change sign (no rate makes them balance).
    """
    flows = [D(f) for f in cashflows]
    if not any(f > 0 for f in flows) or not any(f < 0 for f in flows):
        raise ValueError("cash flows must contain both money received and money paid")
    with localcontext() as ctx:
        ctx.prec = 34
        low, high = Decimal("-0.99"), Decimal("1")
        npv_low = _npv_and_slope(low, flows)[0]
        npv_high = _npv_and_slope(high, flows)[0]
        while npv_low * npv_high > 0 and high < 1000:
            high *= 4
            npv_high = _npv_and_slope(high, flows)[0]
        if npv_low * npv_high > 0:
            raise ValueError("no rate balances these cash flows")
        rate = ZERO if low < 0 < high else (low + high) / 2
        for _ in range(400):
            npv, slope = _npv_and_slope(rate, flows)
            if abs(npv) <= tolerance * max(ONE, abs(flows[0])):
                break
            if (npv < 0) == (npv_low < 0):
                low, npv_low = rate, npv
            else:
                high = rate
            step = rate - npv / slope if slope else None
            rate = step if step is not None and low < step < high else (low + high) / 2
            if high - low < tolerance:
                break
        return +rate


def effective_rate(cashflows: Sequence[Decimal]) -> EffectiveRate:
    """Simple and compound annual rates (percent) of monthly cash flows."""
    irr = irr_monthly(cashflows)
    with localcontext() as ctx:
        ctx.prec = 34
        compound = (ONE + irr) ** 12 - ONE
    return EffectiveRate(irr * HUNDRED, irr * MONTHS_PER_YEAR * HUNDRED, compound * HUNDRED)


# --- legal ceiling ------------------------------------------------------------------

# SPC private-lending provisions (2020) Art. 25: interest above four times the one-year
# LPR at the contract date is not supported. The LPR itself is data (resources/rules).
LPR_MULTIPLE_CEILING = Decimal("4")


def private_lending_ceiling(lpr_percent: Decimal) -> Decimal:
    """The highest annual rate (percent) a court supports in private lending: 4 × LPR."""
    return LPR_MULTIPLE_CEILING * D(lpr_percent)


def above_ceiling(annual_rate_percent: Decimal, lpr_percent: Decimal) -> bool:
    return D(annual_rate_percent) > private_lending_ceiling(lpr_percent)
