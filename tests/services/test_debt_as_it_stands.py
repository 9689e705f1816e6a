"""Balance, arrears, split, plan, overdue page and letters of a debt entered mid-life agree."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services import overdue as overdue_service
from services import overview, planning
from services.app import Services
from services.errors import ValidationError

D = Decimal
AS_OF = date(2026, 11, 25)
# A worked case: JD Baitiao 8,000 in 12 fee instalments (0.5% a month of 8,000 = 40.00), bought eight
# months before AS_OF, due on the 23rd (23 Apr … 23 Nov), four instalments paid, the fifth (23 Aug) missed.
BAITIAO = {
    "name": "京东白条",
    "lender": "京东金融",
    "kind": "jd_baitiao",
    "principal": "8000.00",
    "start_date": "2026-03-25",
    "method": "fee-installment",
    "months": 12,
    "fee_rate": "0.5",
    "due_day": 23,
    "late_fee_rate_per_day": "0.015",
    "instalments_paid": 4,
    "overdue_since": "2026-08-23",
}


@pytest.fixture
def svc():
    with Services.open(":memory:") as services:
        yield services


def test_the_issue_case_everywhere(svc):
    debt_id = svc.add_debt(BAITIAO)
    # balance: 8000.00 − 4 × 666.67 = 5333.32
    assert svc.debt_summary(debt_id, AS_OF).balance == D("5333.32")
    report = overdue_service.build_report(svc, debt_id, AS_OF)
    # arrears: instalments 5..8 (23 Aug … 23 Nov), 4 × 666.67 = 2666.68 principal
    assert report.overdue_principal == D("2666.68")
    # the plan starts from the same balance
    [plan_debt] = planning.plan_debts(svc, AS_OF)
    assert plan_debt.balance == D("5333.32")
    # 1,000 paid on AS_OF: the late fees first, 0.015% a day of each missed instalment (666.67 + 40.00 =
    # 706.67) for its days overdue on 25 Nov: 94 + 63 + 33 + 2 = 192 days → 706.67 × 0.00015 × 192 = 20.35;
    # then 4 × 40.00 = 160.00 instalment fees (not 8 × 40 = 320): 180.35 fees, then 819.65 principal
    payment_id = svc.add_payment(debt_id, "1000.00", AS_OF)
    paid = svc.get_payment(payment_id)
    assert (paid.fees, paid.interest, paid.principal) == (D("180.35"), D("0.00"), D("819.65"))
    assert svc.debt_summary(debt_id, AS_OF).balance == D("4513.67")  # 5333.32 − 819.65


def test_the_letter_repeats_the_balance_as_it_stands(svc):
    from documents.letter_data import Person
    from domain.debts import Budget
    from services import letters
    from services.planning import save_budget

    debt_id = svc.add_debt(BAITIAO)
    letters.save_person(svc, Person(name="张三"))
    save_budget(svc, Budget(income=D("8000"), expenses={"房租": D("3000")}))  # the letter states them
    facts = letters.letter_facts(svc, debt_id, "negotiation", AS_OF, "zh")
    assert facts.balance == D("5333.32")  # not the 8,000 first borrowed


def test_cost_per_day_is_the_charges_that_accrue_each_day(svc):
    # The same Baitiao entered without what was paid: instalments from 23 Aug on, overdue since then.
    data = {k: v for k, v in BAITIAO.items() if k != "instalments_paid"} | {"start_date": "2026-07-25"}
    debt_id = svc.add_debt(data)
    [item] = overview.overview(svc, AS_OF).overdue
    assert item.debt.id == debt_id
    # arrears on AS_OF: instalments of 23 Aug, Sep, Oct, Nov = 4 × (666.67 + 40.00) = 2826.68;
    # late fee 0.015% a day of the overdue amount: 2826.68 × 0.00015 = 0.424… → 0.42 a day
    # (no penalty interest: the product charges no interest). The instalment of 23 Dec is not a cost of
    # waiting (mixed in, the overview said ¥23.99 a day).
    assert item.cost_per_day == D("0.42")


def test_disagreeing_figures_are_refused_naming_both_fields(svc):
    with pytest.raises(ValidationError) as caught:
        svc.add_debt({**BAITIAO, "outstanding_principal": "4000.00", "outstanding_as_of": "2026-07-23"})
    [error] = caught.value.errors
    assert error.field == "outstanding_principal" and "instalments_paid" in error.message
    assert svc.list_debts() == []


def test_a_card_entered_with_its_statement_balance(svc):
    debt_id = svc.add_debt(
        {
            "name": "招商银行信用卡",
            "lender": "招商银行",
            "kind": "credit_card",
            "principal": "50000.00",
            "start_date": "2026-05-01",
            "method": "revolving",
            "months": 12,
            "rate": "0.05",
            "rate_unit": "day",
            "due_day": 25,
            "outstanding_principal": "12000.00",
            "outstanding_as_of": "2026-11-05",
        }
    )
    # the statement balance, not the limit
    assert svc.debt_summary(debt_id, AS_OF).balance == D("12000.00")
    # 1,000 on the due date (25 Nov), inside the interest-free period: all principal
    paid = svc.get_payment(svc.add_payment(debt_id, "1000.00", AS_OF))
    assert (paid.interest, paid.principal) == (D("0.00"), D("1000.00"))
    # the rest unpaid: on 5 Dec interest from the statement date, 12000 × 0.05% × 20 days
    # (5 → 25 Nov) = 120.00 + 11000 × 0.05% × 10 days (25 Nov → 5 Dec) = 55.00; 1,000 then
    # pays 175.00 of interest and 825.00 of principal
    later = svc.get_payment(svc.add_payment(debt_id, "1000.00", date(2026, 12, 5)))
    assert (later.interest, later.principal) == (D("175.00"), D("825.00"))


def test_a_payment_already_counted_in_where_it_stands_is_refused(svc):
    debt_id = svc.add_debt(BAITIAO)
    # the fourth instalment (23 Jul) is counted in instalments_paid: a payment on 1 Jul would count twice
    with pytest.raises(ValidationError) as caught:
        svc.add_payment(debt_id, "706.67", date(2026, 7, 1))
    assert caught.value.errors[0].field == "date" and caught.value.errors[0].params["date"] == "2026-07-23"
    assert svc.list_payments(debt_id) == []
    # a debt with an earlier payment recorded cannot later be said to stand past it
    other = svc.add_debt({k: v for k, v in BAITIAO.items() if k != "instalments_paid"})
    svc.add_payment(other, "706.67", date(2026, 4, 23))
    with pytest.raises(ValidationError) as caught:
        svc.update_debt(other, {"instalments_paid": 4})
    assert caught.value.errors[0].field == "instalments_paid"
    assert svc.get_debt(other).instalments_paid == 0
