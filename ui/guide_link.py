"""The way into the guide from any page: "What should I do?" (kept light: no page is imported)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from resources.i18n import N_

if TYPE_CHECKING:
    from ui.context import AppContext

WHAT_TO_DO = N_("What should I do?")


def open_guide(context: AppContext, debt_id: int | None = None) -> None:
    """Show the guide page, for every debt or for one."""
    show = context.extras.get("show_page")
    page = show("guide") if show is not None else None
    if page is not None and hasattr(page, "show_debt"):
        page.show_debt(debt_id)
