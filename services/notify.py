"""A desktop notification without the window: the command line's ``remind --notify``.

Qt-free, so the command line never loads a widget library. Tries, in order: the
desktop's own notifier (``notify-send`` on Linux desktops, ``osascript`` on macOS),
then plain text on the given stream (cron mails it). Returns which way was used.
The window's tray shows its own balloons; this is for when no window is running.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TextIO

APP_NAME = "DebtKeeper"


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run(command: list[str]) -> bool:
    try:
        result = subprocess.run(command, check=False, timeout=10, capture_output=True)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def _notify_send(title: str, body: str) -> bool:
    exe = shutil.which("notify-send")
    if not exe or not _has_display() and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    return _run([exe, f"--app-name={APP_NAME}", "--urgency=normal", title, body])


def _apple_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _osascript(title: str, body: str) -> bool:
    exe = shutil.which("osascript") if sys.platform == "darwin" else None
    if not exe:
        return False
    script = f"display notification {_apple_string(body)} with title {_apple_string(title)}"
    return _run([exe, "-e", script])


def notify(title: str, body: str, stream: TextIO | None = None) -> str:
    """Show the notification; returns "notify-send", "osascript" or "printed"."""
    if _notify_send(title, body):
        return "notify-send"
    if _osascript(title, body):
        return "osascript"
    out = stream or sys.stdout
    print(title, file=out)
    print(body, file=out)
    return "printed"
