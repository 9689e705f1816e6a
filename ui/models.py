"""Thin Qt item models: they format values for display and sort keys; nothing is computed here.

``RowsModel`` shows a list of plain rows through column descriptions; the
payment ledger model reads its rows from the services in batches as the view
scrolls (``canFetchMore``/``fetchMore``), so a ledger of 100,000 payments
opens after reading 200 of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from resources.i18n import _
from ui.columns import NUMERIC, Column

__all__ = ["ROW_ROLE", "SORT_ROLE", "WARNING_COLOUR", "Column", "FilterProxy", "LazyRowsModel", "RowsModel"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
WARNING_COLOUR = QColor(200, 60, 40)  # readable on light and dark backgrounds


class RowsModel(QAbstractTableModel):
    """A read-only table of plain rows described by ``Column``s."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        # Cells already written, (text, warning) per column (``show_rendered``), or None: from the rows.
        self._rendered: list[list[tuple[str, bool]]] | None = None

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rendered = None
        self.rows = list(rows)
        self.endResetModel()

    def show_rendered(self, cells: Sequence[Sequence[Sequence[Any]]]) -> None:
        """Show cells written elsewhere (``ui.columns.rendered``: the window's first screen) until
        ``set_rows`` gives the rows themselves; no row can be read from the model meanwhile."""
        self.beginResetModel()
        self._rendered = [[(str(text), bool(warn)) for text, warn in row] for row in cells]
        self.rows = [None] * len(self._rendered)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self.rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if self._rendered is not None:
            text, warn = self._rendered[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text if self._rendered is not None else column.display(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if self._rendered is None:
                text = column.display(row)
            return text if len(text) > 30 else None  # long texts are elided in their cell
        if role == SORT_ROLE:
            return None if self._rendered is not None else column.sort_key(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.kind in NUMERIC:
                return int(RIGHT)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._rendered is None:
                warn = column.warn is not None and bool(column.warn(row))
            return QBrush(WARNING_COLOUR) if warn else None
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802 (Qt API)
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return _(self.columns[section].title)
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.columns) - 1))
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))


class LazyRowsModel(RowsModel):
    """Shows rows in batches: the view asks for more as it scrolls, and only then are they read.

    ``set_source(total, fetch)`` takes how many rows there are and a function
    ``fetch(after, limit)`` that reads the ``limit`` rows after the row ``after`` (the last one
    shown; None for the first batch) — a service call, one short transaction, that reads by key;
    ``set_rows`` shows an in-memory list the same way.
    """

    BATCH = 200

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(columns, parent)
        self._total = 0
        self._fetch: Callable[[Any, int], Sequence[Any]] = lambda _after, _limit: []

    def set_rows(self, rows: Sequence[Any]) -> None:
        held = list(rows)
        place = {id(row): index for index, row in enumerate(held)}

        def fetch(after: Any, limit: int) -> Sequence[Any]:
            start = 0 if after is None else place[id(after)] + 1
            return held[start : start + limit]

        self.set_source(len(held), fetch)

    def set_source(self, total: int, fetch: Callable[[Any, int], Sequence[Any]]) -> None:
        self.beginResetModel()
        self._rendered = None
        self._total, self._fetch = max(0, total), fetch
        self.rows = list(fetch(None, self.BATCH)) if total > 0 else []
        if len(self.rows) < min(self.BATCH, self._total):
            self._total = len(self.rows)  # fewer rows than counted: some were removed meanwhile
        self.endResetModel()

    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008 (Qt API)
        return not parent.isValid() and len(self.rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008 (Qt API)
        if parent.isValid():
            return
        start = len(self.rows)
        wanted = min(self._total - start, self.BATCH)
        if wanted <= 0:
            return
        batch = list(self._fetch(self.rows[-1] if self.rows else None, wanted))
        if len(batch) < wanted:
            self._total = start + len(batch)  # the source shrank since it was counted: stop there
        if not batch:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(batch) - 1)
        self.rows.extend(batch)
        self.endInsertRows()


class FilterProxy(QSortFilterProxyModel):
    """Sorts on raw values and filters on the text of every column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.row_filter: Callable[[Any], bool] | None = None

    def set_row_filter(self, predicate: Callable[[Any], bool] | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            self.row_filter = predicate
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.row_filter = predicate
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 (Qt API)
        if self.row_filter is not None:
            model = self.sourceModel()
            row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
            if row is not None and not self.row_filter(row):
                return False
        return super().filterAcceptsRow(source_row, source_parent)
