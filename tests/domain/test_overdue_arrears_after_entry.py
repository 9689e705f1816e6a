"""Arrears the person entered, and the instalments that fall due after them; a payment inside the
grace days. Every figure is worked by hand in the comment beside it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.debts import Debt, DebtKind, Method, Payment, RateUnit
from domain.overdue import OverdueRules, arrears, charges_on, overdue_report
from domain.schedules import schedule_for
from resources.rules import escalation_rules, legal_rules, lpr_table, overdue_terms


def rules(kind: DebtKind) -> OverdueRules:
    return OverdueRules(overdue_terms()[kind], legal_rules(), lpr_table(), escalation_rules())


# JD Baitiao, 8,000.00 over 12 months at 0.5% a month fee: 666.67 principal + 40.00 fee a month
# (the last 666.63), due on the 3rd. Arrears entered: 4 × 706.67 = 2,826.68 since 2026-08-03.
BAITIAO = Debt(
    name="京东白条",
    lender="京东金融",
    kind=DebtKind.JD_BAITIAO,
    principal=Decimal("8000"),
    start_date=date(2026, 5, 3),
    method=Method.FEE_INSTALLMENT,
    months=12,
    rate=Decimal("0"),
    rate_unit=RateUnit.DAY,
    fee_rate=Decimal("0.5"),
    due_day=3,
    grace_days=0,
    penalty_rate_multiplier=Decimal("1"),
    late_fee_rate_per_day=Decimal("0.015"),
    overdue_since=date(2026, 8, 3),
    overdue_amount=Decimal("2826.68"),
    id=1,
)


def rows(debt: Debt):
    return schedule_for(debt).rows


def test_entered_arrears_cover_the_instalments_they_add_up_to():
    # On 2026-12-01 the entered 2,826.68 is the four instalments of August to November: nothing added.
    due, _rule = arrears(BAITIAO, rows(BAITIAO), date(2026, 12, 1))
    assert [i.amount for i in due] == [Decimal("2826.68")]


def test_an_instalment_missed_after_the_entry_is_added():
    # On 2026-12-10 the December instalment (due 12-03, 666.67 + 40.00) was missed too.
    due, rule = arrears(BAITIAO, rows(BAITIAO), date(2026, 12, 10))
    assert [(i.due_date, i.principal, i.interest + i.fee) for i in due[1:]] == [
        (date(2026, 12, 3), Decimal("666.67"), Decimal("40.00"))
    ]
    assert sum(i.amount for i in due) == Decimal("3533.35")  # 2,826.68 + 706.67
    assert rule.params["count"] == "1"
    report = overdue_report(
        BAITIAO, [], [], date(2026, 12, 10), rules=rules(DebtKind.JD_BAITIAO), rows=rows(BAITIAO)
    )
    # Late fee 0.015% a day: 2,826.68 × 0.00015 × 129 days (08-03 → 12-10) = 54.697…
    # plus 706.67 × 0.00015 × 7 days (12-03 → 12-10) = 0.742…; 55.44 in all, rounded once.
    assert report.late_fees == Decimal("55.44")
    assert report.total_due == Decimal("3588.79")  # 3,533.35 + 55.44


def test_entered_arrears_with_charges_still_cover_their_instalments():
    # 2,900.00 entered (four instalments and some fees): still four instalments, the fifth is added.
    debt = replace(BAITIAO, overdue_amount=Decimal("2900.00"))
    due, _rule = arrears(debt, rows(debt), date(2026, 12, 10))
    assert [i.amount for i in due] == [Decimal("2900.00"), Decimal("706.67")]


def test_a_card_statement_is_not_extended_by_a_model_schedule():
    card = replace(BAITIAO, kind=DebtKind.CREDIT_CARD, method=Method.REVOLVING)
    due, _rule = arrears(card, rows(BAITIAO), date(2026, 12, 10))
    assert [i.amount for i in due] == [Decimal("2826.68")]


def test_an_instalment_paid_in_full_on_the_last_grace_day_leaves_nothing_owed():
    # A loan with 3 grace days: 1,000.00 due 2026-06-10, penalty 0.05% a day on principal.
    debt = replace(
        BAITIAO,
        kind=DebtKind.BANK_LOAN,
        grace_days=3,
        late_fee_rate_per_day=Decimal("0"),
        overdue_since=date(2026, 6, 10),
        overdue_amount=Decimal("1000.00"),
        method=Method.EQUAL_INSTALLMENT,
        rate=Decimal("0.05"),
        rate_unit=RateUnit.DAY,
        penalty_rate_multiplier=Decimal("1"),
    )
    terms = rules(DebtKind.BANK_LOAN)
    due, _rule = arrears(debt, None, None)
    # Paid 1,000.00 on 06-13, the last grace day: the instalment is paid, nothing extra is owed.
    paid = [Payment(1, date(2026, 6, 13), Decimal("1000.00"))]
    on_time = charges_on(debt, due, paid, date(2026, 6, 20), terms)
    assert on_time.total_due == Decimal("0.00")
    # Paid one day later (06-14, out of grace): 4 days of penalty, 1,000 × 0.0005 × 4 = 2.00, come
    # first from the payment, so 2.00 of principal stays owed.
    late = charges_on(
        debt, due, [Payment(1, date(2026, 6, 14), Decimal("1000.00"))], date(2026, 6, 14), terms
    )
    assert late.total_due == Decimal("2.00")


def test_a_part_payment_inside_the_grace_days_waives_nothing():
    # 600.00 of the 1,000.00 paid on the last grace day, the rest never: the grace does not apply, so
    # the penalty runs from the due date. By 06-20 (10 days): 3 days on 1,000 = 1.50 owed before the
    # payment pays it first (1.50 penalty, 598.50 principal; 401.50 left), then 7 days on 401.50 =
    # 1.40525; owed 401.50 + 1.41 = 402.91.
    debt = replace(
        BAITIAO,
        kind=DebtKind.BANK_LOAN,
        grace_days=3,
        late_fee_rate_per_day=Decimal("0"),
        overdue_since=date(2026, 6, 10),
        overdue_amount=Decimal("1000.00"),
        method=Method.EQUAL_INSTALLMENT,
        rate=Decimal("0.05"),
        rate_unit=RateUnit.DAY,
        penalty_rate_multiplier=Decimal("1"),
    )
    due, _rule = arrears(debt, None, None)
    part = charges_on(
        debt,
        due,
        [Payment(1, date(2026, 6, 13), Decimal("600.00"))],
        date(2026, 6, 20),
        rules(DebtKind.BANK_LOAN),
    )
    assert part.total_due == Decimal("402.91")
