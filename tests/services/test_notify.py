"""The command line's notifier: the desktop's own notifier where there is one, else plain text."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from services import notify


def _fake(tmp_path, name: str):
    record = tmp_path / f"{name}.args"
    exe = tmp_path / name
    exe.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n', encoding="utf-8")
    exe.chmod(0o755)
    return record


def test_notify_send_where_a_desktop_has_it(tmp_path, monkeypatch):
    record = _fake(tmp_path, "notify-send")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("DISPLAY", ":99")
    stream = io.StringIO()
    assert notify.notify("债管家", "两笔应还款", stream=stream) == "notify-send"
    assert record.read_text(encoding="utf-8").splitlines() == [
        "--app-name=DebtKeeper",
        "--urgency=normal",
        "债管家",
        "两笔应还款",
    ]
    assert stream.getvalue() == ""


def test_osascript_on_a_mac_with_quotes_escaped(tmp_path, monkeypatch):
    record = _fake(tmp_path, "osascript")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "darwin")
    assert notify.notify('Say "hi"', "a\\b", stream=io.StringIO()) == "osascript"
    assert record.read_text(encoding="utf-8").splitlines() == [
        "-e",
        'display notification "a\\\\b" with title "Say \\"hi\\""',
    ]


def test_plain_text_without_a_desktop(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to run here
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    stream = io.StringIO()
    assert notify.notify("DebtKeeper: 2 payments due", "Card: ¥100.00", stream=stream) == "printed"
    assert stream.getvalue() == "DebtKeeper: 2 payments due\nCard: ¥100.00\n"


def test_the_notifier_loads_no_qt():
    import subprocess

    code = "import sys, cli, services.notify; print(any(m.startswith('PySide6') for m in sys.modules))"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert result.stdout.strip() == "False"
