"""Checking what a person entered: every field error at once, as data.

``coerce_debt`` turns the loose values of the debt JSON (strings, ints,
Decimals, ISO dates) into typed values; ``validate_debt`` checks a typed
``Debt`` against plausible ranges. Both return ``list[FieldError]`` and never
raise for bad input: the caller shows all the errors together and writes
nothing. Messages are English msgids, translated where shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.debts import (
    N_,
    Budget,
    ContactEntry,
    Debt,
    DebtKind,
    DebtStatus,
    FieldError,
    Lender,
    Method,
    RateUnit,
)
from domain.money import MAX_AMOUNT, MoneyError, parse_amount

NAME_MAX = 100
TEXT_MAX = 10_000
MONTHS_MIN, MONTHS_MAX = 1, 600
DUE_DAY_MIN, DUE_DAY_MAX = 1, 31
GRACE_DAYS_MAX = 365
DATE_MIN, DATE_MAX = date(1970, 1, 1), date(2200, 12, 31)
# Ceilings that catch typing mistakes, not legal limits (those are in resources/rules/):
# no lender in the data charges more than these, and 3,650 %/year is certainly a slip.
RATE_CEILING = {RateUnit.DAY: Decimal("1"), RateUnit.MONTH: Decimal("30"), RateUnit.YEAR: Decimal("365")}
FEE_RATE_CEILING = Decimal("10")  # percent per month of the original principal
LATE_FEE_CEILING = Decimal("1")  # percent per day
MULTIPLIER_CEILING = Decimal("10")
# Rates are kept as exact decimal text: more significant digits than this are a paste gone wrong.
RATE_DIGITS_MAX = 30

DEBT_FIELDS = (
    "name",
    "lender",
    "kind",
    "principal",
    "start_date",
    "method",
    "months",
    "rate",
    "rate_unit",
    "fee_rate",
    "due_day",
    "grace_days",
    "penalty_rate_multiplier",
    "late_fee_rate_per_day",
    "overdue_since",
    "overdue_amount",
    "received_amount",
    "instalments_paid",
    "outstanding_principal",
    "outstanding_as_of",
)
REQUIRED_DEBT_FIELDS = ("name", "lender", "kind", "principal", "start_date", "method", "months")
# Fields the contract allows to be null (absent = no arrears / nothing taken in advance).
NULLABLE_DEBT_FIELDS = (
    "overdue_since",
    "overdue_amount",
    "received_amount",
    "outstanding_principal",
    "outstanding_as_of",
)

MSG_REQUIRED = N_("is required")
MSG_TOO_LONG = N_("is too long (at most {max} characters)")
MSG_NOT_TEXT = N_("must be text")
MSG_NOT_AMOUNT = N_("not an amount")
MSG_NOT_NUMBER = N_("not a number")
MSG_NEGATIVE = N_("must not be negative")
MSG_NOT_POSITIVE = N_("must be more than zero")
MSG_TOO_LARGE = N_("must be at most {max}")
MSG_NOT_WHOLE = N_("not a whole number")
MSG_RANGE = N_("must be between {min} and {max}")
MSG_NOT_DATE = N_("not a date (YYYY-MM-DD)")
MSG_DATE_RANGE = N_("must be a date between {min} and {max}")
MSG_UNKNOWN = N_("unknown field")
MSG_CHOICE = N_("must be one of: {choices}")
MSG_RATE_CEILING = {
    RateUnit.DAY: N_("a rate above {max}% per day is not plausible"),
    RateUnit.MONTH: N_("a rate above {max}% per month is not plausible"),
    RateUnit.YEAR: N_("a rate above {max}% per year is not plausible"),
}
MSG_BEFORE_START = N_("must not be before the start date")
MSG_MORE_THAN_PRINCIPAL = N_("must not be more than the principal")
MSG_TOO_MANY_DIGITS = N_("has too many digits (at most {max})")
MSG_PAID_RANGE = N_("must be a whole number from 0 to one less than the number of months ({max})")
MSG_NEEDS_AS_OF = N_("needs the date it was shown on (outstanding_as_of)")
MSG_NEEDS_OUTSTANDING = N_("needs the outstanding principal shown on that date (outstanding_principal)")
MSG_DISAGREE = N_(
    "{given} disagrees with instalments_paid {count}: {count} instalments paid leave "
    "{expected}; outstanding_principal and instalments_paid must agree within {tolerance}"
)


# --- single values ----------------------------------------------------------------


def parse_money_value(value: object) -> Decimal:
    """An amount from JSON or a form: str ("¥1,234.50"), int or Decimal; never float or bool."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise MoneyError(f"not an amount: {value!r}")
    if isinstance(value, str):
        return parse_amount(value)
    result = Decimal(value)
    if not result.is_finite():
        raise MoneyError(f"not an amount: {value!r}")
    return result


def check_amount(field: str, value: Decimal, errors: list[FieldError], *, positive: bool = False) -> None:
    if positive and value <= 0:
        errors.append(FieldError(field, MSG_NOT_POSITIVE))
    elif value < 0:
        errors.append(FieldError(field, MSG_NEGATIVE))
    elif value > MAX_AMOUNT:
        errors.append(FieldError(field, MSG_TOO_LARGE, {"max": f"{MAX_AMOUNT:,}"}))
    elif value != value.quantize(Decimal("0.01")):
        errors.append(FieldError(field, N_("has more than two decimal places")))


def check_date(field: str, value: date, errors: list[FieldError]) -> None:
    if not DATE_MIN <= value <= DATE_MAX:
        errors.append(
            FieldError(field, MSG_DATE_RANGE, {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()})
        )


def check_text(
    field: str, value: str, errors: list[FieldError], *, required: bool = False, max_len: int = NAME_MAX
) -> None:
    if required and not value.strip():
        errors.append(FieldError(field, MSG_REQUIRED))
    elif len(value) > max_len:
        errors.append(FieldError(field, MSG_TOO_LONG, {"max": max_len}))


def _as_text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def _as_decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ValueError
    try:
        result = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except ArithmeticError as exc:
        raise ValueError from exc
    if not result.is_finite():
        raise ValueError
    return result


def _as_int(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value.strip())
    raise ValueError


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        raise ValueError
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip())
    raise ValueError


def _as_enum(enum: type[StrEnum]) -> Callable[[object], StrEnum]:
    def convert(value: object) -> StrEnum:
        if isinstance(value, enum):
            return value
        if isinstance(value, str):
            return enum(value.strip())
        raise ValueError

    return convert


# field -> (converter, message when the converter fails)
_CONVERTERS: dict[str, tuple[Callable[[object], Any], str, Mapping[str, object]]] = {
    "name": (_as_text, MSG_NOT_TEXT, {}),
    "lender": (_as_text, MSG_NOT_TEXT, {}),
    "kind": (_as_enum(DebtKind), MSG_CHOICE, {"choices": ", ".join(k.value for k in DebtKind)}),
    "principal": (parse_money_value, MSG_NOT_AMOUNT, {}),
    "start_date": (_as_date, MSG_NOT_DATE, {}),
    "method": (_as_enum(Method), MSG_CHOICE, {"choices": ", ".join(m.value for m in Method)}),
    "months": (_as_int, MSG_NOT_WHOLE, {}),
    "rate": (_as_decimal, MSG_NOT_NUMBER, {}),
    "rate_unit": (_as_enum(RateUnit), MSG_CHOICE, {"choices": ", ".join(u.value for u in RateUnit)}),
    "fee_rate": (_as_decimal, MSG_NOT_NUMBER, {}),
    "due_day": (_as_int, MSG_NOT_WHOLE, {}),
    "grace_days": (_as_int, MSG_NOT_WHOLE, {}),
    "penalty_rate_multiplier": (_as_decimal, MSG_NOT_NUMBER, {}),
    "late_fee_rate_per_day": (_as_decimal, MSG_NOT_NUMBER, {}),
    "overdue_since": (_as_date, MSG_NOT_DATE, {}),
    "overdue_amount": (parse_money_value, MSG_NOT_AMOUNT, {}),
    "received_amount": (parse_money_value, MSG_NOT_AMOUNT, {}),
    "instalments_paid": (_as_int, MSG_NOT_WHOLE, {}),
    "outstanding_principal": (parse_money_value, MSG_NOT_AMOUNT, {}),
    "outstanding_as_of": (_as_date, MSG_NOT_DATE, {}),
    "status": (_as_enum(DebtStatus), MSG_CHOICE, {"choices": ", ".join(s.value for s in DebtStatus)}),
}


def coerce_debt(
    data: Mapping[str, object], *, prefix: str = "", allow_status: bool = False, require: bool = True
) -> tuple[dict[str, Any], list[FieldError]]:
    """Loose debt fields -> typed values. Unknown keys, missing required keys and bad values are errors.

    ``prefix`` is put before each field name in errors (e.g. "debts[3]."), so a
    message says where in a file the problem is.
    """
    errors: list[FieldError] = []
    out: dict[str, Any] = {}
    allowed = set(DEBT_FIELDS) | ({"status"} if allow_status else set())
    for key in data:
        if key not in allowed:
            errors.append(FieldError(f"{prefix}{key}", MSG_UNKNOWN))
    if require:
        for key in REQUIRED_DEBT_FIELDS:
            if data.get(key) is None:
                errors.append(FieldError(f"{prefix}{key}", MSG_REQUIRED))
    for key in (*DEBT_FIELDS, "status"):
        if key not in data or key not in allowed:
            continue
        value = data[key]
        if value is None:
            if key in NULLABLE_DEBT_FIELDS:
                out[key] = None
            elif not require or key not in REQUIRED_DEBT_FIELDS:
                errors.append(FieldError(f"{prefix}{key}", MSG_REQUIRED))
            continue
        convert, message, params = _CONVERTERS[key]
        try:
            out[key] = convert(value)
        except (TypeError, ValueError, ArithmeticError):
            errors.append(FieldError(f"{prefix}{key}", message, params))
    return out, errors


def validate_debt(debt: Debt, *, prefix: str = "") -> list[FieldError]:
    """Every range problem of a typed debt at once."""
    errors: list[FieldError] = []

    def field(name: str) -> str:
        return f"{prefix}{name}"

    check_text(field("name"), debt.name, errors, required=True)
    check_text(field("lender"), debt.lender, errors, required=True)
    check_amount(field("principal"), debt.principal, errors, positive=True)
    check_date(field("start_date"), debt.start_date, errors)
    if not MONTHS_MIN <= debt.months <= MONTHS_MAX:
        errors.append(FieldError(field("months"), MSG_RANGE, {"min": MONTHS_MIN, "max": MONTHS_MAX}))
    ceiling = RATE_CEILING[debt.rate_unit]
    for name, value, top in (
        ("rate", debt.rate, ceiling),
        ("fee_rate", debt.fee_rate, FEE_RATE_CEILING),
        ("late_fee_rate_per_day", debt.late_fee_rate_per_day, LATE_FEE_CEILING),
        ("penalty_rate_multiplier", debt.penalty_rate_multiplier, MULTIPLIER_CEILING),
    ):
        if len(value.as_tuple().digits) > RATE_DIGITS_MAX:
            errors.append(FieldError(field(name), MSG_TOO_MANY_DIGITS, {"max": RATE_DIGITS_MAX}))
        elif value < 0:
            errors.append(FieldError(field(name), MSG_NEGATIVE))
        elif value > top and name == "rate":
            errors.append(FieldError(field(name), MSG_RATE_CEILING[debt.rate_unit], {"max": top}))
        elif value > top:
            errors.append(FieldError(field(name), MSG_TOO_LARGE, {"max": top}))
    if not DUE_DAY_MIN <= debt.due_day <= DUE_DAY_MAX:
        errors.append(FieldError(field("due_day"), MSG_RANGE, {"min": DUE_DAY_MIN, "max": DUE_DAY_MAX}))
    if not 0 <= debt.grace_days <= GRACE_DAYS_MAX:
        errors.append(FieldError(field("grace_days"), MSG_RANGE, {"min": 0, "max": GRACE_DAYS_MAX}))
    if debt.overdue_since is not None:
        before = len(errors)
        check_date(field("overdue_since"), debt.overdue_since, errors)
        if (
            len(errors) == before
            and DATE_MIN <= debt.start_date <= DATE_MAX
            and debt.overdue_since < debt.start_date
        ):
            errors.append(FieldError(field("overdue_since"), MSG_BEFORE_START))
    if debt.overdue_amount is not None:
        check_amount(field("overdue_amount"), debt.overdue_amount, errors)
    if debt.received_amount is not None:
        before = len(errors)
        check_amount(field("received_amount"), debt.received_amount, errors)
        if len(errors) == before and debt.received_amount > debt.principal:
            errors.append(FieldError(field("received_amount"), MSG_MORE_THAN_PRINCIPAL))
    _check_standing(debt, errors, field)
    return errors


def _check_standing(debt: Debt, errors: list[FieldError], field: Callable[[str], str]) -> None:
    """``instalments_paid`` and ``outstanding_principal`` + ``outstanding_as_of`` (domain.standing)."""
    before = len(errors)
    if not 0 <= debt.instalments_paid < max(debt.months, 1):
        errors.append(FieldError(field("instalments_paid"), MSG_PAID_RANGE, {"max": max(debt.months - 1, 0)}))
    if debt.outstanding_principal is not None:
        check_amount(field("outstanding_principal"), debt.outstanding_principal, errors)
        if debt.outstanding_as_of is None:
            errors.append(FieldError(field("outstanding_principal"), MSG_NEEDS_AS_OF))
    if debt.outstanding_as_of is not None:
        size = len(errors)
        check_date(field("outstanding_as_of"), debt.outstanding_as_of, errors)
        if (
            len(errors) == size
            and DATE_MIN <= debt.start_date <= DATE_MAX
            and debt.outstanding_as_of < debt.start_date
        ):
            errors.append(FieldError(field("outstanding_as_of"), MSG_BEFORE_START))
        if debt.outstanding_principal is None:
            errors.append(FieldError(field("outstanding_as_of"), MSG_NEEDS_OUTSTANDING))
    if len(errors) != before or errors or debt.outstanding_principal is None or debt.instalments_paid <= 0:
        return
    from domain.schedules import ScheduleError
    from domain.standing import AGREEMENT_TOLERANCE, paid_instalments_balance

    try:
        expected = paid_instalments_balance(debt)
    except (ScheduleError, ArithmeticError):
        return
    if expected is not None and abs(expected - debt.outstanding_principal) > AGREEMENT_TOLERANCE:
        params = {
            "given": f"{debt.outstanding_principal:.2f}",
            "count": debt.instalments_paid,
            "expected": f"{expected:.2f}",
            "tolerance": f"{AGREEMENT_TOLERANCE:.2f}",
        }
        errors.append(FieldError(field("outstanding_principal"), MSG_DISAGREE, params))


def validate_payment_input(amount: Decimal, on: date, note: str) -> list[FieldError]:
    errors: list[FieldError] = []
    check_amount("amount", amount, errors, positive=True)
    check_date("date", on, errors)
    check_text("note", note, errors, max_len=TEXT_MAX)
    return errors


def validate_lender(lender: Lender) -> list[FieldError]:
    errors: list[FieldError] = []
    check_text("name", lender.name, errors, required=True)
    check_text("phone", lender.phone, errors)
    check_text("address", lender.address, errors, max_len=TEXT_MAX)
    check_text("account_number", lender.account_number, errors)
    return errors


def validate_contact(entry: ContactEntry) -> list[FieldError]:
    errors: list[FieldError] = []
    check_date("when", entry.when.date(), errors)
    check_text("who", entry.who, errors, max_len=2 * NAME_MAX)
    check_text("summary", entry.summary, errors, max_len=TEXT_MAX)
    check_text("phone_number", entry.phone_number, errors, max_len=50)
    for index, name in enumerate(entry.attachments):
        check_text(f"attachments[{index}]", name, errors, required=True, max_len=1000)
    return errors


def validate_budget(budget: Budget) -> list[FieldError]:
    errors: list[FieldError] = []
    check_amount("income", budget.income, errors)
    for category, amount in budget.expenses.items():
        check_text("category", category, errors, required=True)
        check_amount(f"expenses.{category}", amount, errors)
    return errors


# Stand-ins for fields that are missing or failed to parse, so that the range
# checks still run on every other field and all errors come back at once.
_PLACEHOLDERS: dict[str, Any] = {
    "name": "-",
    "lender": "-",
    "kind": DebtKind.OTHER,
    "principal": Decimal("1"),
    "start_date": date(2000, 1, 1),
    "method": Method.EQUAL_INSTALLMENT,
    "months": 1,
}


def check_debt(
    data: Mapping[str, object],
    defaults: Mapping[str, Any] | None = None,
    *,
    prefix: str = "",
    allow_status: bool = False,
    debt_id: int | None = None,
) -> tuple[Debt | None, list[FieldError]]:
    """Loose fields (over ``defaults``) -> a valid Debt, or None and every error found."""
    typed, errors = coerce_debt(data, prefix=prefix, allow_status=allow_status)
    failed = {e.field for e in errors}
    merged: dict[str, Any] = {k: v for k, v in (defaults or {}).items() if k in DEBT_FIELDS or k == "status"}
    merged.update(typed)
    for key, stand_in in _PLACEHOLDERS.items():
        if merged.get(key) is None:
            merged[key] = stand_in
    debt = Debt(id=debt_id, **merged)
    errors.extend(e for e in validate_debt(debt, prefix=prefix) if e.field not in failed)
    return (None if errors else debt), errors
