"""Start the window: the application object, font, language, main window.

Start-up order keeps the first frame fast: the window shell is shown and
painted first; the database (SQLAlchemy, migrations) is opened and the data
loaded right after that first paint.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.open_problem import Opened
    from ui.snapshot import Pending


def _warn(message: str) -> None:
    """Log a warning with the exception being handled (``logging`` is loaded only then)."""
    import logging

    logging.getLogger(__name__).warning(message, exc_info=True)


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
    # How far --startup-time runs: until the data is shown (the figure it prints), or until the file is open
    # in full behind it (for the benchmark's "ready" figure).
    p.add_argument("--startup-until", choices=("data", "ready"), default="data", help=argparse.SUPPRESS)
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


def make_application(conventions: bool = True) -> QApplication:
    """The QApplication with the shipped CJK font and a style that follows light/dark.

    ``conventions``: install ``ui.widgets``' desktop conventions now (the window's start installs them
    once the data file is open and the person can act: ``use_opened``)."""
    from PySide6.QtGui import QFont, QIcon
    from PySide6.QtWidgets import QApplication

    if conventions:
        settle_in()

    # Qt 6 scales for high-DPI screens by itself (fractional factors pass through).
    app = QApplication.instance()
    if app is None:
        # Fusion follows the platform's light/dark colour scheme. Named here, it is the only style made
        # (asking for the application's style from Python first made the platform's, and Qt's Python
        # enumerations of styles, before the first frame).
        app = QApplication([*sys.argv[:1], "-style", "fusion"])
    elif app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
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
    family = load_cjk_font()
    font = QFont(app.font())
    # The shipped font covers Chinese; the system UI font stays first for Latin text.
    font.setFamilies([font.family(), family])
    if font.pointSize() < 10:
        font.setPointSize(10)
    app.setFont(font)
    if conventions:
        from ui.widgets import install_desktop_conventions

        # The wheel scrolls a form and never changes a field without focus; Tab is never trapped in a table.
        install_desktop_conventions(app)
    return app


def settle_in() -> None:
    """What the window needs once the person can act, not for its first frames: Qt's own texts in
    the person's language (dialog buttons, context menus), and the guard on signal emits made from
    Python (``ui.qtfix``: the few emits of the start before it each lose one reference to ``True``,
    of thousands; the guard is there for the thousands of emits that follow). Once is enough."""
    from resources.i18n import get_language
    from ui import qtfix as _qtfix  # noqa: F401
    from ui.qtlang import install_qt_translations, installed_language

    if installed_language() is None:
        install_qt_translations(get_language())


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


def resume_collection() -> None:
    """The cyclic garbage collector runs again (``main`` starts the window without it).

    What start-up made is kept for the life of the window: it is frozen out of later collections."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def run_window(argv: list[str], process_start: float | None = None, written: Pending | None = None) -> int:
    """The window. ``written``: the second process writing its first screen (``ui.snapshot.start``,
    forked by ``main`` with the same ``argv``), if one was started."""
    try:
        return _run_window(argv, process_start, written)
    finally:
        if written is not None:
            written.discard()  # the window left before it took the texts: the child is stopped
        resume_collection()


def _language_and_file(args: argparse.Namespace) -> str | None:
    """Set the language the window starts in and choose its data file (``args.db``: ``--db``, else
    DEBTKEEPER_DB, else the default); why that file's folder cannot hold it, or None."""
    from resources.i18n import set_language
    from services.dbpath import chosen_db_path, folder_problem

    set_language(initial_language(args.lang))
    flag, args.db = args.db, chosen_db_path(args.db)
    return folder_problem(args.db, flag)


def _first_page(args: argparse.Namespace, saved: dict[str, Any]) -> str:
    """The page the window opens on: ``--page``, else the one shown last, else the overview."""
    from ui.pages import PAGE_KEYS

    page = args.page or saved.get("page") or "dashboard"
    return page if page in PAGE_KEYS else "dashboard"


def first_screen_of(argv: list[str]) -> Path | None:
    """The data file whose overview the window started with ``argv`` shows first, decided as the
    window decides it (``ui.snapshot``'s child asks), or None: a screenshot, a quiet start, another
    first page, arguments or a folder the window refuses."""
    import contextlib
    import io

    from services.dbpath import db_file
    from ui import prefs
    from ui.snapshot import FIRST_PAGE

    with contextlib.redirect_stderr(io.StringIO()):  # the window itself says what is wrong
        try:
            args = _parse(argv)
        except SystemExit:
            return None
    if args.screenshot or args.minimized or _language_and_file(args) is not None:
        return None
    return db_file(args.db) if _first_page(args, prefs.load()) == FIRST_PAGE else None


def _run_window(argv: list[str], process_start: float | None, written: Pending | None) -> int:
    start = process_start if process_start is not None else time.perf_counter()
    args = _parse(argv)
    headless = bool(args.screenshot or args.startup_time)
    if headless and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    problem = _language_and_file(args)
    if problem is not None:  # as the command line: refused before a window or a folder is made
        print(f"debtkeeper: {problem}", file=sys.stderr)
        return 2
    app = make_application(conventions=bool(args.screenshot))
    from ui.main_window import MainWindow

    if not headless:  # a modal crash dialog would wait forever in a screenshot run
        from ui.errors import install_excepthook

        install_excepthook()
    if not headless and bring_running_forward(args.db):
        return 0  # the window that has this database open came forward instead
    window = MainWindow()
    if args.screenshot:
        from services.errors import UserError

        try:
            return _screenshot(app, window, args)
        except UserError as exc:  # a file that cannot be opened: one line, exit 2, like the command line
            print(f"debtkeeper: {exc}".replace("\n", " "), file=sys.stderr)
            return 2
    from ui import prefs

    saved = prefs.load()
    if saved.get("colour_scheme") in ("light", "dark"):
        from ui.pages.settings import apply_colour_scheme

        apply_colour_scheme(saved["colour_scheme"])
    window.show_page(_first_page(args, saved))
    window.place_on_screen()
    timing = StartTiming(start, until=args.startup_until) if args.startup_time else None
    if args.minimized and written is not None:
        written.discard()  # a quiet start shows nothing: the child is stopped
        written = None
    starting = Start(app, window, args.db, minimized=args.minimized, timing=timing, written=written)
    if not args.minimized:
        window.show()
    if args.minimized:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, starting.begin)  # a hidden window is never painted: load at once
    else:
        window.first_painted.connect(starting.begin)
    code = app.exec()
    window.detach()
    if timing is not None:
        if starting.problem is not None:  # as the command line: one line, exit 2
            print(f"debtkeeper: {starting.problem}".replace("\n", " "), file=sys.stderr)
            return 2
        print(json.dumps(timing.figures()))
    return code


class StartTiming:
    """``--startup-time``: when the window was first painted and when the data was on screen.

    Milliseconds from the top of main.py, and the wall-clock times (``time.time()``) a parent process can
    set against its own clock from before it launched this one; the peak memory at data shown.
    ``until``: quit once the data is shown ("data"), or once the data file is open in full ("ready").
    """

    def __init__(self, start: float, until: str = "data") -> None:
        self.start = start
        self.until = until
        self.marks: dict[str, float] = {}
        self.extra: dict[str, object] = {}

    def mark(self, name: str) -> None:
        self.marks[name + "_ms"] = (time.perf_counter() - self.start) * 1000
        self.marks[name + "_at"] = time.time()

    def data_shown(self, quick: bool) -> None:
        self.mark("data_shown")
        self.extra["quick_first_screen"] = quick
        self.extra["peak_rss_mb"] = round(peak_rss_mb(), 1)
        self.extra["orm_loaded_at_data_shown"] = "sqlalchemy" in sys.modules

    def figures(self) -> dict[str, object]:
        out: dict[str, object] = {k: round(v, 1) if k.endswith("_ms") else v for k, v in self.marks.items()}
        return {**out, **self.extra}


def peak_rss_mb() -> float:
    """The most memory this program has held so far (resident set high-water mark), in MB.

    Linux: VmHWM of /proc/self/status, this program's own. ``ru_maxrss`` also counts the process it
    was started from: Linux keeps the larger of the two across the fork and exec that start it."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, else KiB


class Start:
    """The window's start, after its first paint: the data file's first screen, then the file in full.

    Under the one-window lock, the first page's data is shown before SQLAlchemy is imported: the texts
    a second process wrote meanwhile (``ui.snapshot``), when they are there and still true, else a quick
    read in this process (``services.first_screen``). Right after that is painted, the file is opened the
    normal way (checks, migrations, notices, backups: ``open_with_recovery``) and the pages go on with it.
    When the quick read is not certain, or anything in it fails, the file is opened the normal way at once.
    """

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        db: Path | None,
        *,
        minimized: bool,
        timing: StartTiming | None,
        written: Pending | None = None,
    ) -> None:
        """``written``: the second process writing the first screen (``ui.snapshot``), if one was started."""
        self.app = app
        self.written = written
        self.window = window
        self.db = db
        self.minimized = minimized
        self.timing = timing
        self.problem: str | None = None  # --startup-time: why the file could not be opened
        if timing is not None:
            window.first_painted.connect(lambda: timing.mark("first_paint"))

    def begin(self) -> None:
        lock, quick = self._first_screen()
        if quick:
            self._data_shown(quick=True)
            if self.timing is not None and self.timing.until == "data":
                self.app.quit()  # the person has seen their data and closes the window
                return
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, self.window, lambda: self.finish(lock))
            return
        self.finish(lock)

    def _first_screen(self) -> tuple[object, bool]:
        """Take the lock and show the first screen; (lock or None, whether it is on screen)."""
        written, self.written = self.written, None
        try:
            return self._first_screen_from(written)
        finally:
            if written is not None:
                written.discard()  # not taken (or taken already: then nothing is left to stop)

    def _first_screen_from(self, written: Pending | None) -> tuple[object, bool]:
        from services.dbpath import clean_leftovers, db_file, first_lock
        from ui.context import AppContext

        target = db_file(self.db)
        if target is None:
            return None, False
        lock = first_lock(target)  # before anything is used, as the normal opening does
        if lock is None:
            return None, False  # the normal opening says why
        clean_leftovers(target)  # what a killed restore left is gone before anything is read
        texts = self._texts(written, target)
        if texts is not None:
            try:
                self.window.attach(AppContext(None), preview=True, written=texts)  # type: ignore[arg-type]
            except Exception:  # anything wrong with the texts: this process reads the first screen itself
                _warn("the first screen's texts could not be shown")
                self.window.drop_preview()
            else:
                if self.timing is not None:
                    self.timing.extra["first_screen_process"] = True
                    self.timing.extra["first_screen_process_peak_mb"] = (
                        written.child_peak_mb if written else 0
                    )
                return lock, True
        from services.first_screen import open_first_screen

        quick = open_first_screen(target)
        if quick is None:
            return lock, False
        try:
            self.window.attach(AppContext(quick), preview=True)  # type: ignore[arg-type]
            sound = quick.sound()  # before the first paint
        except Exception:  # anything the snapshot cannot answer: the normal opening shows it instead
            _warn("the quick first screen failed; opening the data file the normal way")
            sound = False
        finally:
            quick.close()  # the first screen is read: the snapshot ends before the normal opening
        if not sound:  # a payment may be damaged: the normal opening names it and figures without it
            self.window.drop_preview()
        return lock, sound

    def _texts(self, written: Pending | None, target: Path) -> dict[str, Any] | None:
        """The first screen written by the second process, if it is the page on screen and still true."""
        from ui.snapshot import FIRST_PAGE

        if written is None or self.window.current != FIRST_PAGE:
            return None
        began = time.perf_counter()
        texts = written.take(target)
        if self.timing is not None:  # how long the window waited for them, once painted
            self.timing.extra["first_screen_wait_ms"] = round((time.perf_counter() - began) * 1000, 1)
        return texts

    def finish(self, lock: object = None) -> None:
        settle_in()  # before any dialog
        from ui.open_problem import open_with_recovery

        if self.timing is not None:
            self._answer_without_dialogs()  # the dialogs come only from here

        # A damaged, newer, busy or read-only file: the person chooses a way forward (or quits).
        opened = open_with_recovery(self.db, self.window, lock=lock, before_asking=self.window.drop_preview)
        if opened is None:
            resume_collection()
            self.app.quit()
            return
        quick = self.window.previewing
        use_opened(self.window, opened)
        resume_collection()
        if not quick:
            self._data_shown(quick=False)
        if self.timing is not None:
            self.timing.mark("ready")
            self.app.quit()
            return
        if self.minimized:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, lambda: start_quietly(self.window))

    def _data_shown(self, quick: bool) -> None:
        if self.timing is None:
            return
        from PySide6.QtCore import QCoreApplication, QEvent

        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # laid out as it will be shown
        self.window.repaint()  # a synchronous paint: the data is on screen when this returns
        self.timing.data_shown(quick)

    def _answer_without_dialogs(self) -> None:
        """``--startup-time`` runs unattended: a problem with the file ends it, said on one line."""
        from ui import open_problem

        def quit_with(box: Any) -> str:
            self.problem = box.text()
            return open_problem.QUIT

        open_problem.choose = quit_with
        open_problem.ask_password = lambda *_args: None


def use_opened(window: MainWindow, opened: Opened) -> None:
    """Show the data file just opened (at start, or from File → Open): its lock, notices and backups."""
    from PySide6.QtWidgets import QApplication

    from ui.open_problem import show_notices, show_read_only_banner, start_daily_backup
    from ui.widgets import install_desktop_conventions

    app = QApplication.instance()
    if app is not None:  # the person can act from now on (installed once: later opens keep it)
        install_desktop_conventions(app)

    if window.previewing:  # its quick snapshot is on screen: the pages go on with the opened file
        opened.context = window.promote(opened.context.services)
    opened.context.extras["instance_lock"] = opened.lock  # held while the window shows this file
    if window.context is None:
        window.attach(opened.context)
    elif window.context is not opened.context:
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
    from services.dbpath import db_file
    from ui.single_instance import ask_to_show

    target = db_file(db)
    return target is not None and ask_to_show(target)


def listen_for_later_starts(context: AppContext, window: MainWindow) -> None:
    """While this window holds the database's lock, a later start brings it forward instead."""
    from services.dbpath import db_file
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

    resume_collection()
    settle_in()
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
