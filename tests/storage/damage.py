"""Damage a closed database the way a failing disk does: it still opens and reads, but it is not sound."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def add_payment_rows(path: Path, debt_id: int, count: int) -> None:
    """Rows straight into the payments table (enough of them that the index spans whole pages)."""
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executemany(
            "INSERT INTO payments (debt_id, date, amount, fees, interest, principal, note) "
            "VALUES (?, '2026-03-01', 100, 0, 0, 100, '')", [(debt_id,)] * count)


def silently_damage(path: Path) -> None:
    """Overwrite part of the payments index: reads still work, ``PRAGMA quick_check`` does not pass.

    The database must be closed (its write-ahead log folded in), and hold a few hundred payments.
    """
    with closing(sqlite3.connect(path)) as conn:
        query = "SELECT rootpage FROM sqlite_master WHERE name = 'ix_payments_debt_id'"
        root = conn.execute(query).fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    end = root * page_size
    data[end - 200:end - 100] = b"\x07" * 100
    path.write_bytes(bytes(data))
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
        assert conn.execute("SELECT count(*) FROM payments").fetchone()[0] > 0
