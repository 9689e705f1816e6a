"""Restore changes nothing it must not: a read-only file or folder, another program's unfinished write,
the mode of a folder it did not create; and what a killed restore leaves behind is removed at the next start.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from services import safety
from services.app import Services

ROOT = Path(__file__).resolve().parents[2]
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and signals")
DAY = 24 * 3600


def _database(path: Path, payments: int = 3) -> Path:
    with Services.open(path) as svc:
        debt = svc.add_debt(
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
        for i in range(payments):
            svc.add_payment(debt, "10.00", date(2026, 2, 1) + timedelta(days=i))
    return path


def _backup_elsewhere(db: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    with Services.open(db) as svc:
        return safety.backup_now(svc, out=folder / "good.sqlite3")


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess[str]:
    """The command line, run in this process."""
    import cli

    capsys.readouterr()
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out, err)


def _main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command line in a new process (a later start of the program)."""
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "DEBTKEEPER_LANG": "en_US", **(env or {})},
    )


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mode, p.read_bytes() if p.is_file() else b"") for p in folder.iterdir()}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- read-only file and folder -----------------------------------------------------------


@POSIX
def test_a_read_only_database_file_is_not_replaced(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    db = _database(tmp_path / "data" / "d.sqlite3")
    backup = _backup_elsewhere(db, tmp_path / "elsewhere")
    db.chmod(0o444)
    before = _snapshot(db.parent)
    done = _cli(capsys, "restore", str(backup), "--db", str(db))
    assert done.returncode == 2 and "read-only" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert _snapshot(db.parent) == before  # not replaced, no backups folder, no staging copy
    db.chmod(0o600)


@POSIX
def test_a_read_only_folder_is_not_written(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    db = _database(folder / "d.sqlite3")
    backup = _backup_elsewhere(db, tmp_path / "elsewhere")
    before = _snapshot(folder)
    folder.chmod(0o555)
    try:
        done = _cli(capsys, "restore", str(backup), "--db", str(db))
        after = _snapshot(folder)
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2 and "read-only" in done.stderr
    assert after == before


# --- another program writing -------------------------------------------------------------

WRITER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO settings (key, value) VALUES ('written_by', 'another program')")
print("writing", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
print("committed", flush=True)
"""


@POSIX
@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_restore_refuses_while_another_program_has_a_write_open_and_its_row_survives(
    journal, tmp_path, capsys
):
    db = _database(tmp_path / "d.sqlite3")
    backup = _backup_elsewhere(db, tmp_path / "elsewhere")
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute(f"PRAGMA journal_mode={journal}").fetchone()[0] == journal
    inode = db.stat().st_ino
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert writer.stdin is not None and writer.stdout is not None
    try:
        assert writer.stdout.readline() == "writing\n"
        started = time.monotonic()
        done = _cli(capsys, "restore", str(backup), "--db", str(db))
        waited = time.monotonic() - started
        writer.stdin.write("\n")
        writer.stdin.flush()
        assert writer.stdout.readline() == "committed\n"
    finally:
        writer.communicate(timeout=60)
    assert done.returncode == 2 and "in use by another program" in done.stderr, done.stdout + done.stderr
    assert waited < 30
    assert db.stat().st_ino == inode  # not swapped
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT value FROM settings WHERE key = 'written_by'").fetchone() == (
            "another program",
        )
    assert not (tmp_path / ".d.sqlite3.restoring").exists()
    # Once the other program is done, the restore goes ahead.
    assert _cli(capsys, "restore", str(backup), "--db", str(db)).returncode == 0


# --- folders it did not create --------------------------------------------------------------


@POSIX
def test_backup_and_restore_never_change_the_mode_of_a_folder_they_did_not_create(tmp_path, capsys):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: everyone may create files, only owners delete them
    db = _database(tmp_path / "d.sqlite3")
    assert _cli(capsys, "backup", "--db", str(db), "--out", str(shared / "copy.sqlite3")).returncode == 0
    assert _mode(shared) == 0o1777
    new = shared / "new" / "copy.sqlite3"
    assert _cli(capsys, "backup", "--db", str(db), "--out", str(new)).returncode == 0
    assert _mode(shared) == 0o1777 and _mode(shared / "new") == 0o700  # the folder it made is private
    backups = tmp_path / "backups"
    backups.mkdir()
    backups.chmod(0o1777)  # the person made the backups folder themselves
    done = _cli(capsys, "restore", str(shared / "copy.sqlite3"), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert _mode(backups) == 0o1777
    assert any(p.name.endswith("-pre-restore.sqlite3") for p in backups.iterdir())
    assert _mode(shared) == 0o1777


# --- what a killed restore leaves behind -------------------------------------------------------

PAUSED_RESTORE = """
import sys, time
from pathlib import Path
from storage import backup as store

real_check = store._check_file
checks = []

def check(path, shown):
    checks.append(path)
    if len(checks) == int(sys.argv[3]):
        print("paused", flush=True)
        time.sleep(120)
    return real_check(path, shown)

store._check_file = check
from services import safety
safety.restore(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _killed_restore(db: Path, backup: Path, at_check: int, env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSED_RESTORE, str(db), str(backup), str(at_check)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    _out, err = proc.communicate(timeout=60)
    assert line == "paused\n", err


@POSIX
def test_a_killed_restore_leaves_nothing_after_the_next_start(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {"TMPDIR": str(temp)}
    db = _database(tmp_path / "d.sqlite3")
    backup = _backup_elsewhere(db, tmp_path / "elsewhere")
    _killed_restore(db, backup, 1, env)  # while it checks its private copy of the backup
    _killed_restore(db, backup, 2, env)  # while it checks the staging copy beside the database
    verify_folders = [p for p in temp.iterdir() if p.name.startswith("debtkeeper-verify-")]
    assert len(verify_folders) == 1 and (tmp_path / ".d.sqlite3.restoring").exists()
    # Not ours, or not left by a crash: these stay.
    (temp / "debtkeeper-verify-notours!").mkdir()
    (tmp_path / ".other.sqlite3.restoring").write_bytes(b"another database's")
    listed = _main("debt", "list", "--db", str(db), "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert not (tmp_path / ".d.sqlite3.restoring").exists()
    assert sorted(p.name for p in temp.iterdir()) == ["debtkeeper-verify-notours!"]
    assert (tmp_path / ".other.sqlite3.restoring").exists()
    with Services.open(db) as svc:
        assert len(svc.list_payments()) == 3  # the database itself is as it was


def _age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_only_our_old_unused_leftovers_are_removed(tmp_path, monkeypatch):
    from storage import leftovers

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    with leftovers.temp_folder("verify") as in_use:  # a check under way in a live process
        old_unused = temp / "debtkeeper-readonly-abcd1234"
        old_unused.mkdir()
        (old_unused / "d.sqlite3").write_bytes(b"copy")
        for folder in (in_use, old_unused):
            _age(folder, DAY)
        fresh = temp / "debtkeeper-verify-fresh123"
        fresh.mkdir()  # made after this process started: perhaps by another one, at work now
        removed = leftovers.clean_temp_folders(temp)
        assert removed == [old_unused] and in_use.exists() and fresh.exists()
    assert not in_use.exists()


def test_staging_files_beside_the_database_go_only_when_no_other_window_has_it(tmp_path):
    from storage import leftovers

    db = tmp_path / "d.sqlite3"
    db.write_bytes(b"")
    staged = tmp_path / ".d.sqlite3.restoring"
    protecting = tmp_path / "d.sqlite3.protecting"
    for path in (staged, protecting):
        path.write_bytes(b"left by a killed DebtKeeper")
        _age(path, DAY)
    other_window = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from storage.lock import InstanceLock; "
            "InstanceLock(sys.argv[1]).acquire(); print('open', flush=True); sys.stdin.readline()",
            str(db),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert other_window.stdin is not None and other_window.stdout is not None
    try:
        assert other_window.stdout.readline() == "open\n"
        assert leftovers.clean_beside(db) == [] and staged.exists()  # that window may be restoring
    finally:
        other_window.communicate("\n", timeout=60)
    assert sorted(leftovers.clean_beside(db)) == sorted([staged, protecting])
    # A copy this process is writing under its own lock (the window restoring or protecting) stays...
    from storage.lock import InstanceLock

    fresh = tmp_path / "d.sqlite3.protecting"
    own = InstanceLock(db).acquire()
    try:
        fresh.write_bytes(b"written by this process just now")
        assert leftovers.clean_beside(db) == [] and fresh.exists()
    finally:
        own.release()
    # ...but with the lock free nobody is writing it, however new it looks (a killed process's).
    assert leftovers.clean_beside(db) == [fresh] and not fresh.exists()


def test_the_window_cleans_up_when_it_opens_the_database(tmp_path, qapp):
    from ui.open_problem import open_with_recovery

    db = _database(tmp_path / "d.sqlite3")
    staged = tmp_path / ".d.sqlite3.restoring"
    staged.write_bytes(b"left by a killed restore")
    _age(staged, DAY)
    opened = open_with_recovery(db)
    assert opened is not None
    try:
        assert not staged.exists()
    finally:
        opened.context.services.close()
        if opened.lock is not None:
            opened.lock.release()


def test_a_read_only_copy_lives_in_a_folder_marked_in_use(tmp_path, monkeypatch):
    from storage import leftovers

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    db = _database(tmp_path / "d.sqlite3")
    copy = safety.read_only_copy(db)
    assert copy.parent.parent == temp and copy.read_bytes() == db.read_bytes()
    if os.name == "posix":
        assert _mode(copy) == 0o600
    _age(copy.parent, DAY)
    assert leftovers.clean_temp_folders(temp) == [] and copy.exists()  # this process still uses it
