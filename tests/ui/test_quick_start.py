"""The window's start: the first screen from the quick read, then the data file opened in full behind it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from services import safety
from services.app import Services
from services.first_screen import FirstScreenServices
from storage.lock import InstanceLock
from ui import open_problem
from ui.app import Start, make_application
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent.parent


class FakeApp:
    def __init__(self) -> None:
        self.quits = 0

    def quit(self) -> None:
        self.quits += 1


@pytest.fixture
def answers(monkeypatch, qapp):
    seen: list[str] = []

    def choose(box):
        seen.append(box.windowTitle())
        return open_problem.QUIT

    monkeypatch.setattr(open_problem, "choose", choose)
    monkeypatch.setattr(open_problem, "ask_password", lambda *a: None)
    return seen


@pytest.fixture
def started(qtbot):
    make_application()
    windows: list[MainWindow] = []

    def start(db: Path) -> tuple[MainWindow, Start, FakeApp]:
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        app = FakeApp()
        starting = Start(app, window, db, minimized=False, timing=None)  # type: ignore[arg-type]
        windows.append(window)
        return window, starting, app

    yield start
    for window in windows:
        context = window.context
        window.detach()
        if context is not None and context.extras.get("instance_lock") is not None:
            context.extras["instance_lock"].release()


def click_as_a_person(window: MainWindow, button) -> None:
    """A click from the system: it reaches the window's QWindow first, as a person's does."""
    from PySide6.QtTest import QTest

    place = button.mapTo(window, button.rect().center())
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, place)


def _owed(window: MainWindow) -> str:
    return window.pages["dashboard"].total.value.text()


def test_the_data_is_shown_from_the_quick_read_then_the_file_is_opened_behind_it(demo_db, started, qtbot):
    window, starting, app = started(demo_db)
    qtbot.waitExposed(window)
    starting.begin()
    assert window.previewing
    assert isinstance(window.context.services, FirstScreenServices)
    with Services.open(demo_db) as svc:
        from services.overview import overview

        expected = overview(svc, window.context.today())
    from ui import labels

    assert _owed(window) == labels.money(expected.total_owed)  # the figures are on screen already
    assert window.banner.isVisibleTo(window) and window.banner.lines()  # the arrears above the page
    assert not window.act_payment.isEnabled()
    # What the person does before the file is open is not passed on: the snapshot cannot write.
    click_as_a_person(window, window.pages["dashboard"].plan_button)
    assert window.current == "dashboard"
    qtbot.waitUntil(lambda: not window.previewing, timeout=20000)
    assert isinstance(window.context.services, Services)
    assert window.context.extras["instance_lock"].held
    assert _owed(window) == labels.money(expected.total_owed)  # the same figures, no page rebuilt
    assert window.act_payment.isEnabled()
    click_as_a_person(window, window.pages["dashboard"].plan_button)
    assert window.current == "plan"
    assert app.quits == 0


def test_a_damaged_payment_is_found_before_the_first_paint_and_the_file_opened_the_normal_way(
    demo_db, started
):
    import sqlite3
    import threading
    from contextlib import closing

    with closing(sqlite3.connect(demo_db)) as conn:  # not a real day: the normal opening names it
        conn.execute("UPDATE payments SET date = '2026-02-30' WHERE id = (SELECT min(id) FROM payments)")
        conn.commit()
    window, starting, _app = started(demo_db)
    starting.begin()
    assert not window.previewing and isinstance(window.context.services, Services)
    assert not [t for t in threading.enumerate() if t.name.startswith("first screen")]
    told: list[str] = []
    with Services.open(demo_db, on_problem=told.append) as svc:
        from services.overview import overview

        expected = overview(svc, window.context.today())
    assert told  # the damaged payment is named to the person
    from ui import labels

    assert _owed(window) == labels.money(expected.total_owed)  # figured without it, as the services do


def test_a_file_others_can_read_opens_the_normal_way_and_the_person_is_told(demo_db, started):
    os.chmod(demo_db, 0o644)
    window, starting, _app = started(demo_db)
    starting.begin()
    assert not window.previewing and isinstance(window.context.services, Services)
    assert (demo_db.stat().st_mode & 0o777) == 0o600
    assert "0644" in window.statusBar().currentMessage()


def test_a_damaged_file_gets_its_dialog_before_anything_is_shown(tmp_path, started, answers):
    db = tmp_path / "d.sqlite3"
    damaged = os.urandom(50_000)
    db.write_bytes(damaged)
    os.chmod(db, 0o600)
    window, starting, app = started(db)
    starting.begin()
    assert answers == ["The data file is damaged"]
    assert window.context is None and not window.pages
    assert app.quits == 1
    assert db.read_bytes() == damaged


def test_a_second_window_on_the_same_file_reads_nothing_and_is_told(demo_db, started, answers, monkeypatch):
    read: list[Path] = []
    import services.first_screen

    monkeypatch.setattr(services.first_screen, "read_first_screen", read.append)
    other = InstanceLock(safety.db_file(demo_db)).acquire()
    try:
        window, starting, app = started(demo_db)
        starting.begin()
    finally:
        other.release()
    assert answers == ["DebtKeeper is already open"]
    assert read == [] and window.context is None and app.quits == 1


def _timed_start(db: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The window's real start with ``--startup-time`` on ``db``."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--startup-time"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


@pytest.mark.slow
@pytest.mark.parametrize("written", ["by a second process", "in the window"])
def test_startup_time_runs_the_real_start_and_shows_the_data_before_the_orm_is_loaded(demo_db, written):
    from ui.snapshot import can_fork

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DEBTKEEPER_FIRST_SCREEN", None)
    if written == "in the window":
        env["DEBTKEEPER_FIRST_SCREEN"] = "self"
    result = _timed_start(demo_db, env)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["quick_first_screen"] is True
    assert figures.get("first_screen_process", False) is (written == "by a second process" and can_fork())
    assert figures["orm_loaded_at_data_shown"] is False
    assert 0 < figures["first_paint_ms"] <= figures["data_shown_ms"]
    assert figures["first_paint_at"] <= figures["data_shown_at"]
    assert figures["peak_rss_mb"] > 0
    damaged = demo_db.with_name("damaged.sqlite3")
    damaged.write_bytes(os.urandom(50_000))
    os.chmod(damaged, 0o600)
    refused = _timed_start(damaged, env)
    assert refused.returncode == 2
    assert str(damaged) in refused.stderr
