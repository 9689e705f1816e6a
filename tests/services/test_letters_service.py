"""The letter service: what it gathers, the offer it makes, the rules it finds broken, its warning."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.debts import ContactChannel, ContactConduct, ContactEntry, ContactTarget, Payment
from services import letters
from services.errors import UserError
from tests.documents import samples

AS_OF = samples.AS_OF


def _contact(hour=10, target=ContactTarget.DEBTOR, conduct=(), *, day=12, phone="", cid=1):
    return ContactEntry(when=datetime(2026, 10, day, hour, 0), channel=ContactChannel.PHONE, who="collector",
                        target=target, summary="called", conduct=frozenset(conduct), debt_id=3,
                        phone_number=phone, id=cid)


# --- limitation period -------------------------------------------------------------


def test_an_offer_restarts_the_period_and_says_until_when():
    warning = letters.limitation_warning(samples.CARD, "negotiation", AS_OF, lang="en_US")
    assert warning is not None and warning.severity == "restart"
    # Card started 2025-06-05 for 12 months: last instalment 2026-06; overdue since 2026-07-25 → +3 years.
    assert "Jul 25, 2029" in warning.text or "July 25, 2029" in warning.text
    assert "SPC limitation rules Art. 8, 14" in warning.source


def test_after_three_quiet_years_an_offer_waives_the_defence():
    old = replace(samples.CARD, start_date=date(2019, 1, 5), months=12, overdue_since=date(2019, 6, 5))
    warning = letters.limitation_warning(old, "proposal", AS_OF, lang="zh_CN")
    assert warning is not None and warning.severity == "waive"
    assert "第十九条" in warning.text


def test_a_demand_that_reached_the_person_restarts_the_clock():
    old = replace(samples.CARD, start_date=date(2019, 1, 5), months=12, overdue_since=date(2019, 6, 5))
    demand = _contact()  # a call to the debtor in 2026
    warning = letters.limitation_warning(old, "hardship", AS_OF, contacts=[demand], lang="en_US")
    assert warning is not None and warning.severity == "restart"


@pytest.mark.parametrize("kind", ["complaint", "statement", "dispute"])
def test_letters_that_admit_nothing_carry_no_warning(kind):
    assert letters.limitation_warning(samples.CARD, kind, AS_OF) is None


# --- collection rules ----------------------------------------------------------------


def test_night_calls_third_parties_and_conduct_are_each_named():
    assert letters.broken_rules(_contact(hour=23)) == [letters.NIGHT_RULE]
    assert letters.broken_rules(_contact(hour=7, target=ContactTarget.HOMETOWN)) == [
        letters.NIGHT_RULE, letters.HOMETOWN_RULE]
    assert letters.broken_rules(_contact(target=ContactTarget.EMPLOYER)) == [letters.THIRD_PARTY_RULE]
    rules = letters.broken_rules(_contact(conduct=[ContactConduct.THREAT, ContactConduct.POSED_AS_AUTHORITY]))
    assert len(rules) == 2 and all("Art. 68" in r or "CBA" in r for r in rules)
    assert letters.broken_rules(_contact(hour=8)) == []
    assert letters.broken_rules(_contact(hour=21, target=ContactTarget.GUARANTOR)) == []


def test_a_seventh_call_in_a_day_from_one_number():
    calls = [_contact(hour=9 + i, phone="95555", cid=i) for i in range(7)]
    assert letters.CALLS_RULE in letters.broken_rules(calls[0], calls)
    assert letters.CALLS_RULE not in letters.broken_rules(calls[0], calls[:6])


# --- the offer -------------------------------------------------------------------------


@given(balance=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500000"), places=2),
       other=st.decimals(min_value=Decimal("0"), max_value=Decimal("500000"), places=2),
       surplus=st.decimals(min_value=Decimal("0"), max_value=Decimal("20000"), places=2))
def test_the_schedule_repays_the_balance_exactly_and_never_asks_more_than_the_offer(balance, other, surplus):
    debt = samples.PRIVATE
    offer, schedule = letters.pro_rata_offer(debt, balance, balance + other, surplus, AS_OF)
    assert sum(s.payment for s in schedule) == balance
    assert schedule[-1].balance == 0
    assert all(Decimal("0") < s.payment <= offer.monthly for s in schedule)
    assert len(schedule) == offer.months
    assert all(a.due_date < b.due_date for a, b in zip(schedule, schedule[1:], strict=False))
    if not offer.token:
        assert offer.monthly <= surplus


def test_shares_follow_the_balances():
    offer, _ = letters.pro_rata_offer(samples.PRIVATE, Decimal("3000"), Decimal("12000"), Decimal("2000"),
                                      AS_OF)
    assert offer.share == Decimal("0.2500")
    assert offer.monthly == Decimal("500.00")
    assert offer.months == 6
    assert offer.start >= AS_OF


def test_a_card_plan_is_at_most_five_years():
    offer, schedule = letters.pro_rata_offer(samples.CARD, Decimal("100000"), Decimal("100000"),
                                             Decimal("1000"), AS_OF)
    assert offer.months == 60 and len(schedule) == 60
    assert sum(s.payment for s in schedule) == Decimal("100000")


def test_no_surplus_means_a_token_payment():
    offer, _ = letters.pro_rata_offer(samples.PRIVATE, Decimal("3000"), Decimal("3000"), Decimal("-200"),
                                      AS_OF)
    assert offer.token and offer.monthly == Decimal("10.00")


# --- gathering ---------------------------------------------------------------------------


def test_facts_come_from_the_database_and_settings():
    payments = [Payment(debt_id=3, date=date(2026, 5, 5), amount=Decimal("1000"), principal=Decimal("800"),
                        interest=Decimal("200"))]
    svc = samples.FakeServices(payments=payments)
    facts = letters.letter_facts(svc, 3, "negotiation", AS_OF, "zh")
    assert facts.person.name == samples.PERSON.name
    assert facts.balance == Decimal("47200.00")
    assert facts.paid_total == Decimal("1000")
    assert facts.days_overdue == (AS_OF - samples.CARD.overdue_since).days
    assert {d.name for d in facts.debts} == {samples.CARD.name, samples.PRIVATE.name}
    assert sum(d.share for d in facts.debts) == pytest.approx(Decimal(1), abs=Decimal("0.0002"))
    assert facts.reference == "DK-0003-20261123-N"


def test_a_name_is_required():
    svc = samples.FakeServices(settings={})
    with pytest.raises(UserError):
        letters.letter_facts(svc, 3, "statement", AS_OF, "en")


def test_a_complaint_needs_contacts_that_broke_a_rule():
    svc = samples.FakeServices(contacts=[_contact(hour=10)])
    with pytest.raises(UserError):
        letters.letter_facts(svc, 3, "complaint", AS_OF, "en")
    svc = samples.FakeServices(contacts=[_contact(hour=10, cid=1), _contact(hour=23, cid=2)])
    facts = letters.letter_facts(svc, 3, "complaint", AS_OF, "en")
    assert [c.when.hour for c in facts.contacts] == [23]
    chosen = letters.letter_facts(svc, 3, "complaint", AS_OF, "en", contact_ids=[1, 2])
    assert len(chosen.contacts) == 2
    with pytest.raises(UserError):
        letters.letter_facts(svc, 3, "complaint", AS_OF, "en", contact_ids=[9])


def test_a_private_loan_at_24_percent_is_disputed_against_four_times_the_lpr():
    svc = samples.FakeServices()
    facts = letters.letter_facts(svc, 7, "dispute", AS_OF, "en")
    # Contract 2025-03-01: one-year LPR 3.10% → cap 12.40%.
    assert facts.lpr == Decimal("3.10") and facts.cap == Decimal("12.40")
    interest, advance = facts.charges
    # 27,000 in use × (24% − 12.4%) × 632 days / 365, by hand: 5,423.08 (rounded half-up)
    assert interest.over == Decimal("5423.08")
    assert advance.over == Decimal("3000.00")


def test_nothing_to_dispute_on_a_card_within_limits():
    with pytest.raises(UserError):
        letters.letter_facts(samples.FakeServices(), 3, "dispute", AS_OF, "en")


def test_the_pdf_is_written_and_an_unwritable_path_is_a_user_error(tmp_path):
    svc = samples.FakeServices()
    letter = letters.make_letter(svc, 3, "statement", "en", AS_OF)
    letters.write_pdf(letter, tmp_path / "s.pdf")
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(UserError):
        letters.write_pdf(letter, tmp_path / "no" / "such" / "dir.pdf")
