"""Logging a collection contact as evidence: when, how, who, whom they contacted, what they did."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from domain.debts import ContactChannel, ContactConduct, ContactEntry, ContactTarget
from resources.i18n import _
from ui import labels
from ui.context import Changed
from ui.widgets import with_mnemonic

if TYPE_CHECKING:
    from ui.context import AppContext


class ContactDialog(QDialog):
    def __init__(self, context: AppContext, debt_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactDialog")
        self.context = context
        self.debt_id = debt_id
        self.setWindowTitle(_("Log a collection contact"))
        self.resize(560, 560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.when = QDateTimeEdit(QDateTime.currentDateTime(), self)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.channel = QComboBox(self)
        for c in ContactChannel:
            self.channel.addItem(_(labels.CHANNEL_LABELS[c]), c.value)
        self.who = QLineEdit(self)
        self.who.setObjectName("field_who")
        self.who.setPlaceholderText(_("the name and company they gave"))
        self.phone = QLineEdit(self)
        self.target = QComboBox(self)
        for t in ContactTarget:
            self.target.addItem(_(labels.TARGET_LABELS[t]), t.value)
        self.summary = QPlainTextEdit(self)
        self.summary.setPlaceholderText(_("what was said, as exactly as you can"))
        self.attachments = QLineEdit(self)
        self.attachments.setPlaceholderText(_("file names of recordings or screenshots, separated by commas"))
        for caption, letter, field in (
            (_("When"), "W", self.when),
            (_("How"), "H", self.channel),
            (_("Who"), "O", self.who),
            (_("Their number"), "U", self.phone),
            (_("Whom they contacted"), "C", self.target),
            (_("What was said"), "S", self.summary),
            (_("Evidence files"), "E", self.attachments),
        ):
            form.addRow(with_mnemonic(caption, letter), field)
        layout.addLayout(form)
        group = QGroupBox(_("What they did (tick all that happened)"), self)
        box = QVBoxLayout(group)
        self.conduct: dict[ContactConduct, QCheckBox] = {}
        for c in ContactConduct:
            check = QCheckBox(_(labels.CONDUCT_LABELS[c]), group)
            self.conduct[c] = check
            box.addWidget(check)
        layout.addWidget(group)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def entry(self) -> ContactEntry:
        when: datetime = self.when.dateTime().toPython()  # type: ignore[assignment]
        return ContactEntry(
            when=when.replace(second=0, microsecond=0),
            channel=ContactChannel(self.channel.currentData()),
            who=self.who.text().strip(),
            target=ContactTarget(self.target.currentData()),
            summary=self.summary.toPlainText().strip(),
            conduct=frozenset(c for c, check in self.conduct.items() if check.isChecked()),
            attachments=tuple(a.strip() for a in self.attachments.text().split(",") if a.strip()),
            debt_id=self.debt_id,
            phone_number=self.phone.text().strip(),
        )

    def accept(self) -> None:
        from services.errors import UserError
        from ui.errors import show_error

        try:
            self.saved_id = self.context.services.add_contact(self.entry())
        except UserError as exc:
            show_error(str(exc), self)
            return
        self.context.broadcast(Changed.CONTACTS)
        super().accept()
