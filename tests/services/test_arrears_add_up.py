"""After a partial payment on an overdue debt, the arrears are one figure on every page.

The overdue page (the report), the overview and the banner (reminders) read the same account,
and the payment's split pays the late fee it counts first (Civil Code Art. 561: costs first).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services import overview, reminders
from services.app import Services
from services.overdue import build_report

D = Decimal
DAY = date(2026, 11, 23)
# 8,000 in 12 fee instalments of 0.5% (40.00 a month): 666.67 + 40.00 = 706.67 each. Lent on
# 26 Jun, due on the 26th; nothing paid since the first due date: Jul 26, Aug 26, Sep 26 and
# Oct 26 are unpaid: 4 x 706.67 = 2,826.68 of arrears, 4 x 40.00 = 160.00 of them fees.
BAITIAO = {
    "name": "白条",
    "lender": "京东金融",
    "kind": "jd_baitiao",
    "principal": "8000.00",
    "start_date": "2026-06-26",
    "method": "fee-installment",
    "months": 12,
    "fee_rate": "0.5",
    "rate": "0",
    "due_day": 26,
    "penalty_rate_multiplier": "1",
    "late_fee_rate_per_day": "0.015",
    "grace_days": 0,
    "overdue_since": "2026-07-26",
    "overdue_amount": "2826.68",
}


def test_after_a_partial_payment_the_page_the_banner_and_the_split_agree(tmp_path):
    with Services.open(tmp_path / "d.sqlite3") as svc:
        debt_id = svc.add_debt(BAITIAO)
        # Late fee: 2,826.68 x 0.015% a day x 120 days (Jul 26 -> Nov 23) = 50.88024 -> 50.88.
        before = build_report(svc, debt_id, DAY)
        assert (before.days_overdue, before.late_fees, before.total_due) == (120, D("50.88"), D("2877.56"))

        svc.add_payment(debt_id, "1000.00", DAY)
        # The 1,000 pays the 50.88 late fee first, then 949.12 of the arrears:
        # 2,826.68 + 50.88 - 1,000 = 1,877.56 still overdue.
        expected = D("1877.56")
        report = build_report(svc, debt_id, DAY)
        assert (report.late_fees, report.total_due) == (0, expected)
        [item] = overview.overview(svc, DAY).overdue
        assert item.total_due == expected
        [arrears] = [d for d in reminders.dues_within(svc, DAY, 0) if d.overdue]
        assert arrears.amount == expected
        assert overview.amount_due(svc, svc.get_debt(debt_id), DAY) == expected

        # The split: fees = the late fee 50.88 + the 4 instalment fees 160.00 = 210.88; no interest
        # (0%); principal 1,000 - 210.88 = 789.12, leaving 8,000 - 789.12 = 7,210.88.
        [payment] = svc.list_payments(debt_id)
        assert (payment.fees, payment.interest, payment.principal) == (D("210.88"), 0, D("789.12"))
        # what the split paid of the arrears is what the report no longer counts
        assert payment.amount - D("50.88") == before.total_due - D("50.88") - report.total_due
        assert svc.debt_summary(debt_id, DAY).balance == D("7210.88")


def test_an_instalment_missed_after_the_entered_arrears_is_added_on_every_page(tmp_path):
    # On Nov 30 the Nov 26 instalment (706.67), due after the entered arrears, is unpaid too:
    # 5 x 706.67 = 3,533.35. Late fee 0.015% a day: 2,826.68 x 127 days (Jul 26 -> Nov 30)
    # = 53.847… plus 706.67 x 4 days (Nov 26 -> Nov 30) = 0.424…; 54.27 in all.
    day = date(2026, 11, 30)
    expected = D("3587.62")  # 3,533.35 + 54.27
    with Services.open(tmp_path / "d.sqlite3") as svc:
        debt_id = svc.add_debt(BAITIAO)
        report = build_report(svc, debt_id, day)
        assert (report.late_fees, report.total_due) == (D("54.27"), expected)
        [item] = overview.overview(svc, day).overdue
        assert item.total_due == expected
        [arrears] = [d for d in reminders.dues_within(svc, day, 0) if d.overdue]
        assert arrears.amount == expected
        assert overview.amount_due(svc, svc.get_debt(debt_id), day) == expected
