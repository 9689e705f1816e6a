"""While the program has a database open, nothing else in it opens that file (storage/live.py says why).

Each test holds a database open the way the window does, does what the window
or a command does beside it, then lets another process open and close the
database. With the window's locks intact SQLite in that process sees it is
not the last user and leaves the write-ahead log alone; with the locks
dropped it deletes the log from under the window.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from services import protection, safety
from services.app import Services
from storage import encryption, live

ROOT = Path(__file__).resolve().parents[2]
OPEN_AND_CLOSE = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
    "c.execute('SELECT count(*) FROM debts').fetchone(); c.close()"
)


def _another_process_opens_and_closes(db: Path) -> None:
    subprocess.run([sys.executable, "-c", OPEN_AND_CLOSE, str(db)], check=True, timeout=60)


@pytest.fixture
def open_db(tmp_path):
    db = tmp_path / "live.sqlite3"
    svc = Services.open(db)
    svc.add_debt(
        {
            "name": "Card",
            "lender": "Bank",
            "kind": "credit_card",
            "principal": "1000.00",
            "start_date": "2026-01-15",
            "method": "equal-installment",
            "months": 12,
        }
    )
    svc.list_debts()  # a pooled connection now holds the database open, as the window's does
    assert Path(str(db) + "-wal").exists()
    yield svc, db
    svc.close()


def test_asking_whether_an_open_database_is_encrypted_keeps_its_locks(open_db):
    svc, db = open_db
    assert encryption.is_encrypted(db) is False
    assert safety.needs_password(db) is False
    protection.unavailable_reason(svc)  # what the Settings page asks
    _another_process_opens_and_closes(db)
    assert Path(str(db) + "-wal").exists(), "the write-ahead log was deleted from under the open database"


def test_the_daily_backup_of_an_open_database_keeps_its_locks(open_db):
    svc, db = open_db
    assert safety.daily_backup(svc) is not None
    _another_process_opens_and_closes(db)
    assert Path(str(db) + "-wal").exists()


@pytest.mark.skipif(encryption.module() is None, reason="needs sqlcipher3")
def test_protecting_an_open_database_keeps_its_locks(open_db):
    svc, db = open_db
    copy = protection.write_protected_copy(db, "correct horse")
    _another_process_opens_and_closes(db)
    assert Path(str(db) + "-wal").exists()
    assert encryption.is_encrypted(copy)
    assert not list(db.parent.glob("*encrypt*")), "the plain snapshot was left behind"


def test_what_is_known_of_an_open_file_follows_it_until_closed(tmp_path):
    db = tmp_path / "a.sqlite3"
    svc = Services.open(db)
    assert live.lookup(db) is not None and live.lookup(db).encrypted is False
    second = Services.open(db)  # two opens in one process: known until both are closed
    svc.close()
    assert live.lookup(db) is not None
    second.close()
    assert live.lookup(db) is None


def _hold_a_write_transaction(db: Path) -> subprocess.Popen[str]:
    holder = (
        "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "c.execute('BEGIN IMMEDIATE'); "
        "c.execute(\"INSERT INTO settings(key, value) VALUES ('held', 'yes')\"); "
        "print('holding', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen([sys.executable, "-c", holder, str(db)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def test_commands_that_only_read_work_while_another_process_writes(tmp_path):
    db = tmp_path / "busy.sqlite3"
    subprocess.run(
        [sys.executable, "main.py", "--db", str(db), "demo", "--as-of", "2026-11-20"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    writer = _hold_a_write_transaction(db)
    try:
        for args in (
            ["debt", "list", "--json"],
            ["plan", "--budget", "5000", "--as-of", "2026-11-20"],
            ["overdue", "1", "--as-of", "2026-11-20"],
            ["export", "--out", str(tmp_path / "e.json")],
        ):
            started = time.monotonic()
            result = subprocess.run(
                [sys.executable, "main.py", "--db", str(db), *args],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert result.returncode == 0, (args, result.stderr)
            assert time.monotonic() - started < 4, f"{args} waited for the writer's lock"
    finally:
        writer.kill()
        writer.communicate()


def test_import_replace_is_refused_while_a_window_has_the_file_open(tmp_path):
    db = tmp_path / "window.sqlite3"
    subprocess.run(
        [sys.executable, "main.py", "--db", str(db), "demo", "--as-of", "2026-11-20"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    export = tmp_path / "all.json"
    subprocess.run(
        [sys.executable, "main.py", "--db", str(db), "export", "--out", str(export)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    before = db.read_bytes()
    held = safety.lock(db)  # what the window holds while it is open
    try:
        result = subprocess.run(
            [sys.executable, "main.py", "--db", str(db), "import", str(export), "--replace"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        assert held is not None
        held.release()
    assert result.returncode == 2, result.stderr
    assert "already open" in result.stderr
    assert db.read_bytes() == before
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM debts").fetchone()[0] > 0


def test_a_file_name_with_a_question_mark_or_hash_is_the_file_opened(tmp_path):
    db = tmp_path / "my debts?v=1#2026.sqlite3"
    with Services.open(db) as svc:
        svc.add_debt(
            {
                "name": "Card",
                "lender": "Bank",
                "kind": "credit_card",
                "principal": "1000.00",
                "start_date": "2026-01-15",
                "method": "equal-installment",
                "months": 12,
            }
        )
    made = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith((".lock", "-wal", "-shm")))
    assert made == [db.name]
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM debts").fetchone()[0] == 1
