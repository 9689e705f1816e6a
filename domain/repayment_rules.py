"""Repayment terms as data (resources/rules/repayment.toml): revolving minimum payments and
the longest instalment term to propose, each with its source. Parsing only, no I/O."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.debts import DebtKind
from domain.money import D
from domain.rules import RuleError, Source, parse_sources
from domain.schedules import MinimumPayment


@dataclass(frozen=True, slots=True)
class TermLimit:
    months: int
    certainty: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class RepaymentRules:
    minimums: Mapping[DebtKind, MinimumPayment]
    minimum_sources: Mapping[DebtKind, tuple[Source, ...]]
    max_terms: Mapping[DebtKind, TermLimit]
    default_max_term: TermLimit
    token_payment: Decimal  # offered to each lender when nothing is affordable
    token_sources: tuple[Source, ...]

    def minimum_for(self, kind: DebtKind) -> MinimumPayment | None:
        return self.minimums.get(kind)

    def max_term_for(self, kind: DebtKind) -> TermLimit:
        return self.max_terms.get(kind, self.default_max_term)


def parse_repayment_rules(text: str) -> RepaymentRules:
    data: Mapping[str, Any] = tomllib.loads(text)
    sources = parse_sources(data)
    minimums: dict[DebtKind, MinimumPayment] = {}
    minimum_sources: dict[DebtKind, tuple[Source, ...]] = {}
    max_terms: dict[DebtKind, TermLimit] = {}
    default: TermLimit | None = None
    try:
        for key, entry in data.get("minimum", {}).items():
            kind = DebtKind(key)
            minimums[kind] = MinimumPayment(D(entry["percent"]), D(entry.get("floor", "0")))
            minimum_sources[kind] = tuple(sources[s] for s in entry["source"])
        for key, entry in data.get("max_term", {}).items():
            limit = TermLimit(
                int(entry["months"]), str(entry["certainty"]), tuple(sources[s] for s in entry["source"])
            )
            if not 1 <= limit.months <= 600:
                raise RuleError(f"max_term {key}: months out of range")
            if key == "default":
                default = limit
            else:
                max_terms[DebtKind(key)] = limit
    except (KeyError, ValueError, TypeError) as exc:
        raise RuleError(f"repayment rules: {exc}") from exc
    if default is None:
        raise RuleError("repayment rules lack max_term.default")
    try:
        token = data["token"]
        token_payment = D(token["amount"])
        token_sources = tuple(sources[s] for s in token["source"])
    except (KeyError, ValueError, TypeError) as exc:
        raise RuleError(f"repayment rules: token: {exc}") from exc
    return RepaymentRules(minimums, minimum_sources, max_terms, default, token_payment, token_sources)
