"""Files that are not DebtKeeper databases are refused untouched; a file others could read is made private."""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

import cli
from services import safety
from services.app import Services
from services.errors import StorageError
from storage.db import open_database
from storage.errors import EmptyDatabaseFileError, ForeignDatabaseError, SchemaTooNewError


def _journal_mode(path: Path) -> str:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])


def _other_programs_file(path: Path, *tables: str) -> Path:
    with closing(sqlite3.connect(path)) as conn, conn:
        for table in tables:
            conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
            conn.execute(f"INSERT INTO {table} (name) VALUES ('kept')")
    return path


@pytest.mark.parametrize("tables", [("photos",), ("alembic_version", "photos")])
def test_another_program_s_database_is_refused_before_anything_is_written(tmp_path, tables):
    path = _other_programs_file(tmp_path / "photos.db", *tables)
    if "alembic_version" in tables:  # another program that uses Alembic too
        with closing(sqlite3.connect(path)) as conn, conn:
            conn.execute("DROP TABLE alembic_version")
            conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            conn.execute("INSERT INTO alembic_version VALUES ('3f2a9c1b7d4e')")
    before = path.read_bytes()
    assert _journal_mode(path) == "delete"
    with pytest.raises(ForeignDatabaseError) as info:
        open_database(path)
    assert "another program's database" in info.value.message
    assert path.read_bytes() == before
    assert _journal_mode(path) == "delete"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos.db"]  # no -wal, -shm or backups


def test_the_command_line_refuses_it_and_says_the_file_was_not_changed(tmp_path, capsys):
    path = _other_programs_file(tmp_path / "photos.db", "photos")
    before = path.read_bytes()
    code = cli.main(["--lang", "en_US", "--db", str(path), "debt", "list"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "another program's database" in err and "not changed" in err
    assert path.read_bytes() == before and _journal_mode(path) == "delete"


def test_a_newer_debtkeeper_database_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "d.sqlite3"
    open_database(path).close()
    with closing(sqlite3.connect(path)) as conn:
        with conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.execute("PRAGMA journal_mode=DELETE")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError):
        open_database(path)
    assert path.read_bytes() == before and _journal_mode(path) == "delete"


def test_a_zero_byte_file_is_not_turned_into_a_database(tmp_path):
    path = tmp_path / "d.sqlite3"
    path.touch()
    with pytest.raises(EmptyDatabaseFileError) as info:
        open_database(path)
    assert "empty" in info.value.message and str(path) in info.value.message
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.sqlite3"]


def test_a_zero_byte_file_on_the_command_line_is_one_line_and_exit_2(tmp_path, capsys):
    path = tmp_path / "d.sqlite3"
    path.touch()
    code = cli.main(["--lang", "en_US", "--db", str(path), "debt", "list"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "empty" in err
    assert path.stat().st_size == 0


def test_only_a_path_where_no_file_was_becomes_a_new_database(tmp_path):
    path = tmp_path / "new.sqlite3"
    with Services.open(path) as svc:
        assert svc.list_debts() == []
    assert path.stat().st_size > 0
    with Services.open(path) as svc:  # and it opens again as itself
        assert svc.list_debts() == []


def test_an_empty_sqlite_file_with_no_tables_becomes_a_database(tmp_path):
    path = tmp_path / "d.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 0")
        conn.execute("VACUUM")  # writes the header: a valid SQLite file holding nothing
    assert path.stat().st_size > 0
    open_database(path).close()


def test_a_folder_is_refused_as_a_data_file(tmp_path):
    with pytest.raises(ForeignDatabaseError):
        open_database(tmp_path)


def test_a_new_file_that_cannot_be_set_up_is_not_left_behind(tmp_path, monkeypatch):
    from storage import db as storage_db

    def fail(_engine):
        raise storage_db.KnownDatabaseError(
            "The disk is full: free some space and try again ({path}).", path="x"
        )

    monkeypatch.setattr(storage_db, "upgrade", fail)
    path = tmp_path / "new.sqlite3"
    with pytest.raises(storage_db.KnownDatabaseError):
        open_database(path)
    assert not path.exists()  # not a 0-byte file that the next start would refuse


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_database_others_can_read_is_made_private_and_the_person_told(tmp_path):
    path = tmp_path / "d.sqlite3"
    with Services.open(path) as svc:
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
        assert svc.notices == []
        keep_open = sqlite3.connect(path)  # keeps the -wal and -shm in place after the close
        keep_open.execute("SELECT 1 FROM debts").fetchall()
    try:
        for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert part.exists()
            os.chmod(part, 0o644)
        with Services.open(path) as svc:
            assert [_mode(p) for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))] == [0o600] * 3
            (notice,) = svc.notices
            assert str(path) in notice and "0644" in notice and "0600" in notice
        with Services.open(path) as svc:
            assert svc.notices == []  # told once
    finally:
        keep_open.close()


def test_the_command_line_tells_on_stderr_that_the_file_was_made_private(tmp_path, capsys):
    path = tmp_path / "d.sqlite3"
    Services.open(path).close()
    os.chmod(path, 0o664)
    code = cli.main(["--lang", "en_US", "--db", str(path), "debt", "list", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and out.strip() == "[]"
    assert err.count("\n") == 1 and str(path) in err and "readable by you only" in err
    assert _mode(path) == 0o600


def test_the_notice_is_in_chinese_too(tmp_path):
    from resources.i18n import set_language

    path = tmp_path / "d.sqlite3"
    Services.open(path).close()
    os.chmod(path, 0o644)
    set_language("zh_CN")
    with Services.open(path) as svc:
        (notice,) = svc.notices
    assert "只有您" in notice


def test_way_forward_claims_nothing_unchanged_it_cannot_know(tmp_path):
    from storage.errors import DiskFullError

    full = DiskFullError("The disk is full: free some space and try again ({path}).", path="x")
    assert "Nothing was changed" not in safety.way_forward(_wrapped(full), None)
    rolled_back = DiskFullError("The disk is full: free some space and try again ({path}).", path="x")
    rolled_back.unchanged = True
    assert "Nothing was changed" in safety.way_forward(_wrapped(rolled_back), None)


def _wrapped(exc: Exception) -> StorageError:
    error = StorageError(str(exc))
    error.__cause__ = exc
    return error
