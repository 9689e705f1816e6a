"""A plan pays what is overdue in its first month, and only the instalment after: on a real database.

Figures worked by hand in the comments from the Baitiao terms: 8,000 in 12 fee instalments of
0.5% a month: 666.67 principal + 40.00 fee = 706.67 a month, due on the 26th, late fee 0.015% a day.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.app import Services
from services.planning import make_plan, plan_debts

D = Decimal
DAY = date(2026, 11, 23)
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
}


def test_schedule_arrears_count_without_an_entered_amount(tmp_path):
    # No overdue_amount: the schedule's Jul, Aug, Sep and Oct instalments are overdue on Nov 23,
    # 4 x 706.67 = 2,826.68. Each is late from its own due date: 120 + 89 + 58 + 28 = 295 days,
    # late fee 706.67 x 0.00015 x 295 = 31.2698… -> 31.27; 2,857.95 in all.
    # The first month's minimum adds the Nov 26 instalment: 706.67 + 2,857.95 = 3,564.62.
    with Services.open(tmp_path / "d.sqlite3") as svc:
        svc.add_debt(BAITIAO)
        [debt] = plan_debts(svc, DAY)
        assert (debt.arrears, debt.minimum_payment) == (D("2857.95"), D("706.67"))
        plan = make_plan(svc, D("4000"), "avalanche", DAY)
        # Month 1 pays at least the 3,564.62; a budget of 4,000 pays 4,000 (avalanche puts the
        # rest on the only debt). Month 2 needs only the instalment: no month is short.
        first = dict(plan.months_detail[0].payments)
        assert first[debt.id] == D("4000.00")
        assert plan.minimums == D("3564.62")
        assert not any(m.missed for m in plan.months_detail)


def test_a_budget_that_covers_the_instalment_but_not_the_arrears_misses_month_one_only(tmp_path):
    with Services.open(tmp_path / "d.sqlite3") as svc:
        svc.add_debt(BAITIAO)
        plan = make_plan(svc, D("800"), "minimum-only", DAY)
        # 800 < 3,564.62 in month 1: missed; from month 2 the instalment (706.67 + interest-free
        # fee already in it) fits in 800, so no later month is short.
        missed_months = [m.month for m in plan.months_detail if m.missed]
        assert missed_months == [1]
