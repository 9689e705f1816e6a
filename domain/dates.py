"""Month arithmetic, once: the rule every schedule, due date and offer in the program uses.

A monthly date keeps its day; a day beyond the month's end falls on the month's
last day (31 Jan + 1 month = 28 or 29 Feb), as lenders and ARCHITECTURE.md put it.
"""

from __future__ import annotations

import calendar
from datetime import date


def clamp_day(year: int, month: int, day: int) -> date:
    """``day`` of that month, or the month's last day when the month is shorter."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def add_months(day: date, months: int, on_day: int | None = None) -> date:
    """The date ``months`` later (earlier when negative), on ``on_day`` (default: ``day``'s own day)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return clamp_day(year, month + 1, on_day or day.day)


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)
