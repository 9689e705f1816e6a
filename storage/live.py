"""The database files this process has open through SQLite, and what it knows of them.

On Linux and macOS a process's POSIX advisory locks on a file belong to the
process and the file, not to a descriptor: closing *any* descriptor of the file
releases every lock the process holds on it (fcntl(2), "Advisory record
locking"). SQLite relies on those locks, and works around the rule only for the
descriptors it opens itself (SQLite's "How To Corrupt An SQLite Database File",
section 2.2). So while a database is open, nothing else in the process may
open that file by its path: no ``open()`` to read its header, no
``shutil.copyfile``, and no connection through another SQLite library (the
SQLCipher module bundles its own). Whatever must be known of the file (is it
encrypted?) is learnt before the first connection and kept here.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class LiveFile:
    path: str
    encrypted: bool


_lock = threading.Lock()
_by_inode: dict[tuple[int, int], tuple[LiveFile, int]] = {}
_paths: dict[str, int] = {}  # absolute path -> open count (a quick test without stat)


def _inode(path: Path | str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def opened(path: Path | str, *, encrypted: bool) -> None:
    """Record that SQLite now has ``path`` open in this process."""
    key = _inode(path)
    if key is None:
        return
    absolute = os.path.abspath(path)
    with _lock:
        live, count = _by_inode.get(key, (LiveFile(absolute, encrypted), 0))
        _by_inode[key] = (live, count + 1)
        _paths[absolute] = _paths.get(absolute, 0) + 1


def closed(path: Path | str) -> None:
    """Record that one of this process's opens of ``path`` was closed."""
    absolute = os.path.abspath(path)
    with _lock:
        remaining = _paths.get(absolute, 0) - 1
        if remaining > 0:
            _paths[absolute] = remaining
        else:
            _paths.pop(absolute, None)
        for key, (live, count) in list(_by_inode.items()):
            if live.path == absolute:
                if count > 1:
                    _by_inode[key] = (live, count - 1)
                else:
                    del _by_inode[key]


def lookup(path: Path | str) -> LiveFile | None:
    """What is known of ``path`` when this process has it open through SQLite, else None."""
    with _lock:
        if not _by_inode:
            return None
    key = _inode(path)
    with _lock:
        entry = None if key is None else _by_inode.get(key)
    return None if entry is None else entry[0]


def is_live_path(path: str) -> bool:
    """A cheap test by absolute path alone (no system call), for checks that run on every open."""
    with _lock:
        return bool(_paths) and os.path.abspath(path) in _paths
