"""The SQL of whole-database export and import: every table read as stored, and replaced at once.

Rows are plain column values (``storage.rows.read_values``); the file format that
carries them is ``services.exportformat``'s business, not this module's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, func, insert, select, text
from sqlalchemy.orm import Session

from storage import rows
from storage.models import (
    Base,
    BudgetRow,
    ContactRow,
    DebtRow,
    DebtTermsRow,
    ExpenseRow,
    InstalmentRow,
    LenderRow,
    PaymentRow,
    ReminderRow,
    SettingRow,
)

# Tables in the order rows may be inserted (parents first) and removed (children first).
TABLES: tuple[type[Base], ...] = (
    LenderRow,
    DebtRow,
    InstalmentRow,
    PaymentRow,
    ReminderRow,
    DebtTermsRow,
    ContactRow,
    BudgetRow,
    ExpenseRow,
    SettingRow,
)
BY_NAME = {str(model.__tablename__): model for model in TABLES}

# One row to insert: its table's model and its column values.
Row = tuple[type[Any], dict[str, Any]]


def read_table(conn: Connection, table: str) -> rows.Read[dict[str, Any]]:
    """Every row of one table (by name: "debts", "payments", ...), ordered by key."""
    return rows.read_values(conn, BY_NAME[table])


def read_table_in_batches(conn: Connection, table: str, size: int) -> Iterator[rows.Read[dict[str, Any]]]:
    """Every row of one table, ordered by key, ``size`` rows at a time from one query (an export of
    1,000,000 payments holds one batch in memory, not the table)."""
    model = BY_NAME[table]
    query = rows.raw_select(model).order_by(*cast(Table, model.__table__).primary_key.columns)
    for part in conn.execute(query).partitions(size):
        yield rows.check_rows(model, part)


def count_rows(conn: Connection, table: str) -> int:
    return int(conn.execute(select(func.count()).select_from(BY_NAME[table])).scalar_one())


def stored_settings(session: Session, keys: frozenset[str]) -> dict[str, str]:
    """The stored values of these settings."""
    found = session.execute(select(SettingRow.key, SettingRow.value).where(SettingRow.key.in_(keys)))
    return {str(key): str(value) for key, value in found}


def clear_all(session: Session) -> None:
    """Empty every table (children first) in the caller's transaction. Foreign keys are checked when
    the transaction commits from here on, so that rows may be inserted in any order after it."""
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    for table in reversed(TABLES):
        session.execute(delete(table))


def insert_rows(session: Session, model: type[Any], values: Sequence[dict[str, Any]]) -> None:
    """Insert the rows of one table in one executemany through Core (no ORM object for each)."""
    if values:
        session.execute(insert(model.__table__), list(values))


def replace_all(
    session: Session, new_rows: Sequence[Row], keep_settings: frozenset[str] = frozenset()
) -> None:
    """Empty every table and insert ``new_rows`` (parents first) in the caller's transaction.

    ``keep_settings``: settings that belong to this computer rather than to the data (what its
    calendars were sent); their stored values stay unless ``new_rows`` give them.
    One table at a time, each in one executemany through Core: 100,000 payments are
    inserted without building an ORM object for each.
    """
    given = {values["key"] for model, values in new_rows if model is SettingRow}
    kept: list[Row] = [
        (SettingRow, {"key": key, "value": value})
        for key, value in stored_settings(session, keep_settings - given).items()
    ]
    clear_all(session)
    for model, group in groupby([*new_rows, *kept], key=lambda row: row[0]):
        insert_rows(session, model, [values for _model, values in group])
