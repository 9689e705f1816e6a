"""The letters page: choose a debt and a kind of letter, edit its wording, save or print the PDF.

The letter is composed by services.letters; the person edits the wording as
plain text (tables stay in place as ``[[table N]]`` lines); the PDF is made from
the edited text on a worker thread, then saved or printed through the system
dialog. Before a letter that acknowledges the debt is saved or printed, the page
shows the limitation-period warning and asks for confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import _, format_date, get_language

if TYPE_CHECKING:
    from documents.letters import Letter
    from services.letters import LimitationWarning
    from ui.context import AppContext

LANG_CHOICES = (("zh_CN", "中文"), ("en_US", "English"))


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _RenderJob(QRunnable):
    """Render a letter to PDF bytes off the UI thread; the worker touches no widget."""

    def __init__(self, letter: Letter) -> None:
        super().__init__()
        self.letter = letter
        self.signals = _Signals()

    def run(self) -> None:
        from documents.letters import render_letter

        try:
            self.signals.done.emit(render_letter(self.letter))
        except Exception as exc:  # noqa: BLE001 - reported to the person, not swallowed
            self.signals.failed.emit(str(exc))


@dataclass
class _Draft:
    letter: Letter
    warning: LimitationWarning | None
    confirmed: bool = False


class LettersPage(QWidget):
    """Page "Letters" of the main window."""

    pdf_ready = Signal(bytes)  # tests wait on this

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._draft: _Draft | None = None
        self._jobs: list[_RenderJob] = []
        self._build()
        self._connect_callbacks()
        self.retranslate()
        self.refresh()

    # --- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        self.debt_box = QComboBox()
        self.kind_box = QComboBox()
        self.lang_box = QComboBox()
        for code, label in LANG_CHOICES:
            self.lang_box.addItem(label, code)
        self.show_id = QCheckBox()
        self.contacts = QListWidget()
        self.contacts.setMaximumHeight(120)
        self.contacts_label = QLabel()
        self.form = QFormLayout()
        self.debt_label, self.kind_label, self.lang_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.debt_label, self.debt_box)
        self.form.addRow(self.kind_label, self.kind_box)
        self.form.addRow(self.lang_label, self.lang_box)
        self.form.addRow("", self.show_id)
        self.form.addRow(self.contacts_label, self.contacts)
        self.preview_button = QPushButton()
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background:#fff4ce;border:1px solid #e0b100;padding:6px;")
        self.warning.hide()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.save_button = QPushButton()
        self.print_button = QPushButton()
        self.status = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.warning)
        layout.addWidget(self.hint)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        self._set_ready(False)

    def _connect_callbacks(self) -> None:
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_letter)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.debt_box.currentIndexChanged.connect(self._debt_changed)
        self.context.data_changed.connect(self._data_changed)
        self.context.language_changed.connect(lambda _lang: self.retranslate())

    def retranslate(self) -> None:
        from services.letters import KIND_LABELS

        current = self.kind_box.currentData()
        self.kind_box.blockSignals(True)
        self.kind_box.clear()
        for key, label in KIND_LABELS.items():
            self.kind_box.addItem(_(label), key)
        index = self.kind_box.findData(current)
        self.kind_box.setCurrentIndex(max(index, 0))
        self.kind_box.blockSignals(False)
        self.debt_label.setText(_("Debt"))
        self.kind_label.setText(_("Letter"))
        self.lang_label.setText(_("Language of the letter"))
        self.show_id.setText(_("Show my full ID number (masked by default)"))
        self.contacts_label.setText(_("Contacts to complain about"))
        self.preview_button.setText(_("Write the letter"))
        self.save_button.setText(_("Save PDF…"))
        self.print_button.setText(_("Print…"))
        self.hint.setText(_("Edit the wording as you like. Lines such as [[table 1]] keep a table in place. "
                            "Keep a copy of everything you send."))
        self._kind_changed()

    # --- data -----------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.debt_box.currentData()
        self.debt_box.blockSignals(True)
        self.debt_box.clear()
        for debt in self.context.services.list_debts(include_archived=False):
            self.debt_box.addItem(f"{debt.name} · {debt.lender}", debt.id)
        index = self.debt_box.findData(current)
        self.debt_box.setCurrentIndex(max(index, 0))
        self.debt_box.blockSignals(False)
        self._debt_changed()

    def _data_changed(self, what: str) -> None:
        if what in ("debts", "contacts", "all", "settings", "budget"):
            self.refresh()

    def _debt_changed(self) -> None:
        self.contacts.clear()
        debt_id = self.debt_box.currentData()
        if debt_id is None:
            return
        from services.letters import contact_rules

        logged = self.context.services.list_contacts(debt_id)
        broken = contact_rules(self.context.services, debt_id)
        lang = get_language()
        for entry in sorted(logged, key=lambda e: e.when):
            rules = broken.get(entry.id, ())
            when = f"{format_date(entry.when.date(), lang)} {entry.when:%H:%M}"
            text = f"{when} · {entry.who} · {entry.summary}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if rules else Qt.CheckState.Unchecked)
            item.setToolTip("\n".join(rules))
            self.contacts.addItem(item)

    def _kind_changed(self) -> None:
        complaint = self.kind_box.currentData() == "complaint"
        self.contacts.setVisible(complaint)
        self.contacts_label.setVisible(complaint)

    def _chosen_contacts(self) -> list[int]:
        return [self.contacts.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.contacts.count())
                if self.contacts.item(i).checkState() == Qt.CheckState.Checked]

    def _set_ready(self, ready: bool) -> None:
        self.save_button.setEnabled(ready)
        self.print_button.setEnabled(ready)

    # --- actions --------------------------------------------------------------------
    def preview(self) -> None:
        """Compose the letter from the database and show its wording for editing."""
        from documents.letters import letter_to_text
        from services import letters
        from services.errors import UserError

        debt_id = self.debt_box.currentData()
        if debt_id is None:
            QMessageBox.information(self, _("Letters"), _("Add a debt first."))
            return
        kind = self.kind_box.currentData()
        lang = self.lang_box.currentData()
        as_of = self.context.today()
        svc = self.context.services
        try:
            options: dict[str, Any] = {"mask_id": not self.show_id.isChecked()}
            if kind == "complaint":
                options["contact_ids"] = self._chosen_contacts()
            letter = letters.make_letter(svc, debt_id, kind, lang, as_of, **options)
            warning = letters.letter_warning(svc, debt_id, kind, as_of, get_language())
        except UserError as exc:
            QMessageBox.warning(self, _("Letters"), exc.message)
            return
        self._draft = _Draft(letter, warning)
        self.editor.setPlainText(letter_to_text(letter))
        self.warning.setVisible(warning is not None)
        self.warning.setText(warning.text if warning else "")
        self.status.setText("")
        self._set_ready(True)

    def edited_letter(self) -> Letter | None:
        from documents.letters import letter_from_text

        if self._draft is None:
            return None
        return letter_from_text(self._draft.letter, self.editor.toPlainText())

    def _confirmed(self) -> bool:
        draft = self._draft
        if draft is None:
            return False
        if draft.warning is None or draft.confirmed:
            return True
        answer = QMessageBox.question(
            self, _("Before you send this letter"),
            draft.warning.text + "\n\n" + _("Make the letter anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        draft.confirmed = answer == QMessageBox.StandardButton.Yes
        return draft.confirmed

    def render_async(self, then: Any) -> None:
        """Render the edited letter on the thread pool, then call ``then(pdf_bytes)`` on this thread."""
        letter = self.edited_letter()
        if letter is None:
            return
        job = _RenderJob(letter)
        self._jobs.append(job)

        def finished(data: object) -> None:
            self._jobs.remove(job)
            self._set_ready(True)
            self.status.setText("")
            self.pdf_ready.emit(data)
            then(data)

        def failed(message: str) -> None:
            self._jobs.remove(job)
            self._set_ready(True)
            QMessageBox.critical(self, _("Letters"), _("The PDF could not be made: {reason}").format(
                reason=message))

        job.signals.done.connect(finished, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        self._set_ready(False)
        self.status.setText(_("Making the PDF…"))
        QThreadPool.globalInstance().start(job)

    def save_pdf(self, path: str | None = None) -> None:
        if not self._confirmed():
            return
        if not path:
            path, _filter = QFileDialog.getSaveFileName(self, _("Save the letter"), self._suggested_name(),
                                                        _("PDF files (*.pdf)"))
            if not path:
                return
        target = path

        def write(data: bytes) -> None:
            try:
                with open(target, "wb") as fh:
                    fh.write(data)
            except OSError as exc:
                QMessageBox.warning(self, _("Letters"), _("Cannot write {path}: {reason}").format(
                    path=target, reason=exc.strerror or str(exc)))
                return
            self.status.setText(_("Saved {path}. Keep a copy of what you send.").format(path=target))

        self.render_async(write)

    def _suggested_name(self) -> str:
        draft = self._draft
        if draft is None:
            return "letter.pdf"
        return f"{draft.letter.kind}-{draft.letter.date:%Y%m%d}.pdf"

    def print_letter(self) -> None:
        if not self._confirmed():
            return
        self.render_async(self._print_pdf)

    def _print_pdf(self, data: bytes) -> None:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
        from PySide6.QtGui import QPainter
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument(self)
        document.load(buffer)
        painter = QPainter(printer)
        try:
            for page in range(document.pageCount()):
                if page:
                    printer.newPage()
                area = printer.pageLayout().paintRectPixels(printer.resolution())
                image = document.render(page, QSize(area.width(), area.height()))
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
        self.status.setText(_("Sent to the printer. Keep a copy of what you send."))
