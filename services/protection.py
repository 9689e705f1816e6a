"""Protecting the open database with a password, from the window.

Two steps, so the slow one can run off the window's thread: ``write_protected_copy``
writes an encrypted copy beside the database (SQLCipher) and checks it opens
with the password and holds the same rows; ``swap_in`` then closes the
database, keeps the unprotected file aside under a new name, puts the protected
copy in its place and reopens it. Any failure leaves the person's file as it was.
A lost password cannot be recovered: nobody, this program included, can open the
protected file without it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import datetime
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from resources.i18n import tr
from services.errors import StorageError
from services.safety import MIN_LENGTH
from storage import encryption
from storage.errors import KnownDatabaseError
from storage.leftovers import protecting_name

if TYPE_CHECKING:
    from services.app import Services


def unavailable_reason(svc: Services) -> str | None:
    """Why the open database cannot be protected now (translated), or None when it can."""
    from services.dbpath import db_file

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
    return db.with_name(protecting_name(db))


def write_protected_copy(db: Path, secret: str) -> Path:
    """An encrypted copy of ``db`` beside it (runs off the GUI thread).

    It gets its name only once it opens with ``secret`` and holds every row of
    ``db`` (``encryption.encrypt_copy``): a copy cut short never exists under it.
    """
    problem = check_new_password(secret, secret)
    if problem:
        raise StorageError(problem)
    db = Path(db)
    copy = _copy_path(db)
    with suppress(FileNotFoundError):
        copy.unlink()  # a copy left by an earlier attempt that was not swapped in
    try:
        return encryption.encrypt_copy(db, copy, secret)
    except KnownDatabaseError as exc:
        raise StorageError(exc.message) from exc


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
    from services.dbpath import db_file
    from services.errors import UserError
    from services.safety import use_password

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
        return Swapped(type(svc).open(db), aside)
    except (OSError, UserError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if moved:
            with suppress(OSError):
                db.replace(copy)
            _move(aside, db)
        with suppress(FileNotFoundError):
            copy.unlink()
        use_password(previous)
        return Swapped(
            type(svc).open(db),
            error=tr("The database could not be protected, and is left as it was: {reason}", reason=reason),
        )


# --- what stays readable after protecting ------------------------------------------------------
# Protecting writes a new, encrypted file; the old file, the backups taken before and any export
# stay plain SQLite or JSON that anyone who can read the disk can read, until they are deleted.

_DELETED_WITH = ("-wal", "-shm", "-journal")  # side files hold the same data as the file itself


def _is_plain_database(path: Path) -> bool:
    """True for a file that opens as SQLite without a password. Only for files no connection here has open."""
    try:
        with open(path, "rb") as f:
            return f.read(len(encryption.SQLITE_MAGIC)) == encryption.SQLITE_MAGIC
    except OSError:
        return False


def _kept_aside(db: Path) -> list[Path]:
    """Unprotected files ``swap_in`` kept aside beside ``db`` (``<stem>-unprotected-<stamp><suffix>``)."""
    name = re.compile(re.escape(db.stem) + r"-unprotected-\d{8}-\d{6}" + re.escape(db.suffix))
    try:
        entries = sorted(db.parent.iterdir())
    except OSError:
        return []
    return [p for p in entries if name.fullmatch(p.name) and p.is_file()]


def unprotected_copies(db: Path) -> list[Path]:
    """Copies of the database ``db`` anyone can read: the files kept aside when it was protected and the
    backups in its backups folder that are not encrypted. ``db`` itself is not looked at."""
    from services.safety import list_backups

    db = Path(db)
    found = [*_kept_aside(db), *(b.path for b in list_backups(db))]
    return [p for p in found if _is_plain_database(p)]


def _rows(conn: Any, table: str) -> Iterator[tuple[Any, ...]]:
    quoted = '"' + table.replace('"', '""') + '"'
    return iter(conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid"))  # a name from sqlite_master


def _tables(conn: object) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")  # type: ignore[attr-defined]
    return [row[0] for row in rows.fetchall()]


def same_data(plain: Path, protected: Path, secret: str) -> bool:
    """True when the protected database holds every table and row of the plain one, row for row."""
    cipher = encryption.module()
    if cipher is None:
        return False
    try:
        with (
            closing(sqlite3.connect(f"file:{quote(str(plain))}?mode=ro", uri=True)) as a,
            closing(cipher.connect(str(protected))) as b,
        ):
            encryption.apply_key(b, secret)
            if b.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return False
            tables = _tables(a)
            if _tables(b) != tables:
                return False
            missing = object()
            for table in tables:
                pairs = zip_longest(_rows(a, table), _rows(b, table), fillvalue=missing)
                if any(x != y for x, y in pairs):
                    return False
    except (sqlite3.Error, cipher.Error):
        return False
    return True


@dataclass(frozen=True)
class Deletion:
    """What ``delete_unprotected`` deleted, and what it could not delete with the reason (translated)."""

    deleted: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)


def delete_unprotected(paths: Iterable[Path]) -> Deletion:
    """Delete unprotected database files, each with its -wal, -shm and -journal.

    A file that does not open as SQLite without a password (an encrypted one, or one replaced since it
    was listed) is left alone.
    """
    result = Deletion()
    for path in map(Path, paths):
        if not _is_plain_database(path):
            result.failed.append((path, tr("it is not an unprotected database file")))
            continue
        try:
            path.unlink()  # the file first: if it stays, its side files must stay with it
        except OSError as exc:
            result.failed.append((path, exc.strerror or str(exc)))
            continue
        for side in _DELETED_WITH:
            with suppress(FileNotFoundError, OSError):
                path.with_name(path.name + side).unlink()
        result.deleted.append(path)
    return result


def delete_after_check(plain: Path, protected: Path, secret: str, paths: Iterable[Path]) -> Deletion:
    """Delete the unprotected ``paths`` once ``protected`` is checked to hold all of ``plain``'s data.

    ``plain`` is the unprotected database the protected one was made from; when the check fails nothing
    is deleted (StorageError).
    """
    if not same_data(plain, protected, secret):
        raise StorageError(
            tr(
                "The protected file {protected} does not hold the same data as {plain}: nothing was deleted.",
                protected=str(protected),
                plain=str(plain),
            )
        )
    return delete_unprotected(paths)


@dataclass(frozen=True)
class Encrypted:
    """An encrypted copy written by ``encrypt_file``, and the unprotected files around it."""

    path: Path
    unprotected: list[Path]  # still readable by anyone: the old file and its plain copies
    deletion: Deletion | None = None  # with delete_plaintext: what was deleted


def encrypt_file(db_path: Path | str | None, out: Path, *, delete_plaintext: bool = False) -> Encrypted:
    """Write a password-protected copy of the database at ``out`` (the command line's ``encrypt``).

    With ``delete_plaintext`` the old file and its unprotected copies are deleted once the protected
    copy is checked to hold the same data; a window that has the file open makes it refuse.
    """
    from services.dbpath import db_file
    from services.safety import encrypt, lock

    db = db_file(db_path)
    held = lock(db) if delete_plaintext and db is not None and db.exists() else None
    try:
        written = encrypt(db_path, out)
        assert db is not None  # encrypt refuses an in-memory database
        leftovers = [db, *unprotected_copies(db)]
        if not delete_plaintext:
            return Encrypted(written, leftovers)
        secret = encryption.password()
        assert secret is not None  # encrypt refuses without one
        deletion = delete_after_check(db, written, secret, leftovers)
        return Encrypted(written, [path for path, _reason in deletion.failed], deletion)
    finally:
        if held is not None:
            held.release()
