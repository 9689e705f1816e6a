"""The limitation period and its restart warning; collection conduct against the contact log."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from domain.collection import check_contacts
from domain.debts import (
    ContactChannel,
    ContactConduct,
    ContactEntry,
    ContactTarget,
    Debt,
    DebtKind,
    Method,
    Payment,
    RateUnit,
)
from domain.overdue import OverdueRules, limitation, limitation_explanation, restart_warning
from resources.rules import collection_rules, escalation_rules, legal_rules, lpr_table, overdue_terms


def rules(kind=DebtKind.PRIVATE_LOAN):
    return OverdueRules(overdue_terms()[kind], legal_rules(), lpr_table(), escalation_rules())


# A private loan paid back in one sum on 2024-01-10 (start 2023-01-10, 12 months).
LOAN = Debt(
    name="借款",
    lender="表哥",
    kind=DebtKind.PRIVATE_LOAN,
    principal=Decimal("20000"),
    start_date=date(2023, 1, 10),
    method=Method.BULLET,
    months=12,
    rate=Decimal("6"),
    rate_unit=RateUnit.YEAR,
    overdue_since=date(2024, 1, 10),
    id=7,
)


def contact(when, target=ContactTarget.DEBTOR, channel=ContactChannel.PHONE, conduct=(), number="95000"):
    return ContactEntry(
        when=when,
        channel=channel,
        who="collector",
        target=target,
        conduct=frozenset(conduct),
        phone_number=number,
        debt_id=7,
    )


def test_three_years_from_the_due_date():
    lim = limitation(LOAN, [], [], date(2026, 1, 1), rules=rules())
    assert (lim.starts, lim.ends, lim.basis, lim.expired) == (
        date(2024, 1, 10),
        date(2027, 1, 10),
        "last_due",
        False,
    )
    assert lim.cited.certainty == "law"


def test_instalment_debt_runs_from_the_last_instalment():
    # 12 instalments from 2025-03-15, due on the 15th: the last falls due 2026-03-15 (Civil Code Art. 189).
    debt = Debt(
        name="贷款",
        lender="银行",
        kind=DebtKind.BANK_LOAN,
        principal=Decimal("12000"),
        start_date=date(2025, 3, 15),
        method=Method.EQUAL_INSTALLMENT,
        months=12,
        due_day=15,
        overdue_since=date(2025, 6, 15),
    )
    assert limitation(debt, [], [], date(2026, 1, 1), rules=rules(DebtKind.BANK_LOAN)).ends == date(
        2029, 3, 15
    )


def test_payment_and_demand_restart_it_third_parties_do_not():
    pay = Payment(debt_id=7, date=date(2025, 3, 1), amount=Decimal("500"))
    lim = limitation(LOAN, [pay], [], date(2026, 1, 1), rules=rules())
    assert (lim.ends, lim.basis) == (date(2028, 3, 1), "last_payment")
    demand = contact(datetime(2025, 6, 1, 10, 0), channel=ContactChannel.SMS)
    lim = limitation(LOAN, [pay], [demand], date(2026, 1, 1), rules=rules())
    assert (lim.ends, lim.basis) == (date(2028, 6, 1), "last_demand")
    family = contact(datetime(2025, 9, 1, 10, 0), target=ContactTarget.FAMILY)
    assert limitation(LOAN, [pay], [demand, family], date(2026, 1, 1), rules=rules()).ends == date(2028, 6, 1)
    # Things after the as-of date do not count yet.
    assert limitation(LOAN, [pay], [demand], date(2025, 4, 1), rules=rules()).ends == date(2028, 3, 1)


def test_restart_warning_near_the_end_and_after_expiry():
    lim = limitation(LOAN, [], [], date(2026, 9, 1), rules=rules())  # ends 2027-01-10
    assert restart_warning(lim, "payment", date(2025, 1, 1)) is None  # two years left
    # A letter or a plan acknowledges the debt on purpose: always warned about.
    far_text, _ = restart_warning(lim, "plan", date(2025, 1, 1))
    assert "restarts it" in far_text
    text, params = restart_warning(lim, "payment", date(2026, 9, 1))
    assert "Art. 195" in text and params["ends"] == "2027-01-10"
    text, _ = restart_warning(lim, "letter", date(2026, 9, 1))
    assert "letter" in text
    expired = limitation(LOAN, [], [], date(2027, 2, 1), rules=rules())
    assert expired.expired
    text, _ = restart_warning(expired, "plan", date(2027, 2, 1))
    assert "Art. 19" in text
    assert restart_warning(expired, "payment", date(2027, 2, 1)) is not None
    with pytest.raises(ValueError):
        restart_warning(lim, "call", date(2026, 9, 1))


# --- collection conduct ---------------------------------------------------------------


def _rules_broken(entries, kind=DebtKind.JD_BAITIAO):
    return [sorted(v.rule for v in c.violations) for c in check_contacts(entries, collection_rules(), kind)]


@pytest.mark.parametrize(
    ("hour", "minute", "broken"),
    [
        (23, 10, True),
        (22, 0, True),
        (7, 59, True),
        (0, 30, True),
        (8, 0, False),
        (21, 59, False),
        (12, 0, False),
    ],
)
def test_contact_hours(hour, minute, broken):
    result = _rules_broken([contact(datetime(2026, 11, 1, hour, minute))])
    assert result == ([["quiet_hours"]] if broken else [[]])


def test_letters_are_not_bound_by_contact_hours():
    assert _rules_broken([contact(datetime(2026, 11, 1, 23, 0), channel=ContactChannel.LETTER)]) == [[]]


def test_at_most_six_call_attempts_a_day_per_number():
    calls = [contact(datetime(2026, 11, 2, 9 + i, 0)) for i in range(7)]
    calls.append(contact(datetime(2026, 11, 2, 17, 0), number="95111"))  # another number
    calls.append(contact(datetime(2026, 11, 3, 9, 0)))  # another day
    result = _rules_broken(calls)
    assert result[:6] == [[]] * 6
    assert result[6] == ["call_limit"]
    assert result[7:] == [[], []]


def test_third_parties_and_the_hometown_committee():
    entries = [
        contact(datetime(2026, 11, 2, 10, 0), target=ContactTarget.HOMETOWN),
        contact(
            datetime(2026, 11, 2, 11, 0),
            target=ContactTarget.EMPLOYER,
            conduct=[ContactConduct.DISCLOSED_DEBT],
        ),
        contact(datetime(2026, 11, 2, 12, 0), target=ContactTarget.GUARANTOR),
        contact(datetime(2026, 11, 2, 13, 0), target=ContactTarget.FAMILY),
    ]
    assert _rules_broken(entries) == [["hometown"], ["disclosed_debt", "third_party"], [], ["third_party"]]


def test_conduct_rules():
    every = [
        ContactConduct.THREAT,
        ContactConduct.POSED_AS_AUTHORITY,
        ContactConduct.FALSE_LEGAL_CLAIM,
        ContactConduct.PUBLIC_EXPOSURE,
        ContactConduct.HOME_VISIT_UNCONSENTED,
        ContactConduct.PUSHED_NEW_LOAN,
    ]
    result = _rules_broken([contact(datetime(2026, 11, 2, 10, 0), conduct=every)])
    assert result == [
        ["false_legal_claim", "home_visit", "new_loan", "posed_as_authority", "public_exposure", "threat"]
    ]
    assert _rules_broken([contact(datetime(2026, 11, 2, 10, 0), conduct=[ContactConduct.INSULT])]) == [
        ["threat"]
    ]


def test_cards_cite_the_card_measures_as_law():
    entry = [contact(datetime(2026, 11, 2, 10, 0), target=ContactTarget.HOMETOWN)]
    card = check_contacts(entry, collection_rules(), DebtKind.CREDIT_CARD)[0].violations[0]
    online = check_contacts(entry, collection_rules(), DebtKind.HUABEI)[0].violations[0]
    assert card.cited.certainty == "law" and "Art. 68" in card.cited.source_text
    assert online.cited.certainty == "typical"


def _cited(conduct, kind=DebtKind.HUABEI, target=ContactTarget.DEBTOR):
    entry = [contact(datetime(2026, 11, 2, 10, 0), conduct=[conduct], target=target)]
    return {v.rule: v.cited for v in check_contacts(entry, collection_rules(), kind)[0].violations}


@pytest.mark.parametrize(
    ("conduct", "rule", "article"),
    [
        # Threats and insults: Public Security Administration Punishments Law (binding for every lender).
        (ContactConduct.THREAT, "threat", "Public Security Administration Punishments Law"),
        (ContactConduct.INSULT, "threat", "Public Security Administration Punishments Law"),
        # Posing as an official: the same law; the Criminal Law Art. 279 for 招摇撞骗.
        (ContactConduct.POSED_AS_AUTHORITY, "posed_as_authority", "Public Security Administration"),
        # Telling others of the debt, public exposure: Civil Code Arts. 1034 and 1038, PIPL.
        (ContactConduct.DISCLOSED_DEBT, "disclosed_debt", "1038"),
        (ContactConduct.PUBLIC_EXPOSURE, "public_exposure", "Personal Information Protection Law"),
    ],
)
def test_what_binding_law_forbids_is_law_for_every_lender(conduct, rule, article):
    cited = _cited(conduct)[rule]
    assert cited.certainty == "law"
    assert article in cited.source_text


@pytest.mark.parametrize(
    ("conduct", "rule"),
    [
        (ContactConduct.HOME_VISIT_UNCONSENTED, "home_visit"),
        (ContactConduct.PUSHED_NEW_LOAN, "new_loan"),
        (ContactConduct.FALSE_LEGAL_CLAIM, "false_legal_claim"),
    ],
)
def test_industry_guidelines_are_typical(conduct, rule):
    cited = _cited(conduct)[rule]
    assert cited.certainty == "typical"
    assert "guideline" in cited.source_text


def test_a_lawful_visit_or_a_lawsuit_is_not_a_violation():
    # A visit in daytime, nothing wrong ticked; a letter saying the lender has sued: no rule broken.
    visit = contact(datetime(2026, 11, 2, 15, 0), channel=ContactChannel.VISIT)
    sued = ContactEntry(
        when=datetime(2026, 11, 3, 10, 0),
        channel=ContactChannel.LETTER,
        who="法院",
        summary="起诉状副本、传票",
    )
    assert _rules_broken([visit, sued]) == [[], []]
    # The home-visit rule says it is the guideline's, and that a visit is not unlawful in itself.
    rule = collection_rules()["home_visit"]
    assert "not unlawful" in rule.text
    assert "lawful" in collection_rules()["false_legal_claim"].text


def test_a_card_debt_in_collection_is_rarely_time_barred_and_the_defence_must_be_raised():
    card = Debt(
        name="卡",
        lender="银行",
        kind=DebtKind.CREDIT_CARD,
        principal=Decimal("8000"),
        start_date=date(2019, 1, 5),
        method=Method.REVOLVING,
        months=12,
        overdue_since=date(2019, 6, 5),
    )
    lim = limitation(card, [], [], date(2026, 11, 23), rules=rules(DebtKind.CREDIT_CARD))
    assert lim.card
    texts = [text for text, _ in limitation_explanation(lim)]
    joined = " ".join(texts)
    # Bank-card provisions Art. 3: the bank's debits, messages to the registered phone, police reports.
    assert "debit" in joined and "registered" in joined and "police" in joined
    assert "rarely time-barred" in joined and "Art. 3" in joined
    # Civil Code Art. 193: a court does not apply it by itself; raise it in the first instance.
    assert "first instance" in joined and "193" in joined
    # A private loan is told about raising the defence, not about card interruptions.
    loan_texts = " ".join(
        t for t, _ in limitation_explanation(limitation(LOAN, [], [], date(2026, 1, 1), rules=rules()))
    )
    assert "first instance" in loan_texts and "police" not in loan_texts
