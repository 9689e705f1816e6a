"""What being overdue costs: worked examples by hand for every kind, and properties.

Every expected figure below is worked out in the comment beside it from the
product's published terms, not from the code's formula. Daily rates
from annual ones use 360 days (银发〔2005〕129号), as the rules file says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.debts import Debt, DebtKind, Method, Payment, RateUnit
from domain.overdue import (
    Instalment,
    OverdueRules,
    add_months,
    card_overdrawn_principal,
    charges_on,
    overdue_report,
    project,
    stage_for,
    timeline,
)
from resources.rules import escalation_rules, legal_rules, lpr_table, overdue_terms, product_presets

AS_OF = date(2026, 11, 23)
SINCE_120 = AS_OF - timedelta(days=120)  # 2026-07-26


def rules(kind: DebtKind) -> OverdueRules:
    return OverdueRules(overdue_terms()[kind], legal_rules(), lpr_table(), escalation_rules())


def debt_of(kind: DebtKind, **changes) -> Debt:
    """A debt with the kind's preset terms, 4,000.00 in arrears for 120 days."""
    p = product_presets()[kind]
    base = Debt(
        name="d",
        lender="l",
        kind=kind,
        principal=Decimal("12000"),
        start_date=date(2026, 1, 15),
        method=p.method,
        months=p.months,
        rate=p.rate,
        rate_unit=p.rate_unit,
        fee_rate=p.fee_rate,
        due_day=p.due_day,
        grace_days=p.grace_days,
        penalty_rate_multiplier=p.penalty_rate_multiplier,
        late_fee_rate_per_day=p.late_fee_rate_per_day,
        overdue_since=SINCE_120,
        overdue_amount=Decimal("4000"),
        id=1,
    )
    return replace(base, **changes)


def report(debt: Debt, payments=(), contacts=(), as_of: date = AS_OF, rows=None):
    return overdue_report(debt, list(payments), list(contacts), as_of, rules=rules(debt.kind), rows=rows)


# --- worked examples, one per kind -------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "changes", "penalty", "fees"),
    [
        # JD Baitiao: late fee 0.015%/day of the unpaid amount: 4000 × 0.00015 × 120 = 72.00;
        # no penalty interest.
        (DebtKind.JD_BAITIAO, {}, "0.00", "72.00"),
        # JD Jintiao: 0.05%/day × 1.5 = 0.075%/day on principal: 4000 × 0.00075 × 120 = 360.00.
        (DebtKind.JD_JINTIAO, {}, "360.00", "0.00"),
        # Huabei: 0.05%/day of the overdue amount as the late charge: 4000 × 0.0005 × 120 = 240.00.
        (DebtKind.HUABEI, {}, "0.00", "240.00"),
        # Jiebei: penalty = 1.5 × the daily rate 0.04% = 0.06%/day: 4000 × 0.0006 × 120 = 288.00.
        (DebtKind.JIEBEI, {}, "288.00", "0.00"),
        # Credit card: 0.05%/day on 4000 = 2.00/day × 120 = 240.00; 违约金 5% of the unpaid minimum
        # (4000) = 200.00 per cycle, charged after grace (3 days) on 07-30, 08-30, 09-30 and 10-30:
        # 4 × 200 = 800.00.
        (DebtKind.CREDIT_CARD, {}, "240.00", "800.00"),
        # Bank loan 4.9%/year × 1.5 over 120/360 of a year: 4000 × 0.049 × 1.5 / 3 = 98.00.
        (DebtKind.BANK_LOAN, {}, "98.00", "0.00"),
        # Consumer finance 24%/year × 1.5 over a third of a year: 4000 × 0.36 / 3 = 480.00.
        (DebtKind.CONSUMER_FINANCE, {}, "480.00", "0.00"),
        # Small-loan company, same terms: 480.00.
        (DebtKind.SMALL_LOAN, {}, "480.00", "0.00"),
        # Private loan at 24%/year, overdue at the loan rate (SPC Art. 28): 4000 × 0.24 / 3 = 320.00.
        (DebtKind.PRIVATE_LOAN, {"rate": Decimal("24")}, "320.00", "0.00"),
        # Private loan with no rate: overdue interest at the LPR on 2026-07-26 (3.0%):
        # 4000 × 0.03 / 3 = 40.00.
        (DebtKind.PRIVATE_LOAN, {}, "40.00", "0.00"),
        # Other, 12%/year × 1.5: 4000 × 0.18 / 3 = 240.00.
        (DebtKind.OTHER, {"rate": Decimal("12")}, "240.00", "0.00"),
        # Mortgage 3.5%/year × 1.5 over a third of a year: 4000 × 0.0525 / 3 = 70.00.
        (DebtKind.MORTGAGE, {}, "70.00", "0.00"),
        # Car loan 6%/year × 1.5: 4000 × 0.09 / 3 = 120.00.
        (DebtKind.CAR_LOAN, {}, "120.00", "0.00"),
        # Guaranteed loan at 12%/year × 1.5: 4000 × 0.18 / 3 = 240.00.
        (DebtKind.GUARANTEED, {"rate": Decimal("12")}, "240.00", "0.00"),
    ],
)
def test_worked_example_120_days(kind, changes, penalty, fees):
    r = report(debt_of(kind, **changes))
    assert r.days_overdue == 120
    assert r.stage == "M4"
    assert r.overdue_principal == Decimal("4000.00")
    assert r.penalty_interest == Decimal(penalty)
    assert r.late_fees == Decimal(fees)
    assert r.total_due == Decimal("4000") + Decimal(penalty) + Decimal(fees)
    assert {u.figure for u in r.rules_used} >= {"arrears", "penalty_interest"}


def test_every_kind_has_a_worked_example():
    kinds = {
        DebtKind.JD_BAITIAO,
        DebtKind.JD_JINTIAO,
        DebtKind.HUABEI,
        DebtKind.JIEBEI,
        DebtKind.CREDIT_CARD,
        DebtKind.BANK_LOAN,
        DebtKind.CONSUMER_FINANCE,
        DebtKind.SMALL_LOAN,
        DebtKind.PRIVATE_LOAN,
        DebtKind.MORTGAGE,
        DebtKind.CAR_LOAN,
        DebtKind.GUARANTEED,
        DebtKind.OTHER,
    }
    assert kinds == set(DebtKind)


def test_demo_baitiao_to_the_fen():
    # The demo's Baitiao: 2826.68 in arrears for 120 days: 2826.68 × 0.00015 × 120 = 50.88024 → 50.88.
    r = report(debt_of(DebtKind.JD_BAITIAO, overdue_amount=Decimal("2826.68")))
    assert r.late_fees == Decimal("50.88")
    assert r.total_due == Decimal("2877.56")
    # Waiting 30 more days: 2826.68 × 0.00015 × 30 = 12.72006 → +12.72.
    assert r.projection[0].on == AS_OF + timedelta(days=30)
    assert r.projection[0].more_than_now == Decimal("12.72")


def test_contract_values_win_over_presets():
    # The person's Baitiao contract says 0.05%/day: 4000 × 0.0005 × 120 = 240.00.
    r = report(debt_of(DebtKind.JD_BAITIAO, late_fee_rate_per_day=Decimal("0.05")))
    assert r.late_fees == Decimal("240.00")
    # A bank loan at +30% instead of +50%: 4000 × 0.049 × 1.3 / 3 = 84.9333 → 84.93.
    r = report(debt_of(DebtKind.BANK_LOAN, penalty_rate_multiplier=Decimal("1.3")))
    assert r.penalty_interest == Decimal("84.93")


@dataclass(frozen=True)
class Row:
    due_date: date
    principal: Decimal
    interest: Decimal
    fee: Decimal = Decimal("0")


def test_schedule_rows_compound_on_unpaid_interest_for_bank_loans():
    debt = debt_of(
        DebtKind.BANK_LOAN,
        rate=Decimal("12"),
        grace_days=0,
        overdue_amount=None,
        overdue_since=date(2026, 9, 15),
    )
    rows = [
        Row(date(2026, 8, 15), Decimal("1000"), Decimal("44")),  # paid before the arrears began
        Row(date(2026, 9, 15), Decimal("1000"), Decimal("40")),
        Row(date(2026, 10, 15), Decimal("1000"), Decimal("36")),
        Row(date(2026, 12, 15), Decimal("1000"), Decimal("32")),
    ]  # not yet due
    r = report(debt, as_of=date(2026, 11, 14), rows=rows)
    # Daily penalty rate 12% × 1.5 / 360 = 0.0005, on principal + unpaid interest:
    # (1000 + 40) × 0.0005 × 60 = 31.20 and (1000 + 36) × 0.0005 × 30 = 15.54 → 46.74.
    assert r.penalty_interest == Decimal("46.74")
    assert r.overdue_principal == Decimal("2000.00")
    assert r.overdue_interest == Decimal("76.00")
    assert r.days_overdue == 60


def test_payment_goes_to_fees_first_and_lowers_later_charges():
    debt = debt_of(DebtKind.HUABEI)
    pay = Payment(debt_id=1, date=SINCE_120 + timedelta(days=60), amount=Decimal("1000"))
    r = report(debt, payments=[pay])
    # Day 60: fees 4000 × 0.0005 × 60 = 120.00; the 1000 pays them, then 880 of principal → 3120.
    # Days 60-120: 3120 × 0.0005 × 60 = 93.60.
    assert r.overdue_principal == Decimal("3120.00")
    assert r.late_fees == Decimal("93.60")
    assert r.total_due == Decimal("3213.60")


def test_grace_days_are_counted_but_cost_nothing_if_paid_within_them():
    debt = debt_of(DebtKind.CREDIT_CARD)  # grace 3 days
    within = report(debt, as_of=SINCE_120 + timedelta(days=2))
    assert within.days_overdue == 2
    assert within.in_grace
    assert within.penalty_interest == within.late_fees == Decimal("0")
    after = report(debt, as_of=SINCE_120 + timedelta(days=4))
    # After grace, charges count from the due date: 4000 × 0.0005 × 4 = 8.00, plus 违约金 5% × 4000 = 200.00.
    assert after.days_overdue == 4
    assert not after.in_grace
    assert after.penalty_interest == Decimal("8.00")
    assert after.late_fees == Decimal("200.00")


def test_late_fee_cap_override():
    terms = rules(DebtKind.HUABEI)
    from domain.rules import override_terms

    capped = replace(terms, terms=override_terms(terms.terms, {"late_fee_cap_percent": "5"}))
    debt = debt_of(DebtKind.HUABEI)
    c = charges_on(debt, [Instalment(SINCE_120, Decimal("4000"))], [], AS_OF, capped)
    # Uncapped 240.00; capped at 5% of 4000 = 200.00.
    assert c.late_fees == Decimal("200.00")


def test_current_debt_owes_nothing_extra_and_events_are_coming():
    debt = debt_of(DebtKind.JD_BAITIAO, overdue_since=None, overdue_amount=None)
    r = report(debt)
    assert r.days_overdue == 0
    assert r.stage == "M0"
    assert r.total_due == Decimal("0")
    assert r.events and all(e.status == "coming" for e in r.events)
    assert r.events[0].on > AS_OF  # dated from the next due date
    assert r.legal_checks


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


# --- timeline -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "stage", "risk"),
    [
        (0, "M0", None),
        (15, "M1", "关注"),
        (45, "M2", "关注"),
        (95, "M4", "次级"),
        (130, "M5", "可疑"),
        (200, "M7", "损失"),
    ],
)
def test_stage_and_card_risk_class_by_days(days, stage, risk):
    assert stage_for(days) == stage
    debt = debt_of(DebtKind.CREDIT_CARD)
    events = timeline(debt, days, Decimal("4000"), AS_OF, rules(DebtKind.CREDIT_CARD))
    current = [e.params["name"] for e in events if e.kind == "risk_class" and e.status == "current"]
    assert current == ([risk] if risk else [])
    codes = [e.params["code"] for e in events if e.kind == "report_code" and e.status == "current"]
    assert codes == ([stage[1:]] if days else [])


def test_timeline_steps_have_sources_and_certainty_and_dates():
    debt = debt_of(DebtKind.JD_BAITIAO)
    events = timeline(debt, 120, Decimal("4000"), AS_OF, rules(DebtKind.JD_BAITIAO))
    kinds = {e.kind for e in events}
    assert {
        "reminder",
        "credit_report",
        "report_code",
        "outsourced_collection",
        "lawyer_letter",
        "lawsuit",
        "enforcement",
    } <= kinds
    for e in events:
        assert e.cited.sources and e.cited.certainty in ("law", "typical")
        assert e.on == SINCE_120 + timedelta(days=e.day)
    statuses = {e.key: e.status for e in events}
    assert statuses["outsourced"] == "past"  # days 31-90
    assert statuses["lawsuit"] == "current"  # days 91-365
    assert statuses["enforcement"] == "coming"  # from day 181
    assert all(e.commonly for e in events if e.kind in ("outsourced_collection", "lawsuit"))


def test_private_loans_are_not_reported_and_can_be_sued_at_once():
    r = rules(DebtKind.PRIVATE_LOAN)
    events = timeline(debt_of(DebtKind.PRIVATE_LOAN), 10, Decimal("4000"), AS_OF, r)
    kinds = {e.kind for e in events}
    assert "credit_report" not in kinds and "report_code" not in kinds
    lawsuit = next(e for e in events if e.kind == "lawsuit")
    assert lawsuit.status == "current" and lawsuit.cited.certainty == "law"


def test_card_criminal_threshold():
    r = rules(DebtKind.CREDIT_CARD)
    below = [
        e
        for e in timeline(debt_of(DebtKind.CREDIT_CARD), 200, Decimal("49999.99"), AS_OF, r)
        if e.kind == "criminal_threshold"
    ]
    above = [
        e
        for e in timeline(debt_of(DebtKind.CREDIT_CARD), 200, Decimal("50000"), AS_OF, r)
        if e.kind == "criminal_threshold"
    ]
    assert len(below) == len(above) == 1
    assert not below[0].applies and above[0].applies
    # Earliest: a collection on day 1, a second 30 days later, then 3 months (90 days): day 121.
    assert above[0].day == 121 and above[0].status == "current"
    assert above[0].cited.certainty == "law"
    assert not [
        e
        for e in timeline(debt_of(DebtKind.HUABEI), 200, Decimal("60000"), AS_OF, rules(DebtKind.HUABEI))
        if e.kind == "criminal_threshold"
    ]


def test_enforcement_is_stated_right_and_never_dated_as_a_fact():
    # 400 days overdue: no judgment is known to the program, so the step stays "coming", conditional
    # on a suit, and says what the law says: 限制高消费 after any unperformed judgment, the 失信 list
    # only for a debtor able to perform who refuses, delay interest 0.0175% a day of the unpaid sum.
    events = report(debt_of(DebtKind.BANK_LOAN, overdue_since=AS_OF - timedelta(days=400))).events
    step = next(e for e in events if e.kind == "enforcement")
    assert step.status == "coming" and step.possible and step.needs_judgment
    assert step.text.startswith("Only if you are sued")
    assert "0.0175%" in step.text and "doubles" not in step.text
    assert "限制高消费" in step.text and "失信被执行人" in step.text and "able to" in step.text
    assert step.commonly and step.cited.certainty == "typical"
    assert "法释〔2014〕8号" in step.cited.source_text


def _crime(r):
    return next(e for e in r.events if e.kind == "criminal_threshold")


def test_card_threshold_counts_all_overdrawn_principal_not_a_model_instalment():
    # A 60,000 card, 95 days overdue, 20,000 of it in arrears as the schedule sees it: the base is
    # the whole overdrawn principal still unpaid, 60,000.00 ≥ 50,000.00 (法释〔2018〕19号 Arts. 8-9).
    card = debt_of(
        DebtKind.CREDIT_CARD,
        principal=Decimal("60000"),
        overdue_amount=Decimal("20000"),
        overdue_since=AS_OF - timedelta(days=95),
    )
    event = _crime(report(card))
    assert event.applies
    assert event.params["principal"] == "60000.00" and event.params["total"] == "60000.00"
    assert "below" not in event.text and "civil debt" not in event.text
    # Repaying in full does not avoid prosecution: the prosecutor may decline (Art. 10).
    assert "may decline" in event.text and "可以不起诉" in event.text
    assert "allows non-prosecution" not in event.text and "avoids" not in event.text
    # What an effective collection is (Art. 7) is said.
    assert "有效催收" in event.text and "30 days" in event.text


def test_card_threshold_repayments_after_the_missed_date_count_against_principal():
    since = AS_OF - timedelta(days=95)
    card = debt_of(DebtKind.CREDIT_CARD, principal=Decimal("60000"), overdue_since=since)
    # 12,000 paid after the card went overdue, booked as 500 fees + 1,500 interest + 10,000 principal:
    # all 12,000 counts as principal (Art. 9): 60,000 − 12,000 = 48,000.00 < 50,000.
    paid = Payment(
        debt_id=1,
        date=since + timedelta(days=10),
        amount=Decimal("12000"),
        fees=Decimal("500"),
        interest=Decimal("1500"),
        principal=Decimal("10000"),
    )
    # A payment before the missed date counts with its booked principal part only: 1,000 of 1,200.
    early = Payment(
        debt_id=1,
        date=since - timedelta(days=5),
        amount=Decimal("1200"),
        interest=Decimal("200"),
        principal=Decimal("1000"),
    )
    assert card_overdrawn_principal(card, [paid, early], AS_OF) == Decimal("47000")
    event = _crime(report(card, payments=[paid]))
    assert not event.applies and event.params["principal"] == "48000.00"
    assert "civil debt" not in event.text


def test_card_threshold_adds_the_persons_other_cards():
    # Two cards of one person, 30,000 and 25,000 unpaid: each below, together 55,000.00 ≥ 50,000.
    one = debt_of(DebtKind.CREDIT_CARD, principal=Decimal("30000"), id=1)
    two = debt_of(DebtKind.CREDIT_CARD, principal=Decimal("25000"), id=2)
    alone = _crime(report(one))
    assert not alone.applies
    together = overdue_report(
        one, [], [], AS_OF, rules=rules(DebtKind.CREDIT_CARD), other_cards=[(one, []), (two, [])]
    )
    event = _crime(together)
    assert event.applies
    assert event.params["principal"] == "30000.00" and event.params["total"] == "55000.00"


# --- legal checks ------------------------------------------------------------------------


def _check(r, kind):
    return next(c for c in r.legal_checks if c.kind == kind)


def test_private_loan_at_24_percent_is_flagged_against_4_lpr():
    debt = debt_of(
        DebtKind.PRIVATE_LOAN,
        rate=Decimal("24"),
        principal=Decimal("10000"),
        months=12,
        start_date=date(2026, 1, 15),
    )
    check = _check(report(debt), "rate_cap")
    assert check.applies and not check.ok
    # LPR on 2026-01-15 is 3.00% → cap 12.00%. From 2026-01-15 to 2026-11-23 is 312 days
    # (16+28+31+30+31+30+31+31+30+31+23): (24% − 12%) × 10000 × 312/360 = 1040.00 so far.
    assert check.params["cap"] == "12.00"
    assert check.params["lpr_date"] == "2025-05-20"
    assert check.amount == Decimal("1040.00")
    # Overdue at 24% a year is above the same cap; 120 days on 4000 allowed 4000 × 0.12 / 3 = 160.00,
    # charged 320.00 → 160.00 over.
    overdue = _check(report(debt), "overdue_cap")
    assert not overdue.ok and overdue.amount == Decimal("160.00")


@pytest.mark.parametrize(
    ("start", "cap"),
    [
        (date(2020, 8, 20), "15.40%"),  # LPR 3.85 (since 2020-04-20) × 4
        (date(2022, 1, 19), "15.20%"),  # LPR 3.80 (since 2021-12-20) × 4
        (date(2023, 7, 1), "14.20%"),  # LPR 3.55 (since 2023-06-20) × 4
        (date(2024, 10, 21), "12.40%"),  # LPR 3.10 × 4
    ],
)
def test_cap_uses_the_lpr_at_the_contract_date(start, cap):
    debt = debt_of(DebtKind.PRIVATE_LOAN, rate=Decimal("14"), start_date=start)
    check = _check(report(debt), "rate_cap")
    assert check.params["cap"] + "%" == cap
    assert check.ok == (Decimal("14") <= Decimal(cap.rstrip("%")))


def test_contract_before_the_new_rules_uses_the_transition_basis():
    # From 2019-05-01 for 24 months: interest runs past 2020-08-20, so the later part is judged by
    # 4 × the LPR when suing.
    debt = debt_of(DebtKind.PRIVATE_LOAN, rate=Decimal("20"), start_date=date(2019, 5, 1), months=24)
    check = _check(report(debt), "rate_cap")
    assert "2020-08-20" in check.text
    assert check.params["cap"] == "12.00"  # 4 × the LPR when suing (as-of stands in): 4 × 3.00


def test_licensed_lenders_are_outside_the_private_cap():
    check = _check(report(debt_of(DebtKind.CONSUMER_FINANCE)), "rate_cap")
    assert check.ok and not check.applies
    assert "Art. 1" in check.text


def test_interest_taken_in_advance():
    debt = debt_of(
        DebtKind.PRIVATE_LOAN, rate=Decimal("10"), principal=Decimal("10000"), received_amount=Decimal("9000")
    )
    r = report(debt)
    check = _check(r, "advance_interest")
    assert not check.ok and check.amount == Decimal("1000")
    assert "670" in check.text
    # Shown: the debt's own rates. Nominal on what was received: 10% × 10000 / 9000 = 11.11%. By IRR
    # (a bullet loan: 9000 in, 11000 back after 12 months) (11000/9000)^(1/12) − 1 = 1.6863% a month,
    # × 12 = 20.24%. Compared with the cap: the agreed 10% on the 9,000 received (the deduction is
    # disputed once, above, as principal).
    cap_check = _check(r, "rate_cap")
    assert cap_check.params["nominal"] == "11.11"
    expected = npf.rate(12, 0, 9000, -11000) * 1200
    assert abs(Decimal(cap_check.params["effective"]) - Decimal(str(expected))) < Decimal("0.006")
    assert cap_check.params["basis"] == "as_received"
    assert cap_check.params["rate"] == "10.00" and cap_check.ok
    assert _check(report(debt_of(DebtKind.PRIVATE_LOAN)), "advance_interest").ok


def test_interest_taken_in_advance_is_counted_once():
    # 10,000 written, 9,000 received, 12% a year agreed, start 2026-01-15 (LPR 3.00% → cap 12.00%).
    # The principal is the 9,000 received and the agreed 12% applies to it: within the cap, nothing
    # over it. The deduction is disputed once, as principal: 10,000 − 9,000 = 1,000.00. (Counting the
    # rate on what was received, 12% × 10,000 / 9,000 = 13.33%, would dispute the deduction twice.)
    debt = debt_of(
        DebtKind.PRIVATE_LOAN,
        rate=Decimal("12"),
        principal=Decimal("10000"),
        received_amount=Decimal("9000"),
        start_date=date(2026, 1, 15),
        months=12,
    )
    r = report(debt)
    cap = _check(r, "rate_cap")
    assert cap.ok and cap.amount == 0
    assert cap.params["rate"] == "12.00" and cap.params["cap"] == "12.00"
    assert _check(r, "advance_interest").amount == Decimal("1000")


def test_over_cap_interest_is_on_the_principal_actually_outstanding():
    # 12,000 at 24% a year, equal principal (1,000 a month), 12 months from 2026-01-15, due on the
    # 15th, nothing overdue; cap 12.00%. Interest above the cap is 12% on the principal outstanding in
    # each period, up to 2026-11-23:
    #   12000×31 + 11000×28 + 10000×31 + 9000×30 + 8000×31 + 7000×30 + 6000×31 + 5000×31
    #   + 4000×30 + 3000×31 + 2000×8 = 2,288,000 yuan-days; × 12% / 360 = 762.67.
    # (On the whole 12,000 for 312 days it would be 1,248.00.)
    debt = debt_of(
        DebtKind.PRIVATE_LOAN,
        rate=Decimal("24"),
        principal=Decimal("12000"),
        months=12,
        method=Method.EQUAL_PRINCIPAL,
        start_date=date(2026, 1, 15),
        due_day=15,
        overdue_since=None,
        overdue_amount=None,
    )
    cap = _check(report(debt), "rate_cap")
    assert not cap.ok and cap.amount == Decimal("762.67")


def test_a_contract_before_2020_08_20_follows_the_2015_lines_for_that_period():
    # 10,000 at 30% a year from 2019-05-01 for 12 months, repaid by 2020-05-01: all of it before
    # 2020-08-20, so the 2015 provisions apply (Art. 31): 24% supported, above 36% void. No LPR is
    # used (the LPR did not exist before 2019-08-20). Above 24% for 366 days:
    # (30% − 24%) × 10,000 × 366 / 360 = 610.00.
    debt = debt_of(
        DebtKind.PRIVATE_LOAN,
        rate=Decimal("30"),
        principal=Decimal("10000"),
        months=12,
        start_date=date(2019, 5, 1),
        overdue_since=None,
        overdue_amount=None,
    )
    cap = _check(report(debt), "rate_cap")
    assert not cap.ok and cap.amount == Decimal("610.00")
    assert cap.params["cap"] == "24.00" and "lpr" not in cap.params
    assert "24%" in cap.text and "36%" in cap.text and "LPR" not in cap.text


def test_the_overdue_cap_is_on_the_base_the_overdue_interest_accrues_on():
    # 10,000 at 24% a year, repaid in one sum of 11,200 on 2026-07-15, unpaid since: 131 days to
    # 2026-11-23. Overdue interest runs on the principal only (penalty_base "principal"):
    # 10,000 × 24% × 131 / 360 = 873.33. The cap (4 × LPR 3.00% = 12%) on the same base:
    # 10,000 × 12% × 131 / 360 = 436.67, so 873.33 − 436.67 = 436.66 is above it (not the 384.26
    # found by also counting the 1,200 of unpaid interest in the base).
    debt = debt_of(
        DebtKind.PRIVATE_LOAN,
        rate=Decimal("24"),
        principal=Decimal("10000"),
        months=6,
        method=Method.BULLET,
        start_date=date(2026, 1, 15),
        due_day=15,
        overdue_since=date(2026, 7, 15),
        overdue_amount=None,
    )
    from services.overdue import schedule_rows

    r = report(debt, rows=schedule_rows(debt))
    assert r.penalty_interest == Decimal("873.33")
    assert _check(r, "overdue_cap").amount == Decimal("436.66")


def test_excessive_penalty():
    # Jintiao: penalty 0.075%/day = 1.5 × the contract's 0.05%/day. A 30%–50% surcharge on the
    # contract rate is the norm for financial loans (PBOC 银发〔2003〕251号 item 3), not an excess:
    # the line is 0.05% × 1.5 = 0.075%/day, and 0.075% is not above it.
    check = _check(report(debt_of(DebtKind.JD_JINTIAO)), "excessive_penalty")
    assert check.ok and check.amount == 0
    assert "251号" in check.cited.source_text and check.params["margin"] == "50.00"
    # Baitiao: 0.015%/day vs the fee's 0.5%/30 = 0.01667%/day: not excessive.
    assert _check(report(debt_of(DebtKind.JD_BAITIAO)), "excessive_penalty").ok


def test_a_lenders_36_percent_is_never_its_actual_loss():
    # Consumer finance at 36% a year, penalty × 1.5 = 54% a year on 4,000 for 120 days = 720.00.
    # The loss is counted at most at the 24% line courts use for financial loans, so the line for late
    # charges is 24% × 1.5 = 36% a year; of 720.00, 720 × (54 − 36) / 54 = 240.00 is above it.
    check = _check(report(debt_of(DebtKind.CONSUMER_FINANCE, rate=Decimal("36"))), "excessive_penalty")
    assert not check.ok and check.amount == Decimal("240.00")
    assert check.params["loss"] == "24.00" and check.params["charge"] == "54.00"


def test_licensed_lenders_show_the_24_percent_line_courts_use():
    # A bullet consumer-finance loan at 36% a year, 12,000 from 2026-01-15, nothing overdue: the 4 × LPR
    # cap does not bind it, but courts commonly cut charges above 24% a year in total (法发〔2017〕22号
    # Art. 2). Above it so far: (36% − 24%) × 12,000 × 312 / 360 = 1,248.00.
    debt = debt_of(
        DebtKind.CONSUMER_FINANCE,
        rate=Decimal("36"),
        method=Method.BULLET,
        months=12,
        start_date=date(2026, 1, 15),
        overdue_since=None,
        overdue_amount=None,
    )
    check = _check(report(debt), "financial_line")
    assert check.applies and not check.ok and check.amount == Decimal("1248.00")
    assert check.cited.certainty == "typical" and "法发〔2017〕22号" in check.cited.source_text
    assert not _check(report(debt), "rate_cap").applies
    # Overdue charges: 4,000 for 120 days at 24% × 1.5 = 36% a year = 480.00; the line allows 4,000
    # × 24% × 120 / 360 = 320.00, so 160.00 is above it (the preset's 24% contract rate is on the line).
    overdue = _check(report(debt_of(DebtKind.CONSUMER_FINANCE)), "financial_line")
    assert not overdue.ok and overdue.amount == Decimal("160.00")
    # Cards too, with the bank-card provisions Art. 2.
    card = _check(report(debt_of(DebtKind.CREDIT_CARD)), "financial_line")
    assert card.applies and "Art. 2" in card.cited.source_text
    # Private loans have their own binding cap instead.
    assert not [c for c in report(debt_of(DebtKind.PRIVATE_LOAN)).legal_checks if c.kind == "financial_line"]


def test_cards_may_ask_to_reduce():
    check = _check(report(debt_of(DebtKind.CREDIT_CARD)), "card_reduce")
    assert check.amount == Decimal("1040.00")  # 240.00 penalty + 800.00 违约金
    assert "Art. 2" in check.text


def test_every_legal_check_has_kind_text_and_source():
    for kind in DebtKind:
        for check in report(debt_of(kind)).legal_checks:
            assert check.kind and check.text and check.cited.sources


# --- properties --------------------------------------------------------------------------

KINDS = st.sampled_from(list(DebtKind))
AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500000"), places=2)


def _debt(kind, amount, grace, rate):
    return debt_of(kind, overdue_amount=amount, grace_days=grace, rate=rate, rate_unit=RateUnit.YEAR)


@settings(max_examples=60, deadline=None)
@given(
    kind=KINDS,
    amount=AMOUNTS,
    grace=st.integers(0, 5),
    rate=st.decimals(min_value=Decimal("0"), max_value=Decimal("36"), places=2),
    d1=st.integers(0, 800),
    d2=st.integers(0, 800),
)
def test_cost_never_goes_down_with_time_while_nothing_is_paid(kind, amount, grace, rate, d1, d2):  # noqa: PLR0917
    debt = _debt(kind, amount, grace, rate)
    inst = [Instalment(SINCE_120, amount)]
    early, late = sorted((d1, d2))
    a = charges_on(debt, inst, [], SINCE_120 + timedelta(days=early), rules(kind))
    b = charges_on(debt, inst, [], SINCE_120 + timedelta(days=late), rules(kind))
    assert a.total_due <= b.total_due
    assert a.penalty_interest <= b.penalty_interest and a.late_fees <= b.late_fees


@settings(max_examples=60, deadline=None)
@given(
    kind=KINDS,
    amount=AMOUNTS,
    grace=st.integers(0, 5),
    rate=st.decimals(min_value=Decimal("0"), max_value=Decimal("36"), places=2),
    pay_day=st.integers(0, 300),
    later=st.integers(0, 300),
    paid=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("600000"), places=2),
)
def test_a_payment_never_increases_what_is_owed(kind, amount, grace, rate, pay_day, later, paid):  # noqa: PLR0917
    debt = _debt(kind, amount, grace, rate)
    inst = [Instalment(SINCE_120, amount)]
    on = SINCE_120 + timedelta(days=pay_day + later)
    payment = Payment(debt_id=1, date=SINCE_120 + timedelta(days=pay_day), amount=paid)
    without = charges_on(debt, inst, [], on, rules(kind))
    with_payment = charges_on(debt, inst, [payment], on, rules(kind))
    assert with_payment.total_due <= without.total_due
    assert with_payment.total_due >= 0


@settings(max_examples=30, deadline=None)
@given(kind=KINDS, amount=AMOUNTS, extra=st.lists(st.integers(1, 400), min_size=1, max_size=4))
def test_projection_grows_with_waiting(kind, amount, extra):
    debt = _debt(kind, amount, 0, Decimal("12"))
    inst = [Instalment(SINCE_120, amount)]
    points = project(debt, inst, [], AS_OF, [AS_OF + timedelta(days=d) for d in extra], rules=rules(kind))
    assert all(p.more_than_now >= 0 for p in points)
    totals = [p.total_due for p in points]
    assert totals == sorted(totals)


def test_method_of_estimate_without_arrears_or_schedule():
    debt = debt_of(
        DebtKind.BANK_LOAN,
        overdue_amount=None,
        method=Method.EQUAL_INSTALLMENT,
        months=12,
        principal=Decimal("12000"),
        grace_days=0,
        rate=Decimal("0"),
    )
    r = report(debt, as_of=SINCE_120 + timedelta(days=45))
    # Estimate: 12000 / 12 = 1000 a month, due 07-26 and 08-26 by day 45 → 2000 in arrears.
    assert r.overdue_principal == Decimal("2000.00")
    assert any("Estimate" in u.text for u in r.rules_used)


def test_excessive_terms_on_a_current_debt_are_only_a_warning():
    # 36% a year × 1.5 = 54% a year, above 24% × 1.5 = 36%: excessive terms, but nothing charged yet.
    current = report(
        debt_of(DebtKind.CONSUMER_FINANCE, rate=Decimal("36"), overdue_since=None, overdue_amount=None)
    )
    check = _check(current, "excessive_penalty")
    assert check.ok and check.amount == Decimal("0") and "If charged" in check.text


def test_a_payment_before_the_first_listed_due_date_counts():
    debt = debt_of(DebtKind.HUABEI, overdue_amount=None, overdue_since=date(2026, 9, 1))
    rows = [Row(date(2026, 9, 10), Decimal("1000"), Decimal("0"))]
    pay = Payment(debt_id=1, date=date(2026, 9, 5), amount=Decimal("400"))
    r = report(debt, payments=[pay], as_of=date(2026, 9, 30), rows=rows)
    # 400 paid ahead: 600 left from 09-10; 600 × 0.0005 × 20 = 6.00.
    assert r.overdue_principal == Decimal("600.00")
    assert r.late_fees == Decimal("6.00")


ROWS = st.lists(
    st.tuples(
        st.integers(0, 400), AMOUNTS, st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2)
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(
    kind=KINDS,
    rows=ROWS,
    pays=st.lists(st.tuples(st.integers(0, 400), AMOUNTS), max_size=4),
    extra=st.tuples(st.integers(0, 400), AMOUNTS),
    day=st.integers(0, 500),
)
def test_with_schedules_a_payment_never_increases_and_time_never_lowers(kind, rows, pays, extra, day):
    debt = debt_of(kind, overdue_amount=None, grace_days=2, rate=Decimal("18"), rate_unit=RateUnit.YEAR)
    inst = [Instalment(SINCE_120 + timedelta(days=d), p, i) for d, p, i in rows]
    payments = [Payment(debt_id=1, date=SINCE_120 + timedelta(days=d), amount=a) for d, a in pays]
    on = SINCE_120 + timedelta(days=day)
    r = rules(kind)
    base = charges_on(debt, inst, payments, on, r)
    more = Payment(debt_id=1, date=SINCE_120 + timedelta(days=extra[0]), amount=extra[1])
    assert charges_on(debt, inst, [*payments, more], on, r).total_due <= base.total_due
    if not payments:
        assert charges_on(debt, inst, [], on + timedelta(days=30), r).total_due >= base.total_due


def test_lpr_beyond_the_confirmed_date_is_flagged():
    confirmed = lpr_table().confirmed_through
    late = report(debt_of(DebtKind.PRIVATE_LOAN), as_of=confirmed + timedelta(days=1))
    on_time = report(debt_of(DebtKind.PRIVATE_LOAN, start_date=date(2026, 1, 15)), as_of=confirmed)
    assert any(u.figure == "lpr" for u in late.rules_used)
    assert not any(u.figure == "lpr" for u in on_time.rules_used)


def test_small_daily_rates_keep_their_places_in_texts():
    used = {u.figure: u for u in report(debt_of(DebtKind.JD_BAITIAO)).rules_used}
    assert used["late_fees"].params["rate"] == "0.015"


# --- the 4 × LPR check compares the effective rate (IRR, fees included) ------------------


def test_private_loan_at_24_percent_a_year_is_flagged_whatever_the_method():
    # Equal instalments at 24% a year from 1 Jan, due on the 1st (whole months): 2% a month, so
    # the IRR is 2% a month = 24.00% simple.
    amortised = debt_of(
        DebtKind.PRIVATE_LOAN,
        rate=Decimal("24"),
        method=Method.EQUAL_INSTALLMENT,
        start_date=date(2026, 1, 1),
    )
    check = _check(report(amortised), "rate_cap")
    assert check.applies and not check.ok
    assert (check.params["effective"], check.params["nominal"], check.params["basis"]) == (
        "24.00",
        "24.00",
        "effective",
    )
    # One sum at the end: 12000 in, 14880 back after a year. The IRR × 12 is only
    # 1.24^(1/12) − 1 = 1.8088% × 12 = 21.71%, below the agreed simple 24%, which is compared.
    bullet = debt_of(DebtKind.PRIVATE_LOAN, rate=Decimal("24"), method=Method.BULLET)
    check = _check(report(bullet), "rate_cap")
    assert not check.ok and check.params["basis"] == "nominal" and check.params["rate"] == "24.00"
    assert check.params["effective"] == f"{npf.rate(12, 0, 12000, -14880) * 1200:.2f}" == "21.71"


def test_a_private_loan_priced_as_a_monthly_fee_is_judged_by_its_irr():
    # 0.8% a month of the original principal over 12 equal instalments: nominal 9.60% a year, within
    # the 12% cap; but 12000 in for 12 × (1000 + 96) back is an IRR of 1.4375% a month = 17.25%.
    debt = debt_of(
        DebtKind.PRIVATE_LOAN, rate=Decimal("0"), fee_rate=Decimal("0.8"), method=Method.FEE_INSTALLMENT
    )
    check = _check(report(debt), "rate_cap")
    irr_apr = npf.rate(12, -1096, 12000, 0) * 1200
    assert check.params["nominal"] == "9.60"
    assert check.params["effective"] == f"{irr_apr:.2f}"
    assert not check.ok and check.params["basis"] == "effective"


def test_a_fee_product_shows_its_irr_apr_and_stays_outside_the_private_cap():
    # Baitiao at 0.5% a month: nominal 6.00%, IRR of 12000 in, 12 × 1060 back = 0.9080% a month = 10.90%.
    check = _check(report(debt_of(DebtKind.JD_BAITIAO, overdue_since=None, overdue_amount=None)), "rate_cap")
    assert check.ok and not check.applies
    assert check.params["nominal"] == "6.00"
    assert check.params["effective"] == f"{npf.rate(12, -1060, 12000, 0) * 1200:.2f}" == "10.90"


def test_the_effective_rate_is_the_planning_apr_including_interest_taken_in_advance():
    from services.planning import debt_apr

    debt = debt_of(
        DebtKind.PRIVATE_LOAN,
        rate=Decimal("6"),
        method=Method.EQUAL_INSTALLMENT,
        received_amount=Decimal("11000"),
        start_date=date(2026, 1, 1),
    )  # whole months
    check = _check(report(debt), "rate_cap")
    assert check.params["effective"] == f"{debt_apr(debt).apr_simple:.2f}"
    # 11000 received, 12 × 1032.80 (12000 at 0.5% a month) repaid: 1.8846% a month by numpy-financial.
    assert check.params["effective"] == f"{npf.rate(12, -1032.80, 11000, 0) * 1200:.2f}"
    # The cap is judged on the principal actually received (Civil Code Art. 670): the agreed 6% on
    # 11,000 is within 12%; the 1,000 deducted is disputed once, as principal, not again in the rate.
    assert check.ok and check.params["rate"] == "6.00" and check.params["basis"] == "as_received"
    assert _check(report(debt), "advance_interest").amount == Decimal("1000")


@settings(max_examples=40, deadline=None)
@given(
    rate=st.integers(min_value=1, max_value=3600).map(lambda n: Decimal(n) / 100),
    months=st.integers(min_value=2, max_value=60),
    fee=st.integers(min_value=1, max_value=200).map(lambda n: Decimal(n) / 100),
)
def test_irr_of_an_annuity_is_its_rate_and_fees_on_the_original_principal_cost_more(rate, months, fee):
    annuity = debt_of(
        DebtKind.PRIVATE_LOAN,
        rate=rate,
        months=months,
        method=Method.EQUAL_INSTALLMENT,
        overdue_since=None,
        overdue_amount=None,
        start_date=date(2026, 1, 1),
    )
    check = _check(report(annuity), "rate_cap")
    # Rounding each payment to the fen moves the IRR by far less than 0.02 points.
    assert abs(Decimal(check.params["effective"]) - rate) <= Decimal("0.02")
    fees = debt_of(
        DebtKind.PRIVATE_LOAN,
        rate=Decimal("0"),
        fee_rate=fee,
        months=months,
        method=Method.FEE_INSTALLMENT,
        overdue_since=None,
        overdue_amount=None,
    )
    check = _check(report(fees), "rate_cap")
    # The fee is charged on the whole principal while the balance falls: the true rate is higher.
    assert Decimal(check.params["effective"]) > Decimal(check.params["nominal"]) == fee * 12
    assert check.params["basis"] == "effective"
