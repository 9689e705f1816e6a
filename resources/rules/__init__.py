"""Rules files (TOML, each figure with its source) and their loader."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from domain.debts import DebtKind
from domain.rules import (
    ContactRule,
    Escalation,
    LegalRules,
    LprTable,
    OverdueTerms,
    ProductPreset,
    parse_collection,
    parse_escalation,
    parse_legal,
    parse_lpr,
    parse_overdue_terms,
    parse_products,
)
from resources import RULES

if TYPE_CHECKING:
    from domain.guide import GuideRules


def read_rules_text(name: str) -> str:
    return (RULES / name).read_text(encoding="utf-8")


@cache
def product_presets() -> dict[DebtKind, ProductPreset]:
    return parse_products(read_rules_text("products.toml"))


@cache
def overdue_terms() -> dict[DebtKind, OverdueTerms]:
    return parse_overdue_terms(read_rules_text("products.toml"))


@cache
def legal_rules() -> LegalRules:
    return parse_legal(read_rules_text("legal.toml"))


@cache
def lpr_table() -> LprTable:
    return parse_lpr(read_rules_text("lpr.toml"))


@cache
def escalation_rules() -> Escalation:
    return parse_escalation(read_rules_text("escalation.toml"))


@cache
def collection_rules() -> dict[str, ContactRule]:
    return parse_collection(read_rules_text("collection.toml"))


# The rules files whose sources the guide may cite as "<file>:<key>".
SHARED_SOURCE_FILES = ("collection", "escalation", "legal", "repayment")


@cache
def guide_rules() -> GuideRules:
    """resources/rules/guide.toml, citing the other files' sources by "<file>:<key>"."""
    import tomllib

    from domain.guide import parse_guide
    from domain.rules import parse_sources

    shared = {
        f"{name}:{key}": source
        for name in SHARED_SOURCE_FILES
        for key, source in parse_sources(tomllib.loads(read_rules_text(f"{name}.toml"))).items()
    }
    return parse_guide(read_rules_text("guide.toml"), shared)
