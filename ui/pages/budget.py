"""The budget: income and essential expenses, what is left for debts, and a fair offer to each lender."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from domain.debts import Budget
from resources.i18n import N_, _
from services.overview import affordable_per_month
from ui import labels
from ui.models import WARNING_COLOUR, Column, RowsModel
from ui.pages.base import Page, note_label, strong, title_label

if TYPE_CHECKING:
    from ui.context import AppContext

EXPENSES = (
    ("housing", N_("Rent or housing")),
    ("food", N_("Food")),
    ("utilities", N_("Water, power, phone")),
    ("transport", N_("Transport")),
    ("medical", N_("Medical")),
    ("family", N_("Children and family support")),
    ("other", N_("Other essentials")),
)
PROPOSAL_COLUMNS = (
    Column(N_("Debt"), lambda r: r[0].name),
    Column(N_("Lender"), lambda r: r[1]),
    Column(N_("Owed"), lambda r: r[0].balance, "money"),
    Column(N_("Offer per month"), lambda r: r[0].monthly, "money"),
    Column(N_("Months"), lambda r: r[0].months, "int", warn=lambda r: not r[0].fits),
    Column(N_("Interest if nothing changes"), lambda r: r[0].current_cost, "money"),
    Column(N_("Interest under the offer"), lambda r: r[0].offer_cost, "money"),
)


class BudgetPage(Page):
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
        grid = QGridLayout(self.money_group)
        self.income_label = QLabel(self)
        self.income = QLineEdit(self)
        self.income.setObjectName("field_income")
        self.inputs: dict[str, QLineEdit] = {"income": self.income}
        self.errors: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        rows = [("income", self.income_label)]
        for key, _msg in EXPENSES:
            edit = QLineEdit(self)
            edit.setObjectName(f"field_{key}")
            self.inputs[key] = edit
            self.captions[key] = QLabel(self)
            rows.append((key, self.captions[key]))
        for row, (key, caption) in enumerate(rows):
            error = QLabel(self)
            error.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
            self.errors[key] = error
            grid.addWidget(caption, row, 0)
            grid.addWidget(self.inputs[key], row, 1)
            grid.addWidget(error, row, 2)
            self.inputs[key].textEdited.connect(self._edited)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveBudget")
        self.save_button.clicked.connect(self.save)
        grid.addWidget(self.save_button, len(rows), 1)
        grid.setRowStretch(len(rows) + 1, 1)
        body.addWidget(self.money_group, 2)

        right = QVBoxLayout()
        self.affordable_caption = QLabel(self)
        self.affordable = strong(QLabel(self), 1.8)
        self.affordable.setObjectName("affordable")
        self.affordable_note = note_label(self)
        right.addWidget(self.affordable_caption)
        right.addWidget(self.affordable)
        right.addWidget(self.affordable_note)
        self.proposal_caption = strong(QLabel(self))
        right.addWidget(self.proposal_caption)
        self.proposal = RowsModel(PROPOSAL_COLUMNS, self)
        self.table = QTableView(self)
        self.table.setObjectName("proposalTable")
        self.table.setModel(self.proposal)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
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
        for key, msg in EXPENSES:
            self.captions[key].setText(_(msg))
        self.save_button.setText(_("Save budget"))
        self.affordable_caption.setText(_("You can afford for debts each month"))
        self.proposal_caption.setText(_("Proposal per lender"))
        self.letters_button.setText(_("Write proposal letters…"))
        self.reminders_button.setText(_("Set payment reminders…"))
        self.plan_button.setText(_("Plan with this amount"))
        self.proposal.retranslate()
        self._show_result()

    def refresh(self) -> None:
        super().refresh()
        budget = self.context.services.get_budget()
        self.income.setText(str(budget.income) if budget.income else "")
        for key, _msg in EXPENSES:
            value = budget.expenses.get(key)
            self.inputs[key].setText(str(value) if value else "")
        for e in self.errors.values():
            e.setText("")
        self._show_result()

    def _edited(self) -> None:
        self.read()  # shows the messages beside the fields as the person types

    def read(self) -> Budget | None:
        from domain.money import MoneyError, parse_amount

        values: dict[str, Decimal] = {}
        ok = True
        for key, edit in self.inputs.items():
            text = edit.text().strip()
            self.errors[key].setText("")
            if not text:
                values[key] = Decimal(0)
                continue
            try:
                amount = parse_amount(text)
            except (MoneyError, ValueError):
                self.errors[key].setText(_("Enter an amount such as 3500 or 3,500.00."))
                ok = False
                continue
            if amount < 0:
                self.errors[key].setText(_("The amount cannot be negative."))
                ok = False
                continue
            values[key] = amount
        self.save_button.setEnabled(ok)
        if not ok:
            return None
        income = values.pop("income")
        return Budget(income=income, expenses={k: v for k, v in values.items() if v})

    def save(self) -> None:
        budget = self.read()
        if budget is None:
            return
        self.context.services.set_budget(budget)
        self.context.notify("budget")

    def _show_result(self) -> None:
        services = self.context.services
        spare = affordable_per_month(services)
        if spare is None:
            self.affordable.setText("—")
            self.affordable_note.setText(_("Enter your income and essential expenses, then save."))
            self.proposal.set_rows([])
            return
        self.affordable.setText(labels.money(spare))
        notes = []
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
        try:
            from services.planning import make_proposal, proposal_notes
        except ImportError:
            self.proposal.set_rows([])
            notes.append(_("Offers per lender are not available in this version yet."))
        else:
            from services.errors import UserError

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
