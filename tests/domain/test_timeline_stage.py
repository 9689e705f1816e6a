"""One current stage, the most serious step ahead, and possible steps that are never dated.

The expected steps are read off resources/rules/escalation.toml by hand: day N counts from the
first missed due date; report codes are 30-day buckets (code 4 = days 91-120); a suit is
commonly reported from day 91 (possible: the lender's choice), enforcement needs a judgment.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.debts import DebtKind
from domain.overdue import CURRENT, current_stage, next_serious, timeline
from tests.domain.test_overdue import AS_OF, debt_of, rules


def _events(kind: DebtKind, days: int, principal: str = "4000"):
    debt = debt_of(kind, overdue_since=AS_OF - timedelta(days=days))
    return timeline(debt, days, Decimal(principal), AS_OF, rules(kind))


def test_120_days_on_baitiao_has_one_stage_and_the_suit_is_next():
    events = _events(DebtKind.JD_BAITIAO, 120)
    # Under way on day 120: lawyers' letters (61-180), report code 4 (91-120), a possible suit (91-365).
    under_way = sorted(
        e.key if e.kind != "report_code" else "code" + e.params["code"] for e in events if e.status == CURRENT
    )
    assert under_way == ["code4", "lawsuit", "lawyer_letter"]
    stages = [e for e in events if e.stage]
    assert len(stages) == 1 and stages[0].kind == "report_code" and stages[0].params["code"] == "4"
    assert current_stage(events) is stages[0]
    # Code 5 comes first in time (day 121), but a suit is the more serious: it is the next step.
    step = next_serious(events)
    assert step is not None and step.key == "lawsuit" and step.possible
    # Enforcement is possible only after a judgment: never the next step, never past.
    enforcement = next(e for e in events if e.kind == "enforcement")
    assert enforcement.possible and enforcement.needs_judgment and enforcement.status == "coming"


def test_ten_days_overdue_the_suit_is_still_the_most_serious_step_ahead():
    events = _events(DebtKind.JD_BAITIAO, 10)
    stage = current_stage(events)
    assert stage is not None and stage.params["code"] == "1"  # days 1-30
    step = next_serious(events)
    assert step is not None and step.key == "lawsuit" and step.status == "coming" and step.day == 91


@pytest.mark.parametrize(("principal", "expected"), [("60000", "criminal_threshold"), ("4000", "lawsuit")])
def test_a_card_above_the_threshold_makes_a_prosecution_the_most_serious(principal, expected):
    # 200 days, overdrawn principal 60,000.00 ≥ 50,000.00: possible malicious overdraft (severity 8);
    # 4,000.00 is below it, so the possible suit (severity 6) is the most serious step.
    events = _events(DebtKind.CREDIT_CARD, 200, principal)
    step = next_serious(events)
    assert step is not None and step.key == expected and step.possible
    stage = current_stage(events)
    assert stage is not None and stage.params["code"] == "7"  # more than 180 days


def test_a_private_loan_has_no_report_codes_and_its_stage_is_what_is_under_way():
    events = _events(DebtKind.PRIVATE_LOAN, 10)
    stage = current_stage(events)
    assert stage is not None and stage.key == "reminders_private"  # days 1-30, not the lender's choice
    assert next_serious(events).key == "lawsuit_private"
    # Day 60: the reminders are over and the suit is only possible: no stage is claimed.
    assert current_stage(_events(DebtKind.PRIVATE_LOAN, 60)) is None


def test_every_step_that_depends_on_the_lender_is_possible():
    for kind in DebtKind:
        for event in _events(kind, 120, "60000"):
            if event.kind in ("lawsuit", "enforcement", "criminal_threshold"):
                assert event.possible, (kind, event.key)
            else:
                assert not event.possible, (kind, event.key)
