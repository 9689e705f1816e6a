"""Names and notes are stored as given, but the command line never sends their control characters to a
terminal: an ESC could clear the screen or retitle the window, a BEL rings, a CR overwrites the line, and a
bidirectional override (U+202E) shows text reversed. They are printed escaped (\\x1b, \\u202e)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.inprocess import run_cli

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-23"
NAME = "\x1b[2J\x07Evil\rLoan\u202eX\nline\x9b31m"
LENDER = "Bank\x1b]0;owned\x07"
NOTE = "paid\x1b[31m in cash\r\u2066"
# What a terminal would act on: C0 controls but tab and the newline between lines, DEL, C1 controls
# (U+009B is a one-character CSI), bidirectional controls, line and paragraph separators.
UNSAFE = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n"} | set(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
)


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(args, stdin=stdin, env={"DEBTKEEPER_LANG": "en_US"})


def _raw(text: str) -> set[str]:
    return set(text) & UNSAFE


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("escapes") / "d.sqlite3"
    debt = {
        "name": NAME,
        "lender": LENDER,
        "kind": "private_loan",
        "principal": "3000.00",
        "start_date": "2026-01-15",
        "method": "equal-installment",
        "months": 12,
        "overdue_since": "2026-10-15",
    }
    added = run("--db", str(path), "debt", "add", "--json", "-", stdin=json.dumps(debt))
    assert added.returncode == 0, added.stderr
    paid = run(
        "--db", str(path), "payment", "add", "1", "--amount", "10", "--date", "2026-11-01", "--note", NOTE
    )
    assert paid.returncode == 0, paid.stderr
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["debt", "list"],
        ["debt", "show", "1"],
        ["remind", "--within", "30"],
        ["plan", "--budget", "100"],
        ["plan", "--budget", "100", "--json"],
        ["overdue", "1"],
    ],
)
def test_printed_text_has_no_raw_control_characters(db, command):
    result = run("--db", str(db), *command, "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    assert _raw(result.stdout) == set() and _raw(result.stderr) == set()


def test_names_are_shown_escaped_where_they_are_listed(db):
    listed = run("--db", str(db), "debt", "list", "--as-of", AS_OF).stdout
    assert "\\x1b[2J\\x07Evil\\rLoan\\u202eX\\nline\\x9b31m" in listed
    assert "Bank\\x1b]0;owned\\x07" in listed
    assert len(listed.splitlines()) == 1  # a line break in a name does not start a new line
    remind = run("--db", str(db), "remind", "--within", "30", "--as-of", AS_OF).stdout
    assert "\\x1b[2J\\x07Evil" in remind


def test_json_is_readable_text_that_decodes_to_the_stored_name(db):
    result = run("--db", str(db), "debt", "show", "1", "--json", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    assert _raw(result.stdout) == set()
    shown = json.loads(result.stdout)
    assert shown["name"] == NAME and shown["lender"] == LENDER
    assert "\\u001b" in result.stdout and "\\u202e" in result.stdout


def test_json_keeps_chinese_as_it_is_and_escapes_only_controls(capsys):
    from cli import print_json

    value = {"name": "京东白条\x1b[2J\u202e\x9b", "note": "还款 ¥500\t"}
    print_json(value)
    out = capsys.readouterr().out
    assert json.loads(out) == value
    assert "京东白条" in out and "还款 ¥500" in out  # ensure_ascii=False: Chinese is not \\u-escaped
    assert _raw(out) == set() and "\\u202e" in out and "\\u009b" in out


def test_the_stored_value_is_unchanged_by_an_export_round_trip(db, tmp_path):
    out = tmp_path / "all.json"
    assert run("--db", str(db), "export", "--out", str(out)).returncode == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    (debt,) = document["debts"]
    assert debt["name"] == NAME and debt["lender"] == LENDER
    assert [p["note"] for p in document["payments"]] == [NOTE]
    again = tmp_path / "again.sqlite3"
    assert run("--db", str(again), "import", str(out)).returncode == 0
    out2 = tmp_path / "again.json"
    assert run("--db", str(again), "export", "--out", str(out2)).returncode == 0
    assert out2.read_bytes() == out.read_bytes()


def test_error_messages_quote_user_text_escaped(db):
    result = run(
        "--db", str(db), "plan", "--budget", "100", "--strategy", "custom", "--order", "1,\x1b[2J\x07"
    )
    assert result.returncode == 2
    assert _raw(result.stderr) == set() and "\\x1b[2J\\x07" in result.stderr
    bad = run("--db", str(db), "debt", "add", "--json", "/nonexistent/\x1b]0;x\x07\u202e.json")
    assert bad.returncode == 2 and _raw(bad.stderr) == set()
    assert "/nonexistent/\\x1b]0;x\\x07\\u202e.json" in bad.stderr


def test_terminal_safe_leaves_ordinary_text_alone():
    from cli import terminal_safe

    text = "京东白条 12期：¥2,826.68\tC:\\Users\\张三 😀 é"
    assert terminal_safe(text) == text
    escaped = terminal_safe("a\x1b[2Jb\x07\r\n\x7f\x9b\u202e\u2028")
    assert escaped == "a\\x1b[2Jb\\x07\\r\\n\\x7f\\x9b\\u202e\\u2028"
