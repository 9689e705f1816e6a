"""The one status rule (domain.status.standing_of): a settled debt is never days overdue."""

from __future__ import annotations

from decimal import Decimal

from domain.debts import DebtStatus
from domain.status import Standing, standing_of


def test_figures_decide_between_current_and_overdue():
    assert standing_of(DebtStatus.ACTIVE, Decimal("100.00"), 0) == (Standing.CURRENT, 0)
    assert standing_of(DebtStatus.ACTIVE, Decimal("100.00"), 12) == (Standing.OVERDUE, 12)
    # A stored "overdue" mark does not make a debt with no days behind overdue.
    assert standing_of(DebtStatus.OVERDUE, Decimal("100.00"), 0) == (Standing.CURRENT, 0)


def test_nothing_left_to_pay_is_settled_and_zero_days_overdue():
    assert standing_of(DebtStatus.ACTIVE, Decimal("0.00"), 40) == (Standing.SETTLED, 0)
    assert standing_of(DebtStatus.SETTLED, Decimal("50.00"), 40) == (Standing.SETTLED, 0)


def test_archived_comes_first_and_keeps_its_days():
    assert standing_of(DebtStatus.ARCHIVED, Decimal("0.00"), 7) == (Standing.ARCHIVED, 7)
