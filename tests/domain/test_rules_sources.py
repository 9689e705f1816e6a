"""Every rule in every rules file cites a source that exists, a certainty and a checked date."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal

import pytest

from domain.debts import DebtKind
from domain.rules import RuleError, override_terms, parse_cited, parse_lpr
from resources import RULES
from resources.i18n import tr
from resources.rules import (
    collection_rules,
    escalation_rules,
    legal_rules,
    lpr_table,
    overdue_terms,
    product_presets,
)

RULE_FILES = sorted(RULES.glob("*.toml"))


def _rule_tables(node, path=""):
    """Every table (or array-of-tables entry) that holds figures, outside [sources]."""
    if isinstance(node, dict):
        children = {k: v for k, v in node.items() if isinstance(v, dict | list)}
        scalars = {k: v for k, v in node.items() if not isinstance(v, dict | list)}
        list_values = {k: v for k, v in node.items()
                       if isinstance(v, list) and not (v and isinstance(v[0], dict))}
        if path and (scalars or list_values):
            yield path, node
        for key, value in children.items():
            if key == "sources" and not path:
                continue
            if isinstance(value, dict):
                yield from _rule_tables(value, f"{path}.{key}" if path else key)
            elif value and isinstance(value[0], dict):
                for i, item in enumerate(value):
                    yield from _rule_tables(item, f"{path}.{key}[{i}]" if path else f"{key}[{i}]")


def test_there_are_rules_files():
    names = {p.name for p in RULE_FILES}
    assert {"products.toml", "legal.toml", "lpr.toml", "escalation.toml", "collection.toml"} <= names


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_rule_has_source_certainty_and_checked_date(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    sources = data.get("sources", {})
    assert sources, f"{path.name} defines no sources"
    for key, source in sources.items():
        assert source.get("title"), f"{path.name}: source {key} has no title"
        date.fromisoformat(source["checked"])
    tables = list(_rule_tables(data))
    assert tables
    problems = []
    for where, table in tables:
        keys = table.get("source")
        keys = [keys] if isinstance(keys, str) else keys
        if not keys:
            problems.append(f"{where}: no source")
            continue
        unknown = [k for k in keys if k not in sources]
        if unknown:
            problems.append(f"{where}: unknown sources {unknown}")
            continue
        if table.get("certainty") not in ("law", "typical"):
            problems.append(f"{where}: certainty {table.get('certainty')!r}")
        checked = table.get("checked") or min(sources[k]["checked"] for k in keys)
        date.fromisoformat(checked)
    assert problems == []


def test_parse_cited_refuses_missing_or_unknown_source():
    with pytest.raises(RuleError):
        parse_cited({"certainty": "law"}, {}, "x")
    with pytest.raises(RuleError):
        parse_cited({"source": "nope", "certainty": "law", "checked": "2026-01-01"}, {}, "x")


def test_all_loaders_parse_and_cover_every_kind():
    assert set(product_presets()) == set(DebtKind)
    assert set(overdue_terms()) == set(DebtKind)
    assert legal_rules().day_count() == (360, 30)
    assert escalation_rules().steps
    assert "quiet_hours" in collection_rules()


def test_existing_presets_keep_their_keys():
    baitiao = product_presets()[DebtKind.JD_BAITIAO]
    assert baitiao.late_fee_rate_per_day == Decimal("0.015")
    assert baitiao.fee_rate == Decimal("0.5")


def test_lpr_history_by_date():
    table = lpr_table()
    assert table.at(date(2019, 8, 19)) is None  # before the first quotation
    assert table.at(date(2019, 8, 20)).one_year == Decimal("4.25")
    assert table.at(date(2019, 10, 1)).one_year == Decimal("4.20")
    assert table.at(date(2020, 4, 19)).one_year == Decimal("4.05")
    assert table.at(date(2020, 4, 20)).one_year == Decimal("3.85")
    assert table.at(date(2021, 12, 19)).one_year == Decimal("3.85")
    assert table.at(date(2022, 8, 22)).one_year == Decimal("3.65")
    assert table.at(date(2024, 10, 20)).one_year == Decimal("3.35")
    assert table.at(date(2025, 5, 20)).one_year == Decimal("3.00")
    assert table.at(date(2026, 11, 23)).one_year == Decimal("3.00")
    assert table.confirmed_through == date(2026, 8, 20)


def test_lpr_rejects_nonsense_rates():
    text = '[sources.s]\ntitle="t"\nchecked="2026-01-01"\n[meta]\nconfirmed_through="2026-01-01"\n' \
           'source="s"\ncertainty="typical"\n[[lpr]]\ndate="2020-01-01"\none_year="350"\nsource="s"\n' \
           'certainty="typical"\n'
    with pytest.raises(RuleError):
        parse_lpr(text)


def test_person_can_override_terms_per_debt():
    card = overdue_terms()[DebtKind.CREDIT_CARD]
    mine = override_terms(card, {"cycle_fee_percent": "3", "late_fee_cap_percent": "10"})
    assert mine.cycle_fee_percent == Decimal("3")
    assert mine.late_fee_cap_percent == Decimal("10")
    assert card.cycle_fee_percent == Decimal("5")
    with pytest.raises(RuleError):
        override_terms(card, {"rate": "1"})
    with pytest.raises(RuleError):
        override_terms(card, {"penalty_base": "everything"})


def test_every_rule_text_is_translated():
    texts = [s.text for s in escalation_rules().steps + escalation_rules().risk_classes]
    texts += [r.text for r in collection_rules().values()]
    untranslated = [t for t in texts if tr(t, "zh_CN") == t]
    assert untranslated == []
