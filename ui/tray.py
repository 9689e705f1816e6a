"""Reminders while the program runs: a scheduler, the tray icon and the overdue banner.

``ReminderScheduler`` asks the reminder service once a minute (and at start)
what fires now, using the context's clock; tests pass ``now=`` a fake clock.
``TrayController`` shows what fired as a tray notification, or, where there is
no system tray, in the window's ``OverdueBanner``; both offer to record the
payment at once through ``record_payment_requested(debt_id)``. With the
"keep running in the tray" setting on, closing the window only hides it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import _, tr
from ui.context import Changed

if TYPE_CHECKING:
    from domain.reminders import Reminder
    from ui.context import AppContext

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 60_000


def app_icon() -> QIcon:
    """The program's icon, drawn (a red coin with 债) so it needs no image file."""
    icon = QIcon()
    for size in (16, 22, 32, 48, 64):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor("#c0392b"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(0, 0, size, size)
        painter.setPen(QColor("white"))
        font = QFont(QApplication.font())
        font.setPixelSize(max(int(size * 0.62), 8))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, "债")
        painter.end()
        icon.addPixmap(pixmap)
    return icon


class ReminderScheduler(QObject):
    """Checks the reminders every minute and emits what fired (each reminder once)."""

    reminders_fired = Signal(list)  # list[domain.reminders.Reminder]

    def __init__(
        self,
        context: AppContext,
        now: Callable[[], datetime] | None = None,
        interval_ms: int = CHECK_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._now = now or (lambda: datetime.combine(context.today(), datetime.now().time()))
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.paused = False  # while the data file is being replaced (protecting it): nothing is written

    def now(self) -> datetime:
        return self._now()

    def start(self) -> None:
        self.timer.start()
        # Catch up on what was missed while the program was closed (not if this is deleted first).
        QTimer.singleShot(0, self, self.check)

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> list[Reminder]:
        from services.errors import UserError
        from services.reminders import fire_due_reminders

        if self.paused:
            return []
        try:
            fired = fire_due_reminders(self.context.services, self.now())
        except UserError as exc:  # a locked or missing database: try again next minute
            log.warning("reminder check failed: %s", exc)
            return []
        if fired:
            self.reminders_fired.emit(fired)
            self.context.broadcast(Changed.REMINDERS)
        return fired


class OverdueBanner(QFrame):
    """A strip for the top of the window: arrears and today's dues, each with "Record payment".

    Where no system tray exists it also shows the reminders that fired.
    """

    record_payment_requested = Signal(int)
    #: the changes that concern the banner
    listens_to: ClassVar[Changed] = Changed.DEBTS | Changed.PAYMENTS | Changed.REMINDERS | Changed.SETTINGS

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        lines: Sequence[Sequence[Any]] | None = None,
    ) -> None:
        """``lines``: the first screen's lines, written elsewhere (``services.reminders.banner_lines``):
        shown until ``refresh`` reads the dues themselves."""
        super().__init__(parent)
        self.context = context
        self.setObjectName("OverdueBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#OverdueBanner { background: #fdecea; border: 1px solid #e0a39c; }"
            "#OverdueBanner QLabel { color: #7b1d12; }"
        )
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 10, 6)
        self._layout.setSpacing(4)
        self._fired: list[Reminder] = []
        self._rows: list[QWidget] = []
        context.changed.connect(self._on_changed)
        context.language_changed.connect(lambda _lang: self.refresh())
        if lines is None:
            self.refresh()
        else:
            self._show_lines([(str(text), int(debt_id), bool(bold)) for text, debt_id, bold in lines])

    def _on_changed(self, changes: Changed) -> None:
        if changes & self.listens_to:
            self.refresh()

    def retranslate(self) -> None:
        self.refresh()

    def urgent_lines(self) -> list[tuple[str, int, bool]]:
        """Today's dues and the arrears: (text, debt id, whether overdue)."""
        from services.reminders import banner_lines

        return banner_lines(self.context.services, self.context.today())

    def show_reminders(self, reminders: Sequence[Reminder]) -> None:
        """Show fired reminders here (when there is no tray); they stay until dismissed."""
        self._fired = list(reminders)
        self.refresh()

    def dismiss(self) -> None:
        self._fired = []
        self.refresh()

    def lines(self) -> list[str]:
        """The texts shown, top to bottom (for tests and screen readers)."""
        return [w.findChild(QLabel).text() for w in self._rows if w.findChild(QLabel)]

    def _add_row(self, text: str, debt_id: int | None, bold: bool = False) -> None:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(text, row)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if bold:
            font = label.font()
            font.setBold(True)
            label.setFont(font)
        layout.addWidget(label, 1)
        if debt_id is not None:
            button = QPushButton(_("Record payment"), row)
            button.setObjectName(f"record_{debt_id}")
            button.clicked.connect(lambda _checked=False, d=debt_id: self.record_payment_requested.emit(d))
            layout.addWidget(button)
        self._layout.addWidget(row)
        self._rows.append(row)

    def refresh(self) -> None:
        from services.errors import UserError
        from services.reminders import reminder_text

        today = self.context.today()
        lines: list[tuple[str, int, bool]] = []
        for reminder in self._fired:
            title, body = reminder_text(reminder, today)
            lines.append((f"{title}\n{body}", reminder.debt_id, True))
        shown = {reminder.debt_id for reminder in self._fired}
        try:
            dues = self.urgent_lines()
        except UserError as exc:
            log.warning("cannot read dues for the banner: %s", exc)
            dues = []
        lines += [line for line in dues if line[1] not in shown]
        self._show_lines(lines)

    def _show_lines(self, lines: list[tuple[str, int, bool]]) -> None:
        for row in self._rows:
            self._layout.removeWidget(row)
            row.hide()  # deleteLater waits for the event loop; hide so old rows never paint
            row.deleteLater()
        self._rows = []
        for text, debt_id, bold in lines:
            self._add_row(text, debt_id, bold=bold)
        if self._fired:
            close = QPushButton(_("Dismiss"), self)
            close.setObjectName("dismiss")
            close.clicked.connect(self.dismiss)
            self._layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
            self._rows.append(close)
        self.setVisible(bool(self._rows))


class TrayController(QObject):
    """The tray icon (when the system has one), its menu and its notifications.

    ``window`` is the main window (for show / minimise-to-tray), ``banner`` the
    fallback where no tray exists. ``record_payment_requested(debt_id)`` asks the
    window to open its payment dialog for that debt.
    """

    record_payment_requested = Signal(int)
    quit_requested = Signal()

    def __init__(
        self,
        context: AppContext,
        *,
        scheduler: ReminderScheduler | None = None,
        window: QWidget | None = None,
        banner: OverdueBanner | None = None,
        parent: QObject | None = None,
        use_tray: bool | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.window = window
        self.banner = banner
        self.scheduler = scheduler or ReminderScheduler(context, parent=self)
        self.scheduler.reminders_fired.connect(self.show_reminders)
        self.last_reminders: list[Reminder] = []
        self._quitting = False
        available = QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        self.tray: QSystemTrayIcon | None = None
        self._menu: QMenu | None = None
        if available:
            self.tray = QSystemTrayIcon(app_icon(), self)
            self._menu = QMenu()
            self.tray.setContextMenu(self._menu)
            self.tray.messageClicked.connect(self._message_clicked)
            self.tray.activated.connect(self._activated)
            self.tray.show()
        if banner is not None:
            banner.record_payment_requested.connect(self.record_payment_requested)
        context.language_changed.connect(lambda _lang: self.retranslate())
        context.extras["tray"] = self
        self.retranslate()

    @property
    def has_tray(self) -> bool:
        return self.tray is not None

    def start(self) -> None:
        self.scheduler.start()

    def retranslate(self) -> None:
        if self.tray is not None:
            self.tray.setToolTip(_("DebtKeeper"))
        self._rebuild_menu()

    def _rebuild_menu(self) -> None:
        if self._menu is None:
            return
        self._menu.clear()
        show = QAction(_("Show DebtKeeper"), self._menu)
        show.triggered.connect(self.show_window)
        self._menu.addAction(show)
        for reminder in self.last_reminders:
            action = QAction(tr("Record payment: {name}", name=reminder.name), self._menu)
            action.triggered.connect(lambda _checked=False, d=reminder.debt_id: self._record(d))
            self._menu.addAction(action)
        self._menu.addSeparator()
        quit_action = QAction(_("Quit"), self._menu)
        quit_action.triggered.connect(self.quit_app)
        self._menu.addAction(quit_action)

    def show_reminders(self, reminders: Sequence[Reminder]) -> None:
        from services.reminders import reminder_text

        self.last_reminders = list(reminders)
        self._rebuild_menu()
        if not reminders:
            return
        today = self.context.today()
        if self.tray is None:
            if self.banner is not None:
                self.banner.show_reminders(reminders)
            return
        if len(reminders) == 1:
            title, body = reminder_text(reminders[0], today)
        else:
            title = tr("{count} payment reminders", count=len(reminders))
            parts = [reminder_text(r, today) for r in reminders]
            body = "\n".join(f"{t}\n{b}" for t, b in parts)
        icon = (
            QSystemTrayIcon.MessageIcon.Warning
            if any(r.overdue for r in reminders)
            else QSystemTrayIcon.MessageIcon.Information
        )
        self.tray.showMessage(title, body + "\n" + _("Click to record the payment."), icon, 15_000)

    def _record(self, debt_id: int) -> None:
        self.show_window()
        self.record_payment_requested.emit(debt_id)

    def _message_clicked(self) -> None:
        if self.last_reminders:
            self._record(self.last_reminders[0].debt_id)
        else:
            self.show_window()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_window()

    def show_window(self) -> None:
        if self.window is not None:
            QApplication.setQuitOnLastWindowClosed(True)
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def quit_app(self) -> None:
        """Really quit (from the tray menu), even when closing normally goes to the tray."""
        self._quitting = True
        self.quit_requested.emit()
        if self.window is not None:
            self.window.close()
        QApplication.quit()

    # --- closing to the tray -----------------------------------------------------

    def install_close_to_tray(self, window: QWidget) -> None:
        """Closing ``window`` hides it instead when the setting is on and a tray exists."""
        self.window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            watched is self.window
            and event.type() == QEvent.Type.Close
            and not self._quitting
            and self.should_close_to_tray()
        ):
            event.ignore()
            # Dialogs opened from the tray later must not end the program when they close.
            QApplication.setQuitOnLastWindowClosed(False)
            self.window.hide()
            if self.tray is not None:
                self.tray.showMessage(
                    _("DebtKeeper"),
                    _("Still running in the tray for your reminders."),
                    QSystemTrayIcon.MessageIcon.Information,
                    5_000,
                )
            return True
        return super().eventFilter(watched, event)

    def should_close_to_tray(self) -> bool:
        from services.reminders import close_to_tray

        return self.tray is not None and close_to_tray(self.context.services)


def start_reminders(
    context: AppContext,
    window: QWidget,
    record_payment: Callable[[int], None],
    banner: OverdueBanner | None = None,
) -> tuple[TrayController, OverdueBanner]:
    """Everything the main window needs for reminders, in one call.

    Makes the banner (the window places it, e.g. above its pages), the tray (or
    the banner as its fallback), closing to the tray when the person has chosen
    it, and the once-a-minute check. ``record_payment(debt_id)`` opens the
    payment dialog; the tray, the banner and the Reminders page all call it
    (the page finds it as ``context.extras["record_payment"]``). A ``banner``
    the window already placed is used instead of a new one.
    """
    if banner is None:
        banner = OverdueBanner(context)
    # A child of the window: its once-a-minute check ends with the window, never firing into a deleted banner.
    controller = TrayController(context, window=window, banner=banner, parent=window)
    controller.record_payment_requested.connect(record_payment)
    context.extras["record_payment"] = record_payment
    controller.install_close_to_tray(window)
    controller.start()
    return controller, banner
