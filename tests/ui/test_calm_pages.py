"""The overview, overdue, plan, budget and letters pages say calm, coherent things.

Driven as a person uses the window, on the demo (as of 2026-11-23: 京东白条 120 days overdue;
income 9,000.00 less essential expenses 300 + 1,800 + 2,500 + 250 + 800 + 100 = 5,750.00 leaves
3,250.00 a month) or on a database with a single debt and nothing else entered.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from domain.debts import Budget
from tests.ui.conftest import TODAY


def _ready(page) -> bool:
    return page.result is not None and not page.busy()


def _baitiao(services):
    return next(d for d in services.list_debts() if d.kind.value == "jd_baitiao")


# --- the overview and the overdue page ---------------------------------------------------------


def test_overview_next_step_is_the_possible_suit_with_no_date(window, services, qtbot):
    page = window.show_page("dashboard")
    row = next(o for o in page.overdue.rows if o.days_overdue == 120)
    # Day 120: report code 5 comes first in time (day 121) but a suit is the more serious step.
    assert row.next_step.startswith("The lender may sue or ask a court for a payment order")
    assert row.next_step_when == "possible now (commonly from about day 91)"
    assert row.next_step_date is None  # the lender's choice: never a fixed date
    column = [c.title for c in page.overdue.columns].index("When")
    shown = page.overdue.data(
        page.overdue.index(page.overdue.rows.index(row), column), Qt.ItemDataRole.DisplayRole
    )
    assert shown == "possible now (commonly from about day 91)"
    assert "most serious next, possible now" in page.next_step_detail.text()
    # Where a way into help goes: the chosen debt is handed on.
    with qtbot.waitSignal(page.guide_requested) as asked:
        page.request_guide()
    assert asked.args == [_baitiao(services).id]


def test_overdue_timeline_has_one_stage_and_undated_possible_steps(window, services):
    page = window.show_page("overdue")
    page.show_debt(_baitiao(services).id)
    model = page.events
    headers = [c.title for c in model.columns]

    def cell(row, name):
        return model.data(model.index(row, headers.index(name)), Qt.ItemDataRole.DisplayRole)

    statuses = [cell(i, "Status") for i in range(model.rowCount())]
    assert statuses.count("now") == 1  # one current stage, not three
    stage = statuses.index("now")
    assert cell(stage, "What happens") == "If reported, each monthly record shows 4: 91–120 days overdue."
    assert "under way" in statuses and "possible" in statuses
    for i in range(model.rowCount()):
        assert not cell(i, "What happens").startswith("Commonly reported")
        if statuses[i] == "possible":
            assert cell(i, "Date") == "—" and cell(i, "When").startswith("possible")
    assert page.legend.text().startswith("“About”: the day is commonly reported practice")
    assert page.events_view.selectionModel().selectedRows()[0].row() == stage


# --- limitation warnings in proportion ---------------------------------------------------------


def _private_loan(services, start: str) -> int:
    from domain.debts import DebtStatus

    debt_id = services.add_debt(
        {
            "name": "借朋友",
            "lender": "朋友 王五",
            "kind": "private_loan",
            "principal": "3000.00",
            "start_date": start,
            "method": "bullet",
            "months": 1,
            "rate": "0",
            "rate_unit": "year",
        }
    )
    services.set_debt_status(debt_id, DebtStatus.ACTIVE)
    return debt_id


def test_payment_asks_only_when_the_period_ends_within_six_months(context, services, qtbot, monkeypatch):
    from ui.dialogs.payment import PaymentDialog

    # Due 2024-01-10 (a one-month loan from 2023-12-10): three years end 2027-01-10, within six
    # months of 2026-11-23. Due 2026-01-10: the period ends 2029-01-10, years away.
    near = _private_loan(services, "2023-12-10")
    far = _private_loan(services, "2025-12-10")
    asked = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer[0])
    for debt_id, expected_questions in ((near, 1), (far, 0)):
        dialog = PaymentDialog(context, services.list_debts(), debt_id)
        qtbot.addWidget(dialog)
        dialog.amount.setText("100")
        before = len(services.list_payments(debt_id))
        asked.clear()
        answer[0] = QMessageBox.StandardButton.No
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
        assert len(asked) == expected_questions
        if expected_questions:
            assert "Jan 10, 2027" in asked[0]
            assert len(services.list_payments(debt_id)) == before  # declined: nothing saved
            answer[0] = QMessageBox.StandardButton.Yes
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
        assert len(services.list_payments(debt_id)) == before + 1


def test_a_letter_years_before_the_end_gets_a_quiet_note_and_no_question(
    window, services, qtbot, monkeypatch, tmp_path
):
    from services.letters import CAUSE_KEY

    services.set_setting("person.name", "张三")
    services.set_setting(CAUSE_KEY, "2026年3月失业。")
    page = window.show_page("letters")
    page.debt_box.setCurrentIndex(page.debt_box.findData(_baitiao(services).id))
    page.kind_box.setCurrentIndex(page.kind_box.findData("negotiation"))
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert not page.warning.isHidden() and "Apr 26, 2030" in page.warning.text()  # a note, years ahead
    assert "background" not in page.warning.styleSheet()
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: (_ for _ in ()).throw(AssertionError("asked"))
    )
    out = tmp_path / "n.pdf"
    with qtbot.waitSignal(page.pdf_ready, timeout=20000):
        page.save_pdf(str(out))
    qtbot.waitUntil(out.exists)


# --- letters never say nonsense -----------------------------------------------------------------


def _one_debt(empty_services):
    empty_services.add_debt(
        {
            "name": "京东白条",
            "lender": "京东金融",
            "kind": "jd_baitiao",
            "principal": "6000.00",
            "start_date": "2026-03-15",
            "method": "fee-installment",
            "months": 12,
            "overdue_since": "2026-08-15",
        }
    )
    empty_services.set_setting("person.name", "张三")
    return empty_services


def _letters_page(empty_services, qtbot):
    from ui.context import AppContext
    from ui.pages.letters import LettersPage

    context = AppContext(_one_debt(empty_services), today=lambda: TODAY)
    page = LettersPage(context)
    qtbot.addWidget(page)
    page.show()
    return page


def _answer_budget(income: str, expenses: str, cancel: bool = False) -> None:
    """Fill the budget question when it opens, as a person would, and press OK (or Cancel)."""

    def fill():
        from ui.pages.letters import BudgetQuestion

        dialog = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, BudgetQuestion) and w.isVisible()
        )
        dialog.income.setText(income)
        dialog.expenses.setText(expenses)
        box = dialog.findChild(QDialogButtonBox)
        box.button(
            QDialogButtonBox.StandardButton.Cancel if cancel else QDialogButtonBox.StandardButton.Ok
        ).click()

    QTimer.singleShot(0, fill)


def test_no_budget_the_window_asks_for_it_and_the_letter_states_it(empty_services, qtbot):
    page = _letters_page(empty_services, qtbot)
    page.lang_box.setCurrentIndex(page.lang_box.findData("zh_CN"))
    page.kind_box.setCurrentIndex(page.kind_box.findData("proposal"))
    _answer_budget("", "", cancel=True)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.editor.toPlainText() == ""  # declined: no letter with ¥0.00 in it
    _answer_budget("4,000", "3000")
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    saved = empty_services.get_budget()
    assert saved.income == Decimal("4000") and saved.essential_total == Decimal("3000")
    text = page.editor.toPlainText()
    # 4,000.00 − 3,000.00 leaves 1,000.00 a month; one debt, so all of it is offered to this lender.
    assert "本人每月收入¥4,000.00，必要生活支出¥3,000.00，每月可用于还款的金额为¥1,000.00" in text
    assert "¥0.00" not in text.split("[[table")[0] and "【" not in text


def test_no_income_at_present_is_ticked_in_the_question_and_the_letter_says_so(empty_services, qtbot):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    page = _letters_page(empty_services, qtbot)
    page.lang_box.setCurrentIndex(page.lang_box.findData("zh_CN"))
    page.kind_box.setCurrentIndex(page.kind_box.findData("negotiation"))
    seen = {}

    def fill():
        from ui.pages.letters import BudgetQuestion

        dialog = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, BudgetQuestion) and w.isVisible()
        )
        box = dialog.findChild(QDialogButtonBox)
        box.button(QDialogButtonBox.StandardButton.Ok).click()  # nothing given: told what to do
        seen["error"] = dialog.error.text()
        box_at = (
            dialog.no_income.style()
            .subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, QStyleOptionButton(), dialog.no_income)
            .center()
        )  # on the box itself, as a person clicks it
        QTest.mouseClick(dialog.no_income, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, box_at)
        seen["income_enabled"] = dialog.income.isEnabled()
        dialog.expenses.setText("2200")
        box.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert "I have no income at the moment" in seen["error"] and seen["income_enabled"] is False
    saved = empty_services.get_budget()
    assert saved.income == 0 and saved.essential_total == Decimal("2200")
    text = page.editor.toPlainText()
    assert "本人目前没有收入，房租、饮食、交通等必要生活支出每月合计¥2,200.00" in text
    assert "收入¥0.00" not in text


def test_hardship_without_a_cause_asks_for_it_beside_the_field(empty_services, qtbot):
    page = _letters_page(empty_services, qtbot)
    empty_services.set_budget(Budget(income=Decimal("4000"), expenses={"房租": Decimal("3000")}))
    page.kind_box.setCurrentIndex(page.kind_box.findData("hardship"))
    assert page.cause.isVisible()
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.editor.toPlainText() == "" and page.cause_error.isVisible()
    assert page.cause_error.text().startswith("Write in a few sentences what happened")
    page.cause.setFocus()
    page.cause.insertPlainText("2026年5月住院两个月，收入中断。")  # typed through an input method
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert "2026年5月住院两个月，收入中断。" in page.editor.toPlainText()
    assert not page.cause_error.isVisible()


def test_text_left_to_fill_in_never_reaches_the_pdf(empty_services, qtbot):
    page = _letters_page(empty_services, qtbot)
    empty_services.set_budget(Budget(income=Decimal("4000"), expenses={"房租": Decimal("3000")}))
    page.kind_box.setCurrentIndex(page.kind_box.findData("statement"))
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    page.editor.setPlainText(page.editor.toPlainText() + "\n\n【请在此填写账号】")
    failures = []
    from PySide6.QtWidgets import QMessageBox as Box

    original = Box.critical
    Box.critical = staticmethod(lambda *a, **k: failures.append(a[2]))
    try:
        page.save_pdf(str(page.context.services.path) + ".pdf")
        qtbot.waitUntil(lambda: page._pending == 0 and bool(failures), timeout=20000)
    finally:
        Box.critical = original
    assert "【请在此填写账号】" in failures[0]


# --- one budget ---------------------------------------------------------------------------------


def test_one_budget_changed_on_either_page(window, services, qtbot):
    plan = window.show_page("plan")
    qtbot.waitUntil(lambda: _ready(plan), timeout=20000)
    assert plan.spin.value() == 3250  # 9,000.00 − 5,750.00, worked above
    plan.spin.setValue(4000)  # the person types a new budget on the plan page
    qtbot.waitUntil(lambda: _ready(plan) and plan.result.budget == Decimal("4000"), timeout=20000)
    budget = window.show_page("budget")
    assert budget.affordable.text() == "CN¥4,000.00" and budget.for_debts.text() == "4000.00"
    assert (
        "more than your income leaves after essential expenses (CN¥3,250.00)" in budget.affordable_note.text()
    )
    budget.for_debts.setText("2500")
    qtbot.mouseClick(budget.for_debts_button, Qt.MouseButton.LeftButton)
    assert "You keep CN¥750.00 a month back of the CN¥3,250.00" in budget.affordable_note.text()
    # Offers to lenders share the 2,500.00, not the 3,250.00 income leaves.
    assert sum((row[0].monthly for row in budget.proposal.rows), Decimal(0)) <= Decimal("2500")
    plan = window.show_page("plan")
    assert plan.spin.value() == 2500
    qtbot.waitUntil(lambda: _ready(plan) and plan.result.budget == Decimal("2500"), timeout=20000)


# --- the plan page ------------------------------------------------------------------------------


def test_plan_page_is_coherent_on_the_demo(window, qtbot):
    page = window.show_page("plan")
    qtbot.waitUntil(lambda: _ready(page), timeout=20000)
    result = page.result
    minimum = next(plan for key, plan, _cost in result.rows if key == "minimum-only")
    assert not minimum.ends  # at 3,250.00 a month the minimums alone never clear the demo's debts
    assert "less than paying only the minimums" not in page.status.text()
    assert "Paying only the minimums would never clear them at this budget." in page.status.text()
    # The time axis fits the plans that end, not the 127 months of a path that never ends.
    finishing = max(plan.months for key, plan, _cost in result.rows if plan.ends)
    axis = page.balance_chart.chart().axes(Qt.Orientation.Horizontal)[0]
    assert finishing <= axis.max() < minimum.months
    names = [s.name() for s in page.balance_chart.chart().series()]
    same = result.same_as()
    marked = [n for n in names if "(almost the same line as" in n]
    assert len(marked) == len(same), names  # each coinciding line, and only those, says so
    assert any(n.endswith("(never ends)") for n in names)
    styles = {s.pen().style() for s in page.balance_chart.chart().series()}
    assert len(styles) == len(names)  # each line drawn its own way
    # Warnings: a plain list, whole, not a small box to scroll.
    assert page.notes.isVisible() and page.notes.text().startswith("• ")
    assert page.notes.parent() is page
    lines = page.notes.text().splitlines()
    assert len(lines) == len(set(lines))  # each consequence said once, not under every debt
    assert "• A minimum left unpaid can bring:" in lines


def test_plan_page_on_an_empty_database_says_there_is_nothing_to_plan(empty_services, qtbot):
    from ui.context import AppContext
    from ui.pages.plan import PlanPage

    page = PlanPage(AppContext(empty_services, today=lambda: date(2026, 11, 23)))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: _ready(page), timeout=20000)
    assert page.empty.isVisible() and page.empty.text().startswith("Nothing to plan yet")
    assert not page.split.isVisible() and "debt-free" not in page.status.text()
    assert empty_services.get_setting("plan.budget", None) in (None, "")  # nothing chosen, nothing kept


def test_coinciding_plan_lines_are_told_apart(empty_services, qtbot):
    # One debt: every strategy pays it the same way, so their balance lines lie on each other.
    from services.overview import compare_plans

    empty_services.add_debt(
        {
            "name": "借款",
            "lender": "银行",
            "kind": "bank_loan",
            "principal": "6000.00",
            "start_date": "2026-10-15",
            "method": "equal-installment",
            "months": 12,
            "rate": "12",
            "rate_unit": "year",
            "due_day": 15,
        }
    )
    result = compare_plans(
        empty_services, Decimal("1000"), date(2026, 11, 23), ("avalanche", "snowball", "minimum-only")
    )
    assert result.same_as() == {"snowball": "avalanche"}
