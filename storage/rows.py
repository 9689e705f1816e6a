"""Stored rows read one at a time, so that a damaged row is a reported problem, not a crash.

A row that another program, a disk fault or a hand edit changed can hold anything SQLite accepts: text
or a real number in an INTEGER fen column, 2026-02-30, a kind this version does not know. SQLAlchemy's
column types convert values while a result is fetched, so one bad value would end the whole read. The
readers here select the values as they are stored, check each row against its table's column types and
against the rules new input must meet (``domain.validation``, the same rules an import applies), and
return what they could read with a ``RowProblem`` for every row they could not.

Checked values keep money as integer fen (exports format them without Decimal); ``*_from_values``
turns them into the frozen values of ``domain.debts``. This is the one place rows become domain values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    Table,
    Text,
    and_,
    column,
    func,
    select,
    text,
    type_coerce,
    values,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import NullType

from domain.debts import Budget, ContactEntry, Debt, Lender, Payment
from domain.money import from_fen
from domain.validation import MSG_REQUIRED
from storage.models import (
    Base,
    BudgetRow,
    ContactRow,
    DebtRow,
    ExpenseRow,
    InstalmentRow,
    LenderRow,
    PaymentRow,
    ReminderRow,
    SettingRow,
)
from storage.row_problems import ColumnProblem, Read, RowProblem, stored_text
from storage.row_values import (
    CHECKS,
    SUSPECT_PAYMENT,
    BadValue,
    column_converter,
    contact_from_values,
    debt_from_values,
    lender_from_values,
    payment_from_values,
)
from storage.types import ExactDecimal, Fen, StringList

if TYPE_CHECKING:
    from typing import TypeAlias

    RawSelect: TypeAlias = Select[*tuple[Any, ...]]

T = TypeVar("T")


def column_kind(table: str, column: Any) -> str:
    """The kind of checker a column's SQLAlchemy type needs (``row_values.KIND_CONVERTERS``)."""
    kind = column.type
    for types, name in (
        (Fen, "fen"),
        (ExactDecimal, "exact"),
        (StringList, "list"),
        (DateTime, "datetime"),
        (Date, "date"),
        (Integer, "int"),
        (String | Text, "text"),
    ):
        if isinstance(kind, types):
            return name
    raise TypeError(f"no reader for {table}.{column.key}: {kind!r}")  # pragma: no cover - a new type


def column_spec(model: type[Base]) -> tuple[tuple[str, str, bool], ...]:
    """Each column of a table the readers read, as (name, kind, nullable), in table order."""
    table = cast(Table, model.__table__)
    return tuple((c.key, column_kind(table.name, c), bool(c.nullable)) for c in _read_columns(table))


def _converter(table: str, column: Any) -> Callable[[object], Any]:
    return column_converter(table, column.key, column_kind(table, column), bool(column.nullable))


# Columns the readers leave out: a payment's kept ledger state is a shortcut that services.records
# reads itself (one it cannot use is replayed, it never makes the payment a damaged row).
NOT_READ = frozenset({("payments", "ledger_state")})


def _read_columns(table: Table) -> tuple[Any, ...]:
    return tuple(c for c in table.columns if (table.name, c.key) not in NOT_READ)


@dataclass(frozen=True, slots=True)
class _Table:
    name: str
    key_name: str
    columns: tuple[str, ...]
    converters: tuple[Callable[[object], Any], ...]
    convert_row: Callable[[Sequence[Any]], dict[str, Any]]  # every column's converter on one row


def _row_converter(
    names: tuple[str, ...], converters: tuple[Callable[[object], Any], ...]
) -> Callable[[Sequence[Any]], dict[str, Any]]:
    """One function that converts a whole stored row, ``{name: converter(value), …}``, written out for
    the table's columns once (as dataclasses write their methods): the work of a dict comprehension over
    the columns without zipping them for each of 100,000s of rows. Raises what a converter raises."""
    converter_names = {f"convert_{i}": convert for i, convert in enumerate(converters)}
    members = ", ".join(f"{name!r}: convert_{i}(raw[{i}])" for i, name in enumerate(names))
    namespace: dict[str, Any] = {}
    exec(f"def convert_row(raw):\n    return {{{members}}}\n", converter_names, namespace)  # noqa: S102
    return cast(Callable[[Sequence[Any]], dict[str, Any]], namespace["convert_row"])


@cache
def _table(model: type[Base]) -> _Table:
    table = cast(Table, model.__table__)
    columns = _read_columns(table)
    key = [c.key for c in columns if c.primary_key][0]
    names = tuple(c.key for c in columns)
    converters = tuple(_converter(table.name, c) for c in columns)
    return _Table(table.name, key, names, converters, _row_converter(names, converters))


# --- one row -------------------------------------------------------------------------------


def raw_select(model: type[Base], *extra: ColumnElement[Any]) -> RawSelect:
    """A select of every column of ``model`` as stored (no conversion; but those ``NOT_READ``),
    then ``extra`` columns."""
    table = cast(Table, model.__table__)
    return select(*(type_coerce(c, NullType()).label(c.key) for c in _read_columns(table)), *extra)


def stored(column: Any, label: str) -> ColumnElement[Any]:
    """Another table's column, as stored, to select beside a model's own (``raw_select``'s ``extra``)."""
    return type_coerce(column, NullType()).label(label)


def check_rows(
    model: type[Base], rows: Iterable[Sequence[Any]], extra: Sequence[str] = ()
) -> Read[dict[str, Any]]:
    """Each stored row as checked values (money in integer fen), or a ``RowProblem`` naming what is wrong."""
    table = _table(model)
    check = CHECKS.get(table.name)
    width = len(table.columns)
    out: Read[dict[str, Any]] = Read([], [])
    convert_row = table.convert_row
    for raw in rows:
        bad: list[ColumnProblem] = []
        try:  # the common case, every value good, in one call (100,000 payments per export)
            values = convert_row(raw)
        except BadValue:
            values, bad = _column_problems(table, raw)
        if extra:
            values.update(zip(extra, raw[width:], strict=True))
        if not bad and check is not None:
            bad = check(values)
        if bad:
            key = raw[table.columns.index(table.key_name)]
            out.problems.append(RowProblem(table.name, table.key_name, key, tuple(bad)))
        else:
            out.values.append(values)
    return out


def _column_problems(table: _Table, raw: Sequence[Any]) -> tuple[dict[str, Any], list[ColumnProblem]]:
    """Every value of a row that failed its check (NULL in a column that needs a value: "is required")."""
    values: dict[str, Any] = {}
    bad: list[ColumnProblem] = []
    for name, convert, value in zip(table.columns, table.converters, raw, strict=False):
        try:
            values[name] = convert(value)
        except BadValue as exc:
            message, params = (MSG_REQUIRED, ()) if value is None else (exc.message, exc.params)
            bad.append(ColumnProblem(name, message, params, value))
    return values, bad


def read_values(
    conn: Connection, model: type[Base], query: RawSelect | None = None, extra: Sequence[str] = ()
) -> Read[dict[str, Any]]:
    """Run ``query`` (a ``raw_select(model, ...)``, default: every row by key) and check its rows."""
    if query is None and model is DebtRow:
        query, extra = debts_select(), ("lender",)  # a debt is read with its lender's name
    elif query is None:
        query = raw_select(model).order_by(*cast(Table, model.__table__).primary_key.columns)
    return check_rows(model, conn.execute(query), extra)


# --- readers for the services ----------------------------------------------------------------------


def debts_select() -> RawSelect:
    """Every debt as stored, with its lender's name (NULL when the lender is missing), by id."""
    return (
        raw_select(DebtRow, stored(LenderRow.name, "lender"))
        .outerjoin(LenderRow, LenderRow.id == DebtRow.lender_id)
        .order_by(DebtRow.id)
    )


def read_debts(conn: Connection, *criteria: ColumnElement[bool]) -> Read[Debt]:
    read = read_values(conn, DebtRow, debts_select().where(*criteria), extra=("lender",))
    return Read([debt_from_values(v) for v in read.values], read.problems)


def suspect_payments() -> RawSelect:
    """The payments a check of ``read_payments`` may refuse, found by SQLite alone (no row is read
    into Python; ``row_values.SUSPECT_PAYMENT``). A superset of what the checks refuse (they decide,
    on the few rows found): a page of figures kept elsewhere can still name every damaged payment
    without reading 100,000 good ones."""
    return raw_select(PaymentRow).where(text(SUSPECT_PAYMENT))


def paid_in_spans(spans: Mapping[int, tuple[date | None, date]]) -> Select[int, int]:
    """(debt id, fen paid) of each debt: the sum of its payments, as stored, dated after the first day of
    its span (None: from the first) up to the second. One statement, each debt's payments found on
    the index by debt and date."""
    span = (
        values(  # a common table expression: SQLite names no columns of a VALUES in FROM
            column("debt_id", Integer), column("after", String), column("until", String), name="spans"
        )
        .data(
            [
                (debt_id, after.isoformat() if after else None, until.isoformat())
                for debt_id, (after, until) in spans.items()
            ]
        )
        .cte("spans")
    )
    table = cast(Table, PaymentRow.__table__)
    day = type_coerce(table.c.date, String)  # compared as stored: ISO text
    within = and_(
        table.c.debt_id == span.c.debt_id,
        day <= span.c.until,
        day > func.coalesce(span.c.after, ""),  # from the first when None: a bound the index can use
    )
    amount = type_coerce(table.c.amount, Integer)  # whole fen
    return (
        select(span.c.debt_id, func.coalesce(func.sum(amount), 0))
        .select_from(span.outerjoin(table, within))
        .group_by(span.c.debt_id)
    )


def read_payments(conn: Connection, query: RawSelect) -> Read[Payment]:
    """``query``: a ``raw_select(PaymentRow)`` with its filter and order."""
    read = read_values(conn, PaymentRow, query)
    return Read([payment_from_values(v) for v in read.values], read.problems)


def read_lenders(conn: Connection, *criteria: ColumnElement[bool]) -> Read[Lender]:
    read = read_values(conn, LenderRow, raw_select(LenderRow).where(*criteria).order_by(LenderRow.id))
    return Read([lender_from_values(v) for v in read.values], read.problems)


def read_contacts(conn: Connection, *criteria: ColumnElement[bool]) -> Read[ContactEntry]:
    query = raw_select(ContactRow).where(*criteria).order_by(ContactRow.when, ContactRow.id)
    read = read_values(conn, ContactRow, query)
    return Read([contact_from_values(v) for v in read.values], read.problems)


def read_budget(conn: Connection) -> Read[Budget]:
    """The budget profile (income 0 when its row is missing or cannot be read)."""
    income = read_values(conn, BudgetRow, raw_select(BudgetRow).where(BudgetRow.id == 1))
    expenses = read_values(conn, ExpenseRow, raw_select(ExpenseRow).order_by(ExpenseRow.category))
    budget = Budget(
        income=from_fen(income.values[0]["income"]) if income.values else Decimal(0),
        expenses={v["category"]: from_fen(v["amount"]) for v in expenses.values},
    )
    return Read([budget], income.problems + expenses.problems)


def read_instalments(conn: Connection, *criteria: ColumnElement[bool]) -> Read[dict[str, Any]]:
    query = raw_select(InstalmentRow).where(*criteria).order_by(InstalmentRow.debt_id, InstalmentRow.period)
    return read_values(conn, InstalmentRow, query)


def read_reminders(conn: Connection) -> Read[dict[str, Any]]:
    return read_values(conn, ReminderRow, raw_select(ReminderRow).order_by(ReminderRow.debt_id))


def read_settings(conn: Connection, *criteria: ColumnElement[bool]) -> Read[dict[str, Any]]:
    return read_values(conn, SettingRow, raw_select(SettingRow).where(*criteria).order_by(SettingRow.key))


# The problem types live in storage.row_problems; callers of the readers also name them through here
# (the names defined in this module are public as well).
__all__ = [
    "ColumnProblem",
    "Read",
    "RowProblem",
    "contact_from_values",
    "debt_from_values",
    "lender_from_values",
    "payment_from_values",
    "stored_text",
]
