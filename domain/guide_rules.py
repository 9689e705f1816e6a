"""resources/rules/guide.toml as values: the questions, texts and steps of the guide, each cited.

``parse_guide`` refuses a file that lacks a question, a fact or a step's wording, or gives a
certainty other than law, typical or depends (RuleError naming what is wrong).
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.debts import DebtKind
from domain.rules import Cited, RuleError, Source, parse_cited, parse_sources

TOPICS = (
    "hometown_visit",
    "lawsuit",
    "criminal",
    "credit_report",
    "limitation",
    "collection_rules",
    "negotiation",
    "borrowing_to_repay",
)
QUESTIONS = (*TOPICS, "court_papers", "in_court")
CERTAINTIES = ("law", "typical", "depends")  # from the most certain to the least
WHEN = ("this_week", "this_month")
APPLIES = ("always", "overdue", "broken", "debts")
FACTS = ("payment_order_days", "credit_kept_years", "free_reports", "dispute_days", "new_loan")
OPEN_STANDINGS = ("current", "overdue")
THIRD_PARTY_RULES = ("third_party", "hometown", "disclosed_debt", "public_exposure")
PRODUCT_KINDS = frozenset(DebtKind) - {DebtKind.CREDIT_CARD, DebtKind.PRIVATE_LOAN}


@dataclass(frozen=True, slots=True)
class GuideText:
    key: str
    text: str
    cited: Cited


@dataclass(frozen=True, slots=True)
class GuideStepRule:
    key: str
    when: str
    applies: str
    action: str
    why: str
    cited: Cited


@dataclass(frozen=True, slots=True)
class GuideRules:
    """resources/rules/guide.toml: questions, texts, steps and figures, each with its citation."""

    questions: Mapping[str, str]
    texts: Mapping[str, GuideText]
    steps: tuple[GuideStepRule, ...]
    facts: Mapping[str, Mapping[str, Any]]
    fact_cited: Mapping[str, Cited]
    next_kinds: tuple[str, ...]
    event_words: Mapping[str, str]
    when_words: Mapping[str, str]

    def fact(self, key: str, name: str = "value") -> Any:
        return self.facts[key][name]


def _cited(entry: Mapping[str, Any], sources: Mapping[str, Source], where: str) -> Cited:
    """parse_cited, with "depends" allowed besides law and typical."""
    certainty = entry.get("certainty")
    if certainty not in CERTAINTIES:
        raise RuleError(f"{where}: certainty must be one of {CERTAINTIES}, not {certainty!r}")
    cited = parse_cited({**entry, "certainty": "law"}, sources, where)
    return dataclasses.replace(cited, certainty=str(certainty))


def parse_guide(text: str, shared: Mapping[str, Source]) -> GuideRules:
    """Parse guide.toml; ``shared`` holds the other rules files' sources as "<file>:<key>"."""
    data = tomllib.loads(text)
    sources = {**shared, **parse_sources(data)}
    try:
        questions = {str(k): str(v) for k, v in data["questions"].items()}
        texts = {
            key: GuideText(key, str(entry["text"]), _cited(entry, sources, f"texts.{key}"))
            for key, entry in data["texts"].items()
        }
        steps = tuple(
            GuideStepRule(
                str(e["key"]),
                str(e["when"]),
                str(e["applies"]),
                str(e["action"]),
                str(e["why"]),
                _cited(e, sources, f"steps[{i}]"),
            )
            for i, e in enumerate(data["steps"])
        )
        facts = {
            key: {k: v for k, v in entry.items() if k not in ("source", "certainty", "checked")}
            for key, entry in data["facts"].items()
        }
        fact_cited = {key: _cited(entry, sources, f"facts.{key}") for key, entry in data["facts"].items()}
        rules = GuideRules(
            questions,
            texts,
            steps,
            facts,
            fact_cited,
            tuple(data["next"]["kinds"]),
            dict(data["event_words"]),
            dict(data["when"]),
        )
    except (KeyError, TypeError) as exc:
        raise RuleError(f"guide.toml: {exc}") from exc
    missing = [q for q in QUESTIONS if q not in questions] + [f for f in FACTS if f not in facts]
    missing += [k for k in rules.next_kinds if k not in rules.event_words]
    missing += [s.when for s in steps if s.when not in rules.when_words]
    bad = [s.key for s in steps if s.when not in WHEN or s.applies not in APPLIES]
    if missing or bad:
        raise RuleError(f"guide.toml lacks {missing} / has bad steps {bad}")
    return rules
