"""The command line as a contract (docs/cli.md), checked from outside.

Every command, flag and JSON field the contract names is run through ``cli.main`` as the
command line runs it (its own standard streams and exit code) on a fresh temporary database;
expected figures come from the contract text, published tables or numpy-financial, never from
the program's own code.
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy_financial as npf
import pytest

from tests.cli.inprocess import run_cli

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-23"
AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
PERCENT = re.compile(r"^-?\d+(\.\d+)?$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CJK = re.compile(r"[\u4e00-\u9fff]")

DEBT_KEYS = {
    "name",
    "lender",
    "kind",
    "principal",
    "start_date",
    "method",
    "months",
    "rate",
    "rate_unit",
    "fee_rate",
    "due_day",
    "grace_days",
    "penalty_rate_multiplier",
    "late_fee_rate_per_day",
    "overdue_since",
    "overdue_amount",
    "received_amount",
    "instalments_paid",
    "outstanding_principal",
    "outstanding_as_of",
}
REQUIRED = ("name", "lender", "kind", "principal", "start_date", "method", "months")
KINDS = (
    "jd_baitiao",
    "jd_jintiao",
    "huabei",
    "jiebei",
    "credit_card",
    "bank_loan",
    "consumer_finance",
    "small_loan",
    "private_loan",
    "mortgage",
    "car_loan",
    "guaranteed",
    "other",
)
METHODS = (
    "equal-installment",
    "equal-principal",
    "interest-only",
    "bullet",
    "fee-installment",
    "daily-interest",
    "revolving",
)
LETTER_KINDS = ("negotiation", "hardship", "proposal", "complaint", "statement", "dispute")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    # No language in the environment: --lang alone must decide it.
    return run_cli(
        args, stdin=stdin, env={"LANG": "C.UTF-8"}, unset=("DEBTKEEPER_LANG", "LC_ALL", "LANGUAGE")
    )


def ok(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    result = run(*args, stdin=stdin)
    assert result.returncode == 0, (args, result.stderr)
    return result


def bad(*args: str, stdin: str | None = None) -> str:
    """Bad input: exit 2 and exactly one line on stderr; returns it."""
    result = run(*args, stdin=stdin)
    assert result.returncode == 2, (args, result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def as_json(*args: str, stdin: str | None = None) -> object:
    return json.loads(ok(*args, stdin=stdin).stdout)


def preset(kind: str) -> dict[str, object]:
    with (ROOT / "resources" / "rules" / "products.toml").open("rb") as f:
        return tomllib.load(f)["products"][kind]  # type: ignore[no-any-return]


def iso(day: date) -> str:
    return day.isoformat()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("contract") / "demo.sqlite3"
    ok("--db", str(db), "demo", "--as-of", AS_OF)
    return db


# --- global flags ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["debt", "show", "1", "--json"],
        ["plan", "--budget", "5000", "--json"],
        ["remind", "--within", "60", "--json"],
    ],
)
def test_db_before_or_after_the_subcommand_gives_the_same_answer(demo, args):
    before = ok("--db", str(demo), *args, "--as-of", AS_OF).stdout
    after = ok(*args, "--as-of", AS_OF, "--db", str(demo)).stdout
    assert before == after and before.strip()


@pytest.mark.parametrize(
    ("lang", "chinese", "first"),
    [("zh", True, True), ("zh_CN", True, False), ("en", False, True), ("en_US", False, False)],
)
def test_lang_short_and_long_forms_before_and_after_the_subcommand(demo, lang, chinese, first):
    args = ["overdue", "2", "--as-of", AS_OF]
    args = ["--lang", lang, *args] if first else [*args, "--lang", lang]
    before = ok("--db", str(demo), *args).stdout
    # Names are Chinese in the sample; the labels around them decide the language.
    assert ("逾期" in before) is chinese
    assert ("overdue" in before.lower()) is not chinese


def test_unknown_language_is_bad_input(demo):
    assert "fr_FR" in bad("--db", str(demo), "debt", "list", "--lang", "fr_FR")


# --- demo ----------------------------------------------------------------------------


def test_demo_dates_follow_as_of_and_a_non_empty_database_is_refused(demo, tmp_path):
    other = tmp_path / "other.sqlite3"
    ok("--db", str(other), "demo", "--as-of", "2025-03-01")
    first = as_json("--db", str(demo), "debt", "list", "--json", "--as-of", AS_OF)
    shifted = as_json("--db", str(other), "debt", "list", "--json", "--as-of", "2025-03-01")
    assert len(first) == len(shifted) > 0
    assert all(a["start_date"] != b["start_date"] for a, b in zip(first, shifted, strict=True))
    assert [d["days_overdue"] for d in first] == [d["days_overdue"] for d in shifted]
    before = demo.read_bytes() if demo.exists() else b""
    bad("--db", str(demo), "demo", "--as-of", AS_OF)
    assert demo.read_bytes() == before


# --- calc ----------------------------------------------------------------------------

SCHEDULE_KEYS = {"method", "principal", "payment_total", "interest_total", "fee_total", "rows"}
ROW_KEYS = {"period", "due_date", "payment", "principal", "interest", "fee", "balance"}


@pytest.mark.parametrize("method", METHODS)
def test_calc_schedule_every_method(method):
    doc = as_json(
        "calc",
        "schedule",
        "--principal",
        "12000",
        "--rate",
        "12",
        "--rate-unit",
        "year",
        "--months",
        "12",
        "--method",
        method,
        "--fee-rate",
        "0.5",
        "--start",
        "2026-01-15",
        "--json",
    )
    assert set(doc) == SCHEDULE_KEYS and doc["method"] == method
    assert doc["principal"] == "12000.00"
    for key in SCHEDULE_KEYS - {"method", "rows"}:
        assert AMOUNT.match(doc[key]), (key, doc[key])
    rows = doc["rows"]
    assert rows and all(set(r) == ROW_KEYS for r in rows)
    if method == "bullet":  # one repayment at the end of the term
        assert [(r["period"], r["due_date"]) for r in rows] == [(12, "2027-01-15")]
    else:
        assert [r["period"] for r in rows] == list(range(1, len(rows) + 1))
        assert rows[0]["due_date"] == "2026-02-15"
    for r in rows:
        assert ISO.match(r["due_date"])
        assert all(AMOUNT.match(r[k]) for k in ROW_KEYS - {"period", "due_date"})
        parts = Decimal(r["principal"]) + Decimal(r["interest"]) + Decimal(r["fee"])
        assert Decimal(r["payment"]) == parts
    assert sum(Decimal(r["principal"]) for r in rows) <= Decimal("12000.00")
    assert Decimal(doc["payment_total"]) == sum(Decimal(r["payment"]) for r in rows)
    assert Decimal(doc["interest_total"]) == sum(Decimal(r["interest"]) for r in rows)
    assert Decimal(doc["fee_total"]) == sum(Decimal(r["fee"]) for r in rows)
    if method != "revolving":
        assert sum(Decimal(r["principal"]) for r in rows) == Decimal("12000.00")
        assert rows[-1]["balance"] == "0.00"


def test_calc_schedule_mortgage_matches_the_published_figure():
    # 1,000,000 at 4.9% a year over 30 years: 5,307.27 a month (bank calculators, 2019-2021 base rate).
    doc = as_json(
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
        "--json",
        "--start",
        "2026-01-15",
    )
    payments = [Decimal(r["payment"]) for r in doc["rows"]]
    assert len(payments) == 360
    assert set(payments[:-1]) == {Decimal("5307.27")}
    expected = -npf.pmt(0.049 / 12, 360, 1_000_000)
    assert abs(float(payments[0]) - expected) < 0.005


def test_calc_schedule_zero_rate_last_period_absorbs_the_residue():
    doc = as_json(
        "calc",
        "schedule",
        "--principal",
        "100.00",
        "--rate",
        "0",
        "--months",
        "3",
        "--json",
        "--start",
        "2026-01-15",
    )
    assert [r["principal"] for r in doc["rows"]] == ["33.33", "33.33", "33.34"]
    assert [r["payment"] for r in doc["rows"]] == ["33.33", "33.33", "33.34"]


def test_calc_apr_keys_and_figure_against_numpy_financial():
    doc = as_json("calc", "apr", "--principal", "12000", "--months", "12", "--fee-rate", "0.5", "--json")
    assert set(doc) == {"principal", "months", "fee_rate", "irr_monthly", "apr_simple", "apr_compound"}
    assert doc["principal"] == "12000.00" and doc["months"] == 12
    assert Decimal(doc["fee_rate"]) == Decimal("0.5")
    # 12 payments of 1000 principal + 60 fee for 12000 received.
    irr = npf.rate(12, -1060, 12000, 0)
    assert all(PERCENT.match(doc[k]) for k in ("irr_monthly", "apr_simple", "apr_compound"))
    assert abs(float(doc["irr_monthly"]) - irr * 100) < 0.0001
    assert abs(float(doc["apr_simple"]) - irr * 1200) < 0.01
    assert abs(float(doc["apr_compound"]) - ((1 + irr) ** 12 - 1) * 100) < 0.01


@pytest.mark.parametrize(
    "args",
    [
        ["calc", "schedule", "--principal", "-5", "--months", "12"],
        ["calc", "schedule", "--principal", "1000", "--months", "12", "--rate", "3650"],
        ["calc", "schedule", "--principal", "1000", "--months", "12", "--start", "1900-01-01"],
        ["calc", "schedule", "--principal", "1000", "--months", "12", "--method", "magic"],
        ["calc", "apr", "--principal", "abc", "--months", "12"],
    ],
)
def test_calc_bad_input(args):
    bad(*args)


# --- debts and payments --------------------------------------------------------------


def minimal_debt(kind: str = "jd_baitiao", **extra: object) -> dict[str, object]:
    return {
        "name": "白条",
        "lender": "京东金融",
        "kind": kind,
        "principal": "12000.00",
        "start_date": "2026-01-15",
        "method": "fee-installment",
        "months": 12,
        **extra,
    }


def test_debt_add_from_file_and_stdin_prints_the_id_and_defaults_from_the_preset(tmp_path):
    db = tmp_path / "d.sqlite3"
    source = tmp_path / "debt.json"
    source.write_text(json.dumps(minimal_debt(), ensure_ascii=False), encoding="utf-8")
    assert ok("--db", str(db), "debt", "add", "--json", str(source)).stdout.strip() == "1"
    second = minimal_debt("private_loan", method="bullet", rate="24", rate_unit="year")
    assert (
        ok(
            "--db", str(db), "debt", "add", "--json", "-", stdin=json.dumps(second, ensure_ascii=False)
        ).stdout.strip()
        == "2"
    )
    shown = as_json("--db", str(db), "debt", "show", "1", "--json", "--as-of", "2026-01-20")
    # the second round of the contract adds the derived status and the effective annual rate
    assert set(shown) == DEBT_KEYS | {"id", "balance", "days_overdue", "payments", "status", "apr"}
    assert shown["id"] == 1 and shown["payments"] == [] and shown["days_overdue"] == 0
    assert shown["balance"] == "12000.00"
    for key in (
        "rate",
        "rate_unit",
        "fee_rate",
        "grace_days",
        "penalty_rate_multiplier",
        "late_fee_rate_per_day",
    ):
        expected = preset("jd_baitiao")[key]
        assert (
            Decimal(shown[key]) == Decimal(expected)
            if isinstance(expected, str) and key != "rate_unit"
            else shown[key] == expected
        ), key
    listed = as_json("--db", str(db), "debt", "list", "--json", "--as-of", "2026-01-20")
    assert [d["id"] for d in listed] == [1, 2]
    assert all(set(d) == DEBT_KEYS | {"id", "balance", "days_overdue", "status", "apr"} for d in listed)
    assert listed[1]["rate"] == "24" or Decimal(listed[1]["rate"]) == Decimal("24")
    for d in listed:
        assert AMOUNT.match(d["principal"]) and AMOUNT.match(d["balance"]) and ISO.match(d["start_date"])
        assert all(
            PERCENT.match(d[k])
            for k in ("rate", "fee_rate", "late_fee_rate_per_day", "penalty_rate_multiplier")
        )


def test_every_kind_of_the_contract_is_accepted_and_starts_from_its_own_preset(tmp_path):
    db = tmp_path / "kinds.sqlite3"
    for number, kind in enumerate(KINDS, start=1):
        debt = minimal_debt(kind, method="equal-installment")
        assert ok(
            "--db", str(db), "debt", "add", "--json", "-", stdin=json.dumps(debt, ensure_ascii=False)
        ).stdout.strip() == str(number), kind
        shown = as_json("--db", str(db), "debt", "show", str(number), "--json", "--as-of", "2026-01-20")
        assert shown["kind"] == kind
        assert Decimal(shown["rate"]) == Decimal(preset(kind)["rate"]), kind
    listed = as_json("--db", str(db), "debt", "list", "--json", "--as-of", "2026-01-20")
    assert [d["kind"] for d in listed] == list(KINDS)


@pytest.fixture(scope="module")
def one_debt(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("contract") / "one.sqlite3"
    ok("--db", str(db), "debt", "add", "--json", "-", stdin=json.dumps(minimal_debt()))
    return db


@pytest.mark.parametrize(
    "change",
    [
        {"colour": "red"},  # unknown key
        {"name": None},  # required
        {"lender": None},
        {"kind": None},
        {"principal": None},
        {"start_date": None},
        {"method": None},
        {"months": None},
        {"principal": "-5"},
        {"start_date": "1900-01-01"},
        {"rate": "3650", "rate_unit": "year"},
        {"kind": "loan_shark"},
    ],
)
def test_debt_add_refuses_bad_json_and_writes_nothing(one_debt, change):
    before = one_debt.read_bytes()
    data = {k: v for k, v in {**minimal_debt(), **change}.items() if v is not None}
    line = bad("--db", str(one_debt), "debt", "add", "--json", "-", stdin=json.dumps(data))
    named = next(iter(change))
    # The field is named by its label in the user's language ("Start date", "Kind of debt").
    assert named.replace("_", " ") in line.lower()
    assert one_debt.read_bytes() == before


def test_after_the_refusals_the_database_still_holds_one_debt(one_debt):
    assert len(as_json("--db", str(one_debt), "debt", "list", "--json")) == 1


def test_payment_add_amount_and_date_show_up_split(tmp_path):
    db = tmp_path / "d.sqlite3"
    ok("--db", str(db), "debt", "add", "--json", "-", stdin=json.dumps(minimal_debt()))
    payment_id = ok("--db", str(db), "payment", "add", "1", "--amount", "1060", "--date", "2026-02-15")
    assert payment_id.stdout.strip() == "1"
    shown = as_json("--db", str(db), "debt", "show", "1", "--json", "--as-of", "2026-02-16")
    [p] = shown["payments"]
    assert set(p) == {"id", "date", "amount", "fees", "interest", "principal"}
    assert p["id"] == 1 and p["date"] == "2026-02-15" and p["amount"] == "1060.00"
    # The fee first (0.5% of 12000 = 60.00), then interest (none), then principal.
    assert (p["fees"], p["interest"], p["principal"]) == ("60.00", "0.00", "1000.00")
    assert shown["balance"] == "11000.00"
    bad("--db", str(db), "payment", "add", "1", "--amount", "-5", "--date", "2026-02-15")
    bad("--db", str(db), "payment", "add", "99", "--amount", "5", "--date", "2026-02-15")
    bad("--db", str(db), "payment", "add", "1", "--amount", "5", "--date", "2026-02-30")


# --- plan ----------------------------------------------------------------------------

PLAN_KEYS = {
    "strategy",
    "budget",
    "months",
    "payoff_date",
    "total_interest",
    "total_paid",
    "debts",
    "months_detail",
}


@pytest.mark.parametrize("strategy", ["avalanche", "snowball", "custom", "triage"])
def test_plan_every_strategy(demo, strategy):
    order = ["--order", "6,5,4,3,2,1"] if strategy == "custom" else []
    doc = as_json(
        "--db",
        str(demo),
        "plan",
        "--budget",
        "15000",
        "--strategy",
        strategy,
        *order,
        "--json",
        "--as-of",
        AS_OF,
    )
    assert set(doc) == PLAN_KEYS and doc["strategy"] == strategy and doc["budget"] == "15000.00"
    assert AMOUNT.match(doc["total_interest"]) and AMOUNT.match(doc["total_paid"])
    assert ISO.match(doc["payoff_date"]) and doc["payoff_date"] > AS_OF
    # each debt's real minimum this month; a triage plan adds its priority and the reasons for it
    extra = {"priority", "reasons"} if strategy == "triage" else set()
    assert all(set(d) == {"id", "name", "payoff_date", "interest", "minimum"} | extra for d in doc["debts"])
    assert all(AMOUNT.match(d["minimum"]) for d in doc["debts"])
    assert sorted(d["id"] for d in doc["debts"]) == [1, 2, 3, 4, 5, 6]
    detail = doc["months_detail"]
    assert len(detail) == doc["months"] and [m["month"] for m in detail] == list(range(1, doc["months"] + 1))
    for m in detail:
        assert set(m) == {"month", "date", "payments", "remaining"} and ISO.match(m["date"])
        assert all(set(p) == {"debt_id", "amount"} and AMOUNT.match(p["amount"]) for p in m["payments"])
        assert sum(Decimal(p["amount"]) for p in m["payments"]) <= Decimal("15000.00")
    assert detail[-1]["remaining"] == "0.00" and detail[-1]["date"] == doc["payoff_date"]
    paid = sum(Decimal(p["amount"]) for m in detail for p in m["payments"])
    assert paid == Decimal(doc["total_paid"])
    if strategy == "custom":
        first = [p["debt_id"] for p in detail[0]["payments"]]
        assert 6 in first


def test_plan_as_of_moves_the_dates(demo):
    later = as_json("--db", str(demo), "plan", "--budget", "15000", "--json", "--as-of", "2026-12-23")
    now = as_json("--db", str(demo), "plan", "--budget", "15000", "--json", "--as-of", AS_OF)
    assert now["months_detail"][0]["date"] < later["months_detail"][0]["date"]


def test_plan_bad_input(demo, tmp_path):
    bad("--db", str(demo), "plan", "--budget", "-1", "--as-of", AS_OF)
    assert "--order" in bad("--db", str(demo), "plan", "--budget", "100", "--strategy", "custom")
    bad("--db", str(demo), "plan", "--budget", "100", "--strategy", "greedy", "--as-of", AS_OF)
    # plan-pdf is the same plan on paper: the same checks, the same messages.
    out = tmp_path / "p.pdf"
    assert "--order" in bad(
        "--db", str(demo), "plan-pdf", "--budget", "100", "--strategy", "custom", "--out", str(out)
    )
    assert "--budget" in bad("--db", str(demo), "plan-pdf", "--budget", "abc", "--out", str(out))
    assert not out.exists()


def test_a_budget_that_pays_nothing_off_says_so(demo):
    doc = as_json("--db", str(demo), "plan", "--budget", "0", "--json", "--as-of", AS_OF)
    assert doc["payoff_date"] is None and all(d["payoff_date"] is None for d in doc["debts"])
    text = ok("--db", str(demo), "plan", "--budget", "0", "--as-of", AS_OF, "--lang", "en").stdout
    assert "not paid off within the plan" in text and "paid off not paid off" not in text


# --- overdue -------------------------------------------------------------------------

OVERDUE_KEYS = {
    "debt_id",
    "as_of",
    "days_overdue",
    "overdue_principal",
    "penalty_interest",
    "late_fees",
    "total_due",
    "stage",
    "events",
    "limitation_ends",
    "legal_checks",
}


def check_overdue_document(doc: dict) -> None:
    assert set(doc) >= OVERDUE_KEYS
    for key in ("overdue_principal", "penalty_interest", "late_fees", "total_due"):
        assert AMOUNT.match(doc[key]), key
    assert ISO.match(doc["as_of"]) and isinstance(doc["days_overdue"], int) and doc["stage"]
    assert doc["limitation_ends"] is None or ISO.match(doc["limitation_ends"])
    assert doc["events"]
    for e in doc["events"]:
        assert {"day", "date", "kind", "text", "source", "certainty"} <= set(e)
        assert e["certainty"] in {"law", "typical"} and ISO.match(e["date"]) and e["text"] and e["source"]
    assert doc["legal_checks"]
    for c in doc["legal_checks"]:
        assert {"kind", "ok", "text", "source"} <= set(c) and isinstance(c["ok"], bool)


def test_overdue_since_counts_days_and_grace_does_not_reset(tmp_path):
    db = tmp_path / "d.sqlite3"
    since = date(2026, 7, 25)
    debt = minimal_debt(
        "credit_card",
        method="equal-installment",
        rate="18",
        rate_unit="year",
        grace_days=3,
        overdue_since=iso(since),
        overdue_amount="4000.00",
    )
    ok("--db", str(db), "debt", "add", "--json", "-", stdin=json.dumps(debt, ensure_ascii=False))
    for n in (0, 1, 3, 4, 120):
        doc = as_json("--db", str(db), "overdue", "1", "--json", "--as-of", iso(since + timedelta(days=n)))
        check_overdue_document(doc)
        assert doc["debt_id"] == 1 and doc["as_of"] == iso(since + timedelta(days=n))
        assert doc["days_overdue"] == n, n
    listed = as_json("--db", str(db), "debt", "list", "--json", "--as-of", iso(since + timedelta(days=40)))
    assert listed[0]["days_overdue"] == 40
    assert listed[0]["overdue_since"] == iso(since) and listed[0]["overdue_amount"] == "4000.00"


def test_overdue_of_a_current_debt_is_zero_and_legal_checks_apply(demo):
    doc = as_json("--db", str(demo), "overdue", "6", "--json", "--as-of", AS_OF)
    check_overdue_document(doc)
    assert doc["days_overdue"] == 0 and doc["total_due"] == "0.00"
    assert any(c["kind"] == "rate_cap" for c in doc["legal_checks"])


def test_overdue_demo_arrears(demo):
    doc = as_json("--db", str(demo), "overdue", "1", "--json", "--as-of", AS_OF)
    check_overdue_document(doc)
    # The 4 × LPR comparison shows the IRR rate with fees (10.90% for 0.5% a month) beside the nominal 6%.
    [cap] = [c for c in doc["legal_checks"] if c["kind"] == "rate_cap"]
    assert "10.90%" in cap["text"] and "6.00%" in cap["text"]
    listed = as_json("--db", str(demo), "debt", "list", "--json", "--as-of", AS_OF)
    since = date.fromisoformat(listed[0]["overdue_since"])
    assert doc["days_overdue"] == (date.fromisoformat(AS_OF) - since).days
    bad("--db", str(demo), "overdue", "99", "--json")


# --- documents -----------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def usurious(tmp_path_factory) -> Path:
    """A private loan at 24% a year: above 4 x LPR, so there is something to dispute."""
    db = tmp_path_factory.mktemp("contract") / "private.sqlite3"
    debt = minimal_debt(
        "private_loan", name="借款", lender="王五", method="bullet", rate="24", rate_unit="year"
    )
    ok("--db", str(db), "debt", "add", "--json", "-", stdin=json.dumps(debt, ensure_ascii=False))
    return db


@pytest.mark.parametrize(
    ("kind", "lang"), list(zip(LETTER_KINDS, ["zh", "en", "zh_CN", "en_US", "zh", "en"], strict=True))
)
def test_letter_every_kind(demo, usurious, tmp_path, kind, lang):
    out = tmp_path / f"{kind}.pdf"
    db, lender = (usurious, "王五") if kind == "dispute" else (demo, "京东")
    ok(
        "--db",
        str(db),
        "letter",
        "1",
        "--kind",
        kind,
        "--lang",
        lang,
        "--out",
        str(out),
        "--as-of",
        AS_OF,
        "--name",
        "张三",
    )
    assert out.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(out)
    assert "张三" in text and lender in text
    # Dated as of --as-of, in the letter's language.
    assert ("2026年11月23日" in text) is lang.startswith("zh")
    assert ("November 23, 2026" in text or "23 November 2026" in text) is lang.startswith("en")


def test_plan_pdf_in_both_languages(demo, tmp_path):
    for lang in ("zh", "en"):
        out = tmp_path / f"plan-{lang}.pdf"
        ok(
            "--db",
            str(demo),
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
        text = pdf_text(out)
        assert ("Repayment plan" in text) is (lang == "en")
        assert ("还款计划" in text) is (lang == "zh")


# --- reminders -----------------------------------------------------------------------


def test_remind_json_ics_and_exit_status(demo, tmp_path):
    ics = tmp_path / "dues.ics"
    result = ok("--db", str(demo), "remind", "--within", "7", "--json", "--ics", str(ics), "--as-of", AS_OF)
    dues = json.loads(result.stdout)
    assert dues and all(set(d) == {"debt_id", "name", "due_date", "amount", "overdue"} for d in dues)
    limit = date.fromisoformat(AS_OF) + timedelta(days=7)
    for d in dues:
        assert AMOUNT.match(d["amount"]) and isinstance(d["overdue"], bool)
        assert d["overdue"] or AS_OF <= d["due_date"] <= iso(limit)
    assert any(d["overdue"] for d in dues)  # the sample's arrears
    assert ics.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    empty = tmp_path / "empty.sqlite3"
    nothing = run("--db", str(empty), "remind", "--json", "--as-of", AS_OF)
    assert nothing.returncode == 3 and json.loads(nothing.stdout) == []
    bad("--db", str(demo), "remind", "--within", "-1")


# --- export, import, backup ----------------------------------------------------------


def test_export_import_export_same_bytes_and_ids(demo, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    ok("--db", str(demo), "export", "--out", str(first))
    fresh = tmp_path / "fresh.sqlite3"
    ok("--db", str(fresh), "import", str(first))
    ok("--db", str(fresh), "export", "--out", str(second))
    assert first.read_bytes() == second.read_bytes()
    ids = [d["id"] for d in as_json("--db", str(demo), "debt", "list", "--json", "--as-of", AS_OF)]
    assert [d["id"] for d in as_json("--db", str(fresh), "debt", "list", "--json", "--as-of", AS_OF)] == ids


def test_import_refuses_non_empty_unless_replace_which_backs_up(demo, tmp_path):
    data = tmp_path / "a.json"
    ok("--db", str(demo), "export", "--out", str(data))
    db = tmp_path / "other.sqlite3"
    ok("--db", str(db), "debt", "add", "--json", "-", stdin=json.dumps(minimal_debt()))
    bad("--db", str(db), "import", str(data))
    assert len(as_json("--db", str(db), "debt", "list", "--json")) == 1
    before = {p.name for p in tmp_path.rglob("*")}
    ok("--db", str(db), "import", str(data), "--replace")
    made = {p.name for p in tmp_path.rglob("*")} - before
    assert made, "--replace takes a backup first"
    assert len(as_json("--db", str(db), "debt", "list", "--json")) == 6


def test_failed_import_changes_nothing(tmp_path):
    db = tmp_path / "d.sqlite3"
    ok("--db", str(db), "debt", "add", "--json", "-", stdin=json.dumps(minimal_debt()))
    exported = tmp_path / "before.json"
    ok("--db", str(db), "export", "--out", str(exported))
    broken = tmp_path / "broken.json"
    broken.write_text('{"debts": [', encoding="utf-8")
    bad("--db", str(db), "import", str(broken), "--replace")
    again = tmp_path / "after.json"
    ok("--db", str(db), "export", "--out", str(again))
    assert exported.read_bytes() == again.read_bytes()


def test_backup_default_and_out(demo, tmp_path):
    out = tmp_path / "copy.sqlite3"
    ok("--db", str(demo), "backup", "--out", str(out))
    assert out.read_bytes()[:16] == b"SQLite format 3\x00"
    assert len(as_json("--db", str(out), "debt", "list", "--json", "--as-of", AS_OF)) == 6
    ok("--db", str(demo), "backup")


# --- help ----------------------------------------------------------------------------

HELP_COMMANDS = [
    ["demo"],
    ["calc", "schedule"],
    ["calc", "apr"],
    ["debt", "add"],
    ["debt", "list"],
    ["debt", "show"],
    ["payment", "add"],
    ["plan"],
    ["overdue"],
    ["letter"],
    ["plan-pdf"],
    ["remind"],
    ["export"],
    ["import"],
    ["backup"],
    ["encrypt"],
    ["restore"],
]


def test_every_command_takes_db_and_lang_and_every_flag_has_a_help_text_in_the_chosen_language():
    """Each option line of every command's --help carries an explanation, not just the flag, in English
    with --lang en and in Chinese with --lang zh."""
    for lang, heading in (("en", "options:"), ("zh", "选项:")):
        for args in HELP_COMMANDS:
            text = ok(*args, "--help", "--lang", lang).stdout
            assert "--db PATH" in text and "--lang LANG" in text, args
            assert bool(CJK.search(text.replace("债管家", ""))) == (lang == "zh"), args
            options = text.split(heading, 1)[1]
            entries = re.split(r"\n  (?=-)", "\n" + options)
            for raw in entries:
                entry = raw.strip()
                if not entry.startswith("-"):
                    continue
                flag, _, rest = entry.partition("  ")
                assert rest.strip() or "\n" in entry, (args, flag)
                if lang == "zh":
                    assert CJK.search(rest), (args, flag)


def test_as_of_fixes_today_for_the_schedule_start_and_the_payment_date(tmp_path):
    doc = as_json(
        "calc", "schedule", "--principal", "300", "--months", "3", "--json", "--as-of", "2026-01-31"
    )
    assert [r["due_date"] for r in doc["rows"]] == ["2026-02-28", "2026-03-31", "2026-04-30"]
    db = tmp_path / "d.sqlite3"
    ok("--db", str(db), "debt", "add", "--json", "-", stdin=json.dumps(minimal_debt()))
    ok("--db", str(db), "payment", "add", "1", "--amount", "100", "--as-of", "2026-03-02")
    shown = as_json("--db", str(db), "debt", "show", "1", "--json", "--as-of", "2026-03-02")
    assert [p["date"] for p in shown["payments"]] == ["2026-03-02"]


def test_an_import_with_one_bad_debt_changes_nothing_even_with_replace(demo, tmp_path):
    data = tmp_path / "a.json"
    ok("--db", str(demo), "export", "--out", str(data))
    document = json.loads(data.read_text(encoding="utf-8"))
    document["debts"][-1]["principal"] = "-5.00"
    data.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "d.sqlite3"
    ok("--db", str(db), "debt", "add", "--json", "-", stdin=json.dumps(minimal_debt()))
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    ok("--db", str(db), "export", "--out", str(before))
    assert "principal" in bad("--db", str(db), "import", str(data), "--replace").lower()
    ok("--db", str(db), "export", "--out", str(after))
    assert before.read_bytes() == after.read_bytes()
