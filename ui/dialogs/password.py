"""Choosing a password to protect the data file: the warning, the password twice, the check beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import _
from ui.widgets import with_mnemonic


class ProtectDialog(QDialog):
    """Asks for the new password twice; OK only once both are the same and long enough."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("protectDialog")
        self.setWindowTitle(_("Protect with a password"))
        layout = QVBoxLayout(self)
        self.warning = QLabel(self)
        self.warning.setObjectName("passwordWarning")
        self.warning.setWordWrap(True)
        self.warning.setText(
            _(
                "A lost password cannot be recovered: nobody, DebtKeeper included, can open the file "
                "without it. Write it down and keep it somewhere safe."
            )
        )
        self.warning.setStyleSheet("QLabel { color: #7b1d12; font-weight: bold; }")
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setText(
            _(
                "The data file is replaced by a protected copy. Your unprotected file is kept aside "
                "under a new name: delete it once you have checked that the password opens your data."
            )
        )
        form = QFormLayout()
        self.first = QLineEdit(self)
        self.first.setObjectName("newPassword")
        self.again = QLineEdit(self)
        self.again.setObjectName("newPasswordAgain")
        for edit in (self.first, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._check)
        form.addRow(with_mnemonic(_("New password"), "P"), self.first)
        form.addRow(with_mnemonic(_("The same password again"), "A"), self.again)
        self.problem = QLabel(self)
        self.problem.setObjectName("passwordProblem")
        self.problem.setStyleSheet("QLabel { color: #b3261e; }")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Protect"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.warning)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._check()

    def _check(self) -> None:
        from services.protection import MIN_LENGTH, check_new_password

        first, again = self.first.text(), self.again.text()
        problem = check_new_password(first, again)
        # Point at a mistake only once it is one: not while the second copy is still being typed.
        shown = ""
        if problem is not None and first and (len(first) < MIN_LENGTH or len(again) >= len(first)):
            shown = problem
        self.problem.setText(shown)
        self.ok.setEnabled(problem is None)

    def password(self) -> str:
        return self.first.text()
