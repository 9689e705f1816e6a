"""A first use, end to end, as a person would go through it, in both languages.

An empty database, the clock at 2026-11-23: the welcome, two debts typed into
the editor (one refused first), a payment with its split, the Baitiao arrears
with their cost and the next step, a plan with its chart, the guide one click from the
overview, then the language
switched in Settings. Modal dialogs are driven through their own widgets: their
``exec`` is replaced by "show, let the person act, return the result".
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from domain.debts import DebtKind
from resources.i18n import tr
from ui.dialogs.debt_editor import qdate

AS_OF = date(2026, 11, 23)
OVERDUE_SINCE = AS_OF - timedelta(days=120)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _in_language(text: str, lang: str) -> bool:
    """Chinese text carries Chinese characters; English text none."""
    return bool(text) and bool(CJK.search(text)) == (lang == "zh_CN")


@pytest.fixture(params=["zh_CN", "en_US"])
def lang(request: pytest.FixtureRequest) -> str:
    from resources.i18n import set_language

    set_language(request.param)  # tests/conftest.py puts en_US back afterwards
    return request.param


@pytest.fixture
def journey_window(lang, empty_services, qtbot):
    from ui.app import make_application
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.qtlang import install_qt_translations

    make_application()
    install_qt_translations(lang)
    context = AppContext(empty_services, today=lambda: AS_OF)
    w = MainWindow()
    qtbot.addWidget(w)
    w.attach(context)
    w.show()
    qtbot.waitExposed(w)
    yield w
    from ui.worker import wait_for_tasks

    wait_for_tasks()
    w.context = None  # the fixture closes the database
    install_qt_translations("en_US")


def drive(monkeypatch, dialog_class, act):
    """The next ``dialog_class.exec()`` shows the dialog, runs ``act(dialog)`` and returns its result."""
    seen = []

    def fake_exec(self):
        self.show()
        seen.append(self)
        act(self)
        return self.result()

    monkeypatch.setattr(dialog_class, "exec", fake_exec)
    return seen


def _save(dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Save).click()


def test_first_use_journey(journey_window, lang, empty_services, qtbot, monkeypatch):
    from ui.dialogs.debt_editor import DebtEditor
    from ui.dialogs.payment import PaymentDialog

    window = journey_window
    services = empty_services

    # 1. The welcome: an empty database asks for the first debt.
    dashboard = window.show_page("dashboard")
    qtbot.waitUntil(lambda: dashboard.stack.currentWidget() is dashboard.welcome, timeout=5000)
    assert _in_language(dashboard.welcome.heading.text(), lang)
    assert _in_language(dashboard.welcome.add_button.text(), lang)

    # 2. The first debt: JD Baitiao, a negative amount refused beside the field, then saved.
    def enter_baitiao(editor: DebtEditor) -> None:
        editor.kind.setCurrentIndex(editor.kind.findData(DebtKind.JD_BAITIAO.value))
        assert editor.lender.text()  # the preset filled the lender and the terms
        assert editor.preset_note.text()
        # Nothing typed yet: no red message beside the empty amount, but Save says what it waits for.
        assert editor.errors["principal"].text() == ""
        assert editor.field_label("principal") in editor.summary.text()
        assert not editor.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
        editor.name.clear()
        qtbot.keyClicks(editor.name, "Baitiao 12 instalments")
        qtbot.keyClicks(editor.principal, "-6000")
        qtbot.waitUntil(lambda: editor.errors["principal"].text() != "", timeout=3000)
        assert _in_language(editor.errors["principal"].text(), lang)
        assert not editor.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
        editor.accept()  # even forced, nothing is written
        assert services.list_debts() == []
        editor.principal.clear()
        qtbot.keyClicks(editor.principal, "6000")
        editor.start_date.setDate(qdate(date(2026, 3, 1)))
        editor.overdue_check.setChecked(True)
        editor.overdue_since.setDate(qdate(OVERDUE_SINCE))
        qtbot.waitUntil(lambda: editor.errors["principal"].text() == "", timeout=3000)
        qtbot.waitUntil(
            lambda: editor.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled(), timeout=3000
        )
        _save(editor)

    editors = drive(monkeypatch, DebtEditor, enter_baitiao)
    qtbot.mouseClick(dashboard.welcome.add_button, Qt.MouseButton.LeftButton)
    assert editors and editors[0].result() == DebtEditor.DialogCode.Accepted
    debts = services.list_debts()
    assert [d.kind for d in debts] == [DebtKind.JD_BAITIAO]
    assert debts[0].principal == Decimal("6000") and debts[0].overdue_since == OVERDUE_SINCE
    assert window.current == "debts"

    # 3. A second debt from the Debts page: a credit card.
    def enter_card(editor: DebtEditor) -> None:
        editor.kind.setCurrentIndex(editor.kind.findData(DebtKind.CREDIT_CARD.value))
        editor.name.clear()
        qtbot.keyClicks(editor.name, "Visa card")
        qtbot.keyClicks(editor.principal, "12000")
        editor.start_date.setDate(qdate(date(2026, 6, 1)))
        qtbot.waitUntil(
            lambda: editor.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled(), timeout=3000
        )
        _save(editor)

    drive(monkeypatch, DebtEditor, enter_card)
    debts_page = window.pages["debts"]
    qtbot.mouseClick(debts_page.add_button, Qt.MouseButton.LeftButton)
    assert sorted(d.kind.value for d in services.list_debts()) == sorted(
        [DebtKind.JD_BAITIAO.value, DebtKind.CREDIT_CARD.value]
    )
    qtbot.waitUntil(lambda: debts_page.table.model().rowCount() == 2, timeout=5000)

    # 4. A payment on the credit card with the pre-filled amount; the split is shown after saving.
    card = next(d for d in services.list_debts() if d.kind is DebtKind.CREDIT_CARD)
    prefilled: list[str] = []

    def pay(dialog: PaymentDialog) -> None:
        dialog.debt.setCurrentIndex(dialog.debt.findData(card.id))
        prefilled.append(dialog.amount.text())
        assert dialog.date.date().toPython() == AS_OF
        assert _in_language(dialog.hint.text(), lang)
        assert _in_language(dialog.prefilled.text(), lang)  # where the pre-filled figure comes from
        _save(dialog)

    drive(monkeypatch, PaymentDialog, pay)
    window.show_page("payments")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert prefilled and Decimal(prefilled[0].replace(",", "")) > 0
    payments = services.list_payments(card.id)
    assert len(payments) == 1
    paid = payments[0]
    assert paid.amount == Decimal(prefilled[0].replace(",", ""))
    assert paid.fees + paid.interest + paid.principal == paid.amount
    split = window.pages["payments"].split.text()
    assert _in_language(split, lang)
    from resources.i18n import format_money

    for part in (paid.amount, paid.interest, paid.principal):
        assert format_money(part, lang) in split

    # 5. The Baitiao arrears: what they cost and what comes next, with a source.
    baitiao = next(d for d in services.list_debts() if d.kind is DebtKind.JD_BAITIAO)
    overdue = window.show_page("overdue")
    overdue.show_debt(baitiao.id)
    assert overdue.debt_id() == baitiao.id
    assert overdue.figures[0].text() == "120"
    assert all(f.text() not in ("", "—") for f in overdue.figures)
    total_due = overdue.report.total_due
    assert total_due > baitiao.principal / 12  # arrears carry a late fee on top
    assert format_money(total_due, lang) == overdue.figures[5].text()
    coming = [e for e in overdue.report.events if e.status == "coming"]
    assert coming
    detail = overdue.event_detail.text()
    assert _in_language(detail, lang)
    source_word = tr("{text}\nSource ({certainty}): {source}", text="", certainty="", source="").strip()
    assert source_word.split("(")[0].split("（")[0].strip() in detail
    assert _in_language(overdue.limitation.text(), lang)

    # 6. The plan: move the budget, wait for the table and the chart.
    plan = window.show_page("plan")
    qtbot.waitUntil(lambda: bool(plan.plans) and not plan.busy(), timeout=20000)
    plan.spin.setValue(plan.spin.value() + 1000)
    budget = plan.budget()
    qtbot.waitUntil(
        lambda: (
            not plan.busy()
            and plan.result is not None
            and plan.result.budget == budget
            and plan.compare.rowCount() >= 2
            and bool(plan.balance_chart.chart().series())
        ),
        timeout=20000,
    )
    assert all(s.count() > 0 for s in plan.balance_chart.chart().series())
    assert _in_language(plan.status.text(), lang)

    # 6b. "What should I do?": one click from the overview, the 户籍地 question answered for the
    # Baitiao, and the next three steps beside it.
    window.show_page("dashboard")
    qtbot.mouseClick(window.pages["dashboard"].guide_button, Qt.MouseButton.LeftButton)
    guide = window.pages["guide"]
    assert window.stack.currentWidget() is guide
    home = next(a for a in guide.guide.answers if a.topic == "hometown_visit")
    assert "户籍地" in tr(home.question, lang) and home.debt_ids == (baitiao.id,)
    qtbot.waitUntil(
        lambda: all(
            k in guide.step_boxes and guide.step_boxes[k].isVisible()
            for k in ("budget", "ask_lender", "records")
        ),
        timeout=3000,
    )
    assert baitiao.lender in "".join(guide.answer_labels[0].text().split())
    assert _in_language(guide.title.text(), lang)  # 我该怎么办？ / What should I do?
    owed = sum((s.balance for s in services.list_summaries(AS_OF, include_archived=False)), Decimal(0))
    first = tr("Debts still open: {count}, {total} in all.", lang, count=2, total=format_money(owed, lang))
    assert guide.situation.text().startswith(first)

    # 7. The other language from Settings: the page relabels at once.
    other = "en_US" if lang == "zh_CN" else "zh_CN"
    settings = window.show_page("settings")
    settings.language.setCurrentIndex(settings.language.findData(other))
    qtbot.waitUntil(lambda: _in_language(settings.language_label.text(), other), timeout=3000)
    assert _in_language(window.sidebar.item(0).text(), other)
    assert _in_language(plan.title.text(), other)
    qtbot.waitUntil(lambda: not plan.busy(), timeout=20000)
    assert _in_language(plan.status.text(), other)
