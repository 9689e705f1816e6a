"""The overview: what is owed today, what is due soon, what being late costs and what comes next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import _
from ui.context import Changed
from ui.guide_link import WHAT_TO_DO, open_guide
from ui.models import RowsModel
from ui.pages.base import Card, Page, strong, title_label
from ui.pages.dashboard_texts import (
    DUE_COLUMNS,
    LENDER_COLUMNS,
    OVERDUE_COLUMNS,
    dashboard_texts,
    next_step_text,
)
from ui.widgets import WelcomePanel

if TYPE_CHECKING:
    from services.overview import Overview
    from ui.context import AppContext


def _table(model: RowsModel, parent: QWidget, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    return view


class FigureCard(Card):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = strong(QLabel(self), 1.7)
        self.value.setObjectName("figure")
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.layout_.addWidget(self.value)
        self.layout_.addWidget(self.detail)
        self.layout_.addStretch(1)


class DashboardPage(Page):
    #: the changes that concern this page
    listens_to: ClassVar[Changed] = Changed.DEBTS | Changed.PAYMENTS | Changed.BUDGET | Changed.SETTINGS

    # A person asks what an overdue debt's next step means for them: the debt's id. A button in
    # ``next_step_bar`` (beside the step's full text) connects its click to ``request_guide``.
    guide_requested = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.data: Overview | None = None
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = title_label(self)
        self.as_of = QLabel(self)
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.as_of)
        outer.addLayout(top)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack, 1)
        self.welcome = WelcomePanel(context, self)
        self.welcome.add_debt.connect(self._add_debt)
        self.body = QWidget(self)
        self.stack.addWidget(self.body)
        self.stack.addWidget(self.welcome)

        grid = QGridLayout(self.body)
        grid.setContentsMargins(0, 0, 0, 0)
        self.total = FigureCard(self.body)
        self.total.setObjectName("cardTotal")
        self.due7 = FigureCard(self.body)
        self.due30 = FigureCard(self.body)
        self.cost = FigureCard(self.body)
        self.cost.setObjectName("cardCost")
        for col, card in enumerate((self.total, self.due7, self.due30, self.cost)):
            grid.addWidget(card, 0, col)
        self.lenders = RowsModel(LENDER_COLUMNS, self)
        self.dues = RowsModel(DUE_COLUMNS, self)
        self.overdue = RowsModel(OVERDUE_COLUMNS, self)
        self.lender_card = Card(self.body)
        lender_table = _table(self.lenders, self.lender_card, "lenderTable")
        lender_table.setMinimumHeight(220)  # six lenders without scrolling
        self.lender_card.layout_.addWidget(lender_table)
        self.due_card = Card(self.body)
        self.due_card.layout_.addWidget(_table(self.dues, self.due_card, "dueTable"))
        self.overdue_card = Card(self.body)
        self.overdue_table = _table(self.overdue, self.overdue_card, "overdueTable")
        self.overdue_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.overdue_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.overdue_table.doubleClicked.connect(self._open_overdue)
        self.overdue_card.layout_.addWidget(self.overdue_table)
        # The chosen debt's next step in full (the table cuts it short), where a way into help goes.
        self.next_step_bar = QHBoxLayout()
        self.next_step_detail = QLabel(self.overdue_card)
        self.next_step_detail.setObjectName("nextStepDetail")
        self.next_step_detail.setWordWrap(True)
        self.next_step_bar.addWidget(self.next_step_detail, 1)
        self.overdue_card.layout_.addLayout(self.next_step_bar)
        self.overdue_table.selectionModel().selectionChanged.connect(lambda *_a: self._show_next_step())
        self.overdue_note = QLabel(self.overdue_card)
        self.overdue_note.setWordWrap(True)
        self.overdue_card.layout_.addWidget(self.overdue_note)
        grid.addWidget(self.lender_card, 1, 0, 1, 2)
        grid.addWidget(self.due_card, 1, 2, 1, 2)
        grid.addWidget(self.overdue_card, 2, 0, 1, 4)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 2)
        actions = QHBoxLayout()
        self.pay_button = QPushButton(self.body)
        self.plan_button = QPushButton(self.body)
        self.budget_button = QPushButton(self.body)
        self.guide_button = QPushButton(self.body)
        self.guide_button.setObjectName("openGuide")
        for b in (self.guide_button, self.pay_button, self.plan_button, self.budget_button):
            actions.addWidget(b)
        actions.addStretch(1)
        grid.addLayout(actions, 3, 0, 1, 4)
        self.pay_button.clicked.connect(lambda: self._window_call("record_payment"))
        self.plan_button.clicked.connect(lambda: self._go("plan"))
        self.budget_button.clicked.connect(lambda: self._go("budget"))
        self.guide_button.clicked.connect(lambda: open_guide(self.context))
        self.retranslate()

    def _go(self, page: str) -> None:
        show = self.context.extras.get("show_page")
        if show is not None:
            show(page)

    def _window_call(self, name: str) -> None:
        window = self.context.extras.get("window")
        if window is not None:
            getattr(window, name)()

    def _add_debt(self) -> None:
        self._window_call("new_debt")

    def selected_overdue(self) -> int | None:
        """The overdue debt chosen in the table (the first one when none is chosen), or None."""
        rows = self.overdue_table.selectionModel().selectedRows()
        if self.overdue.rowCount() == 0 or self.data is None:
            return None
        return self.overdue.row_at(rows[0].row() if rows else 0).debt.id

    def request_guide(self) -> None:
        """Ask for help with the chosen overdue debt's next step (``guide_requested``)."""
        debt_id = self.selected_overdue()
        if debt_id is not None:
            self.guide_requested.emit(debt_id)

    def _show_next_step(self) -> None:
        debt_id = self.selected_overdue()
        item = next((o for o in (self.data.overdue if self.data else []) if o.debt.id == debt_id), None)
        self.next_step_detail.setText(next_step_text(item))

    def _open_overdue(self) -> None:
        rows = self.overdue_table.selectionModel().selectedRows()
        show = self.context.extras.get("show_page")
        if not rows or show is None:
            return
        page = show("overdue")
        item = self.overdue.row_at(rows[0].row())
        if page is not None and hasattr(page, "show_debt"):
            page.show_debt(item.debt.id)

    def retranslate(self) -> None:
        self.title.setText(_("Where you stand"))
        self.total.heading.setText(_("Owed today"))
        self.due7.heading.setText(_("Due in the next 7 days"))
        self.due30.heading.setText(_("Due in the next 30 days"))
        self.cost.heading.setText(_("Being late costs"))
        self.lender_card.heading.setText(_("Owed per lender"))
        self.due_card.heading.setText(_("Coming due"))
        self.overdue_card.heading.setText(_("Overdue debts and what comes next"))
        for card in (self.lender_card, self.due_card, self.overdue_card):
            card.name_contents()
        self.pay_button.setText(_("Record a payment (Ctrl+R)"))
        self.plan_button.setText(_("Make a plan"))
        self.budget_button.setText(_("Work out what I can afford"))
        self.guide_button.setText(_(WHAT_TO_DO))
        for model in (self.lenders, self.dues, self.overdue):
            model.retranslate()
        self.welcome.retranslate()
        self._show()

    def refresh(self) -> None:
        super().refresh()
        from services.overview import overview

        self.data = overview(self.context.services, self.context.today())
        self._show()

    def _show(self) -> None:
        data = self.data
        if data is None:
            return
        has_any = data.debt_count > 0 or bool(self.context.services.list_debts(include_archived=True))
        self._show_texts(dashboard_texts(data, has_any))
        self.lenders.set_rows(data.per_lender)
        self.dues.set_rows(data.dues)
        self.overdue.set_rows(data.overdue)
        self._show_next_step()

    def show_snapshot(self, texts: dict[str, Any]) -> None:
        """Show texts written elsewhere (``dashboard_texts``, the window's first screen) until the data
        file is open; ``refresh`` then reads the figures themselves."""
        self._stale = False
        self._show_texts(texts)
        self.lenders.show_rendered(texts["lenders"])
        self.dues.show_rendered(texts["dues"])
        self.overdue.show_rendered(texts["overdue"])
        self.next_step_detail.setText(texts["next_step"])

    def _show_texts(self, texts: dict[str, Any]) -> None:
        self.as_of.setText(texts["as_of"])
        self.stack.setCurrentWidget(self.body if texts["body"] else self.welcome)
        for card, name in (
            (self.total, "total"),
            (self.due7, "due7"),
            (self.due30, "due30"),
            (self.cost, "cost"),
        ):
            value, detail = texts[name]
            card.value.setText(value)
            card.detail.setText(detail)
        self.overdue_note.setText(texts["overdue_note"])
