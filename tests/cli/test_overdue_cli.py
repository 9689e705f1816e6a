"""`debtkeeper overdue` on the demo database (in-process)."""

from __future__ import annotations

import json

import pytest

from tests.cli.inprocess import run_cli

AS_OF = "2026-11-23"


def run(*args, db):
    return run_cli([*args, "--db", str(db)], env={"LANG": "C.UTF-8", "DEBTKEEPER_LANG": "en_US"})


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("overdue") / "demo.sqlite3"
    done = run("demo", "--as-of", AS_OF, db=db)
    assert done.returncode == 0, done.stderr
    return db


def _debts(db):
    listed = run("debt", "list", "--as-of", AS_OF, "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


def test_demo_baitiao_120_days(demo_db):
    baitiao = next(d for d in _debts(demo_db) if d["kind"] == "jd_baitiao")
    done = run("overdue", str(baitiao["id"]), "--as-of", AS_OF, "--json", db=demo_db)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["debt_id"] == baitiao["id"] and doc["as_of"] == AS_OF
    assert doc["days_overdue"] == 120
    assert doc["stage"] == "M4"
    # Late fee 0.015%/day of the arrears over 120 days, computed here independently of the engine.
    from decimal import ROUND_HALF_UP, Decimal

    arrears = Decimal(doc["overdue_principal"]) + Decimal(doc["overdue_interest"])
    expected = (arrears * Decimal("0.00015") * 120).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(doc["late_fees"]) == expected > 0
    assert Decimal(doc["total_due"]) == arrears + expected + Decimal(doc["penalty_interest"])
    statuses = {e["status"] for e in doc["events"]}
    assert statuses == {"past", "current", "coming"}
    assert all(e["source"] and e["certainty"] in ("law", "typical") for e in doc["events"])
    assert doc["limitation_ends"] > AS_OF
    assert doc["legal_checks"] and doc["rules_used"]
    assert doc["projection"][0]["more_than_now"] != "0.00"


def test_every_demo_debt_and_chinese_text(demo_db):
    for debt in _debts(demo_db):
        done = run("overdue", str(debt["id"]), "--as-of", AS_OF, "--json", "--lang", "zh_CN", db=demo_db)
        assert done.returncode == 0, done.stderr
        doc = json.loads(done.stdout)
        assert doc["legal_checks"]
        if doc["events"]:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in doc["events"][0]["text"])
    private = next(d for d in _debts(demo_db) if d["kind"] == "private_loan")
    text = run("overdue", str(private["id"]), "--as-of", AS_OF, db=demo_db)
    assert text.returncode == 0 and "Limitation" in text.stdout


def _source_texts(node):
    """Every "source" text anywhere in an overdue JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                yield value
            else:
                yield from _source_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _source_texts(item)


def _all_sources():
    import tomllib

    from domain.rules import parse_sources
    from resources import RULES

    found = []
    for path in sorted(RULES.glob("*.toml")):
        found += parse_sources(tomllib.loads(path.read_text(encoding="utf-8"))).values()
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sources_are_in_the_language_asked_for(demo_db, lang):
    sources = _all_sources()
    english = {s.title for s in sources}
    chinese = {s.title_zh for s in sources}
    wanted, unwanted = (chinese, english) if lang == "zh" else (english, chinese)
    shown = []
    for debt in _debts(demo_db):
        done = run("overdue", str(debt["id"]), "--as-of", AS_OF, "--json", "--lang", lang, db=demo_db)
        assert done.returncode == 0, done.stderr
        shown += [t for t in _source_texts(json.loads(done.stdout)) if t]
    assert len(shown) > 20
    assert [t for t in shown if not any(t.startswith(title) for title in wanted)] == []
    assert [t for t in shown if any(title in t for title in unwanted)] == []
    if lang == "zh":
        assert any(t.startswith("《征信业管理条例》（2013）第十五条") for t in shown)
    else:
        assert any(t.startswith("Regulations on the administration of the credit reporting") for t in shown)


def test_bad_input_exits_2(demo_db):
    missing = run("overdue", "99999", "--as-of", AS_OF, "--json", db=demo_db)
    assert missing.returncode == 2 and missing.stderr.strip() and not missing.stdout
    bad_date = run("overdue", "1", "--as-of", "2026-13-01", db=demo_db)
    assert bad_date.returncode == 2


def test_baitiao_timeline_one_stage_possible_suit_no_prefix(demo_db):
    baitiao = next(d for d in _debts(demo_db) if d["kind"] == "jd_baitiao")
    for lang, possible_now, about in (
        ("en_US", "possible now (commonly from about day 91)", "about day"),
        ("zh_CN", "可能：现在（通常约第91天起）", "约第"),
    ):
        done = run("overdue", str(baitiao["id"]), "--as-of", AS_OF, "--json", "--lang", lang, db=demo_db)
        assert done.returncode == 0, done.stderr
        doc = json.loads(done.stdout)
        # The contract's fields are all still there.
        for event in doc["events"]:
            assert set(event) >= {"day", "date", "kind", "text", "source", "certainty", "status"}
        # Day 120: one stage, the report code of days 91-120, among three steps under way.
        stages = [e for e in doc["events"] if e["current_stage"]]
        assert len(stages) == 1 and stages[0]["kind"] == "report_code" and stages[0]["day"] == 91
        assert doc["current_stage"] == "report_code_4"
        assert sum(e["status"] == "current" for e in doc["events"]) == 3
        # No text begins with "commonly reported": the day says "about", once per step.
        assert not any(e["text"].startswith(("Commonly", "据常见报道")) for e in doc["events"])
        assert sum(e["when"].startswith(about) for e in doc["events"]) >= 8
        # The suit and enforcement depend on the lender: possible, and the next step has no date.
        suit = next(e for e in doc["events"] if e["kind"] == "lawsuit")
        assert suit["possible"] and suit["when"] == possible_now and suit["display_status"] == "possible"
        assert doc["next_step"]["kind"] == "lawsuit" and doc["next_step"]["date"] is None
        assert doc["next_step"]["when"] == possible_now
    text = run("overdue", str(baitiao["id"]), "--as-of", AS_OF, db=demo_db).stdout
    assert "[possible] possible now (commonly from about day 91): The lender may sue" in text
    assert text.count("[now]") == 1 and "Commonly reported" not in text
