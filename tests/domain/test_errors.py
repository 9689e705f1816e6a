"""One root for the domain's errors: DomainError(msgid, params), shown in the person's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.debts import Debt, DebtKind, Method
from domain.errors import DomainError
from domain.ledger import OverpaymentError
from domain.money import MoneyError
from domain.negotiation import ProposalError
from domain.rates import RateError
from domain.reminders import ReminderRuleError
from domain.rules import RuleError
from domain.schedules import ScheduleError, schedule_for
from domain.strategies import PlanError


@pytest.mark.parametrize(
    "cls",
    [
        MoneyError,
        OverpaymentError,
        PlanError,
        ProposalError,
        RateError,
        ReminderRuleError,
        RuleError,
        ScheduleError,
    ],
)
def test_every_domain_error_has_the_one_root(cls):
    assert issubclass(cls, DomainError) and issubclass(cls, ValueError)


def test_msgid_and_params_are_kept_apart_and_str_is_the_english_text():
    error = DomainError("the due day must be from 1 to 31, not {day}", {"day": 40})
    assert (error.msgid, dict(error.params), str(error)) == (
        "the due day must be from 1 to 31, not {day}",
        {"day": 40},
        "the due day must be from 1 to 31, not 40",
    )
    assert str(DomainError("a literal {brace} stays", None)) == "a literal {brace} stays"  # no params: as is


def test_a_schedule_error_is_data():
    debt = Debt(
        name="x",
        lender="y",
        kind=DebtKind.OTHER,
        principal=Decimal("0"),
        start_date=date(2026, 1, 15),
        method=Method.EQUAL_INSTALLMENT,
        months=12,
    )
    with pytest.raises(ScheduleError) as caught:
        schedule_for(debt)
    assert caught.value.msgid == "the principal must be more than 0"


def test_an_overpayment_names_its_figures():
    error = OverpaymentError(Decimal("500.00"), Decimal("120.00"), date(2026, 3, 1))
    assert dict(error.params) == {
        "amount": Decimal("500.00"),
        "date": "2026-03-01",
        "owed": Decimal("120.00"),
    }
    assert (error.amount, error.owed, error.on) == (Decimal("500.00"), Decimal("120.00"), date(2026, 3, 1))
