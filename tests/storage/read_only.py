"""Make files and folders truly unwritable for a test, and a stand-in where that cannot be done.

As an ordinary user, ``chmod``. As root (permissions do not stop root), the
immutable attribute (``chattr +i``): then not even root can create a file in
the folder or write the file, exactly as on a read-only mount. Where neither
works the test is skipped; ``simulate_read_only_folder`` stands in for the
folder in every environment, as SQLite itself reports it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _chattr(flag: str, path: Path) -> bool:
    tool = shutil.which("chattr")
    if tool is None:
        return False
    done = subprocess.run([tool, flag, str(path)], capture_output=True, check=False, timeout=30)
    return done.returncode == 0


@contextmanager
def unwritable(*paths: Path) -> Iterator[None]:
    """Within the block nobody (root included) can write ``paths`` or create files in those folders."""
    if os.name != "posix":
        pytest.skip("needs POSIX permissions")
    done: list[Path] = []
    modes = {p: p.stat().st_mode for p in paths}
    try:
        for path in paths:
            if os.geteuid() != 0:
                path.chmod(0o555 if path.is_dir() else 0o444)
            elif not _chattr("+i", path):
                pytest.skip("cannot make a file immutable here (chattr +i needs CAP_LINUX_IMMUTABLE)")
            done.append(path)
        yield
    finally:
        for path in reversed(done):
            if os.geteuid() == 0:
                _chattr("-i", path)
            path.chmod(modes[path])


def simulate_read_only_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening for writing fails as SQLite fails in a read-only folder (it cannot create the -wal/-shm
    files); read-only connections (``mode=ro``) are untouched."""
    from storage import db as storage_db

    def refuse(_dbapi_connection: object, _record: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(storage_db, "_on_connect", refuse)
