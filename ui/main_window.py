"""The main window: a sidebar of pages, a stack that shows one, shortcuts and the undo bar.

It holds no page logic: each page lives in its own module under ui/pages and is
built the first time it is shown. Until the database is open the window shows
its shell, so the first frame appears before any slow import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
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

from resources.i18n import _, get_language, set_language
from ui.pages import PAGE_KEYS, PAGES, page_class

if TYPE_CHECKING:
    from ui.context import AppContext


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
        self.undo_stack = QUndoStack(self)
        self.setObjectName("mainWindow")
        self.resize(1280, 800)
        self.setMinimumSize(QSize(960, 600))

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.sidebar = QListWidget(central)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(170)
        self.sidebar.setSpacing(2)
        for spec in PAGES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(150, 34))
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._row_changed)
        self.stack = QStackedWidget(central)
        self.loading = QLabel(self.stack)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading)
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

        self._make_actions()
        self.installEventFilter(self)
        self.retranslate()

    # --- start-up -----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self and not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            QTimer.singleShot(0, self, self.first_painted.emit)  # with self: dropped if deleted first
        return super().eventFilter(watched, event)

    def attach(self, context: Any) -> None:
        """Connect the open database: build the current page and show its data."""
        self.context = context
        context.extras["undo"] = self.undo_stack
        context.extras["window"] = self
        context.extras["show_page"] = self.show_page
        context.language_changed.connect(self._language_changed)
        self.show_page(self.current)
        # The overview first; the reminder checks and the banner right after it is on screen.
        QTimer.singleShot(0, self, lambda: self._start_reminders(context))

    def _start_reminders(self, context: Any) -> None:
        """The tray icon, the overdue banner above the pages and the reminder checks."""
        if self.context is not context or self.tray is not None:
            return  # detached (or already started) before the timer fired
        from ui.tray import start_reminders

        self.tray, self.banner = start_reminders(context, self, self.record_payment)
        self._right.insertWidget(0, self.banner)

    def detach(self) -> None:
        from ui.worker import wait_for_tasks

        wait_for_tasks()
        if self.tray is not None:
            self.tray.scheduler.stop()
            if self.tray.tray is not None:
                self.tray.tray.hide()
            self.tray = None
        if self.context is not None:
            self.context.services.close()
            self.context = None

    def show_open_failure(self, message: str) -> None:
        self.loading.setText(_("The data could not be opened:") + "\n" + message)

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

    def retranslate(self) -> None:
        self.setWindowTitle(_("DebtKeeper"))
        self.loading.setText(_("Opening your data…"))
        for row, spec in enumerate(PAGES):
            item = self.sidebar.item(row)
            item.setText(_(spec.title))
            item.setToolTip(_("{page} (Ctrl+{n})").format(page=_(spec.title), n=(row + 1) % 10))
        self._undo_button.setText(_("Undo"))
        self.act_new_debt.setText(_("New debt"))
        self.act_payment.setText(_("Record a payment"))
        self.act_refresh.setText(_("Refresh"))
        self.act_quit.setText(_("Quit"))
        self.act_undo.setText(_("Undo"))
        self.act_redo.setText(_("Redo"))
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setProperty("lang", get_language())

    # --- shortcuts and the undo bar -----------------------------------------
    def _action(self, shortcut: QKeySequence | str | QKeySequence.StandardKey, slot: Any) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.act_new_debt = self._action("Ctrl+N", self.new_debt)
        self.act_payment = self._action("Ctrl+P", lambda _checked=False: self.record_payment())
        self.act_refresh = self._action("F5", self.refresh_all)
        self.act_quit = self._action("Ctrl+Q", self.close)
        self.act_undo = self._action(QKeySequence.StandardKey.Undo, self.undo_stack.undo)
        self.act_redo = self._action(QKeySequence.StandardKey.Redo, self.undo_stack.redo)
        for n, key in enumerate(PAGE_KEYS[:10], start=1):  # Ctrl+1 … Ctrl+9, then Ctrl+0
            self._action(f"Ctrl+{n % 10}", lambda _checked=False, k=key: self.show_page(k))

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
            self.context.notify("all")

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
        super().closeEvent(event)
