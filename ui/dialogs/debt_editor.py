"""The debt editor: starts from a product preset, every term editable, checked as the person types.

The checks are the services' own (``debt_from_json`` and, on saving,
``ValidationError.errors``), so the window and the command line share one set
of rules. Each message appears beside its field.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QSize, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from domain.debts import Debt, DebtKind, FieldError, Method, RateUnit
from resources.i18n import N_, _, get_language, tr
from ui import labels
from ui.context import Changed
from ui.models import WARNING_COLOUR
from ui.undo import debt_data
from ui.widgets import DateField, caption, fit_to_screen, plain_text, with_mnemonic

if TYPE_CHECKING:
    from ui.context import AppContext

FIELD_LABELS = {
    "kind": N_("Product"),
    "name": N_("Debt name"),
    "lender": N_("Lender"),
    "principal": N_("Amount borrowed"),
    "start_date": N_("Start date"),
    "method": N_("Repayment method"),
    "months": N_("Months"),
    "rate": N_("Interest rate (%)"),
    "rate_unit": N_("Rate per"),
    "fee_rate": N_("Monthly fee (% of amount borrowed)"),
    "due_day": N_("Due day of the month"),
    "grace_days": N_("Grace days"),
    "penalty_rate_multiplier": N_("Penalty rate (× interest rate)"),
    "late_fee_rate_per_day": N_("Late fee (% per day)"),
    "overdue_since": N_("First missed due date"),
    "overdue_amount": N_("Amount overdue"),
    "received_amount": N_("Amount actually received"),
    "instalments_paid": N_("Instalments already paid"),
    "outstanding_principal": N_("Principal still owed now"),
    "outstanding_as_of": N_("Principal still owed as of"),
}
# Alt+letter goes to the field (in Chinese the letter follows the caption: 产品(&P)). The few letters two
# captions share cycle between them, as Qt does.
MNEMONICS = {
    "kind": "P",
    "name": "N",
    "lender": "L",
    "principal": "E",
    "start_date": "S",
    "method": "M",
    "months": "T",
    "rate": "R",
    "rate_unit": "A",
    "fee_rate": "W",
    "due_day": "D",
    "grace_days": "G",
    "penalty_rate_multiplier": "Y",
    "late_fee_rate_per_day": "F",
    "overdue_since": "U",
    "overdue_amount": "O",
    "received_amount": "V",
    "instalments_paid": "I",
    "outstanding_principal": "C",
    "outstanding_as_of": "O",
}
OVERDUE_CHECK_MNEMONIC = "H"
# The editor's size: fits a 1024×768 screen with the taskbar (the groups scroll inside when it must).
EDITOR_SIZE = QSize(820, 680)
# A credit card reads as a card: its limit, statement balance, statement date and payment day.
CARD_LABELS = {
    "principal": N_("Credit limit"),
    "months": N_("Months to clear the balance"),
    "due_day": N_("Payment due day"),
    "outstanding_principal": N_("Statement balance"),
    "outstanding_as_of": N_("Statement date"),
}


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DebtEditor(QDialog):
    """Add (``debt=None``) or edit a debt. ``data()`` gives the contract's debt JSON."""

    def __init__(self, context: AppContext, debt: Debt | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("debtEditor")
        self.context = context
        self.debt = debt
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        # Fields the person has typed in: an empty field nobody touched yet is not "wrong".
        self.touched: set[str] = set()
        self._build()
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(150)
        self._check_timer.timeout.connect(self.validate)
        if debt is None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(DebtKind.JD_BAITIAO.value)))
            self.apply_preset()
        else:
            self.load(debt)
        self._connect()
        self.retranslate()
        self.validate()

    # --- layout -------------------------------------------------------------
    def _line(self, key: str) -> QLineEdit:
        w = QLineEdit(self)
        w.setObjectName(f"field_{key}")
        self.inputs[key] = w
        return w

    def _spin(self, key: str, low: int, high: int) -> QSpinBox:
        w = QSpinBox(self)
        w.setObjectName(f"field_{key}")
        w.setRange(low, high)
        self.inputs[key] = w
        return w

    def _date(self, key: str) -> QDateEdit:
        w = DateField(self)
        w.setObjectName(f"field_{key}")
        w.set_day(self.context.today())
        w.refused.connect(lambda _text, k=key: self._date_refused(k))
        self.inputs[key] = w
        return w

    def _date_refused(self, key: str) -> None:
        field = self.inputs[key]
        assert isinstance(field, DateField)
        self.errors[key].setText(field.problem)

    def _combo(self, key: str, items: list[tuple[str, str]]) -> QComboBox:
        w = QComboBox(self)
        w.setObjectName(f"field_{key}")
        for _text, value in items:
            w.addItem("", value)
        self.inputs[key] = w
        return w

    def _group(self) -> tuple[QGroupBox, QGridLayout]:
        """A group of fields: caption, field, message beside it (the two right columns share the width)."""
        group = QGroupBox(self)
        grid = QGridLayout(group)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)
        return group, grid

    def _row(self, form: QGridLayout, row: int, key: str, widget: QWidget) -> None:
        label = QLabel(self)
        label.setBuddy(widget)
        error = QLabel(self)
        error.setObjectName(f"error_{key}")
        error.setWordWrap(True)
        error.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
        error.setMinimumWidth(220)
        self.captions[key] = label
        self.errors[key] = error
        form.addWidget(label, row, 0)
        form.addWidget(widget, row, 1)
        form.addWidget(error, row, 2)

    def _build(self) -> None:
        fit_to_screen(self, EDITOR_SIZE)
        outer = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        outer.addWidget(self.intro)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields; the area follows the focus
        body = QWidget(scroll)
        scroll.setWidget(body)
        body_layout = QVBoxLayout(body)
        outer.addWidget(scroll, 1)

        self.kind = self._combo("kind", [("", k.value) for k in DebtKind])
        self.name = self._line("name")
        self.lender = self._line("lender")
        self.principal = self._line("principal")
        self.start_date = self._date("start_date")
        self.method = self._combo("method", [("", m.value) for m in Method])
        self.months = self._spin("months", 1, 600)
        self.rate = self._line("rate")
        self.rate_unit = self._combo("rate_unit", [("", u.value) for u in RateUnit])
        self.fee_rate = self._line("fee_rate")
        self.due_day = self._spin("due_day", 1, 31)
        self.grace_days = self._spin("grace_days", 0, 365)
        self.penalty = self._line("penalty_rate_multiplier")
        self.late_fee = self._line("late_fee_rate_per_day")
        self.overdue_check = QCheckBox(self)
        self.overdue_check.setObjectName("field_is_overdue")
        self.overdue_since = self._date("overdue_since")
        self.overdue_amount = self._line("overdue_amount")
        self.received = self._line("received_amount")
        self.instalments_paid = self._spin("instalments_paid", 0, 599)
        self.outstanding = self._line("outstanding_principal")
        self.outstanding_as_of = self._date("outstanding_as_of")

        self.group_basic, grid = self._group()
        for row, key in enumerate(("kind", "name", "lender", "principal", "start_date", "method", "months")):
            self._row(grid, row, key, self.inputs[key])
        body_layout.addWidget(self.group_basic)

        # Arrears right after the debt itself: the question most people entering a debt here must answer.
        self.group_overdue, grid = self._group()
        grid.addWidget(self.overdue_check, 0, 0, 1, 3)
        self._row(grid, 1, "overdue_since", self.overdue_since)
        self._row(grid, 2, "overdue_amount", self.overdue_amount)
        body_layout.addWidget(self.group_overdue)

        # Where the debt stands today (已还期数 / 当前剩余本金): entered mid-life, nothing is owed twice.
        self.group_standing, grid = self._group()
        self.standing_note = QLabel(self)
        self.standing_note.setWordWrap(True)
        grid.addWidget(self.standing_note, 0, 0, 1, 3)
        for row, key in enumerate(("instalments_paid", "outstanding_principal", "outstanding_as_of"), 1):
            self._row(grid, row, key, self.inputs[key])
        body_layout.addWidget(self.group_standing)

        self.group_terms, grid = self._group()
        self.preset_note = QLabel(self)
        self.preset_note.setWordWrap(True)
        grid.addWidget(self.preset_note, 0, 0, 1, 3)
        for row, key in enumerate(
            (
                "rate",
                "rate_unit",
                "fee_rate",
                "due_day",
                "grace_days",
                "penalty_rate_multiplier",
                "late_fee_rate_per_day",
                "received_amount",
            ),
            1,
        ):
            self._row(grid, row, key, self.inputs[key])
        body_layout.addWidget(self.group_terms)

        body_layout.addStretch(1)

        self.summary = QLabel(self)
        self.summary.setObjectName("errorSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
        outer.addWidget(self.summary)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)
        self.scroll = scroll
        self._tab_order()
        self._overdue_toggled()

    def _tab_order(self) -> None:
        """Tab follows the page: the debt, its arrears, where it stands, its terms, then the buttons."""
        order = ["kind", "name", "lender", "principal", "start_date", "method", "months"]
        chain: list[QWidget] = [self.inputs[k] for k in order]
        chain += [self.overdue_check, self.overdue_since, self.overdue_amount]
        chain += [
            self.inputs[k]
            for k in (
                "instalments_paid",
                "outstanding_principal",
                "outstanding_as_of",
                "rate",
                "rate_unit",
                "fee_rate",
                "due_day",
                "grace_days",
                "penalty_rate_multiplier",
                "late_fee_rate_per_day",
                "received_amount",
            )
        ]
        chain += list(self.buttons.buttons())
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if not getattr(self, "_focused", False):
            self._focused = True
            self.kind.setFocus(Qt.FocusReason.OtherFocusReason)  # the first field, ready for the keyboard

    def _connect(self) -> None:
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.overdue_check.toggled.connect(self._overdue_toggled)
        for w in self.inputs.values():
            if isinstance(w, QLineEdit):
                w.textEdited.connect(self._schedule_check)
            elif isinstance(w, QSpinBox):
                w.valueChanged.connect(self._schedule_check)
            elif isinstance(w, QDateEdit):
                w.dateChanged.connect(self._schedule_check)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self._schedule_check)
        self.overdue_check.toggled.connect(self._schedule_check)

    def retranslate(self) -> None:
        self.setWindowTitle(_("New debt") if self.debt is None else _("Edit debt"))
        self.intro.setText(
            _(
                "Choose the kind of product first: its usual terms are filled in. Then change "
                "anything that differs in your contract."
            )
        )
        self.group_basic.setTitle(_("The debt"))
        self.group_terms.setTitle(_("Terms (typical values: check your contract)"))
        self.group_overdue.setTitle(_("Arrears"))
        self.group_standing.setTitle(_("Where it stands today"))
        self.standing_note.setText(
            _(
                "Entering a debt that started earlier? Say how many instalments are already paid, or "
                "the principal the lender's app or statement shows and its date. Leave both as they are "
                "for a new debt."
            )
        )
        self.overdue_check.setText(
            with_mnemonic(_("I have already missed a payment on this debt"), OVERDUE_CHECK_MNEMONIC)
        )
        self._update_captions()
        for i in range(self.kind.count()):
            self.kind.setItemText(i, labels.kind_label(DebtKind(self.kind.itemData(i))))
        for i in range(self.method.count()):
            self.method.setItemText(i, labels.method_label(Method(self.method.itemData(i))))
        for i in range(self.rate_unit.count()):
            self.rate_unit.setItemText(i, _(labels.RATE_UNIT_LABELS[RateUnit(self.rate_unit.itemData(i))]))
        self.principal.setPlaceholderText(_("e.g. 12000.00"))
        self.received.setPlaceholderText(_("only if interest was taken in advance"))
        self.outstanding.setPlaceholderText(_("as the lender's app or statement shows it"))
        self._update_preset_note()

    def is_card(self) -> bool:
        return self.kind.currentData() == DebtKind.CREDIT_CARD.value

    def field_label(self, key: str) -> str:
        """The caption of a field, as a card's when the debt is a credit card."""
        if self.is_card() and key in CARD_LABELS:
            return _(CARD_LABELS[key])
        return _(FIELD_LABELS.get(key, key))

    def _update_captions(self) -> None:
        for key, label in self.captions.items():
            caption(label, self.field_label(key), MNEMONICS[key], self.inputs[key])
        # One caption column across the groups, so that every field starts at the same place.
        width = max(label.sizeHint().width() for label in self.captions.values())
        for label in self.captions.values():
            label.setFixedWidth(width)
        for key, label in self.errors.items():
            label.setAccessibleName(tr("Problem with {field}", field=plain_text(self.field_label(key))))
        card = self.is_card()
        # A card has no instalments of its own: its statement balance says where it stands.
        self.instalments_paid.setVisible(not card)
        self.captions["instalments_paid"].setVisible(not card)
        self.errors["instalments_paid"].setVisible(not card)

    # --- values -------------------------------------------------------------
    def _set_combo(self, combo: QComboBox, value: str) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def _kind_changed(self) -> None:
        self.apply_preset()
        self._update_captions()

    def apply_preset(self) -> None:
        """Fill the terms from the chosen product's preset (the person can change each)."""
        from resources.rules import product_presets

        kind = DebtKind(self.kind.currentData())
        preset = product_presets().get(kind)
        if preset is None:
            return
        if not self.name.text() or self.name.property("from_preset"):
            self.name.setText(preset.label(get_language()))
            self.name.setProperty("from_preset", True)
        if not self.lender.text() or self.lender.property("from_preset"):
            self.lender.setText(preset.lender)
            self.lender.setProperty("from_preset", True)
        self._set_combo(self.method, preset.method.value)
        self.months.setValue(preset.months)
        self.rate.setText(str(preset.rate))
        self._set_combo(self.rate_unit, preset.rate_unit.value)
        self.fee_rate.setText(str(preset.fee_rate))
        self.due_day.setValue(preset.due_day)
        self.grace_days.setValue(preset.grace_days)
        self.penalty.setText(str(preset.penalty_rate_multiplier))
        self.late_fee.setText(str(preset.late_fee_rate_per_day))
        self._update_preset_note()

    def _update_preset_note(self) -> None:
        from resources.rules import product_presets

        preset = product_presets().get(DebtKind(self.kind.currentData()))
        if preset is None:
            self.preset_note.setText("")
            return
        lang = get_language()
        sources = ("；" if lang.startswith("zh") else "; ").join(s.title_for(lang) for s in preset.sources)
        certainty = _("set by law") if preset.certainty == "law" else _("typical, per your contract")
        self.preset_note.setText(
            tr(
                "Filled in from the usual terms of {product} ({certainty}). Sources: {sources}",
                product=preset.label(lang),
                certainty=certainty,
                sources=sources,
            )
        )

    def load(self, debt: Debt) -> None:
        self._set_combo(self.kind, debt.kind.value)
        self.name.setText(debt.name)
        self.lender.setText(debt.lender)
        self.principal.setText(str(debt.principal))
        self.start_date.setDate(qdate(debt.start_date))
        self._set_combo(self.method, debt.method.value)
        self.months.setValue(debt.months)
        self.rate.setText(str(debt.rate))
        self._set_combo(self.rate_unit, debt.rate_unit.value)
        self.fee_rate.setText(str(debt.fee_rate))
        self.due_day.setValue(debt.due_day)
        self.grace_days.setValue(debt.grace_days)
        self.penalty.setText(str(debt.penalty_rate_multiplier))
        self.late_fee.setText(str(debt.late_fee_rate_per_day))
        self.overdue_check.setChecked(debt.overdue_since is not None)
        if debt.overdue_since is not None:
            self.overdue_since.setDate(qdate(debt.overdue_since))
        self.overdue_amount.setText("" if debt.overdue_amount is None else str(debt.overdue_amount))
        self.received.setText("" if debt.received_amount is None else str(debt.received_amount))
        self.instalments_paid.setValue(debt.instalments_paid)
        outstanding = debt.outstanding_principal
        self.outstanding.setText("" if outstanding is None else str(outstanding))
        if debt.outstanding_as_of is not None:
            self.outstanding_as_of.setDate(qdate(debt.outstanding_as_of))

    def _overdue_toggled(self) -> None:
        on = self.overdue_check.isChecked()
        self.overdue_since.setEnabled(on)
        self.overdue_amount.setEnabled(on)

    def data(self) -> dict[str, object]:
        """What the person typed, as the contract's debt JSON; the services check and convert it."""
        out: dict[str, object] = {
            "name": self.name.text().strip(),
            "lender": self.lender.text().strip(),
            "kind": self.kind.currentData(),
            "principal": self.principal.text().strip(),
            "start_date": pydate(self.start_date.date()).isoformat(),
            "method": self.method.currentData(),
            "months": self.months.value(),
            "rate": self.rate.text().strip(),
            "rate_unit": self.rate_unit.currentData(),
            "fee_rate": self.fee_rate.text().strip(),
            "due_day": self.due_day.value(),
            "grace_days": self.grace_days.value(),
            "penalty_rate_multiplier": self.penalty.text().strip(),
            "late_fee_rate_per_day": self.late_fee.text().strip(),
        }
        if self.overdue_check.isChecked():
            out["overdue_since"] = pydate(self.overdue_since.date()).isoformat()
            if self.overdue_amount.text().strip():
                out["overdue_amount"] = self.overdue_amount.text().strip()
        if self.received.text().strip():
            out["received_amount"] = self.received.text().strip()
        out["instalments_paid"] = 0 if self.is_card() else self.instalments_paid.value()
        if self.outstanding.text().strip():
            out["outstanding_principal"] = self.outstanding.text().strip()
            out["outstanding_as_of"] = pydate(self.outstanding_as_of.date()).isoformat()
        elif self.debt is not None:  # cleared on an existing debt: the stored figure goes too
            out["outstanding_principal"] = out["outstanding_as_of"] = None
        return out

    # --- checking -----------------------------------------------------------
    def _schedule_check(self, *_args: Any) -> None:
        sender = self.sender()
        if sender in (self.name, self.lender):
            sender.setProperty("from_preset", False)
        key = next((k for k, w in self.inputs.items() if w is sender), None)
        if key is not None:
            self.touched.add(key)
        self._check_timer.start()

    def validate(self) -> list[FieldError]:
        """Run the services' checks on what is typed now and show each message beside its field."""
        errors = check_debt_data(self.data())
        self.show_errors(errors, quiet_when_blank=True)
        return errors

    def _untouched_blank(self, key: str) -> bool:
        widget = self.inputs.get(key)
        return key not in self.touched and isinstance(widget, QLineEdit) and not widget.text().strip()

    def show_errors(
        self, errors: list[FieldError] | tuple[FieldError, ...], quiet_when_blank: bool = False
    ) -> None:
        """Each message beside its field; ``quiet_when_blank`` only names fields not yet filled in."""
        by_field: dict[str, list[str]] = {}
        to_fill: list[str] = []
        for e in errors:
            if quiet_when_blank and self._untouched_blank(e.field):
                if self.field_label(e.field) not in to_fill:
                    to_fill.append(self.field_label(e.field))
                continue
            by_field.setdefault(e.field, []).append(tr(e.message, **dict(e.params)))
        unplaced = []
        for key, label in self.errors.items():
            label.setText("\n".join(by_field.pop(key, [])))
        for key, messages in by_field.items():
            unplaced.extend(f"{self.field_label(key)}: {m}" for m in messages)
        if to_fill:
            separator = "、" if get_language().startswith("zh") else ", "
            unplaced.append(tr("To save, fill in: {fields}", fields=separator.join(to_fill)))
        self.summary.setText("\n".join(unplaced))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not errors)

    def accept(self) -> None:
        from services.errors import ValidationError
        from ui.undo import AddDebt, UpdateDebt, undo_stack

        data = self.data()
        services = self.context.services
        try:
            if self.debt is None:
                debt_id = services.add_debt(data)
                command: Any = AddDebt(
                    self.context, tr("Add debt “{name}”", name=data["name"]), debt_id, data
                )
                self.saved_id = debt_id
            else:
                assert self.debt.id is not None
                before = debt_data(self.debt)
                services.update_debt(self.debt.id, data)
                command = UpdateDebt(
                    self.context, tr("Edit debt “{name}”", name=data["name"]), self.debt.id, before, data
                )
                self.saved_id = self.debt.id
        except ValidationError as exc:
            self.show_errors(list(exc.errors))
            return
        undo_stack(self.context).push(command)
        self.context.broadcast(Changed.DEBTS)
        super().accept()


def check_debt_data(data: dict[str, object]) -> list[FieldError]:
    """The same checks ``Services.add_debt`` runs, without writing anything."""
    from domain.validation import check_debt

    _debt, errors = check_debt(data, allow_status=True)
    return list(errors)
