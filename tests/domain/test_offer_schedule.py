"""An offer as dated instalments, the day it starts and a debt's share (domain.negotiation)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.negotiation import balance_share, first_offer_date, offer_instalments

D = Decimal


def test_equal_payments_stop_when_the_balance_is_cleared():
    # 1,000 at 300 a month: 300, 300, 300 and the last 100; the term of 6 is not used up.
    lines = offer_instalments(D("1000.00"), D("300.00"), 6, date(2027, 1, 15), 15)
    assert [(i.period, i.due_date, i.payment, i.balance) for i in lines] == [
        (1, date(2027, 1, 15), D("300.00"), D("700.00")),
        (2, date(2027, 2, 15), D("300.00"), D("400.00")),
        (3, date(2027, 3, 15), D("300.00"), D("100.00")),
        (4, date(2027, 4, 15), D("100.00"), D("0.00")),
    ]


def test_the_last_payment_absorbs_a_residue_under_one_percent():
    # 1,000 in 3 of 333.33: 0.01 would be left, under 3.33 (1% of a payment): the last is 333.34.
    lines = offer_instalments(D("1000.00"), D("333.33"), 3, date(2027, 1, 31), 31)
    assert [i.payment for i in lines] == [D("333.33"), D("333.33"), D("333.34")]
    assert lines[-1].balance == 0
    # Due on the 31st: February's falls on its last day.
    assert [i.due_date for i in lines] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]


def test_a_residue_of_one_percent_or_more_is_left_over():
    # 1,000 in 3 of 330: 10 left is 3% of a payment: the schedule stops at the term with 10 owed.
    lines = offer_instalments(D("1000.00"), D("330.00"), 3, date(2027, 1, 15), 15)
    assert [i.payment for i in lines] == [D("330.00")] * 3 and lines[-1].balance == D("10.00")


def test_nothing_offered_is_one_line_with_the_whole_balance():
    [line] = offer_instalments(D("800.00"), D("0"), 12, date(2027, 1, 15), 15)
    assert (line.period, line.payment, line.balance) == (1, D("0"), D("800.00"))


def test_the_first_payment_leaves_the_lender_time_to_answer():
    # 2026-11-23 + 15 days = 2026-12-08: the 15th of December is after it.
    assert first_offer_date(15, date(2026, 11, 23), 15) == date(2026, 12, 15)
    # 2026-11-23 + 15 = 2026-12-08: the 5th has passed, so the 5th of January.
    assert first_offer_date(5, date(2026, 11, 23), 15) == date(2027, 1, 5)
    # Due on the 31st, answer by 2027-02-04: February has no 31st, its last day comes first.
    assert first_offer_date(31, date(2027, 1, 20), 15) == date(2027, 2, 28)


def test_a_share_is_four_places_half_up():
    assert balance_share(D("1000"), D("3000")) == D("0.3333")
    assert balance_share(D("2000"), D("3000")) == D("0.6667")
    assert balance_share(D("500"), D("0")) == D("1")
