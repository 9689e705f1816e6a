"""The plan: one monthly budget for all debts, the strategies side by side, charted.

Moving the budget slider asks for new plans through a debouncer: the plans are
computed off the GUI thread and only the newest answer is shown, so dragging
never stutters.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSlider,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import N_, _, tr
from services.overview import PlanComparison, compare_plans
from ui import labels
from ui.charts import ChartView, bar_chart, line_chart
from ui.context import Changed
from ui.models import Column, RowsModel
from ui.pages.base import Page, name_tabs, note_label, title_label
from ui.worker import Debouncer

if TYPE_CHECKING:
    from ui.context import AppContext

STRATEGY_LABELS = {
    "avalanche": N_("Highest rate first"),
    "snowball": N_("Smallest balance first"),
    "triage": N_("Most serious consequences first"),
    "minimum-only": N_("Minimums only (today's path)"),
}
STRATEGY_NOTES = {
    "avalanche": N_("pays the least interest"),
    "snowball": N_("closes debts soonest, one by one"),
    "triage": N_("stops the worst consequences first"),
    "minimum-only": N_("what happens if nothing changes"),
}
BUDGET_STEP = 50


def compute_plans(services: Any, budget: Decimal, as_of: date) -> PlanComparison:
    """Runs on a worker thread: plain values in, plain values out."""
    return compare_plans(services, budget, as_of, tuple(STRATEGY_LABELS))


def _months(plan: Any) -> int | None:
    return plan.months if plan.ends else None


COMPARE_COLUMNS = (
    Column(N_("Strategy"), lambda r: _(STRATEGY_LABELS[r[0]])),
    Column(
        N_("Debt-free on"),
        lambda r: labels.day(r[1].payoff_date) if r[1].ends else _("never at this budget"),
        warn=lambda r: not r[1].ends,
    ),
    Column(N_("Months"), lambda r: _months(r[1]), "int"),
    Column(N_("Interest and fees"), lambda r: r[2], "money"),
    Column(N_("Total paid"), lambda r: r[1].total_paid, "money"),
    Column(N_("Good for"), lambda r: _(STRATEGY_NOTES[r[0]])),
)


class PlanPage(Page):
    #: the changes that concern this page
    listens_to: ClassVar[Changed] = Changed.DEBTS | Changed.PAYMENTS | Changed.BUDGET | Changed.SETTINGS

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.plans: dict[str, Any] = {}
        self.result: PlanComparison | None = None
        self.debouncer = Debouncer(90, self)
        self.debouncer.started.connect(lambda: self.status.setText(_("Working out the plans…")))
        outer = QVBoxLayout(self)
        self.title = title_label(self)
        outer.addWidget(self.title)
        row = QHBoxLayout()
        self.budget_label = QLabel(self)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("budgetSlider")
        self.slider.setSingleStep(1)
        self.slider.setPageStep(10)
        self.spin = QSpinBox(self)
        self.spin.setObjectName("budgetSpin")
        self.spin.setSingleStep(BUDGET_STEP)
        self.spin.setMinimumWidth(130)
        self.spin.setGroupSeparatorShown(True)
        row.addWidget(self.budget_label)
        row.addWidget(self.slider, 1)
        row.addWidget(self.spin)
        outer.addLayout(row)
        self.status = note_label(self)
        self.status.setObjectName("planStatus")
        outer.addWidget(self.status)
        # Warnings as a plain list of lines, each whole (not a small box to scroll).
        self.notes = note_label(self)
        self.notes.setObjectName("planNotes")
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.hide()
        outer.addWidget(self.notes)
        self.empty = note_label(self)
        self.empty.setObjectName("planEmpty")
        self.empty.hide()
        outer.addWidget(self.empty)

        split = QSplitter(Qt.Orientation.Vertical, self)
        self.compare = RowsModel(COMPARE_COLUMNS, self)
        self.table = QTableView(split)
        self.table.setObjectName("strategyTable")
        self.table.setModel(self.compare)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Names and numbers as wide as they need; the explanation takes the rest (it was cut off before).
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COMPARE_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(150)
        self.tabs = QTabWidget(split)
        self.balance_chart = ChartView(self.tabs)
        self.balance_chart.setObjectName("balanceChart")
        self.interest_chart = ChartView(self.tabs)
        self.payoff_chart = ChartView(self.tabs)
        self.tabs.addTab(self.balance_chart, "")
        self.tabs.addTab(self.interest_chart, "")
        self.tabs.addTab(self.payoff_chart, "")
        split.addWidget(self.table)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        outer.addWidget(split, 1)
        self.split = split

        self.slider.valueChanged.connect(lambda v: self.spin.setValue(v * BUDGET_STEP))
        self.spin.valueChanged.connect(self._budget_changed)
        self._chosen = False  # the person moved the budget: keep it as the one figure for debts
        self._writing = False
        self.retranslate()

    def _on_changed(self, changes: Changed) -> None:
        if not self._writing:  # its own change of the figure needs no new plans
            super()._on_changed(changes)

    def retranslate(self) -> None:
        self.title.setText(_("Plan: pay everything back with one monthly budget"))
        self.budget_label.setText(_("Monthly budget for debts"))
        self.spin.setPrefix("¥ ")
        self.tabs.setTabText(0, _("Balance over time"))
        self.tabs.setTabText(1, _("Interest paid"))
        self.tabs.setTabText(2, _("Payoff dates"))
        self.budget_label.setBuddy(self.spin)
        self.slider.setAccessibleName(_("Monthly budget for debts"))
        self.table.setAccessibleName(_("The strategies compared"))
        name_tabs(self.tabs, _("Charts of the plans"))
        self.compare.retranslate()
        self._show()

    def busy(self) -> bool:
        """Plans are still being worked out (screenshots wait for them)."""
        return self.debouncer.pending()

    def budget(self) -> Decimal:
        return Decimal(self.spin.value())

    def set_budget(self, amount: int) -> None:
        self.spin.setValue(amount)

    def refresh(self) -> None:
        super().refresh()
        services = self.context.services
        debts = services.list_debts(include_archived=False)
        total = sum((d.principal for d in debts), Decimal(0))
        top = max(20000, int(total / 6) // 1000 * 1000 + 1000)
        for w in (self.slider, self.spin):
            w.blockSignals(True)
        self.slider.setRange(0, top // BUDGET_STEP)
        self.spin.setRange(0, top * 5)
        start = default_budget(services)
        self._chosen = False
        self.spin.setValue(start)
        self.slider.setValue(start // BUDGET_STEP)
        for w in (self.slider, self.spin):
            w.blockSignals(False)
        self._request()

    def _budget_changed(self, value: int) -> None:
        self._chosen = True
        self.slider.blockSignals(True)
        self.slider.setValue(value // BUDGET_STEP)
        self.slider.blockSignals(False)
        self._request()

    def _request(self) -> None:
        services = self.context.services
        budget = self.budget()
        as_of = self.context.today()
        self.debouncer.request(
            lambda: compute_plans(services, budget, as_of), self._plans_ready, self._plans_failed
        )

    def _plans_ready(self, result: PlanComparison) -> None:
        self.result = result
        if self._chosen:
            # The one figure for debts (the budget page shows it too), kept once per computation,
            # not on every tick of the slider; a budget only shown, never chosen, is not kept.
            from services.planning import set_debt_budget

            self._chosen = False
            self._writing = True
            try:
                set_debt_budget(self.context.services, result.budget)
                self.context.broadcast(Changed.BUDGET)
            finally:
                self._writing = False
        self.plans = {r[0]: r[1] for r in result.rows}
        self._show()

    def _plans_failed(self, exc: BaseException) -> None:
        self.plans = {}
        from ui.errors import show_exception

        show_exception(exc, self)

    def _show(self) -> None:
        result = self.result
        if result is None:
            return
        rows = result.rows
        empty = result.nothing_owed and not result.error
        self.empty.setVisible(empty)
        self.split.setVisible(not empty)
        if empty:
            self.empty.setText(
                _(
                    "Nothing to plan yet: no debt with anything owed is recorded. Add your "
                    "debts (Debts page, or the demo on the overview) and the plan shows when "
                    "each is paid off at the budget you choose."
                )
            )
            self.status.setText("")
            self.notes.hide()
            self.compare.set_rows([])
            return
        self.compare.set_rows(rows)
        if result.error or not rows:
            self.status.setText(result.error or "")
            self.notes.hide()
            for view in (self.balance_chart, self.interest_chart, self.payoff_chart):
                view.reset()
            return
        lines = []
        if result.best is not None:
            key, best, cost = next(r for r in rows if r[0] == result.best)
            lines.append(
                tr(
                    "With {budget} a month you are debt-free on {date}. “{strategy}” costs the least: "
                    "{interest} in interest and fees.",
                    budget=labels.money(result.budget),
                    date=labels.day(best.payoff_date),
                    strategy=_(STRATEGY_LABELS[key]),
                    interest=labels.money(cost),
                )
            )
            if not result.minimums_end:
                lines.append(_("Paying only the minimums would never clear them at this budget."))
            elif result.saved_against_minimums is not None and result.saved_against_minimums > 0:
                lines.append(
                    tr(
                        "That is {amount} less than paying only the minimums.",
                        amount=labels.money(result.saved_against_minimums),
                    )
                )
        elif not any(r[1].ends for r in rows):
            lines.append(
                tr("At {budget} a month no plan clears your debts.", budget=labels.money(result.budget))
            )
        self.status.setText(" ".join(lines))
        self.notes.setText(
            "\n".join(("• " + n) if not n.startswith(" ") else "    " + n.strip() for n in result.notes)
        )
        self.notes.setVisible(bool(result.notes))
        self._charts(result)

    def _charts(self, result: PlanComparison) -> None:
        rows = result.rows
        same = result.same_as()
        series = []
        for key, plan, _cost in rows:
            name = _(STRATEGY_LABELS[key])
            if key in same:
                name = tr(
                    "{strategy} (almost the same line as “{other}”)",
                    strategy=name,
                    other=_(STRATEGY_LABELS[same[key]]),
                )
            elif not plan.ends:
                name = tr("{strategy} (never ends)", strategy=name)
            series.append((name, [(float(m.month), m.remaining) for m in plan.months_detail]))
        # The time axis fits the plans that end; a path that never ends runs off its right edge.
        finishing = result.finishing_months()
        line_chart(
            self.balance_chart,
            _("What you still owe, month by month"),
            _("Months from now"),
            _("Owed (yuan)"),
            series,
            x_limit=None if finishing is None else finishing + max(3, finishing // 10),
        )
        names = [_(STRATEGY_LABELS[r[0]]) for r in rows]
        bar_chart(
            self.interest_chart,
            _("Interest and fees paid in total"),
            names,
            [(_("Interest and fees"), [r[2] for r in rows])],
            _("yuan"),
        )
        debts = rows[0][1].debts
        sets = []
        for key, plan, _cost in rows:
            if key == "minimum-only":
                continue
            months = {d.id: d.payoff_month for d in plan.debts}
            sets.append((_(STRATEGY_LABELS[key]), [months.get(d.id) for d in debts]))
        bar_chart(
            self.payoff_chart,
            _("Months until each debt is paid off"),
            [d.name for d in debts],
            sets,
            _("months"),
        )


def default_budget(services: Any) -> int:
    """The one figure for debts (the budget page's), else a round figure to start from."""
    from services.overview import affordable_per_month

    spare = affordable_per_month(services)
    if spare is not None and spare > 0:
        return int(spare)
    return 5000
