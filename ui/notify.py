"""A desktop notification from outside the window (the command line's ``remind --notify``).

Tries, in order: ``notify-send`` (Linux desktops), a Qt tray balloon when a
display and a system tray exist, and finally plain text on the terminal (cron
mails it). Returns which way was used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TextIO


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _notify_send(title: str, body: str) -> bool:
    exe = shutil.which("notify-send")
    if not exe or not _has_display() and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    try:
        result = subprocess.run([exe, "--app-name=DebtKeeper", "--urgency=normal", title, body],
                                check=False, timeout=10, capture_output=True)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def _qt_tray(title: str, body: str) -> bool:
    if not _has_display() or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return False
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    _app = QApplication.instance() or QApplication(sys.argv[:1])  # kept alive while the balloon shows
    if not QSystemTrayIcon.isSystemTrayAvailable() or not QSystemTrayIcon.supportsMessages():
        return False
    from ui.tray import app_icon

    tray = QSystemTrayIcon(app_icon())
    tray.show()
    tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 10_000)
    # Keep the process (and the balloon) alive for a moment before exiting.
    loop = QEventLoop()
    QTimer.singleShot(5_000, loop.quit)
    loop.exec()
    tray.hide()
    return True


def notify(title: str, body: str, stream: TextIO | None = None) -> str:
    """Show the notification; returns "notify-send", "tray" or "printed"."""
    if _notify_send(title, body):
        return "notify-send"
    try:
        if _qt_tray(title, body):
            return "tray"
    except ImportError:
        pass
    out = stream or sys.stdout
    print(title, file=out)
    print(body, file=out)
    return "printed"
