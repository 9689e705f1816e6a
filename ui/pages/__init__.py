"""The window's pages, one module each; ``PAGES`` lists them in sidebar order.

Modules are imported when a page is first shown, so charts and the document
engine cost nothing at start-up.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

from resources.i18n import N_


class PageSpec(NamedTuple):  # a named tuple: the window's shell is made without the dataclass machinery
    key: str
    title: str  # msgid
    module: str
    cls: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard", N_("Overview"), "ui.pages.dashboard", "DashboardPage"),
    PageSpec("debts", N_("Debts"), "ui.pages.debts", "DebtsPage"),
    PageSpec("payments", N_("Payments"), "ui.pages.payments", "PaymentsPage"),
    PageSpec("plan", N_("Plan"), "ui.pages.plan", "PlanPage"),
    PageSpec("overdue", N_("Overdue"), "ui.pages.overdue", "OverduePage"),
    PageSpec("budget", N_("Budget"), "ui.pages.budget", "BudgetPage"),
    PageSpec("letters", N_("Letters"), "ui.pages.letters", "LettersPage"),
    PageSpec("reminders", N_("Reminders"), "ui.pages.reminders", "RemindersPage"),
    PageSpec("settings", N_("Settings"), "ui.pages.settings", "SettingsPage"),
    PageSpec("guide", N_("Guide"), "ui.pages.guide", "GuidePage"),  # last, as Help is on a menu bar
)
PAGE_KEYS = tuple(p.key for p in PAGES)


def page_class(spec: PageSpec) -> type:
    """The page's class (its module is imported when the page is first shown)."""
    return getattr(importlib.import_module(spec.module), spec.cls)
