"""``debt add/show --json`` keep where a debt stood when entered (as a person runs it)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.cli.inprocess import run_cli

ROOT = Path(__file__).resolve().parents[2]
DEBT = {
    "name": "建行快贷",
    "lender": "中国建设银行",
    "kind": "bank_loan",
    "principal": "100000.00",
    "start_date": "2026-01-15",
    "method": "equal-installment",
    "months": 36,
    "rate": "4.35",
    "rate_unit": "year",
    "due_day": 15,
    "instalments_paid": 9,
    "outstanding_principal": "76207.50",
    "outstanding_as_of": "2026-10-15",
}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(args, stdin=stdin, env={"DEBTKEEPER_LANG": "en_US"})


def test_debt_add_then_show_round_trips_the_fields(tmp_path):
    db = str(tmp_path / "d.sqlite3")
    added = run("--db", db, "debt", "add", "--json", "-", stdin=json.dumps(DEBT))
    assert added.returncode == 0, added.stderr
    shown = run("--db", db, "debt", "show", added.stdout.strip(), "--json", "--as-of", "2026-10-15")
    assert shown.returncode == 0, shown.stderr
    obj = json.loads(shown.stdout)
    assert (obj["instalments_paid"], obj["outstanding_principal"], obj["outstanding_as_of"]) == (
        9,
        "76207.50",
        "2026-10-15",
    )
    # the balance is the principal the bank shows (0.18 off the schedule: within 1.00), not 100,000
    assert obj["balance"] == "76207.50"
    # what show prints is what add takes back
    again = {
        k: v
        for k, v in obj.items()
        if k not in ("id", "balance", "days_overdue", "payments", "status", "apr")
    }
    second = run("--db", db, "debt", "add", "--json", "-", stdin=json.dumps(again))
    assert second.returncode == 0, second.stderr


def test_figures_that_disagree_are_refused_with_both_fields_named(tmp_path):
    db = str(tmp_path / "d.sqlite3")
    # nine instalments of 等额本息 leave 76,207.68 (the schedule); 70,000 is more than 1.00 away
    result = run(
        "--db",
        db,
        "debt",
        "add",
        "--json",
        "-",
        stdin=json.dumps({**DEBT, "outstanding_principal": "70000.00"}),
    )
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line and "instalments_paid" in line and "outstanding_principal" in line
    assert "76207.68" in line  # what the nine instalments leave, so the person sees which figure is off
