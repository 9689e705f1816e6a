"""Start the window: the application object, font, language, main window.

Start-up order keeps the first frame fast: the window shell is shown and
painted first; the database (SQLAlchemy, migrations) is opened and the data
loaded right after that first paint.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.open_problem import Opened


def _parse(argv: list[str]) -> argparse.Namespace:
    from resources.i18n import LanguageError, normalize_language
    from ui.pages import PAGE_KEYS

    def parse_lang(text: str) -> str:
        try:
            return normalize_language(text)
        except LanguageError as exc:
            raise argparse.ArgumentTypeError(f"unknown language {text!r} (use zh_CN or en_US)") from exc

    p = argparse.ArgumentParser(prog="debtkeeper")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--lang", type=parse_lang, default=None)
    p.add_argument("--screenshot", type=Path, default=None)
    p.add_argument("--page", choices=PAGE_KEYS, default=None)
    p.add_argument("--startup-time", action="store_true")
    p.add_argument("--size", default="1280x800", help="window size for --screenshot, e.g. 1280x800")
    p.add_argument(
        "--minimized",
        "--tray",
        dest="minimized",
        action="store_true",
        help="start quietly: hidden in the system tray when there is one, else minimised",
    )
    return p.parse_args(argv)


def load_cjk_font() -> str:
    """Register the shipped CJK font and return its family name."""
    from PySide6.QtGui import QFontDatabase

    from resources import CJK_FONT, CJK_FONT_FAMILY

    font_id = QFontDatabase.addApplicationFont(str(CJK_FONT))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else CJK_FONT_FAMILY


def make_application() -> QApplication:
    """The QApplication with the shipped CJK font and a style that follows light/dark."""
    from PySide6.QtGui import QFont, QIcon
    from PySide6.QtWidgets import QApplication

    # Qt 6 scales for high-DPI screens by itself (fractional factors pass through).
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("DebtKeeper")
    from resources import APP_ID, ICONS
    from resources.i18n import _

    app.setApplicationDisplayName(_("DebtKeeper"))  # window titles, and the name macOS shows
    app.setDesktopFileName(APP_ID)  # Linux: the menu entry (and its icon) the window belongs to
    icon = QIcon()
    for png in sorted(ICONS.glob("hicolor/*x*/apps/*.png")):
        icon.addFile(str(png))
    app.setWindowIcon(icon)
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # Fusion follows the platform's light/dark colour scheme
    family = load_cjk_font()
    font = QFont(app.font())
    # The shipped font covers Chinese; the system UI font stays first for Latin text.
    font.setFamilies([font.family(), family])
    if font.pointSize() < 10:
        font.setPointSize(10)
    app.setFont(font)
    from ui.widgets import install_desktop_conventions

    # The wheel scrolls a form and never changes a field without focus; Tab is never trapped in a table.
    install_desktop_conventions(app)
    return app


def initial_language(cli_lang: str | None) -> str:
    from resources.i18n import LanguageError, normalize_language, system_language
    from ui import prefs

    if cli_lang:
        return cli_lang
    if os.environ.get("DEBTKEEPER_LANG"):
        return system_language()
    saved = prefs.load().get("language")
    if isinstance(saved, str):
        try:
            return normalize_language(saved)
        except LanguageError:
            pass
    return system_language()


def open_context(db: Path | None) -> object:
    """Open the database (the slow imports happen here) and wrap it for the pages."""
    from services.app import Services
    from ui.context import AppContext

    return AppContext(Services.open(db))


def run_window(argv: list[str], process_start: float | None = None) -> int:
    start = process_start if process_start is not None else time.perf_counter()
    args = _parse(argv)
    headless = bool(args.screenshot or args.startup_time)
    if headless and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from resources.i18n import set_language
    from services.dbpath import chosen_db_path, folder_problem

    set_language(initial_language(args.lang))
    flag, args.db = args.db, chosen_db_path(args.db)  # --db, else DEBTKEEPER_DB, else the default
    problem = folder_problem(args.db, flag)
    if problem is not None:  # as the command line: refused before a window or a folder is made
        print(f"debtkeeper: {problem}", file=sys.stderr)
        return 2
    app = make_application()
    from resources.i18n import get_language
    from ui.errors import install_excepthook
    from ui.qtlang import install_qt_translations

    install_qt_translations(get_language())
    from ui.main_window import MainWindow

    if not headless:  # a modal crash dialog would wait forever in a screenshot run
        install_excepthook()
    if not headless and bring_running_forward(args.db):
        return 0  # the window that has this database open came forward instead
    window = MainWindow()
    if headless:
        from services.errors import UserError

        try:
            if args.screenshot:
                return _screenshot(app, window, args)
            return _startup_time(app, window, args, start)
        except UserError as exc:  # a file that cannot be opened: one line, exit 2, like the command line
            print(f"debtkeeper: {exc}".replace("\n", " "), file=sys.stderr)
            return 2
    from ui import prefs

    saved = prefs.load()
    if saved.get("colour_scheme") in ("light", "dark"):
        from ui.pages.settings import apply_colour_scheme

        apply_colour_scheme(saved["colour_scheme"])
    window.show_page(args.page or saved.get("page") or "dashboard")
    window.place_on_screen()
    if not args.minimized:
        window.show()

    from PySide6.QtCore import QTimer

    def load() -> None:
        from ui.open_problem import open_with_recovery

        # A damaged, newer, busy or read-only file: the person chooses a way forward (or quits).
        opened = open_with_recovery(args.db, window)
        if opened is None:
            app.quit()
            return
        use_opened(window, opened)
        if args.minimized:
            QTimer.singleShot(0, lambda: start_quietly(window))

    if args.minimized:
        QTimer.singleShot(0, load)  # a hidden window is never painted: load at once
    else:
        window.first_painted.connect(load)
    code = app.exec()
    window.detach()
    return code


def use_opened(window: MainWindow, opened: Opened) -> None:
    """Show the data file just opened (at start, or from File → Open): its lock, notices and backups."""
    from ui.open_problem import show_notices, show_read_only_banner, start_daily_backup

    opened.context.extras["instance_lock"] = opened.lock  # held while the window shows this file
    if window.context is None:
        window.attach(opened.context)
    else:
        window.replace_context(opened.context)
    show_notices(window, opened.context.services)
    if opened.lock is not None:
        listen_for_later_starts(opened.context, window)
    if opened.read_only_of is not None:
        show_read_only_banner(window, opened.read_only_of)
    else:
        start_daily_backup(opened.context, window)


def bring_running_forward(db: Path | None) -> bool:
    """True when a window already has this database open and came forward when asked."""
    from services.safety import db_file
    from ui.single_instance import ask_to_show

    target = db_file(db)
    return target is not None and ask_to_show(target)


def listen_for_later_starts(context: AppContext, window: MainWindow) -> None:
    """While this window holds the database's lock, a later start brings it forward instead."""
    from services.safety import db_file
    from ui.single_instance import InstanceServer

    target = db_file(context.services.path)
    if target is None:
        return
    server = InstanceServer(target, window)
    if server.listen():
        context.extras["instance_server"] = server


def start_quietly(window: MainWindow) -> None:
    """The ``--minimized`` start (at login): into the tray when it exists, else a minimised window."""
    from PySide6.QtWidgets import QApplication

    if window.tray is None and window.context is not None:
        window._start_reminders(window.context)  # the tray is made right after attach; make it now
    if window.tray is not None and window.tray.has_tray:
        QApplication.setQuitOnLastWindowClosed(False)  # hidden in the tray: dialogs closing must not quit
        window.hide()
    else:
        window.showMinimized()


def _screenshot(app: QApplication, window: MainWindow, args: argparse.Namespace) -> int:
    from ui.worker import wait_for_tasks

    width, _x, height = args.size.partition("x")
    window.resize(int(width), int(height))
    window.attach(open_context(args.db))
    window.show_page(args.page or "dashboard")
    window.show()
    deadline = time.perf_counter() + 20
    while True:  # pages compute off the GUI thread: let them finish and repaint
        app.processEvents()
        wait_for_tasks()
        app.processEvents()
        busy = any(getattr(page, "busy", lambda: False)() for page in window.pages.values())
        if not busy or time.perf_counter() > deadline:
            break
        time.sleep(0.02)
    for _round in range(5):  # charts lay themselves out in later passes of the event loop
        time.sleep(0.02)
        app.processEvents()
    from fileio.atomic import atomic_path

    image_format = (args.screenshot.suffix.lstrip(".") or "png").upper()  # the temporary name has no suffix
    try:
        args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(args.screenshot) as tmp:
            if not window.grab().save(str(tmp), image_format):
                raise OSError("the image could not be written")
        ok = True
    except OSError:
        ok = False
    window.detach()
    if not ok:
        print(f"debtkeeper: could not write {args.screenshot}", file=sys.stderr)
        return 1
    return 0


def _startup_time(app: QApplication, window: MainWindow, args: argparse.Namespace, start: float) -> int:
    from PySide6.QtCore import QTimer

    times: dict[str, float] = {}

    def data() -> None:
        window.attach(open_context(args.db))
        window.repaint()  # a synchronous paint: the data is on screen when this returns
        times["data_shown_ms"] = (time.perf_counter() - start) * 1000
        app.quit()

    def painted() -> None:
        times["first_paint_ms"] = (time.perf_counter() - start) * 1000
        QTimer.singleShot(0, data)

    window.first_painted.connect(painted)
    window.show_page(args.page or "dashboard")
    window.show()
    app.exec()
    window.detach()
    print(json.dumps({k: round(times[k], 1) for k in ("first_paint_ms", "data_shown_ms")}))
    return 0
