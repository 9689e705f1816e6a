"""One damaged row, written with plain sqlite3 into a real database, × every command that reads it.

The person's way out must always work: ``export`` writes every readable row, names the unreadable ones and
the file it writes imports into an empty database; every other command leaves the damaged row out with one
warning line naming it (table, id, column, what is wrong), or, when the command is about that very record,
refuses in one line naming it. Never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

import cli
from services.app import Services

AS_OF = date(2026, 11, 23)
DAMAGED_DEBT = 3  # 借呗: one payment, a reminder
PAYMENT_DEBT = 5  # 建行快贷: ten payments, the first one damaged below
FIRST_PAYMENT_5 = "(SELECT min(id) FROM payments WHERE debt_id = 5)"


# (name, SQL, table, key, column): the row the warning must name, or None when the damage cannot be
# pinned to one column (a row whose debt is missing).
DAMAGE = [
    ("debt principal is text", "UPDATE debts SET principal = 'abc' WHERE id = 3", "debts", 3, "principal"),
    ("debt principal is a float", "UPDATE debts SET principal = 12.5 WHERE id = 3", "debts", 3, "principal"),
    (
        "debt principal is too large",
        "UPDATE debts SET principal = 9000000000000000000 WHERE id = 3",
        "debts",
        3,
        "principal",
    ),
    ("debt kind is unknown", "UPDATE debts SET kind = 'timeshare' WHERE id = 3", "debts", 3, "kind"),
    ("debt status is unknown", "UPDATE debts SET status = 'frozen' WHERE id = 3", "debts", 3, "status"),
    ("debt method is unknown", "UPDATE debts SET method = 'magic' WHERE id = 3", "debts", 3, "method"),
    (
        "debt rate unit is unknown",
        "UPDATE debts SET rate_unit = 'week' WHERE id = 3",
        "debts",
        3,
        "rate_unit",
    ),
    (
        "debt start date does not exist",
        "UPDATE debts SET start_date = '2026-02-30' WHERE id = 3",
        "debts",
        3,
        "start_date",
    ),
    (
        "debt start date is a number",
        "UPDATE debts SET start_date = 20260101 WHERE id = 3",
        "debts",
        3,
        "start_date",
    ),
    (
        "debt overdue_since is a word",
        "UPDATE debts SET overdue_since = 'yesterday' WHERE id = 3",
        "debts",
        3,
        "overdue_since",
    ),
    ("debt rate is text", "UPDATE debts SET rate = 'abc' WHERE id = 3", "debts", 3, "rate"),
    ("debt rate is NaN", "UPDATE debts SET rate = 'NaN' WHERE id = 3", "debts", 3, "rate"),
    ("debt months is text", "UPDATE debts SET months = 'twelve' WHERE id = 3", "debts", 3, "months"),
    ("debt months is zero", "UPDATE debts SET months = 0 WHERE id = 3", "debts", 3, "months"),
    ("debt due day is 45", "UPDATE debts SET due_day = 45 WHERE id = 3", "debts", 3, "due_day"),
    ("debt name is bytes", "UPDATE debts SET name = X'FF00' WHERE id = 3", "debts", 3, "name"),
    ("debt lender is missing", "UPDATE debts SET lender_id = 99 WHERE id = 3", "debts", 3, "lender_id"),
    ("debt owes less than was paid", "UPDATE debts SET principal = 1 WHERE id = 3", "debts", 3, "principal"),
    (
        "payment amount is text",
        f"UPDATE payments SET amount = 'abc' WHERE id = {FIRST_PAYMENT_5}",
        "payments",
        1,
        "amount",
    ),
    (
        "payment amount is a float",
        f"UPDATE payments SET amount = 12.5 WHERE id = {FIRST_PAYMENT_5}",
        "payments",
        1,
        "amount",
    ),
    (
        "payment amount is negative",
        f"UPDATE payments SET amount = -500 WHERE id = {FIRST_PAYMENT_5}",
        "payments",
        1,
        "amount",
    ),
    (
        "payment date does not exist",
        f"UPDATE payments SET date = '2026-02-30' WHERE id = {FIRST_PAYMENT_5}",
        "payments",
        1,
        "date",
    ),
    (
        "payment date is a number",
        f"UPDATE payments SET date = 20260215 WHERE id = {FIRST_PAYMENT_5}",
        "payments",
        1,
        "date",
    ),
    (
        "payment note is bytes",
        f"UPDATE payments SET note = X'FF' WHERE id = {FIRST_PAYMENT_5}",
        "payments",
        1,
        "note",
    ),
    (
        "payment split does not add up",
        f"UPDATE payments SET fees = 1 WHERE id = {FIRST_PAYMENT_5}",
        "payments",
        1,
        "amount",
    ),
    (
        "payment of no debt",
        f"UPDATE payments SET debt_id = 99 WHERE id = {FIRST_PAYMENT_5}",
        "payments",
        None,
        None,
    ),
    ("lender kind is unknown", "UPDATE lenders SET kind = 'mystery' WHERE id = 3", "lenders", 3, "kind"),
    (
        "contact channel is unknown",
        "UPDATE contacts SET channel = 'pigeon' WHERE id = 1",
        "contacts",
        1,
        "channel",
    ),
    ("contact time is a word", "UPDATE contacts SET \"when\" = 'noon' WHERE id = 1", "contacts", 1, "when"),
    (
        "contact conduct is not JSON",
        "UPDATE contacts SET conduct = 'not json' WHERE id = 1",
        "contacts",
        1,
        "conduct",
    ),
    (
        "reminder days are not JSON",
        "UPDATE reminders SET days_before = 'garbage' WHERE debt_id = 3",
        "reminders",
        3,
        "days_before",
    ),
    ("budget income is text", "UPDATE budget SET income = 'lots'", "budget", 1, "income"),
    (
        "expense is a float",
        "UPDATE budget_expenses SET amount = 1.5 WHERE category = '交通'",
        "budget_expenses",
        "交通",
        "amount",
    ),
    (
        "instalment due date does not exist",
        "INSERT INTO instalments (id, debt_id, period, due_date, amount, principal, interest, fee) "
        "VALUES (7, 3, 1, '2026-02-30', 100, 100, 0, 0)",
        "instalments",
        7,
        "due_date",
    ),
    (
        "setting is bytes",
        "INSERT INTO settings (key, value) VALUES ('person.name', X'FF')",
        "settings",
        "person.name",
        "value",
    ),
]
# Each row reads well, but together they cannot be: the figures, not the export, leave the debt out.
LEDGER_DAMAGE = {"debt owes less than was paid"}
DEBT_DAMAGE = {name for name, _sql, table, _key, _column in DAMAGE if table == "debts"} - LEDGER_DAMAGE

# (name, argv): every command that reads stored rows. OUT is replaced by the case's folder.
COMMANDS = [
    ("export", ["export", "--out", "OUT/e.json"]),
    ("export csv", ["export", "--out", "OUT/p.csv", "--payments-csv"]),
    ("debt list", ["debt", "list", "--as-of", "2026-11-23"]),
    ("debt list json", ["debt", "list", "--json", "--as-of", "2026-11-23"]),
    ("debt show damaged", ["debt", "show", str(DAMAGED_DEBT), "--as-of", "2026-11-23"]),
    ("debt show paid", ["debt", "show", str(PAYMENT_DEBT), "--json", "--as-of", "2026-11-23"]),
    ("plan", ["plan", "--budget", "9000", "--as-of", "2026-11-23"]),
    ("plan json", ["plan", "--budget", "9000", "--json", "--as-of", "2026-11-23"]),
    ("overdue", ["overdue", "1", "--as-of", "2026-11-23"]),
    ("overdue damaged", ["overdue", str(DAMAGED_DEBT), "--json", "--as-of", "2026-11-23"]),
    ("remind", ["remind", "--within", "30", "--as-of", "2026-11-23"]),
    ("remind ics", ["remind", "--within", "30", "--ics", "OUT/r.ics", "--as-of", "2026-11-23"]),
    ("plan-pdf", ["plan-pdf", "--budget", "9000", "--out", "OUT/plan.pdf", "--as-of", "2026-11-23"]),
    # Income and expenses given: a letter the damaged budget would leave without them is refused
    # by design; here the damaged row is still read, named and left out.
    (
        "letter",
        [
            "letter",
            "1",
            "--kind",
            "hardship",
            "--name",
            "张三",
            "--out",
            "OUT/l.pdf",
            "--income",
            "9000",
            "--expenses",
            "5000",
            "--as-of",
            "2026-11-23",
        ],
    ),
    ("payment add", ["payment", "add", str(PAYMENT_DEBT), "--amount", "1", "--date", "2026-11-23"]),
]
# Commands about one record: when that record is the damaged one they refuse in one line naming it.
ABOUT_THE_DAMAGED_DEBT = {"debt show damaged", "overdue damaged"}
# The commands that certainly read the damaged table's row, and so must name it.
ALL_DEBTS = {
    "export",
    "export csv",
    "debt list",
    "debt list json",
    "plan",
    "plan json",
    "remind",
    "remind ics",
    "plan-pdf",
}
MUST_NAME = {
    "debts": ALL_DEBTS,
    "payments": ALL_DEBTS | {"debt show paid"},
    "contacts": {"export", "overdue"},
}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    from services.demo import build_demo

    db = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    with Services.open(db) as svc:
        build_demo(svc, AS_OF)
    return db


def _copy(template: Path, to: Path) -> None:
    with contextlib.closing(sqlite3.connect(template)) as src, contextlib.closing(sqlite3.connect(to)) as dst:
        src.backup(dst)
    to.chmod(0o600)  # as the program keeps its files: a wider mode would add its own notice on stderr


@pytest.fixture(scope="module")
def damaged(template, tmp_path_factory):
    """One damaged copy of the demo per kind of damage, made once (the commands only read it)."""
    made: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in made:
            sql = next(s for n, s, *_ in DAMAGE if n == name)
            db = tmp_path_factory.mktemp("damaged") / "d.sqlite3"
            _copy(template, db)
            with contextlib.closing(sqlite3.connect(db)) as conn:
                conn.execute(sql)
                conn.commit()
            made[name] = db
        return made[name]

    return make


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def _names_the_row(line: str, table: str, key: object, column: str | None) -> bool:
    if f"table {table}" not in line:
        return False
    named_key = f" {key!r}" if isinstance(key, str) else f" {key},"
    return column is None or (named_key in line and f"column {column}" in line)


# The commands that write a PDF or a calendar file read what the others read, only slower: they get
# one kind of damage for each table and each way a value can be wrong.
SLOW = {"remind ics", "plan-pdf", "letter"}
REPRESENTATIVE = {
    "debt principal is text",
    "debt principal is a float",
    "debt kind is unknown",
    "debt start date does not exist",
    "debt months is zero",
    "debt lender is missing",
    "debt owes less than was paid",
    "payment amount is text",
    "payment date is a number",
    "payment of no debt",
    "lender kind is unknown",
    "contact conduct is not JSON",
    "reminder days are not JSON",
    "budget income is text",
    "instalment due date does not exist",
    "setting is bytes",
}
CASES = [(d[0], c[0]) for d in DAMAGE for c in COMMANDS if c[0] not in SLOW or d[0] in REPRESENTATIVE]


@pytest.mark.parametrize(("damage", "command"), CASES)
def test_a_damaged_row_is_left_out_and_named_never_a_traceback(damage, command, damaged, tmp_path):
    _name, _sql, table, key, column = next(d for d in DAMAGE if d[0] == damage)
    argv = [a.replace("OUT", str(tmp_path)) for a in dict(COMMANDS)[command]]
    db = damaged(damage)
    if command == "payment add":  # the only command that writes: on its own copy
        db = tmp_path / "w.sqlite3"
        _copy(damaged(damage), db)
    code, out, err = run_cli([*argv, "--db", str(db)])  # any exception fails the test here
    lines = err.strip().splitlines()
    if command == "plan json":  # the plan's notes go to stderr beside the JSON
        lines = [line for line in lines if line.startswith("debtkeeper:")]
    assert all(line.startswith("debtkeeper:") for line in lines), err
    if (command in ABOUT_THE_DAMAGED_DEBT and damage in DEBT_DAMAGE) or (
        command == "debt show damaged" and damage in LEDGER_DAMAGE
    ):
        assert code == 2 and len(lines) == 1, err
        assert _names_the_row(lines[0], table, key, column), err
        return
    assert code in ((0, 1) if command.startswith("export") else (0, 2, 3)), err
    if code == 2:  # refused: one line, and it names the damaged row
        assert command == "payment add" and len(lines) == 1, err
        assert _names_the_row(lines[0], table, key, column), err
        return
    warnings = [line for line in lines if _names_the_row(line, table, key, column)]
    exported_as_is = command.startswith("export") and damage in LEDGER_DAMAGE
    if (command == "export" and not exported_as_is) or (
        column is not None and command in MUST_NAME.get(table, ()) and not exported_as_is
    ):
        assert warnings, f"the damaged row is not named: {err!r}"
    if command == "debt list json" and table == "debts":
        assert [d["id"] for d in json.loads(out)] == [1, 2, 4, 5, 6]
    if command == "export":
        assert code == (1 if warnings else 0), err
        _export_imports_into_an_empty_database(tmp_path / "e.json", tmp_path, damage)


def _export_imports_into_an_empty_database(export: Path, tmp_path: Path, damage: str) -> None:
    document = json.loads(export.read_text(encoding="utf-8"))
    fresh = tmp_path / "fresh.sqlite3"
    code, _out, err = run_cli(["import", str(export), "--db", str(fresh)])
    assert code == 0, err
    again = tmp_path / "again.json"
    code, _out, err = run_cli(["export", "--out", str(again), "--db", str(fresh)])
    assert (code, err) == (0, ""), err
    assert json.loads(again.read_text(encoding="utf-8")) == document
    if damage in DEBT_DAMAGE:  # everything but the damaged debt and what belongs to it
        assert [d["id"] for d in document["debts"]] == [1, 2, 4, 5, 6]
        assert DAMAGED_DEBT not in {p["debt_id"] for p in document["payments"]}
        assert len(document["payments"]) == 15


def test_a_damaged_row_is_named_in_the_persons_language(damaged, tmp_path):
    code, _out, err = run_cli(
        [
            "debt",
            "list",
            "--lang",
            "zh_CN",
            "--as-of",
            "2026-11-23",
            "--db",
            str(damaged("debt principal is text")),
        ]
    )
    assert code == 0
    (line,) = err.strip().splitlines()
    assert "debts" in line and "principal" in line and "'abc'" in line
    assert "skipped" not in line and "column" not in line  # the words around the names are Chinese
