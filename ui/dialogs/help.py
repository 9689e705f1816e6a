"""The Help menu's dialogs: the keyboard shortcuts (read from the window's own actions) and About."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import _, tr
from ui.widgets import plain_text

LICENCE = "GPL-3.0-or-later"
ROOT = Path(__file__).resolve().parent.parent.parent


def app_version() -> str:
    """The program's version, as the package or its pyproject.toml states it."""
    from importlib import metadata

    try:
        return metadata.version("debtkeeper")
    except metadata.PackageNotFoundError:
        pass
    import tomllib

    try:
        with (ROOT / "pyproject.toml").open("rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])
    except (OSError, KeyError, ValueError):
        return "?"


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(what it does, keys) for every action with a shortcut, in the window's language."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        if keys and action.text():
            rows.append((plain_text(action.text()).rstrip("…"), ", ".join(keys)))
    return rows


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut of the window, listed from the actions themselves (never out of date)."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.resize(520, 520)
        layout = QVBoxLayout(self)
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName(_("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([_("Action"), _("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for row, (what, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(what))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        note = QLabel(
            _(
                "In dialogs, Alt and the underlined letter of a field or button goes to it; "
                "Tab moves to the next field, Enter saves and Esc closes."
            ),
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(_("About DebtKeeper"))
        layout = QVBoxLayout(self)
        self.text = QLabel(self)
        self.text.setObjectName("aboutText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text.setText(
            "\n\n".join(
                (
                    tr("DebtKeeper {version}", version=app_version()),
                    _(
                        "Keeps track of your debts, what being late costs and how to pay them back. Everything stays "
                        "on this computer: no account, no server, no network."
                    ),
                    tr(
                        "Licence: {licence}. You may use, study, share and change it under the terms of the GNU "
                        "General Public License, version 3 or later.",
                        licence=LICENCE,
                    ),
                    _("The Chinese font is WenQuanYi Micro Hei (Apache-2.0 or GPL-3.0 with font exception)."),
                    _(
                        "What it says about law and lenders' practice is general information with its public "
                        "sources, not legal advice."
                    ),
                )
            )
        )
        self.text.setAccessibleName(_("About DebtKeeper"))
        self.text.setMinimumWidth(420)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
