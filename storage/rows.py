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

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
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
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import NullType

from domain.debts import (
    Budget,
    ContactChannel,
    ContactConduct,
    ContactEntry,
    ContactTarget,
    Debt,
    DebtKind,
    DebtStatus,
    FieldError,
    Lender,
    Method,
    Payment,
    RateUnit,
)
from domain.money import MAX_AMOUNT, from_fen
from domain.validation import (
    DATE_MAX,
    DATE_MIN,
    MSG_CHOICE,
    MSG_DATE_RANGE,
    MSG_NEGATIVE,
    MSG_NOT_AMOUNT,
    MSG_NOT_DATE,
    MSG_NOT_NUMBER,
    MSG_NOT_POSITIVE,
    MSG_NOT_TEXT,
    MSG_NOT_WHOLE,
    MSG_RANGE,
    MSG_REQUIRED,
    MSG_TOO_LARGE,
    NAME_MAX,
    TEXT_MAX,
    check_text,
    validate_contact,
    validate_debt,
)
from resources.i18n import N_
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
from storage.types import ExactDecimal, Fen, StringList

if TYPE_CHECKING:
    from typing import TypeAlias

    RawSelect: TypeAlias = Select[*tuple[Any, ...]]

T = TypeVar("T")
MAX_FEN = int(MAX_AMOUNT * 100)

MSG_FRACTION_OF_FEN = N_("not a whole number of fen")
MSG_NOT_DATETIME = N_("not a date and time (YYYY-MM-DDTHH:MM:SS)")
MSG_NOT_LIST = N_("not a list of text")
MSG_NO_LENDER = N_("refers to no lender")
MSG_PARTS = N_("fees, interest and principal do not add up to the amount")
MSG_DAYS_BEFORE = N_("must list whole numbers of days from 0 to 365")

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?")

# Text columns whose value must be one of an enumeration's values.
ENUMS: dict[tuple[str, str], type[StrEnum]] = {
    ("debts", "kind"): DebtKind,
    ("debts", "method"): Method,
    ("debts", "rate_unit"): RateUnit,
    ("debts", "status"): DebtStatus,
    ("lenders", "kind"): DebtKind,
    ("contacts", "channel"): ContactChannel,
    ("contacts", "target"): ContactTarget,
}


class _Bad(Exception):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = tuple(params.items())


# --- one value ---------------------------------------------------------------------------


def _fen(value: object) -> int:
    if type(value) is int:  # not bool
        if value < 0:
            raise _Bad(MSG_NEGATIVE)
        if value > MAX_FEN:
            raise _Bad(MSG_TOO_LARGE, max=f"{MAX_AMOUNT:,}")
        return value
    raise _Bad(MSG_FRACTION_OF_FEN if isinstance(value, float) else MSG_NOT_AMOUNT)


def _exact(value: object) -> Decimal:
    if isinstance(value, str) or type(value) is int:
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            raise _Bad(MSG_NOT_NUMBER) from None
        if number.is_finite():
            return number
    raise _Bad(MSG_NOT_NUMBER)


def _in_range(day: date) -> date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise _Bad(MSG_DATE_RANGE, min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())
    return day


def _date(value: object) -> date:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return _in_range(date.fromisoformat(value))
        except ValueError:
            pass
    raise _Bad(MSG_NOT_DATE)


def _datetime(value: object) -> datetime:
    if isinstance(value, str) and _DATETIME.fullmatch(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            _in_range(moment.date())
            return moment
    raise _Bad(MSG_NOT_DATETIME)


def _int(value: object) -> int:
    if type(value) is int:
        return value
    raise _Bad(MSG_NOT_WHOLE)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    raise _Bad(MSG_NOT_TEXT)


def _string_list(value: object) -> list[str]:
    try:
        loaded = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        loaded = None
    if isinstance(loaded, list) and all(isinstance(item, str) for item in loaded):
        return loaded
    raise _Bad(MSG_NOT_LIST)


def _enum(enum: type[StrEnum]) -> Callable[[object], StrEnum]:
    def convert(value: object) -> StrEnum:
        try:
            return enum(_text(value))
        except ValueError:
            raise _Bad(MSG_CHOICE, choices=", ".join(e.value for e in enum)) from None

    return convert


def _nullable(convert: Callable[[object], Any]) -> Callable[[object], Any]:
    def maybe(value: object) -> Any:
        return None if value is None else convert(value)

    return maybe


def _converter(table: str, column: Any) -> Callable[[object], Any]:
    kind = column.type
    convert: Callable[[object], Any]
    if (table, column.key) in ENUMS:
        convert = _enum(ENUMS[table, column.key])
    elif isinstance(kind, Fen):
        convert = _fen
    elif isinstance(kind, ExactDecimal):
        convert = _exact
    elif isinstance(kind, StringList):
        convert = _string_list
    elif isinstance(kind, DateTime):
        convert = _datetime
    elif isinstance(kind, Date):
        convert = _date
    elif isinstance(kind, Integer):
        convert = _int
    elif isinstance(kind, String | Text):
        convert = _text
    else:  # pragma: no cover - a new column type needs its checker here
        raise TypeError(f"no reader for {table}.{column.key}: {kind!r}")
    return _nullable(convert) if column.nullable else convert  # NULL fails each type's own check


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


@cache
def _table(model: type[Base]) -> _Table:
    table = cast(Table, model.__table__)
    columns = _read_columns(table)
    key = [c.key for c in columns if c.primary_key][0]
    return _Table(
        table.name, key, tuple(c.key for c in columns), tuple(_converter(table.name, c) for c in columns)
    )


# --- one row -------------------------------------------------------------------------------


def raw_select(model: type[Base], *extra: ColumnElement[Any]) -> RawSelect:
    """A select of every column of ``model`` as stored (no conversion; but those ``NOT_READ``),
    then ``extra`` columns."""
    table = cast(Table, model.__table__)
    return select(*(type_coerce(c, NullType()).label(c.key) for c in _read_columns(table)), *extra)


def stored(column: Any, label: str) -> ColumnElement[Any]:
    """Another table's column, as stored, to select beside a model's own (``raw_select``'s ``extra``)."""
    return type_coerce(column, NullType()).label(label)


# Checks a table's rows must pass beyond their column types: (values) -> problems.
RowCheck = Callable[[dict[str, Any]], list[ColumnProblem]]


def check_rows(
    model: type[Base], rows: Iterable[Sequence[Any]], extra: Sequence[str] = ()
) -> Read[dict[str, Any]]:
    """Each stored row as checked values (money in integer fen), or a ``RowProblem`` naming what is wrong."""
    table = _table(model)
    check = _CHECKS.get(table.name)
    width = len(table.columns)
    out: Read[dict[str, Any]] = Read([], [])
    names, converters = table.columns, table.converters
    for raw in rows:
        bad: list[ColumnProblem] = []
        try:  # the common case, every value good, in one expression (100,000 payments per export)
            values = {
                name: convert(value) for name, convert, value in zip(names, converters, raw, strict=False)
            }
        except _Bad:
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
        except _Bad as exc:
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


# --- values -> domain values -------------------------------------------------------------------


def _yuan(fen: int) -> Decimal:
    """Checked integer fen -> Decimal yuan, as ``from_fen`` gives it ("12.30"), in one step."""
    return Decimal(fen).scaleb(-2)


def _money(fen: int | None) -> Decimal | None:
    return None if fen is None else _yuan(fen)


def debt_from_values(v: Mapping[str, Any]) -> Debt:
    return Debt(
        id=v["id"],
        name=v["name"],
        lender=v["lender"],
        kind=v["kind"],
        principal=from_fen(v["principal"]),
        start_date=v["start_date"],
        method=v["method"],
        months=v["months"],
        rate=v["rate"],
        rate_unit=v["rate_unit"],
        fee_rate=v["fee_rate"],
        due_day=v["due_day"],
        grace_days=v["grace_days"],
        penalty_rate_multiplier=v["penalty_rate_multiplier"],
        late_fee_rate_per_day=v["late_fee_rate_per_day"],
        overdue_since=v["overdue_since"],
        overdue_amount=_money(v["overdue_amount"]),
        received_amount=_money(v["received_amount"]),
        status=v["status"],
        instalments_paid=v["instalments_paid"] or 0,
        outstanding_principal=_money(v["outstanding_principal"]),
        outstanding_as_of=v["outstanding_as_of"],
    )


def payment_from_values(v: Mapping[str, Any]) -> Payment:
    return Payment(
        v["debt_id"],
        v["date"],
        _yuan(v["amount"]),
        _yuan(v["fees"]),
        _yuan(v["interest"]),
        _yuan(v["principal"]),
        v["note"],
        v["id"],
    )


def lender_from_values(v: Mapping[str, Any]) -> Lender:
    return Lender(
        id=v["id"],
        name=v["name"],
        kind=v["kind"],
        phone=v["phone"],
        address=v["address"],
        account_number=v["account_number"],
    )


def contact_from_values(v: Mapping[str, Any]) -> ContactEntry:
    return ContactEntry(
        id=v["id"],
        debt_id=v["debt_id"],
        when=v["when"],
        channel=v["channel"],
        who=v["who"],
        target=v["target"],
        summary=v["summary"],
        conduct=frozenset(ContactConduct(c) for c in v["conduct"]),
        attachments=tuple(v["attachments"]),
        phone_number=v["phone_number"],
    )


# --- rules beyond the column types (those an import applies) --------------------------------------


def _field_problems(
    errors: Iterable[FieldError], values: Mapping[str, Any], columns: Mapping[str, str] | None = None
) -> list[ColumnProblem]:
    problems = []
    for error in errors:
        column = (columns or {}).get(error.field, error.field)
        problems.append(ColumnProblem(column, error.message, tuple(error.params.items()), values.get(column)))
    return problems


def _check_debt(v: dict[str, Any]) -> list[ColumnProblem]:
    if not isinstance(v.get("lender"), str):
        return [ColumnProblem("lender_id", MSG_NO_LENDER, (), v["lender_id"])]
    return _field_problems(validate_debt(debt_from_values(v)), v, {"lender": "lender_id"})


def _check_payment(v: dict[str, Any]) -> list[ColumnProblem]:
    if 0 < v["amount"] == v["fees"] + v["interest"] + v["principal"] and len(v["note"]) <= TEXT_MAX:
        return []  # as every good payment is: decided without building anything
    errors: list[FieldError] = []
    if v["amount"] == 0:
        errors.append(FieldError("amount", MSG_NOT_POSITIVE))
    elif v["fees"] + v["interest"] + v["principal"] != v["amount"]:
        errors.append(FieldError("amount", MSG_PARTS))
    check_text("note", v["note"], errors, max_len=TEXT_MAX)
    return _field_problems(errors, v)


def _check_lender(v: dict[str, Any]) -> list[ColumnProblem]:
    errors: list[FieldError] = []
    check_text("name", v["name"], errors, required=True)
    check_text("phone", v["phone"], errors)
    check_text("address", v["address"], errors, max_len=TEXT_MAX)
    check_text("account_number", v["account_number"], errors)
    return _field_problems(errors, v)


def _check_contact(v: dict[str, Any]) -> list[ColumnProblem]:
    known = {c.value for c in ContactConduct}
    if not set(v["conduct"]) <= known:
        return [ColumnProblem("conduct", MSG_CHOICE, (("choices", ", ".join(sorted(known))),), v["conduct"])]
    return _field_problems(validate_contact(contact_from_values(v)), v)


def _check_instalment(v: dict[str, Any]) -> list[ColumnProblem]:
    if v["period"] < 1:
        return [ColumnProblem("period", N_("must be a whole number from 1"), (), v["period"])]
    return []


def _check_reminder(v: dict[str, Any]) -> list[ColumnProblem]:
    days = v["days_before"]
    if not all(d.isascii() and d.isdigit() and 0 <= int(d) <= 365 for d in days):
        return [ColumnProblem("days_before", MSG_DAYS_BEFORE, (), json.dumps(days))]
    if v["enabled"] not in (0, 1):
        return [ColumnProblem("enabled", MSG_RANGE, (("min", 0), ("max", 1)), v["enabled"])]
    return []


def _check_expense(v: dict[str, Any]) -> list[ColumnProblem]:
    errors: list[FieldError] = []
    check_text("category", v["category"], errors, required=True, max_len=NAME_MAX)
    return _field_problems(errors, v)


def _check_setting(v: dict[str, Any]) -> list[ColumnProblem]:
    errors: list[FieldError] = []
    check_text("key", v["key"], errors, required=True, max_len=NAME_MAX)
    check_text("value", v["value"], errors, max_len=TEXT_MAX)
    return _field_problems(errors, v)


_CHECKS: dict[str, RowCheck] = {
    "debts": _check_debt,
    "payments": _check_payment,
    "lenders": _check_lender,
    "contacts": _check_contact,
    "instalments": _check_instalment,
    "reminders": _check_reminder,
    "budget_expenses": _check_expense,
    "settings": _check_setting,
}


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
    into Python): every value of another type, a date that is not a real ISO day in range, money
    outside 0..MAX_AMOUNT or parts that do not add up, a note too long. A superset of what the
    checks refuse (they decide, on the few rows found): a page of figures kept elsewhere can
    still name every damaged payment without reading 100,000 good ones."""
    table = cast(Table, PaymentRow.__table__)
    col = table.c
    day = type_coerce(col.date, String)
    money = [type_coerce(col[name], Integer) for name in ("amount", "fees", "interest", "principal")]
    amount, fees, interest, principal = money
    return raw_select(PaymentRow).where(
        or_(
            func.typeof(col.debt_id) != "integer",
            col.date.is_(None),
            # a real day comes back the same through its day number, as YYYY-MM-DD (2026-02-30 does not)
            func.date(func.julianday(day)).is_distinct_from(day),
            day < DATE_MIN.isoformat(),
            day > DATE_MAX.isoformat(),
            *(func.typeof(m) != "integer" for m in money),
            *(m < 0 for m in money),
            *(m > MAX_FEN for m in money),
            amount == 0,
            fees + interest + principal != amount,
            func.typeof(col.note) != "text",
            func.length(col.note) > TEXT_MAX,
        )
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
__all__ = ["ColumnProblem", "Read", "RowProblem", "stored_text"]
