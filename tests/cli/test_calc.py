"""``calc schedule`` and ``calc apr`` as a script sees them: output, JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy_financial as npf
import pytest

from tests.cli.inprocess import run_cli

ROOT = Path(__file__).resolve().parent.parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(["--lang", "en_US", *args])


def test_mortgage_schedule_json():
    out = run(
        "calc",
        "schedule",
        "--principal",
        "1000000",
        "--rate",
        "4.9",
        "--rate-unit",
        "year",
        "--months",
        "360",
        "--method",
        "equal-installment",
        "--start",
        "2026-01-15",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert list(doc) == ["method", "principal", "payment_total", "interest_total", "fee_total", "rows"]
    assert list(doc["rows"][0]) == [
        "period",
        "due_date",
        "payment",
        "principal",
        "interest",
        "fee",
        "balance",
    ]
    assert doc["method"] == "equal-installment" and doc["principal"] == "1000000.00"
    assert doc["rows"][0]["payment"] == "5307.27" == f"{-npf.pmt(0.049 / 12, 360, 1e6):.2f}"
    assert doc["rows"][0]["due_date"] == "2026-02-15"
    assert len(doc["rows"]) == 360 and doc["rows"][-1]["balance"] == "0.00"
    assert sum(Decimal(r["principal"]) for r in doc["rows"]) == Decimal("1000000.00")
    assert Decimal(doc["interest_total"]) + Decimal(doc["principal"]) == Decimal(doc["payment_total"])


def test_zero_rate_and_due_day_31():
    out = run(
        "calc",
        "schedule",
        "--principal",
        "100",
        "--months",
        "3",
        "--start",
        "2026-01-10",
        "--due-day",
        "31",
        "--json",
    )
    doc = json.loads(out.stdout)
    assert [r["principal"] for r in doc["rows"]] == ["33.33", "33.33", "33.34"]
    assert [r["due_date"] for r in doc["rows"]] == ["2026-01-31", "2026-02-28", "2026-03-31"]


def test_fee_installment_schedule():
    out = run(
        "calc",
        "schedule",
        "--principal",
        "12000",
        "--months",
        "12",
        "--method",
        "fee-installment",
        "--fee-rate",
        "0.5",
        "--start",
        "2026-01-15",
        "--json",
    )
    doc = json.loads(out.stdout)
    assert doc["fee_total"] == "720.00" and doc["rows"][0]["payment"] == "1060.00"


def test_baitiao_apr():
    out = run("calc", "apr", "--fee-rate", "0.5", "--months", "12", "--principal", "12000", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert list(doc) == ["principal", "months", "fee_rate", "irr_monthly", "apr_simple", "apr_compound"]
    irr = npf.rate(12, -1060, 12000, 0)
    assert doc["apr_simple"] == f"{irr * 1200:.2f}" == "10.90"
    assert doc["apr_compound"] == f"{((1 + irr) ** 12 - 1) * 100:.2f}"
    assert doc["principal"] == "12000.00" and doc["months"] == 12 and doc["fee_rate"] == "0.5"


def test_pboc_worked_example_with_upfront_fee():
    out = run(
        "calc",
        "apr",
        "--principal",
        "100000",
        "--upfront-fee",
        "1000",
        "--payment",
        "8833.3",
        "--months",
        "12",
        "--json",
    )
    doc = json.loads(out.stdout)
    assert (doc["apr_simple"], doc["apr_compound"]) == ("12.80", "13.58")


def test_revolving_minimum_path():
    out = run(
        "calc",
        "schedule",
        "--principal",
        "20000",
        "--rate",
        "0.05",
        "--rate-unit",
        "day",
        "--months",
        "12",
        "--method",
        "revolving",
        "--minimum-percent",
        "10",
        "--start",
        "2026-01-15",
        "--json",
    )
    doc = json.loads(out.stdout)
    assert doc["rows"][0]["payment"] == "2310.00"
    assert len(doc["rows"]) > 12 and doc["rows"][-1]["balance"] == "0.00"


@pytest.mark.parametrize(
    "args,flag",
    [
        (["calc", "schedule", "--principal", "-5", "--months", "12"], "--principal"),
        (["calc", "schedule", "--principal", "abc", "--months", "12"], "--principal"),
        (["calc", "schedule", "--principal", "5000", "--months", "0"], "--months"),
        (["calc", "schedule", "--principal", "5000", "--months", "12", "--rate", "3650"], "--rate"),
        (["calc", "schedule", "--principal", "5000", "--months", "12", "--rate", "-1"], "--rate"),
        (["calc", "schedule", "--principal", "5000", "--months", "12", "--due-day", "32"], "--due-day"),
        (["calc", "apr", "--principal", "5000", "--months", "12", "--fee-rate", "90"], "--fee-rate"),
        (["calc", "apr", "--principal", "5000", "--months", "12", "--upfront-fee", "5000"], "--upfront-fee"),
    ],
)
def test_bad_numbers_exit_2_naming_the_flag(args, flag):
    out = run(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and flag in lines[0]


@pytest.mark.slow
def test_messages_in_chinese():
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--lang",
            "zh_CN",
            "calc",
            "schedule",
            "--principal",
            "0",
            "--months",
            "12",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert out.returncode == 2 and "必须大于0" in out.stderr


def test_a_schedule_the_engine_refuses_is_explained_in_the_language_asked():
    # No minimum at all for a revolving balance: the engine refuses, and says why in Chinese.
    out = run_cli(
        [
            "--lang",
            "zh_CN",
            "calc",
            "schedule",
            "--principal",
            "1000",
            "--months",
            "12",
            "--rate",
            "12",
            "--method",
            "revolving",
            "--minimum-percent",
            "0",
            "--minimum-floor",
            "0",
        ]
    )
    assert out.returncode == 2
    assert "最低还款额须有大于 0 的比例或下限" in out.stderr
