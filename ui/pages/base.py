"""What every page built here shares: refresh when shown after a change, a title, helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QTabWidget, QVBoxLayout, QWidget

from ui.context import Changed

if TYPE_CHECKING:
    from ui.context import AppContext


class Page(QWidget):
    """A page: ``retranslate()`` re-labels, ``refresh()`` re-reads; stale pages refresh when shown.

    ``listens_to`` names the changes that concern the page; any other change leaves it as it is.
    """

    listens_to: ClassVar[Changed] = Changed.ALL

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._stale = True
        context.changed.connect(self._on_changed)

    def _on_changed(self, changes: Changed) -> None:
        if not changes & self.listens_to:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False

    def retranslate(self) -> None:
        pass


def name_tabs(tabs: QTabWidget, name: str) -> None:
    """Name the tab widget, and each table or chart in a tab after the tab (for screen readers)."""
    from PySide6.QtWidgets import QAbstractItemView, QGraphicsView

    tabs.setAccessibleName(name)
    for index in range(tabs.count()):
        page = tabs.widget(index)
        text = tabs.tabText(index).replace("&", "")
        views = [page] if isinstance(page, QAbstractItemView | QGraphicsView) else []
        views += page.findChildren(QAbstractItemView) + page.findChildren(QGraphicsView)
        for view in views:
            view.setAccessibleName(text)


def title_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    return label


def note_label(parent: QWidget | None = None) -> QLabel:
    """Explanatory text that wraps."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def strong(label: QLabel, scale: float = 1.0) -> QLabel:
    font = QFont(label.font())
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


class Card(QFrame):
    """A framed group with a heading: the dashboard's tiles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.layout_ = QVBoxLayout(self)
        self.heading = strong(QLabel(self))
        self.layout_.addWidget(self.heading)

    def name_contents(self) -> None:
        """A screen reader calls the tables in the card by the card's heading."""
        from PySide6.QtWidgets import QAbstractItemView

        for view in self.findChildren(QAbstractItemView):
            view.setAccessibleName(self.heading.text())
