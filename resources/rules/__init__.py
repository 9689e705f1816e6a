"""Rules files (TOML, each figure with its source) and their loader."""

from __future__ import annotations

from functools import cache

from domain.debts import DebtKind
from domain.rules import ProductPreset, parse_products
from resources import RULES


def read_rules_text(name: str) -> str:
    return (RULES / name).read_text(encoding="utf-8")


@cache
def product_presets() -> dict[DebtKind, ProductPreset]:
    return parse_products(read_rules_text("products.toml"))
