"""How a table column shows a row: its title, the raw value, how that value is written.

Free of Qt: the window's first screen writes its tables' cells (``ui.snapshot``) before Qt is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

#: the kinds of value that are right-aligned in their cells
NUMERIC = ("money", "percent", "int")


class Column(NamedTuple):  # a named tuple: no dataclass machinery on the first screen's path
    title: str  # msgid
    value: Callable[[Any], Any]  # the raw value: used to sort and to format
    kind: str = "text"  # text | money | date | percent | int
    warn: Callable[[Any], bool] | None = None

    def display(self, row: Any) -> str:
        value = self.value(row)
        if value is None:
            return "—"
        from ui import labels  # with the domain's names: loaded when a first cell is written

        if self.kind == "money":
            return labels.money(value)
        if self.kind == "date":
            return labels.day(value)
        if self.kind == "percent":
            return labels.percent(value)
        return str(value)

    def sort_key(self, row: Any) -> Any:
        value = self.value(row)
        if value is None:
            return "" if self.kind == "text" else float("-inf")
        if isinstance(value, Decimal):
            return float(value)  # ordering only; never shown or stored
        if isinstance(value, date):
            return value.toordinal()
        return value

    def cells(self, row: Any) -> tuple[str, bool]:
        """The text of ``row``'s cell and whether it is shown as a warning."""
        return self.display(row), self.warn is not None and bool(self.warn(row))


def rendered(columns: Sequence[Column], rows: Sequence[Any]) -> list[list[tuple[str, bool]]]:
    """Each row's cells as written: (text, warning)."""
    return [[column.cells(row) for column in columns] for row in rows]
