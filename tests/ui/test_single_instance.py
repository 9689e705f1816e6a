"""A quiet start at login, and one window per database: a second start brings the first forward."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from ui.single_instance import InstanceServer, ask_to_show, server_name

ROOT = Path(__file__).resolve().parents[2]


def test_socket_name_is_per_database(tmp_path):
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    assert server_name(a) == server_name(tmp_path / "." / "a.sqlite3")  # same file, same name
    assert server_name(a) != server_name(b)
    assert str(tmp_path) not in server_name(a)  # the path itself is not exposed in /tmp


def test_nobody_listening_means_no_answer(qtbot, tmp_path):
    assert ask_to_show(tmp_path / "nobody.sqlite3", timeout_ms=500) is False


def test_a_second_start_brings_the_hidden_first_window_forward(qtbot, tmp_path):
    db = tmp_path / "data.sqlite3"
    window = QWidget()
    qtbot.addWidget(window)
    window.hide()  # e.g. closed to the tray
    server = InstanceServer(db, window)
    assert server.listen()
    # The second start runs in its own process, as it would from the desktop.
    second = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from PySide6.QtCore import QCoreApplication;"
            "from ui.single_instance import ask_to_show; app = QCoreApplication([]);"
            "sys.exit(0 if ask_to_show(Path(sys.argv[1]), 10000) else 3)",
            str(db),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        with qtbot.waitSignal(server.shown, timeout=20000):
            pass
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=20000)
    finally:
        if second.poll() is None:
            second.kill()
        second.communicate()
    assert second.returncode == 0, "the second start did not hear that the first window came forward"
    assert window.isVisible()
    server.close()


def test_a_stale_socket_from_a_crashed_window_does_not_block_listening(qtbot, tmp_path):
    db = tmp_path / "data.sqlite3"
    first = InstanceServer(db, QWidget())
    assert first.listen()
    # A crashed window leaves its socket file behind; the next owner of the lock takes the name over.
    second = InstanceServer(db, QWidget())
    assert second.listen()
    first.close()
    second.close()


def test_minimized_flag_and_start_at_login_uses_it():
    from services import autostart
    from ui.app import _parse

    assert _parse(["--minimized"]).minimized and _parse(["--tray"]).minimized
    assert not _parse([]).minimized
    assert "--minimized" in autostart.default_command()
    assert _parse(autostart.START_ARGS).minimized


@pytest.mark.parametrize("tray_exists", [True, False])
def test_quiet_start_goes_to_the_tray_or_minimises(qtbot, context, monkeypatch, tray_exists):
    from PySide6.QtWidgets import QApplication

    from ui.app import make_application, start_quietly
    from ui.main_window import MainWindow

    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: tray_exists))
    make_application()
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(context)
    start_quietly(window)
    try:
        assert window.tray is not None and window.tray.has_tray is tray_exists
        if tray_exists:
            assert window.isHidden() and not QApplication.quitOnLastWindowClosed()
            window.tray.show_window()  # the tray's "Show DebtKeeper"
            assert window.isVisible()
        else:
            qtbot.waitUntil(lambda: window.isMinimized() or window.isVisible(), timeout=2000)
            assert window.isVisible()
    finally:
        from ui.worker import wait_for_tasks

        window.tray.scheduler.stop()
        wait_for_tasks()
        window.context = None
        QApplication.setQuitOnLastWindowClosed(True)
