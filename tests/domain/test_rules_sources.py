"""Every rule in every rules file cites a source that exists, a certainty and a checked date."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from decimal import Decimal

import pytest

from domain.debts import DebtKind
from domain.rules import Cited, RuleError, override_terms, parse_cited, parse_lpr, parse_sources
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
# guide.toml holds texts: its [questions], [event_words], [when] and [next] are words, not figures; a
# text may cite another file's source as "<file>:<key>" and say it "depends" (on a lender's choice).
TEXT_TABLES = {"guide.toml": {"questions", "event_words", "when", "next"}}
CERTAINTIES = {"guide.toml": ("law", "typical", "depends")}


def _known_sources(path):
    """The sources a rules file may cite: its own, and for guide.toml the other files' as "<file>:<key>"."""
    known = dict(tomllib.loads(path.read_text(encoding="utf-8")).get("sources", {}))
    if path.name == "guide.toml":
        for other in RULE_FILES:
            for key, source in tomllib.loads(other.read_text(encoding="utf-8")).get("sources", {}).items():
                known[f"{other.stem}:{key}"] = source
    return known


def _rule_tables(node, path=""):
    """Every table (or array-of-tables entry) that holds figures, outside [sources]."""
    if isinstance(node, dict):
        children = {k: v for k, v in node.items() if isinstance(v, dict | list)}
        scalars = {k: v for k, v in node.items() if not isinstance(v, dict | list)}
        list_values = {
            k: v for k, v in node.items() if isinstance(v, list) and not (v and isinstance(v[0], dict))
        }
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
        assert CJK.search(source.get("title_zh", "")), f"{path.name}: source {key} has no Chinese title"
        date.fromisoformat(source["checked"])
    tables = [(w, t) for w, t in _rule_tables(data) if w not in TEXT_TABLES.get(path.name, ())]
    assert tables
    sources = _known_sources(path)
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
        if table.get("certainty") not in CERTAINTIES.get(path.name, ("law", "typical")):
            problems.append(f"{where}: certainty {table.get('certainty')!r}")
        checked = table.get("checked") or min(sources[k]["checked"] for k in keys)
        date.fromisoformat(checked)
    assert problems == []


CJK = re.compile(r"[\u4e00-\u9fff]")
# Two English words in a row, once addresses are taken out: prose a Chinese reader would have to read.
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")
ADDRESS = re.compile(r"https?://\S+|LawRefBook/Laws|National Debtline")  # addresses and names


def _sources(path):
    return parse_sources(tomllib.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_a_chinese_reader_sees_chinese_titles_and_places(path):
    problems = []
    for key, source in _sources(path).items():
        shown = source.text_for("zh_CN")
        if ENGLISH_PHRASE.search(ADDRESS.sub("", shown)):
            problems.append(f"{key}: {shown}")
        assert source.title_for("zh_CN") == source.title_for("zh") == source.title_zh
        assert source.title_for("en_US") == source.title_for("en") == source.title
    assert problems == []


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_chinese_titles_keep_the_names_numbers_and_figures_of_the_english_ones(path):
    """A Chinese term quoted in the English title (征信业管理条例, 法释〔2018〕19号, 关注 ...) and every
    percentage, decimal and clock time in it reappear in the Chinese title."""
    problems = []
    for key, source in _sources(path).items():
        english = source.title.translate(str.maketrans("[]()", "〔〕（）"))
        quoted = [r for r in re.findall(r"[\u4e00-\u9fff〔〕0-9]{2,}", english) if CJK.search(r)]
        figures = re.findall(r"\d+(?:\.\d+)?%|\d+\.\d+|\d{1,2}:\d\d", english)
        missing = [t for t in quoted + figures if t not in source.title_zh]
        if missing:
            problems.append(f"{key}: {missing}")
    assert problems == []


def test_a_source_without_chinese_title_falls_back_to_english():
    text = '[sources.s]\ntitle="Civil Code Art. 1"\nurl="somewhere"\nchecked="2026-01-01"\n'
    source = parse_sources(tomllib.loads(text))["s"]
    assert source.title_for("zh_CN") == "Civil Code Art. 1"
    assert source.where_for("zh_CN") == "somewhere"


def test_cited_text_follows_the_language():
    sources = _sources(RULES / "legal.toml")
    cited = Cited((sources["civil_code_670"], sources["day_count"]), "law", "2026-11-23")
    zh = cited.source_text_for("zh_CN")
    assert zh.startswith("《中华人民共和国民法典》第六百七十条")
    assert "；《中国人民银行关于人民币存贷款计结息问题的通知》（银发〔2005〕129号）" in zh
    assert "Civil Code" not in zh
    en = cited.source_text_for("en_US")
    assert en.startswith("Civil Code Art. 670") and "; PBOC notice" in en
    assert cited.source_text == en


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
    text = (
        '[sources.s]\ntitle="t"\nchecked="2026-01-01"\n[meta]\nconfirmed_through="2026-01-01"\n'
        'source="s"\ncertainty="typical"\n[[lpr]]\ndate="2020-01-01"\none_year="350"\nsource="s"\n'
        'certainty="typical"\n'
    )
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


# A source is cited publicly: the law and its article, or a public page. Never the program's own
# notes, a repository mirror or a file path.
_PRIVATE_CITATION = re.compile(
    r"notes|笔记|DebtKeeper|债管家|LawRefBook|\.md\b|\.py\b|\.toml\b|resources/|domain/|shared/|icms_",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://\S+")
_PATH = re.compile(r"[\w\u4e00-\u9fff…)）]/[\w\u4e00-\u9fff(（]")


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_no_source_points_at_notes_or_a_file_path():
    from resources import LETTERS

    problems = []
    for path in RULE_FILES:
        for key, source in tomllib.loads(path.read_text(encoding="utf-8")).get("sources", {}).items():
            for field in ("title", "title_zh", "url", "url_zh"):
                text = str(source.get(field, ""))
                is_path = field.startswith("url") and _PATH.search(_URL.sub("", text))
                if _PRIVATE_CITATION.search(text) or is_path:
                    problems.append(f"{path.name} {key}.{field}: {text}")
    for path in sorted(LETTERS.glob("*.toml")):
        for text in _strings(tomllib.loads(path.read_text(encoding="utf-8"))):
            if _PRIVATE_CITATION.search(text):
                problems.append(f"{path.name}: {text[:80]}")
    assert problems == []


def test_no_rule_text_overstates_the_law():
    """Repaying before prosecution lets the prosecutor decline, it does not avoid prosecution
    (法释〔2018〕19号 Art. 10); delay interest is 0.0175% a day of the unpaid sum, not "doubled
    interest" (法释〔2014〕8号); the 失信 list needs more than an unperformed judgment."""
    wrong = re.compile(
        r"avoids it|allows non-prosecution|doubles the interest|interest on the delay doubles"
        r"|stays a civil debt|1999\]77号|1999〕77号"
    )
    problems = []
    for path in RULE_FILES:
        for text in _strings(tomllib.loads(path.read_text(encoding="utf-8"))):
            if wrong.search(text):
                problems.append(f"{path.name}: {text[:90]}")
    assert problems == []
