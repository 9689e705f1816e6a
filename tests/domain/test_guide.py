"""The guide answers a person's questions for their own debts: worked by hand.

Each case is a person the guide is written for. The expected figures are worked out beside them
from the rules' published numbers (the 50,000 card threshold of 法释〔2018〕19号 Art. 8; the
lawsuit range of the timeline, day 91 to day 365 for online products), not from the code.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from domain.collection import check_contacts
from domain.debts import ContactChannel, ContactConduct, ContactEntry, ContactTarget, Debt, DebtKind, Method
from domain.guide import DebtFacts, Line, OtherRules, Percent, build_guide
from domain.overdue import OverdueRules, overdue_report
from resources.rules import (
    collection_rules,
    escalation_rules,
    guide_rules,
    legal_rules,
    lpr_table,
    overdue_terms,
    product_presets,
)
from services.planning import repayment_rules

AS_OF = date(2026, 11, 23)


def other() -> OtherRules:
    return OtherRules(
        escalation_rules(),
        legal_rules(),
        collection_rules(),
        repayment_rules().max_term_for(DebtKind.CREDIT_CARD),
    )


def facts(debt: Debt, contacts: tuple[ContactEntry, ...] = (), standing: str | None = None) -> DebtFacts:
    rules = OverdueRules(overdue_terms()[debt.kind], legal_rules(), lpr_table(), escalation_rules())
    report = overdue_report(debt, [], contacts, AS_OF, rules=rules)
    checks = check_contacts(list(contacts), collection_rules(), debt.kind)
    state = standing or ("overdue" if report.days_overdue > 0 else "current")
    return DebtFacts(debt, state, debt.principal, report, checks)


def preset_debt(kind: DebtKind, debt_id: int, **changes: object) -> Debt:
    p = product_presets()[kind]
    fields: dict[str, object] = dict(
        name="d",
        lender="l",
        kind=kind,
        principal=Decimal("8000"),
        start_date=date(2026, 4, 26),
        method=p.method,
        months=p.months,
        rate=p.rate,
        rate_unit=p.rate_unit,
        fee_rate=p.fee_rate,
        due_day=26,
        grace_days=p.grace_days,
        penalty_rate_multiplier=p.penalty_rate_multiplier,
        late_fee_rate_per_day=p.late_fee_rate_per_day,
        id=debt_id,
    )
    fields.update(changes)
    return Debt(**fields)  # type: ignore[arg-type]


def words(line: Line) -> str:
    """A line's msgid with its parameters put in plainly (English, no locale formatting)."""

    def plain(value: object) -> str:
        if isinstance(value, Line):
            return words(value)
        if isinstance(value, tuple):
            return ", ".join(plain(v) for v in value)
        if isinstance(value, Percent):
            return f"{value.value}%"
        return str(value)

    return line.text.format(**{k: plain(v) for k, v in line.params.items()})


def answers(guide, topic: str) -> list:
    return [a for a in guide.answers if a.topic == topic]


def text_of(answer) -> str:
    return " ".join(words(line) for line in answer.lines)


# --- a person 120 days overdue on Baitiao ------------------------------------------------------

BAITIAO_SINCE = AS_OF - timedelta(days=120)  # 2026-07-26: 120 days before 2026-11-23


@pytest.fixture
def baitiao() -> DebtFacts:
    debt = preset_debt(
        DebtKind.JD_BAITIAO,
        1,
        name="京东白条 12期",
        lender="京东金融",
        method=Method.FEE_INSTALLMENT,
        months=12,
        fee_rate=Decimal("0.5"),
        overdue_since=BAITIAO_SINCE,
        overdue_amount=Decimal("2826.68"),
    )
    village = ContactEntry(
        when=datetime.combine(AS_OF - timedelta(days=30), time(14, 30)),
        channel=ContactChannel.PHONE,
        who="某资产管理公司",
        target=ContactTarget.HOMETOWN,
        summary="打电话到户籍地村委会",
        conduct=frozenset({ContactConduct.DISCLOSED_DEBT}),
        debt_id=1,
        id=7,
    )
    return facts(debt, (village,))


def test_hometown_answer_names_baitiao_its_lender_and_the_huji_rules(baitiao):
    guide = build_guide([baitiao], AS_OF, guide_rules(), other())
    home = answers(guide, "hometown_visit")
    assert "户籍地" in home[0].question
    law, practice, action = home
    # Binding law first, naming the person's own lender: telling the 户籍地 committee is not allowed.
    assert law.certainty == "law"
    assert "京东金融" in text_of(law)
    assert "village or community committee of your 户籍地" in text_of(law)
    assert {"Civil Code", "Personal Information Protection Law"} <= {
        part
        for s in law.sources
        for part in ("Civil Code", "Personal Information Protection Law")
        if part in s.title
    }
    # The industry guideline (no home visits without consent) is practice, not law.
    assert practice.certainty == "typical"
    assert "without your consent" in text_of(practice)
    # What to do: the contact log, the complaint letter, 12378 / 12363, 110; and the logged village call.
    said = text_of(action)
    assert all(x in said for x in ("contact log", "complaint letter", "12378", "12363", "110"))
    assert "京东白条 12期" in said and str(AS_OF - timedelta(days=30)) in said
    assert action.debt_ids == (1,)


def test_the_next_step_is_a_lawsuit_range_never_a_date(baitiao):
    guide = build_guide([baitiao], AS_OF, guide_rules(), other())
    situation = " ".join(words(line) for line in guide.situation)
    # Online products: a suit is commonly reported from day 91 to day 365 (escalation.toml); at day
    # 120 it may come at any time until day 365 = 2026-07-26 + 365 days = 2027-07-26, or not at all.
    assert "from day 91 to day 365" in situation
    assert "You are at day 120" in situation and "until about 2027-07-26" in situation
    assert "or not at all" in situation
    suit = answers(guide, "lawsuit")[0]
    assert suit.certainty == "depends"
    # The range's dates: day 91 = 2026-10-25, day 365 = 2027-07-26.
    assert "between 2026-10-25 and 2027-07-26" in text_of(suit)
    papers = next(a for a in guide.answers if "支付令" in a.question)
    assert papers.certainty == "law" and "15 days" in text_of(papers)


def test_baitiao_is_a_civil_debt(baitiao):
    guide = build_guide([baitiao], AS_OF, guide_rules(), other())
    (crime,) = answers(guide, "criminal")
    assert crime.certainty == "law"
    assert text_of(crime).startswith("京东白条 12期: civil debts. Not being able to pay them is not a crime")


# --- a card 95 days overdue with 60,000 principal ---------------------------------------------------


def test_a_card_of_60000_is_10000_over_the_50000_threshold():
    card = preset_debt(
        DebtKind.CREDIT_CARD,
        2,
        name="招商银行信用卡",
        lender="招商银行",
        principal=Decimal("60000"),
        method=Method.REVOLVING,
        start_date=date(2026, 3, 1),
        due_day=20,
        overdue_since=AS_OF - timedelta(days=95),
    )
    guide = build_guide([facts(card)], AS_OF, guide_rules(), other())
    (crime,) = answers(guide, "criminal")
    said = text_of(crime)
    # Nothing repaid: the unpaid overdrawn principal is the whole 60,000.00; 60,000 − 50,000 = 10,000.
    assert said.startswith(
        "招商银行信用卡 (招商银行): Unpaid overdrawn card principal: 60000.00 on this card"
    )
    assert "at or above 50000.00" in said
    assert said.endswith("The line is passed by 10000.00.")
    assert crime.certainty == "law" and crime.debt_ids == (2,)
    assert any("法释〔2018〕19号" in s.title for s in crime.sources)
    situation = " ".join(words(line) for line in guide.situation)
    assert "60000.00, is at or above the 50000.00 line" in situation
    # What to ask the bank for: 个性化分期, up to 60 months (card Measures Art. 70: 5 years).
    (card_plan, _every_lender) = answers(guide, "negotiation")
    assert "个性化分期" in text_of(card_plan) and "up to 60 months" in text_of(card_plan)


def test_a_card_below_the_threshold_says_how_far():
    card = preset_debt(
        DebtKind.CREDIT_CARD,
        3,
        principal=Decimal("20000"),
        method=Method.REVOLVING,
        start_date=date(2026, 3, 1),
        due_day=20,
        overdue_since=AS_OF - timedelta(days=40),
    )
    guide = build_guide([facts(card)], AS_OF, guide_rules(), other())
    (crime,) = answers(guide, "criminal")
    assert text_of(crime).endswith("That is 30000.00 below the line.")  # 50,000 − 20,000


# --- a private loan --------------------------------------------------------------------------------


def test_a_private_loan_is_civil_and_not_on_the_credit_report():
    loan = preset_debt(
        DebtKind.PRIVATE_LOAN,
        4,
        name="向表哥借款",
        lender="表哥 李明",
        principal=Decimal("20000"),
        method=Method.BULLET,
        months=12,
        rate=Decimal("0"),
        start_date=date(2025, 9, 1),
        overdue_since=date(2026, 9, 1),
    )
    guide = build_guide([facts(loan)], AS_OF, guide_rules(), other())
    (crime,) = answers(guide, "criminal")
    assert text_of(crime).startswith("向表哥借款: civil debts.")
    report = answers(guide, "credit_report")[0]
    assert "向表哥借款: a private lender does not report" in text_of(report)
    suit = answers(guide, "lawsuit")[0]
    assert "a private lender may sue at any time after the due date" in text_of(suit)
    private = [a for a in answers(guide, "negotiation") if "表哥 李明" in text_of(a)]
    assert private and "in writing" in text_of(private[0])


# --- borrowing to repay, and the steps ------------------------------------------------------------


def test_borrowing_to_repay_is_costed_at_the_assumed_rate():
    guide = build_guide([], AS_OF, guide_rules(), other())
    (borrow,) = answers(guide, "borrowing_to_repay")
    cost = borrow.lines[0].params
    # 10,000 at 24% a year (2% a month) over 12 months, equal instalments:
    # M = 10000 × 0.02 × 1.02^12 / (1.02^12 − 1) = 200 × 1.268242 / 0.268242 = 945.60.
    assert cost["amount"] == Decimal("10000.00") and cost["rate"] == Percent(Decimal("24"))
    assert cost["payment"] == Decimal("945.60")
    # 12 × 945.60 − 10,000 = 1,347.20 in interest, give or take the last period's rounding residue.
    assert abs(cost["interest"] - Decimal("1347.20")) <= Decimal("0.12")
    assert cost["paid"] == cost["amount"] + cost["interest"]
    assert borrow.certainty == "typical"


def test_steps_are_ordered_this_week_then_this_month_and_remember_ticks(baitiao):
    guide = build_guide([baitiao], AS_OF, guide_rules(), other(), done={"records"})
    keys = [s.key for s in guide.steps]
    assert [s.order for s in guide.steps] == list(range(1, len(keys) + 1))
    whens = [s.when for s in guide.steps]
    assert whens == sorted(whens, key=("this_week", "this_month").index)
    # Overdue with a contact that broke a rule: ask the lender and complain are both there.
    expected = {"budget", "ask_lender", "records", "court_papers", "complain", "no_new_loan", "legal_help"}
    assert expected <= set(keys)
    assert [s.key for s in guide.steps if s.done] == ["records"]
    ask = next(s for s in guide.steps if s.key == "ask_lender")
    assert words(ask.action).startswith("Call or write to 京东金融")
    legal = next(s for s in guide.steps if s.key == "legal_help")
    assert "12348" in words(legal.action) and legal.sources


def test_a_current_debt_needs_no_lawsuit_or_ask_step():
    loan = preset_debt(
        DebtKind.JIEBEI,
        5,
        name="借呗",
        principal=Decimal("15000"),
        months=12,
        start_date=date(2026, 7, 12),
        due_day=12,
    )
    guide = build_guide([facts(loan)], AS_OF, guide_rules(), other())
    assert "ask_lender" not in [s.key for s in guide.steps]
    assert "None of them is overdue." in [words(line) for line in guide.situation]
    assert text_of(answers(guide, "lawsuit")[0]).startswith("None of your debts is overdue")


def test_every_topic_of_the_contract_is_answered_with_sources(baitiao):
    guide = build_guide([baitiao], AS_OF, guide_rules(), other())
    topics = {a.topic for a in guide.answers}
    assert topics == {
        "hometown_visit",
        "lawsuit",
        "credit_report",
        "criminal",
        "limitation",
        "collection_rules",
        "negotiation",
        "borrowing_to_repay",
    }
    assert all(a.sources and a.certainty in ("law", "typical", "depends") for a in guide.answers)
    # No source is an internal note or a file path: each has a public title and where to find it.
    cited = [s for a in guide.answers for s in a.sources]
    assert all(s.url and "/work" not in s.url and ".toml" not in s.url for s in cited)
