"""``plan`` over a stored database: every strategy on the demo sample, totals that add up."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli.inprocess import run_cli

ROOT = Path(__file__).resolve().parent.parent.parent
AS_OF = "2026-11-23"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(["--lang", "en_US", *args])


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("plan") / "demo.db"
    out = run("--db", str(db), "demo", "--as-of", AS_OF)
    assert out.returncode == 0, out.stderr
    return db


@pytest.mark.parametrize("strategy", ["avalanche", "snowball", "triage"])
def test_every_strategy_on_the_demo_adds_up(demo_db, strategy):
    out = run(
        "--db", str(demo_db), "plan", "--budget", "15000", "--strategy", strategy, "--as-of", AS_OF, "--json"
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert list(doc) == [
        "strategy",
        "budget",
        "months",
        "payoff_date",
        "total_interest",
        "total_paid",
        "debts",
        "months_detail",
    ]
    assert doc["strategy"] == strategy and doc["budget"] == "15000.00"
    listed = json.loads(run("--db", str(demo_db), "debt", "list", "--as-of", AS_OF, "--json").stdout)
    owed = sum(Decimal(d["balance"]) for d in listed)
    paid = sum(Decimal(p["amount"]) for m in doc["months_detail"] for p in m["payments"])
    assert paid == Decimal(doc["total_paid"])
    # what is paid = what was owed + interest + fees; fees are what is left over
    assert Decimal(doc["total_paid"]) >= owed + Decimal(doc["total_interest"])
    assert sum(Decimal(d["interest"]) for d in doc["debts"]) == Decimal(doc["total_interest"])
    assert doc["months"] == len(doc["months_detail"])
    assert doc["months_detail"][-1]["remaining"] == "0.00"
    assert doc["payoff_date"] == max(d["payoff_date"] for d in doc["debts"])
    for month in doc["months_detail"]:
        assert sum(Decimal(p["amount"]) for p in month["payments"]) <= Decimal(15000)


def test_custom_order_and_bad_input(demo_db):
    listed = json.loads(run("--db", str(demo_db), "debt", "list", "--as-of", AS_OF, "--json").stdout)
    ids = [d["id"] for d in listed]
    out = run(
        "--db",
        str(demo_db),
        "plan",
        "--budget",
        "15000",
        "--strategy",
        "custom",
        "--order",
        ",".join(map(str, reversed(ids))),
        "--as-of",
        AS_OF,
        "--json",
    )
    assert out.returncode == 0, out.stderr
    for args, flag in [
        (["--strategy", "custom"], "--order"),
        (["--order", "1,x", "--strategy", "custom"], "--order"),
        (["--strategy", "custom", "--order", "999"], "999"),
    ]:
        bad = run("--db", str(demo_db), "plan", "--budget", "15000", *args, "--as-of", AS_OF)
        assert bad.returncode == 2 and flag in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    bad = run("--db", str(demo_db), "plan", "--budget", "-5", "--as-of", AS_OF)
    assert bad.returncode == 2 and "--budget" in bad.stderr


def test_budget_below_the_interest_never_ends(demo_db):
    out = run("--db", str(demo_db), "plan", "--budget", "100", "--as-of", AS_OF, "--json")
    assert out.returncode == 0
    doc = json.loads(out.stdout)
    assert doc["payoff_date"] is None
    assert "never paid off" in out.stderr
    text = run("--db", str(demo_db), "--lang", "zh_CN", "plan", "--budget", "100", "--as-of", AS_OF)
    assert "永远还不清" in text.stdout


def test_triage_on_the_demo_shows_each_debt_s_priority_and_reasons(demo_db):
    # 3,000 a month is far below the demo's minimums. The Baitiao is 120 days overdue: already
    # reported and non-performing, its arrears make a minimum of 3,533.35 that 3,000 cannot cure.
    # It goes last; Huabei (320.44) and Jiebei (1,370.00) are current and are kept current.
    out = run(
        "--db",
        str(demo_db),
        "--lang",
        "en_US",
        "plan",
        "--budget",
        "3000",
        "--strategy",
        "triage",
        "--as-of",
        AS_OF,
        "--json",
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    listed = {
        d["kind"]: d
        for d in json.loads(run("--db", str(demo_db), "debt", "list", "--as-of", AS_OF, "--json").stdout)
    }
    debts = {d["id"]: d for d in doc["debts"]}
    baitiao, huabei, jiebei = (debts[listed[k]["id"]] for k in ("jd_baitiao", "huabei", "jiebei"))
    private = debts[listed["private_loan"]["id"]]
    assert sorted(d["priority"] for d in debts.values()) == list(range(1, len(debts) + 1))
    assert baitiao["priority"] == len(debts)
    assert private["priority"] < huabei["priority"]  # the private lender sues soonest: not last
    assert {r["key"] for r in baitiao["reasons"] if r["happened"]} == {"credit_report", "non_performing"}
    assert {r["key"] for r in jiebei["reasons"]} == {"credit_report", "court"}
    assert all(
        r["text"] and r["certainty"] in ("law", "typical") for d in debts.values() for r in d["reasons"]
    )
    first = {p["debt_id"]: p["amount"] for p in doc["months_detail"][0]["payments"]}
    assert first[huabei["id"]] == huabei["minimum"] == "320.44"
    assert first[jiebei["id"]] == jiebei["minimum"] == "1370.00"
    assert baitiao["id"] not in first  # no part-payment that cures nothing
