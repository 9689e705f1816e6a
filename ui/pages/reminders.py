"""The Reminders page: coming dues, when to be reminded (per debt or by default), calendar export, start-up.

Reads and writes through ``services.reminders`` and ``services.autostart``;
formats with resources.i18n. Double-clicking a due asks the window to record a
payment for it: ``record_payment_requested(debt_id)``, and the window's
``context.extras["record_payment"]`` when it has registered one.
"""

from __future__ import annotations

import logging
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTime, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import _, format_date, format_money, tr
from ui.context import Changed

if TYPE_CHECKING:
    from domain.reminders import Due, ReminderRule
    from ui.context import AppContext

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
# The two "days before" choices the editor offers; other days kept in a rule survive an edit.
EDITOR_DAYS = (3, 1)
DEFAULT_WINDOW_DAYS = 30


class DuesModel(QAbstractTableModel):
    """Coming dues, one row each: debt, due date, amount, when."""

    COLUMNS = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dues: list[Due] = []
        self._today = date(2000, 1, 1)

    def set_dues(self, dues: list[Due], today: date) -> None:
        self.beginResetModel()
        self._dues = list(dues)
        self._today = today
        self.endResetModel()

    def due_at(self, row: int) -> Due:
        return self._dues[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._dues)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < self.COLUMNS:
            return None
        return (_("Debt"), _("Due date"), _("Amount"), _("When"))[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._dues):
            return None
        from services.reminders import when_text

        due = self._dues[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return due.name
            if column == 1:
                return format_date(due.due_date)
            if column == 2:
                return format_money(due.amount)
            if column == 3:
                return when_text(due, self._today)
        if role == Qt.ItemDataRole.ForegroundRole and due.overdue:
            return QBrush(QColor("#b03a2e"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return due.debt_id
        return None


class RemindersPage(QWidget):
    record_payment_requested = Signal(int)
    #: the changes that concern this page
    listens_to: ClassVar[Changed] = Changed.DEBTS | Changed.PAYMENTS | Changed.REMINDERS | Changed.SETTINGS

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._loading = False
        self._build()
        self._connect_callbacks()
        self.retranslate()
        self.refresh()

    # --- layout --------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.title.setFont(font)
        outer.addWidget(self.title)

        window_row = QHBoxLayout()
        self.window_label = QLabel(self)
        self.window_days = QSpinBox(self)
        self.window_days.setRange(1, 366)
        self.window_days.setValue(DEFAULT_WINDOW_DAYS)
        window_row.addWidget(self.window_label)
        window_row.addWidget(self.window_days)
        window_row.addStretch(1)
        outer.addLayout(window_row)

        self.model = DuesModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel(self)
        outer.addWidget(self.table, 1)
        outer.addWidget(self.empty_label)
        self.record_button = QPushButton(self)
        self.record_button.setEnabled(False)
        outer.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignLeft)

        lower = QHBoxLayout()
        self.rules_box = QGroupBox(self)
        form = QFormLayout(self.rules_box)
        self.debt_combo = QComboBox(self.rules_box)
        self.debt_label = QLabel(self.rules_box)
        form.addRow(self.debt_label, self.debt_combo)
        self.follow_defaults = QCheckBox(self.rules_box)
        form.addRow(self.follow_defaults)
        self.day_boxes = {days: QCheckBox(self.rules_box) for days in EDITOR_DAYS}
        for box in self.day_boxes.values():
            form.addRow(box)
        self.due_day_box = QCheckBox(self.rules_box)
        self.overdue_box = QCheckBox(self.rules_box)
        form.addRow(self.due_day_box)
        form.addRow(self.overdue_box)
        self.at_label = QLabel(self.rules_box)
        self.at_edit = QTimeEdit(self.rules_box)
        self.at_edit.setDisplayFormat("HH:mm")
        form.addRow(self.at_label, self.at_edit)
        self.save_button = QPushButton(self.rules_box)
        form.addRow(self.save_button)
        lower.addWidget(self.rules_box, 1)

        side = QVBoxLayout()
        self.calendar_box = QGroupBox(self)
        cal = QVBoxLayout(self.calendar_box)
        self.calendar_help = QLabel(self.calendar_box)
        self.calendar_help.setWordWrap(True)
        self.export_button = QPushButton(self.calendar_box)
        cal.addWidget(self.calendar_help)
        cal.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeft)
        side.addWidget(self.calendar_box)
        self.startup_box = QGroupBox(self)
        start = QVBoxLayout(self.startup_box)
        self.autostart_box = QCheckBox(self.startup_box)
        self.tray_box = QCheckBox(self.startup_box)
        start.addWidget(self.autostart_box)
        start.addWidget(self.tray_box)
        side.addWidget(self.startup_box)
        side.addStretch(1)
        lower.addLayout(side, 1)
        outer.addLayout(lower)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        outer.addWidget(self.status)

    def _connect_callbacks(self) -> None:
        self.window_days.valueChanged.connect(lambda _v: self.refresh_dues())
        self.table.doubleClicked.connect(self._record_index)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_a: self.record_button.setEnabled(self.selected_debt_id() is not None)
        )
        self.record_button.clicked.connect(self._record_selected)
        self.debt_combo.currentIndexChanged.connect(lambda _i: self._load_rule())
        self.follow_defaults.toggled.connect(self._follow_toggled)
        self.save_button.clicked.connect(self.save_rule)
        self.export_button.clicked.connect(lambda _checked=False: self.export_calendar())
        self.autostart_box.toggled.connect(self.set_autostart)
        self.tray_box.toggled.connect(self.set_close_to_tray)
        self.context.changed.connect(self._on_changed)
        self.context.language_changed.connect(lambda _lang: self.retranslate())

    def retranslate(self) -> None:
        self.title.setText(_("Reminders"))
        self.window_label.setText(_("Dues in the next days:"))
        self.window_days.setSuffix(" " + _("days"))
        self.window_label.setBuddy(self.window_days)
        self.table.setAccessibleName(_("Dues in the next days"))
        self.record_button.setText(_("Record payment"))
        self.rules_box.setTitle(_("When to remind me"))
        self.debt_label.setText(_("For"))
        self.follow_defaults.setText(_("Same as the defaults"))
        self.day_boxes[3].setText(_("3 days before"))
        self.day_boxes[1].setText(_("1 day before"))
        self.due_day_box.setText(_("On the due day"))
        self.overdue_box.setText(_("Every day while overdue"))
        self.at_label.setText(_("At"))
        self.save_button.setText(_("Save"))
        self.calendar_box.setTitle(_("Calendar"))
        self.calendar_help.setText(
            _(
                "Put every due date, with alarms, into your calendar program. "
                "Export again after changes: the events are updated, not doubled."
            )
        )
        self.export_button.setText(_("Export due dates (.ics)…"))
        self.startup_box.setTitle(_("Start-up"))
        self.autostart_box.setText(_("Start DebtKeeper when I log in"))
        self.tray_box.setText(_("Keep running in the tray when the window is closed"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, DuesModel.COLUMNS - 1)
        self.refresh()

    # --- data ----------------------------------------------------------------------

    def _on_changed(self, changes: Changed) -> None:
        if changes & self.listens_to:
            self.refresh()

    def refresh(self) -> None:
        self.refresh_dues()
        self._load_debts()
        self._load_toggles()

    def refresh_dues(self) -> None:
        from services.errors import UserError
        from services.reminders import dues_within

        today = self.context.today()
        try:
            dues = dues_within(self.context.services, today, self.window_days.value())
        except UserError as exc:
            self.status.setText(exc.message)
            dues = []
        self.model.set_dues(dues, today)
        self.empty_label.setVisible(not dues)
        self.empty_label.setText(tr("Nothing is due in the next {days} days.", days=self.window_days.value()))

    def _load_debts(self) -> None:
        from domain.reminders import CLOSED_STATUSES

        current = self.debt_combo.currentData()
        self._loading = True
        self.debt_combo.clear()
        self.debt_combo.addItem(_("Defaults (debts without their own)"), None)
        for debt in self.context.services.list_debts(include_archived=False):
            if debt.status not in CLOSED_STATUSES:
                self.debt_combo.addItem(debt.name, debt.id)
        index = self.debt_combo.findData(current)
        self.debt_combo.setCurrentIndex(max(index, 0))
        self._loading = False
        self._load_rule()

    def _load_toggles(self) -> None:
        from services import autostart
        from services.reminders import close_to_tray

        for box, value in (
            (self.autostart_box, autostart.is_enabled()),
            (self.tray_box, close_to_tray(self.context.services)),
        ):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)

    def selected_debt_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.due_at(rows[0].row()).debt_id if rows else None

    def _record_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._record(self.model.due_at(index.row()).debt_id)

    def _record_selected(self) -> None:
        debt_id = self.selected_debt_id()
        if debt_id is not None:
            self._record(debt_id)

    def _record(self, debt_id: int) -> None:
        self.record_payment_requested.emit(debt_id)
        record_payment = self.context.extras.get("record_payment")  # set by ui.tray.start_reminders
        if callable(record_payment):
            record_payment(debt_id)

    # --- rules ---------------------------------------------------------------------

    def select_debt(self, debt_id: int | None) -> None:
        """Show the rule of a debt (None: the defaults)."""
        self.debt_combo.setCurrentIndex(max(self.debt_combo.findData(debt_id), 0))

    def _load_rule(self) -> None:
        if self._loading:
            return
        from services.reminders import default_rule, own_rule

        debt_id = self.debt_combo.currentData()
        svc = self.context.services
        own = own_rule(svc, debt_id) if debt_id is not None else None
        rule = own or default_rule(svc)
        self._shown_rule = rule
        self.follow_defaults.setVisible(debt_id is not None)
        self.follow_defaults.blockSignals(True)
        self.follow_defaults.setChecked(debt_id is not None and own is None)
        self.follow_defaults.blockSignals(False)
        self._show_rule(rule)
        self._follow_toggled(self.follow_defaults.isChecked())

    def _show_rule(self, rule: ReminderRule) -> None:
        for days, box in self.day_boxes.items():
            box.setChecked(days in rule.days_before)
        self.due_day_box.setChecked(rule.on_due_day)
        self.overdue_box.setChecked(rule.daily_while_overdue)
        self.at_edit.setTime(QTime(rule.at.hour, rule.at.minute))

    def _follow_toggled(self, follow: bool) -> None:
        if follow:
            from services.reminders import default_rule

            self._show_rule(default_rule(self.context.services))
        for widget in (*self.day_boxes.values(), self.due_day_box, self.overdue_box, self.at_edit):
            widget.setEnabled(not follow)

    def edited_rule(self) -> ReminderRule:
        from domain.reminders import ReminderRule

        kept = {d for d in self._shown_rule.days_before if d not in EDITOR_DAYS}
        chosen = {d for d, box in self.day_boxes.items() if box.isChecked()}
        at = self.at_edit.time()
        return ReminderRule(
            days_before=tuple(kept | chosen),
            on_due_day=self.due_day_box.isChecked(),
            daily_while_overdue=self.overdue_box.isChecked(),
            at=time(at.hour(), at.minute()),
        )

    def save_rule(self) -> None:
        from services.errors import UserError
        from services.reminders import set_default_rule, set_rule

        debt_id = self.debt_combo.currentData()
        svc = self.context.services
        try:
            if debt_id is None:
                set_default_rule(svc, self.edited_rule())
            else:
                set_rule(svc, debt_id, None if self.follow_defaults.isChecked() else self.edited_rule())
        except UserError as exc:
            self.status.setText(exc.message)
            return
        self.status.setText(_("Reminder settings saved."))
        self.context.broadcast(Changed.REMINDERS)

    # --- calendar and start-up -----------------------------------------------------

    def export_calendar(self, path: Path | None = None) -> Path | None:
        """Write the .ics file (asks where when ``path`` is None); returns the path written."""
        from services.errors import UserError
        from services.reminders import export_ics

        if path is None:
            from ui.files import ask_save_path

            chosen = ask_save_path(
                self,
                _("Export due dates"),
                kind="calendar",
                day=self.context.today(),
                suffix="ics",
                name_filter=_("Calendar files (*.ics)"),
            )
            if chosen is None:
                return None
            path = chosen
            if path.suffix.lower() != ".ics":
                path = path.with_name(path.name + ".ics")
        try:
            count = export_ics(self.context.services, path, self.context.today())
        except UserError as exc:
            self.status.setText(exc.message)
            return None
        self.status.setText(tr("Wrote {count} due dates to {path}", count=count, path=str(path)))
        return path

    def set_autostart(self, on: bool) -> None:
        from services import autostart
        from services.errors import UserError

        try:
            if on:
                autostart.enable()
            else:
                autostart.disable()
        except UserError as exc:
            self.status.setText(exc.message)
        self._load_toggles()

    def set_close_to_tray(self, on: bool) -> None:
        from services.reminders import set_close_to_tray

        set_close_to_tray(self.context.services, on)
        self.context.broadcast(Changed.SETTINGS)
