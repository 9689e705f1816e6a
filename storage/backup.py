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
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from resources.i18n import N_
from storage import encryption
from storage.errors import DiskFullError, DiskIOError, KnownDatabaseError, disk_full, known_error
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


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with suppress(OSError):  # a folder we do not own keeps its mode; the files are still 0600
        os.chmod(folder, 0o700)


def _write_error(exc: OSError, path: Path) -> KnownDatabaseError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(str(path))
    return BackupError(N_("The backup cannot be written: {reason} ({path})."),
                       reason=exc.strerror or str(exc), path=str(path))


def _sqlite_error(exc: BaseException, path: Path) -> KnownDatabaseError:
    known = known_error(exc, str(path))
    if isinstance(known, (DiskFullError, DiskIOError)):
        return known
    return BackupError(N_("The backup cannot be written: {reason} ({path})."),
                       reason=str(exc), path=str(path))


def copy_database(source: Path, target: Path) -> Path:
    """A consistent, self-contained copy of ``source`` at ``target`` (0600), via the online backup API.

    The copy is written beside ``target`` first and renamed over it, so a
    crash or a full disk never leaves a half-written file under that name.
    """
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    try:
        _private_folder(target.parent)
        with suppress(FileNotFoundError):
            partial.unlink()
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise _write_error(exc, target) from exc
    try:
        keyed = encryption.is_encrypted(source)  # an encrypted database gets an encrypted backup
        with closing(encryption.connect(f"file:{source}?mode=ro", keyed=keyed, uri=True)) as src, \
                closing(encryption.connect(partial, keyed=keyed)) as dst:
            src.execute("PRAGMA busy_timeout=5000")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    except _db_errors() as exc:
        raise _sqlite_error(exc, target) from exc
    except OSError as exc:
        raise _write_error(exc, target) from exc
    finally:
        with suppress(FileNotFoundError):
            partial.unlink()
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
    keep = {b.path for b in ordered[:max(policy.last, 1)]}
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
    """A throw-away copy of a file to inspect, so the original is never touched."""
    with tempfile.TemporaryDirectory(prefix="debtkeeper-verify-") as folder:
        copy = Path(folder) / "check.sqlite3"
        try:
            shutil.copyfile(source, copy)
            for suffix in ("-wal",):  # a live database copied with its journal
                extra = Path(str(source) + suffix)
                if extra.exists():
                    shutil.copyfile(extra, Path(str(copy) + suffix))
        except OSError as exc:
            raise BackupError(N_("The backup cannot be read: {reason} ({path})."),
                              reason=exc.strerror or str(exc), path=str(source)) from exc
        yield copy


def _check_file(path: Path, shown: Path) -> Verified:
    with open(path, "rb") as f:
        header = f.read(len(SQLITE_MAGIC))
    keyed = header != SQLITE_MAGIC and encryption.module() is not None and encryption.password() is not None
    if header != SQLITE_MAGIC and not keyed:
        raise BackupError(N_("This file is not a DebtKeeper backup: it is not an SQLite database, "
                             "or it is encrypted ({path})."), path=str(shown))
    try:
        with closing(encryption.connect(path, keyed=keyed)) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                raise BackupError(N_("This backup is damaged (integrity check: {detail}) ({path})."),
                                  detail=str(result[0])[:80], path=str(shown))
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"alembic_version", "debts", "payments"} <= tables:
                raise BackupError(N_("This file is not a DebtKeeper backup ({path})."), path=str(shown))
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = "" if row is None else str(row[0])
            if revision not in REVISIONS:
                raise BackupError(N_("This backup was written by a newer version of DebtKeeper "
                                     "(schema {revision}): update DebtKeeper to restore it ({path})."),
                                  revision=revision, path=str(shown))
            debts = int(conn.execute("SELECT count(*) FROM debts").fetchone()[0])
            payments = int(conn.execute("SELECT count(*) FROM payments").fetchone()[0])
    except _db_errors() as exc:
        raise BackupError(N_("This backup is damaged and cannot be opened: {reason} ({path})."),
                          reason=str(exc), path=str(shown)) from exc
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


def checkpoint(db_path: Path) -> None:
    """Fold the write-ahead log into the database file and empty it (before the file is swapped)."""
    with closing(encryption.connect(db_path, keyed=encryption.is_encrypted(db_path))) as conn:
        conn.execute("PRAGMA busy_timeout=5000")
        row = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if row is not None and row[0] != 0:
            raise BackupError(N_("The database is in use by another DebtKeeper: close it and try again "
                                 "({path})."), path=str(db_path))


def restore_backup(db_path: Path, backup: Path, now: datetime | None = None) -> tuple[Verified, Path | None]:
    """Replace the database at ``db_path`` with ``backup``; returns what was restored and the safety copy.

    Nothing else may have the database open (the caller holds the instance
    lock). The current file is backed up first, unless it is missing or damaged
    beyond copying (then it is kept aside, renamed, never deleted).
    """
    db = Path(db_path)
    backup = Path(backup)
    verified = verify_backup(backup)
    staged = db.with_name(f".{db.name}.restoring")
    with suppress(FileNotFoundError):
        staged.unlink()
    copy_database(backup, staged)
    try:
        _check_file(staged, backup)  # the staged copy itself, byte for byte what will be used
        safety: Path | None = None
        if db.exists():
            try:
                checkpoint(db)
                safety = take_backup(db, PRE_RESTORE, now)
            except _db_errors(KnownDatabaseError):
                # A damaged current file cannot be copied through SQLite: keep its bytes aside.
                safety = backup_path(db, "damaged", now or datetime.now())
                _private_folder(safety.parent)
                shutil.copy2(db, safety)
                os.chmod(safety, 0o600)
        os.replace(staged, db)
    except OSError as exc:
        raise _write_error(exc, db) from exc
    finally:
        with suppress(FileNotFoundError):
            staged.unlink()
    for suffix in ("-wal", "-shm"):  # empty after the checkpoint; they belonged to the old file
        with suppress(FileNotFoundError):
            Path(str(db) + suffix).unlink()
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

