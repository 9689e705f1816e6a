"""Overdue charges on a real database, worked by hand: a loan whose missed instalment carries
interest and an instalment fee, partial payments, and payments on and just after the last grace day.

The order a payment pays in is the Civil Code's (Art. 561: costs, then interest, then principal);
among the costs the late fee comes before the penalty interest, as the overdue report applies it.
Every figure below is worked by hand in the comment beside it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.app import Services
from services.overdue import build_report

D = Decimal
# A bank loan of 12,000.00 over 12 months from 2026-05-10, due on the 10th, 3 grace days:
# interest 0.05% a day and an instalment fee of 0.5% a month on the original principal.
# The first instalment (due 2026-06-10) is 1,000.00 principal + 180.00 interest
# (12,000 × 0.0005 × 30 days) + 60.00 fee (12,000 × 0.5%) = 1,240.00, and it was missed.
# Penalty interest: the contract rate × 1 = 0.05% a day on principal and interest (1,240.00);
# late fee: 0.1% a day of the whole overdue amount, its interest and fee included (1,240.00).
LOAN = {
    "name": "消费贷",
    "lender": "某银行",
    "kind": "bank_loan",
    "principal": "12000.00",
    "start_date": "2026-05-10",
    "method": "fee-installment",
    "months": 12,
    "fee_rate": "0.5",
    "rate": "0.05",
    "rate_unit": "day",
    "due_day": 10,
    "penalty_rate_multiplier": "1",
    "late_fee_rate_per_day": "0.1",
    "grace_days": 3,
    "overdue_since": "2026-06-10",
}


@pytest.fixture
def loan(tmp_path):
    with Services.open(tmp_path / "debts.sqlite3") as svc:
        yield svc, svc.add_debt(LOAN)


def figures(report):
    return (
        report.overdue_principal,
        report.overdue_interest,
        report.penalty_interest,
        report.late_fees,
        report.total_due,
    )


def test_the_late_fee_is_a_share_of_the_instalment_with_its_interest_and_fee(loan):
    svc, debt_id = loan
    report = build_report(svc, debt_id, date(2026, 6, 20))
    # 10 days late (06-10 → 06-20), nothing paid. Penalty 1,240.00 × 0.0005 × 10 = 6.20;
    # late fee 1,240.00 × 0.001 × 10 = 12.40 (on the principal alone it would be 10.00);
    # owed 1,000.00 + 240.00 (interest 180.00 and fee 60.00) + 6.20 + 12.40 = 1,258.60.
    assert report.days_overdue == 10
    assert figures(report) == (D("1000.00"), D("240.00"), D("6.20"), D("12.40"), D("1258.60"))


def test_a_part_payment_pays_the_late_fee_before_the_penalty(loan):
    svc, debt_id = loan
    svc.add_payment(debt_id, "15.00", date(2026, 6, 20))
    report = build_report(svc, debt_id, date(2026, 6, 20))
    # By 06-20 the charges are 12.40 late fee and 6.20 penalty (as above). The 15.00 pays the
    # late fee 12.40, then 2.60 of the penalty: 3.60 of penalty left, no late fee;
    # owed 1,240.00 + 3.60 = 1,243.60.
    assert figures(report) == (D("1000.00"), D("240.00"), D("3.60"), D("0.00"), D("1243.60"))


def test_a_part_payment_pays_interest_before_principal(loan):
    svc, debt_id = loan
    svc.add_payment(debt_id, "300.00", date(2026, 6, 20))
    report = build_report(svc, debt_id, date(2026, 6, 30))
    # On 06-20 the 300.00 pays the late fee 12.40, the penalty 6.20, the interest and fee
    # 240.00, then 41.40 of principal: 958.60 principal left, no interest.
    # 06-20 → 06-30, 10 days on 958.60: penalty 958.60 × 0.0005 × 10 = 4.793 → 4.79;
    # late fee 958.60 × 0.001 × 10 = 9.586 → 9.59; owed 958.60 + 4.79 + 9.59 = 972.98.
    assert figures(report) == (D("958.60"), D("0.00"), D("4.79"), D("9.59"), D("972.98"))


def test_on_the_last_grace_day_nothing_extra_is_charged_yet(loan):
    svc, debt_id = loan
    report = build_report(svc, debt_id, date(2026, 6, 13))
    # 06-13 is the third and last grace day: 1.86 of penalty (1,240 × 0.0005 × 3) and 3.72 of
    # late fee (1,240 × 0.001 × 3) would have run, but within the grace days they are not owed.
    assert report.in_grace
    assert figures(report) == (D("1000.00"), D("240.00"), D("0.00"), D("0.00"), D("1240.00"))


def test_the_instalment_paid_in_full_on_the_last_grace_day_leaves_nothing_owed(loan):
    svc, debt_id = loan
    svc.add_payment(debt_id, "1240.00", date(2026, 6, 13))
    report = build_report(svc, debt_id, date(2026, 6, 20))
    # 1,240.00 on 06-13 pays the instalment in full inside the grace days: no charges, and none
    # of the payment goes to charges that are then waived. Nothing is owed on 06-20.
    assert figures(report) == (D("0.00"), D("0.00"), D("0.00"), D("0.00"), D("0.00"))


def test_the_instalment_paid_one_day_after_the_grace_days_pays_four_days_of_charges_first(loan):
    svc, debt_id = loan
    svc.add_payment(debt_id, "1240.00", date(2026, 6, 14))
    report = build_report(svc, debt_id, date(2026, 6, 14))
    # 06-14 is the fourth day: 4 days of charges run from the due date. Penalty
    # 1,240 × 0.0005 × 4 = 2.48, late fee 1,240 × 0.001 × 4 = 4.96; the 1,240.00 pays them
    # (7.44), the 240.00 of interest and fee, then 992.56 of principal: 7.44 of principal left.
    assert figures(report) == (D("7.44"), D("0.00"), D("0.00"), D("0.00"), D("7.44"))


def test_a_part_payment_on_the_last_grace_day_waives_nothing(loan):
    svc, debt_id = loan
    svc.add_payment(debt_id, "600.00", date(2026, 6, 13))
    report = build_report(svc, debt_id, date(2026, 6, 20))
    # 600.00 on 06-13 does not clear the instalment, so the grace days do not apply: it pays
    # 3 days of charges, late fee 3.72 and penalty 1.86, then the interest and fee 240.00, then
    # 354.42 of principal: 645.58 left. 06-13 → 06-20, 7 days on 645.58: penalty
    # 645.58 × 0.0005 × 7 = 2.25953 → 2.26, late fee 645.58 × 0.001 × 7 = 4.51906 → 4.52;
    # owed 645.58 + 2.26 + 4.52 = 652.36.
    assert figures(report) == (D("645.58"), D("0.00"), D("2.26"), D("4.52"), D("652.36"))
