"""Start-up with a broken, newer, busy or read-only data file: the dialog, its choices, the file untouched."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

from services import safety
from ui import open_problem


@pytest.fixture
def answers(monkeypatch, qapp):
    """Answer the start-up dialog with the given choices in turn; record what each dialog offered."""
    seen: list[dict] = []
    queue: list[str] = []

    def choose(box):
        offered = [b.property("choice") for b in box.buttons()]
        seen.append(
            {
                "title": box.windowTitle(),
                "text": box.text(),
                "info": box.informativeText(),
                "offered": offered,
            }
        )
        return queue.pop(0)

    monkeypatch.setattr(open_problem, "choose", choose)
    monkeypatch.setattr(open_problem, "ask_password", lambda *a: None)  # random bytes look encrypted
    return queue, seen


def test_a_corrupt_file_offers_the_last_backup_and_restoring_keeps_the_damaged_bytes(
    tmp_path, demo_template, answers
):
    queue, seen = answers
    db = tmp_path / "d.sqlite3"
    shutil.copy(demo_template, db)
    from services.app import Services

    with Services.open(db) as svc:
        safety.backup_now(svc, "daily")
    damaged = os.urandom(50_000)
    db.write_bytes(damaged)
    queue.append(open_problem.RESTORE)
    opened = open_problem.open_with_recovery(db)
    assert opened is not None
    try:
        assert len(opened.context.services.list_debts()) == 6
    finally:
        opened.context.services.close()
        opened.lock.release()
    (dialog,) = seen
    assert dialog["title"] == "The data file is damaged"
    assert str(db) in dialog["text"]
    assert dialog["offered"] == ["restore", "other_file", "quit"]
    kept = [b for b in safety.list_backups(db) if b.reason == "damaged"]
    assert kept and kept[0].path.read_bytes() == damaged


def test_quitting_leaves_a_corrupt_file_exactly_as_it_was(tmp_path, answers):
    queue, seen = answers
    db = tmp_path / "d.sqlite3"
    db.write_bytes(b"SQLite format 3\x00" + b"\x07" * 8000)
    before = db.read_bytes()
    queue.append(open_problem.QUIT)
    assert open_problem.open_with_recovery(db) is None
    assert db.read_bytes() == before
    assert seen[0]["offered"] == ["other_file", "quit"]  # no backup to offer
    assert "no automatic backup" in seen[0]["info"]


def test_a_newer_database_says_so_and_can_open_another_file(tmp_path, demo_template, answers, monkeypatch):
    queue, seen = answers
    db = tmp_path / "newer.sqlite3"
    shutil.copy(demo_template, db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    other = tmp_path / "elsewhere" / "new.sqlite3"
    monkeypatch.setattr(open_problem, "ask_other_file", lambda parent, current: other)
    queue.append(open_problem.OTHER_FILE)
    opened = open_problem.open_with_recovery(db)
    assert opened is not None and opened.context.services.path == str(other)
    opened.context.services.close()
    opened.lock.release()
    assert "newer version" in seen[0]["text"] and seen[0]["offered"] == ["other_file", "quit"]


def test_a_second_window_on_the_same_file_is_told_and_quits(tmp_path, answers):
    queue, seen = answers
    db = tmp_path / "d.sqlite3"
    first = safety.lock(db)
    queue.append(open_problem.QUIT)
    assert open_problem.open_with_recovery(db) is None
    assert seen[0]["title"] == "DebtKeeper is already open" and seen[0]["offered"] == ["quit"]
    first.release()


def test_a_read_only_file_opens_as_a_copy_with_a_banner(tmp_path, demo_template, answers, monkeypatch, qtbot):
    queue, seen = answers
    db = tmp_path / "d.sqlite3"
    shutil.copy(demo_template, db)
    before = db.read_bytes()
    real_open = safety.lock

    def read_only_lock(path):  # as on a read-only mount: the database cannot be written
        if str(path) == str(db):
            from storage.errors import ReadOnlyDatabaseError

            exc = ReadOnlyDatabaseError(
                "The database file cannot be written: check its permissions ({path}).", path=str(db)
            )
            raise safety._user_error(exc)
        return real_open(path)

    monkeypatch.setattr(safety, "lock", read_only_lock)
    queue.append(open_problem.READ_ONLY)
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    opened = open_problem.open_with_recovery(db, window)
    assert opened is not None and opened.read_only_of == db
    assert seen[0]["offered"] == ["read_only", "other_file", "quit"]
    window.attach(opened.context)
    banner = open_problem.show_read_only_banner(window, db)
    assert str(db) in banner.text() and "not saved" in banner.text()
    opened.context.services.add_payment(1, "1.00", opened.context.today())
    window.detach()
    assert db.read_bytes() == before


def test_dialog_texts_exist_in_chinese(tmp_path, answers):
    from resources.i18n import set_language

    queue, seen = answers
    set_language("zh_CN")
    db = tmp_path / "d.sqlite3"
    db.write_bytes(os.urandom(9000))
    queue.append(open_problem.QUIT)
    open_problem.open_with_recovery(db)
    assert seen[0]["title"] == "数据文件已损坏" and "原样保留" in seen[0]["info"]


def test_a_protected_file_asks_for_the_password(tmp_path, demo_template, answers, monkeypatch):
    from storage import encryption

    if encryption.module() is None:
        pytest.skip("sqlcipher3 is not installed")
    queue, seen = answers
    protected = encryption.encrypt_copy(demo_template, tmp_path / "p.sqlite3", "correct horse")
    asked = []

    def ask(parent, path, wrong):
        asked.append(wrong)
        return "wrong" if len(asked) == 1 else "correct horse"

    monkeypatch.setattr(open_problem, "ask_password", ask)
    opened = open_problem.open_with_recovery(protected)
    assert opened is not None and len(opened.context.services.list_debts()) == 6
    assert asked == [False, True]  # the second time it says the first password did not open it
    assert not seen  # no problem dialog: the password was all it needed
    opened.context.services.close()
    opened.lock.release()


def test_settings_restore_refuses_a_damaged_backup_and_swaps_in_a_good_one(window, context, tmp_path):
    from services.errors import UserError

    page = window.show_page("settings")
    good = safety.backup_now(context.services, out=tmp_path / "good.sqlite3")
    count = len(context.services.list_debts())
    context.services.remove_debt(context.services.list_debts()[0].id)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(good.read_bytes()[:5000])
    with pytest.raises(UserError):
        page.restore(damaged)
    assert len(context.services.list_debts()) == count - 1  # nothing changed
    page.restore(good)
    assert len(context.services.list_debts()) == count
    assert "pre-restore" in page.result.text()
