"""One DebtKeeper window per database: an advisory lock on a file beside it.

The lock is held by the process (``fcntl.flock`` on POSIX, ``msvcrt.locking``
on Windows) and vanishes with it, so a crash never leaves a stale lock behind.
The command line does not take it for ordinary commands (SQLite's busy timeout
serialises writes); it takes it to restore, which swaps the file.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from resources.i18n import N_
from storage.errors import KnownDatabaseError


class AlreadyOpenError(KnownDatabaseError):
    """Another DebtKeeper has this database open."""


_HELD: set[Path] = set()  # the lock files this process holds now


def lock_path(db_path: Path) -> Path:
    db = Path(db_path)
    return db.with_name(db.name + ".lock")


class InstanceLock:
    """Held while this process has the database open; ``release()`` or process exit frees it."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        except OSError:
            # A read-only folder: nobody can write here, so there is nothing to protect.
            return self
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            raise AlreadyOpenError(
                N_(
                    "This database is already open in another DebtKeeper window: use that window, "
                    "or close it first ({path})."
                ),
                path=str(self.path.with_suffix("")),
            ) from exc
        with suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        _HELD.add(Path(os.path.abspath(self.path)))
        return self

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            with suppress(OSError):
                _unlock(self._fd)
            os.close(self._fd)
            self._fd = None
            _HELD.discard(Path(os.path.abspath(self.path)))

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def held_here(db_path: Path) -> bool:
    """True when this process holds the lock of ``db_path`` (it has the database open in its window)."""
    return Path(os.path.abspath(lock_path(db_path))) in _HELD


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
