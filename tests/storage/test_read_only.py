"""A database in a read-only file or folder: read it read-only, never write it, refuse what it cannot show."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from services import safety
from services.app import Services
from services.demo import build_demo
from services.errors import StorageError
from storage.db import open_database, open_read_only
from storage.errors import ReadOnlyDatabaseError, SchemaTooNewError
from tests.storage.read_only import simulate_read_only_folder, unwritable

AS_OF = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "d.sqlite3"
    with Services.open(path) as svc:
        build_demo(svc, AS_OF)
    return path


@pytest.fixture
def db(demo_file, tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "d.sqlite3"
    shutil.copy(demo_file, path)
    return path


def _debt_names(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM debts ORDER BY id")]


def test_a_read_only_open_reads_everything_and_cannot_write(db):
    before = db.read_bytes()
    names = _debt_names(db)
    with Services(open_read_only(db)) as svc:
        assert svc.read_only
        assert [d.name for d in svc.list_debts()] == names
        assert svc.count_payments() == len(svc.list_payments()) > 0
        with pytest.raises(StorageError) as info:
            svc.add_payment(1, "10.00", AS_OF)
        assert safety.problem_of(info.value) == safety.READ_ONLY
        with pytest.raises(StorageError):
            svc.set_setting("language", "en_US")
    assert db.read_bytes() == before


def test_a_read_only_folder_is_read_with_immutable(db):
    before, names = db.read_bytes(), _debt_names(db)
    with unwritable(db.parent):
        with pytest.raises(ReadOnlyDatabaseError):
            open_database(db)  # cannot create the -wal and -shm files SQLite needs for WAL
        database = open_read_only(db)
        try:
            assert database.read_only and "immutable=1" in str(database.engine.url)
            with Services(database) as svc:
                assert [d.name for d in svc.list_debts()] == names
                with pytest.raises(StorageError):
                    svc.remove_debt(1)
        finally:
            database.close()
        assert sorted(p.name for p in db.parent.iterdir()) == ["d.sqlite3"]
    assert db.read_bytes() == before


def test_a_read_only_file_in_a_read_only_folder(db):
    with unwritable(db, db.parent), Services.open(db, read_only_ok=True) as svc:
        assert svc.read_only and len(svc.list_debts()) == 6
    with unwritable(db, db.parent), pytest.raises(StorageError) as refused:
        Services.open(db)
    assert safety.problem_of(refused.value) == safety.READ_ONLY


def test_services_fall_back_to_reading_only_when_asked(db, monkeypatch):
    simulate_read_only_folder(monkeypatch)
    with pytest.raises(StorageError) as refused:
        Services.open(db)
    assert safety.problem_of(refused.value) == safety.READ_ONLY
    with Services.open(db, read_only_ok=True) as svc:
        assert svc.read_only and len(svc.list_debts()) == 6
        with pytest.raises(StorageError) as info:
            svc.add_debt(
                {
                    "name": "x",
                    "lender": "y",
                    "kind": "other",
                    "principal": "100",
                    "start_date": "2026-01-01",
                    "method": "bullet",
                    "months": 1,
                }
            )
        assert safety.problem_of(info.value) == safety.READ_ONLY


def test_a_log_with_changes_the_file_does_not_hold_yet_is_not_hidden(db):
    """Reading the main file alone (immutable) would show old figures: refuse instead."""
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("UPDATE debts SET name = 'renamed' WHERE id = 1")
        wal = db.with_name(db.name + "-wal")
        assert wal.stat().st_size > 0
        copy = db.parent.parent / "copy"
        copy.mkdir()
        shutil.copy(db, copy / db.name)
        shutil.copy(wal, copy / wal.name)  # as a crash would leave it: the log, no -shm
    finally:
        writer.close()
    with unwritable(copy), pytest.raises(ReadOnlyDatabaseError):
        open_read_only(copy / db.name)


def test_a_database_from_a_newer_version_is_refused(db):
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(SchemaTooNewError):
        open_read_only(db)


def test_an_empty_file_would_have_to_be_written_to_become_a_database(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(ReadOnlyDatabaseError):
        open_read_only(empty)
    assert empty.read_bytes() == b""


def test_a_missing_file_is_not_created(tmp_path):
    missing = tmp_path / "none.sqlite3"
    with pytest.raises(ReadOnlyDatabaseError):
        open_read_only(missing)
    assert not missing.exists()
