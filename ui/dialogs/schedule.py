"""One debt's repayment schedule: every instalment with its split and the balance after it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from domain.debts import Debt
from resources.i18n import N_, _, tr
from ui import labels
from ui.models import Column, RowsModel

if TYPE_CHECKING:
    from ui.context import AppContext

SCHEDULE_COLUMNS = (
    Column(N_("No."), lambda r: r.period, "int"),
    Column(N_("Due date"), lambda r: r.due_date, "date"),
    Column(N_("Amount due"), lambda r: r.payment, "money"),
    Column(N_("Principal part"), lambda r: r.principal, "money"),
    Column(N_("Interest part"), lambda r: r.interest, "money"),
    Column(N_("Fee part"), lambda r: r.fee, "money"),
    Column(N_("Balance after"), lambda r: r.balance, "money"),
)


def schedule_rows(debt: Debt) -> list[Any]:
    """The engine's schedule for ``debt``."""
    from domain.schedules import schedule_for

    schedule: Any = schedule_for(debt)
    return list(getattr(schedule, "rows", schedule))


class ScheduleWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.model = RowsModel(SCHEDULE_COLUMNS, self)
        self.table = QTableView(self)
        self.table.setObjectName("scheduleTable")
        self.table.setAccessibleName(_("Repayment schedule"))
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.debt: Debt | None = None

    def show_debt(self, debt: Debt | None) -> None:
        self.debt = debt
        rows = schedule_rows(debt) if debt is not None else []
        self.model.set_rows(rows)
        if debt is not None:
            self.summary.setText(
                tr(
                    "{name}: {method}, {months} months from {start}, {rate}",
                    name=debt.name,
                    method=labels.method_label(debt.method),
                    months=debt.months,
                    start=labels.day(debt.start_date),
                    rate=labels.rate_text(debt.rate, debt.rate_unit),
                )
            )

    def retranslate(self) -> None:
        self.model.retranslate()
        self.show_debt(self.debt)


class ScheduleDialog(QDialog):
    def __init__(self, context: AppContext, debt: Debt, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scheduleDialog")
        self.setWindowTitle(tr("Schedule of {name}", name=debt.name))
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        self.view = ScheduleWidget(self)
        layout.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.view.show_debt(debt)
