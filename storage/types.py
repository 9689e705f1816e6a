"""Column types that keep money and rates exact in SQLite.

Money is stored as INTEGER fen and comes back as Decimal yuan; rates are stored
as exact decimal TEXT ("0.05", not 0.05000000000000000277). Lists of short
strings (conduct flags, attachment names) are stored as sorted-key JSON text so
the same value always gives the same bytes.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import Dialect, Integer, Text
from sqlalchemy.types import TypeDecorator

from domain.money import D, from_fen, to_fen


def canonical_decimal_text(value: Decimal) -> str:
    """'4.90' -> '4.9', '100' -> '100', '0.050' -> '0.05': one text per number."""
    text = format(D(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


class Fen(TypeDecorator[Decimal]):
    """Decimal yuan in Python, INTEGER fen in the database."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        return None if value is None else to_fen(D(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        # from_fen refuses anything but an int: a real number stored here is never cut to whole fen
        # (storage.rows reads rows that may be damaged; this type only ever sees checked ones).
        return None if value is None else from_fen(value)


class ExactDecimal(TypeDecorator[Decimal]):
    """Decimal in Python, exact decimal TEXT in the database (rates, multipliers)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else canonical_decimal_text(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else D(str(value))


class StringList(TypeDecorator[list[str]]):
    """A short list of strings as JSON text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(list(value), ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> list[str] | None:
        if value is None:
            return None
        loaded = json.loads(value)
        return [str(item) for item in loaded]
