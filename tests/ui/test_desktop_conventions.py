"""The window follows the conventions of desktop programs, driven through Qt as a person drives it:
a menu bar reached by Alt and the underlined letters, Ctrl+P printing, files saved to Documents with
names in the window's language, a window that fits its screen and keeps its place, a wheel that never
changes a field without focus, dates taken as typed, Qt's own dialogs in Chinese, a banner that never
moves the page.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QDesktopServices, QKeySequence, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMenu,
    QPushButton,
    QWidget,
)

from tests.ui.conftest import TODAY
from ui.pages import PAGE_KEYS, PAGES

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(params=["zh_CN", "en_US"])
def lang(request: pytest.FixtureRequest, context) -> str:
    from ui.qtlang import install_qt_translations

    context.set_language(request.param)  # tests/conftest.py puts en_US back afterwards
    install_qt_translations(request.param)
    yield request.param
    install_qt_translations("en_US")


def active_window(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)


def open_menu(window, qtbot, letter: Qt.Key) -> QMenu:
    """Alt + the underlined letter of a menu opens it, as it does for a person."""
    QTest.keyClick(window, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=3000)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def choose(menu: QMenu, qtbot, letter: Qt.Key) -> None:
    QTest.keyClick(menu, letter)
    qtbot.wait(20)


# --- the menu bar ---------------------------------------------------------------------------------


def test_the_menu_bar_holds_every_command(window, lang):
    menus = {m.title(): m for m in (a.menu() for a in window.menuBar().actions()) if m is not None}
    titles = list(menus)
    if lang == "zh_CN":
        assert titles == ["文件(&F)", "编辑(&E)", "查看(&V)", "帮助(&H)"]
    else:
        assert titles == ["&File", "&Edit", "&View", "&Help"]
    file_menu, edit_menu, view_menu, help_menu = menus.values()
    assert [a for a in file_menu.actions() if not a.isSeparator() and a.menu() is None] == [
        window.act_open,
        window.act_backup,
        window.act_restore,
        window.act_plan_pdf,
        window.act_print,
        window.act_quit,
    ]
    assert window.menu_export.actions() == [window.act_export_json, window.act_export_csv]
    assert [a for a in edit_menu.actions() if not a.isSeparator()] == [
        window.act_undo,
        window.act_redo,
        window.act_new_debt,
        window.act_payment,
    ]
    pages = [a for a in view_menu.actions() if not a.isSeparator()][: len(PAGES)]
    assert [a.text() for a in pages] == [window.sidebar.item(i).text() for i in range(len(PAGES))]
    assert [a for a in help_menu.actions() if not a.isSeparator()] == [
        window.act_guide,
        window.act_shortcuts,
        window.act_about,
    ]
    for action in window.shortcut_actions():
        assert action.text(), "an action without a name"
        assert bool(CJK.search(action.text())) == (lang == "zh_CN"), action.text()


def test_shortcuts_are_unique_ctrl_p_prints_and_ctrl_r_records_a_payment(window):
    keys: dict[str, str] = {}
    for action in window.findChildren(type(window.act_print)):
        for key in action.shortcuts():
            text = key.toString()
            assert text not in keys, f"{text} is both {keys[text]} and {action.text()}"
            keys[text] = action.text()
    assert window.act_print.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    assert window.act_print.shortcut().toString() == "Ctrl+P"
    assert window.act_payment.shortcut().toString() == "Ctrl+R"
    # One key per page, in sidebar order.
    assert [a.shortcut().toString() for a in window.page_actions[:9]] == [f"Ctrl+{n}" for n in range(1, 10)]


def test_ctrl_1_to_9_show_the_pages(window, qtbot):
    active_window(window, qtbot)
    for n, spec in enumerate(PAGES[:9], start=1):
        QTest.keyClick(window, getattr(Qt.Key, f"Key_{n}"), Qt.KeyboardModifier.ControlModifier)
        assert window.current == spec.key
        assert window.stack.currentWidget() is window.pages[spec.key]


def test_help_guide_opens_the_guide_page_when_there_is_one(window, qtbot):
    has_guide = "guide" in PAGE_KEYS
    assert window.act_guide.isEnabled() == has_guide
    if has_guide:
        active_window(window, qtbot)
        QTest.keyClick(window, Qt.Key.Key_F1)
        assert window.current == "guide"


def test_the_shortcuts_dialog_lists_the_windows_keys(window, lang, qtbot, monkeypatch):
    from ui.dialogs.help import ShortcutsDialog

    shown = []
    monkeypatch.setattr(ShortcutsDialog, "exec", lambda self: shown.append(self) or 0)
    active_window(window, qtbot)
    QTest.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    assert len(shown) == 1
    table = shown[0].table
    rows = {table.item(r, 1).text(): table.item(r, 0).text() for r in range(table.rowCount())}
    print_name = "打印" if lang == "zh_CN" else "Print"
    assert rows["Ctrl+P"] == print_name
    assert rows["Ctrl+R"] == ("记录还款" if lang == "zh_CN" else "Record a payment")
    assert rows["Ctrl+N"] == ("新增债务" if lang == "zh_CN" else "New debt")
    assert "&" not in "".join(rows.values())


def test_about_names_the_version_and_the_licence(window, lang, qtbot, monkeypatch):
    from ui.dialogs.help import AboutDialog

    shown = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    window.act_about.trigger()
    text = shown[0].text.text()
    with (ROOT / "pyproject.toml").open("rb") as fh:
        project = tomllib.load(fh)["project"]
    assert project["version"] in text
    assert project["license"]["text"] in text  # GPL-3.0-or-later
    assert bool(CJK.search(text)) == (lang == "zh_CN")


# --- files: Documents, names in the window's language, export, the plan PDF, printing ----------------


class SaveDialog:
    """Answers Qt's save dialog: records what it was opened with, saves into ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.asked: list[tuple[str, str, str]] = []

    def __call__(self, _parent=None, caption="", suggested="", name_filter="", *_a, **_k):
        self.asked.append((caption, suggested, name_filter))
        return str(self.folder / Path(suggested).name), ""


@pytest.fixture
def save_dialog(monkeypatch, tmp_path):
    answer = SaveDialog(tmp_path)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return answer


def test_export_json_from_the_file_menu_by_keyboard(window, lang, qtbot, save_dialog):
    """Alt+F, X (Export), E: the whole database as JSON, named in the window's language, in Documents."""
    from services.jsonio import export_database
    from ui.files import documents_folder

    active_window(window, qtbot)
    menu = open_menu(window, qtbot, Qt.Key.Key_F)
    choose(menu, qtbot, Qt.Key.Key_X)
    submenu = QApplication.activePopupWidget()
    assert submenu is window.menu_export
    assert window.act_export_json.text() in ("导出全部数据（JSON）(&E)…", "&Export all data (JSON)…")
    choose(submenu, qtbot, Qt.Key.Key_E)
    from ui.worker import wait_for_tasks

    wait_for_tasks()
    qtbot.waitUntil(
        lambda: (
            bool(save_dialog.asked) and (save_dialog.folder / Path(save_dialog.asked[0][1]).name).exists()
        ),
        timeout=5000,
    )
    _caption, suggested, _filter = save_dialog.asked[0]
    name = "债管家导出_2026-11-23.json" if lang == "zh_CN" else "debtkeeper-export_2026-11-23.json"
    assert Path(suggested) == documents_folder() / name
    written = (save_dialog.folder / name).read_bytes()
    assert written == export_database(window.context.services)
    assert json.loads(written)["debts"]


def test_documents_folder_is_the_systems(tmp_path, monkeypatch):
    from PySide6.QtCore import QStandardPaths

    from ui.files import documents_folder

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert documents_folder() == (Path(found) if found and Path(found).is_dir() else Path.home())


def test_payments_csv_from_the_file_menu(window, qtbot, save_dialog):
    from services.jsonio import payments_csv
    from ui.worker import wait_for_tasks

    window.act_export_csv.trigger()
    wait_for_tasks()
    target = save_dialog.folder / "payments_2026-11-23.csv"
    qtbot.waitUntil(lambda: "payments_2026-11-23.csv" in window.statusBar().currentMessage(), timeout=5000)
    assert target.read_bytes() == payments_csv(window.context.services)


def test_the_plan_pdf_from_the_file_menu(window, lang, qtbot, save_dialog):
    """The plan at the plan page's budget, in the window's language, named 还款计划_<date>.pdf."""
    import subprocess

    from ui.worker import wait_for_tasks

    window.act_plan_pdf.trigger()
    name = "还款计划_2026-11-23.pdf" if lang == "zh_CN" else "repayment-plan_2026-11-23.pdf"
    target = save_dialog.folder / name
    qtbot.waitUntil(lambda: (wait_for_tasks(), target.exists())[1], timeout=20000)
    assert target.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    for debt in window.context.services.list_debts(include_archived=False):
        assert debt.name.split()[0] in text
    assert text.startswith("还款计划" if lang == "zh_CN" else "Repayment plan")


def _pdf_printer(path: Path):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_ctrl_p_prints_the_plan_from_the_overview(window, qtbot, tmp_path, monkeypatch, save_dialog):
    """Through the print dialog where Qt can paint PDF pages; else saved and opened in the PDF viewer."""
    import ui.commands
    from ui.worker import wait_for_tasks

    printed = tmp_path / "printed.pdf"
    asked, opened = [], []
    monkeypatch.setattr(
        ui.commands, "ask_printer", lambda parent: asked.append(parent) or _pdf_printer(printed)
    )
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    active_window(window, qtbot)
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: (wait_for_tasks(), bool(asked or opened))[1], timeout=20000)
    if ui.commands.can_rasterise_pdf():
        assert asked == [window] and printed.exists() and opened == []
        assert "printer" in window.statusBar().currentMessage()
        return
    saved = save_dialog.folder / "repayment-plan_2026-11-23.pdf"
    assert asked == [] and opened == [str(saved)]
    assert saved.read_bytes().startswith(b"%PDF")
    assert str(saved) in window.statusBar().currentMessage()


def test_ctrl_p_on_the_letters_page_prints_the_letter(window, qtbot, tmp_path, monkeypatch):
    import ui.commands
    from ui.pages.letters import LettersPage
    from ui.worker import wait_for_tasks

    plan_printed = []
    monkeypatch.setattr(ui.commands, "ask_printer", plan_printed.append)
    printed = tmp_path / "letter.pdf"
    monkeypatch.setattr(LettersPage, "_ask_printer", lambda self: _pdf_printer(printed))
    page = window.show_page("letters")
    page.details.setChecked(True)
    page.person_fields["name"].setFocus()
    QTest.keyClicks(page.person_fields["name"], "Zhang San")
    QTest.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.edited_letter() is not None
    active_window(window, qtbot)
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: (wait_for_tasks(), printed.exists())[1], timeout=20000)
    assert plan_printed == []  # the letter, not the plan
    assert printed.read_bytes().startswith(b"%PDF")
    assert "printer" in page.status.text()


def test_the_file_dialogs_are_qts_own_and_speak_chinese(qtbot, context):
    context.set_language("zh_CN")
    """The window asks with Qt's own dialog; in the Chinese window its buttons and labels are Chinese."""
    from ui.files import OWN_DIALOG
    from ui.qtlang import install_qt_translations

    assert install_qt_translations("zh_CN")
    try:
        dialog = QFileDialog(None, "保存还款计划")
        qtbot.addWidget(dialog)
        dialog.setOptions(OWN_DIALOG)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.show()
        texts = [b.text() for b in dialog.findChildren(QDialogButtonBox)[0].buttons()]
        texts += [label.text() for label in dialog.findChildren(QLabel) if label.isVisible() and label.text()]
        assert texts and all(CJK.search(t) for t in texts), texts
        assert any("保存" in t for t in texts) and any("取消" in t for t in texts)
        dialog.reject()
    finally:
        install_qt_translations("en_US")


def test_back_up_from_the_file_menu_says_so_on_any_page(window, qtbot, save_dialog):
    """File → Back up now from the overview: a verified copy in the chosen place, named in the window's
    language, and the status bar says where."""
    from services import safety
    from ui.worker import wait_for_tasks

    window.show_page("dashboard")
    window.act_backup.trigger()
    target = save_dialog.folder / "debtkeeper-backup_2026-11-23.sqlite3"
    qtbot.waitUntil(
        lambda: (wait_for_tasks(), str(target) in window.statusBar().currentMessage())[1], timeout=10000
    )
    assert window.current == "dashboard"
    assert safety.verify(target) is not None


def test_file_open_switches_to_another_data_file(window, qtbot, tmp_path, monkeypatch, demo_db):
    """Ctrl+O, a file chosen: the window shows that file; the one it had is closed and free again."""
    from services import safety
    from services.app import Services

    other = tmp_path / "other" / "other.sqlite3"
    other.parent.mkdir()
    Services.open(other).close()
    asked = []

    def choose_file(_parent=None, caption="", folder="", *_a, **_k):
        asked.append((caption, folder))
        return str(other), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose_file)
    window.show_page("debts")
    active_window(window, qtbot)
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    try:
        assert asked and Path(asked[0][1]) == demo_db.parent  # it starts where the open file is
        assert Path(window.context.services.path) == other
        assert window.context.services.list_debts() == []
        assert window.current == "debts" and window.pages["debts"].isVisible()
        assert window.pages["debts"].model.rowCount() == 0
        assert str(other) in window.statusBar().currentMessage()
        freed = safety.lock(demo_db)  # the old file's one-window lock was let go
        assert freed is not None
        freed.release()
    finally:
        lock = window.context.extras.get("instance_lock") if window.context else None
        window.detach()  # closes the other file
        if lock is not None:
            lock.release()


# --- the window's size and place -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("screen", "expected"),
    [
        # A 1366×768 laptop with a 40-pixel panel: the preferred 1280×800 is cut to the 728 there is, centred.
        (QRect(0, 0, 1366, 728), QRect(43, 0, 1280, 728)),
        # A 1024×768 laptop: the whole screen.
        (QRect(0, 0, 1024, 738), QRect(0, 0, 1024, 738)),
        # A big screen: 1280×800 in the middle ((1920-1280)/2 = 320, (1050-800)/2 = 125).
        (QRect(0, 30, 1920, 1050), QRect(320, 155, 1280, 800)),
    ],
)
def test_a_new_window_fits_the_screen_it_opens_on(screen, expected):
    from ui.main_window import fit_on_screens

    assert fit_on_screens(None, [screen]) == expected


def test_a_saved_place_is_kept_only_on_a_screen_that_is_there():
    from ui.main_window import fit_on_screens

    laptop = QRect(0, 0, 1366, 728)
    on_it = QRect(100, 50, 900, 600)
    assert fit_on_screens(on_it, [laptop]) == on_it
    # It was on a second monitor to the right, now unplugged: centred on the laptop instead.
    gone = QRect(2000, 100, 1200, 700)
    assert fit_on_screens(gone, [laptop]) == QRect(43, 0, 1280, 728)
    # It hangs over the bottom-right edge: moved in, and cut to the screen.
    hanging = QRect(1000, 500, 1280, 800)
    assert fit_on_screens(hanging, [laptop]) == QRect(86, 0, 1280, 728)


def test_the_window_keeps_its_size_and_place(context, qtbot):
    from ui import prefs
    from ui.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    area = first.place_on_screen()
    available = first.screen().availableGeometry()
    assert available.contains(area)  # the offscreen screen is smaller than 1280×800: clamped to it
    first.show()
    qtbot.waitExposed(first)
    first.setGeometry(QRect(available.left(), available.top() + 40, 800, 700))
    wanted = first.geometry()
    first.close()
    assert prefs.load().get("geometry") == [wanted.x(), wanted.y(), 800, 700]

    second = MainWindow()
    qtbot.addWidget(second)
    second.place_on_screen()
    second.show()
    qtbot.waitExposed(second)
    assert second.geometry().size() == wanted.size()
    assert second.geometry().topLeft() == wanted.topLeft()
    second.close()


def test_a_saved_place_off_every_screen_is_brought_back(context, qtbot):
    from ui import prefs
    from ui.main_window import MainWindow

    prefs.save(geometry=[9000, 9000, 700, 500])  # on a monitor that is no longer there
    window = MainWindow()
    qtbot.addWidget(window)
    area = window.place_on_screen()
    available = window.screen().availableGeometry()
    assert available.contains(area)
    assert area.size() == QSize(1280, 800).boundedTo(available.size())
    window.show()
    qtbot.waitExposed(window)
    assert available.intersects(window.geometry())


# --- the debt editor fits 1024×768, lines up, and the wheel leaves its fields alone -----------------


def _editor(context, qtbot, size: QSize | None = None):
    from ui.dialogs.debt_editor import DebtEditor

    editor = DebtEditor(context)
    qtbot.addWidget(editor)
    if size is not None:
        editor.resize(size)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def test_the_debt_editor_fits_a_1024x768_screen_with_its_arrears_in_view(context, qtbot):
    from ui.dialogs.debt_editor import EDITOR_SIZE

    # The room on a 1024×768 screen after a 30-pixel panel and the title bar.
    room = QSize(1024, 768 - 30 - 30)
    editor = _editor(context, qtbot, EDITOR_SIZE.boundedTo(room))
    assert editor.minimumSizeHint().width() <= room.width()
    assert editor.minimumSizeHint().height() <= room.height()
    assert editor.width() <= room.width() and editor.height() <= room.height()
    # The arrears question is on screen when the editor opens: no scrolling to find it.
    viewport = editor.scroll.viewport()
    check = editor.overdue_check
    top_left = check.mapTo(viewport, QPoint(0, 0))
    assert viewport.rect().contains(QRect(top_left, check.size()))
    assert editor.scroll.verticalScrollBar().value() == 0


def test_the_debt_editors_fields_line_up_across_its_groups(context, qtbot):
    editor = _editor(context, qtbot)
    body = editor.scroll.widget()
    lefts = {
        key: editor.inputs[key].mapTo(body, QPoint(0, 0)).x()
        for key in editor.captions
        if editor.inputs[key].isVisible()
    }
    assert len(set(lefts.values())) == 1, lefts
    widths = {label.width() for label in editor.captions.values() if label.isVisible()}
    assert len(widths) == 1


def _wheel(widget: QWidget, notches: int = -1) -> None:
    """One turn of the mouse wheel over ``widget`` (negative: towards the person, scrolls down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_editor_and_never_changes_an_unfocused_field(context, qtbot):
    editor = _editor(context, qtbot, QSize(820, 420))  # short: the form scrolls
    bar = editor.scroll.verticalScrollBar()
    assert bar.maximum() > 0
    due_day, unit = editor.due_day.value(), editor.rate_unit.currentIndex()
    editor.name.setFocus()
    for field in (editor.due_day, editor.rate_unit, editor.months, editor.start_date):
        before = bar.value()
        _wheel(field)
        assert bar.value() > before or bar.value() == bar.maximum()  # the form scrolled instead
    assert editor.due_day.value() == due_day and editor.rate_unit.currentIndex() == unit
    assert editor.start_date.day() == TODAY
    # A field the person is in does take the wheel.
    editor.due_day.setFocus()
    qtbot.waitUntil(editor.due_day.hasFocus, timeout=2000)
    _wheel(editor.due_day, -1)
    assert editor.due_day.value() == due_day - 1


def test_dialogs_open_on_their_first_field(context, qtbot):
    from ui.dialogs.contact import ContactDialog
    from ui.dialogs.password import ProtectDialog
    from ui.dialogs.payment import PaymentDialog

    debts = context.services.list_debts(include_archived=False)
    cases = [
        (lambda: _editor(context, qtbot), "kind"),
        (lambda: PaymentDialog(context, debts, debts[0].id), "debt"),
        (lambda: ContactDialog(context, debts[0].id), "when"),
        (ProtectDialog, "first"),
    ]
    for make, first in cases:
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
        assert dialog.focusWidget() is getattr(dialog, first), type(dialog).__name__
        dialog.reject()


# --- dates are taken as typed ---------------------------------------------------------------------


def _payment_dialog(context, qtbot):
    from ui.dialogs.payment import PaymentDialog

    debts = context.services.list_debts(include_archived=False)
    dialog = PaymentDialog(context, debts, debts[0].id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    return dialog


def _type_date(dialog, text: str) -> None:
    QTest.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # Alt+T: the date
    assert dialog.focusWidget() is dialog.date
    QTest.keyClick(dialog.date, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(dialog.date, text)
    QTest.keyClick(dialog.date, Qt.Key.Key_Tab)


@pytest.mark.parametrize("typed", ["2026-07-26", "2026-7-26", "20260726"])
def test_a_typed_date_is_taken_as_typed(context, qtbot, typed):
    from datetime import date

    dialog = _payment_dialog(context, qtbot)
    _type_date(dialog, typed)
    assert dialog.date.day() == date(2026, 7, 26)
    assert dialog.date.problem == ""


@pytest.mark.parametrize("typed", ["2026-11-31", "2026-02-29", "2026-13-01"])
def test_a_date_that_does_not_exist_is_refused_not_moved(context, qtbot, typed):
    """Qt would quietly make 31 November the 30th; here the field keeps what it had and says why."""
    dialog = _payment_dialog(context, qtbot)
    _type_date(dialog, typed)
    assert dialog.date.day() == TODAY  # what it held before: nothing silently changed into another day
    assert typed in dialog.date.problem and typed in dialog.error.text()


# --- the banner never moves the page ---------------------------------------------------------------


def test_the_banner_is_in_place_before_the_page_is_first_shown(context, qtbot):
    from ui.main_window import MainWindow
    from ui.worker import wait_for_tasks

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.attach(context)
    assert window.banner is not None and window.banner.lines()  # the demo has an overdue debt
    page = window.pages["dashboard"]
    QApplication.processEvents()
    first = page.mapTo(window, QPoint(0, 0))
    # The tray and the reminder checks start after the first paint; the page stays where it is.
    qtbot.waitUntil(lambda: window.tray is not None, timeout=5000)
    wait_for_tasks()
    for _round in range(5):
        QApplication.processEvents()
        qtbot.wait(10)
    assert page.mapTo(window, QPoint(0, 0)) == first
    window.context = None


def test_english_uses_the_ellipsis_character():
    """“…”, never “⋯” or three dots, in every English text (the msgids) and every translation."""
    from babel.messages.pofile import read_po

    from resources import LOCALE

    bad = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                for text in (message.id, message.string):
                    for t in text if isinstance(text, tuple | list) else [text]:
                        if t and ("⋯" in t or "..." in t):
                            bad.append(f"{po.parent.parent.name}/{po.name}: {t!r}")
    assert bad == []


def test_every_page_has_a_title(window, lang):
    for key in PAGE_KEYS:
        page = window.show_page(key)
        title = getattr(page, "title", None)
        assert isinstance(title, QLabel) and title.text().strip(), key
        assert title.isVisibleTo(page), key
        assert bool(CJK.search(title.text())) == (lang == "zh_CN"), key


def test_welcome_and_overview_buttons_name_the_payment_shortcut(window):
    buttons = [b.text() for b in window.pages["dashboard"].findChildren(QPushButton)]
    assert any("Ctrl+R" in t for t in buttons)
    assert not any("Ctrl+P" in t for t in buttons)


def test_the_conventions_reach_fields_made_before_they_were_installed(qapp, qtbot, monkeypatch):
    """The window's start installs them once the data file is open: the fields of the pages shown
    before that (the first screen) get them too."""
    from PySide6.QtWidgets import QComboBox, QTableWidget

    from ui import widgets

    for installed in widgets._installed:
        qapp.removeEventFilter(installed)
    monkeypatch.setattr(widgets, "_installed", [])
    try:
        combo, table = QComboBox(), QTableWidget(3, 3)
        for w in (combo, table):
            qtbot.addWidget(w)
            w.show()
        assert combo.focusPolicy() == Qt.FocusPolicy.WheelFocus and table.tabKeyNavigation()  # Qt's own
        widgets.install_desktop_conventions(qapp)
        assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus
        assert not table.tabKeyNavigation()
        combo.addItems(["a", "b"])
        _wheel(combo)  # and the wheel leaves it alone without the focus
        assert combo.currentIndex() == 0
    finally:
        for installed in widgets._installed:
            qapp.removeEventFilter(installed)
        monkeypatch.undo()
        for installed in widgets._installed:
            qapp.installEventFilter(installed)
