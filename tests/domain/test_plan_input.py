"""Plan minimums (domain.plan_input): what a plan asks of each debt each month, worked by hand.

12,000 at 12% a year over 12 months, equal instalments: 12000 x 0.01 / (1 - 1.01^-12) = 1,066.19.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from domain.debts import Debt, DebtKind, Method, RateUnit
from domain.plan_input import plan_debt
from domain.repayment_rules import RepaymentRules, parse_repayment_rules
from domain.strategies import first_minimum
from resources.rules import read_rules_text

D = Decimal
AS_OF = date(2026, 11, 23)


@cache
def repayment_rules() -> RepaymentRules:
    return parse_repayment_rules(read_rules_text("repayment.toml"))


def make_debt(id_, **kw):
    base = dict(
        name=f"debt {id_}",
        lender="lender",
        kind=DebtKind.BANK_LOAN,
        principal=D(12000),
        start_date=date(2026, 1, 15),
        method=Method.EQUAL_INSTALLMENT,
        months=12,
        rate=D(12),
        rate_unit=RateUnit.YEAR,
        due_day=15,
        id=id_,
    )
    base.update(kw)
    return Debt(**base)


def test_instalment_debt_minimum_is_the_next_scheduled_payment():
    pd = plan_debt(make_debt(1), D("5000"), 0, AS_OF, repayment_rules())
    assert pd.minimum_payment == D("1066.19") and pd.balance == D(5000)
    assert pd.penalty_multiplier == D("1.5") and pd.rate == D(12)


def test_fee_instalment_carries_its_monthly_fee():
    baitiao = make_debt(
        2, kind=DebtKind.JD_BAITIAO, method=Method.FEE_INSTALLMENT, rate=D(0), fee_rate=D("0.5")
    )
    pd = plan_debt(baitiao, D(6000), 0, AS_OF, repayment_rules())
    assert pd.fee_per_month == D("60.00") and pd.minimum_payment == D("1060.00")


def test_revolving_debt_follows_the_card_minimum_rule():
    card = make_debt(
        3, kind=DebtKind.CREDIT_CARD, method=Method.REVOLVING, rate=D("0.05"), rate_unit=RateUnit.DAY
    )
    pd = plan_debt(card, D(20000), 0, AS_OF, repayment_rules())
    assert pd.minimum_percent == D(10)


def test_ended_term_makes_everything_due_and_arrears_are_added():
    ended = make_debt(4, start_date=date(2024, 1, 15))
    assert plan_debt(ended, D(3000), 0, AS_OF, repayment_rules()).minimum_payment == D(3000)
    late = make_debt(5, overdue_amount=D("2132.38"))
    # The arrears with their charges (the overdue page's total due) are due in the first month,
    # on top of the instalment; the instalment alone every month after.
    pd = plan_debt(late, D(8000), 40, AS_OF, repayment_rules(), arrears=D("2150.00"))
    assert (pd.minimum_payment, pd.arrears, pd.days_overdue) == (D("1066.19"), D("2150.00"), 40)
    assert first_minimum(pd) == D("1066.19") + D("2150.00")


def test_bullet_loan_has_no_minimum_before_maturity():
    friend = make_debt(6, kind=DebtKind.PRIVATE_LOAN, method=Method.BULLET, rate=D(0))
    assert plan_debt(friend, D(12000), 0, AS_OF, repayment_rules()).minimum_payment == 0
