"""`guide` on the command line (in-process, as the other cli tests that allow it): the JSON contract,
one debt, an unknown debt, and the printed page to a file or to standard output."""

from __future__ import annotations

import json
import os
import stat
from datetime import date

import pytest

import cli
from services.app import Services
from services.demo import build_demo

AS_OF = date(2026, 11, 23)
TOPICS = {
    "hometown_visit",
    "lawsuit",
    "credit_report",
    "criminal",
    "limitation",
    "collection_rules",
    "negotiation",
    "borrowing_to_repay",
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("guide") / "demo.sqlite3"
    with Services.open(db) as svc:
        build_demo(svc, AS_OF)
        ids = {d.kind.value: d.id for d in svc.list_debts()}
    return db, ids


def run(db, *argv):
    return cli.main(["--db", str(db), *argv])


def guide_json(capsys, db, *argv):
    assert run(db, "guide", "--as-of", AS_OF.isoformat(), "--json", *argv) == 0
    return json.loads(capsys.readouterr().out)


def test_guide_json_matches_the_contract(demo_db, capsys):
    db, ids = demo_db
    doc = guide_json(capsys, db, "--lang", "en")
    assert list(doc)[:4] == ["as_of", "debts", "answers", "steps"]
    assert doc["as_of"] == "2026-11-23"
    assert sorted(doc["debts"]) == sorted(ids.values())  # the six demo debts, none archived
    assert {a["topic"] for a in doc["answers"]} >= TOPICS
    for answer in doc["answers"]:
        assert set(answer) == {"topic", "question", "answer", "certainty", "sources", "debt_ids"}
        assert answer["certainty"] in ("law", "typical", "depends")
        assert answer["sources"] and all(isinstance(s, str) and s for s in answer["sources"])
        assert set(answer["debt_ids"]) <= set(ids.values())
    for n, step in enumerate(doc["steps"], start=1):
        assert {"order", "when", "action", "why", "source"} <= set(step)
        assert step["order"] == n and step["when"] in ("this_week", "this_month")
        assert step["action"] and step["why"] and step["source"]
    home = next(a for a in doc["answers"] if a["topic"] == "hometown_visit")
    assert "户籍地" in home["question"] and "京东金融" in home["answer"]
    assert home["certainty"] == "law" and home["debt_ids"] == [ids["jd_baitiao"]]


def test_guide_json_in_chinese(demo_db, capsys):
    db, ids = demo_db
    doc = guide_json(capsys, db, "--lang", "zh_CN")
    home = next(a for a in doc["answers"] if a["topic"] == "hometown_visit")
    assert home["question"] == "他们会来我的户籍地吗？会告诉我的家人、单位或村委会吗？"
    assert "这适用于京东金融" in home["answer"]
    crime = [a for a in doc["answers"] if a["topic"] == "criminal"]
    # The card: 25,000 borrowed, 2,000 repaid 35 days ago; the demo's statement counts 24,837.50 unpaid.
    card = next(a for a in crime if a["debt_ids"] == [ids["credit_card"]])
    assert "低于恶意透支的数额起点¥50,000.00" in card["answer"]
    assert "距离标准还差¥25,162.50" in card["answer"]  # 50,000.00 − 24,837.50


def test_one_debt_only(demo_db, capsys):
    db, ids = demo_db
    doc = guide_json(capsys, db, str(ids["private_loan"]), "--lang", "en")
    assert doc["debts"] == [ids["private_loan"]]
    assert all(set(a["debt_ids"]) <= {ids["private_loan"]} for a in doc["answers"])
    crime = [a for a in doc["answers"] if a["topic"] == "criminal"]
    assert len(crime) == 1 and "civil debts" in crime[0]["answer"]


def test_an_unknown_debt_is_named_and_refused(demo_db, capsys):
    db, _ids = demo_db
    assert run(db, "guide", "999", "--as-of", AS_OF.isoformat()) == 2
    err = capsys.readouterr().err
    assert "999" in err and err.count("\n") == 1


def test_the_guide_as_text(demo_db, capsys):
    db, _ids = demo_db
    assert run(db, "guide", "--as-of", AS_OF.isoformat(), "--lang", "en") == 0
    out = capsys.readouterr().out
    assert "Will they come to my hometown (户籍地)" in out and "What to do next" in out


def test_print_my_situation_to_a_private_file(demo_db, tmp_path):
    db, _ids = demo_db
    out = tmp_path / "situation.pdf"
    old = os.umask(0o022)
    try:
        assert run(db, "guide", "--as-of", AS_OF.isoformat(), "--lang", "zh", "--pdf", str(out)) == 0
    finally:
        os.umask(old)
    assert out.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_print_my_situation_to_standard_output(demo_db, capsysbinary):
    db, _ids = demo_db
    assert run(db, "guide", "--as-of", AS_OF.isoformat(), "--lang", "en", "--pdf", "-") == 0
    assert capsysbinary.readouterr().out.startswith(b"%PDF")
