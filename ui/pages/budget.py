"""The budget: income and essential expenses, what is left for debts, and a fair offer to each lender."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from domain.debts import Budget
from resources.i18n import N_, _, tr
from services.overview import affordable_per_month
from ui import labels
from ui.context import Changed
from ui.models import WARNING_COLOUR, Column, RowsModel
from ui.pages.base import Page, note_label, strong, title_label

if TYPE_CHECKING:
    from ui.context import AppContext

# Suggested categories for an empty budget; the person renames, adds or removes freely.
SUGGESTED_EXPENSES = (
    N_("Rent or housing"),
    N_("Food"),
    N_("Water, power, phone"),
    N_("Transport"),
    N_("Medical"),
    N_("Children and family support"),
)
PROPOSAL_COLUMNS = (
    Column(N_("Debt"), lambda r: r[0].name),
    Column(N_("Lender"), lambda r: r[1]),
    Column(N_("Owed"), lambda r: r[0].balance, "money"),
    Column(N_("Offer per month"), lambda r: r[0].monthly, "money"),
    Column(N_("Months"), lambda r: r[0].months, "int", warn=lambda r: not r[0].fits),
    Column(N_("Interest as is"), lambda r: r[0].current_cost, "money"),
    Column(N_("Interest with the offer"), lambda r: r[0].offer_cost, "money"),
)


class ExpenseInputs:
    """One essential expense: a name the person chooses, a monthly amount, a message beside it."""

    def __init__(self, page: BudgetPage, name: str, amount: str) -> None:
        self.name = QLineEdit(name, page)
        self.amount = QLineEdit(amount, page)
        self.error = QLabel(page)
        self.error.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
        self.remove = QPushButton("×", page)
        self.remove.setFixedWidth(28)
        self.name_fields()
        self.amount.textEdited.connect(page._edited)
        self.name.textEdited.connect(page._edited)
        self.remove.clicked.connect(lambda: page.remove_expense_row(self))

    def name_fields(self) -> None:
        self.remove.setToolTip(_("Remove this expense"))
        self.remove.setAccessibleName(_("Remove this expense"))
        self.name.setAccessibleName(_("Name of the expense"))
        self.amount.setAccessibleName(_("Monthly amount of the expense"))

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.name, self.amount, self.remove, self.error)


class BudgetPage(Page):
    #: the changes that concern this page
    listens_to: ClassVar[Changed] = Changed.DEBTS | Changed.PAYMENTS | Changed.BUDGET

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        outer = QVBoxLayout(self)
        self.title = title_label(self)
        outer.addWidget(self.title)
        self.intro = note_label(self)
        outer.addWidget(self.intro)
        body = QHBoxLayout()
        outer.addLayout(body, 1)

        self.money_group = QGroupBox(self)
        money = QVBoxLayout(self.money_group)
        top = QGridLayout()
        self.income_label = QLabel(self)
        self.income = QLineEdit(self)
        self.income.setObjectName("field_income")
        self.income_error = QLabel(self)
        self.income_error.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
        self.income.textEdited.connect(self._edited)
        top.addWidget(self.income_label, 0, 0)
        top.addWidget(self.income, 0, 1)
        top.addWidget(self.income_error, 1, 1)
        money.addLayout(top)
        self.expenses_caption = strong(QLabel(self))
        money.addWidget(self.expenses_caption)
        self.expense_area = QScrollArea(self)
        self.expense_area.setWidgetResizable(True)
        self.expense_area.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget(self.expense_area)
        self.expense_grid = QGridLayout(holder)
        self.expense_grid.setContentsMargins(0, 0, 0, 0)
        self.expense_grid.setRowStretch(100, 1)
        self.expense_area.setWidget(holder)
        money.addWidget(self.expense_area, 1)
        self.expense_rows: list[ExpenseInputs] = []
        row = QHBoxLayout()
        self.add_expense_button = QPushButton(self)
        self.add_expense_button.clicked.connect(lambda: self.add_expense_row("", ""))
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveBudget")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.add_expense_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        money.addLayout(row)
        body.addWidget(self.money_group, 2)

        right = QVBoxLayout()
        self.affordable_caption = QLabel(self)
        self.affordable = strong(QLabel(self), 1.8)
        self.affordable.setObjectName("affordable")
        self.affordable_note = note_label(self)
        right.addWidget(self.affordable_caption)
        right.addWidget(self.affordable)
        # The same figure as the plan page's monthly budget: changed here or there, one setting.
        figure_row = QHBoxLayout()
        self.for_debts_label = QLabel(self)
        self.for_debts = QLineEdit(self)
        self.for_debts.setObjectName("field_for_debts")
        self.for_debts.setMaximumWidth(160)
        self.for_debts_label.setBuddy(self.for_debts)
        self.for_debts_button = QPushButton(self)
        self.for_debts_button.setObjectName("useForDebts")
        self.for_debts_error = QLabel(self)
        self.for_debts_error.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
        figure_row.addWidget(self.for_debts_label)
        figure_row.addWidget(self.for_debts)
        figure_row.addWidget(self.for_debts_button)
        figure_row.addWidget(self.for_debts_error, 1)
        right.addLayout(figure_row)
        self.for_debts.returnPressed.connect(self.use_for_debts)
        self.for_debts_button.clicked.connect(self.use_for_debts)
        right.addWidget(self.affordable_note)
        self.proposal_caption = strong(QLabel(self))
        right.addWidget(self.proposal_caption)
        self.proposal = RowsModel(PROPOSAL_COLUMNS, self)
        self.table = QTableView(self)
        self.table.setObjectName("proposalTable")
        self.table.setModel(self.proposal)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        right.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.letters_button = QPushButton(self)
        self.reminders_button = QPushButton(self)
        self.plan_button = QPushButton(self)
        for b in (self.letters_button, self.reminders_button, self.plan_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        right.addLayout(buttons)
        body.addLayout(right, 3)
        self.letters_button.clicked.connect(self._to_letters)
        self.reminders_button.clicked.connect(lambda: self._go("reminders"))
        self.plan_button.clicked.connect(self._to_plan)
        self.retranslate()

    def _go(self, key: str) -> QWidget | None:
        show = self.context.extras.get("show_page")
        return show(key) if show is not None else None

    def _to_letters(self) -> None:
        """Into the letters page with the proposal letter chosen (the offer above is its content)."""
        page = self._go("letters")
        kinds = getattr(page, "kind_box", None)
        if kinds is not None and kinds.findData("proposal") >= 0:
            kinds.setCurrentIndex(kinds.findData("proposal"))

    def _to_plan(self) -> None:
        page = self._go("plan")
        spare = affordable_per_month(self.context.services)
        if page is not None and spare is not None and hasattr(page, "set_budget"):
            page.set_budget(int(spare))

    def retranslate(self) -> None:
        self.title.setText(_("Budget: what you can really pay each month"))
        self.intro.setText(
            _(
                "Enter your monthly income after tax and what you must spend to live. What "
                "is left is "
                "what you can offer your lenders, shared in proportion to what each is owed. "
                "A fair, "
                "realistic offer is the basis of every negotiation letter."
            )
        )
        self.money_group.setTitle(_("Each month"))
        self.income_label.setText(_("Income after tax"))
        self.expenses_caption.setText(_("Essential expenses"))
        self.add_expense_button.setText(_("Add an expense"))
        self.save_button.setText(_("Save budget"))
        self.affordable_caption.setText(_("You can afford for debts each month"))
        self.for_debts_label.setText(_("Set aside for debts each month"))
        self.for_debts_button.setText(_("Use this amount"))
        self.proposal_caption.setText(_("Proposal per lender"))
        self.table.setAccessibleName(_("Proposal per lender"))
        for expense in self.expense_rows:
            expense.name_fields()
        self.letters_button.setText(_("Write proposal letters…"))
        self.reminders_button.setText(_("Set payment reminders…"))
        self.plan_button.setText(_("Plan with this amount"))
        self.proposal.retranslate()
        self._show_result()

    def refresh(self) -> None:
        super().refresh()
        budget = self.context.services.get_budget()
        self.income.setText(str(budget.income) if budget.income else "")
        self.income_error.setText("")
        for r in list(self.expense_rows):
            self.remove_expense_row(r)
        if budget.expenses:
            for name, amount in budget.expenses.items():
                self.add_expense_row(name, str(amount))
        else:
            for msg in SUGGESTED_EXPENSES:
                self.add_expense_row(_(msg), "")
        self.save_button.setEnabled(True)
        self._show_result()

    def add_expense_row(self, name: str, amount: str) -> ExpenseInputs:
        row = ExpenseInputs(self, name, amount)
        index = len(self.expense_rows)
        self.expense_grid.addWidget(row.name, 2 * index, 0)
        self.expense_grid.addWidget(row.amount, 2 * index, 1)
        self.expense_grid.addWidget(row.remove, 2 * index, 2)
        self.expense_grid.addWidget(row.error, 2 * index + 1, 0, 1, 3)
        row.error.hide()
        self.expense_rows.append(row)
        return row

    def remove_expense_row(self, row: ExpenseInputs) -> None:
        self.expense_rows.remove(row)
        for w in row.widgets():
            self.expense_grid.removeWidget(w)
            w.deleteLater()
        self._edited()

    def _edited(self, *_args: object) -> None:
        self.read()  # shows the messages beside the fields as the person types

    def _amount(self, text: str, error: QLabel) -> Decimal | None:
        """The amount typed, or None with the message shown beside the field."""
        from domain.money import MoneyError, parse_amount

        error.setText("")
        error.hide()
        if not text.strip():
            return Decimal(0)
        try:
            amount = parse_amount(text)
        except (MoneyError, ValueError):
            error.setText(_("Enter an amount such as 3500 or 3,500.00."))
        else:
            if amount >= 0:
                return amount
            error.setText(_("The amount cannot be negative."))
        error.show()
        return None

    def read(self) -> Budget | None:
        """The budget as typed, or None when a field is wrong (each message shown beside its field)."""
        income = self._amount(self.income.text(), self.income_error)
        self.income_error.show()
        ok = income is not None
        expenses: dict[str, Decimal] = {}
        for row in self.expense_rows:
            amount = self._amount(row.amount.text(), row.error)
            name = row.name.text().strip()
            if amount is None:
                ok = False
            elif amount > 0 and not name:
                row.error.setText(_("Give this expense a name."))
                row.error.show()
                ok = False
            elif name in expenses and amount > 0:
                row.error.setText(_("This name is used twice."))
                row.error.show()
                ok = False
            elif amount > 0:
                expenses[name] = amount
        self.save_button.setEnabled(ok)
        if not ok or income is None:
            return None
        return Budget(income=income, expenses=expenses)

    def save(self) -> None:
        from services.planning import save_budget

        budget = self.read()
        if budget is None:
            return
        save_budget(self.context.services, budget)  # the figure for debts becomes what is left
        self.context.broadcast(Changed.BUDGET)

    def use_for_debts(self) -> None:
        """Set the one monthly figure for debts (the plan page's budget too)."""
        from services.planning import set_debt_budget

        amount = self._amount(self.for_debts.text(), self.for_debts_error)
        if amount is None:
            return
        set_debt_budget(self.context.services, amount)
        self.context.broadcast(Changed.BUDGET)

    def _show_result(self) -> None:
        from services.planning import debt_budget

        services = self.context.services
        figure = debt_budget(services)
        spare = figure.amount
        self.for_debts_error.setText("")
        self.for_debts.setText("" if spare is None else f"{spare:.2f}")
        if spare is None:
            self.affordable.setText("—")
            self.affordable_note.setText(_("Enter your income and essential expenses, then save."))
            self.proposal.set_rows([])
            return
        self.affordable.setText(labels.money(spare))
        notes = []
        if figure.above_leftover:
            notes.append(
                tr(
                    "That is more than your income leaves after essential expenses ({leftover}). "
                    "Offers to lenders stay within what it leaves.",
                    leftover=labels.money(figure.leftover),
                )
            )
        elif figure.chosen and figure.leftover is not None and figure.leftover > spare:
            notes.append(
                tr(
                    "You keep {kept} a month back of the {leftover} your income leaves.",
                    kept=labels.money(figure.leftover - spare),
                    leftover=labels.money(figure.leftover),
                )
            )
        if spare <= 0:
            notes.append(
                _(
                    "Your essential expenses take all your income. Tell your lenders so: a hardship "
                    "letter explains it and asks them to pause collection."
                )
            )
        else:
            notes.append(
                _(
                    "This is income minus essential expenses. Offer no more than this: a plan you "
                    "cannot "
                    "keep makes things worse."
                )
            )
        from services.errors import UserError
        from services.planning import make_proposal, proposal_notes

        try:
            _means, proposal = make_proposal(services, self.context.today())
        except UserError as exc:
            self.proposal.set_rows([])
            notes.append(exc.message)
        else:
            lenders = {d.id: d.lender for d in services.list_debts(include_archived=False)}
            self.proposal.set_rows([(o, lenders.get(o.debt_id, "")) for o in proposal.offers])
            notes.extend(proposal_notes(proposal))
        self.affordable_note.setText("\n".join(notes))
