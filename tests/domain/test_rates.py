"""Rate units, parsing, the effective annual rate (PBOC 〔2021〕3号) and the legal ceiling."""

from __future__ import annotations

from decimal import Decimal

import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.debts import RateUnit
from domain.rates import (
    RateError,
    above_ceiling,
    check_rate,
    convert_rate,
    effective_rate,
    irr_monthly,
    parse_rate,
    private_lending_ceiling,
)
from domain.schedules import fee_installment_schedule

D = Decimal


def test_conversions_follow_the_360_day_year():
    assert convert_rate(D("0.05"), RateUnit.DAY, RateUnit.YEAR) == D(18)
    assert convert_rate(D("0.05"), RateUnit.DAY, RateUnit.MONTH) == D("1.5")
    assert convert_rate(D(18), RateUnit.YEAR, RateUnit.DAY) == D("0.05")
    assert convert_rate(D(1), RateUnit.MONTH, RateUnit.YEAR) == D(12)


@pytest.mark.parametrize(
    "text,percent,unit",
    [
        ("0.05%/天", "0.05", RateUnit.DAY),
        ("日利率万五", "0.05", RateUnit.DAY),
        ("日息万分之三", "0.03", RateUnit.DAY),
        ("千分之一/天", "0.1", RateUnit.DAY),
        ("月息1分", "1", RateUnit.MONTH),
        ("月息8厘", "0.8", RateUnit.MONTH),
        ("年息一分", "10", RateUnit.YEAR),
        ("18%", "18", RateUnit.YEAR),
        ("年化18%", "18", RateUnit.YEAR),
        ("年化利率 ７.２％", "7.2", RateUnit.YEAR),
        ("1.5%/月", "1.5", RateUnit.MONTH),
        ("18% APR", "18", RateUnit.YEAR),
        ("0.05% per day", "0.05", RateUnit.DAY),
        ("日0.05%", "0.05", RateUnit.DAY),
        ("月1.5%", "1.5", RateUnit.MONTH),
        ("万五", "0.05", RateUnit.DAY),
        ("日利率万分之二点五", "0.025", RateUnit.DAY),
        ("月息一分二", "1.2", RateUnit.MONTH),
        ("年息1分5厘", "15", RateUnit.YEAR),
    ],
)
def test_parse_what_people_type(text, percent, unit):
    rate = parse_rate(text)
    assert (rate.percent, rate.unit) == (D(percent), unit)


@pytest.mark.parametrize("text", ["", "abc", "日利率", "%"])
def test_parse_refuses_non_rates(text):
    with pytest.raises(RateError):
        parse_rate(text)


def test_check_rate_refuses_absurd_rates():
    check_rate(D(36), RateUnit.YEAR)
    with pytest.raises(RateError):
        check_rate(D(3650), RateUnit.YEAR)
    with pytest.raises(RateError):
        check_rate(D(10), RateUnit.DAY)
    with pytest.raises(RateError):
        check_rate(D(-1), RateUnit.YEAR)


def test_pboc_worked_example():
    # 100,000 lent, 1,000 fee upfront, 12 × 8,833.3 → 12.80% simple, 13.58% compound
    rate = effective_rate([D(-99000)] + [D("8833.3")] * 12)
    assert rate.apr_simple.quantize(D("0.01")) == D("12.80")
    assert rate.apr_compound.quantize(D("0.01")) == D("13.58")


def test_baitiao_fee_apr_against_numpy_rate():
    s = fee_installment_schedule(D(12000), D("0.5"), 12, __import__("datetime").date(2026, 1, 15))
    rate = effective_rate(s.cashflows())
    oracle = npf.rate(12, -1060, 12000, 0) * 12 * 100
    assert abs(float(rate.apr_simple) - oracle) < 1e-9
    assert rate.apr_simple.quantize(D("0.01")) == D("10.90")  # nominal 6%: the fee hides the real cost


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=120), st.decimals(min_value=D("0.001"), max_value=D("0.1"), places=4)
)
def test_irr_recovers_the_rate_of_an_annuity(n, r):
    payment = 1000 * r / (1 - (1 + r) ** -n)
    assert abs(irr_monthly([D(-1000)] + [payment] * n) - r) < D("1e-12")


def test_irr_refuses_flows_without_a_sign_change():
    with pytest.raises(ValueError):
        irr_monthly([D(100), D(100)])


def test_private_lending_ceiling_is_four_times_lpr():
    assert private_lending_ceiling(D("3.0")) == D("12.0")
    assert above_ceiling(D("12.01"), D("3.0")) and not above_ceiling(D(12), D("3.0"))
