"""Damage a closed database the way a failing disk can: it still opens and reads, but it is not sound."""

from __future__ import annotations

import sqlite3
import struct
from contextlib import closing
from pathlib import Path


def silently_damage(path: Path) -> None:
    """Add a page that nothing uses (and count it in the header): every read works, quick_check fails.

    The database must be closed (its write-ahead log folded in).
    """
    data = bytearray(path.read_bytes())
    page_size = struct.unpack(">H", data[16:18])[0]
    pages = struct.unpack(">I", data[28:32])[0]
    data[28:32] = struct.pack(">I", pages + 1)
    path.write_bytes(bytes(data) + bytes(page_size))
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
        assert conn.execute("SELECT count(*) FROM debts").fetchone()[0] > 0
