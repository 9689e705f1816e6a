"""The main window: a menu bar, a sidebar of pages, a stack that shows one, shortcuts and the undo bar.

It holds no page logic: each page lives in its own module under ui/pages and is
built the first time it is shown; what the File menu does lives in ui/commands.py.
Until the database is open the window shows its shell, so the first frame
appears before any slow import. It fits the screen it opens on and remembers
its size and place (ui/prefs.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import _, get_language, set_language, tr
from ui.context import Changed
from ui.mnemonics import with_mnemonic
from ui.pages import PAGE_KEYS, PAGES, page_class

if TYPE_CHECKING:
    from ui.context import AppContext


PREFERRED = QSize(1280, 800)
PAYMENT_SHORTCUT = "Ctrl+R"
MINIMUM = QSize(960, 600)
# Every page has a key: Ctrl+1 … Ctrl+9, then Ctrl+0 for the tenth.
PAGE_SHORTCUT_DIGITS = "1234567890"


def fit_on_screens(saved: QRect | None, screens: list[QRect], preferred: QSize = PREFERRED) -> QRect:
    """Where the window goes: the saved place if it lies on a screen now, else centred on the first.

    ``screens`` are the screens' available areas (without panels and docks). A saved place that
    is off every screen (a monitor unplugged) is dropped; any size is clamped to its screen.
    """
    if not screens:
        return saved if saved is not None else QRect(0, 0, preferred.width(), preferred.height())
    if saved is not None and saved.isValid():
        for area in screens:
            overlap = area.intersected(saved)
            if overlap.width() >= min(200, saved.width()) and overlap.height() >= min(100, saved.height()):
                width, height = min(saved.width(), area.width()), min(saved.height(), area.height())
                left = max(area.left(), min(saved.left(), area.right() + 1 - width))
                top = max(area.top(), min(saved.top(), area.bottom() + 1 - height))
                return QRect(left, top, width, height)
    area = screens[0]
    width, height = min(preferred.width(), area.width()), min(preferred.height(), area.height())
    return QRect(
        area.left() + (area.width() - width) // 2, area.top() + (area.height() - height) // 2, width, height
    )


class InputHold(QObject):
    """Holds back clicks and keys while the window shows a quick snapshot.

    The snapshot cannot write, and the data file is opened right after it is painted: what the person
    does in that moment (a fraction of a second) is not passed on to a page that could not act on it.
    The hold sits on the window's own ``QWindow``, where the system's clicks and keys arrive, so the
    window's other events (building and painting the page) do not pass through Python; keys that
    would be shortcuts have none yet (``MainWindow._bind_keys`` gives them when the file is open).
    Without a ``QWindow`` (a window never shown) it holds the whole application's.
    """

    HELD = frozenset(
        {
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.KeyPress,
            QEvent.Type.KeyRelease,
            QEvent.Type.ShortcutOverride,
            QEvent.Type.Wheel,
        }
    )

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        handle = window.windowHandle()
        watched: QObject | None = handle if handle is not None else QGuiApplication.instance()
        assert watched is not None
        self._watched = watched
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        return event.type() in self.HELD

    def release(self) -> None:
        self._watched.removeEventFilter(self)
        self.deleteLater()


class MainWindow(QMainWindow):
    first_painted = Signal()
    page_shown = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context: AppContext | None = None
        self.tray: Any = None
        self.banner: QWidget | None = None
        self.pages: dict[str, QWidget] = {}
        self.current = "dashboard"
        self._painted = False
        self.previewing = False  # showing a quick snapshot until the data file is open (attach)
        self._written = False  # the snapshot is texts from a second process (attach's ``written``)
        self._input_held: InputHold | None = None
        self.undo_stack = QUndoStack(self)
        self.setObjectName("mainWindow")
        self.resize(PREFERRED)
        self.setMinimumSize(MINIMUM)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.sidebar = QListWidget(central)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(170)
        self.sidebar.setSpacing(2)
        self.sidebar.setTabKeyNavigation(False)
        for _spec in PAGES:
            item = QListWidgetItem()
            item.setSizeHint(QSize(150, 34))
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._row_changed)
        self.stack = QStackedWidget(central)
        # "Opening your data…", centred by stretches: Qt's alignment enums are made after the first frame.
        self._loading_page = QWidget(self.stack)
        column = QVBoxLayout(self._loading_page)
        line = QHBoxLayout()
        self.loading = QLabel(self._loading_page)
        line.addStretch(1)
        line.addWidget(self.loading)
        line.addStretch(1)
        column.addStretch(1)
        column.addLayout(line)
        column.addStretch(1)
        self.stack.addWidget(self._loading_page)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.stack, 1)
        self._right = right
        layout.addWidget(self.sidebar)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)

        self._undo_button = QPushButton(self)
        self._undo_button.clicked.connect(self.undo_stack.undo)
        self._undo_button.hide()
        self.statusBar().addPermanentWidget(self._undo_button)
        self._undo_hide = QTimer(self)
        self._undo_hide.setSingleShot(True)
        self._undo_hide.setInterval(12000)
        self._undo_hide.timeout.connect(self._hide_undo_bar)
        self.undo_stack.indexChanged.connect(self._show_undo_bar)

        self.remembers_place = False  # only the real window, placed on a screen, keeps its place
        self._keys_bound = False
        self._make_actions()
        self._update_actions()
        self.installEventFilter(self)
        self.retranslate()

    # --- start-up -----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self and not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            QTimer.singleShot(0, self, self.first_painted.emit)  # with self: dropped if deleted first
        return super().eventFilter(watched, event)

    def attach(self, context: Any, *, preview: bool = False, written: dict[str, Any] | None = None) -> None:
        """Connect the open database: build the current page and show its data.

        ``preview``: the context reads a quick snapshot (``services.first_screen``) and cannot write.
        The page and the banner show its data, but nothing can be clicked or typed and no reminder
        fires until ``promote`` gives it the opened services (or ``drop_preview`` takes it away).
        ``written``: with ``preview``, the first screen's texts written by a second process
        (``ui.snapshot``; the context has no services yet): the overview and the banner show them, and
        read their figures themselves once ``promote`` gives them the services.
        """
        self.context = context
        context.extras["undo"] = self.undo_stack
        context.extras["window"] = self
        context.extras["show_page"] = self.show_page
        context.language_changed.connect(self._language_changed)
        self.previewing = preview
        if preview:
            self._input_held = InputHold(self)
        # The banner is in place before the page is first painted, so the page never moves down under it.
        from ui.tray import OverdueBanner

        # Made inside the window, so it stays shown when its rows are there before the reminders start.
        lines = written["banner"] if written is not None else None
        self.banner = OverdueBanner(context, self.centralWidget(), lines=lines)
        self._right.insertWidget(0, self.banner)
        if not preview:
            self._bind_keys()
            self._start_reminders(context)
        if written is not None:
            self._written = True
            self.page(self.current).show_snapshot(written["dashboard"])  # type: ignore[attr-defined]
        self.show_page(self.current)
        self._update_actions()

    def promote(self, services: Any) -> Any:
        """The data file is open now: the previewed pages go on with ``services``; returns the context."""
        context = self.context
        assert context is not None and self.previewing
        context.services = services
        written = self._written
        self._end_preview()
        if written:  # the texts were written elsewhere: the banner and the pages read the figures now
            if self.banner is not None:
                self.banner.refresh()
            for page in self.pages.values():
                page.refresh()  # type: ignore[attr-defined]
        self._bind_keys()
        self._start_reminders(context)
        self._update_actions()
        return context

    def drop_preview(self) -> None:
        """Take away what the quick snapshot showed (the file turned out to need the normal opening)."""
        if not self.previewing:
            return
        self._end_preview()
        self._clear_pages()
        self.context = None
        self.stack.setCurrentWidget(self._loading_page)
        self._update_actions()

    def _end_preview(self) -> None:
        self.previewing = False
        self._written = False
        if self._input_held is not None:
            self._input_held.release()
            self._input_held = None

    def _start_reminders(self, context: Any) -> None:
        """The tray icon and the reminder checks (the banner is already above the pages)."""
        if self.context is not context or self.tray is not None:
            return  # detached (or already started) before the timer fired
        from ui.tray import start_reminders

        self.tray, self.banner = start_reminders(context, self, self.record_payment, banner=self.banner)
        if not self.tray.has_tray:
            # No tray: what fires now is shown in the banner, so it is there before the page is painted.
            self.tray.scheduler.check()

    def replace_context(self, context: Any) -> None:
        """Show another data file: the pages of the old one go, the new one's are built when shown."""
        old = self.context
        if old is not None:
            old_lock = old.extras.get("instance_lock")
            server = old.extras.get("instance_server")
            if server is not None:
                server.close()  # a later start with the old file opens it, instead of asking this window
            self.detach()
            if old_lock is not None:
                old_lock.release()
        self._clear_pages()
        self.undo_stack.clear()
        for name in ("readOnlyBanner", "damagedBanner"):  # they were about the file that was open
            for label in self.statusBar().findChildren(QLabel, name):
                self.statusBar().removeWidget(label)
                label.deleteLater()
        self.retranslate()  # the title loses "read-only copy"
        self.attach(context)

    def _clear_pages(self) -> None:
        """The pages and the banner of the file that was shown go (built again when shown)."""
        for widget in self.pages.values():
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.pages.clear()
        if self.banner is not None:
            self._right.removeWidget(self.banner)
            self.banner.deleteLater()
            self.banner = None

    def detach(self) -> None:
        from ui.worker import wait_for_tasks

        wait_for_tasks()
        if self.previewing:
            self._end_preview()  # clicks and keys go through again
        if self.tray is not None:
            self.tray.scheduler.stop()
            if self.tray.tray is not None:
                self.tray.tray.hide()
            self.tray.deleteLater()
            self.tray = None
        if self.context is not None:
            if self.context.services is not None:  # None: the first screen's texts, no file open yet
                self.context.services.close()
            self.context = None

    def show_open_failure(self, message: str) -> None:
        self.loading.setText(_("The data could not be opened:") + "\n" + message)
        self._bind_keys()  # File ▸ Open is how the person goes on

    # --- pages --------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        if key not in self.pages:
            assert self.context is not None
            spec = PAGES[PAGE_KEYS.index(key)]
            widget = page_class(spec)(self.context, None)
            widget.setObjectName(f"page_{key}")
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return self.pages[key]

    def show_page(self, key: str) -> QWidget | None:
        if key not in PAGE_KEYS:
            key = "dashboard"
        self.current = key
        row = PAGE_KEYS.index(key)
        if self.sidebar.currentRow() != row:
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(row)
            self.sidebar.blockSignals(False)
        if self.context is None:
            return None
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        self.page_shown.emit(key)
        return widget

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(PAGE_KEYS):
            self.show_page(PAGE_KEYS[row])
            from ui import prefs

            prefs.save(page=PAGE_KEYS[row])

    # --- language -----------------------------------------------------------
    def switch_language(self, lang: str) -> None:
        """Relabel everything in ``lang`` without a restart."""
        if self.context is not None:
            self.context.set_language(lang)
        else:
            set_language(lang)
            self.retranslate()

    def _language_changed(self, lang: str) -> None:
        from ui.qtlang import install_qt_translations

        install_qt_translations(lang)
        self.retranslate()
        for widget in self.pages.values():
            retranslate = getattr(widget, "retranslate", None)
            if retranslate is not None:
                retranslate()
            refresh = getattr(widget, "refresh", None)
            if refresh is not None:
                refresh()  # amounts and dates are formatted for the language too

    # Each action: (attribute, msgid, mnemonic letter); the texts are set in retranslate().
    ACTION_TEXTS = (
        ("act_open", "Open data file…", "O"),
        ("act_backup", "Back up now…", "B"),
        ("act_restore", "Restore from a backup…", "R"),
        ("act_export_json", "Export all data (JSON)…", "E"),
        ("act_export_csv", "Export the payments (CSV)…", "C"),
        ("act_plan_pdf", "Save the repayment plan as PDF…", "S"),
        ("act_print", "Print…", "P"),
        ("act_quit", "Quit", "Q"),
        ("act_undo", "Undo", "U"),
        ("act_redo", "Redo", "R"),
        ("act_new_debt", "New debt", "N"),
        ("act_payment", "Record a payment", "P"),
        ("act_refresh", "Refresh", "F"),
        ("act_guide", "What to do now (guide)", "G"),
        ("act_shortcuts", "Keyboard shortcuts", "K"),
        ("act_about", "About DebtKeeper", "A"),
    )
    MENU_TEXTS = (
        ("menu_file", "File", "F"),
        ("menu_edit", "Edit", "E"),
        ("menu_view", "View", "V"),
        ("menu_help", "Help", "H"),
    )

    def retranslate(self) -> None:
        self.setWindowTitle(_("DebtKeeper"))
        self.loading.setText(_("Opening your data…"))
        self.sidebar.setAccessibleName(_("Pages"))
        for row, spec in enumerate(PAGES):
            self.sidebar.item(row).setText(_(spec.title))
            self.page_actions[row].setText(_(spec.title))
        self._name_page_keys()
        self._undo_button.setText(_("Undo"))
        for attribute, msgid, letter in self.ACTION_TEXTS:
            getattr(self, attribute).setText(with_mnemonic(_(msgid), letter))
        for attribute, msgid, letter in self.MENU_TEXTS:
            getattr(self, attribute).setTitle(with_mnemonic(_(msgid), letter))
        self.menu_export.setTitle(with_mnemonic(_("Export"), "X"))
        if not self.isLeftToRight():  # both languages read left to right
            from PySide6.QtCore import Qt

            self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setProperty("lang", get_language())

    def _name_page_keys(self) -> None:
        """The sidebar's tooltips: each page's name, and its key once the keys are given."""
        for row, spec in enumerate(PAGES):
            keys = ""
            if self._keys_bound:
                keys = self.page_actions[row].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            self.sidebar.item(row).setToolTip(
                tr("{page} ({keys})", page=_(spec.title), keys=keys) if keys else _(spec.title)
            )

    # --- menus, shortcuts and the undo bar ----------------------------------
    def _action(self, shortcut: str | None, slot: Any) -> QAction:
        """An action of the window; its key (``shortcut``) is given by ``_bind_keys``."""
        action = QAction(self)
        if shortcut is not None:
            self._keys.append((action, shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        from ui import commands

        # Open, Print, Undo, Redo and Help take the platform's own keys (STANDARD_KEYS).
        self._keys: list[tuple[QAction, str]] = []
        self.act_open = self._action(None, lambda: commands.open_data_file(self))
        self.act_backup = self._action(None, self.back_up)
        self.act_restore = self._action(None, self.restore)
        self.act_export_json = self._action(None, lambda: commands.export_data(self, "json"))
        self.act_export_csv = self._action(None, lambda: commands.export_data(self, "csv"))
        self.act_plan_pdf = self._action(None, lambda: commands.save_plan_pdf(self))
        self.act_print = self._action(None, lambda: commands.print_current(self))
        self.act_quit = self._action("Ctrl+Q", self.close)
        self.act_undo = self._action(None, self.undo_stack.undo)
        self.act_redo = self._action(None, self.undo_stack.redo)
        self.act_new_debt = self._action("Ctrl+N", self.new_debt)
        # Ctrl+P prints, as in every program; recording a payment has Ctrl+R (Record).
        self.act_payment = self._action(PAYMENT_SHORTCUT, self.record_payment)
        self.act_refresh = self._action("F5", self.refresh_all)
        self.page_actions = [
            self._action(
                f"Ctrl+{PAGE_SHORTCUT_DIGITS[n]}" if n < len(PAGE_SHORTCUT_DIGITS) else None,
                lambda k=spec.key: self.show_page(k),
            )
            for n, spec in enumerate(PAGES)
        ]
        self.act_guide = self._action(None, lambda: self.show_page("guide"))
        self.act_guide.setEnabled("guide" in PAGE_KEYS)
        self.act_shortcuts = self._action("Ctrl+/", self.show_shortcuts)
        self.act_about = self._action(None, self.show_about)
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.act_undo.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.act_redo.setEnabled)

        bar = self.menuBar()
        self.menu_file = bar.addMenu("")
        self.menu_file.addAction(self.act_open)
        self.menu_file.addSeparator()
        self.menu_file.addActions([self.act_backup, self.act_restore])
        self.menu_export = self.menu_file.addMenu("")
        self.menu_export.addActions([self.act_export_json, self.act_export_csv])
        self.menu_file.addAction(self.act_plan_pdf)
        self.menu_file.addAction(self.act_print)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self.menu_edit = bar.addMenu("")
        self.menu_edit.addActions([self.act_undo, self.act_redo])
        self.menu_edit.addSeparator()
        self.menu_edit.addActions([self.act_new_debt, self.act_payment])
        self.menu_view = bar.addMenu("")
        self.menu_view.addActions(self.page_actions)
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.act_refresh)
        self.menu_help = bar.addMenu("")
        self.menu_help.addActions([self.act_guide, self.act_shortcuts])
        self.menu_help.addSeparator()
        self.menu_help.addAction(self.act_about)

    # The actions that take the platform's standard key (Ctrl+O, Ctrl+P, Ctrl+Z, F1 …).
    STANDARD_KEYS = (
        ("act_open", "Open"),
        ("act_print", "Print"),
        ("act_undo", "Undo"),
        ("act_redo", "Redo"),
        ("act_guide", "HelpContents"),
    )

    def _bind_keys(self) -> None:
        """Give the actions their keys, once the person can act (a data file is open, or could not be):
        the first key given makes Qt's Python enumerations of keys (some 20 ms), after the first frame."""
        if self._keys_bound:
            return
        self._keys_bound = True
        for action, key in self._keys:
            action.setShortcut(QKeySequence(key))
        for attribute, name in self.STANDARD_KEYS:
            getattr(self, attribute).setShortcut(QKeySequence(getattr(QKeySequence.StandardKey, name)))
        self._name_page_keys()

    def _update_actions(self) -> None:
        """What needs an open data file is available only with one."""
        opened = self.context is not None and not self.previewing
        for action in (
            self.act_backup,
            self.act_restore,
            self.act_export_json,
            self.act_export_csv,
            self.act_plan_pdf,
            self.act_print,
            self.act_new_debt,
            self.act_payment,
        ):
            action.setEnabled(opened)

    def shortcut_actions(self) -> list[QAction]:
        """The window's actions in menu order (the shortcuts dialog lists them)."""
        menus = (self.menu_file, self.menu_export, self.menu_edit, self.menu_view, self.menu_help)
        actions = [a for menu in menus for a in menu.actions() if not a.isSeparator() and a.menu() is None]
        # Without the guide page its key does nothing yet: it is not listed.
        return [a for a in actions if a is not self.act_guide or a.isEnabled()]

    def show_shortcuts(self) -> None:
        from ui.dialogs.help import ShortcutsDialog

        ShortcutsDialog(self.shortcut_actions(), self).exec()

    def show_about(self) -> None:
        from ui.dialogs.help import AboutDialog

        AboutDialog(self).exec()

    def back_up(self) -> None:
        settings = self.page("settings")
        settings.backup_now()  # type: ignore[attr-defined]

    def restore(self) -> None:
        settings = self.page("settings")
        settings._restore_clicked()  # type: ignore[attr-defined]

    # --- size and place -----------------------------------------------------
    def place_on_screen(self) -> QRect:
        """Where the window was last time if that is on a screen now; else fitted to its screen."""
        from ui import prefs

        saved = prefs.load().get("geometry")
        rect = None
        if isinstance(saved, list) and len(saved) == 4 and all(isinstance(v, int) for v in saved):
            rect = QRect(*saved)
        screens = [screen.availableGeometry() for screen in QGuiApplication.screens()]
        area = fit_on_screens(rect, screens)
        self.remembers_place = True
        self.setMinimumSize(MINIMUM.boundedTo(area.size()))
        self.setGeometry(area)
        if prefs.load().get("maximized") is True:
            from PySide6.QtCore import Qt

            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        return area

    def remember_place(self) -> None:
        """Keep the size and place (of the normal, not maximised, window) for the next start."""
        from ui import prefs

        normal = self.normalGeometry() if self.isMaximized() else self.geometry()
        prefs.save(
            geometry=[normal.x(), normal.y(), normal.width(), normal.height()], maximized=self.isMaximized()
        )

    def new_debt(self) -> None:
        page = self.show_page("debts")
        if page is not None and hasattr(page, "new_debt"):
            page.new_debt()

    def record_payment(self, debt_id: int | None = None) -> None:
        page = self.show_page("payments")
        if page is not None and hasattr(page, "record_payment"):
            page.record_payment(debt_id)

    def refresh_all(self) -> None:
        if self.context is not None:
            self.context.broadcast(Changed.ALL)

    def _show_undo_bar(self, _index: int) -> None:
        if not self.undo_stack.canUndo():
            self._hide_undo_bar()
            return
        self.statusBar().showMessage(self.undo_stack.undoText(), 12000)
        self._undo_button.show()
        self._undo_hide.start()

    def _hide_undo_bar(self) -> None:
        self._undo_button.hide()
        self.statusBar().clearMessage()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        if self.remembers_place and self.isVisible():
            self.remember_place()
        super().closeEvent(event)
