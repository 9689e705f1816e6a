"""Offers to lenders: what is affordable, how it is split, terms and savings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.debts import Budget, DebtKind, RateUnit
from domain.negotiation import ProposalError, affordability, propose, split_pro_rata
from domain.repayment_rules import parse_repayment_rules
from domain.rules import RuleError
from domain.strategies import PlanDebt
from resources.rules import read_rules_text

D = Decimal
AS_OF = date(2026, 11, 23)
RULES = parse_repayment_rules(read_rules_text("repayment.toml"))


def card(id_, balance):
    return PlanDebt(
        id_,
        f"card {id_}",
        D(balance),
        D("0.05"),
        RateUnit.DAY,
        D(0),
        kind=DebtKind.CREDIT_CARD,
        minimum_percent=D(10),
    )


def test_affordable_is_income_less_essentials_less_reserve():
    a = affordability(Budget(D(8000), {"rent": D(3000), "food": D("1500.50")}), D(500))
    assert a.affordable == D("2999.50") and not a.token_only
    broke = affordability(Budget(D(3000), {"rent": D(3500)}))
    assert broke.affordable == 0 and broke.token_only
    with pytest.raises(ProposalError):
        affordability(Budget(D(-1)))


def test_pro_rata_split_sums_exactly():
    shares = split_pro_rata(D(1000), {1: D(30000), 2: D(20000), 3: D(10000)})
    assert shares == {1: D("500.00"), 2: D("333.33"), 3: D("166.67")}
    # the fen left over goes to the largest balance (the first among equals)
    equal = split_pro_rata(D(100), {1: D(5), 2: D(5), 3: D(5)})
    assert equal == {1: D("33.34"), 2: D("33.33"), 3: D("33.33")}


def test_card_offer_is_capped_at_sixty_months_by_the_rules():
    assert RULES.max_term_for(DebtKind.CREDIT_CARD).months == 60
    assert RULES.max_term_for(DebtKind.CREDIT_CARD).certainty == "law"
    assert RULES.minimum_for(DebtKind.CREDIT_CARD).percent == D(10)
    p = propose([card(1, 120000)], D(1500), {1: 60}, AS_OF)
    offer = p.offers[0]
    assert not offer.fits and offer.months == 60
    assert offer.needed_monthly == D(2000)
    ok = propose([card(1, 120000)], D(2000), {1: 60}, AS_OF).offers[0]
    assert ok.fits and ok.months == 60


def test_frozen_interest_offer_saves_against_the_minimum_path():
    p = propose([card(1, 60000), card(2, 20000)], D(1800), {1: 60, 2: 60}, AS_OF)
    assert p.monthly_total == D(1800)
    assert [o.monthly for o in p.offers] == [D(1350), D(450)]
    for o in p.offers:
        assert o.offer_cost == 0 and o.current_cost > 0 and o.saving == o.current_cost
        assert o.months == -(-int(o.balance) // int(o.monthly))


def test_offer_with_a_rate_costs_interest():
    p = propose([card(1, 12000)], D("1066.19"), {1: 60}, AS_OF, offer_rate=D(1))
    assert p.offers[0].months == 12
    assert p.offers[0].offer_cost == D("794.23")  # the 12,000 at 1%/month table


def test_amounts_set_by_the_person_and_the_rest_pro_rata():
    debts = [card(1, 30000), card(2, 10000), card(3, 10000)]
    p = propose(debts, D(1000), {1: 60, 2: 60, 3: 60}, AS_OF, amounts={1: D(800)})
    assert [o.monthly for o in p.offers] == [D(800), D(100), D(100)]
    with pytest.raises(ProposalError):
        propose(debts, D(1000), {1: 60, 2: 60, 3: 60}, AS_OF, amounts={1: D(1200)})
    with pytest.raises(ProposalError):
        propose(debts, D(1000), {1: 60, 2: 60, 3: 60}, AS_OF, amounts={9: D(1)})


def test_token_payment_when_nothing_is_affordable():
    p = propose(
        [card(1, 30000), card(2, 1000)], D(0), {1: 60, 2: 60}, AS_OF, token_payment=RULES.token_payment
    )
    assert p.token_only and {o.monthly for o in p.offers} == {RULES.token_payment}
    assert all(o.token for o in p.offers)


def test_rules_file_errors():
    with pytest.raises(RuleError):
        parse_repayment_rules("[max_term.credit_card]\nmonths = 60\ncertainty='law'\nsource=['x']\n")


@settings(max_examples=50, deadline=None)
@given(
    st.decimals(min_value=D(0), max_value=D(50000), places=2),
    st.lists(st.decimals(min_value=D("0.01"), max_value=D(500000), places=2), min_size=1, max_size=8),
)
def test_split_always_sums_to_the_affordable_amount(total, balances):
    shares = split_pro_rata(total, dict(enumerate(balances, 1)))
    assert sum(shares.values()) == total
    assert all(v >= 0 for v in shares.values())
