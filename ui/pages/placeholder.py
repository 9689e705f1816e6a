"""A page whose feature is not in this build yet: says so plainly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from resources.i18n import _

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.pages import PageSpec


class PlaceholderPage(QWidget):
    spec: PageSpec

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(
            _("{page} is coming in a later version of DebtKeeper.").format(page=_(self.spec.title))
        )

    def refresh(self) -> None:
        pass


def placeholder_for(spec: PageSpec) -> type:
    return type(f"Placeholder_{spec.key}", (PlaceholderPage,), {"spec": spec})
