"""Start DebtKeeper at login (off until the person turns it on).

One entry per system, in the place that system's session manager reads:
Linux and other XDG desktops ``$XDG_CONFIG_HOME/autostart/debtkeeper.desktop``;
Windows a ``debtkeeper.cmd`` in the Startup folder (shell:startup); macOS a
LaunchAgent ``~/Library/LaunchAgents/org.debtkeeper.DebtKeeper.plist``. The
entry starts the window; with reminders set to keep running in the tray, the
person closes it and the reminders go on.
"""

from __future__ import annotations

import os
import plistlib
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from fileio.atomic import atomic_write_bytes
from resources import APP_ID
from resources.i18n import tr
from services.errors import UserError

START_ARGS: tuple[str, ...] = ("--minimized",)  # at login: into the tray, not in the way


def _platform(platform: str | None) -> str:
    name = platform or sys.platform
    if name.startswith("win"):
        return "windows"
    if name == "darwin":
        return "macos"
    return "xdg"


def default_command() -> list[str]:
    """How to start this copy of the program: the built program, or its Python and main.py."""
    if getattr(sys, "frozen", False):  # the built program (make dist) is its own executable
        program = Path(sys.executable)
        windowed = program.with_name("DebtKeeper.exe")  # Windows: the build that opens no console
        if _platform(None) == "windows" and windowed.exists():
            program = windowed
        return [str(program), *START_ARGS]
    main_py = Path(__file__).resolve().parent.parent / "main.py"
    python = Path(sys.executable)
    if _platform(None) == "windows" and python.name.lower() == "python.exe":
        windowless = python.with_name("pythonw.exe")  # no console window at login
        if windowless.exists():
            python = windowless
    if main_py.exists():
        return [str(python), str(main_py), *START_ARGS]
    return [str(python), "-m", "main", *START_ARGS]


def entry_path(platform: str | None = None, env: Mapping[str, str] | None = None) -> Path:
    """Where the autostart entry lives for this user."""
    env = os.environ if env is None else env
    home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
    kind = _platform(platform)
    if kind == "windows":
        appdata = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        return appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / "debtkeeper.cmd"
    if kind == "macos":
        return home / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    return config / "autostart" / "debtkeeper.desktop"


def _desktop_quote(arg: str) -> str:
    # Desktop Entry spec, "Exec key": quote args with reserved characters; escape " ` $ \ inside quotes.
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'.replace("%", "%%")


def _cmd_quote(arg: str) -> str:
    return f'"{arg}"'


def entry_text(command: Sequence[str], platform: str | None = None) -> bytes:
    """The file contents that start ``command`` at login."""
    kind = _platform(platform)
    if kind == "windows":
        # `start ""` returns at once so the login is not held by a console window.
        line = 'start "" ' + " ".join(_cmd_quote(a) for a in command)
        return ("@echo off\r\nrem DebtKeeper: start at login\r\n" + line + "\r\n").encode("utf-8")
    if kind == "macos":
        return plistlib.dumps(
            {
                "Label": APP_ID,
                "ProgramArguments": list(command),
                "RunAtLoad": True,
                "ProcessType": "Interactive",
            },
            sort_keys=True,
        )
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",
        "Name=DebtKeeper",
        "Name[zh_CN]=债管家",
        "Comment=Payment reminders for your debts",
        "Comment[zh_CN]=还款提醒",
        "Exec=" + " ".join(_desktop_quote(a) for a in command),
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def is_enabled(platform: str | None = None, env: Mapping[str, str] | None = None) -> bool:
    return entry_path(platform, env).is_file()


def enable(
    command: Sequence[str] | None = None, platform: str | None = None, env: Mapping[str, str] | None = None
) -> Path:
    """Write the autostart entry (replacing an older one); returns its path."""
    path = entry_path(platform, env)
    data = entry_text(command or default_command(), platform)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise UserError(
            tr(
                "Cannot write the start-at-login entry {path}: {reason}",
                path=str(path),
                reason=exc.strerror or str(exc),
            )
        ) from exc
    return path


def disable(platform: str | None = None, env: Mapping[str, str] | None = None) -> None:
    path = entry_path(platform, env)
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise UserError(
            tr(
                "Cannot remove the start-at-login entry {path}: {reason}",
                path=str(path),
                reason=exc.strerror or str(exc),
            )
        ) from exc
