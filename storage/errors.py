"""Database errors a person can do something about, split from bugs.

As qutebrowser's misc/sql.py does: SQLite errors caused by the environment
(disk full, file locked, corrupt or read-only file, a database written by a
newer DebtKeeper) become a ``KnownDatabaseError`` with a translated message
that says what to do; anything else is a bug and is re-raised unchanged.
Errors are told apart by SQLite's result code (``sqlite_errorcode``, which
Python's sqlite3 sets on the errors it raises; SQLAlchemy keeps the original in
``.orig``). SQLCipher's module does not set it: for its errors the message is
read instead.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import TypeVar

from resources.i18n import N_, tr


class KnownDatabaseError(Exception):
    """A database problem caused by the environment, not by the program.

    ``unchanged`` is True where the code that raised it knows that nothing the
    person saved was changed (a refusal before writing, a rolled-back transaction).
    """

    unchanged = False

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid = msgid
        self.params = params
        super().__init__(tr(msgid, None, **params))

    @property
    def message(self) -> str:
        return tr(self.msgid, None, **self.params)


class DiskFullError(KnownDatabaseError):
    pass


class DiskIOError(KnownDatabaseError):
    """The disk failed to read or write (a failing disk, a removed USB stick, a network folder gone)."""


class DatabaseLockedError(KnownDatabaseError):
    pass


class CorruptDatabaseError(KnownDatabaseError):
    pass


class DamagedDatabaseError(CorruptDatabaseError):
    """The database opens and reads, but its integrity check fails: it must not replace good backups."""


class ForeignDatabaseError(CorruptDatabaseError):
    """An SQLite file of another program: refused before anything is written to it."""


class EmptyDatabaseFileError(CorruptDatabaseError):
    """A 0-byte file the program did not create: maybe the wrong file, maybe a truncated one."""


class ReadOnlyDatabaseError(KnownDatabaseError):
    pass


class SchemaTooNewError(KnownDatabaseError):
    pass


KnownT = TypeVar("KnownT", bound=KnownDatabaseError)


def unchanged(exc: KnownT) -> KnownT:
    """Mark ``exc`` as raised where nothing was changed (the message may then say so)."""
    exc.unchanged = True
    return exc


_LOCKED_MSG = N_("The database is in use by another DebtKeeper: close it and try again ({path}).")
_CORRUPT_MSG = N_("This file is not a DebtKeeper database, or it is damaged: restore a backup ({path}).")
_READ_ONLY_MSG = N_("The database file cannot be written: check its permissions ({path}).")
_CANT_OPEN_MSG = N_("The database file cannot be opened: check the folder and its permissions ({path}).")
_IO_MSG = N_(
    "The disk reported an error ({code}) while reading or writing the database: check the disk "
    "(or the USB stick or network folder it is on) and try again ({path})."
)

# Primary result codes (the low byte of an extended code): https://www.sqlite.org/rescode.html
_BY_CODE: dict[int, tuple[type[KnownDatabaseError], str]] = {
    sqlite3.SQLITE_BUSY: (DatabaseLockedError, _LOCKED_MSG),
    sqlite3.SQLITE_LOCKED: (DatabaseLockedError, _LOCKED_MSG),
    sqlite3.SQLITE_CORRUPT: (CorruptDatabaseError, _CORRUPT_MSG),
    sqlite3.SQLITE_NOTADB: (CorruptDatabaseError, _CORRUPT_MSG),
    sqlite3.SQLITE_READONLY: (ReadOnlyDatabaseError, _READ_ONLY_MSG),
    sqlite3.SQLITE_CANTOPEN: (ReadOnlyDatabaseError, _CANT_OPEN_MSG),
}

# For errors that carry no code (SQLCipher's): (fragment of SQLite's message, primary code).
_BY_TEXT = (
    ("database or disk is full", sqlite3.SQLITE_FULL),
    ("database is locked", sqlite3.SQLITE_BUSY),
    ("database table is locked", sqlite3.SQLITE_LOCKED),
    ("file is not a database", sqlite3.SQLITE_NOTADB),
    ("database disk image is malformed", sqlite3.SQLITE_CORRUPT),
    ("attempt to write a readonly database", sqlite3.SQLITE_READONLY),
    ("unable to open database file", sqlite3.SQLITE_CANTOPEN),
    ("disk i/o error", sqlite3.SQLITE_IOERR),
)

# Less free space than this when the disk reports an I/O error: it is the full disk speaking.
_NEARLY_FULL = 1024 * 1024


def _code_of(exc: BaseException) -> tuple[int, str] | None:
    """SQLite's primary result code and the extended code's name, from the code or else from the text."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF, str(getattr(orig, "sqlite_errorname", "") or "")
    text = str(orig).lower()
    for fragment, primary in _BY_TEXT:
        if fragment in text:
            return primary, ""
    return None


def known_error(exc: BaseException, path: str) -> KnownDatabaseError | None:
    """The known error an SQLite exception stands for, or None when it is a bug."""
    found = _code_of(exc)
    if found is None:
        return None
    primary, name = found
    if primary == sqlite3.SQLITE_FULL:
        return disk_full(path)
    if primary == sqlite3.SQLITE_IOERR:
        # Most writes to a full disk say SQLITE_FULL; some (fsync, growing the -shm) only say I/O error.
        free = _free_space(path)
        if free is not None and free < _NEARLY_FULL:
            return disk_full(path)
        return DiskIOError(_IO_MSG, code=name or "SQLITE_IOERR", path=path)
    if primary in _BY_CODE:
        cls, msgid = _BY_CODE[primary]
        return cls(msgid, path=path)
    return None


# --- a full disk: which folders to look at, and how big they are ------------------------------


def size_text(size: int) -> str:
    """A file size for people: 512 KB, 3.0 MB, 1.2 GB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024)) if size else 0} KB"
    if size < 1024**3:
        return f"{size / 1024**2:.1f} MB"
    return f"{size / 1024**3:.1f} GB"


def _free_space(path: str) -> int | None:
    folder = Path(path).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _files_size(files: list[Path]) -> int:
    total = 0
    for f in files:
        try:
            if f.is_file():
                total += f.stat().st_size
        except OSError:
            continue
    return total


def disk_full(path: str) -> DiskFullError:
    """The full-disk error for a database (or a backup of it) at ``path``: what to free, and where."""
    target = Path(path)
    if path in ("", ":memory:") or not target.parent.is_dir():
        return DiskFullError(N_("The disk is full: free some space and try again ({path})."), path=path)
    data_folder = target.parent.parent if target.parent.name == "backups" else target.parent
    backups = data_folder / "backups"
    try:
        in_backups = list(backups.iterdir()) if backups.is_dir() else []
    except OSError:
        in_backups = []
    database = [target]
    if target.parent == backups:  # a backup of which database? The one whose name it starts with
        try:
            database = [f for f in data_folder.iterdir() if target.name.startswith(f.stem + "-")]
        except OSError:
            database = []
    database += [f.with_name(f.name + suffix) for f in database for suffix in ("-wal", "-shm")]
    free = _free_space(path)
    params = {
        "path": path,
        "folder": str(data_folder),
        "data": size_text(_files_size(database)),
        "free": size_text(free or 0),
    }
    if not in_backups:
        return DiskFullError(
            N_(
                "The disk is full ({free} free), so {path} could not be written. Free some "
                "space on that disk: the data file in {folder} takes {data}."
            ),
            **params,
        )
    return DiskFullError(
        N_(
            "The disk is full ({free} free), so {path} could not be written. Free some "
            "space on that disk: the data file in {folder} takes {data}, and its backups "
            "folder {backups} takes {backups_size} (older backups there can be deleted)."
        ),
        backups=str(backups),
        backups_size=size_text(_files_size(in_backups)),
        **params,
    )
