"""letter and plan-pdf on the demo database, run as a person runs them."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.cli.inprocess import run_cli
from tests.documents.pdftools import fonts, lines_starting_with_closing_punctuation, pdf_text

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-23"
KINDS = ("negotiation", "hardship", "proposal", "complaint", "statement", "dispute")
NAME = "王芳"
ID_NUMBER = "330106199205051234"


def run(*args: str, stdin: str | None = None, lang: str = "en_US") -> subprocess.CompletedProcess[str]:
    return run_cli(args, stdin=stdin, env={"DEBTKEEPER_LANG": lang})


PRIVATE_24 = {
    "name": "向同事借款",
    "lender": "同事 赵强",
    "kind": "private_loan",
    "principal": "30000.00",
    "start_date": "2025-03-01",
    "method": "bullet",
    "months": 24,
    "rate": "24",
    "rate_unit": "year",
    "received_amount": "27000.00",
}
LAPSED = {
    "name": "旧信用卡",
    "lender": "某银行信用卡中心",
    "kind": "credit_card",
    "principal": "8000.00",
    "start_date": "2019-01-05",
    "method": "revolving",
    "months": 12,
    "overdue_since": "2019-06-05",
    "overdue_amount": "8000.00",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> dict[str, object]:
    path = tmp_path_factory.mktemp("letters") / "d.sqlite3"
    assert run("--db", str(path), "demo", "--as-of", AS_OF).returncode == 0
    ids = {}
    for key, debt in (("private", PRIVATE_24), ("lapsed", LAPSED)):
        body = json.dumps(debt, ensure_ascii=False)
        result = run("--db", str(path), "debt", "add", "--json", "-", stdin=body)
        assert result.returncode == 0, result.stderr
        ids[key] = int(re.findall(r"\d+", result.stdout)[-1])
    # The person's details, kept as settings by the first letter.
    first = run(
        "--db",
        str(path),
        "letter",
        "1",
        "--kind",
        "statement",
        "--out",
        str(path.parent / "x.pdf"),
        "--as-of",
        AS_OF,
        "--name",
        NAME,
        "--city",
        "杭州",
        "--address",
        "杭州市西湖区文三路100号",
        "--phone",
        "13900001111",
        "--id-number",
        ID_NUMBER,
        "--save-person",
    )
    assert first.returncode == 0, first.stderr
    return {"path": path, **ids}


def _debt_for(kind: str, db) -> str:
    return str(db["private"]) if kind == "dispute" else "1"


CITED = {
    "negotiation": ("第五百八十五条", "Article 585"),
    "hardship": ("困难", "hardship"),
    "proposal": ("第五百八十五条", "Article 585"),
    "complaint": ("12378", "12378"),
    "statement": ("第五百六十一条", "Article 561"),
    "dispute": ("第二十五条", "Article 25"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_letter_from_the_demo_database(db, tmp_path, kind, lang):
    out = tmp_path / f"{kind}.pdf"
    result = run(
        "--db",
        str(db["path"]),
        "letter",
        _debt_for(kind, db),
        "--kind",
        kind,
        "--lang",
        lang,
        "--out",
        str(out),
        "--as-of",
        AS_OF,
    )
    assert result.returncode == 0, result.stderr
    text = "".join(pdf_text(out).split())
    assert NAME in text
    assert ("2026年11月23日" if lang == "zh" else "November23,2026") in text
    assert CITED[kind][0 if lang == "zh" else 1].replace(" ", "") in text
    assert ID_NUMBER not in text and "330***********1234" in text
    lender = "同事赵强" if kind == "dispute" else "京东金融"
    assert lender in text
    assert [n for n, emb in fonts(out) if emb != "yes"] == []
    assert lines_starting_with_closing_punctuation(out) == []


def test_an_offer_after_the_limitation_period_warns_but_still_writes(db, tmp_path):
    out = tmp_path / "n.pdf"
    result = run(
        "--db",
        str(db["path"]),
        "letter",
        str(db["lapsed"]),
        "--kind",
        "negotiation",
        "--out",
        str(out),
        "--as-of",
        AS_OF,
    )
    assert result.returncode == 0
    assert out.exists()
    assert len(result.stderr.strip().splitlines()) == 1 and "limitation" in result.stderr.lower()
    quiet = run(
        "--db",
        str(db["path"]),
        "letter",
        str(db["lapsed"]),
        "--kind",
        "negotiation",
        "--out",
        str(out),
        "--as-of",
        AS_OF,
        "--no-warn",
    )
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_a_statement_request_gives_no_warning(db, tmp_path):
    result = run(
        "--db",
        str(db["path"]),
        "letter",
        str(db["lapsed"]),
        "--kind",
        "statement",
        "--out",
        str(tmp_path / "s.pdf"),
        "--as-of",
        AS_OF,
    )
    assert result.returncode == 0 and result.stderr == ""


def test_the_full_id_only_when_asked(db, tmp_path):
    out = tmp_path / "full.pdf"
    assert (
        run(
            "--db",
            str(db["path"]),
            "letter",
            "2",
            "--kind",
            "statement",
            "--out",
            str(out),
            "--as-of",
            AS_OF,
            "--show-id",
        ).returncode
        == 0
    )
    assert ID_NUMBER in pdf_text(out)


def test_complaint_about_chosen_contacts(db, tmp_path):
    out = tmp_path / "c.pdf"
    result = run(
        "--db",
        str(db["path"]),
        "letter",
        "1",
        "--kind",
        "complaint",
        "--contacts",
        "3",
        "--out",
        str(out),
        "--as-of",
        AS_OF,
        "--lang",
        "zh",
    )
    assert result.returncode == 0, result.stderr
    text = "".join(pdf_text(out).split())
    assert "村委会" in text and "深夜来电" not in text


@pytest.mark.parametrize(
    "args",
    [
        ["letter", "999", "--kind", "statement"],
        ["letter", "1", "--kind", "bogus"],
        ["letter", "1", "--kind", "complaint", "--contacts", "abc"],
        ["letter", "1", "--kind", "complaint", "--contacts", "999"],
        ["letter", "2", "--kind", "dispute"],
    ],
)
def test_bad_input_exits_2_with_one_line(db, tmp_path, args):
    out = tmp_path / "bad.pdf"
    result = run("--db", str(db["path"]), *args, "--out", str(out), "--as-of", AS_OF)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_an_unwritable_path_exits_2(db, tmp_path):
    result = run(
        "--db",
        str(db["path"]),
        "letter",
        "1",
        "--kind",
        "statement",
        "--out",
        str(tmp_path / "no" / "dir" / "x.pdf"),
        "--as-of",
        AS_OF,
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("budget", ["-5", "abc", "0"])
def test_plan_pdf_bad_budget_exits_2(db, tmp_path, budget):
    result = run("--db", str(db["path"]), "plan-pdf", "--budget", budget, "--out", str(tmp_path / "p.pdf"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_pdf_from_the_demo_database(db, tmp_path, lang):
    out = tmp_path / "plan.pdf"
    result = run(
        "--db",
        str(db["path"]),
        "plan-pdf",
        "--budget",
        "5000",
        "--strategy",
        "avalanche",
        "--lang",
        lang,
        "--out",
        str(out),
        "--as-of",
        AS_OF,
    )
    assert result.returncode == 0, result.stderr
    text = "".join(pdf_text(out).split())
    assert "京东白条" in text and "招商银行" in text
    assert ("还款计划" if lang == "zh" else "Repaymentplan") in text
    assert ("¥5,000.00" if lang == "zh" else "CN¥5,000.00") in text
    assert [n for n, emb in fonts(out) if emb != "yes"] == []
    # Assumptions cite the products' sources in the report's language, and only in it.
    from resources.rules import product_presets

    debts = json.loads(run("--db", str(db["path"]), "debt", "list", "--json").stdout)
    cited = {s.key: s for d in debts for s in product_presets()[d["kind"]].sources}
    assert len(cited) >= 3
    shown = {k: "".join(s.title_for(lang).split()) in text for k, s in cited.items()}
    other = "en" if lang == "zh" else "zh"
    hidden = {k: "".join(s.title_for(other).split()) in text for k, s in cited.items()}
    assert all(shown.values()) and not any(hidden.values()), (shown, hidden)
