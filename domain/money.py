"""Money as Decimal, stored as integer fen; never float.

Every rounding point names its mode. Lenders round each period's figures to the
fen half-up, so that is the one rounding mode used for money here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.errors import DomainError

# The constants every module uses, defined here once.
FEN = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")
# The largest amount the program accepts anywhere: one trillion yuan. Larger
# figures are typing mistakes, and keep fen inside SQLite's 64-bit integers.
MAX_AMOUNT = Decimal("1000000000000")


class MoneyError(DomainError):
    """A value that cannot be money (float, NaN, text that is not a number)."""


def D(value: str | int | Decimal) -> Decimal:
    """Make a Decimal from str, int or Decimal. Floats are refused: they lose fen."""
    if isinstance(value, bool | float):
        raise MoneyError(f"refusing {type(value).__name__} {value!r}: use str, int or Decimal")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as exc:
            raise MoneyError(f"not a number: {value!r}") from exc
    else:
        raise MoneyError(f"refusing {type(value).__name__}: use str, int or Decimal")
    if not result.is_finite():
        raise MoneyError(f"not a finite number: {value!r}")
    return result


def round_fen(amount: Decimal) -> Decimal:
    """Round to the fen, half-up, as lenders print amounts."""
    return D(amount).quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal) -> int:
    """Decimal yuan -> integer fen (rounded half-up to the fen first)."""
    return int(round_fen(amount) * 100)


def from_fen(fen: int) -> Decimal:
    """Integer fen -> Decimal yuan with two places."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise MoneyError(f"fen must be int, got {type(fen).__name__}")
    return (Decimal(fen) / 100).quantize(FEN)


def money_str(amount: Decimal) -> str:
    """The JSON form of an amount: two decimals, no grouping ("1066.19")."""
    return f"{round_fen(amount):.2f}"


def fen_str(fen: int) -> str:
    """``money_str(from_fen(fen))`` computed on the integer alone (exports format 100,000s of them)."""
    if type(fen) is not int:  # bool is a subclass of int, and not an amount
        raise MoneyError(f"fen must be int, got {type(fen).__name__}")
    if fen < 0:
        return "-" + fen_str(-fen)
    return "%d.%02d" % divmod(fen, 100)  # noqa: UP031 - twice as fast as a format string, for 100,000s


_SYMBOLS = re.compile(r"(CN¥|RMB|CNY|¥|￥|元|yuan)", re.IGNORECASE)
_FULLWIDTH = str.maketrans("０１２３４５６７８９，．－＋　", "0123456789,.-+ ")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_amount(text: str) -> Decimal:
    """Parse what people type for an amount: "¥1,234.50", "1，234.50", "1234.5元".

    Raises MoneyError when the text is not an amount. Sign is kept: callers
    decide whether a negative amount is allowed. Not rounded: callers decide.
    """
    if not isinstance(text, str):
        raise MoneyError(f"expected text, got {type(text).__name__}")
    cleaned = _SYMBOLS.sub("", text.translate(_FULLWIDTH)).replace(" ", "").replace("\u00a0", "")
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _PLAIN.match(cleaned):
        raise MoneyError(f"not an amount: {text!r}")
    return D(cleaned)
