"""Backups: private files in backups/, rotation, verification, restore by atomic swap, one window per file."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services import safety
from services.app import Services
from services.errors import StorageError
from storage import backup as store
from storage import db as storage_db
from storage.lock import AlreadyOpenError, InstanceLock


def _db_with_payments(path, payments=3):
    svc = Services.open(path)
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
    return svc


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_is_private_self_contained_and_verifies(tmp_path):
    with _db_with_payments(tmp_path / "d.sqlite3") as svc:
        written = safety.backup_now(svc, store.DAILY)
    assert written.parent == tmp_path / "backups"
    assert _mode(written) == 0o600 and _mode(written.parent) == 0o700
    assert not (written.parent / (written.name + "-wal")).exists()
    checked = safety.verify(written)
    assert (checked.debts, checked.payments) == (1, 3)
    assert [b.reason for b in safety.list_backups(tmp_path / "d.sqlite3")] == ["daily"]


def test_daily_backup_is_taken_once_a_day(tmp_path):
    with _db_with_payments(tmp_path / "d.sqlite3") as svc:
        morning = datetime(2026, 11, 23, 8, 0)
        assert safety.daily_backup(svc, morning) is not None
        assert safety.daily_backup(svc, morning + timedelta(hours=5)) is None
        assert safety.daily_backup(svc, morning + timedelta(days=1)) is not None
    assert len(safety.list_backups(tmp_path / "d.sqlite3")) == 2


def test_rotation_keeps_last_ten_one_a_day_for_a_week_one_a_month_for_six(tmp_path):
    db = tmp_path / "d.sqlite3"
    _db_with_payments(db).close()
    start = datetime(2026, 1, 1, 12, 0)
    # Four backups a day for 300 days (rotation looks only at the names: empty files will do).
    (tmp_path / "backups").mkdir()
    for day in range(300):
        for hour in range(4):
            store.backup_path(db, store.DAILY, start + timedelta(days=day, hours=hour)).touch()
    removed = store.rotate(db, store.Retention())
    kept = store.list_backups(db)
    assert len(removed) + len(kept) == 1200
    newest = start + timedelta(days=299, hours=3)
    assert kept[0].taken == newest
    days = {b.taken.date() for b in kept}
    months = {(b.taken.year, b.taken.month) for b in kept}
    assert {newest.date() - timedelta(days=n) for n in range(7)} <= days
    assert len(months) == 6
    # 10 newest (3 days' worth) + older days up to 7 + older months: nothing else.
    assert len(kept) == 10 + 4 + 5


def test_retention_comes_from_the_settings(tmp_path):
    with _db_with_payments(tmp_path / "d.sqlite3") as svc:
        svc.set_setting("backup_keep_last", "2")
        svc.set_setting("backup_keep_daily", "1")
        svc.set_setting("backup_keep_monthly", "nonsense")
        assert safety.retention(svc) == store.Retention(last=2, daily=1, monthly=6)
        for minute in range(5):
            safety.backup_now(svc, now=datetime(2026, 11, 23, 10, minute))
    assert len(safety.list_backups(tmp_path / "d.sqlite3")) == 2


def test_restore_swaps_in_the_backup_and_keeps_the_current_file(tmp_path):
    db = tmp_path / "d.sqlite3"
    with _db_with_payments(db) as svc:
        backup = safety.backup_now(svc)
        svc.add_payment(1, "1.00", date(2026, 3, 1))
    verified, kept = safety.restore(db, backup)
    assert verified.payments == 3 and kept is not None and "pre-restore" in kept.name
    with Services.open(db) as svc:
        assert len(svc.list_payments()) == 3
    with Services.open(kept) as svc:
        assert len(svc.list_payments()) == 4
    assert _mode(db) == 0o600


@pytest.mark.parametrize("damage", ["random", "truncated", "not_debtkeeper", "newer"])
def test_a_bad_backup_is_refused_and_nothing_changes(tmp_path, damage):
    db = tmp_path / "d.sqlite3"
    with _db_with_payments(db) as svc:
        bad = safety.backup_now(svc, out=tmp_path / "bad.sqlite3")
    if damage == "random":
        bad.write_bytes(b"\x00garbage" * 1000)
    elif damage == "truncated":
        bad.write_bytes(bad.read_bytes()[:6000])
    elif damage == "not_debtkeeper":
        bad.unlink()
        sqlite3.connect(bad).execute("CREATE TABLE t (x)").connection.close()
    else:
        conn = sqlite3.connect(bad)
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
        conn.close()
    before = db.read_bytes()
    with pytest.raises(StorageError) as info:
        safety.restore(db, bad)
    assert str(bad) in str(info.value)
    if damage == "newer":
        assert "newer version" in str(info.value)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".*restoring*"))


def test_restoring_over_a_damaged_file_keeps_its_bytes_aside(tmp_path):
    db = tmp_path / "d.sqlite3"
    with _db_with_payments(db) as svc:
        good = safety.backup_now(svc)
    damaged = b"SQLite format 3\x00" + bytes(range(256)) * 40
    db.write_bytes(damaged)
    _verified, kept = safety.restore(db, good)
    assert kept is not None and kept.read_bytes() == damaged
    with Services.open(db) as svc:
        assert len(svc.list_payments()) == 3


def test_a_migration_is_preceded_by_a_backup(tmp_path, monkeypatch):
    db = tmp_path / "d.sqlite3"
    _db_with_payments(db).close()
    monkeypatch.setattr(storage_db, "HEAD", "9998")  # the stored 0001 now looks old
    storage_db.open_database(db).close()
    assert [b.reason for b in store.list_backups(db)] == [store.PRE_MIGRATION]


def test_import_with_replace_backs_up_through_the_rotation(tmp_path):
    from services.jsonio import export_database, import_database

    with _db_with_payments(tmp_path / "d.sqlite3") as svc:
        data = export_database(svc)
        import_database(svc, data, replace=True, backup_to=safety.import_backup_path(svc))
    (only,) = safety.list_backups(tmp_path / "d.sqlite3")
    assert only.reason == store.PRE_IMPORT and _mode(only.path) == 0o600


def test_one_window_per_database(tmp_path):
    db = tmp_path / "d.sqlite3"
    first = safety.lock(db)
    with pytest.raises(StorageError) as info:
        safety.lock(db)
    assert safety.problem_of(info.value) == safety.ALREADY_OPEN
    with pytest.raises(AlreadyOpenError):
        InstanceLock(db).acquire()
    # Restoring from the command line while a window has the file open is refused, file untouched.
    _db_with_payments(db).close()
    with pytest.raises(StorageError):
        safety.restore(db, db)
    first.release()
    with InstanceLock(db) as again:
        assert again.held


def test_the_lock_dies_with_its_process(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "d.sqlite3"
    code = f"from storage.lock import InstanceLock; InstanceLock({str(db)!r}).acquire(); print('held')"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]),
    )
    assert out.stdout.strip() == "held"
    safety.lock(db).release()  # no stale lock after the holder exited


def test_a_full_disk_rolls_the_payment_back(tmp_path):
    from sqlalchemy import event

    with _db_with_payments(tmp_path / "d.sqlite3") as svc:
        engine = svc.database.engine
        engine.dispose()

        @event.listens_for(engine, "connect")
        def _cap(dbapi_connection, _record):  # SQLite reports SQLITE_FULL past max_page_count
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

        before = svc.list_payments()
        with pytest.raises(StorageError) as info:
            for _ in range(200):
                svc.add_payment(1, "0.01", date(2026, 3, 1), note="n" * 4000)
        assert safety.problem_of(info.value) == safety.DISK_FULL
        assert "disk is full" in str(info.value)
        after = svc.list_payments()
        assert len(after) >= len(before)
        assert all(p.note in ("", "n" * 4000) for p in after)
    conn = sqlite3.connect(tmp_path / "d.sqlite3")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_password_protection_round_trip(tmp_path):
    from storage import encryption

    if encryption.module() is None:
        pytest.skip("sqlcipher3 is not installed")
    plain = tmp_path / "plain.sqlite3"
    _db_with_payments(plain).close()
    encryption.set_password("it's secret")
    protected = safety.encrypt(plain, tmp_path / "protected.sqlite3")
    assert encryption.is_encrypted(protected) and _mode(protected) == 0o600
    assert "Card" not in protected.read_bytes().decode("latin-1")
    with Services.open(protected) as svc:
        assert len(svc.list_payments()) == 3
        backup = safety.backup_now(svc)
    assert encryption.is_encrypted(backup) and safety.verify(backup).payments == 3
    encryption.set_password("wrong")
    before = protected.read_bytes()
    with pytest.raises(StorageError) as info:
        Services.open(protected)
    assert safety.problem_of(info.value) == safety.PASSWORD
    assert protected.read_bytes() == before
    encryption.set_password(None)
    with pytest.raises(StorageError):
        Services.open(protected)
    assert safety.needs_password(protected)


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(
        st.integers(min_value=0, max_value=400 * 24 * 60), min_size=1, max_size=120, unique=True
    ),
    last=st.integers(min_value=0, max_value=12),
    daily=st.integers(min_value=0, max_value=10),
    monthly=st.integers(min_value=0, max_value=8),
)
def test_retention_properties(offsets, last, daily, monthly):
    base = datetime(2025, 1, 1)
    backups = sorted(
        (store.BackupInfo(Path(f"b{m}"), base + timedelta(minutes=m), "daily", 1) for m in offsets),
        key=lambda b: b.taken,
        reverse=True,
    )
    keep = store.to_keep(backups, store.Retention(last, daily, monthly))
    assert backups[0].path in keep  # the newest is never deleted
    assert len(keep) <= max(last, 1) + daily + monthly
    assert {b.path for b in backups[:last]} <= keep
    for day in sorted({b.taken.date() for b in backups}, reverse=True)[:daily]:
        newest_that_day = next(b for b in backups if b.taken.date() == day)
        assert newest_that_day.path in keep
    for month in sorted({(b.taken.year, b.taken.month) for b in backups}, reverse=True)[:monthly]:
        assert next(b for b in backups if (b.taken.year, b.taken.month) == month).path in keep


def test_backup_list_verify_and_restore_from_the_command_line(tmp_path):
    import json
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    db = tmp_path / "d.sqlite3"
    _db_with_payments(db).close()
    env = {**os.environ, "DEBTKEEPER_LANG": "en_US"}

    def run(*args):
        return subprocess.run(
            [sys.executable, "main.py", *args, "--db", str(db)],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert run("backup").returncode == 0
    listed = json.loads(run("backup", "--list", "--json").stdout)
    assert [b["reason"] for b in listed] == ["manual"] and listed[0]["size"] > 0
    verified = json.loads(run("backup", "--verify", listed[0]["path"], "--json").stdout)
    assert verified["ok"] and verified["payments"] == 3
    assert run("payment", "add", "1", "--amount", "5", "--date", "2026-03-01").returncode == 0
    restored = run("restore", listed[0]["path"])
    assert restored.returncode == 0 and "3 payments" in restored.stdout and "pre-restore" in restored.stdout
    with Services.open(db) as svc:
        assert len(svc.list_payments()) == 3


def test_a_command_line_write_waits_for_the_window_s_transaction(tmp_path):
    import os
    import subprocess
    import sys
    import time

    root = Path(__file__).resolve().parents[2]
    db = tmp_path / "d.sqlite3"
    _db_with_payments(db).close()
    window = sqlite3.connect(db, isolation_level=None)
    window.execute("BEGIN IMMEDIATE")  # the window is in the middle of writing
    started = time.monotonic()
    cli = subprocess.Popen(
        [
            sys.executable,
            "main.py",
            "payment",
            "add",
            "1",
            "--amount",
            "1",
            "--date",
            "2026-03-01",
            "--db",
            str(db),
        ],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DEBTKEEPER_LANG": "en_US"},
    )
    time.sleep(1.5)
    window.execute("COMMIT")
    window.close()
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == 0, err  # it waited (busy timeout), then wrote
    assert time.monotonic() - started >= 1.5
    with Services.open(db) as svc:
        assert len(svc.list_payments()) == 4
