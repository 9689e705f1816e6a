"""Backups of the database file: taking, keeping (rotation), verifying and restoring them.

A backup is a self-contained SQLite file (journal mode DELETE) written through
SQLite's online backup API, so it is consistent even while the database is in
use. Backups live in a ``backups/`` folder beside the database, readable by the
owner only (0600 in a 0700 folder), named ``<stem>-<timestamp>-<reason>.sqlite3``.
A restore never trusts the file it is given: it verifies a private copy
(it opens, ``PRAGMA integrity_check`` is ok, its schema revision is known),
backs up the current database, and swaps the copy in with one atomic rename.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fileio.atomic import atomic_copy, atomic_path, private_folder, replace_file
from resources.i18n import N_
from storage import encryption
from storage.errors import DiskFullError, DiskIOError, KnownDatabaseError, disk_full, known_error
from storage.leftovers import staging_name, temp_folder
from storage.migrations import REVISIONS

BACKUP_FOLDER = "backups"
SQLITE_MAGIC = b"SQLite format 3\x00"
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d{6})?)(?:-(?P<reason>[a-z-]+))?\.[A-Za-z0-9]+$")

# Why a backup was taken (part of its file name).
DAILY = "daily"
PRE_MIGRATION = "pre-migration"
PRE_IMPORT = "pre-import"
PRE_RESTORE = "pre-restore"
MANUAL = "manual"
DAMAGED = "damaged"  # the bytes of a damaged database, kept aside by a restore

# Backups taken to protect the data before something destructive: the newest of each is always kept.
SAFETY_REASONS = (PRE_IMPORT, PRE_RESTORE, PRE_MIGRATION, DAMAGED)

# Settings (in the database) that tune how many automatic backups are kept, and the range each may take.
KEEP_SETTINGS = {"backup_keep_last": "last", "backup_keep_daily": "daily", "backup_keep_monthly": "monthly"}
KEEP_MIN, KEEP_MAX = 1, 1000


class BackupError(KnownDatabaseError):
    """A backup cannot be written, read, trusted or restored."""


@dataclass(frozen=True, slots=True)
class Retention:
    """How many backups are kept: the newest ``last``, plus the newest of each of the
    latest ``daily`` days and of each of the latest ``monthly`` months."""

    last: int = 10
    daily: int = 7
    monthly: int = 6


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    taken: datetime
    reason: str
    size: int


@dataclass(frozen=True, slots=True)
class Verified:
    """What a verified backup holds."""

    path: Path
    revision: str
    debts: int
    payments: int


def backup_folder(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_FOLDER


def backup_path(db_path: Path, reason: str, now: datetime) -> Path:
    db = Path(db_path)
    return backup_folder(db) / f"{db.stem}-{now.strftime(_STAMP)}-{reason}{db.suffix or '.sqlite3'}"


def parse_backup_name(name: str) -> tuple[str, str, str | None] | None:
    """The stem, time stamp and reason in a backup's file name, or None when it is not one."""
    match = _NAME.match(name)
    return None if match is None else (match["stem"], match["stamp"], match["reason"])


def _private_folder(folder: Path) -> None:
    private_folder(folder)  # created 0700; a folder that exists keeps its mode (it may be shared: /tmp)


def _write_error(exc: OSError, path: Path) -> KnownDatabaseError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(str(path))
    return BackupError(
        N_("The backup cannot be written: {reason} ({path})."),
        reason=exc.strerror or str(exc),
        path=str(path),
    )


def _sqlite_error(exc: BaseException, path: Path) -> KnownDatabaseError:
    known = known_error(exc, str(path))
    if isinstance(known, (DiskFullError, DiskIOError)):
        return known
    return BackupError(
        N_("The backup cannot be written: {reason} ({path})."), reason=str(exc), path=str(path)
    )


def copy_database(source: Path, target: Path) -> Path:
    """A consistent, self-contained copy of ``source`` at ``target`` (0600), via the online backup API.

    The copy is written beside ``target`` first and renamed over it (``fileio.atomic``), so a
    crash or a full disk never leaves a half-written file under that name.
    """
    target = Path(target)
    try:
        _private_folder(target.parent)
    except OSError as exc:
        raise _write_error(exc, target) from exc
    try:
        keyed = encryption.is_encrypted(source)  # an encrypted database gets an encrypted backup
        with (
            atomic_path(target) as partial,
            closing(encryption.connect(f"file:{source}?mode=ro", keyed=keyed, uri=True)) as src,
            closing(encryption.connect(partial, keyed=keyed)) as dst,
        ):
            src.execute("PRAGMA busy_timeout=5000")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
    except _db_errors() as exc:
        raise _sqlite_error(exc, target) from exc
    except OSError as exc:
        raise _write_error(exc, target) from exc
    return target


def _db_errors(*extra: type[BaseException]) -> tuple[type[BaseException], ...]:
    """SQLite's errors, and SQLCipher's when it is installed (a separate exception hierarchy)."""
    cipher = encryption.module()
    return (sqlite3.Error, *extra) if cipher is None else (sqlite3.Error, cipher.Error, *extra)


def take_backup(db_path: Path, reason: str, now: datetime | None = None, out: Path | None = None) -> Path:
    """Back up the database at ``db_path`` into its backups folder (or to ``out``)."""
    stamp = now or datetime.now()
    target = out if out is not None else backup_path(db_path, reason, stamp)
    return copy_database(Path(db_path), target)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of this database in its backups folder, newest first."""
    folder = backup_folder(db_path)
    found: list[BackupInfo] = []
    stem = Path(db_path).stem
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match is None or match["stem"] != stem or not entry.is_file():
            continue
        stamp = match["stamp"]
        fmt = _STAMP if stamp.count("-") == 2 else "%Y%m%d-%H%M%S"
        try:
            taken = datetime.strptime(stamp, fmt)
        except ValueError:
            continue
        found.append(BackupInfo(entry, taken, match["reason"] or MANUAL, entry.stat().st_size))
    found.sort(key=lambda b: (b.taken, b.path.name), reverse=True)
    return found


def to_keep(backups: Iterable[BackupInfo], policy: Retention) -> set[Path]:
    """The backups a retention policy keeps (``backups`` newest first).

    Whatever the policy, the newest backup is kept, and the newest one taken
    before each destructive step (an import, a restore, a migration).
    """
    ordered = list(backups)
    keep = {b.path for b in ordered[: max(policy.last, 1)]}
    for reason in SAFETY_REASONS:
        newest = next((b for b in ordered if b.reason == reason), None)
        if newest is not None:
            keep.add(newest.path)
    days: list[object] = []
    months: list[object] = []
    for b in ordered:
        day, month = b.taken.date(), (b.taken.year, b.taken.month)
        if day not in days and len(days) < policy.daily:
            days.append(day)
            keep.add(b.path)
        if month not in months and len(months) < policy.monthly:
            months.append(month)
            keep.add(b.path)
    return keep


def _newest_good(backups: list[BackupInfo], good: Path | None) -> set[Path]:
    """The newest backup that verifies (``good``: one known to, taken from a sound database just now)."""
    for b in backups:
        if b.path == good:
            return {b.path}
        try:
            verify_backup(b.path)
        except BackupError:
            continue
        return {b.path}
    return set()


def rotate(db_path: Path, policy: Retention, good: Path | None = None) -> list[Path]:
    """Delete the backups the policy does not keep; returns what was deleted.

    The newest backup that verifies is never deleted, even when the policy would:
    when later backups are damaged copies, it is the one to restore.
    """
    backups = list_backups(db_path)
    keep = to_keep(backups, policy) | _newest_good(backups, good)
    removed = []
    for b in backups:
        if b.path not in keep:
            with suppress(OSError):
                b.path.unlink()
                removed.append(b.path)
    return removed


@contextmanager
def _private_copy(source: Path) -> Iterator[Path]:
    """A throw-away copy of a file to inspect, so the original is never touched (removed after, and
    after a crash at the next start: see storage.leftovers)."""
    with temp_folder("verify") as folder:
        copy = folder / "check.sqlite3"
        try:
            atomic_copy(source, copy)
            for suffix in ("-wal",):  # a live database copied with its journal
                extra = Path(str(source) + suffix)
                if extra.exists():
                    atomic_copy(extra, Path(str(copy) + suffix))
        except OSError as exc:
            raise BackupError(
                N_("The backup cannot be read: {reason} ({path})."),
                reason=exc.strerror or str(exc),
                path=str(source),
            ) from exc
        yield copy


def _check_file(path: Path, shown: Path) -> Verified:
    with open(path, "rb") as f:
        header = f.read(len(SQLITE_MAGIC))
    keyed = header != SQLITE_MAGIC and encryption.module() is not None and encryption.password() is not None
    if header != SQLITE_MAGIC and not keyed:
        raise BackupError(
            N_(
                "This file is not a DebtKeeper backup: it is not an SQLite database, "
                "or it is encrypted ({path})."
            ),
            path=str(shown),
        )
    try:
        with closing(encryption.connect(path, keyed=keyed)) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                raise BackupError(
                    N_("This backup is damaged (integrity check: {detail}) ({path})."),
                    detail=str(result[0])[:80],
                    path=str(shown),
                )
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"alembic_version", "debts", "payments"} <= tables:
                raise BackupError(N_("This file is not a DebtKeeper backup ({path})."), path=str(shown))
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = "" if row is None else str(row[0])
            if revision not in REVISIONS:
                raise BackupError(
                    N_(
                        "This backup was written by a newer version of DebtKeeper "
                        "(schema {revision}): update DebtKeeper to restore it ({path})."
                    ),
                    revision=revision,
                    path=str(shown),
                )
            debts = int(conn.execute("SELECT count(*) FROM debts").fetchone()[0])
            payments = int(conn.execute("SELECT count(*) FROM payments").fetchone()[0])
    except _db_errors() as exc:
        raise BackupError(
            N_("This backup is damaged and cannot be opened: {reason} ({path})."),
            reason=str(exc),
            path=str(shown),
        ) from exc
    return Verified(Path(shown), revision, debts, payments)


def verify_backup(path: Path) -> Verified:
    """Check a backup without changing it: it opens, its integrity check is ok, its revision is known."""
    path = Path(path)
    try:
        found = path.is_file()
    except OSError:  # a name too long for the file system, a folder we may not enter
        found = False
    if not found:
        raise BackupError(N_("There is no backup file at {path}."), path=str(path))
    with _private_copy(path) as copy:
        return _check_file(copy, path)


_IN_USE_WAIT_MS = 1000  # how long a restore waits for another program's write to finish before refusing
_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


class DatabaseInUseError(BackupError):
    """Another program is writing the database, or reading it through its write-ahead log."""


def _in_use(db: Path) -> DatabaseInUseError:
    return DatabaseInUseError(
        N_(
            "The database is in use by another program (a change is not finished "
            "yet): nothing was restored. Close the other program, or wait, and try "
            "again ({path})."
        ),
        path=str(db),
    )


def _busy(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return (isinstance(code, int) and code & 0xFF in _BUSY_CODES) or "locked" in str(exc).lower()


@contextmanager
def _writes_held(db: Path) -> Iterator[bool]:
    """No other connection can write ``db`` while the block runs: True.

    Its write-ahead log is folded in and emptied (``wal_checkpoint(TRUNCATE)``,
    which waits for readers of the log), then a write transaction (``BEGIN
    IMMEDIATE``) is taken on the live file and held to the end of the block, so
    a write another program has begun is never lost under a swapped file. When
    that write does not finish within a second: DatabaseInUseError. False: the
    file cannot be opened as a database (damaged, or protected without the
    password), so nothing can be writing it either.
    """
    conn: Any = None
    try:
        conn = encryption.connect(db, keyed=encryption.is_encrypted(db))
        conn.isolation_level = None
        conn.execute(f"PRAGMA busy_timeout={_IN_USE_WAIT_MS}")
        row = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if row is not None and row[0] != 0:
            raise _in_use(db)
        conn.execute("BEGIN IMMEDIATE")
        wal = Path(str(db) + "-wal")
        if wal.exists() and wal.stat().st_size > 0:  # written between the checkpoint and the BEGIN
            raise _in_use(db)
    except DatabaseInUseError:
        conn.close()
        raise
    except _db_errors(KnownDatabaseError) as exc:
        if conn is not None:
            conn.close()
        if _busy(exc):
            raise _in_use(db) from exc
        conn = None
    try:
        yield conn is not None
    finally:
        if conn is not None:
            with suppress(*_db_errors()):
                conn.execute("ROLLBACK")
            conn.close()


def refuse_read_only(db: Path) -> None:
    """BackupError when the database file or its folder is read-only: a restore leaves both as they are
    (even for root, who could write them)."""

    def writable(path: Path) -> bool:
        return bool(path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) and os.access(
            path, os.W_OK
        )

    try:
        if db.exists() and not writable(db):
            raise BackupError(
                N_(
                    "The database file is read-only, so it was not replaced: nothing was "
                    "restored. Make it writable first if you mean to replace it ({path})."
                ),
                path=str(db),
            )
        if not writable(db.parent):
            raise BackupError(
                N_("The folder of the database is read-only: nothing was restored ({path})."),
                path=str(db.parent),
            )
    except OSError as exc:
        raise _write_error(exc, db) from exc


def _keep_aside(db: Path, now: datetime | None) -> Path:
    """The bytes of a current file SQLite cannot copy (damaged, or without its password), kept as they
    are, with its write-ahead log."""
    safety = backup_path(db, "damaged", now or datetime.now())
    _private_folder(safety.parent)
    wal = Path(str(db) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        atomic_copy(wal, Path(str(safety) + "-wal"))
    return atomic_copy(db, safety)


def _drop_old_log(db: Path, *, emptied: bool) -> None:
    """Remove the old file's -wal and -shm after a swap: they must never meet the restored file.

    ``emptied``: the old log was emptied before the swap, so a log that has
    content now was written by a connection to the restored file, and stays.
    """
    wal, shm = Path(str(db) + "-wal"), Path(str(db) + "-shm")
    try:
        written = wal.stat().st_size > 0
    except FileNotFoundError:
        written = False
    except OSError:
        return
    if written and emptied:
        return
    for side in (wal, shm):
        with suppress(FileNotFoundError):
            side.unlink()


def restore_backup(db_path: Path, backup: Path, now: datetime | None = None) -> tuple[Verified, Path | None]:
    """Replace the database at ``db_path`` with ``backup``; returns what was restored and the safety copy.

    No DebtKeeper window may have the database open (the caller holds the
    instance lock); another program's unfinished write is waited for a second,
    then refused (DatabaseInUseError), and a read-only file or folder is refused:
    in each case nothing changes. The current file is backed up first, unless
    it is missing or damaged beyond copying (then its bytes are kept aside,
    never deleted). The backup is staged beside the database as
    ``.NAME.restoring`` and renamed over it in one step.
    """
    db = Path(db_path)
    backup = Path(backup)
    verified = verify_backup(backup)
    refuse_read_only(db)
    staged = db.with_name(staging_name(db))
    with suppress(FileNotFoundError):
        staged.unlink()  # left by a restore that was cut short
    copy_database(backup, staged)
    safety: Path | None = None
    held = False
    try:
        _check_file(staged, backup)  # the staged copy itself, byte for byte what will be used
        if not db.exists():
            replace_file(staged, db)
        else:
            with _writes_held(db) as held:
                safety = take_backup(db, PRE_RESTORE, now) if held else _keep_aside(db, now)
                replace_file(staged, db)
        _drop_old_log(db, emptied=held)
    except OSError as exc:
        raise _write_error(exc, db) from exc
    finally:
        with suppress(FileNotFoundError):
            staged.unlink()
    return verified, safety


def latest_good_backup(db_path: Path) -> BackupInfo | None:
    """The newest backup that verifies (for "restore the last backup")."""
    for b in list_backups(db_path):
        try:
            verify_backup(b.path)
        except BackupError:
            continue
        return b
    return None
