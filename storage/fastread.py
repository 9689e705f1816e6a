"""The first screen's records read with the standard library's sqlite3, before SQLAlchemy is loaded.

Opening a data file the normal way (``storage.db.open_database``) imports SQLAlchemy and checks the file;
the window's first screen only reads. ``read_first_screen`` reads what it shows (debts with their
lender's name, payments, contact-log entries, settings) in one snapshot, through a connection that can
only read (``mode=ro``: nothing is written, nothing is copied), and only when reading it so is certain to
give what the normal opening would:

- a regular, non-empty file with SQLite's plain header (a password-protected file is not);
- private already (the normal opening would make it so, and say so) and writable, in a writable folder;
- ours, at the newest schema revision (nothing to migrate, not written by a newer DebtKeeper);
- no stored schedule or per-debt overdue terms (those are read the normal way), and no more than
  ``MAX_PAYMENTS`` payments;
- every row passes the checks of ``storage.row_values``, the same ones ``storage.rows`` applies.

Anything else, or any SQLite error, gives None and the caller opens the file the normal way, which
reports each problem as it always has. The one-window lock is the caller's to take first.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from domain.debts import ContactEntry, Debt, Payment
from storage import encryption, live
from storage.migrations import HEAD
from storage.row_values import (
    CHECKS,
    BadValue,
    column_converter,
    contact_from_values,
    debt_from_values,
    payment_from_values,
)

# The columns read, as (name, kind, nullable); a test holds them equal to the models' (storage.rows).
COLUMNS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "debts": (
        ("id", "int", False),
        ("name", "text", False),
        ("lender_id", "int", False),
        ("kind", "text", False),
        ("principal", "fen", False),
        ("start_date", "date", False),
        ("method", "text", False),
        ("months", "int", False),
        ("rate", "exact", False),
        ("rate_unit", "text", False),
        ("fee_rate", "exact", False),
        ("due_day", "int", False),
        ("grace_days", "int", False),
        ("penalty_rate_multiplier", "exact", False),
        ("late_fee_rate_per_day", "exact", False),
        ("overdue_since", "date", True),
        ("overdue_amount", "fen", True),
        ("received_amount", "fen", True),
        ("status", "text", False),
        ("instalments_paid", "int", False),
        ("outstanding_principal", "fen", True),
        ("outstanding_as_of", "date", True),
    ),
    "payments": (
        ("id", "int", False),
        ("debt_id", "int", False),
        ("date", "date", False),
        ("amount", "fen", False),
        ("fees", "fen", False),
        ("interest", "fen", False),
        ("principal", "fen", False),
        ("note", "text", False),
    ),
    "contacts": (
        ("id", "int", False),
        ("debt_id", "int", True),
        ("when", "datetime", False),
        ("channel", "text", False),
        ("who", "text", False),
        ("target", "text", False),
        ("summary", "text", False),
        ("conduct", "list", False),
        ("attachments", "list", False),
        ("phone_number", "text", False),
    ),
    "settings": (("key", "text", False), ("value", "text", False)),
}
# Read the normal way when they hold anything (the first screen would need their own readers).
READ_NORMALLY = ("instalments", "debt_terms")
# The quick read checks every payment and figures each debt from all of them; a longer ledger opens
# the normal way, which figures each debt from the ledger state kept with its last payment.
MAX_PAYMENTS = 5_000
NEEDED_TABLES = frozenset({"alembic_version", "lenders", *COLUMNS, *READ_NORMALLY})


@dataclass(frozen=True, slots=True)
class FirstScreen:
    """What the first screen reads, from one snapshot: every debt by id, payments by date, settings."""

    path: Path
    debts: tuple[Debt, ...]
    payments: tuple[Payment, ...]  # by date, then id
    contacts: tuple[ContactEntry, ...]  # by time, then id
    settings: dict[str, str]


class _NotCertain(Exception):
    """The quick read cannot promise what the normal opening would give."""


def read_first_screen(file: Path) -> FirstScreen | None:
    """The first screen's records of ``file``, or None when it must be opened the normal way."""
    try:
        if not _plain_private_writable(file):
            return None
        uri = f"file:{quote(str(file.absolute()))}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, isolation_level=None)) as conn:
            conn.execute("BEGIN")  # one snapshot of every table
            return _read(conn, file)
    except (_NotCertain, sqlite3.Error, OSError, ValueError, ArithmeticError):
        return None


def _plain_private_writable(file: Path) -> bool:
    info = file.stat()
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
        return False
    for part in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
        try:
            if stat.S_IMODE(part.stat().st_mode) & 0o077:
                return False
        except FileNotFoundError:
            continue
    if not (os.access(file, os.R_OK | os.W_OK) and os.access(file.parent, os.W_OK | os.X_OK)):
        return False
    # Not open in this process already (storage.live: nothing may open it by its path then).
    return live.lookup(file) is None and not encryption.is_encrypted(file)


def _read(conn: sqlite3.Connection, file: Path) -> FirstScreen:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables >= NEEDED_TABLES:
        raise _NotCertain
    if [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")] != [HEAD]:
        raise _NotCertain
    for table in READ_NORMALLY:
        if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:  # noqa: S608 (a constant)
            raise _NotCertain
    if conn.execute("SELECT count(*) FROM payments").fetchone()[0] > MAX_PAYMENTS:
        raise _NotCertain
    debts = _checked(
        conn,
        "debts",
        "SELECT {columns}, lenders.name FROM debts LEFT JOIN lenders ON lenders.id = debts.lender_id "
        "ORDER BY debts.id",
        extra=("lender",),
    )
    payments = _checked(conn, "payments", "SELECT {columns} FROM payments ORDER BY date, id")
    contacts = _checked(conn, "contacts", 'SELECT {columns} FROM contacts ORDER BY "when", id')
    settings = _checked(conn, "settings", "SELECT {columns} FROM settings ORDER BY key")
    return FirstScreen(
        path=file,
        debts=tuple(debt_from_values(v) for v in debts),
        payments=tuple(payment_from_values(v) for v in payments),
        contacts=tuple(contact_from_values(v) for v in contacts),
        settings={v["key"]: v["value"] for v in settings},
    )


def _checked(
    conn: sqlite3.Connection, table: str, sql: str, extra: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Every row of ``sql`` as checked values; one that fails a check ends the quick read."""
    spec = COLUMNS[table]
    names = [name for name, _kind, _nullable in spec]
    converters: list[Callable[[object], Any]] = [
        column_converter(table, name, kind, nullable) for name, kind, nullable in spec
    ]
    check = CHECKS.get(table)
    columns = ", ".join(f'{table}."{name}"' for name in names)
    out = []
    for raw in conn.execute(sql.format(columns=columns)):
        try:
            values = {
                name: convert(value) for name, convert, value in zip(names, converters, raw, strict=False)
            }
        except BadValue:
            raise _NotCertain from None
        values.update(zip(extra, raw[len(names) :], strict=True))
        if check is not None and check(values):
            raise _NotCertain
        out.append(values)
    return out
