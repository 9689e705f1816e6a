"""A debt entered mid-life: every figure starts from where it stands, never from its first day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import ledger
from domain.debts import Debt, DebtKind, Method, RateUnit
from domain.schedules import schedule_for
from domain.standing import standing, standing_schedule
from domain.validation import validate_debt

D = Decimal
AS_OF = date(2026, 11, 25)

# A worked case: a JD Baitiao of 8,000 in 12 fee instalments at 0.5% a month of the original
# principal, bought eight months before AS_OF; due on the 23rd, so instalments fall on
# 23 Apr, 23 May, 23 Jun, 23 Jul (the four paid), 23 Aug (the fifth, missed), 23 Sep, 23 Oct, 23 Nov.
BAITIAO = Debt(
    "京东白条",
    "京东金融",
    DebtKind.JD_BAITIAO,
    D("8000.00"),
    date(2026, 3, 25),
    Method.FEE_INSTALLMENT,
    12,
    fee_rate=D("0.5"),
    due_day=23,
    late_fee_rate_per_day=D("0.015"),
    instalments_paid=4,
    overdue_since=date(2026, 8, 23),
)


def test_baitiao_with_four_instalments_paid_stands_at_two_thirds():
    s = standing(BAITIAO)
    # principal per instalment: 8000 / 12 = 666.666… → 666.67 (the last takes the residue);
    # four paid: 4 × 666.67 = 2666.68; left 8000.00 − 2666.68 = 5333.32 (≈ 5,333.33)
    assert s.principal == D("5333.32")
    assert s.since == date(2026, 7, 23)  # the fourth instalment's due date
    assert [r.period for r in s.rows] == list(range(5, 13))
    assert ledger.outstanding(BAITIAO, [], AS_OF).principal == D("5333.32")


def test_baitiao_fees_are_those_of_the_missed_instalments_only():
    # fee per instalment: 8000 × 0.5% = 40.00; due by AS_OF and unpaid: instalments 5..8 → 4 × 40 = 160.00
    # (not 8 × 40 = 320 for eight months since the start)
    owed = ledger.outstanding(BAITIAO, [], AS_OF)
    assert owed.fees == D("160.00") and owed.interest == 0


def test_baitiao_payment_of_1000_is_split_from_where_it_stands():
    # 1,000 on AS_OF: fees first 160.00, no interest (fee instalments), principal 1000 − 160 = 840.00
    [split] = ledger.allocate(BAITIAO, [(AS_OF, D("1000.00"))])
    assert (split.fees, split.interest, split.principal) == (D("160.00"), D("0"), D("840.00"))
    # balance after: 5333.32 − 840.00 = 4493.32
    assert ledger.outstanding(BAITIAO, [(AS_OF, D("1000.00"))], AS_OF).principal == D("4493.32")


def test_arrears_from_overdue_since_are_the_missed_instalments_up_to_the_day():
    from domain.overdue import arrears

    due, _rule = arrears(BAITIAO, standing(BAITIAO).rows, AS_OF)
    # instalments 5..8 (23 Aug, 23 Sep, 23 Oct, 23 Nov): 4 × 666.67 principal + 4 × 40.00 fees = 2826.68;
    # the ninth (23 Dec) is not due yet and is not arrears
    assert [i.due_date for i in due] == [date(2026, m, 23) for m in (8, 9, 10, 11)]
    assert sum((i.principal + i.fee for i in due), D("0")) == D("2826.68")


def test_outstanding_principal_agrees_with_instalments_paid_within_one_yuan():
    ok = replace(BAITIAO, outstanding_principal=D("5333.00"), outstanding_as_of=date(2026, 7, 23))
    assert validate_debt(ok) == []  # |5333.32 − 5333.00| = 0.32 ≤ 1.00
    bad = replace(BAITIAO, outstanding_principal=D("5000.00"), outstanding_as_of=date(2026, 7, 23))
    [error] = validate_debt(bad)  # 333.32 apart
    assert error.field == "outstanding_principal"
    assert "instalments_paid" in error.message and "outstanding_principal" in error.message
    assert error.params["expected"] == "5333.32"


def test_instalments_paid_must_leave_one_instalment():
    assert [e.field for e in validate_debt(replace(BAITIAO, instalments_paid=12))] == ["instalments_paid"]
    assert [e.field for e in validate_debt(replace(BAITIAO, instalments_paid=-1))] == ["instalments_paid"]
    no_date = replace(BAITIAO, instalments_paid=0, outstanding_principal=D("100.00"))
    assert [e.field for e in validate_debt(no_date)] == ["outstanding_principal"]


CARD = Debt(
    "招商银行信用卡",
    "招商银行",
    DebtKind.CREDIT_CARD,
    D("50000.00"),
    date(2026, 5, 1),
    Method.REVOLVING,
    12,
    rate=D("0.05"),
    rate_unit=RateUnit.DAY,
    due_day=25,
    outstanding_principal=D("12000.00"),
    outstanding_as_of=date(2026, 11, 5),
)


def test_a_card_entered_with_its_statement_balance():
    # the statement of 5 Nov shows 12,000.00: that is the balance, not the 50,000 limit
    assert ledger.outstanding(CARD, [], CARD.outstanding_as_of).principal == D("12000.00")
    # on its due date (25 Nov) nothing is charged yet: paid in full, the statement bears no interest
    owed = ledger.outstanding(CARD, [], AS_OF)
    assert (owed.interest, owed.principal) == (D("0"), D("12000.00"))
    # 1,000 on 25 Nov is principal; the rest unpaid, interest runs from the statement date at
    # 0.05% a day: 12000 × 0.0005 × 20 days (5 → 25 Nov) = 120.00 + 11000 × 0.0005 × 10 days
    # (25 Nov → 5 Dec) = 55.00: 175.00 owed on 5 Dec
    [split] = ledger.allocate(CARD, [(AS_OF, D("1000.00"))])
    assert (split.interest, split.principal) == (D("0"), D("1000.00"))
    later = ledger.outstanding(CARD, [(AS_OF, D("1000.00"))], date(2026, 12, 5))
    assert (later.interest, later.principal) == (D("175.00"), D("11000.00"))
    # what is left is cleared over the card's 12 months from the statement: 12000 / 12 = 1000.00 a month
    rows = standing(CARD).rows
    assert len(rows) == 12 and rows[0].principal == D("1000.00") and rows[0].due_date == date(2026, 11, 25)


BANK = Debt(
    "建行快贷",
    "中国建设银行",
    DebtKind.BANK_LOAN,
    D("100000.00"),
    date(2026, 1, 15),
    Method.EQUAL_INSTALLMENT,
    36,
    rate=D("4.35"),
    rate_unit=RateUnit.YEAR,
    due_day=15,
    outstanding_principal=D("80000.00"),
    outstanding_as_of=date(2026, 10, 15),
)


def test_a_bank_loan_with_its_outstanding_principal():
    s = standing(BANK)
    # instalments due after 15 Oct 2026: 15 Nov 2026 … 15 Jan 2029 = periods 10..36, 27 of them,
    # re-based on the 80,000.00 the bank shows (the schedule alone would say less)
    assert s.principal == D("80000.00") and len(s.rows) == 27
    assert s.rows[0].period == 10 and s.rows[0].due_date == date(2026, 11, 15)
    # first month's interest: 80000 × 4.35% / 12 = 290.00
    assert s.rows[0].interest == D("290.00")
    assert sum((r.principal for r in s.rows), D("0")) == D("80000.00")
    assert ledger.outstanding(BANK, [], date(2026, 10, 15)).principal == D("80000.00")
    # the full schedule from the start would have 36 rows and a different balance then
    assert schedule_for(BANK).rows[8].balance != D("80000.00")


def test_a_debt_entered_as_new_stands_where_it_started():
    new = replace(BAITIAO, instalments_paid=0)
    assert standing(new).principal == D("8000.00") and len(standing(new).rows) == 12
    assert standing_schedule(new).rows == schedule_for(new).rows


# --- the property: entered mid-life, the balance plus the principal paid since is what was left -------


METHODS = (
    Method.EQUAL_INSTALLMENT,
    Method.EQUAL_PRINCIPAL,
    Method.FEE_INSTALLMENT,
    Method.INTEREST_ONLY,
    Method.DAILY_INTEREST,
)


@st.composite
def mid_life_debts(draw: st.DrawFn) -> tuple[Debt, list[tuple[date, Decimal]]]:
    method = draw(st.sampled_from(METHODS))
    months = draw(st.integers(2, 36))
    principal = D(draw(st.integers(10_000, 50_000_000))) / 100
    unit = draw(st.sampled_from(list(RateUnit)))
    rate = {RateUnit.DAY: D("0.05"), RateUnit.MONTH: D("1.2"), RateUnit.YEAR: D("18")}[unit]
    start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
    debt = Debt(
        "x",
        "y",
        DebtKind.OTHER,
        principal,
        start,
        method,
        months,
        rate=rate,
        rate_unit=unit,
        fee_rate=D("0.6"),
        due_day=draw(st.integers(1, 31)),
    )
    full = schedule_for(debt)
    k = draw(st.integers(1, len(full.rows) - 1))
    if draw(st.booleans()):
        debt = replace(debt, instalments_paid=k)
    else:  # the lender's figure on a day between two due dates, a little off the schedule's
        on = full.rows[k - 1].due_date + timedelta(days=draw(st.integers(0, 20)))
        shown = max(D("0.01"), full.rows[k - 1].balance + D(draw(st.integers(-5000, 5000))) / 100)
        debt = replace(debt, outstanding_principal=shown, outstanding_as_of=on)
    since = standing(debt).since
    payments = []
    day = since
    for _ in range(draw(st.integers(0, 6))):
        day += timedelta(days=draw(st.integers(1, 60)))
        owed = ledger.outstanding(debt, payments, day).total
        if owed <= 0:
            break
        share = D(draw(st.integers(1, 100))) / 100
        payments.append((day, max(D("0.01"), (owed * share).quantize(D("0.01"), rounding="ROUND_DOWN"))))
    return debt, payments


@settings(max_examples=150, deadline=None)
@given(mid_life_debts())
def test_balance_plus_principal_paid_since_is_what_the_schedule_left(case):
    debt, payments = case
    s = standing(debt)
    left = sum((r.principal for r in s.rows), D("0"))
    assert left == s.principal  # the schedule as it stands owes exactly the principal left
    if debt.outstanding_principal is None:
        # k instalments paid: the schedule's principal less theirs
        paid_rows = schedule_for(debt).rows[: debt.instalments_paid]
        assert s.principal == schedule_for(debt).principal - sum((r.principal for r in paid_rows), D("0"))
    else:
        assert s.principal == debt.outstanding_principal
    last = payments[-1][0] if payments else s.since
    balance = ledger.outstanding(debt, payments, last).principal
    paid_since = sum((sp.principal for sp in ledger.allocate(debt, payments)), D("0"))
    assert balance + paid_since == s.principal
