"""Planning services: stored debts become plan input; plans and offers become JSON and notes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.debts import Budget, Debt, DebtKind, DebtStatus, Method, RateUnit
from domain.money import ZERO
from domain.strategies import Strategy
from services.app import Services
from services.debtjson import debt_to_json
from services.errors import UserError
from services.planning import (
    compare_strategies,
    make_plan,
    make_proposal,
    plan_debts,
    plan_notes,
    plan_to_json,
    proposal_notes,
)

D = Decimal
AS_OF = date(2026, 11, 23)


def make_debt(id_, **kw):
    base = dict(
        name=f"debt {id_}",
        lender="lender",
        kind=DebtKind.BANK_LOAN,
        principal=D(12000),
        start_date=date(2026, 1, 15),
        method=Method.EQUAL_INSTALLMENT,
        months=12,
        rate=D(12),
        rate_unit=RateUnit.YEAR,
        due_day=15,
        id=id_,
    )
    base.update(kw)
    return Debt(**base)


@pytest.fixture
def stored(tmp_path):
    """Opens a real database holding ``debts`` (ids in order from 1), each owing its balance on AS_OF.

    A debt owing less than its principal is entered as the person enters a loan part paid: the
    principal still owed on AS_OF (``outstanding_principal``); a card's balance is its principal.
    A debt with no balance was paid off before AS_OF. Settled and archived debts get their status
    after entry, as a person sets it.
    """
    opened = []

    def open_with(debts, balances, budget=None):
        svc = Services.open(tmp_path / f"plan{len(opened)}.sqlite3")
        opened.append(svc)
        for debt in debts:
            owed = balances.get(debt.id, ZERO)
            entered = replace(debt, status=DebtStatus.ACTIVE)
            if debt.method is Method.REVOLVING:
                entered = replace(entered, principal=owed)
            elif owed != debt.principal:
                entered = replace(entered, outstanding_principal=owed, outstanding_as_of=AS_OF)
            assert svc.add_debt(debt_to_json(entered, with_id=False)) == debt.id
            assert svc.debt_summary(debt.id, AS_OF).balance == owed or debt.start_date > AS_OF
            if debt.status is not DebtStatus.ACTIVE:
                svc.set_debt_status(debt.id, debt.status)
        if budget is not None:
            svc.set_budget(budget)
        return svc

    yield open_with
    for svc in opened:
        svc.close()


def test_plan_debts_skip_settled_archived_and_paid_off(stored):
    debts = [
        make_debt(1),
        make_debt(2, status=DebtStatus.SETTLED),
        make_debt(3, status=DebtStatus.ARCHIVED),
        make_debt(4),
        make_debt(5, start_date=date(2027, 1, 1)),
    ]
    svc = stored(debts, {1: D(5000), 4: D(0), 5: D(12000)})
    assert [d.id for d in plan_debts(svc, AS_OF)] == [1]


def test_plan_json_follows_the_contract(stored):
    svc = stored([make_debt(1), make_debt(2, rate=D(24))], {1: D(5000), 2: D(3000)})
    doc = plan_to_json(make_plan(svc, D(3000), "avalanche", AS_OF))
    assert list(doc) == [
        "strategy",
        "budget",
        "months",
        "payoff_date",
        "total_interest",
        "total_paid",
        "debts",
        "months_detail",
    ]
    assert list(doc["debts"][0]) == ["id", "name", "payoff_date", "interest", "minimum"]
    assert list(doc["months_detail"][0]) == ["month", "date", "payments", "remaining"]
    assert list(doc["months_detail"][0]["payments"][0]) == ["debt_id", "amount"]
    assert doc["budget"] == "3000.00" and doc["strategy"] == "avalanche"
    paid = sum(D(p["amount"]) for m in doc["months_detail"] for p in m["payments"])
    assert paid == D(doc["total_paid"]) == D(8000) + D(doc["total_interest"])
    assert doc["payoff_date"] == doc["months_detail"][-1]["date"]


def test_every_strategy_compared_with_the_minimum_path(stored):
    svc = stored(
        [make_debt(1, months=36, rate=D(18)), make_debt(2, months=36, rate=D(6))], {1: D(10000), 2: D(10000)}
    )
    plans, rows = compare_strategies(svc, D(2000), AS_OF)
    assert set(plans) == {Strategy.AVALANCHE, Strategy.SNOWBALL, Strategy.TRIAGE, Strategy.MINIMUM_ONLY}
    assert all(r.interest_saved > 0 and r.months_saved > 0 for r in rows)


def test_notes_explain_a_budget_that_never_ends(stored):
    svc = stored([make_debt(1, principal=D(100000), rate=D(24), months=60)], {1: D(100000)})
    plan = make_plan(svc, D(1000), "avalanche", AS_OF)
    notes = plan_notes(plan, "en_US")
    assert any("does not cover the interest" in n for n in notes)
    zh = plan_notes(plan, "zh_CN")
    assert any("永远还不清" in n for n in zh)
    assert plan_to_json(plan)["payoff_date"] is None


def test_triage_notes_name_the_consequences(stored):
    card = make_debt(
        1, kind=DebtKind.CREDIT_CARD, method=Method.REVOLVING, rate=D("0.05"), rate_unit=RateUnit.DAY
    )
    loan = make_debt(2, kind=DebtKind.JD_JINTIAO)
    svc = stored([card, loan], {1: D(60000), 2: D(10000)})
    plan = make_plan(svc, D(6500), "triage", AS_OF)
    notes = plan_notes(plan, "zh_CN")
    assert any("少" in n for n in notes)  # the shortfall
    assert any("征信" in n for n in notes)


def test_custom_plan_with_unknown_id_is_a_user_error(stored):
    svc = stored([make_debt(1)], {1: D(5000)})
    with pytest.raises(UserError):
        make_plan(svc, D(3000), "custom", AS_OF, order=[7])


def test_proposal_from_the_stored_budget(stored):
    card = make_debt(
        1, kind=DebtKind.CREDIT_CARD, method=Method.REVOLVING, rate=D("0.05"), rate_unit=RateUnit.DAY
    )
    svc = stored(
        [card, make_debt(2)], {1: D(90000), 2: D(10000)}, Budget(D(7000), {"rent": D(3000), "food": D(2000)})
    )
    means, proposal = make_proposal(svc, AS_OF)
    assert means.affordable == D(2000)
    assert [o.monthly for o in proposal.offers] == [D(1800), D(200)]
    assert proposal.offers[0].max_months == 60 and proposal.offers[0].fits
    svc.set_budget(Budget(D(3000), {"rent": D(3000)}))
    _, token = make_proposal(svc, AS_OF)
    assert token.token_only
    assert any("象征性" in n for n in proposal_notes(token, "zh_CN"))


def test_offer_that_does_not_fit_is_explained(stored):
    svc = stored(
        [replace(make_debt(1), kind=DebtKind.CREDIT_CARD, method=Method.REVOLVING)],
        {1: D(120000)},
        Budget(D(6000), {"rent": D(5000)}),
    )
    _, proposal = make_proposal(svc, AS_OF)
    notes = proposal_notes(proposal, "en_US")
    assert any("within 60 months" in n and "2,000.00" in n for n in notes)
