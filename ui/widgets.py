"""Small widgets several pages share: the welcome panel for an empty database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from resources.i18n import _
from ui.pages.base import strong

if TYPE_CHECKING:
    from ui.context import AppContext


def load_demo(context: AppContext) -> None:
    """Fill the (empty) database with the sample debts, dated relative to today."""
    from services import demo

    builder: Any = (
        getattr(demo, "build_demo", None)
        or getattr(demo, "load_demo", None)
        or getattr(demo, "fill_demo", None)
    )
    if builder is None:
        raise RuntimeError("services.demo offers no demo builder")
    builder(context.services, context.today())
    context.notify("all")


class WelcomePanel(QWidget):
    """What a new person sees first: one clear step, and the demo one click away."""

    add_debt = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.context = context
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.heading = strong(QLabel(self), 1.6)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(640)
        self.text.setMinimumWidth(520)  # a wrapped label between stretches would shrink to a narrow column
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("welcomeAdd")
        self.add_button.setDefault(True)
        self.demo_button = QPushButton(self)
        self.demo_button.setObjectName("welcomeDemo")
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout.addWidget(self.heading)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.text)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.add_button.clicked.connect(self.add_debt.emit)
        self.demo_button.clicked.connect(self._demo)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Welcome to DebtKeeper"))
        self.text.setText(
            _(
                "Start by adding the debts you have: one for each card, Baitiao, Huabei, loan or "
                "money borrowed from family. DebtKeeper then shows what you owe, what is due "
                "next, "
                "what being late costs, and a plan to pay it all back. Everything stays on this "
                "computer."
            )
        )
        self.add_button.setText(_("Add my first debt (Ctrl+N)"))
        self.demo_button.setText(_("Try it with sample data"))

    def _demo(self) -> None:
        from ui.errors import show_exception

        try:
            load_demo(self.context)
        except Exception as exc:  # shown to the person: a UserError as a message, a bug as a crash report
            show_exception(exc, self)
