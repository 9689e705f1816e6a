"""What the overview page writes: its figures, notes and table cells, from an ``Overview``.

Free of Qt, so the window's first screen can be written before Qt is loaded (``ui.snapshot``); the
page (``ui.pages.dashboard``) shows the same texts from the same function.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from resources.i18n import N_, _, ngettext, tr
from ui.columns import Column, rendered

if TYPE_CHECKING:
    from services.overview import OverdueItem, Overview

LENDER_COLUMNS = (
    Column(N_("Lender"), lambda r: r[0]),
    Column(N_("Owed"), lambda r: r[1], "money"),
)
DUE_COLUMNS = (
    Column(N_("Due date"), lambda d: d.due_date, "date"),
    Column(N_("Debt"), lambda d: d.name),
    Column(N_("Amount"), lambda d: d.amount, "money"),
)
OVERDUE_COLUMNS = (
    Column(N_("Debt"), lambda o: o.debt.name),
    Column(N_("Days overdue"), lambda o: o.days_overdue, "int", warn=lambda o: True),
    Column(N_("Total due"), lambda o: o.total_due, "money"),
    Column(N_("Cost per day"), lambda o: o.cost_per_day, "money"),
    Column(N_("Next step"), lambda o: o.next_step),
    Column(N_("When"), lambda o: o.next_step_when),
    Column(N_("Limitation period ends"), lambda o: o.limitation_ends, "date"),
)


def next_step_text(item: OverdueItem | None) -> str:
    """An overdue debt's next step in full (the table cuts it short)."""
    if item is None or not item.next_step:
        return ""
    return tr(
        "{debt} — most serious next, {when}: {step}",
        debt=item.debt.name,
        when=item.next_step_when,
        step=item.next_step,
    )


def dashboard_texts(data: Overview, has_any: bool) -> dict[str, Any]:
    """Every text the page shows for ``data``, in the current language.

    ``has_any``: whether the file holds any debt at all (archived ones too): with none, the page
    welcomes the person instead of showing figures. Figures are (value, detail) pairs; tables are
    rows of (text, warning) cells; ``next_step`` is for the first overdue debt (none is chosen yet).
    """
    from ui import labels  # with the domain's names: loaded when the figures are written

    unknown = _("not available in this version yet")
    if not data.overdue:
        cost = (labels.money(Decimal(0)), _("nothing is overdue"))
    elif data.overdue_cost_per_day is None:
        cost = (
            "—",
            ngettext(
                "{count} debt overdue; the cost is {unknown}",
                "{count} debts overdue; the cost is {unknown}",
                len(data.overdue),
            ).format(count=len(data.overdue), unknown=unknown),
        )
    else:
        cost = (
            tr("{amount} a day", amount=labels.money(data.overdue_cost_per_day)),
            ngettext(
                "penalty interest and late fees on {count} overdue debt",
                "penalty interest and late fees on {count} overdue debts",
                len(data.overdue),
            ).format(count=len(data.overdue)),
        )
    return {
        "as_of": tr("As of {date}", date=labels.day(data.as_of)),
        "body": data.debt_count > 0 or has_any,
        "total": (labels.money(data.total_owed), tr("{count} debts still open", count=data.debt_count)),
        "due7": (
            labels.money(data.due_7) if data.due_7 is not None else "—",
            unknown if data.due_7 is None else _("instalments coming due, arrears not included"),
        ),
        "due30": (
            labels.money(data.due_30) if data.due_30 is not None else "—",
            unknown if data.due_30 is None else tr("{count} instalments", count=len(data.dues)),
        ),
        "cost": cost,
        "lenders": rendered(LENDER_COLUMNS, data.per_lender),
        "dues": rendered(DUE_COLUMNS, data.dues),
        "overdue": rendered(OVERDUE_COLUMNS, data.overdue),
        "next_step": next_step_text(data.overdue[0] if data.overdue else None),
        "overdue_note": (
            _("Double-click a debt to see its whole timeline, with sources.")
            if data.overdue
            else _("No debt is overdue. Keep it that way: the plan shows how.")
        ),
    }
