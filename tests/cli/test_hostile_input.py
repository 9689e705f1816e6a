"""Hostile input, fuzzed: every command ends in success or exit 2 with one clear line, never a traceback,
and a failed command leaves the database exactly as it was."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import math
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cli
from services.app import Services
from services.jsonio import export_database, export_document

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text a hostile or careless person might type or paste.
HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "'; DROP TABLE debts; --",
            "Robert'); DELETE FROM payments;--",
            "\x00",
            "\x1b[31m",
            '=HYPERLINK("http://x")',
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\u202egnp.exe",
            "名" * 5000,
            "a" * 100_000,
            "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
        ]
    ),
    st.text(max_size=60),
)
HOSTILE_NUMBER = st.one_of(
    st.sampled_from(
        [
            "NaN",
            "nan",
            "-NaN",
            "Infinity",
            "-inf",
            "1e999",
            "-0",
            "0",
            "-1",
            "-0.01",
            "0.001",
            "99999999999999999999999",
            "1" * 400,
            "1,000,000.00",
            "１２３",
            "0x10",
            "1_000",
            "",
            "¥-5",
            "￥1，234.50",
            "12.345",
            "3650",
            "1e-7",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
HOSTILE_DATE = st.one_of(
    st.sampled_from(
        [
            "1900-01-01",
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "2026-13-01",
            "26-1-1",
            "yesterday",
            "",
            "2026-11-23T10:00",
            "１９９９-01-01",
            "2026-11-23\x00",
        ]
    ),
    st.dates().map(date.isoformat),
)
JSON_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=False, allow_infinity=False),
        HOSTILE_TEXT,
        HOSTILE_NUMBER,
        HOSTILE_DATE,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def run_cli(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(argv)
    return code, err.getvalue()


def digest(db: Path) -> str:
    with Services.open(db) as svc:
        return hashlib.sha256(export_database(svc)).hexdigest()


def assert_clean_failure_or_success(code: int, err: str, db: Path, before: str) -> None:
    assert code in (0, 2, 3), err
    assert "Traceback" not in err
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(("debtkeeper", "debtkeeper:")), err
        assert digest(db) == before, "a failed command changed the database"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    from services.demo import build_demo

    db = tmp_path_factory.mktemp("hostile") / "d.sqlite3"
    with Services.open(db) as svc:
        build_demo(svc, AS_OF)
    return db


@pytest.fixture(scope="module")
def document(demo_db) -> dict:
    with Services.open(demo_db) as svc:
        return export_document(svc)


def _paths(doc: dict) -> list[tuple]:
    """Every (section, index, key) of the export that holds a value."""
    found = []
    for section, rows in doc.items():
        if isinstance(rows, list):
            for i, row in enumerate(rows[:3]):
                found += [(section, i, key) for key in row]
        elif isinstance(rows, dict):
            found += [(section, None, key) for key in rows]
    return found


@FUZZ
@given(data=st.data())
def test_import_of_a_mangled_export_is_refused_cleanly_or_accepted(demo_db, document, tmp_path_factory, data):
    doc = copy.deepcopy(document)
    where = data.draw(st.sampled_from(_paths(doc)))
    value = data.draw(JSON_VALUE)
    section, index, key = where
    if index is None:
        doc[section][key] = value
    else:
        doc[section][index][key] = value
    text = json.dumps(doc, ensure_ascii=False)
    if data.draw(st.booleans()):  # sometimes also break the JSON itself
        cut = data.draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:cut] + data.draw(st.sampled_from(["", "}", "\x00", "NaN", '{"a":']))
    file = tmp_path_factory.mktemp("imp") / "in.json"
    file.write_text(text, encoding="utf-8")
    before = digest(demo_db)
    code, err = run_cli(["import", str(file), "--replace", "--db", str(demo_db)])
    assert_clean_failure_or_success(code, err, demo_db, before)
    if code == 0:  # put the demo back for the next example
        file.write_bytes(json.dumps(document).encode())
        assert run_cli(["import", str(file), "--replace", "--db", str(demo_db)])[0] == 0


@FUZZ
@given(raw=st.one_of(st.binary(max_size=300), HOSTILE_TEXT.map(lambda t: t.encode("utf-8", "replace"))))
def test_import_of_garbage_bytes_is_refused(demo_db, tmp_path_factory, raw):
    file = tmp_path_factory.mktemp("garbage") / "in.json"
    file.write_bytes(raw)
    before = digest(demo_db)
    code, err = run_cli(["import", str(file), "--replace", "--db", str(demo_db)])
    assert code == 2
    assert_clean_failure_or_success(code, err, demo_db, before)


DEBT_KEYS = (
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
)


@FUZZ
@given(key=st.sampled_from(DEBT_KEYS), value=JSON_VALUE)
def test_debt_json_with_a_hostile_field(demo_db, tmp_path_factory, key, value):
    debt = {
        "name": "Loan",
        "lender": "Bank",
        "kind": "bank_loan",
        "principal": "12000.00",
        "start_date": "2026-01-15",
        "method": "equal-installment",
        "months": 12,
    }
    debt[key] = value
    file = tmp_path_factory.mktemp("debt") / "d.json"
    file.write_text(json.dumps(debt), encoding="utf-8")
    before = digest(demo_db)
    code, err = run_cli(["debt", "add", "--json", str(file), "--db", str(demo_db)])
    assert_clean_failure_or_success(code, err, demo_db, before)
    if code == 0:
        with Services.open(demo_db) as svc:
            newest = max(d.id for d in svc.list_debts())
            svc.remove_debt(newest)


ARGV = st.one_of(
    st.tuples(
        st.just("payment"),
        st.just("add"),
        HOSTILE_NUMBER,
        st.just("--amount"),
        HOSTILE_NUMBER,
        st.just("--date"),
        HOSTILE_DATE,
    ),
    st.tuples(st.just("debt"), st.just("show"), HOSTILE_NUMBER),
    st.tuples(st.just("overdue"), HOSTILE_NUMBER, st.just("--as-of"), HOSTILE_DATE),
    st.tuples(
        st.just("plan"),
        st.just("--budget"),
        HOSTILE_NUMBER,
        st.just("--strategy"),
        st.sampled_from(["avalanche", "snowball", "custom", "triage", "DROP"]),
        st.just("--order"),
        HOSTILE_TEXT,
    ),
    st.tuples(
        st.just("calc"),
        st.just("schedule"),
        st.just("--principal"),
        HOSTILE_NUMBER,
        st.just("--rate"),
        HOSTILE_NUMBER,
        st.just("--months"),
        HOSTILE_NUMBER,
        st.just("--method"),
        st.sampled_from(["equal-installment", "revolving", "fee-installment", "x"]),
    ),
    st.tuples(
        st.just("calc"),
        st.just("apr"),
        st.just("--principal"),
        HOSTILE_NUMBER,
        st.just("--months"),
        HOSTILE_NUMBER,
        st.just("--fee-rate"),
        HOSTILE_NUMBER,
    ),
    st.tuples(st.just("remind"), st.just("--within"), HOSTILE_NUMBER, st.just("--as-of"), HOSTILE_DATE),
    st.tuples(st.just("backup"), st.just("--verify"), HOSTILE_TEXT.filter(lambda t: "\x00" not in t)),
    st.tuples(st.just("restore"), HOSTILE_TEXT.filter(lambda t: "\x00" not in t)),
    st.tuples(st.just("debt"), st.just("list"), st.just("--lang"), HOSTILE_TEXT),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(argv=ARGV)
def test_every_command_with_hostile_arguments(demo_db, argv):
    args = [a for a in argv if "\x00" not in a] + ["--db", str(demo_db)]
    before = digest(demo_db)
    code, err = run_cli(args)
    assert_clean_failure_or_success(code, err, demo_db, before)
    if code == 0 and args[0] == "payment":
        with Services.open(demo_db) as svc:
            svc.remove_payment(max(p.id for p in svc.list_payments()))


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        ["payment", "add", "1", "--amount", "NaN", "--date", "2026-11-01"],
        ["payment", "add", "1", "--amount", "5", "--date", "1900-01-01"],
        ["debt", "show", "99999999999999999999999"],
        ["restore", "/nonexistent/backup.sqlite3"],
        ["import", "/nonexistent.json", "--replace"],
    ],
)
def test_hostile_arguments_in_a_real_process(demo_db, argv, tmp_path):
    before = digest(demo_db)
    env = {**os.environ, "DEBTKEEPER_LANG": "en_US"}
    result = subprocess.run(
        [sys.executable, "main.py", *argv, "--db", str(demo_db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert digest(demo_db) == before


def test_a_corrupt_database_is_exit_2_with_a_way_forward_and_untouched(tmp_path):
    db = tmp_path / "d.sqlite3"
    with Services.open(db) as svc:
        svc.add_debt(
            {
                "name": "Loan",
                "lender": "Bank",
                "kind": "bank_loan",
                "principal": "100.00",
                "start_date": "2026-01-15",
                "method": "bullet",
                "months": 1,
            }
        )
        from services import safety

        safety.backup_now(svc, "daily")
    damaged = os.urandom(30_000)
    db.write_bytes(damaged)
    for argv in (["debt", "list"], ["payment", "add", "1", "--amount", "1", "--date", "2026-02-01"]):
        code, err = run_cli([*argv, "--db", str(db)])
        assert code == 2 and len(err.strip().splitlines()) == 1
        assert "damaged" in err and "main.py restore" in err
    assert db.read_bytes() == damaged
    backup = err.split("main.py restore ")[1].split(" --db")[0]
    assert run_cli(["restore", backup, "--db", str(db)])[0] == 0
    with Services.open(db) as svc:
        assert [d.name for d in svc.list_debts()] == ["Loan"]


def test_csv_export_defuses_formulas(tmp_path):
    import csv

    db = tmp_path / "d.sqlite3"
    with Services.open(db) as svc:
        debt = svc.add_debt(
            {
                "name": '=HYPERLINK("http://evil","x")',
                "lender": "+cmd|' /C calc'!A0",
                "kind": "bank_loan",
                "principal": "100.00",
                "start_date": "2026-01-15",
                "method": "bullet",
                "months": 1,
            }
        )
        svc.add_payment(debt, "1.00", date(2026, 2, 1), note="@SUM(1+1)")
        svc.add_payment(debt, "1.00", date(2026, 2, 2), note="-1+2")
    out = tmp_path / "p.csv"
    assert run_cli(["export", "--out", str(out), "--payments-csv", "--db", str(db)])[0] == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    cells = [c for row in rows[1:] for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not _is_number(c))]
    assert '\'=HYPERLINK("http://evil","x")' in cells and "'@SUM(1+1)" in cells


def _is_number(cell: str) -> bool:
    try:
        return not math.isnan(float(cell))
    except ValueError:
        return False
