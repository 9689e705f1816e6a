"""Protecting the open database with a password, from the window.

Two steps, so the slow one can run off the window's thread: ``write_protected_copy``
writes an encrypted copy beside the database (SQLCipher) and checks it opens
with the password and holds the same tables; ``swap_in`` then closes the
database, keeps the unprotected file aside under a new name, puts the protected
copy in its place and reopens it. Any failure leaves the person's file as it was.
A lost password cannot be recovered: nobody, this program included, can open the
protected file without it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from resources.i18n import tr
from services.errors import StorageError
from storage import encryption
from storage.errors import KnownDatabaseError

if TYPE_CHECKING:
    from services.app import Services

MIN_LENGTH = 4  # SQLCipher takes any non-empty key; a person's password should not be trivially short


def unavailable_reason(svc: Services) -> str | None:
    """Why the open database cannot be protected now (translated), or None when it can."""
    from services.safety import db_file

    if encryption.module() is None:
        return tr("Password protection needs the sqlcipher3 package, which is not installed.")
    db = db_file(svc.path)
    if db is None or not db.exists():
        return tr("There is no database file to protect.")
    if encryption.is_encrypted(db):
        return tr("This database is protected with a password already.")
    return None


def check_new_password(secret: str, again: str) -> str | None:
    """What is wrong with a new password typed twice (translated), or None."""
    if not secret:
        return tr("The password must not be empty.")
    if len(secret) < MIN_LENGTH:
        return tr("Use at least {count} characters.", count=MIN_LENGTH)
    if secret != again:
        return tr("The two passwords are not the same.")
    return None


def _copy_path(db: Path) -> Path:
    return db.with_name(db.name + ".protecting")


def _tables(conn: object) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")  # type: ignore[attr-defined]
    return [row[0] for row in rows.fetchall()]


def write_protected_copy(db: Path, secret: str) -> Path:
    """An encrypted copy of ``db`` beside it, checked to open with ``secret`` (runs off the GUI thread)."""
    problem = check_new_password(secret, secret)
    if problem:
        raise StorageError(problem)
    db = Path(db)
    copy = _copy_path(db)
    with suppress(FileNotFoundError):
        copy.unlink()  # a copy left by an earlier attempt that was cut short
    try:
        encryption.encrypt_copy(db, copy, secret)
        cipher = encryption.module()
        assert cipher is not None  # encrypt_copy refuses without it
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as plain:
            expected = _tables(plain)
        with closing(cipher.connect(str(copy))) as conn:
            encryption.apply_key(conn, secret)
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok" and _tables(conn) == expected
    except KnownDatabaseError as exc:
        raise StorageError(exc.message) from exc
    except Exception as exc:  # sqlite3's or SQLCipher's own error classes, or a full disk
        with suppress(FileNotFoundError):
            copy.unlink()
        raise StorageError(tr("The encrypted copy cannot be written: {reason} ({path}).", reason=str(exc),
                              path=str(copy))) from exc
    if not ok:
        with suppress(FileNotFoundError):
            copy.unlink()
        raise StorageError(tr("The encrypted copy cannot be written: {reason} ({path}).",
                              reason="check failed", path=str(copy)))
    return copy


@dataclass(frozen=True)
class Swapped:
    """The database open after ``swap_in``: the protected one, or on failure the unprotected one again."""

    services: Services
    unprotected: Path | None = None  # the old file, kept aside for the person to delete once checked
    error: str | None = None  # why it could not be protected (translated); the file is as it was


_SIDE_FILES = ("-wal", "-shm")


def _move(db: Path, to: Path) -> None:
    """Move a database file with its WAL side files (a plain WAL must never meet an encrypted file)."""
    for side in _SIDE_FILES:
        source = db.with_name(db.name + side)
        if source.exists():
            source.replace(to.with_name(to.name + side))
    db.replace(to)


def swap_in(svc: Services, copy: Path, secret: str, now: datetime | None = None) -> Swapped:
    """Close ``svc``, keep its file aside, put the protected ``copy`` in its place and reopen it.

    On any failure the unprotected file is put back and reopened (``error`` says why).
    """
    from services.app import Services as ServicesClass
    from services.errors import UserError
    from services.safety import db_file, use_password

    db = db_file(svc.path)
    if db is None:
        return Swapped(svc, error=tr("There is no database file to protect."))
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = db.with_name(f"{db.stem}-unprotected-{stamp}{db.suffix}")
    previous = encryption.password()
    svc.close()
    moved = False
    try:
        _move(db, aside)
        moved = True
        copy.replace(db)
        use_password(secret)
        return Swapped(ServicesClass.open(db), aside)
    except (OSError, UserError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if moved:
            with suppress(OSError):
                db.replace(copy)
            _move(aside, db)
        with suppress(FileNotFoundError):
            copy.unlink()
        use_password(previous)
        return Swapped(ServicesClass.open(db), error=tr(
            "The database could not be protected, and is left as it was: {reason}", reason=reason))
