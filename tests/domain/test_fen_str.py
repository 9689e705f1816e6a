"""fen_str: the JSON form of an amount straight from integer fen, the same text as through Decimal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.money import MAX_AMOUNT, MoneyError, fen_str, from_fen, money_str

MAX_FEN = int(MAX_AMOUNT * 100)


@given(st.integers(min_value=-MAX_FEN, max_value=MAX_FEN))
def test_fen_str_is_money_str_of_the_amount(fen):
    assert fen_str(fen) == money_str(from_fen(fen))


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "0.00"), (5, "0.05"), (100, "1.00"), (106619, "1066.19"), (-5, "-0.05"), (-100001, "-1000.01")],
)
def test_fen_str_examples(fen, text):
    assert fen_str(fen) == text


@pytest.mark.parametrize("bad", [True, 1.5, "100"])
def test_fen_str_takes_only_integers(bad):
    with pytest.raises(MoneyError):
        fen_str(bad)
