"""The SQL of whole-database export and import: every table read as stored, and replaced at once.

Rows are plain column values (``storage.rows.read_values``); the file format that
carries them is ``services.exportformat``'s business, not this module's.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, delete, insert, select
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
        (SettingRow, {"key": row.key, "value": row.value})
        for row in session.scalars(select(SettingRow).where(SettingRow.key.in_(keep_settings - given)))
    ]
    for table in reversed(TABLES):
        session.execute(delete(table))
    for model, group in groupby([*new_rows, *kept], key=lambda row: row[0]):
        session.execute(insert(model.__table__), [values for _model, values in group])
