"""Triage rules: which consequences of missed payments weigh most, as data with their sources.

Each factor of resources/rules/triage.toml is one consequence (a pledged home or car, the card
criminal threshold, a guarantor pursued, a lawsuit, a first credit-report entry) with its weight,
the debt kinds it applies to and when it has already happened. ``domain.strategies`` uses them to
keep current the debts whose missed payments hurt most.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from domain.debts import DebtKind
from domain.money import ZERO, D
from domain.rules import RuleError, Source, parse_sources

if TYPE_CHECKING:
    from domain.strategies import PlanDebt


@dataclass(frozen=True, slots=True)
class SeverityFactor:
    """One consequence of missing payments, and how much it weighs in triage."""

    key: str
    weight: int
    kinds: frozenset[DebtKind]
    consequence: str  # English msgid, translated where shown
    certainty: str  # "law" or "typical"
    sources: tuple[Source, ...]
    min_principal: Decimal | None = None  # applies only from this principal on
    min_days_overdue: int = 0  # applies only once this overdue (or if missing now would make it so)
    happened_after_days: int | None = None  # already happened once this many days overdue
    principal_of_kind: bool = False  # min_principal counts every debt of these kinds together


def _principal(debt: PlanDebt) -> Decimal:
    return debt.balance if debt.principal is None else debt.principal


@dataclass(frozen=True, slots=True)
class TriageRules:
    factors: tuple[SeverityFactor, ...]

    def _applies(self, f: SeverityFactor, debt: PlanDebt, others: Sequence[PlanDebt]) -> bool:
        if debt.kind not in f.kinds or debt.days_overdue + 30 < f.min_days_overdue:
            return False
        if f.min_principal is None:
            return True
        principal = _principal(debt)
        if f.principal_of_kind:
            principal += sum((_principal(o) for o in others if o.id != debt.id and o.kind in f.kinds), ZERO)
        return principal >= f.min_principal

    def factors_for(self, debt: PlanDebt, others: Sequence[PlanDebt] = ()) -> tuple[SeverityFactor, ...]:
        """Every consequence missing this debt's payments risks or has already brought.

        ``others``: the person's other debts, for factors that add debts of a kind together.
        """
        return tuple(f for f in self.factors if self._applies(f, debt, others))

    @staticmethod
    def happened(f: SeverityFactor, debt: PlanDebt) -> bool:
        """Has this consequence already happened (so paying part of the debt no longer averts it)?"""
        return f.happened_after_days is not None and debt.days_overdue >= f.happened_after_days

    def ahead(self, debt: PlanDebt, others: Sequence[PlanDebt] = ()) -> tuple[SeverityFactor, ...]:
        """The consequences a payment this month can still avert."""
        return tuple(f for f in self.factors_for(debt, others) if not self.happened(f, debt))

    def severity(self, debt: PlanDebt, others: Sequence[PlanDebt] = ()) -> int:
        return sum(f.weight for f in self.ahead(debt, others))


def parse_triage_rules(text: str) -> TriageRules:
    """Parse triage.toml: ``[[factors]]`` each with key, weight, kinds, consequence, source."""
    data: Mapping[str, Any] = tomllib.loads(text)
    sources = parse_sources(data)
    factors = []
    for entry in data.get("factors", []):
        try:
            factors.append(
                SeverityFactor(
                    key=str(entry["key"]),
                    weight=int(entry["weight"]),
                    kinds=frozenset(DebtKind(k) for k in entry["kinds"]),
                    consequence=str(entry["consequence"]),
                    certainty=str(entry["certainty"]),
                    sources=tuple(sources[s] for s in entry["source"]),
                    min_principal=D(entry["min_principal"]) if "min_principal" in entry else None,
                    min_days_overdue=int(entry.get("min_days_overdue", 0)),
                    happened_after_days=(
                        int(entry["happened_after_days"]) if "happened_after_days" in entry else None
                    ),
                    principal_of_kind=bool(entry.get("principal_of_kind", False)),
                )
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise RuleError(f"triage factor {entry.get('key', '?')!r}: {exc}") from exc
    if not factors:
        raise RuleError("triage rules define no factors")
    return TriageRules(tuple(factors))
