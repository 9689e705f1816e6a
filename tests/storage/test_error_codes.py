"""SQLite errors are told apart by their result code, not by the words of their message."""

from __future__ import annotations

import os
import sqlite3
from collections import namedtuple
from contextlib import closing

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from storage import errors
from storage.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    DiskIOError,
    ReadOnlyDatabaseError,
    known_error,
)


def _raised(action) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as info:
        action()
    return info.value


def _io_error(name: str) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorcode = getattr(sqlite3, name)  # as the sqlite3 module sets them on errors it raises
    exc.sqlite_errorname = name
    return exc


def test_a_bug_whose_message_quotes_a_known_phrase_is_still_a_bug():
    with closing(sqlite3.connect(":memory:")) as conn:
        exc = _raised(lambda: conn.execute("SELECT [database is locked]"))
    assert exc.sqlite_errorname == "SQLITE_ERROR"
    assert known_error(exc, "x.sqlite3") is None


def test_an_io_error_on_a_disk_with_room_is_not_called_full(tmp_path):
    known = known_error(_io_error("SQLITE_IOERR_WRITE"), str(tmp_path / "d.sqlite3"))
    assert isinstance(known, DiskIOError) and not isinstance(known, DiskFullError)
    assert "full" not in known.message and "SQLITE_IOERR_WRITE" in known.message


def test_an_io_error_on_a_disk_without_room_is_a_full_disk(tmp_path, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(errors.shutil, "disk_usage", lambda _path: usage(10**9, 10**9, 0))
    known = known_error(_io_error("SQLITE_IOERR_WRITE"), str(tmp_path / "d.sqlite3"))
    assert isinstance(known, DiskFullError)


def test_real_errors_are_classified_by_their_code(tmp_path):
    cant_open = _raised(lambda: sqlite3.connect(tmp_path / "missing" / "d.sqlite3"))
    assert isinstance(known_error(cant_open, "d"), ReadOnlyDatabaseError)

    plain = tmp_path / "p.sqlite3"
    with closing(sqlite3.connect(plain)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    with closing(sqlite3.connect(f"file:{plain}?mode=ro", uri=True)) as reader:
        read_only = _raised(lambda: reader.execute("INSERT INTO t VALUES (1)"))
    assert isinstance(known_error(read_only, "d"), ReadOnlyDatabaseError)

    garbage = tmp_path / "g.sqlite3"
    garbage.write_bytes(os.urandom(4096))
    with closing(sqlite3.connect(garbage)) as conn:
        not_a_db = _raised(lambda: conn.execute("SELECT * FROM sqlite_master").fetchall())
    assert isinstance(known_error(not_a_db, "d"), CorruptDatabaseError)

    with (
        closing(sqlite3.connect(plain, isolation_level=None)) as holder,
        closing(sqlite3.connect(plain, timeout=0, isolation_level=None)) as other,
    ):
        holder.execute("BEGIN EXCLUSIVE")
        busy = _raised(lambda: other.execute("BEGIN EXCLUSIVE"))
        holder.execute("ROLLBACK")
    assert isinstance(known_error(busy, "d"), DatabaseLockedError)

    with closing(sqlite3.connect(plain)) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count={pages}")
        full = _raised(lambda: conn.executemany("INSERT INTO t VALUES (?)", [("x" * 4000,)] * 50))
    assert full.sqlite_errorname == "SQLITE_FULL"
    assert isinstance(known_error(full, str(plain)), DiskFullError)


def test_sqlalchemy_s_wrapper_is_looked_through(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'd.sqlite3'}")
    with engine.connect() as conn, pytest.raises(DBAPIError) as info:
        conn.execute(text("SELECT [database is locked]"))
    engine.dispose()
    assert known_error(info.value, "d") is None


def test_sqlcipher_errors_without_a_code_fall_back_to_the_message():
    from storage import encryption

    cipher = encryption.module()
    if cipher is None:
        pytest.skip("sqlcipher3 is not installed")
    exc = cipher.OperationalError("database is locked")
    assert not hasattr(exc, "sqlite_errorcode")
    assert isinstance(known_error(exc, "d"), DatabaseLockedError)
    assert known_error(cipher.OperationalError("no such column: x"), "d") is None


def test_a_full_disk_says_which_folders_to_free_and_how_big_they_are(tmp_path):
    db = tmp_path / "d.sqlite3"
    db.write_bytes(b"x" * 3 * 1024 * 1024)
    (tmp_path / "backups").mkdir()
    for n in range(3):
        (tmp_path / "backups" / f"d-{n}.sqlite3").write_bytes(b"x" * 5 * 1024 * 1024)
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode, full.sqlite_errorname = sqlite3.SQLITE_FULL, "SQLITE_FULL"
    for path in (db, tmp_path / "backups" / "d-new.sqlite3"):  # the database, or a backup being written
        message = known_error(full, str(path)).message
        assert "disk is full" in message
        assert str(tmp_path) in message and str(tmp_path / "backups") in message
        assert "3.0 MB" in message and "15.0 MB" in message
