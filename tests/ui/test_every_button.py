"""Every button and action of the window and of every dialog, pressed through Qt as a person presses it.

Slots are never called directly here: each QPushButton and QToolButton is clicked with the mouse
(``QTest.mouseClick``) and each QAction triggered, so the arguments Qt passes (``clicked(bool)``,
``triggered(bool)``) reach the slots as they do for a person. Every modal question is answered by
the ``person`` fixture: files in tmp_path (a real backup to restore from), "Yes" to confirmations,
the printer dialog cancelled, links recorded instead of opened; a nested dialog is accepted when its
Save/OK button can be pressed, else cancelled. A test fails on any exception in a slot, on any crash
dialog, and on any of the program's own buttons it could not reach.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid

from tests.ui.conftest import TODAY
from ui.pages import PAGE_KEYS

# Qt's own helper buttons inside composite widgets (calendar popups, line-edit clear buttons, tab-bar
# scroll arrows) are clicked when visible, but only the program's own buttons must all be reached.
OWN_CLASSES = {"QPushButton", "QToolButton"}


# --- the person: answers every modal question, notices every failure ---------------------------------


class Person:
    """Presses buttons and answers what the program asks; records everything that went wrong."""

    def __init__(self, qtbot: Any, tmp_path: Path, backup: Path) -> None:
        self.qtbot = qtbot
        self.folder = tmp_path / "answers"
        self.folder.mkdir()
        self.backup = backup  # what "Restore from…" is answered with
        self.doing = "setting up"
        self.exceptions: list[tuple[str, str]] = []
        self.boxes: list[tuple[str, str, str, str]] = []  # (while doing, kind, title, text)
        self.dialogs: list[dict[str, Any]] = []
        self.saved_to: list[Path] = []
        self.opened_from: list[Path] = []
        self.urls: list[str] = []
        self.print_dialogs = 0
        self.quits = 0
        self.reject_dialogs: set[str] = {"ProtectDialog"}  # a person cancels the password dialog here

    # -- answers ---------------------------------------------------------------------------------------
    def save_file(
        self,
        _parent: Any = None,
        _caption: str = "",
        suggested: str = "",
        filters: str = "",
        *_a: Any,
        **_k: Any,
    ) -> tuple[str, str]:
        suffix = ".out"
        if "*." in filters:
            suffix = "." + filters.split("*.", 1)[1].split(maxsplit=1)[0].rstrip(");")
        elif Path(suggested).suffix:
            suffix = Path(suggested).suffix
        path = self.folder / f"saved-{len(self.saved_to) + 1}{suffix}"
        self.saved_to.append(path)
        return str(path), ""

    def open_file(self, *_a: Any, **_k: Any) -> tuple[str, str]:
        self.opened_from.append(self.backup)
        return str(self.backup), ""

    def directory(self, *_a: Any, **_k: Any) -> str:
        return str(self.folder)

    def message(self, kind: str, answer: QMessageBox.StandardButton) -> Callable[..., Any]:
        def box(_parent: Any = None, title: str = "", text: str = "", *_a: Any, **_k: Any) -> Any:
            self.boxes.append((self.doing, kind, str(title), str(text)))
            return answer

        return box

    def present(self, box: QMessageBox) -> None:
        """ui.errors shows its error and crash boxes through here."""
        self.boxes.append((self.doing, box.objectName() or "messageBox", box.windowTitle(), box.text()))

    def message_box_exec(self, box: QMessageBox) -> int:
        self.boxes.append((self.doing, box.objectName() or "messageBox", box.windowTitle(), box.text()))
        return int(QMessageBox.StandardButton.Ok.value)

    def dialog_exec(self, dialog: QDialog) -> int:
        """A nested dialog: noted with what it shows, saved when a person could save it, else cancelled."""
        name = type(dialog).__name__
        debt = getattr(dialog, "debt", None)  # a chooser (payments), a Debt (editor) or an id (contacts)
        debt_id = (
            debt.currentData()
            if hasattr(debt, "currentData")
            else getattr(debt, "id", None)
            if debt is not None
            else getattr(dialog, "debt_id", None)
        )
        self.dialogs.append({"dialog": name, "debt_id": debt_id, "while": self.doing})
        dialog.show()
        if name not in self.reject_dialogs:
            for button in accept_buttons(dialog):
                if button.isVisible() and button.isEnabled():
                    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
                    break
        if dialog.isVisible():
            dialog.reject()
        return int(dialog.result())

    def print_dialog_exec(self, _dialog: Any) -> int:
        self.print_dialogs += 1
        return int(QDialog.DialogCode.Rejected.value)

    def open_url(self, url: Any) -> bool:
        self.urls.append(url.toString())
        return True

    def quit(self) -> None:
        self.quits += 1

    # -- failures --------------------------------------------------------------------------------------
    def hook(self, previous: Callable[..., Any]) -> Callable[..., Any]:
        def excepthook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
            self.exceptions.append((self.doing, "".join(traceback.format_exception(exc_type, exc, tb))))
            previous(exc_type, exc, tb)  # pytest-qt's own capture sees it too

        return excepthook

    def problems(self, since: tuple[int, int] = (0, 0)) -> list[str]:
        """Exceptions in slots, crash dialogs and "could not" boxes since ``since`` (see ``mark``)."""
        found = [f"{doing}: exception\n{text}" for doing, text in self.exceptions[since[0] :]]
        found += [
            f"{doing}: {kind} “{title}”: {text}"
            for doing, kind, title, text in self.boxes[since[1] :]
            if kind in ("crashDialog", "critical")
        ]
        return found

    def mark(self) -> tuple[int, int]:
        return len(self.exceptions), len(self.boxes)

    # -- pressing --------------------------------------------------------------------------------------
    def click(self, button: QAbstractButton, doing: str) -> None:
        self.doing = doing
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        settle(self.qtbot)

    def trigger(self, action: QAction, doing: str) -> None:
        self.doing = doing
        action.trigger()
        settle(self.qtbot)


def accept_buttons(dialog: QDialog) -> list[QAbstractButton]:
    found: list[QAbstractButton] = []
    for box in dialog.findChildren(QDialogButtonBox):
        found += [
            b
            for b in box.buttons()
            if box.buttonRole(b)
            in (
                QDialogButtonBox.ButtonRole.AcceptRole,
                QDialogButtonBox.ButtonRole.YesRole,
                QDialogButtonBox.ButtonRole.ApplyRole,
            )
        ]
    return found


def unbound(method: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A plain function to put on a class in place of a method (a bound method would not get ``self``)."""

    def call(instance: Any) -> Any:
        return method(instance)

    return call


@contextmanager
def watching(person: Person) -> Iterator[Person]:
    """Exceptions in slots are recorded with what was being pressed (pytest-qt captures them as well)."""
    previous = sys.excepthook
    sys.excepthook = person.hook(previous)
    try:
        yield person
    finally:
        sys.excepthook = previous


@pytest.fixture
def backup_file(demo_template: Path, tmp_path: Path) -> Path:
    """A real backup to restore from (the demo data as it was built)."""
    path = tmp_path / "from-usb" / "debtkeeper-backup.sqlite3"
    path.parent.mkdir()
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def person(
    qtbot: Any,
    tmp_path: Path,
    backup_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Person]:
    from PySide6.QtPrintSupport import QPrintDialog

    # pytest-qt's own capture of exceptions in slots stays on as well (it fails the test too).
    assert not request.config.getini("qt_no_exception_capture")
    assert request.node.get_closest_marker("qt_no_exception_capture") is None

    import ui.errors
    from storage import encryption

    # No password from another test leaks in (set first, so the original state comes back afterwards).
    monkeypatch.setenv(encryption.PASSWORD_ENV, "")
    monkeypatch.delenv(encryption.PASSWORD_ENV)
    p = Person(qtbot, tmp_path, backup_file)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", p.save_file)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", p.open_file)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", p.directory)
    monkeypatch.setattr(QFileDialog, "exec", lambda _self: int(QDialog.DialogCode.Rejected.value))
    yes, ok = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok
    monkeypatch.setattr(QMessageBox, "question", p.message("question", yes))
    monkeypatch.setattr(QMessageBox, "information", p.message("information", ok))
    monkeypatch.setattr(QMessageBox, "warning", p.message("warning", ok))
    monkeypatch.setattr(QMessageBox, "critical", p.message("critical", ok))
    monkeypatch.setattr(QMessageBox, "exec", unbound(p.message_box_exec))
    monkeypatch.setattr(QDialog, "exec", unbound(p.dialog_exec))
    monkeypatch.setattr(QPrintDialog, "exec", unbound(p.print_dialog_exec))
    monkeypatch.setattr(QDesktopServices, "openUrl", p.open_url)
    monkeypatch.setattr(QApplication, "quit", p.quit)
    monkeypatch.setattr(ui.errors, "_present", p.present)
    with watching(p):
        yield p


# --- waiting, finding, revealing ----------------------------------------------------------------------


def settle(qtbot: Any, timeout: float = 30.0) -> None:
    """Let background tasks finish and deliver their answers, debounced requests included."""
    from ui import worker

    deadline = time.monotonic() + timeout
    while True:
        worker.wait_for_tasks()
        QApplication.processEvents()
        debouncing = any(
            d.pending() for w in QApplication.topLevelWidgets() for d in w.findChildren(worker.Debouncer)
        )
        if not worker._live and not debouncing:
            return
        assert time.monotonic() < deadline, "background work did not finish"
        qtbot.wait(10)


def buttons_in(root: QWidget) -> list[QAbstractButton]:
    """Every push and tool button shown in ``root``'s own window (not in dialogs it opened)."""
    found = [*root.findChildren(QPushButton), *root.findChildren(QToolButton)]
    return [b for b in found if isValid(b) and b.window() is root.window()]


def is_own(button: QAbstractButton) -> bool:
    return (
        button.metaObject().className() in OWN_CLASSES
        and not isinstance(button.parent(), QTabBar)
        and not button.objectName().startswith("qt_")
    )


def describe(button: QAbstractButton) -> str:
    text = button.text().replace("&", "") or button.toolTip() or button.objectName()
    return f"{button.objectName() or type(button).__name__} “{text}”"


def reveal(root: QWidget, button: QAbstractButton) -> None:
    """What a person does first: open the tab the button is on, scroll to it, select a row to act on."""
    child: QWidget = button
    parent = child.parentWidget()
    while parent is not None and child is not root:
        if isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
            tabs = parent.parentWidget()
            index = tabs.indexOf(child)
            if index >= 0 and tabs.currentIndex() != index:
                bar = tabs.tabBar()
                QTest.mouseClick(
                    bar,
                    Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier,
                    bar.tabRect(index).center(),
                )
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(button)
        child, parent = parent, parent.parentWidget()
    for view in root.findChildren(QAbstractItemView):
        model, selection = view.model(), view.selectionModel()
        if (
            view.isVisible()
            and model is not None
            and selection is not None
            and model.rowCount() > 0
            and not selection.hasSelection()
        ):
            rect = view.visualRect(model.index(0, 0))
            if not rect.isEmpty():
                QTest.mouseClick(
                    view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
                )
    QApplication.processEvents()


def press_everything(
    person: Person,
    root: QWidget,
    bring_back: Callable[[], Any],
    where: str,
    *,
    candidates: Callable[[], list[QAbstractButton]] | None = None,
    rounds: int = 5,
) -> list[str]:
    """Click every button of ``root`` a person can reach, in rounds (a click may enable or add others).

    Buttons are told apart by what they show: rows rebuilt after a change (the banner's "Record
    payment", the budget's "×") are pressed once. Returns the program's own buttons never pressed.
    """
    find = candidates or (lambda: buttons_in(root))
    pressed: set[str] = set()
    for _round in range(rounds):
        progressed = False
        for button in find():
            if not isValid(button) or describe(button) in pressed:
                continue
            bring_back()
            if not isValid(button):
                continue
            reveal(root, button)
            if not (isValid(button) and button.isVisible() and button.isEnabled()):
                continue
            label = describe(button)
            person.click(button, f"{where}: {label}")
            pressed.add(label)
            progressed = True
        if not progressed:
            break
    return sorted({describe(b) for b in find() if isValid(b) and is_own(b)} - pressed)


def _check(person: Person, unreached: list[str], allowed: Collection[str] = ()) -> None:
    problems = person.problems()
    assert problems == [], "\n\n".join(problems)
    assert sorted(set(unreached) - set(allowed)) == []


# --- every page of the window --------------------------------------------------------------------------


def _fill_in_my_name(page: Any, qtbot: Any) -> None:
    """A letter needs the writer's name: typed into "My details" as a person does before writing."""
    if not page.person_fields["name"].text():
        qtbot.keyClicks(page.person_fields["name"], "Wang Xiaoming")  # QTest types Latin letters only


def _saved(person: Person, suffix: str) -> bytes:
    written = [p for p in person.saved_to if p.suffix == suffix]
    assert len(written) == 1 and written[0].exists(), f"nothing was written to a {suffix} file"
    return written[0].read_bytes()


def _debts_effects(person: Person, _page: Any) -> None:
    assert {d["dialog"] for d in person.dialogs} == {"DebtEditor", "ScheduleDialog"}


def _overdue_effects(person: Person, page: Any) -> None:
    assert [(d["dialog"], d["debt_id"]) for d in person.dialogs] == [("ContactDialog", page.debt_id())]


def _letters_effects(person: Person, _page: Any) -> None:
    assert _saved(person, ".pdf").startswith(b"%PDF")
    assert person.print_dialogs == 1


def _reminders_effects(person: Person, _page: Any) -> None:
    assert b"BEGIN:VCALENDAR" in _saved(person, ".ics")


def _settings_effects(person: Person, page: Any) -> None:
    from services.app import Services

    data_file = Path(str(page.context.services.path))
    assert person.urls == [QUrl.fromLocalFile(str(data_file.parent)).toString()]
    with Services.open(person.folder / "saved-1.sqlite3") as copy:  # "Back up now…" made a real backup
        assert len(copy.list_debts()) == len(page.context.services.list_debts())
    assert person.opened_from == [person.backup]
    assert page.result.text().startswith(f"Restored from {person.backup}.")


PREPARE: dict[str, Callable[[Any, Any], None]] = {"letters": _fill_in_my_name}
EFFECTS: dict[str, Callable[[Person, Any], None]] = {
    "debts": _debts_effects,
    "overdue": _overdue_effects,
    "letters": _letters_effects,
    "reminders": _reminders_effects,
    "settings": _settings_effects,
}
WELCOME = {"welcomeAdd “Add my first debt (Ctrl+N)”", "welcomeDemo “Try it with sample data”"}


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_button_on_every_page(key, window, person):
    settle(person.qtbot)
    page = window.show_page(key)
    if key in PREPARE:
        PREPARE[key](page, person.qtbot)
    unreached = press_everything(person, page, lambda: window.show_page(key), key)
    # The welcome panel is for an empty database (its buttons are pressed in the test below).
    _check(person, unreached, WELCOME)
    if key in EFFECTS:
        EFFECTS[key](person, page)


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_button_on_an_empty_database(key, empty_services, qtbot, person):
    """A new person's first clicks: nothing breaks, and the welcome panel's two buttons work."""
    from ui.app import make_application
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.worker import wait_for_tasks

    make_application()
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(AppContext(empty_services, today=lambda: TODAY))
    window.show()
    try:
        settle(qtbot)
        unreached = press_everything(person, window.show_page(key), lambda: window.show_page(key), key)
        problems = person.problems()
        assert problems == [], "\n\n".join(problems)
        # Where there is a welcome panel, both its buttons were pressed (the sample data then filled it).
        assert WELCOME & set(unreached) == set()
    finally:
        wait_for_tasks()
        window.context = None


def test_every_action_and_window_button(window, person, context):
    """The window's shortcuts (as actions), its undo bar, the overdue banner and the tray menu."""
    from ui.tray import ReminderScheduler, TrayController

    settle(person.qtbot)
    person.qtbot.waitUntil(lambda: window.banner is not None, timeout=5000)

    def window_level() -> list[QAbstractButton]:
        return [
            b
            for b in buttons_in(window)
            if not any(isValid(p) and p.isAncestorOf(b) for p in window.pages.values())
        ]

    actions = [a for a in window.findChildren(QAction) if a.parent() is window and not a.isSeparator()]
    actions += [a for menu_bar in [window.menuBar()] for a in menu_bar.actions()]
    quit_action = window.act_quit
    for action in actions:
        if action is quit_action:
            continue
        window.show_page("dashboard")
        person.trigger(action, f"action {action.text()} ({action.shortcut().toString()})")
    assert window.undo_stack.canUndo(), "recording a payment from Ctrl+P should be undoable"

    # The undo bar and the banner's "Record payment" buttons, each for its own debt.
    banner_ids = {
        int(b.objectName().removeprefix("record_"))
        for b in window_level()
        if b.objectName().startswith("record_")
    }
    assert banner_ids, "the demo has overdue and due debts: the banner offers to record their payments"
    unreached = press_everything(person, window, lambda: None, "window", candidates=window_level)
    from_banner = {d["debt_id"] for d in person.dialogs if "record_" in d["while"]}
    assert from_banner == banner_ids

    # The tray menu (offscreen there is no system tray: the same controller with one forced).
    # Tomorrow at 09:00 (today's may have fired already from the window's own scheduler).
    nine = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0) + timedelta(days=1)
    scheduler = ReminderScheduler(context, now=lambda: nine)
    tray = TrayController(context, scheduler=scheduler, window=window, use_tray=True)
    tray.record_payment_requested.connect(window.record_payment)  # as ui.tray.start_reminders wires it
    fired = scheduler.check()
    tray.show_reminders(fired)
    menu_actions = [a for a in tray._menu.actions() if not a.isSeparator()]
    assert len(menu_actions) > 2, "at 09:00 the demo's reminders fire: the menu offers to record a payment"
    for action in menu_actions:
        person.trigger(action, f"tray menu {action.text()}")
    assert person.quits == 1
    assert {d["debt_id"] for d in person.dialogs if d["while"].startswith("tray menu")} == {
        r.debt_id for r in fired
    }
    tray.tray.hide()

    window.show()
    person.trigger(quit_action, "action Quit")
    assert not window.isVisible()
    _check(person, unreached)


# --- every dialog ---------------------------------------------------------------------------------------


def _first_payment(services: Any) -> Any:
    return next(p for d in services.list_debts() for p in services.list_payments(d.id))


def _fill_debt(dialog: Any, qtbot: Any) -> None:
    qtbot.keyClicks(dialog.name, "Loan from a friend")
    qtbot.keyClicks(dialog.principal, "3000")
    dialog.validate()


def _fill_password(dialog: Any, qtbot: Any) -> None:
    qtbot.keyClicks(dialog.first, "correct horse")
    qtbot.keyClicks(dialog.again, "correct horse")


def _problem_dialog(kind: str) -> Callable[[Any], QDialog]:
    def make(services: Any) -> QDialog:
        from storage.backup import BackupInfo
        from ui.open_problem import problem_dialog

        backup = (
            BackupInfo(Path("backup.sqlite3"), datetime(2026, 11, 22, 9, 0), "daily", 1024)
            if kind == "corrupt"
            else None
        )
        return problem_dialog(kind, "The data file could not be opened.", backup)

    return make


def _window_actions() -> list[QAction]:
    """The main window's actions (the shortcuts dialog lists them), from a window of their own."""
    from ui.main_window import MainWindow

    window = MainWindow()
    window.deleteLater()
    return window.shortcut_actions()


def dialog_makers(context: Any) -> dict[str, tuple[Callable[[], QDialog], Callable[[Any, Any], None] | None]]:
    from ui.dialogs.contact import ContactDialog
    from ui.dialogs.debt_editor import DebtEditor
    from ui.dialogs.help import AboutDialog, ShortcutsDialog
    from ui.dialogs.password import ProtectDialog
    from ui.dialogs.payment import PaymentDialog
    from ui.dialogs.schedule import ScheduleDialog

    svc = context.services
    debts = svc.list_debts(include_archived=False)
    makers: dict[str, tuple[Callable[[], QDialog], Callable[[Any, Any], None] | None]] = {
        "PaymentDialog new": (lambda: PaymentDialog(context, debts, debts[1].id), None),
        "PaymentDialog edit": (lambda: PaymentDialog(context, debts, None, _first_payment(svc)), None),
        "DebtEditor new": (lambda: DebtEditor(context, None), _fill_debt),
        "DebtEditor edit": (lambda: DebtEditor(context, svc.list_debts()[0]), None),
        "ScheduleDialog": (lambda: ScheduleDialog(context, debts[0]), None),
        "ContactDialog": (lambda: ContactDialog(context, debts[0].id), None),
        "ProtectDialog": (ProtectDialog, _fill_password),
        "AboutDialog": (AboutDialog, None),
        "ShortcutsDialog": (lambda: ShortcutsDialog(_window_actions()), None),
    }
    for kind in (
        "corrupt",
        "too_new",
        "already_open",
        "locked",
        "read_only",
        "disk_full",
        "password",
        "other",
    ):
        makers[f"problem_dialog {kind}"] = (lambda k=kind: _problem_dialog(k)(svc), None)
    return makers


def test_the_dialog_list_names_every_dialog_the_program_has(context):
    import ui.dialogs

    found = set()
    for info in pkgutil.iter_modules(ui.dialogs.__path__):
        module = importlib.import_module(f"ui.dialogs.{info.name}")
        found |= {
            name
            for name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, QDialog) and cls.__module__ == module.__name__
        }
    covered = {name.split()[0] for name in dialog_makers(context)}
    assert found - covered == set()


def test_every_button_of_every_dialog(context, person, qtbot):
    for name, (make, fill) in dialog_makers(context).items():
        first = make()
        count = len([b for b in buttons_in(first) if is_own(b)])
        first.deleteLater()
        assert count, f"{name} shows no button"
        for index in range(count):
            dialog = make()
            qtbot.addWidget(dialog)
            dialog.show()
            if fill is not None:
                fill(dialog, qtbot)
            settle(qtbot)
            button = [b for b in buttons_in(dialog) if is_own(b)][index]
            reveal(dialog, button)
            assert button.isVisible() and button.isEnabled(), f"{name}: {describe(button)} cannot be pressed"
            person.click(button, f"{name}: {describe(button)}")
            assert not dialog.isVisible(), f"{name}: {describe(button)} did not close the dialog"
    _check(person, [])


# --- what the buttons do, as clicked ---------------------------------------------------------------------


def test_back_up_now_as_clicked_writes_the_backup_and_says_where(window, person, context):
    from services.app import Services

    page = window.show_page("settings")
    person.click(page.backup_button, "Back up now")
    assert person.problems() == []
    target = person.saved_to[-1]
    assert page.result.text() == f"Backed up to {target}"
    with Services.open(target) as copy:
        assert [d.name for d in copy.list_debts()] == [d.name for d in context.services.list_debts()]


@pytest.mark.parametrize("kind", ["database backup", "JSON export"])
def test_restore_as_clicked_asks_then_brings_the_backup_back(window, person, context, kind):
    from services.jsonio import write_export

    if kind == "JSON export":
        person.backup = write_export(context.services, person.backup.with_suffix(".json"))
    page = window.show_page("settings")
    names = sorted(d.name for d in context.services.list_debts())
    context.services.remove_debt(context.services.list_debts()[0].id)
    person.click(page.restore_button, "Restore from a backup")
    assert person.problems() == []
    assert person.opened_from == [person.backup]
    assert [b[1] for b in person.boxes] == ["question"]  # "Replace everything…?" answered Yes
    assert sorted(d.name for d in context.services.list_debts()) == names
    assert page.result.text().startswith(f"Restored from {person.backup}.")
    assert window.show_page("debts").model.rowCount() == len(names)  # the pages show what was restored


def test_restore_as_clicked_from_a_damaged_file_says_so_and_changes_nothing(window, person, context):
    page = window.show_page("settings")
    person.backup.write_bytes(person.backup.read_bytes()[:5000])  # cut short, as by a full USB stick
    names = sorted(d.name for d in context.services.list_debts())
    person.click(page.restore_button, "Restore from a backup")
    assert person.problems() == []  # a known problem is a message, not an exception out of the slot
    shown = [(kind, title) for _doing, kind, title, _text in person.boxes if kind != "question"]
    assert shown == [("errorMessage", "The backup could not be restored")]
    assert sorted(d.name for d in context.services.list_debts()) == names
    assert not page.result.text().startswith("Restored")


@pytest.mark.parametrize("failure", ["bug", "disk full"])
def test_a_failed_backup_stops_saying_backing_up_and_tells_the_truth(window, person, monkeypatch, failure):
    import services.safety
    from services.errors import StorageError

    def broken(*_args: Any, **_kwargs: Any) -> Path:
        if failure == "bug":
            raise RuntimeError("simulated fault")
        raise StorageError("The disk is full.")

    monkeypatch.setattr(services.safety, "backup_now", broken)
    page = window.show_page("settings")
    person.click(page.backup_button, "Back up now")
    assert page.result.text() == "The backup was not made."
    shown = [
        (kind, title, text)
        for _doing, kind, title, text in person.boxes
        if kind in ("crashDialog", "errorMessage")
    ]
    assert len(shown) == 1
    kind, title, text = shown[0]
    assert title == "The backup was not made"
    assert "saved data is safe" not in text
    if failure == "bug":
        assert kind == "crashDialog" and "Your data file was not changed." in text
    else:
        assert (kind, text) == ("errorMessage", "The disk is full.")


def test_the_crash_dialog_promises_nothing_it_cannot_know(person):
    import ui.errors

    ui.errors.show_exception(KeyError("bug"))
    ((_doing, kind, _title, text),) = person.boxes
    assert kind == "crashDialog"
    assert "safe" not in text and "may not have been done" in text


def test_record_payment_button_opens_on_the_debt_chosen_in_the_ledger(window, person, context):
    page = window.show_page("payments")
    debts = context.services.list_debts(include_archived=False)
    chosen = debts[2].id
    page.debt.setCurrentIndex(page.debt.findData(chosen))
    person.click(page.record_button, "Record a payment")
    assert person.problems() == []
    assert [d["debt_id"] for d in person.dialogs] == [chosen]


def test_record_payment_button_opens_on_the_debt_of_the_selected_payment(window, person, context):
    from ui.pages.payments import ALL

    page = window.show_page("payments")
    assert page.debt.currentData() == ALL
    first = context.services.list_debts(include_archived=False)[0].id
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).debt_id != first)
    page.table.selectRow(row)
    expected = page.selected().debt_id
    person.click(page.record_button, "Record a payment")
    assert [d["debt_id"] for d in person.dialogs] == [expected]


def test_record_payment_button_on_an_archived_debt_keeps_that_debt(window, person, context):
    from domain.debts import DebtStatus

    archived = context.services.list_debts()[3].id
    context.services.set_debt_status(archived, DebtStatus.ARCHIVED)
    context.notify("debts")
    page = window.show_page("payments")
    page.debt.setCurrentIndex(page.debt.findData(archived))
    person.click(page.record_button, "Record a payment")
    assert [d["debt_id"] for d in person.dialogs] == [archived]


def test_the_reminder_checks_end_with_the_window(context, qtbot):
    """The once-a-minute check must not outlive the window and fire into its deleted banner."""
    from PySide6.QtCore import QEvent

    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()
    window = MainWindow()
    window.attach(context)
    window.show()
    qtbot.waitUntil(lambda: window.tray is not None, timeout=5000)
    scheduler = window.tray.scheduler
    assert scheduler.timer.isActive()
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not isValid(scheduler)
