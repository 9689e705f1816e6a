"""Stored values checked one by one, without SQLAlchemy: the rules a row must meet, and its domain value.

Each column kind has a checker (``column_converter``): integer fen, exact decimal text, ISO dates, text,
an enumeration's values. A value that fails raises ``BadValue`` with a msgid; ``CHECKS`` holds each
table's rules beyond its column types (the same rules an import applies), and ``*_from_values`` turn
checked values into the frozen values of ``domain.debts``. ``storage.rows`` reads through SQLAlchemy with
these; ``storage.fastread`` reads the first screen through the standard library's sqlite3 with them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from domain.debts import (
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
    MSG_TOO_LARGE,
    NAME_MAX,
    TEXT_MAX,
    check_text,
    validate_contact,
    validate_debt,
)
from resources.i18n import N_
from storage.row_problems import ColumnProblem

MAX_FEN = int(MAX_AMOUNT * 100)

# The payments a check of ``_check_payment`` (with the column converters) may refuse, found by SQLite
# alone, as a condition on the ``payments`` table: every value of another type, a date that is not a
# real ISO day in range (a real day comes back the same through its day number: 2026-02-30 does not),
# money outside 0..MAX_FEN or parts that do not add up, a note too long. A superset of what the checks
# refuse: they decide, on the few rows found.
_MONEY = ("amount", "fees", "interest", "principal")
SUSPECT_PAYMENT = " OR ".join(
    (
        "typeof(payments.debt_id) != 'integer'",
        "payments.date IS NULL",
        "date(julianday(payments.date)) IS NOT payments.date",
        f"payments.date NOT BETWEEN '{DATE_MIN.isoformat()}' AND '{DATE_MAX.isoformat()}'",
        *(f"typeof(payments.{m}) != 'integer'" for m in _MONEY),
        # one comparison for each range (the look runs over every payment at each start)
        *(f"payments.{m} NOT BETWEEN {int(m == 'amount')} AND {MAX_FEN}" for m in _MONEY),
        "payments.fees + payments.interest + payments.principal != payments.amount",
        "typeof(payments.note) != 'text'",
        f"length(payments.note) > {TEXT_MAX}",
    )
)

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


class BadValue(Exception):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = tuple(params.items())


# --- one value ---------------------------------------------------------------------------


def _fen(value: object) -> int:
    if type(value) is int:  # not bool
        if value < 0:
            raise BadValue(MSG_NEGATIVE)
        if value > MAX_FEN:
            raise BadValue(MSG_TOO_LARGE, max=f"{MAX_AMOUNT:,}")
        return value
    raise BadValue(MSG_FRACTION_OF_FEN if isinstance(value, float) else MSG_NOT_AMOUNT)


def _exact(value: object) -> Decimal:
    if isinstance(value, str) or type(value) is int:
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            raise BadValue(MSG_NOT_NUMBER) from None
        if number.is_finite():
            return number
    raise BadValue(MSG_NOT_NUMBER)


def _in_range(day: date) -> date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise BadValue(MSG_DATE_RANGE, min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())
    return day


def _date(value: object) -> date:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return _in_range(date.fromisoformat(value))
        except ValueError:
            pass
    raise BadValue(MSG_NOT_DATE)


def _datetime(value: object) -> datetime:
    if isinstance(value, str) and _DATETIME.fullmatch(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            _in_range(moment.date())
            return moment
    raise BadValue(MSG_NOT_DATETIME)


def _int(value: object) -> int:
    if type(value) is int:
        return value
    raise BadValue(MSG_NOT_WHOLE)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    raise BadValue(MSG_NOT_TEXT)


def _string_list(value: object) -> list[str]:
    try:
        loaded = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        loaded = None
    if isinstance(loaded, list) and all(isinstance(item, str) for item in loaded):
        return loaded
    raise BadValue(MSG_NOT_LIST)


def _enum(enum: type[StrEnum]) -> Callable[[object], StrEnum]:
    def convert(value: object) -> StrEnum:
        try:
            return enum(_text(value))
        except ValueError:
            raise BadValue(MSG_CHOICE, choices=", ".join(e.value for e in enum)) from None

    return convert


def _nullable(convert: Callable[[object], Any]) -> Callable[[object], Any]:
    def maybe(value: object) -> Any:
        return None if value is None else convert(value)

    return maybe


# Each column kind's checker (``storage.rows`` names the kind of each SQLAlchemy column type).
KIND_CONVERTERS: dict[str, Callable[[object], Any]] = {
    "fen": _fen,
    "exact": _exact,
    "list": _string_list,
    "datetime": _datetime,
    "date": _date,
    "int": _int,
    "text": _text,
}


def column_converter(table: str, column: str, kind: str, nullable: bool) -> Callable[[object], Any]:
    """The checker of one column: its enumeration's, else its kind's; NULL allowed only when nullable."""
    convert = _enum(ENUMS[table, column]) if (table, column) in ENUMS else KIND_CONVERTERS[kind]
    return _nullable(convert) if nullable else convert  # NULL fails each type's own check


RowCheck = Callable[[dict[str, Any]], list[ColumnProblem]]


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


CHECKS: dict[str, RowCheck] = {
    "debts": _check_debt,
    "payments": _check_payment,
    "lenders": _check_lender,
    "contacts": _check_contact,
    "instalments": _check_instalment,
    "reminders": _check_reminder,
    "budget_expenses": _check_expense,
    "settings": _check_setting,
}
