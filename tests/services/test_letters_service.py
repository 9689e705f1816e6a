"""The letter service: what it gathers, the offer it makes, the rules it finds broken, its warning."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.debts import ContactChannel, ContactEntry, ContactTarget, Payment
from services import letters
from services.errors import UserError
from tests.documents import samples

AS_OF = samples.AS_OF


def _contact(hour=10, target=ContactTarget.DEBTOR, conduct=(), *, day=12, phone="", cid=1):
    return ContactEntry(
        when=datetime(2026, 10, day, hour, 0),
        channel=ContactChannel.PHONE,
        who="collector",
        target=target,
        summary="called",
        conduct=frozenset(conduct),
        debt_id=3,
        phone_number=phone,
        id=cid,
    )


# --- limitation period (the overdue report's warning) ----------------------------------


@pytest.fixture
def _svc(letter_services):
    return lambda **kw: letter_services((samples.CARD, samples.PRIVATE, samples.LAPSED), **kw)


def test_an_offer_on_a_debt_whose_period_ran_out_warns_that_the_defence_is_given_up(_svc):
    warning = letters.letter_warning(_svc(), samples.LAPSED.id, "negotiation", AS_OF, "en_US")
    assert warning is not None and warning.severity == "waive"
    assert "limitation period" in warning.text and "Art. 19" in warning.text


@pytest.mark.parametrize("kind", ["complaint", "statement", "dispute"])
def test_letters_that_admit_nothing_carry_no_warning(kind, _svc):
    assert letters.letter_warning(_svc(), samples.LAPSED.id, kind, AS_OF, "en_US") is None


def test_a_proposal_restarts_the_period_and_says_when_it_would_have_ended(_svc):
    # The card fell overdue on 2026-07-25: three years on is 2029-07-25.
    warning = letters.letter_warning(_svc(), samples.CARD.id, "proposal", AS_OF, "en_US")
    assert warning is not None and warning.severity == "restart"
    assert "Jul 25, 2029" in warning.text


# --- collection rules (the overdue report's contact checks) -------------------------------


def test_night_calls_and_the_home_village_are_named_and_a_daytime_reminder_is_not(_svc):
    contacts = [
        _contact(hour=23, cid=1),
        _contact(hour=10, target=ContactTarget.HOMETOWN, cid=2),
        _contact(hour=10, cid=3),
    ]
    rules = letters.contact_rules(_svc(contacts=contacts), 3, "zh_CN")
    assert rules[1] and rules[2]
    assert rules[3] == ()
    assert any("22" in r for r in rules[1])


# --- the offer -------------------------------------------------------------------------


@given(
    balance=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500000"), places=2),
    monthly=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("20000"), places=2),
    months=st.integers(min_value=1, max_value=60),
)
def test_the_schedule_never_asks_more_than_offered_and_accounts_for_every_fen(balance, monthly, months):
    offer, schedule = letters.engine_offer(
        samples.PRIVATE, balance, balance * 2, monthly * 2, AS_OF, monthly=monthly, months=months, token=False
    )
    assert sum(s.payment for s in schedule) + schedule[-1].balance == balance
    assert offer.total == sum(s.payment for s in schedule) and offer.remaining == schedule[-1].balance
    assert all(Decimal("0") < s.payment <= monthly * Decimal("1.01") for s in schedule)
    assert len(schedule) == offer.months <= months
    assert all(a.due_date < b.due_date for a, b in zip(schedule, schedule[1:], strict=False))
    assert schedule[-1].balance == 0 or len(schedule) == months
    assert offer.share == Decimal("0.5000")


def test_the_first_payment_leaves_the_lender_time_to_answer_and_falls_on_the_due_day():
    start = letters.first_payment_date(replace(samples.CARD, due_day=31), date(2027, 1, 20))
    assert start == date(2027, 2, 28)  # 15 days later is Feb 4; the due day 31 falls on Feb 28


# --- gathering ---------------------------------------------------------------------------


def test_facts_come_from_the_database_and_settings(letter_services):
    payments = [Payment(debt_id=3, date=date(2026, 5, 5), amount=Decimal("1000"))]
    svc = letter_services(payments=payments)
    facts = letters.letter_facts(svc, 3, "negotiation", AS_OF, "zh")
    assert facts.person.name == samples.PERSON.name
    # The card's 48,000.00 bears 0.05% a day (24.00 a day) from 2025-06-05: by 2026-05-05 the
    # interest due is far above 1,000 (334 days × 24.00 = 8,016.00), so the payment pays interest
    # first (Civil Code Art. 561) and the principal owed stays 48,000.00.
    assert facts.balance == Decimal("48000.00")
    assert facts.paid_total == Decimal("1000")
    assert facts.days_overdue == (AS_OF - samples.CARD.overdue_since).days
    assert {d.name for d in facts.debts} == {samples.CARD.name, samples.PRIVATE.name}
    assert sum(d.share for d in facts.debts) == pytest.approx(Decimal(1), abs=Decimal("0.0002"))
    assert facts.reference == "DK-0003-20261123-N"
    # The budget leaves 6,500 − 4,250 = 2,250 a month, shared by balance (48,000 and 30,000):
    # 2,250 × 48,000 / 78,000 = 1,384.615… to the card.
    assert facts.offer.surplus == Decimal("2250.00")
    assert sum(d.offer_monthly for d in facts.debts) == Decimal("2250.00")
    assert abs(facts.offer.monthly - Decimal("1384.62")) <= Decimal("0.01")
    assert sum(s.payment for s in facts.schedule) + facts.schedule[-1].balance == facts.balance
    assert facts.schedule[0].due_date == facts.offer.start >= AS_OF


def test_a_name_is_required(letter_services):
    svc = letter_services(settings={})
    with pytest.raises(UserError):
        letters.letter_facts(svc, 3, "statement", AS_OF, "en")


def test_a_complaint_needs_contacts_that_broke_a_rule(letter_services):
    svc = letter_services(contacts=[_contact(hour=10)])
    with pytest.raises(UserError):
        letters.letter_facts(svc, 3, "complaint", AS_OF, "en")
    svc = letter_services(contacts=[_contact(hour=10, cid=1), _contact(hour=23, cid=2)])
    facts = letters.letter_facts(svc, 3, "complaint", AS_OF, "en")
    assert [c.when.hour for c in facts.contacts] == [23]
    chosen = letters.letter_facts(svc, 3, "complaint", AS_OF, "en", contact_ids=[1, 2])
    assert len(chosen.contacts) == 2
    with pytest.raises(UserError):
        letters.letter_facts(svc, 3, "complaint", AS_OF, "en", contact_ids=[9])


def test_a_private_loan_at_24_percent_is_disputed_against_four_times_the_lpr(letter_services):
    svc = letter_services()
    facts = letters.letter_facts(svc, 7, "dispute", AS_OF, "en")
    # Contract 2025-03-01: one-year LPR 3.10% → cap 12.40%.
    assert facts.lpr == Decimal("3.10") and facts.cap == Decimal("12.40")
    interest, advance = facts.charges
    # The letter carries the overdue report's own figures (computed and tested there), one per
    # failed check that names a sum.
    from services.overdue import build_report

    disputed = [c.amount for c in build_report(svc, 7, AS_OF).legal_checks if not c.ok and c.amount]
    assert [interest.over, advance.over] == disputed
    assert "Art. 25" in interest.item and "12.40%" in interest.item and "Mar" in interest.item
    assert "reached me" in advance.item  # the letter speaks to the lender in the first person
    # Interest taken in advance: 30,000 lent, 27,000 received.
    assert advance.over == Decimal("3000.00")


def test_nothing_to_dispute_on_a_card_within_limits(letter_services):
    with pytest.raises(UserError):
        letters.letter_facts(letter_services(), 3, "dispute", AS_OF, "en")


def test_the_pdf_is_written_and_an_unwritable_path_is_a_user_error(tmp_path, letter_services):
    svc = letter_services()
    letter = letters.make_letter(svc, 3, "statement", "en", AS_OF)
    letters.write_pdf(letter, tmp_path / "s.pdf")
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(UserError):
        letters.write_pdf(letter, tmp_path / "no" / "such" / "dir.pdf")


def _body(letter):
    return "\n".join(b.text for b in letter.blocks)


def test_the_dispute_counts_interest_taken_in_advance_once(letter_services):
    # 30,000 written, 27,000 received, 24% agreed, from 2025-03-01 (LPR 3.10% → cap 12.40%). The
    # principal is the 27,000 received and the agreed 24% applies to it: (24% − 12.40%) × 27,000 ×
    # 632 days (2025-03-01 → 2026-11-23) / 360 = 3,132 × 632 / 360 = 5,498.40 over the cap; the 3,000
    # deducted is disputed once, as principal. The letter names the rate it compared: 24%, not 26.67%.
    svc = letter_services()
    facts = letters.letter_facts(svc, 7, "dispute", AS_OF, "zh_CN")
    interest, advance = facts.charges
    assert interest.over == Decimal("5498.40") and advance.over == Decimal("3000.00")
    assert facts.compared_rate == Decimal("24.00") and facts.cap == Decimal("12.40")
    body = _body(letters.make_letter(svc, 7, "dispute", "zh_CN", AS_OF))
    assert "上限为年利率12.40%" in body and "约定年利率为24.00%" in body
    assert "8,498.40" in body  # 5,498.40 + 3,000.00


def test_the_dispute_of_a_loan_made_before_2020_08_20_cites_the_2015_lines_not_an_lpr(letter_services):
    # 10,000 at 30% from 2019-05-01 for 12 months, all before 2020-08-20: (30% − 24%) × 10,000 × 366
    # / 360 = 610.00 above the 24% line; no LPR is named (none governs that period).
    old = replace(
        samples.PRIVATE,
        principal=Decimal("10000.00"),
        received_amount=None,
        rate=Decimal("30"),
        start_date=date(2019, 5, 1),
        months=12,
    )
    svc = letter_services(debts=(samples.CARD, old))
    facts = letters.letter_facts(svc, 7, "dispute", AS_OF, "en")
    assert facts.lpr is None and facts.old_private_lines
    assert [c.over for c in facts.charges][0] == Decimal("610.00")
    body = _body(letters.make_letter(svc, 7, "dispute", "en", AS_OF))
    assert "Article 31" in body and "24%" in body and "36%" in body
    assert "LPR when this contract was made" not in body and "(unknown)" not in body


@pytest.mark.parametrize("kind", ["negotiation", "proposal"])
@pytest.mark.parametrize("lang", ["en_US", "zh_CN"])
def test_a_letter_on_a_time_barred_debt_says_so_before_any_offer(kind, lang, _svc):
    # LAPSED: a card overdue since 2019-06-05 with nothing paid or demanded since: by the person's
    # records the period ended 2022-06-05, three years later.
    letter = letters.make_letter(_svc(), samples.LAPSED.id, kind, lang, AS_OF)
    texts = [b.text for b in letter.blocks]
    notice = next(i for i, t in enumerate(texts) if "2022" in t and ("limitation" in t or "诉讼时效" in t))
    offers = [i for i, t in enumerate(texts) if "a month" in t or "每月" in t]
    assert offers and notice < min(offers)
    assert letter.blocks[notice].type == "notice"
    # A debt whose period runs has no such paragraph.
    current = letters.make_letter(_svc(), samples.CARD.id, kind, lang, AS_OF)
    assert not any(
        b.type == "notice" and ("limitation" in b.text or "诉讼时效" in b.text) for b in current.blocks
    )
