from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.money import D, MoneyError, from_fen, money_str, parse_amount, round_fen, to_fen


def test_float_is_refused():
    with pytest.raises(MoneyError):
        D(0.1)  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        D(True)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-inf", "abc", ""])
def test_non_numbers_are_refused(bad):
    with pytest.raises(MoneyError):
        D(bad)


def test_round_half_up_not_half_even():
    assert round_fen(Decimal("0.125")) == Decimal("0.13")
    assert round_fen(Decimal("0.135")) == Decimal("0.14")
    assert round_fen(Decimal("-0.125")) == Decimal("-0.13")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¥1,234.50", "1234.50"),
        ("￥1,234.50", "1234.50"),
        ("1，234.50", "1234.50"),
        ("CN¥12,345.68", "12345.68"),
        ("１２３４．５", "1234.5"),
        ("1234.5元", "1234.5"),
        (" 500 ", "500"),
        ("-20", "-20"),
    ],
)
def test_parse_amount_accepts_what_people_type(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("bad", ["1.234,50", "12,34", "1..2", "¥", "1e5", "一千"])
def test_parse_amount_rejects_ambiguous_or_foreign_forms(bad):
    with pytest.raises(MoneyError):
        parse_amount(bad)


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_fen_round_trip(fen):
    assert to_fen(from_fen(fen)) == fen
    assert money_str(from_fen(fen)) == f"{from_fen(fen):.2f}"
