"""Product presets and legal facts as data, each figure with its source.

Parsing only: the caller hands in the TOML text (``resources.rules`` reads the
files), so this module stays free of I/O.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.debts import DebtKind, Method, RateUnit
from domain.money import D


class RuleError(ValueError):
    """A rules file that is malformed or cites a source it does not define."""


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    title: str
    url: str
    checked: str


@dataclass(frozen=True, slots=True)
class ProductPreset:
    kind: DebtKind
    label_en: str
    label_zh: str
    lender: str
    method: Method
    months: int
    rate: Decimal
    rate_unit: RateUnit
    fee_rate: Decimal
    due_day: int
    grace_days: int
    penalty_rate_multiplier: Decimal
    late_fee_rate_per_day: Decimal
    certainty: str
    sources: tuple[Source, ...]

    def label(self, lang: str) -> str:
        return self.label_zh if lang.startswith("zh") else self.label_en


def parse_sources(data: Mapping[str, Any]) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for key, entry in data.get("sources", {}).items():
        try:
            out[key] = Source(key, str(entry["title"]), str(entry.get("url", "")), str(entry["checked"]))
        except KeyError as exc:
            raise RuleError(f"source {key!r} lacks {exc.args[0]!r}") from exc
    return out


def parse_products(text: str) -> dict[DebtKind, ProductPreset]:
    """Parse products.toml into one preset per debt kind."""
    data = tomllib.loads(text)
    sources = parse_sources(data)
    presets: dict[DebtKind, ProductPreset] = {}
    for key, entry in data.get("products", {}).items():
        try:
            kind = DebtKind(key)
            cited = tuple(sources[s] for s in entry["source"])
            presets[kind] = ProductPreset(
                kind=kind,
                label_en=entry["label_en"],
                label_zh=entry["label_zh"],
                lender=entry["lender"],
                method=Method(entry["method"]),
                months=int(entry["months"]),
                rate=D(entry["rate"]),
                rate_unit=RateUnit(entry["rate_unit"]),
                fee_rate=D(entry["fee_rate"]),
                due_day=int(entry["due_day"]),
                grace_days=int(entry["grace_days"]),
                penalty_rate_multiplier=D(entry["penalty_rate_multiplier"]),
                late_fee_rate_per_day=D(entry["late_fee_rate_per_day"]),
                certainty=entry["certainty"],
                sources=cited,
            )
        except (KeyError, ValueError) as exc:
            raise RuleError(f"product {key!r}: {exc}") from exc
    missing = set(DebtKind) - set(presets)
    if missing:
        raise RuleError(f"no preset for {sorted(missing)}")
    return presets
