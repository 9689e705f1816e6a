"""Where a debt stands, decided once from its figures: current, overdue, settled or archived.

The window, the command line and the letters all show this one status, so a debt that is
113 days behind can never read "current" on one page and "overdue" on another.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from domain.debts import DebtStatus


class Standing(StrEnum):
    """The derived status (the ``status`` of ``debt list --json`` / ``debt show --json``)."""

    CURRENT = "current"
    OVERDUE = "overdue"
    SETTLED = "settled"
    ARCHIVED = "archived"


# The stored status each standing is shown with (labels, filters that read ``DebtStatus``).
AS_STORED = {
    Standing.CURRENT: DebtStatus.ACTIVE,
    Standing.OVERDUE: DebtStatus.OVERDUE,
    Standing.SETTLED: DebtStatus.SETTLED,
    Standing.ARCHIVED: DebtStatus.ARCHIVED,
}


def standing(stored: DebtStatus, balance: Decimal, days_overdue: int) -> Standing:
    """The one rule: archived and settled (as the person marked them, or nothing left to pay)
    come first; otherwise overdue whenever ``days_overdue`` > 0, else current.

    A stored "overdue" or "negotiating" mark does not decide it: the figures do.
    """
    if stored is DebtStatus.ARCHIVED:
        return Standing.ARCHIVED
    if stored is DebtStatus.SETTLED or balance <= 0:
        return Standing.SETTLED
    return Standing.OVERDUE if days_overdue > 0 else Standing.CURRENT


def standing_of(stored: DebtStatus, balance: Decimal, days_overdue: int) -> tuple[Standing, int]:
    """The standing and the days overdue shown with it: a settled debt is 0 days overdue, whatever
    its arrears date says (nothing is left to be late with)."""
    state = standing(stored, balance, days_overdue)
    return state, 0 if state is Standing.SETTLED else days_overdue
