"""Hostile files: JSON nested 100,000 deep, 5,000-digit numbers, 1,000 bad payments, devices and pipes.

Each gets one short line and exit 2, never a traceback, a 57 KB line or a hang, and changes nothing.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import cli
from services.app import Services
from services.jsonio import export_database, export_document

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)
DEBT = {
    "name": "Loan",
    "lender": "Bank",
    "kind": "bank_loan",
    "principal": "12000.00",
    "start_date": "2026-01-15",
    "method": "equal-installment",
    "months": 12,
}
LONG_LINE = 600  # characters: a message a person reads, not a dump


def run_cli(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(argv)
    return code, err.getvalue()


def run_process(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBTKEEPER_LANG": "en_US"}
    return subprocess.run(
        [sys.executable, "main.py", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def digest(db: Path) -> str:
    with Services.open(db) as svc:
        return hashlib.sha256(export_database(svc)).hexdigest()


def assert_one_short_line(code: int, err: str) -> str:
    assert code == 2, err[:2000]
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("debtkeeper"), err[:2000]
    assert len(lines[0]) < LONG_LINE, f"{len(lines[0])} characters: {lines[0][:300]}…"
    return lines[0]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    from services.demo import build_demo

    db = tmp_path_factory.mktemp("hostile-files") / "d.sqlite3"
    with Services.open(db) as svc:
        build_demo(svc, AS_OF)
    return db


@pytest.fixture(scope="module")
def document(demo_db) -> dict:
    with Services.open(demo_db) as svc:
        return export_document(svc)


NESTED = {
    "lists": "[" * 100_000 + "]" * 100_000,
    "objects": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "inside a debt": '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}",
}


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
@pytest.mark.parametrize("command", ["import", "debt add"])
def test_json_nested_100000_deep_is_one_line_and_exit_2(command, text, demo_db, tmp_path):
    file = tmp_path / "deep.json"
    file.write_text(text, encoding="utf-8")
    before = digest(demo_db)
    argv = ["import", str(file), "--replace"] if command == "import" else ["debt", "add", "--json", str(file)]
    line = assert_one_short_line(*run_cli([*argv, "--db", str(demo_db)]))
    assert "nested" in line
    assert digest(demo_db) == before


def _with_number(document: dict, where: str, number: str) -> str:
    """The export with one value replaced by a bare JSON number (text, so it keeps every digit)."""
    doc = copy.deepcopy(document)
    marker = "__NUMBER__"
    if where == "version":
        doc["version"] = marker
    elif where == "payment amount":
        doc["payments"][0]["amount"] = marker
    elif where == "payment id":
        doc["payments"][0]["id"] = marker
    else:
        doc["budget"]["income"] = marker
    return json.dumps(doc, ensure_ascii=False).replace(f'"{marker}"', number)


DIGITS = {
    "5000-digit integer": "9" * 5000,
    "5000-digit fraction": "1." + "5" * 5000,
    "5000-digit exponent": "1e" + "9" * 5000,
    "negative 5000 digits": "-" + "7" * 5000,
}


@pytest.mark.parametrize("number", DIGITS.values(), ids=DIGITS.keys())
@pytest.mark.parametrize("where", ["version", "payment amount", "payment id", "budget income"])
def test_a_5000_digit_number_in_an_import_is_one_line_and_exit_2(where, number, demo_db, document, tmp_path):
    file = tmp_path / "big.json"
    file.write_text(_with_number(document, where, number), encoding="utf-8")
    before = digest(demo_db)
    assert_one_short_line(*run_cli(["import", str(file), "--replace", "--db", str(demo_db)]))
    assert digest(demo_db) == before


@pytest.mark.parametrize("number", DIGITS.values(), ids=DIGITS.keys())
@pytest.mark.parametrize("field", ["principal", "months", "rate", "due_day"])
def test_a_5000_digit_number_in_a_debt_is_one_line_and_exit_2(field, number, demo_db, tmp_path):
    file = tmp_path / "debt.json"
    text = json.dumps({**DEBT, field: "__NUMBER__"}).replace('"__NUMBER__"', number)
    file.write_text(text, encoding="utf-8")
    before = digest(demo_db)
    line = assert_one_short_line(*run_cli(["debt", "add", "--json", str(file), "--db", str(demo_db)]))
    assert field.replace("_", " ") in line.lower() or field in line
    assert digest(demo_db) == before


def test_a_file_with_1000_bad_payments_names_the_first_few_and_counts_them(demo_db, document, tmp_path):
    doc = copy.deepcopy(document)
    template = doc["payments"][0]
    doc["payments"] = [{**template, "id": 1000 + n, "amount": f"x{n}"} for n in range(1000)]
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = digest(demo_db)
    line = assert_one_short_line(*run_cli(["import", str(file), "--replace", "--db", str(demo_db)]))
    assert "payments[0].amount" in line and "payments[999]" not in line
    assert "1000" in line.replace(",", "")  # how many there are in all
    assert digest(demo_db) == before


def test_a_debt_with_every_field_wrong_still_lists_each_field(demo_db, tmp_path):
    """A handful of problems is shown whole: the short form is for files with hundreds."""
    bad = {
        "name": 1,
        "lender": 2,
        "kind": "x",
        "principal": "x",
        "start_date": "x",
        "method": "x",
        "months": "x",
    }
    file = tmp_path / "debt.json"
    file.write_text(json.dumps(bad), encoding="utf-8")
    line = assert_one_short_line(*run_cli(["debt", "add", "--json", str(file), "--db", str(demo_db)]))
    assert line.count(":") >= 8 and "more" not in line


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("source", ["/dev/zero", "fifo", "folder"])
@pytest.mark.parametrize("command", ["import", "debt add"])
def test_a_device_a_pipe_or_a_folder_to_read_is_refused_not_a_hang(command, source, tmp_path):
    if source == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)  # nobody ever writes to it: reading would wait forever
    elif source == "folder":
        path = tmp_path / "folder"
        path.mkdir()
    else:
        path = Path(source)
    db = tmp_path / "d.sqlite3"
    argv = ["import", str(path)] if command == "import" else ["debt", "add", "--json", str(path)]
    result = run_process(*argv, "--db", str(db), timeout=30)
    line = assert_one_short_line(result.returncode, result.stderr)
    assert str(path) in line and "not a regular file" in line


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize(
    "command",
    [["debt", "list"], ["demo"], ["export", "--out", "OUT"], ["payment", "add", "1", "--amount", "1"]],
)
@pytest.mark.parametrize("source", ["fifo", "/dev/zero", "/dev/null"])
def test_a_pipe_or_a_device_as_the_database_is_refused_not_a_hang(command, source, tmp_path):
    if source == "fifo":
        db = tmp_path / "pipe.sqlite3"
        os.mkfifo(db)
    else:
        db = Path(source)
    argv = [a.replace("OUT", str(tmp_path / "e.json")) for a in command]
    result = run_process(*argv, "--db", str(db), timeout=30)
    line = assert_one_short_line(result.returncode, result.stderr)
    assert str(db) in line
    assert not (tmp_path / "e.json").exists()


@pytest.mark.slow
def test_standard_input_is_still_read(demo_db):
    env = {**os.environ, "DEBTKEEPER_LANG": "en_US"}
    result = subprocess.run(
        [sys.executable, "main.py", "debt", "add", "--json", "-", "--db", str(demo_db)],
        cwd=ROOT,
        env=env,
        input=json.dumps(DEBT),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with Services.open(demo_db) as svc:
        svc.remove_debt(int(result.stdout))
