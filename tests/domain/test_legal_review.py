"""Every source and rule in the rules data cites the law publicly, says how certain it is, and has its
row in docs/legal-review.md, which names every instrument the data cite."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from resources import RULES

RULE_FILES = sorted(RULES.glob("*.toml"))
REVIEW = Path(__file__).resolve().parents[2] / "docs" / "legal-review.md"
CERTAINTIES = {"law", "typical", "depends"}
# guide.toml alone may say a rule "depends" (on a lender's or a court's choice) and cite another rules
# file's source as "<file>:<key>"; its [questions], [event_words], [when] and [next] are the words its
# answers are built from, not statements. Its facts, texts and steps are its rules.
_ALLOWED = {"guide.toml": CERTAINTIES}
_WORDS = {"guide.toml": {"questions", "event_words", "when", "next"}}

# A public citation: a web address, or a named instrument with its article or document number.
_ADDRESS = re.compile(r"https?://[\w.-]+\.[a-z]{2,}")
_INSTRUMENT = re.compile(
    r"《[^》]+》|第[一二三四五六七八九十百千零]+条|Arts?\. \d+"
    r"|〔\d{4}〕第?\d+号|令\d{4}年第\d+号|国务院令第\d+号"
)
# Never the program's notes, a repository mirror or a file path.
_PRIVATE = re.compile(
    r"notes|笔记|DOMAIN\.md|DebtKeeper|债管家|LawRefBook|\.md\b|\.py\b|\.toml\b|resources/|domain/|shared/",
    re.IGNORECASE,
)
_DOC_NUMBER = re.compile(r"(?:法释|法发|银发|公告)〔\d{4}〕第?\d+号|国务院令第\d+号|令\d{4}年第\d+号")
_TITLE = re.compile(r"《([^《》]+)》")
# The one source that is not the law's or a lender's: the reminder days are the program's own
# suggestion, and its title says so.
_OWN_SUGGESTION = {("reminders.toml", "program_default")}
# Practice read from lenders' own published terms (card agreements, loan terms), public documents
# with no one address: allowed only for rules shown as typical.
_PUBLISHED_TERMS = {
    ("escalation.toml", "grace_practice"),
    ("products.toml", "grace"),
    ("products.toml", "jiebei"),
    ("triage.toml", "reporting_practice"),
    ("guide.toml", "lender_hardship"),
}


def _load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _origin(path: Path, key: str) -> tuple[str, str]:
    """(file name, source key) of a source a rule cites: "<file>:<key>" names another rules file."""
    other, sep, own = key.rpartition(":")
    return (f"{other}.toml", own) if sep else (path.name, key)


def _known_sources(path: Path) -> set[tuple[str, str]]:
    """The sources a file's rules may cite: its own, and for guide.toml every other file's."""
    files = RULE_FILES if path.name in _ALLOWED else [path]
    return {(p.name, key) for p in files for key in _load(p).get("sources", {})}


def _rules(data: dict, words: set[str] = frozenset()):
    """(key, table) for every rule table outside [sources]: tables of figures and array entries."""
    for name, value in data.items():
        if name == "sources" or name in words:
            continue
        if isinstance(value, list):
            for item in value:
                yield f"{name}:{item.get('key', item.get('date'))}", item
        elif isinstance(value, dict) and any(isinstance(v, dict) for v in value.values()):
            for sub, table in value.items():
                yield f"{name}.{sub}", table
        elif isinstance(value, dict):
            yield name, value


def _mentioned_rules(review: str) -> set[str]:
    return set(re.findall(r"`([\w-]+\.toml [\w.:*-]+)`", review))


@pytest.fixture(scope="module")
def review() -> str:
    return REVIEW.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_source_cites_the_law_or_a_public_page(path):
    problems = []
    for key, source in _load(path)["sources"].items():
        cited = " ".join(str(source.get(f, "")) for f in ("title", "title_zh", "url", "url_zh"))
        if _PRIVATE.search(cited):
            problems.append(f"{key}: points at notes or a path")
        if (path.name, key) in _OWN_SUGGESTION:
            assert "own suggestion" in source["title"] and "本程序" in source["title_zh"]
            continue
        if (path.name, key) in _PUBLISHED_TERMS:
            assert re.search(r"published|公布", cited), key
            continue
        where = " ".join(str(source.get(f, "")) for f in ("url", "url_zh"))
        if not where:
            problems.append(f"{key}: no url")
        elif not (_ADDRESS.search(where) or _INSTRUMENT.search(where) or _INSTRUMENT.search(cited)):
            problems.append(f"{key}: neither an address nor an instrument and article: {where}")
    assert problems == []


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_rule_has_a_source_and_an_allowed_certainty(path):
    data = _load(path)
    known = _known_sources(path)
    allowed = _ALLOWED.get(path.name, {"law", "typical"})
    problems = []
    for key, table in _rules(data, _WORDS.get(path.name, set())):
        sources = table.get("source")
        sources = [sources] if isinstance(sources, str) else sources or []
        origins = [_origin(path, s) for s in sources]
        if not sources or any(o not in known for o in origins):
            problems.append(f"{key}: source {sources!r}")
        certainty = table.get("certainty")
        if certainty not in allowed:
            problems.append(f"{key}: certainty {certainty!r}")
        # Practice is shown as typical, or in the guide as depending on the lender: never as law.
        practice_only = bool(sources) and all(o in _PUBLISHED_TERMS for o in origins)
        if practice_only and certainty not in {"typical", "depends"} & allowed:
            problems.append(f"{key}: practice cited as {certainty!r}")
    assert problems == []


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_rule_has_its_row_in_the_review(path, review):
    mentioned = _mentioned_rules(review)
    missing = []
    for key, _ in _rules(_load(path), _WORDS.get(path.name, set())):
        group = re.split(r"[.:]", key)[0]
        sep = ":" if ":" in key else "."
        if f"{path.name} {key}" not in mentioned and f"{path.name} {group}{sep}*" not in mentioned:
            missing.append(key)
    assert missing == []


def test_the_review_names_every_instrument_the_data_cite(review):
    missing = set()
    for path in RULE_FILES:
        for source in _load(path)["sources"].values():
            text = " ".join(str(source.get(f, "")) for f in ("title", "title_zh", "url", "url_zh"))
            missing |= {n for n in _DOC_NUMBER.findall(text) if n not in review}
            missing |= {f"《{t}》" for t in _TITLE.findall(text) if f"《{t}》" not in review}
    assert missing == set()


def test_the_review_records_a_check_date_and_a_certainty_on_every_row(review):
    tables = [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in review.splitlines()
        if line.startswith("| ")
    ]
    rows = [cells for cells in tables if len(cells) == 6 and cells[0] != "Topic" and set(cells[0]) != {"-"}]
    assert len(rows) > 40
    for cells in rows:
        row = " | ".join(cells)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", cells[4]), row
        assert cells[2].split(" ")[0] in CERTAINTIES, row


def test_the_checks_catch_a_private_citation_and_a_missing_row(review):
    """The patterns above do fail: a path, a note and an unlisted rule are caught."""
    assert _PRIVATE.search("see shared/DOMAIN.md") and _PRIVATE.search("our notes")
    assert not _PRIVATE.search("https://www.court.gov.cn/ (法释〔2021〕10号 第三条)")
    assert "legal.toml rules.nonexistent" not in _mentioned_rules(review)
    guide = RULES / "guide.toml"
    assert _origin(guide, "escalation:civil_procedure") == ("escalation.toml", "civil_procedure")
    assert ("escalation.toml", "civil_procedure") in _known_sources(guide)
    assert ("escalation.toml", "civil_procedure") not in _known_sources(RULES / "legal.toml")
    assert ("legal.toml", "nonexistent") not in _known_sources(guide)
    assert not (_ADDRESS.search("press reports") or _INSTRUMENT.search("press reports"))
