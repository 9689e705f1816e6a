"""The letters page: choose a debt and a kind of letter, edit its wording, save or print the PDF.

The letter is composed by services.letters; the person edits the wording as
plain text (tables stay in place as ``[[table N]]`` lines); the PDF is made from
the edited text on a worker thread, then saved or printed through the system
dialog. Before a letter that acknowledges the debt is saved or printed, the page
shows the limitation-period warning and asks for confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from domain.debts import Budget
from resources.i18n import _, format_date, get_language, tr
from ui.context import Changed
from ui.models import WARNING_COLOUR
from ui.pages.base import title_label
from ui.widgets import caption, with_mnemonic

if TYPE_CHECKING:
    from documents.letters import Letter
    from services.letters import LimitationWarning
    from ui.context import AppContext

LANG_CHOICES = (("zh_CN", "中文"), ("en_US", "English"))
LOUD = "background:#fff4ce;border:1px solid #e0b100;padding:6px;"
QUIET = ""  # a note in the page's own text colour
# Alt+letter for the person's details (the page's other captions and buttons have theirs in retranslate).
PERSON_MNEMONICS = {"name": "N", "id_number": "I", "phone": "T", "address": "A", "city": "C", "email": "E"}


@dataclass
class _Draft:
    letter: Letter
    warning: LimitationWarning | None
    confirmed: bool = False


class LettersPage(QWidget):
    """Page "Letters" of the main window."""

    pdf_ready = Signal(bytes)  # tests wait on this
    #: the changes that concern this page
    listens_to: ClassVar[Changed] = Changed.DEBTS | Changed.CONTACTS | Changed.SETTINGS | Changed.BUDGET

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._draft: _Draft | None = None
        self._pending = 0  # PDFs being made
        self._build()
        self._connect_callbacks()
        self.retranslate()
        self.refresh()
        self._load_person()

    # --- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        self.debt_box = QComboBox()
        self.kind_box = QComboBox()
        self.lang_box = QComboBox()
        for code, label in LANG_CHOICES:
            self.lang_box.addItem(label, code)
        self.lang_box.setCurrentIndex(max(self.lang_box.findData(get_language()), 0))
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
        # What happened: asked for here, beside the letter that states it (hardship, negotiation).
        self.cause = QPlainTextEdit()
        self.cause.setObjectName("field_cause")
        self.cause.setMaximumHeight(60)
        self.cause.setTabChangesFocus(True)
        self.cause_label = QLabel()
        self.cause_label.setBuddy(self.cause)
        self.cause_error = QLabel()
        self.cause_error.setObjectName("error_cause")
        self.cause_error.setWordWrap(True)
        self.cause_error.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
        self.cause_error.hide()
        self.form.addRow(self.cause_label, self.cause)
        self.form.addRow("", self.cause_error)
        # The person's own details: kept as settings, asked for here where they are needed.
        self.details = QGroupBox()
        self.details.setCheckable(True)
        self.details.setChecked(False)
        details_form = QFormLayout(self.details)
        self.person_fields: dict[str, QLineEdit] = {}
        self.person_labels: dict[str, QLabel] = {}
        for key in ("name", "id_number", "phone", "address", "city", "email"):
            self.person_fields[key] = QLineEdit()
            self.person_labels[key] = QLabel()
            details_form.addRow(self.person_labels[key], self.person_fields[key])
        self.evidence = QPlainTextEdit()
        self.evidence.setMaximumHeight(60)
        self.evidence_label = QLabel()
        details_form.addRow(self.evidence_label, self.evidence)
        self.details.toggled.connect(self._show_details)
        self._show_details(False)
        self.preview_button = QPushButton()
        self.warning = QLabel()
        self.warning.setObjectName("limitationNote")
        self.warning.setWordWrap(True)
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
        self.title = title_label(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        layout.addWidget(self.warning)
        layout.addWidget(self.hint)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        self._set_ready(False)

    def _connect_callbacks(self) -> None:
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(lambda _checked=False: self.save_pdf())
        self.print_button.clicked.connect(self.print_letter)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.debt_box.currentIndexChanged.connect(self._debt_changed)
        self.context.changed.connect(self._on_changed)
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
        self.title.setText(_("Letters"))
        caption(self.debt_label, _("Debt"), "D", self.debt_box)
        caption(self.kind_label, _("Letter"), "L", self.kind_box)
        caption(self.lang_label, _("Language of the letter"), "G", self.lang_box)
        self.show_id.setText(_("Show my full ID number (masked by default)"))
        self.details.setTitle(_("My details (kept on this computer)"))
        labels = {
            "name": _("Full name"),
            "id_number": _("ID number"),
            "phone": _("Telephone"),
            "address": _("Address"),
            "city": _("City (for the date line)"),
            "email": _("Email"),
        }
        for key, label in labels.items():
            caption(self.person_labels[key], label, PERSON_MNEMONICS[key], self.person_fields[key])
        self.cause_label.setText(_("What happened (in your words)"))
        self.cause.setPlaceholderText(
            _("For example: lost my job in March 2026 and have lived on savings since.")
        )
        self.evidence_label.setText(_("Evidence I enclose, one per line (empty: a standard list)"))
        self.editor.setPlaceholderText(
            _("Choose a debt and a kind of letter, then press “Write the letter”.")
        )
        self.contacts_label.setText(_("Contacts to complain about"))
        self.editor.setAccessibleName(_("Wording of the letter"))
        self.preview_button.setText(with_mnemonic(_("Write the letter"), "W"))
        self.save_button.setText(with_mnemonic(_("Save PDF…"), "S"))
        self.print_button.setText(with_mnemonic(_("Print…"), "P"))
        self.hint.setText(
            _(
                "Edit the wording as you like. Lines such as [[table 1]] keep a table in place. "
                "Keep a copy of everything you send."
            )
        )
        self._kind_changed()

    # --- data -----------------------------------------------------------------------
    def _show_details(self, shown: bool) -> None:
        for child in self.details.findChildren(QWidget):
            child.setVisible(shown)
        self.details.setFlat(not shown)

    def _load_person(self) -> None:
        from services.letters import CAUSE_KEY, EVIDENCE_KEY, person_details

        svc = self.context.services
        person = person_details(svc)
        for key, field in self.person_fields.items():
            field.setText(getattr(person, key))
        self.cause.setPlainText(str(svc.get_setting(CAUSE_KEY, "") or ""))
        self.evidence.setPlainText(str(svc.get_setting(EVIDENCE_KEY, "") or ""))
        if not person.name:
            self.details.setChecked(True)

    def _save_person(self) -> None:
        """Keep edited details as settings (one write, only when something changed)."""
        from services.letters import CAUSE_KEY, EVIDENCE_KEY, Person, person_details, save_person

        svc = self.context.services
        person = Person(**{key: field.text().strip() for key, field in self.person_fields.items()})
        cause = self.cause.toPlainText().strip()
        evidence = self.evidence.toPlainText().strip()
        if (
            person != person_details(svc)
            or cause != str(svc.get_setting(CAUSE_KEY, "") or "")
            or evidence != str(svc.get_setting(EVIDENCE_KEY, "") or "")
        ):
            save_person(svc, person, cause)
            svc.set_setting(EVIDENCE_KEY, evidence)
            self.context.broadcast(Changed.SETTINGS)

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

    def _on_changed(self, changes: Changed) -> None:
        if changes & self.listens_to:
            self.refresh()
        if changes & Changed.SETTINGS:
            self._load_person()

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
        from services.letters import CAUSE_USED_KINDS

        kind = self.kind_box.currentData()
        complaint = kind == "complaint"
        self.contacts.setVisible(complaint)
        self.contacts_label.setVisible(complaint)
        cause = kind in CAUSE_USED_KINDS
        self.cause.setVisible(cause)
        self.cause_label.setVisible(cause)
        self.cause_error.setVisible(cause and bool(self.cause_error.text()))

    def _chosen_contacts(self) -> list[int]:
        return [
            self.contacts.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.contacts.count())
            if self.contacts.item(i).checkState() == Qt.CheckState.Checked
        ]

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
        if not self._has_what_it_states(kind):
            return
        try:
            self._save_person()
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
        # Proportionate: a question before saving only when the period may have ended or ends within
        # six months; years ahead, a quiet note is enough.
        self.warning.setVisible(warning is not None)
        self.warning.setText(warning.text if warning else "")
        self.warning.setStyleSheet(LOUD if warning is not None and warning.ask else QUIET)
        self.status.setText("")
        self._set_ready(True)

    def _has_what_it_states(self, kind: str) -> bool:
        """Ask for what the letter would otherwise state as nothing: income and expenses (a question
        now), the cause (the field, with a message beside it). False: not written this time."""
        from services.letters import missing_details

        svc = self.context.services
        cause = self.cause.toPlainText()
        missing = missing_details(svc, kind, cause=cause)
        if "income" in missing or "expenses" in missing:
            asked = BudgetQuestion(svc.get_budget(), self)
            if not asked.exec():
                return False
            from services.planning import save_budget

            save_budget(svc, asked.budget, no_income=asked.no_income.isChecked())
            self.context.broadcast(Changed.BUDGET)
            missing = missing_details(svc, kind, cause=cause)
        self.cause_error.setText(
            _("Write in a few sentences what happened and when: the hardship letter is built on it.")
            if "cause" in missing
            else ""
        )
        self.cause_error.setVisible("cause" in missing)
        if "cause" in missing:
            self.cause.setFocus()
        return not missing

    def edited_letter(self) -> Letter | None:
        from documents.letters import letter_from_text

        if self._draft is None:
            return None
        return letter_from_text(self._draft.letter, self.editor.toPlainText())

    def _confirmed(self) -> bool:
        draft = self._draft
        if draft is None:
            return False
        if draft.warning is None or not draft.warning.ask or draft.confirmed:
            return True
        answer = QMessageBox.question(
            self,
            _("Before you send this letter"),
            draft.warning.text + "\n\n" + _("Make the letter anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        draft.confirmed = answer == QMessageBox.StandardButton.Yes
        return draft.confirmed

    def render_async(self, then: Any, target: str | None = None) -> None:
        """Render the edited letter off the GUI thread (and save it to ``target``), then call
        ``then(pdf_bytes)`` on the GUI thread."""
        from documents.letters import render_letter
        from fileio.atomic import atomic_write_bytes
        from ui.ops import Op

        letter = self.edited_letter()
        if letter is None:
            return
        self._pending += 1

        def make(_services: Any) -> bytes:
            data = render_letter(letter)
            if target is not None:
                atomic_write_bytes(target, data)  # whole or not at all, and private (name, ID, address)
            return data

        def finished(data: object) -> None:
            self._pending -= 1
            self._set_ready(True)
            self.status.setText("")
            self.pdf_ready.emit(data)
            then(data)

        def failed(exc: BaseException) -> bool:
            from ui.ops import known_problem

            self._pending -= 1
            self._set_ready(True)
            self.status.setText("")
            reason = known_problem(exc)
            if reason is not None:
                QMessageBox.critical(
                    self, _("Letters"), _("The PDF could not be made: {reason}").format(reason=reason)
                )
            return reason is not None  # a bug goes on to the crash report

        self._set_ready(False)
        self.status.setText(_("Making the PDF…"))
        Op(
            self,
            self.context,
            make,
            on_success=finished,
            on_failure=failed,
            title=_("The PDF could not be made"),
            progress=_("Making the PDF…"),
        ).run_in_background()

    def save_pdf(self, path: str | None = None) -> None:
        if not self._confirmed():
            return
        if not path:
            from ui.files import ask_save_path

            draft = self._draft
            chosen = ask_save_path(
                self,
                _("Save the letter"),
                kind=draft.letter.kind if draft else "letter",
                day=draft.letter.date if draft else self.context.today(),
                suffix="pdf",
                name_filter=_("PDF files (*.pdf)"),
            )
            if chosen is None:
                return
            path = str(chosen)
        target = path

        def written(_data: bytes) -> None:
            self.status.setText(_("Saved {path}. Keep a copy of what you send.").format(path=target))

        self.render_async(written, target)

    def print_letter(self) -> None:
        if not self._confirmed():
            return
        try:
            import PySide6.QtPdf  # noqa: F401 - only to know whether the PDF can be rasterised
        except ImportError:
            self._print_document()  # without QtPdf: print the same letter laid out by Qt
            return
        self.render_async(self._print_pdf)

    def _ask_printer(self) -> Any:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    def _print_pdf(self, data: bytes) -> None:
        printer = self._ask_printer()
        if printer is not None:
            self.print_to(printer, data)
            self.status.setText(_("Sent to the printer. Keep a copy of what you send."))

    def _print_document(self) -> None:
        printer = self._ask_printer()
        if printer is not None:
            self.print_document_to(printer)
            self.status.setText(_("Sent to the printer. Keep a copy of what you send."))

    def print_document_to(self, printer: Any) -> None:
        """Print the edited letter as a Qt text document (same wording and tables as the PDF)."""
        from PySide6.QtGui import QFont, QFontDatabase, QTextDocument

        from documents.letters import letter_to_html
        from resources import CJK_FONT, CJK_FONT_FAMILY

        if CJK_FONT_FAMILY not in QFontDatabase.families():
            QFontDatabase.addApplicationFont(str(CJK_FONT))  # the window loads it; a bare page may not

        from documents.letters import UnfilledPlaceholder, check_filled

        letter = self.edited_letter()
        if letter is None:
            return
        try:
            check_filled(letter)  # printed like the PDF: never with text left to fill in
        except UnfilledPlaceholder as exc:
            QMessageBox.warning(self, _("Letters"), str(exc))
            return
        document = QTextDocument(self)
        document.setDefaultFont(QFont(CJK_FONT_FAMILY, 10))
        document.setHtml(letter_to_html(letter))
        document.print_(printer)

    def print_to(self, printer: Any, data: bytes) -> int:
        """Paint each page of the PDF onto ``printer`` (needs QtPdf); returns the page count."""
        from ui.commands import print_pdf

        return print_pdf(printer, data, self)


class BudgetQuestion(QDialog):
    """Asks for the monthly income and essential expenses a letter states, when none are saved.

    What is already saved stays: only the missing part is asked, and the expenses given here
    stand as one category (the budget page can split them later).
    """

    def __init__(self, saved: Budget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterBudgetQuestion")
        self.setWindowTitle(_("Before the letter: your monthly budget"))
        self.saved = saved
        self.budget = saved
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "This letter tells the lender what you earn and what you must spend each month, "
                "and offers what is left. Enter them once; they are kept as your budget."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.income = QLineEdit(str(saved.income) if saved.income > 0 else "")
        self.income.setObjectName("field_income")
        self.expenses = QLineEdit(str(saved.essential_total) if saved.essential_total > 0 else "")
        self.expenses.setObjectName("field_expenses")
        self.expenses.setEnabled(saved.essential_total <= 0)  # saved categories are edited on the budget page
        # Someone out of work has an income of nothing: that is an answer, and the letter says so.
        self.no_income = QCheckBox(with_mnemonic(_("I have no income at the moment"), "N"))
        self.no_income.setObjectName("field_no_income")
        self.no_income.toggled.connect(self._no_income_toggled)
        form.addRow(_("Income after tax"), self.income)
        form.addRow("", self.no_income)
        form.addRow(_("Essential expenses in total"), self.expenses)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("error_budget")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        (self.income if saved.income <= 0 else self.expenses).setFocus()

    def _no_income_toggled(self, checked: bool) -> None:
        if checked:
            self.income.clear()
        self.income.setEnabled(not checked)
        self.error.setText("")

    def accept(self) -> None:
        from decimal import Decimal

        from domain.money import MoneyError, parse_amount

        amounts = []
        for field, name in (
            (self.income, _("Income after tax")),
            (self.expenses, _("Essential expenses in total")),
        ):
            if field is self.income and self.no_income.isChecked():
                amounts.append(Decimal("0"))
                continue
            try:
                amount = parse_amount(field.text())
            except (MoneyError, ValueError):
                amount = None
            if amount is None or amount <= 0:
                if field is self.income:
                    self.error.setText(
                        _(
                            "Income after tax: enter an amount above zero, such as 3500, or tick "
                            "“I have no income at the moment”."
                        )
                    )
                else:
                    self.error.setText(tr("{field}: enter an amount above zero, such as 3500.", field=name))
                field.setFocus()
                return
            amounts.append(amount)
        income, expenses = amounts
        kept = (
            dict(self.saved.expenses)
            if self.saved.essential_total > 0
            else {_("Essential spending"): expenses}
        )
        self.budget = Budget(income=income, expenses=kept)
        super().accept()
