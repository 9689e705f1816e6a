"""The debts page: every debt in a sortable, filterable table; add, edit, settle, archive, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from domain.debts import DebtStatus
from resources.i18n import N_, _, tr
from services.overview import OverviewDebt, debt_rows
from ui import labels
from ui.context import Changed
from ui.guide_link import WHAT_TO_DO, open_guide
from ui.models import Column, FilterProxy, RowsModel
from ui.pages.base import Page, title_label
from ui.widgets import WelcomePanel

if TYPE_CHECKING:
    from ui.context import AppContext

DEBT_COLUMNS = (
    Column(N_("Debt name"), lambda r: r.debt.name),
    Column(N_("Lender"), lambda r: r.debt.lender),
    Column(N_("Product"), lambda r: labels.kind_label(r.debt.kind)),
    Column(N_("Balance"), lambda r: r.balance, "money"),
    Column(N_("Rate"), lambda r: labels.rate_text(r.debt.rate, r.debt.rate_unit)),
    Column(N_("Method"), lambda r: labels.method_label(r.debt.method)),
    Column(N_("Due day"), lambda r: r.debt.due_day, "int"),
    Column(N_("Days overdue"), lambda r: r.days_overdue or None, "int", warn=lambda r: r.days_overdue > 0),
    Column(
        N_("Status"),
        lambda r: labels.status_label(r.status),
        warn=lambda r: r.status is DebtStatus.OVERDUE,
    ),
)

FILTERS = (
    ("open", N_("Still owed")),
    ("all", N_("All debts")),
    ("closed", N_("Settled and archived")),
)


class DebtsPage(Page):
    #: the changes that concern this page
    listens_to: ClassVar[Changed] = Changed.DEBTS | Changed.PAYMENTS | Changed.SETTINGS

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = title_label(self)
        top.addWidget(self.title)
        top.addStretch(1)
        self.search = QLineEdit(self)
        self.search.setObjectName("debtSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(260)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("debtStatusFilter")
        for key, _msg in FILTERS:
            self.status_filter.addItem("", key)
        top.addWidget(self.search)
        top.addWidget(self.status_filter)
        layout.addLayout(top)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addDebt")
        self.edit_button = QPushButton(self)
        self.schedule_button = QPushButton(self)
        self.settle_button = QPushButton(self)
        self.archive_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.guide_button = QPushButton(self)
        self.guide_button.setObjectName("openGuide")
        for b in (
            self.add_button,
            self.edit_button,
            self.schedule_button,
            self.settle_button,
            self.archive_button,
            self.delete_button,
            self.guide_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.model = RowsModel(DEBT_COLUMNS, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("debtTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.welcome = WelcomePanel(context, self)
        self.body = QStackedWidget(self)
        self.body.addWidget(self.table)
        self.body.addWidget(self.welcome)
        layout.addWidget(self.body, 1)
        self.count = QLabel(self)
        layout.addWidget(self.count)

        self.add_button.clicked.connect(self.new_debt)
        self.welcome.add_debt.connect(self.new_debt)
        self.edit_button.clicked.connect(self.edit_selected)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.schedule_button.clicked.connect(self.show_schedule)
        self.settle_button.clicked.connect(lambda: self._set_status(DebtStatus.SETTLED))
        self.archive_button.clicked.connect(lambda: self._set_status(DebtStatus.ARCHIVED))
        self.delete_button.clicked.connect(self.delete_selected)
        self.guide_button.clicked.connect(self._open_guide)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.status_filter.currentIndexChanged.connect(self._apply_status_filter)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._apply_status_filter()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Debts"))
        self.search.setPlaceholderText(_("Filter by name, lender…"))
        self.search.setAccessibleName(_("Filter the debts"))
        self.table.setAccessibleName(_("Debts"))
        for i, (_key, msg) in enumerate(FILTERS):
            self.status_filter.setItemText(i, _(msg))
        self.add_button.setText(_("New debt…"))
        self.edit_button.setText(_("Edit…"))
        self.schedule_button.setText(_("Schedule"))
        self.settle_button.setText(_("Mark settled"))
        self.archive_button.setText(_("Archive"))
        self.delete_button.setText(_("Delete…"))
        self.guide_button.setText(_(WHAT_TO_DO))
        self.model.retranslate()
        self.welcome.retranslate()
        self._update_count()

    def refresh(self) -> None:
        super().refresh()
        selected = self.selected()
        rows = debt_rows(self.context.services, self.context.today())
        self.model.set_rows(rows)
        self.body.setCurrentWidget(self.welcome if not rows else self.table)
        if selected is not None:
            self.select_debt(selected.debt.id)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        self.count.setText(
            tr("{shown} of {total} debts shown", shown=self.proxy.rowCount(), total=self.model.rowCount())
        )

    def _apply_status_filter(self) -> None:
        key = self.status_filter.currentData()
        if key == "open":
            self.proxy.set_row_filter(lambda r: r.is_open)
        elif key == "closed":
            self.proxy.set_row_filter(lambda r: not r.is_open)
        else:
            self.proxy.set_row_filter(None)
        self._update_count()

    # --- selection ----------------------------------------------------------
    def selected(self) -> OverviewDebt | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.model.row_at(source.row())

    def select_debt(self, debt_id: int | None) -> None:
        for row, item in enumerate(self.model.rows):
            if item.debt.id == debt_id:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    self.table.selectRow(index.row())
                return

    def _update_buttons(self) -> None:
        row = self.selected()
        for b in (
            self.edit_button,
            self.schedule_button,
            self.settle_button,
            self.archive_button,
            self.delete_button,
        ):
            b.setEnabled(row is not None)
        if row is not None:
            self.settle_button.setEnabled(row.debt.status is not DebtStatus.SETTLED)
            self.archive_button.setEnabled(row.debt.status is not DebtStatus.ARCHIVED)
        # The guide for the selected debt (for all debts when none is selected).
        self.guide_button.setEnabled(row is None or row.is_open)

    def _open_guide(self) -> None:
        row = self.selected()
        open_guide(self.context, row.debt.id if row is not None and row.is_open else None)

    # --- actions ------------------------------------------------------------
    def new_debt(self) -> None:
        from ui.dialogs.debt_editor import DebtEditor

        editor = DebtEditor(self.context, None, self)
        if editor.exec():
            self.refresh()
            self.select_debt(editor.saved_id)

    def edit_selected(self) -> None:
        from ui.dialogs.debt_editor import DebtEditor

        row = self.selected()
        if row is None:
            return
        editor = DebtEditor(self.context, row.debt, self)
        if editor.exec():
            self.refresh()

    def show_schedule(self) -> None:
        from ui.dialogs.schedule import ScheduleDialog

        row = self.selected()
        if row is not None:
            ScheduleDialog(self.context, row.debt, self).exec()

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            _("Please confirm"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _set_status(self, status: DebtStatus) -> None:
        from ui.undo import SetStatus, undo_stack

        row = self.selected()
        if row is None or row.debt.id is None:
            return
        text = (
            tr("Mark “{name}” as settled (paid off or closed by agreement)?", name=row.debt.name)
            if status is DebtStatus.SETTLED
            else tr(
                "Archive “{name}”? It leaves the plan and the overview but its records are kept.",
                name=row.debt.name,
            )
        )
        if not self._confirm(text):
            return
        self.context.services.set_debt_status(row.debt.id, status)
        label = _("Mark settled") if status is DebtStatus.SETTLED else _("Archive")
        undo_stack(self.context).push(
            SetStatus(self.context, f"{label}: {row.debt.name}", row.debt.id, row.debt.status, status)
        )
        self.context.broadcast(Changed.DEBTS)

    def delete_selected(self) -> None:
        from ui.undo import RemoveDebt, undo_stack

        row = self.selected()
        if row is None or row.debt.id is None:
            return
        if not self._confirm(
            tr("Delete “{name}” and all its payments? You can undo this with Ctrl+Z.", name=row.debt.name)
        ):
            return
        removed = self.context.services.remove_debt(row.debt.id)
        undo_stack(self.context).push(
            RemoveDebt(self.context, tr("Delete “{name}”", name=row.debt.name), row.debt.id, removed)
        )
        self.context.broadcast(Changed.ALL)
