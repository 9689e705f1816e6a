"""The first screen's records read with the standard library's sqlite3, before SQLAlchemy is loaded.

Opening a data file the normal way (``storage.db.open_database``) imports SQLAlchemy and checks the file;
the window's first screen only reads. ``read_first_screen`` opens one snapshot of the file through a
connection that can only read (``mode=ro``: nothing is written, nothing is copied) and reads what is
small at once (debts with their lender's name, contact-log entries, settings). The payments are read
from the same snapshot as they are asked for (``FirstScreen.kept``, ``payments``, ``paid_fen``): the
state kept with a debt's last payment, the payments since its first overdue day, a sum, so that years
of payments cost no more than months. It is taken only when reading it so is certain to give what
the normal opening would:

- a regular, non-empty file with SQLite's plain header (a password-protected file is not);
- private already (the normal opening would make it so, and say so) and writable, in a writable folder;
- ours, at the newest schema revision (nothing to migrate, not written by a newer DebtKeeper);
- no stored schedule or per-debt overdue terms (those are read the normal way);
- every debt, contact-log entry and setting passes the checks of ``storage.row_values``, the same ones
  ``storage.rows`` applies, and SQLite finds no payment those checks might refuse
  (``row_values.SUSPECT_PAYMENT``, the condition the normal opening looks for damage with);
- no more than ``MAX_PAYMENTS`` payments are read into Python (each checked as it is read).

Anything else, or any SQLite error, gives None (or, once open, ``NotCertain``) and the caller opens the
file the normal way, which reports each problem as it always has. The one-window lock is the caller's
to take first, and the caller closes the snapshot before the file is opened the normal way.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from domain.debts import ContactEntry, Debt, Payment
from storage import encryption, live
from storage.marks import file_marks
from storage.migrations import HEAD
from storage.row_values import (
    CHECKS,
    SUSPECT_PAYMENT,
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
# The most payments the quick read checks and figures from in Python; more, and the file opens the normal way.
MAX_PAYMENTS = 5_000
NEEDED_TABLES = frozenset({"alembic_version", "lenders", *COLUMNS, *READ_NORMALLY})
_PAYMENT_COLUMNS = ", ".join(f'payments."{name}"' for name, _kind, _nullable in COLUMNS["payments"])


class NotCertain(Exception):
    """The quick read cannot promise what the normal opening would give."""


class FirstScreen:
    """What the first screen reads, from one snapshot: every debt by id, contact-log entries by time,
    settings; and the payments, as they are asked for, until ``close``."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        debts: tuple[Debt, ...],
        contacts: tuple[ContactEntry, ...],
        settings: dict[str, str],
        scan: _Scan,
    ) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._scan = scan
        self.path = path
        self.debts = debts
        self.contacts = contacts  # by time, then id
        self.settings = settings
        self._budget = MAX_PAYMENTS  # payments still to be read into Python

    def sound(self) -> bool:
        """Whether SQLite finds no payment the checks might refuse (``row_values.SUSPECT_PAYMENT``):
        only then is what was read from this snapshot what the normal opening would give. The
        look runs beside the reads, on its own connection to the same moment of the file."""
        return self._scan.result()

    def close(self) -> None:
        """End the snapshot; the payments cannot be read after it (``NotCertain``)."""
        self._scan.cancel()  # its connection is closed too
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def kept(
        self, debt_id: int, before: tuple[date, int] | None, until: date
    ) -> tuple[int, str, object] | None:
        """The id, date and ledger state, as stored, of the debt's last payment before ``before``
        (its date and id; None: of all) dated on or before ``until`` (None: no such payment)."""
        sql = "SELECT id, date, ledger_state FROM payments WHERE debt_id = ? AND date <= ?"
        args: list[object] = [debt_id, until.isoformat()]
        if before is not None:
            sql += " AND (date, id) < (?, ?)"
            args += [before[0].isoformat(), before[1]]
        found = self._query(sql + " ORDER BY date DESC, id DESC LIMIT 1", args).fetchone()
        return None if found is None else tuple(found)

    def payments(
        self, debt_id: int | None = None, since: tuple[date, int] | None = None, until: date | None = None
    ) -> tuple[Payment, ...]:
        """The payments (of one debt, or all) from ``since`` (a date and id) on and dated up to ``until``,
        checked, in ledger order (date, then id)."""
        where: list[str] = ["1"]
        args: list[object] = []
        if debt_id is not None:
            where.append("debt_id = ?")
            args.append(debt_id)
        if since is not None:
            where.append("(date, id) >= (?, ?)")
            args += [since[0].isoformat(), since[1]]
        if until is not None:
            where.append("date <= ?")
            args.append(until.isoformat())
        condition = " AND ".join(where)
        count = self._query(f"SELECT count(*) FROM payments WHERE {condition}", args).fetchone()[0]  # noqa: S608
        if count > self._budget:
            raise NotCertain
        self._budget -= count
        sql = f"SELECT {_PAYMENT_COLUMNS} FROM payments WHERE {condition} ORDER BY date, id"  # noqa: S608
        return tuple(payment_from_values(v) for v in _checked(self._query(sql, args), "payments"))

    def paid_fen(self, debt_id: int, after: date | None, until: date) -> int:
        """What was paid on a debt after the day ``after`` (None: from the first) up to ``until``, in fen,
        summed by SQLite (no payment is one the checks might refuse: see the module)."""
        sql = "SELECT coalesce(sum(amount), 0) FROM payments WHERE debt_id = ? AND date <= ?"
        args: list[object] = [debt_id, until.isoformat()]
        if after is not None:
            sql += " AND date > ?"
            args.append(after.isoformat())
        return int(self._query(sql, args).fetchone()[0])

    def _query(self, sql: str, args: Sequence[object]) -> sqlite3.Cursor:
        if self._conn is None:
            raise NotCertain
        try:
            return self._conn.execute(sql, args)
        except sqlite3.Error:
            raise NotCertain from None


def read_first_screen(file: Path) -> FirstScreen | None:
    """The first screen's records of ``file``, or None when it must be opened the normal way. The
    snapshot stays open for the payments until ``FirstScreen.close``."""
    conn = scan = None
    try:
        if not _plain_private_writable(file):
            return None
        uri = f"file:{quote(str(file.absolute()))}?mode=ro"
        marks = file_marks(file)
        conn = _snapshot(sqlite3.connect(uri, uri=True, isolation_level=None))
        scan = _Scan(_snapshot(sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)))
        if file_marks(file) != marks:  # written to between the two: they may not see the same moment
            raise NotCertain
        _schema(conn)
        scan.start()
        return _read(conn, file, scan)
    except (NotCertain, sqlite3.Error, OSError, ValueError, ArithmeticError):
        if scan is not None:
            scan.cancel()
        if conn is not None:
            conn.close()
        return None


def _snapshot(conn: sqlite3.Connection) -> sqlite3.Connection:
    """``conn`` in a read transaction with its snapshot taken (a first read takes it), held until closed."""
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


class _Scan:
    """Whether SQLite finds a payment the checks might refuse, looked for on a thread (SQLite lets go
    of the interpreter while it steps) on a connection of its own, started once the schema is known."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._sound = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._look, name="first screen: damage", daemon=True)
        self._thread.start()

    def _look(self) -> None:
        conn = self._conn
        assert conn is not None
        try:
            sql = f"SELECT 1 FROM payments WHERE {SUSPECT_PAYMENT} LIMIT 1"  # noqa: S608 (a constant)
            self._sound = conn.execute(sql).fetchone() is None
        except sqlite3.Error:
            self._sound = False
        finally:
            conn.close()
            self._conn = None

    def result(self) -> bool:
        """Whether nothing was found, once the look is over (False when it was not started)."""
        if self._thread is not None:
            self._thread.join()
        elif self._conn is not None:
            self._conn.close()
            self._conn = None
        return self._sound

    def cancel(self) -> None:
        """Stop the look where it is (its answer is not wanted) and close its connection."""
        conn = self._conn
        if conn is not None and self._thread is not None:
            with suppress(sqlite3.Error):
                conn.interrupt()
        self.result()


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


def _schema(conn: sqlite3.Connection) -> None:
    """NotCertain unless the file is ours, at the newest revision, with nothing read the normal way."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables >= NEEDED_TABLES:
        raise NotCertain
    if [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")] != [HEAD]:
        raise NotCertain
    for table in READ_NORMALLY:
        if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:  # noqa: S608 (a constant)
            raise NotCertain


def _read(conn: sqlite3.Connection, file: Path, scan: _Scan) -> FirstScreen:
    debts = _checked(
        conn.execute(
            _select(
                "debts",
                ", lenders.name FROM debts LEFT JOIN lenders ON lenders.id = debts.lender_id ORDER BY debts.id",
            )
        ),
        "debts",
        extra=("lender",),
    )
    contacts = _checked(conn.execute(_select("contacts", ' FROM contacts ORDER BY "when", id')), "contacts")
    settings = _checked(conn.execute(_select("settings", " FROM settings ORDER BY key")), "settings")
    return FirstScreen(
        conn,
        file,
        debts=tuple(debt_from_values(v) for v in debts),
        contacts=tuple(contact_from_values(v) for v in contacts),
        settings={v["key"]: v["value"] for v in settings},
        scan=scan,
    )


def _select(table: str, rest: str) -> str:
    columns = ", ".join(f'{table}."{name}"' for name, _kind, _nullable in COLUMNS[table])
    return f"SELECT {columns}{rest}"  # noqa: S608 (constants)


def _checked(
    cursor: Iterable[Sequence[object]], table: str, extra: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Every row as checked values; one that fails a check ends the quick read."""
    spec = COLUMNS[table]
    names = [name for name, _kind, _nullable in spec]
    converters: list[Callable[[object], Any]] = [
        column_converter(table, name, kind, nullable) for name, kind, nullable in spec
    ]
    check = CHECKS.get(table)
    out = []
    for raw in cursor:
        try:
            values = {
                name: convert(value) for name, convert, value in zip(names, converters, raw, strict=False)
            }
        except BadValue:
            raise NotCertain from None
        values.update(zip(extra, raw[len(names) :], strict=True))
        if check is not None and check(values):
            raise NotCertain
        out.append(values)
    return out
