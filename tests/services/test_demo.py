"""The sample database: what it must contain for the other pages to have something to show."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.debts import ContactTarget, DebtKind, Method
from services.app import Services
from services.demo import build_demo
from services.errors import ConflictError


def _check_demo(svc: Services, as_of: date) -> None:
    summaries = {s.debt.kind: s for s in svc.list_summaries(as_of)}
    assert set(summaries) == {
        DebtKind.JD_BAITIAO,
        DebtKind.CREDIT_CARD,
        DebtKind.JIEBEI,
        DebtKind.HUABEI,
        DebtKind.BANK_LOAN,
        DebtKind.PRIVATE_LOAN,
    }
    assert summaries[DebtKind.JD_BAITIAO].days_overdue == 120
    assert summaries[DebtKind.CREDIT_CARD].debt.method is Method.REVOLVING
    assert summaries[DebtKind.JIEBEI].debt.method is Method.DAILY_INTEREST
    assert summaries[DebtKind.BANK_LOAN].debt.method is Method.EQUAL_INSTALLMENT
    assert all(s.balance > 0 for s in summaries.values())
    assert all(lender.name for lender in svc.list_lenders())
    contacts = svc.list_contacts()
    assert any(c.target is ContactTarget.HOMETOWN for c in contacts)
    assert any(c.when.time() == time(23, 10) for c in contacts)
    assert svc.list_payments() and svc.get_budget().income > 0


def test_demo_has_every_kind_of_debt_and_the_evidence():
    with Services.open(":memory:") as svc:
        assert build_demo(svc, date(2026, 11, 23)) == 6
        _check_demo(svc, date(2026, 11, 23))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(as_of=st.dates(date(1972, 1, 1), date(2200, 12, 31)))
def test_demo_works_for_any_date(as_of):
    with Services.open(":memory:") as svc:
        build_demo(svc, as_of)
        _check_demo(svc, as_of)


def test_demo_refuses_a_database_with_anything_in_it():
    with Services.open(":memory:") as svc:
        svc.add_debt(
            {
                "name": "mine",
                "lender": "L",
                "kind": "other",
                "principal": "1",
                "start_date": "2026-01-01",
                "method": "bullet",
                "months": 1,
            }
        )
        with pytest.raises(ConflictError):
            build_demo(svc, date(2026, 11, 23))
        assert [d.name for d in svc.list_debts()] == ["mine"]
