"""The background-work helper and the window's command-line modes (--screenshot, --startup-time)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTableView

from ui.worker import Debouncer, run_task

ROOT = Path(__file__).resolve().parents[2]


def test_run_task_returns_on_the_gui_thread(qtbot):
    main = threading.get_ident()
    seen = {}

    def work():
        seen["worker"] = threading.get_ident()
        return 42

    def done(value):
        seen["done"] = (value, threading.get_ident())

    run_task(work, done)
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
    assert seen["worker"] != main
    assert seen["done"] == (42, main)


def test_run_task_reports_errors(qtbot):
    errors = []
    run_task(lambda: 1 / 0, lambda _v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_debouncer_shows_only_the_newest(qtbot):
    debouncer = Debouncer(30)
    results = []
    for n in range(10):
        debouncer.request(lambda n=n: n, results.append)
    with qtbot.waitSignal(debouncer.finished, timeout=5000):
        pass
    assert results == [9]


def test_the_screenshot_shows_the_debts_page_with_every_debt(qtbot, qapp, demo_db, tmp_path, monkeypatch):
    # What --screenshot --page debts renders, in-process: the page it grabs must show the demo's
    # debts (a blank window of the right size would pass a size check alone).
    from PySide6.QtCore import Qt

    from services.app import Services
    from ui.app import _screenshot
    from ui.main_window import MainWindow

    with Services.open(demo_db) as svc:
        names = {d.name for d in svc.list_debts(include_archived=False)}
    assert len(names) >= 3
    window = MainWindow()
    qtbot.addWidget(window)
    shown: dict[str, object] = {}
    detach = window.detach

    def look_then_detach():
        page = window.stack.currentWidget()
        model = page.findChild(QTableView, "debtTable").model()
        shown["page"] = page is window.pages["debts"]
        shown["texts"] = {
            model.index(r, c).data(Qt.ItemDataRole.DisplayRole)
            for r in range(model.rowCount())
            for c in range(model.columnCount())
        }
        shown["rows"] = model.rowCount()
        detach()

    monkeypatch.setattr(window, "detach", look_then_detach)
    out = tmp_path / "debts.png"
    args = argparse.Namespace(size="1280x800", db=demo_db, page="debts", screenshot=out)
    assert _screenshot(qapp, window, args) == 0
    assert shown["page"] and shown["rows"] == len(names)
    assert names <= shown["texts"]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    # Text and a table make many colours; a blank or one-colour window has one or two.
    colours = {image.pixel(x, y) for x in range(0, 1280, 7) for y in range(0, 800, 7)}
    assert len(colours) > 50


@pytest.mark.slow
def test_screenshot_cli_writes_a_png(demo_db, tmp_path):
    # The command line's --screenshot, in its own process: a picture of the page comes out.
    out = tmp_path / "debts.png"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--db",
            str(demo_db),
            "--screenshot",
            str(out),
            "--page",
            "debts",
            "--lang",
            "zh_CN",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    colours = {image.pixel(x, y) for x in range(0, 1280, 7) for y in range(0, 800, 7)}
    assert len(colours) > 50  # not a blank window


@pytest.mark.slow
def test_startup_time_prints_both_figures(demo_db):
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(demo_db), "--startup-time"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert 0 < figures["first_paint_ms"] <= figures["data_shown_ms"]


def test_emitting_signals_keeps_true_alive():
    import sys

    from PySide6.QtCore import QObject, Signal

    import ui  # noqa: F401  (installs the emit guard)

    class Probe(QObject):
        fired = Signal(str)

    probe = Probe()
    before = sys.getrefcount(True)
    for _ in range(5000):
        probe.fired.emit("x")
    assert sys.getrefcount(True) >= before


@pytest.mark.slow
def test_screenshot_of_a_damaged_file_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(bad), "--screenshot", str(tmp_path / "x.png")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()
    assert bad.read_bytes() == b"not a database at all" * 100
