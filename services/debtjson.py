"""One debt in the command line's JSON contract, both ways, and JSON read with exact decimals.

``debt_to_json``/``debt_from_json`` are the contract's debt object; amounts are
"1066.19", rates exact percent text. ``loads`` never turns a number into a float.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from domain.debts import N_, Debt, FieldError, Payment
from domain.money import fen_str, money_str
from domain.validation import DEBT_FIELDS, coerce_debt
from services.errors import ValidationError
from storage.types import canonical_decimal_text

if TYPE_CHECKING:
    from services.summaries import DebtSummary

MONEY_FIELDS = ("principal", "overdue_amount", "received_amount", "outstanding_principal")
RATE_FIELDS = ("rate", "fee_rate", "penalty_rate_multiplier", "late_fee_rate_per_day")


def plain_json(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        raise TypeError("decimals are formatted by field")
    if hasattr(value, "value"):  # StrEnum
        return str(value.value)
    return value


def debt_to_json(
    debt: Debt,
    *,
    balance: Decimal | None = None,
    days_overdue: int | None = None,
    payments: Sequence[Payment] | None = None,
    with_id: bool = True,
    with_status: bool = False,
) -> dict[str, Any]:
    """A debt as the contract's JSON object (amounts "1066.19", rates exact percent text)."""
    out: dict[str, Any] = {}
    if with_id and debt.id is not None:
        out["id"] = debt.id
    for name in DEBT_FIELDS:
        value = getattr(debt, name)
        if name in MONEY_FIELDS:
            out[name] = None if value is None else money_str(value)
        elif name in RATE_FIELDS:
            out[name] = canonical_decimal_text(value)
        else:
            out[name] = plain_json(value)
    if with_status:
        out["status"] = debt.status.value
    if balance is not None:
        out["balance"] = money_str(balance)
    if days_overdue is not None:
        out["days_overdue"] = days_overdue
    if payments is not None:
        out["payments"] = [payment_to_json(p) for p in payments]
    return out


def summary_to_json(summary: DebtSummary, payments: Sequence[Payment] | None = None) -> dict[str, Any]:
    """A debt as ``debt list --json`` / ``debt show --json`` print it: the contract's object with
    ``balance``, ``days_overdue``, the derived ``status`` (``domain.status``) and ``apr``, the
    debt's one effective annual rate (``domain.apr``, percent, null when no rate balances)."""
    from domain.apr import debt_apr

    out = debt_to_json(
        summary.debt, balance=summary.balance, days_overdue=summary.days_overdue, payments=payments
    )
    out["status"] = summary.standing.value
    apr = debt_apr(summary.debt)
    out["apr"] = None if apr is None else f"{apr.quantize(Decimal('0.01')):f}"
    return out


def payment_to_json(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.id,
        "date": payment.date.isoformat(),
        "amount": money_str(payment.amount),
        "fees": money_str(payment.fees),
        "interest": money_str(payment.interest),
        "principal": money_str(payment.principal),
    }


def payment_values_to_json(v: Mapping[str, Any]) -> dict[str, Any]:
    """``payment_to_json`` from a payment's checked values (money in integer fen), without Decimal."""
    return {
        "id": v["id"],
        "date": v["date"].isoformat(),
        "amount": fen_str(v["amount"]),
        "fees": fen_str(v["fees"]),
        "interest": fen_str(v["interest"]),
        "principal": fen_str(v["principal"]),
    }


def debt_from_json(obj: object, *, prefix: str = "") -> tuple[dict[str, Any], list[FieldError]]:
    """The contract's debt object -> typed fields for ``Services.add_debt``, and every error found.

    Unknown keys are errors; required keys must be present. Range checks run in
    ``add_debt`` (they need the kind's preset for the fields left out).
    """
    if not isinstance(obj, Mapping):
        return {}, [FieldError(prefix.rstrip(".") or "debt", N_("must be a JSON object"))]
    return coerce_debt(obj, prefix=prefix)


# Longer digit strings cannot be an id (SQLite's are at most 19 digits) or an amount the program
# accepts: they stay Decimal, so the checks name the field ("must be at most ..."), and Python's
# limit on converting long digit strings to int (4,300 digits) is never reached.
INT_DIGITS_MAX = 30


def _parse_int(text: str) -> int | Decimal:
    return int(text) if len(text) <= INT_DIGITS_MAX else Decimal(text)


def _parse_float(text: str) -> Decimal | float:
    try:
        return Decimal(text)
    except ArithmeticError:  # an exponent too large for Decimal ("1e99999…"): as JSON's Infinity
        return float(text)


def loads(text: str | bytes) -> Any:
    """JSON with exact decimals (a number such as 0.05 never becomes a float).

    Text that is not JSON, not UTF-8, or nested too deeply to read raises ValidationError.
    """
    try:
        return json.loads(text, parse_float=_parse_float, parse_int=_parse_int)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise unreadable(exc) from None


# What ``loads`` reads numbers as, for readers that parse a document a piece at a time.
DECODER = json.JSONDecoder(parse_float=_parse_float, parse_int=_parse_int)


def unreadable(exc: json.JSONDecodeError | UnicodeDecodeError | RecursionError) -> ValidationError:
    """The problem of text that cannot be read as JSON, as ``loads`` reports it."""
    if isinstance(exc, RecursionError):
        return ValidationError([FieldError("JSON", N_("nested too deeply to read"))])
    return ValidationError([_json_error(exc)])


def read_debt_json(text: str | bytes) -> Mapping[str, Any]:
    """Parse the text of one debt object (field checks are left to ``Services.add_debt``,
    which reports every problem at once, ranges included)."""
    obj = loads(text)
    if not isinstance(obj, Mapping):
        raise ValidationError([FieldError("debt", N_("must be a JSON object"))])
    return obj


def _json_error(exc: ValueError) -> FieldError:
    if isinstance(exc, json.JSONDecodeError):
        return FieldError(
            "JSON",
            N_("not valid JSON (line {line}, column {column}: {reason})"),
            {"line": exc.lineno, "column": exc.colno, "reason": exc.msg},
        )
    return FieldError("JSON", N_("not UTF-8 text"))
