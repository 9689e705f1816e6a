"""What a killed DebtKeeper can leave behind, and removing it when a database is next opened.

Work files are removed when their work ends, but a kill (SIGKILL, a power cut)
skips that. They are:

- beside the database: the restore's staging copy ``.NAME.restoring``, the
  password-protected copy ``NAME.protecting``, and the temporary files these
  are written through (``fileio.atomic`` names);
- in its ``backups/`` folder: temporary files of a backup being written;
- in the temporary folder: ``debtkeeper-verify-*`` (a private copy of a backup
  being checked), ``debtkeeper-readonly-*`` (the copy of a database that
  cannot be written, looked at in the window) and ``debtkeeper-encrypt-*`` (the
  snapshot a password-protected copy is made from).

``clean(db)`` runs whenever the window or the command line opens a database.
It removes only these names, nothing this process made, and only what
nobody uses: a temporary folder holds a lock file while its
process uses it; the files beside a database are removed only when no other
DebtKeeper window has the database (its one-window lock is free or ours), and
a backup's temporary file only when it has not changed for ten minutes either
(a backup from the command line takes no lock).
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from fileio.atomic import TEMP_NAME, temp_for
from storage.lock import AlreadyOpenError, InstanceLock, held_here

_IMPORTED = time.time()
# tempfile.mkdtemp adds 8 characters
_TEMP_FOLDER = re.compile(r"^debtkeeper-(?:verify|readonly|encrypt)-[a-z0-9_]{8}$")
_IN_USE = "in-use"  # the lock inside a temporary folder (InstanceLock adds ".lock")
_SQLITE_SIDES = ("-journal", "-wal", "-shm")
_STALE_SECONDS = 600
_KEPT: list[InstanceLock] = []
_done: set[str] = set()  # "temp" once the temporary folder was cleaned in this process


def staging_name(db: Path) -> str:
    """The name of a restore's staging copy beside ``db``."""
    return f".{db.name}.restoring"


def protecting_name(db: Path) -> str:
    """The name of the password-protected copy written beside ``db`` before it is swapped in."""
    return f"{db.name}.protecting"


def process_started() -> float:
    """A time before which this process has made none of these files: when this module was first
    imported (every module that makes them imports it first).

    Read from the same clock as the files' times. The process's start as the system counts it
    (/proc/self/stat against /proc/uptime) is not used: in some virtual machines and containers the
    two disagree, and a killed restore's copy then looked newer than the process cleaning it up.
    """
    return _IMPORTED


# --- temporary folders ---------------------------------------------------------------


def _new_temp_folder(kind: str) -> tuple[Path, InstanceLock]:
    folder = Path(tempfile.mkdtemp(prefix=f"debtkeeper-{kind}-"))  # 0700
    return folder, InstanceLock(folder / _IN_USE).acquire()


@contextmanager
def temp_folder(kind: str) -> Iterator[Path]:
    """A private temporary folder ``debtkeeper-KIND-*``, marked in use, removed when the block ends."""
    folder, lock = _new_temp_folder(kind)
    try:
        yield folder
    finally:
        lock.release()
        shutil.rmtree(folder, ignore_errors=True)


def lasting_temp_folder(kind: str) -> Path:
    """A private temporary folder ``debtkeeper-KIND-*`` kept (and marked in use) until this process ends."""
    folder, lock = _new_temp_folder(kind)
    _KEPT.append(lock)
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _in_use(lock_name: Path) -> bool:
    lock = InstanceLock(lock_name)
    try:
        lock.acquire()
    except AlreadyOpenError:
        return True
    lock.release()
    return False


def clean_temp_folders(root: Path | None = None) -> list[Path]:
    """Remove our temporary folders that a killed process left (see the module's docstring)."""
    root = Path(root or tempfile.gettempdir())
    started = process_started()
    removed: list[Path] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP_FOLDER.match(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_mtime >= started:
            continue
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            continue  # another person's: not ours to judge
        folder = Path(entry.path)
        if _in_use(folder / _IN_USE):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
    return removed


# --- beside the database ----------------------------------------------------------------


def _base(name: str) -> str:
    for side in _SQLITE_SIDES:
        if name.endswith(side):
            return name[: -len(side)]
    return name


def _beside_db(db: Path) -> Callable[[str], bool]:
    finals = (staging_name(db), protecting_name(db))
    return lambda name: (base := _base(name)) in finals or any(temp_for(f, base) for f in finals)


def _in_backups(db: Path) -> Callable[[str], bool]:
    from storage.backup import parse_backup_name

    def ours(name: str) -> bool:
        base = _base(name)
        match = TEMP_NAME.match(base)
        inner = match["name"] if match else base[: -len(".partial")] if base.endswith(".partial") else None
        parsed = None if inner is None else parse_backup_name(inner)
        return parsed is not None and parsed[0] == db.stem

    return ours


def _old_files(folder: Path, ours: Callable[[str], bool], before: float) -> list[Path]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = []
    for entry in entries:
        if not ours(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_mtime < before:
            found.append(Path(entry.path))
    return found


def _no_other_window(db: Path) -> bool:
    if held_here(db):
        return True
    lock = InstanceLock(db)
    try:
        lock.acquire()
    except AlreadyOpenError:
        return False
    try:
        return lock.held  # not held: a folder where no lock can be made, and nothing can be removed either
    finally:
        lock.release()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return float("inf")


def clean_beside(db: Path) -> list[Path]:
    """Remove what a killed restore, protection or backup left beside ``db`` and in its backups folder."""
    from storage.backup import backup_folder

    db = Path(db)
    beside = _old_files(db.parent, _beside_db(db), time.time() + 1)
    in_backups = _old_files(
        backup_folder(db), _in_backups(db), min(process_started(), time.time() - _STALE_SECONDS)
    )
    if not (beside or in_backups) or not _no_other_window(db):
        return []
    if held_here(db):  # this process may be restoring or protecting: only what is older than it
        beside = [p for p in beside if _mtime(p) < process_started()]
    # Otherwise the lock was free: a restore or protection in another process would hold it, so a
    # staging or protecting copy is one nobody is writing, however new it looks.
    found = beside + in_backups
    removed = []
    for path in found:
        with suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def clean(db: Path | None) -> list[Path]:
    """Remove our leftovers: the temporary folders (once per process) and those of ``db``."""
    removed: list[Path] = []
    if "temp" not in _done:
        _done.add("temp")
        removed += clean_temp_folders()
    if db is not None:
        removed += clean_beside(db)
    return removed
