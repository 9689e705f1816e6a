"""The guide page as a person reaches it: one click from the overview, from an overdue debt, a tick
that stays, and "Print my situation"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

from tests.ui.conftest import TODAY


def click(widget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def shown(page, step: str) -> bool:
    """The step's box is on screen (a page laid out again makes new boxes)."""
    return step in page.step_boxes and page.step_boxes[step].isVisible()


def visible_texts(page) -> list[str]:
    return [label.text() for label in page.findChildren(QLabel) if label.isVisible()]


def test_the_overview_button_opens_the_guide_with_the_huji_answer(window, services, qtbot):
    window.show_page("dashboard")
    button = window.pages["dashboard"].findChild(QPushButton, "openGuide")
    assert button.isVisible() and button.text() == "What should I do?"
    click(button)
    page = window.stack.currentWidget()
    assert page is window.pages["guide"] and window.current == "guide"
    question = (
        "Will they come to my hometown (户籍地), or tell my family, my employer or the village committee?"
    )
    qtbot.waitUntil(lambda: question in visible_texts(page))  # new labels show on the next event loop pass
    texts = visible_texts(page)
    baitiao = next(d for d in services.list_debts() if d.kind.value == "jd_baitiao")
    answer = next(t for t in texts if t.startswith("Collecting from you is lawful"))
    assert f"This holds for {baitiao.lender}" in answer
    # The situation: how many, which is overdue and for how long, civil, what may come next.
    situation = page.findChild(QLabel, "guideSituation").text()
    assert "京东白条 12期 (京东金融) for 120 days" in situation
    assert "from day 91 to day 365 overdue" in situation
    # Each answer carries its certainty badge; the next three steps are on the same screen.
    assert {b.objectName() for b in page.findChildren(QLabel) if b.objectName().startswith("badge_")} == {
        "badge_law",
        "badge_typical",
        "badge_depends",
    }
    qtbot.waitUntil(lambda: all(page.step_boxes[k].isVisible() for k in ("budget", "ask_lender", "records")))


def test_an_overdue_debt_opens_the_guide_for_that_debt(window, services, qtbot):
    baitiao = next(d for d in services.list_debts() if d.kind.value == "jd_baitiao")
    overdue = window.show_page("overdue")
    overdue.show_debt(baitiao.id)
    click(overdue.findChild(QPushButton, "openGuide"))
    page = window.pages["guide"]
    assert window.stack.currentWidget() is page
    assert page.debt_id() == baitiao.id
    assert page.guide.debt_ids == (baitiao.id,)
    # The same from the debt list: select the row, press the button.
    debts = window.show_page("debts")
    debts.select_debt(baitiao.id)
    page.show_debt(None)
    click(debts.findChild(QPushButton, "openGuide"))
    assert window.stack.currentWidget() is page and page.debt_id() == baitiao.id


def test_a_ticked_step_stays_ticked_after_reopening(window, services, demo_db, qtbot):
    from services.app import Services
    from ui.app import make_application
    from ui.context import AppContext
    from ui.main_window import MainWindow

    page = window.show_page("guide")
    qtbot.waitUntil(lambda: shown(page, "budget"))
    box = page.step_boxes["budget"]
    assert isinstance(box, QCheckBox) and not box.isChecked()
    click(box)
    assert box.isChecked()
    window.context = None
    services.close()
    make_application()
    with Services.open(demo_db) as again:
        second = MainWindow()
        qtbot.addWidget(second)
        second.attach(AppContext(again, today=lambda: TODAY))
        second.show()
        reopened = second.show_page("guide")
        qtbot.waitUntil(lambda: shown(reopened, "budget"))
        assert reopened.step_boxes["budget"].isChecked()
        assert not reopened.step_boxes["records"].isChecked()
        second.context = None


def test_ctrl_0_opens_the_guide(window, qtbot):
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    QTest.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.current == "guide"


def test_print_my_situation_writes_the_pdf(window, qtbot, tmp_path: Path):
    from ui.worker import wait_for_tasks

    page = window.show_page("guide")
    target = tmp_path / "situation.pdf"
    page.print_situation(str(target))
    wait_for_tasks()
    qtbot.waitUntil(page.print_button.isEnabled)
    assert target.read_bytes().startswith(b"%PDF")
    assert str(target) in page.status.text()


def test_the_guide_in_chinese(window, qtbot):
    window.switch_language("zh_CN")
    try:
        page = window.show_page("guide")
        assert page.title.text() == "我该怎么办？"
        question = "他们会来我的户籍地吗？会告诉我的家人、单位或村委会吗？"
        qtbot.waitUntil(lambda: question in visible_texts(page))
        assert window.sidebar.item(9).text() == "指南"
        assert page.print_button.text() == "打印我的情况(&P)…"
    finally:
        window.switch_language("en_US")
