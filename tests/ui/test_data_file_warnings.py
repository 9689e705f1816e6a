"""What the window tells the person about their data file: damaged, foreign, empty, made private."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QLabel

import ui.errors
from services import safety
from services.app import Services
from storage import backup as store
from tests.storage.damage import silently_damage
from ui import open_problem


def _damaged_with_a_good_backup(tmp_path):
    db = tmp_path / "d.sqlite3"
    with Services.open(db) as svc:
        svc.add_debt(
            {
                "name": "Card",
                "lender": "Bank",
                "kind": "credit_card",
                "principal": "5000.00",
                "start_date": "2026-01-15",
                "method": "revolving",
                "months": 12,
            }
        )
    with Services.open(db) as svc:
        good = safety.backup_now(svc, store.DAILY, now=datetime(2026, 11, 1, 9, 0))
    silently_damage(db)
    return db, good


@pytest.fixture
def damaged_window(tmp_path, qtbot):
    from ui.app import make_application
    from ui.context import AppContext
    from ui.main_window import MainWindow

    db, good = _damaged_with_a_good_backup(tmp_path)
    make_application()
    window = MainWindow()
    qtbot.addWidget(window)
    context = AppContext(Services.open(db), today=lambda: date(2026, 11, 23))
    window.attach(context)
    yield window, context, good
    window.detach()


def _run_daily_backup(window, context, qtbot):
    ui.errors.shown.clear()
    open_problem.start_daily_backup(context, window)
    qtbot.waitUntil(lambda: bool(ui.errors.shown), timeout=20000)


def test_the_daily_backup_of_a_damaged_file_is_shown_not_swallowed(damaged_window, qtbot):
    window, context, good = damaged_window
    _run_daily_backup(window, context, qtbot)
    ((name, text),) = ui.errors.shown
    assert name == "errorMessage"
    assert "data file is damaged" in text and str(good) in text and "Restore from a backup" in text
    banner = window.findChild(QLabel, "damagedBanner")
    assert banner is not None and "damaged" in banner.text()
    assert [b.path for b in safety.list_backups(context.services.path)] == [good]


def test_the_damaged_file_warning_is_in_chinese(damaged_window, qtbot):
    from resources.i18n import set_language

    window, context, good = damaged_window
    set_language("zh_CN")
    _run_daily_backup(window, context, qtbot)
    ((_name, text),) = ui.errors.shown
    assert "数据文件已损坏" in text and str(good) in text and "从备份恢复" in text
    assert "损坏" in window.findChild(QLabel, "damagedBanner").text()


def test_a_daily_backup_that_fails_for_another_reason_is_shown_too(tmp_path, qtbot, monkeypatch):
    from services.errors import StorageError

    def full(_svc, now=None):
        raise StorageError("The disk is full.")

    monkeypatch.setattr(safety, "daily_backup", full)
    ui.errors.shown.clear()
    with Services.open(tmp_path / "d.sqlite3") as svc:
        from ui.context import AppContext

        open_problem.start_daily_backup(AppContext(svc))
        qtbot.waitUntil(lambda: bool(ui.errors.shown), timeout=20000)
    assert ui.errors.shown == [("errorMessage", "The disk is full.")]


@pytest.fixture
def answers(monkeypatch, qapp):
    seen: list[dict] = []
    queue: list[str] = []

    def choose(box):
        seen.append(
            {
                "title": box.windowTitle(),
                "text": box.text(),
                "info": box.informativeText(),
                "offered": [b.property("choice") for b in box.buttons()],
            }
        )
        return queue.pop(0)

    monkeypatch.setattr(open_problem, "choose", choose)
    monkeypatch.setattr(open_problem, "ask_password", lambda *a: None)
    return queue, seen


def test_another_program_s_file_gets_its_own_dialog_and_is_left_alone(tmp_path, answers):
    queue, seen = answers
    path = tmp_path / "photos.db"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    before = path.read_bytes()
    queue.append(open_problem.QUIT)
    assert open_problem.open_with_recovery(path) is None
    (dialog,) = seen
    assert dialog["title"] == "This is not a DebtKeeper data file"
    assert dialog["offered"] == ["other_file", "quit"]
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(("-wal", "-shm", "-journal"))]


def test_an_empty_file_offers_the_last_backup(tmp_path, answers):
    from resources.i18n import set_language

    queue, seen = answers
    db = tmp_path / "d.sqlite3"
    with Services.open(db) as svc:
        safety.backup_now(svc)
    db.write_bytes(b"")
    set_language("zh_CN")
    queue.append(open_problem.QUIT)
    assert open_problem.open_with_recovery(db) is None
    (dialog,) = seen
    assert dialog["title"] == "数据文件是空的"
    assert dialog["offered"] == ["restore", "other_file", "quit"]
    assert db.read_bytes() == b""


def test_a_file_made_private_is_told_once_in_the_status_bar(tmp_path, qtbot):
    from ui.app import make_application
    from ui.main_window import MainWindow

    db = tmp_path / "d.sqlite3"
    Services.open(db).close()
    os.chmod(db, 0o644)
    make_application()
    window = MainWindow()
    qtbot.addWidget(window)
    opened = open_problem.open_with_recovery(db, window)
    try:
        open_problem.show_notices(window, opened.context.services)
        assert str(db) in window.statusBar().currentMessage()
        assert "readable by you only" in window.statusBar().currentMessage()
    finally:
        opened.context.services.close()
        opened.lock.release()
