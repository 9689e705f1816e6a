"""Product presets and legal facts as data, each figure with its source.

Parsing only: the caller hands in the TOML text (``resources.rules`` reads the
files), so this module stays free of I/O.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.debts import DebtKind, Method, RateUnit
from domain.errors import DomainError
from domain.money import D


class RuleError(DomainError):
    """A rules file that is malformed or cites a source it does not define."""


def is_chinese(lang: str) -> bool:
    """Whether ``lang`` ("zh", "zh_CN", "zh-Hans" ...) is shown in Chinese."""
    return lang.lower().startswith("zh")


_ASCII_NOTE = re.compile(r"\s*\(([^()]*)\)")


@dataclass(frozen=True, slots=True)
class Source:
    """A cited document: its title in English and Chinese, where to find it, when it was checked."""

    key: str
    title: str
    url: str
    checked: str
    title_zh: str = ""
    url_zh: str = ""  # only where ``url`` is prose rather than an address or a Chinese name

    def title_for(self, lang: str) -> str:
        """The title in the language shown (the English one when no Chinese title is given)."""
        return self.title_zh if is_chinese(lang) and self.title_zh else self.title

    def where_for(self, lang: str) -> str:
        """Where to find the source, in the language shown. In Chinese an address's note loses
        its brackets: the whole is shown in full-width ones, and two closing marks in a row
        could start a printed line."""
        if not is_chinese(lang):
            return self.url
        return self.url_zh or _ASCII_NOTE.sub(r" \1", self.url)

    def text_for(self, lang: str) -> str:
        """ "title (where)" in the language shown."""
        where = self.where_for(lang)
        title = self.title_for(lang)
        if not where:
            return title
        return f"{title}（{where}）" if is_chinese(lang) else f"{title} ({where})"


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
            out[key] = Source(
                key,
                str(entry["title"]),
                str(entry.get("url", "")),
                str(entry["checked"]),
                title_zh=str(entry.get("title_zh", "")),
                url_zh=str(entry.get("url_zh", "")),
            )
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


# --- rules with their citation: overdue terms, legal facts, LPR, escalation, collection

CERTAINTIES = ("law", "typical")


@dataclass(frozen=True, slots=True)
class Cited:
    """Where a figure comes from: its sources, "law" or "typical", and when it was checked."""

    sources: tuple[Source, ...]
    certainty: str
    checked: str

    @property
    def source_text(self) -> str:
        """The sources as one English line: "title (address); title (address)"."""
        return self.source_text_for("en_US")

    def source_text_for(self, lang: str) -> str:
        """The sources as one line in the language shown."""
        return ("；" if is_chinese(lang) else "; ").join(s.text_for(lang) for s in self.sources)


def parse_cited(entry: Mapping[str, Any], sources: Mapping[str, Source], where: str) -> Cited:
    """The citation of one rule; RuleError when a source is unknown or a field is missing."""
    keys = entry.get("source")
    if isinstance(keys, str):
        keys = [keys]
    if not keys:
        raise RuleError(f"{where}: no source")
    try:
        cited = tuple(sources[k] for k in keys)
    except KeyError as exc:
        raise RuleError(f"{where}: unknown source {exc.args[0]!r}") from exc
    certainty = entry.get("certainty")
    if certainty not in CERTAINTIES:
        raise RuleError(f"{where}: certainty must be one of {CERTAINTIES}, not {certainty!r}")
    checked = str(entry.get("checked") or max(s.checked for s in cited))
    try:
        date.fromisoformat(checked)
    except ValueError as exc:
        raise RuleError(f"{where}: checked is not a date: {checked!r}") from exc
    return Cited(cited, str(certainty), checked)


@dataclass(frozen=True, slots=True)
class OverdueTerms:
    """How a kind of debt charges for lateness (products.toml [overdue.<kind>]).

    The debt's own fields (rate, penalty_rate_multiplier, late_fee_rate_per_day,
    grace_days) are not here: they are per debt and win over any preset.
    """

    kind: DebtKind
    penalty_interest: bool
    penalty_base: str  # "principal" | "principal_and_interest"
    late_fee_base: str  # "overdue_amount" | "overdue_principal"
    cycle_fee_percent: Decimal
    late_fee_cap_percent: Decimal | None
    rate_fallback: str  # "lpr" | "none"
    report_day_min: int
    report_day_typical: int
    report_day_max: int
    cited: Cited


OVERRIDABLE_TERMS = (
    "penalty_interest",
    "penalty_base",
    "late_fee_base",
    "cycle_fee_percent",
    "late_fee_cap_percent",
    "rate_fallback",
    "report_day_min",
    "report_day_typical",
    "report_day_max",
)


def _terms_from(kind: DebtKind, entry: Mapping[str, Any], cited: Cited) -> OverdueTerms:
    cap = str(entry.get("late_fee_cap_percent", "")).strip()
    terms = OverdueTerms(
        kind=kind,
        penalty_interest=bool(entry["penalty_interest"]),
        penalty_base=str(entry["penalty_base"]),
        late_fee_base=str(entry["late_fee_base"]),
        cycle_fee_percent=D(str(entry["cycle_fee_percent"])),
        late_fee_cap_percent=D(cap) if cap else None,
        rate_fallback=str(entry["rate_fallback"]),
        report_day_min=int(entry["report_day_min"]),
        report_day_typical=int(entry["report_day_typical"]),
        report_day_max=int(entry["report_day_max"]),
        cited=cited,
    )
    if terms.penalty_base not in ("principal", "principal_and_interest"):
        raise ValueError(f"penalty_base {terms.penalty_base!r}")
    if terms.late_fee_base not in ("overdue_amount", "overdue_principal"):
        raise ValueError(f"late_fee_base {terms.late_fee_base!r}")
    if terms.rate_fallback not in ("lpr", "none"):
        raise ValueError(f"rate_fallback {terms.rate_fallback!r}")
    cap_value = terms.late_fee_cap_percent
    if terms.cycle_fee_percent < 0 or (cap_value is not None and cap_value < 0):
        raise ValueError("negative percent")
    return terms


def override_terms(terms: OverdueTerms, overrides: Mapping[str, object]) -> OverdueTerms:
    """The person's contract figures for one debt, laid over the kind's preset."""
    if not overrides:
        return terms
    unknown = set(overrides) - set(OVERRIDABLE_TERMS)
    if unknown:
        raise RuleError(f"unknown overdue terms {sorted(unknown)}")
    entry: dict[str, object] = {name: getattr(terms, name) for name in OVERRIDABLE_TERMS}
    if entry["late_fee_cap_percent"] is None:
        entry["late_fee_cap_percent"] = ""
    entry.update(overrides)
    try:
        return _terms_from(terms.kind, entry, terms.cited)
    except (KeyError, ValueError) as exc:
        raise RuleError(f"overdue terms: {exc}") from exc


def parse_overdue_terms(text: str) -> dict[DebtKind, OverdueTerms]:
    """Parse the [overdue.<kind>] sections of products.toml."""
    data = tomllib.loads(text)
    sources = parse_sources(data)
    out: dict[DebtKind, OverdueTerms] = {}
    for key, entry in data.get("overdue", {}).items():
        try:
            kind = DebtKind(key)
            out[kind] = _terms_from(kind, entry, parse_cited(entry, sources, f"overdue.{key}"))
        except (KeyError, ValueError) as exc:
            raise RuleError(f"overdue.{key}: {exc}") from exc
    missing = set(DebtKind) - set(out)
    if missing:
        raise RuleError(f"no overdue terms for {sorted(missing)}")
    return out


@dataclass(frozen=True, slots=True)
class Rule:
    """One legal or practice rule: its figures (``params``) and citation."""

    key: str
    params: Mapping[str, Any]
    cited: Cited

    def applies(self, kind: DebtKind) -> bool:
        kinds = self.params.get("applies_to", ["all"])
        return "all" in kinds or kind.value in kinds

    def decimal(self, name: str) -> Decimal:
        return D(str(self.params[name]))

    def integer(self, name: str) -> int:
        return int(self.params[name])


def _rules_in(table: Mapping[str, Any], sources: Mapping[str, Source], prefix: str) -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for key, entry in table.items():
        params = {k: v for k, v in entry.items() if k not in ("source", "certainty", "checked")}
        out[key] = Rule(key, params, parse_cited(entry, sources, f"{prefix}.{key}"))
    return out


@dataclass(frozen=True, slots=True)
class LegalRules:
    rules: Mapping[str, Rule]
    limitation: Mapping[str, Rule]

    def day_count(self) -> tuple[int, int]:
        """Days in a year and in a month for turning rates into daily rates."""
        rule = self.rules["day_count"]
        return rule.integer("days_per_year"), rule.integer("days_per_month")


LEGAL_RULES = (
    "day_count",
    "private_rate_cap",
    "private_overdue_cap",
    "old_private_lines",
    "advance_interest",
    "excessive_penalty",
    "card_reduce",
    "financial_line",
    "financial_line_card",
    "penalty_surcharge",
)
LIMITATION_RULES = ("period", "demand", "payment", "after_expiry")


def parse_legal(text: str) -> LegalRules:
    data = tomllib.loads(text)
    sources = parse_sources(data)
    legal = LegalRules(
        _rules_in(data.get("rules", {}), sources, "rules"),
        _rules_in(data.get("limitation", {}), sources, "limitation"),
    )
    missing = [k for k in LEGAL_RULES if k not in legal.rules]
    missing += [k for k in LIMITATION_RULES if k not in legal.limitation]
    if missing:
        raise RuleError(f"legal.toml lacks {missing}")
    return legal


@dataclass(frozen=True, slots=True)
class LprEntry:
    effective: date
    one_year: Decimal  # percent a year
    cited: Cited


@dataclass(frozen=True, slots=True)
class LprTable:
    entries: tuple[LprEntry, ...]  # sorted by date
    confirmed_through: date
    cited: Cited

    def at(self, day: date) -> LprEntry | None:
        """The one-year LPR in force on ``day``; None before the first quotation."""
        found: LprEntry | None = None
        for entry in self.entries:
            if entry.effective <= day:
                found = entry
            else:
                break
        return found


def parse_lpr(text: str) -> LprTable:
    data = tomllib.loads(text)
    sources = parse_sources(data)
    entries = []
    for i, entry in enumerate(data.get("lpr", [])):
        try:
            rate = D(str(entry["one_year"]))
            if not Decimal("0") < rate < Decimal("100"):
                raise ValueError(f"rate {rate}")
            entries.append(
                LprEntry(date.fromisoformat(entry["date"]), rate, parse_cited(entry, sources, f"lpr[{i}]"))
            )
        except (KeyError, ValueError) as exc:
            raise RuleError(f"lpr[{i}]: {exc}") from exc
    if not entries:
        raise RuleError("lpr.toml has no entries")
    entries.sort(key=lambda e: e.effective)
    meta = data.get("meta", {})
    return LprTable(
        tuple(entries), date.fromisoformat(meta["confirmed_through"]), parse_cited(meta, sources, "meta")
    )


@dataclass(frozen=True, slots=True)
class Step:
    """One escalation step (or risk class): when it starts, for which kinds, and its text."""

    key: str
    kinds: frozenset[str]
    day: int | str  # a day number, or "grace" / "report" (taken from the debt / its kind)
    day_to: int | None  # last day of a range; None with open_ended = from ``day`` on
    open_ended: bool
    kind: str
    text: str  # English msgid, translated where shown
    commonly: bool
    cited: Cited
    name: str = ""  # risk class name (关注 ...)
    after_judgment: bool = False  # only after a judgment the program cannot know of: never past
    severity: int = 0  # how serious the step is for the person (higher: worse), to pick what matters most
    possible: bool = False  # depends on the lender's (or a court's) choice: possible, never dated

    def applies(self, kind: DebtKind) -> bool:
        return "all" in self.kinds or kind.value in self.kinds


@dataclass(frozen=True, slots=True)
class Escalation:
    steps: tuple[Step, ...]
    risk_classes: tuple[Step, ...]
    report_bucket_days: int
    report_max_code: int
    report_cited: Cited
    criminal: Rule
    report_severity: int = 0


def _step(entry: Mapping[str, Any], sources: Mapping[str, Source], where: str, kind: str) -> Step:
    day = entry["day"]
    if isinstance(day, str) and day not in ("grace", "report"):
        raise RuleError(f"{where}: day {day!r}")
    day_to = entry.get("day_to")
    return Step(
        key=str(entry["key"]),
        kinds=frozenset(entry["kinds"]),
        day=day if isinstance(day, str) else int(day),
        day_to=int(day_to) if day_to is not None else None,
        open_ended=bool(entry.get("open", False)),
        kind=kind,
        text=str(entry["text"]),
        commonly=bool(entry.get("commonly", False)),
        cited=parse_cited(entry, sources, where),
        name=str(entry.get("name", "")),
        after_judgment=bool(entry.get("after_judgment", False)),
        severity=int(entry.get("severity", 0)),
        possible=bool(entry.get("possible", False)),
    )


def parse_escalation(text: str) -> Escalation:
    data = tomllib.loads(text)
    sources = parse_sources(data)
    try:
        steps = tuple(
            _step(e, sources, f"steps[{i}]", str(e["kind"])) for i, e in enumerate(data.get("steps", []))
        )
        classes = tuple(
            _step(e, sources, f"risk_classes[{i}]", "risk_class")
            for i, e in enumerate(data.get("risk_classes", []))
        )
        codes = data["report_codes"]
        criminal = data["criminal"]
        return Escalation(
            steps,
            classes,
            int(codes["bucket_days"]),
            int(codes["max_code"]),
            parse_cited(codes, sources, "report_codes"),
            _rules_in({"criminal": criminal}, sources, "")["criminal"],
            int(codes.get("severity", 0)),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise RuleError(f"escalation.toml: {exc}") from exc


@dataclass(frozen=True, slots=True)
class ContactRule:
    """A rule of collection conduct, with what it watches (targets, conduct, channels)."""

    key: str
    text: str  # English msgid with {placeholders} from params
    targets: frozenset[str]
    conduct: frozenset[str]
    channels: frozenset[str]
    params: Mapping[str, Any]
    cited: Cited
    card_cited: Cited | None  # what to cite when the debt is a credit card


def _contact_rule(key: str, entry: Mapping[str, Any], sources: Mapping[str, Source]) -> ContactRule:
    card: Cited | None = None
    if "card_source" in entry:
        card = parse_cited(
            {
                "source": entry["card_source"],
                "certainty": entry.get("card_certainty"),
                "checked": entry.get("checked"),
            },
            sources,
            f"{key} (card)",
        )
    reserved = {
        "text",
        "targets",
        "conduct",
        "channels",
        "source",
        "certainty",
        "checked",
        "card_source",
        "card_certainty",
    }
    return ContactRule(
        key=key,
        text=str(entry["text"]),
        targets=frozenset(entry.get("targets", [])),
        conduct=frozenset(entry.get("conduct", [])),
        channels=frozenset(entry.get("channels", [])),
        params={k: v for k, v in entry.items() if k not in reserved},
        cited=parse_cited(entry, sources, key),
        card_cited=card,
    )


def parse_collection(text: str) -> dict[str, ContactRule]:
    data = tomllib.loads(text)
    sources = parse_sources(data)
    try:
        out = {
            "quiet_hours": _contact_rule("quiet_hours", data["quiet_hours"], sources),
            "call_limit": _contact_rule("call_limit", data["call_limit"], sources),
        }
        for key, entry in data.get("rules", {}).items():
            out[key] = _contact_rule(key, entry, sources)
    except (KeyError, ValueError, TypeError) as exc:
        raise RuleError(f"collection.toml: {exc}") from exc
    return out
