"""demo, debt, payment, export, import and backup, run as a person runs them."""

from __future__ import annotations

import hashlib
import json
import stat
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.inprocess import run_cli

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-23"


def run(*args: str, stdin: str | None = None, lang: str = "en_US") -> subprocess.CompletedProcess[str]:
    return run_cli(args, stdin=stdin, env={"DEBTKEEPER_LANG": lang})


def export_hash(db: Path, tmp_path: Path) -> str:
    """Everything the database holds, as the hash of its deterministic export."""
    from services.app import Services
    from services.jsonio import export_database

    with Services.open(db) as svc:
        return hashlib.sha256(export_database(svc)).hexdigest()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "d.sqlite3"
    result = run("--db", str(db), "demo", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    return db


def test_demo_then_debt_list_json(demo_db):
    result = run("--db", str(demo_db), "debt", "list", "--json", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    debts = json.loads(result.stdout)
    assert {d["kind"] for d in debts} == {
        "jd_baitiao",
        "credit_card",
        "jiebei",
        "huabei",
        "bank_loan",
        "private_loan",
    }
    baitiao = next(d for d in debts if d["kind"] == "jd_baitiao")
    assert baitiao["days_overdue"] == 120
    assert baitiao["overdue_since"] == (date.fromisoformat(AS_OF) - timedelta(days=120)).isoformat()
    bank = next(d for d in debts if d["kind"] == "bank_loan")
    assert bank["method"] == "equal-installment" and bank["days_overdue"] == 0
    for debt in debts:
        assert {"id", "balance", "days_overdue", "name", "principal", "rate"} <= set(debt)
        assert len(debt["balance"].split(".")[1]) == 2
    assert stat.S_IMODE(demo_db.stat().st_mode) == 0o600


def test_db_flag_after_the_subcommand(demo_db):
    result = run("debt", "list", "--json", "--db", str(demo_db))
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 6


def test_debt_show_json_has_payments(demo_db):
    result = run("--db", str(demo_db), "debt", "show", "5", "--json", "--as-of", AS_OF)
    shown = json.loads(result.stdout)
    # The sample's bank loan started 2026-01-15 and is kept current: one payment on each due
    # date from 2026-02-15 to 2026-11-15, ten in all.
    assert shown["id"] == 5 and len(shown["payments"]) == 10
    assert [p["date"][5:7] for p in shown["payments"]] == [f"{m:02d}" for m in range(2, 12)]
    assert set(shown["payments"][0]) == {"id", "date", "amount", "fees", "interest", "principal"}


def test_debt_add_prints_the_new_id_and_payment_add_splits(tmp_path):
    db = tmp_path / "d.sqlite3"
    debt = {
        "name": "京东白条",
        "lender": "京东金融",
        "kind": "jd_baitiao",
        "principal": "12000.00",
        "start_date": "2026-01-15",
        "method": "fee-installment",
        "months": 12,
        "fee_rate": "0.5",
        "due_day": 15,
    }
    result = run("--db", str(db), "debt", "add", "--json", "-", stdin=json.dumps(debt, ensure_ascii=False))
    assert (result.returncode, result.stdout.strip()) == (0, "1"), result.stderr
    result = run("--db", str(db), "payment", "add", "1", "--amount", "1060", "--date", "2026-02-15", "--json")
    payment = json.loads(result.stdout)
    assert (payment["fees"], payment["interest"], payment["principal"]) == ("60.00", "0.00", "1000.00")
    shown = json.loads(run("--db", str(db), "debt", "show", "1", "--json").stdout)
    assert shown["balance"] == "11000.00"


def test_export_import_export_identical(demo_db, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert run("--db", str(demo_db), "export", "--out", str(first)).returncode == 0
    fresh = tmp_path / "fresh.sqlite3"
    result = run("--db", str(fresh), "import", str(first))
    assert result.returncode == 0, result.stderr
    assert run("--db", str(fresh), "export", "--out", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_import_replace_backs_up_beside_the_database(demo_db, tmp_path):
    data = tmp_path / "a.json"
    run("--db", str(demo_db), "export", "--out", str(data))
    db = tmp_path / "r.sqlite3"
    run("--db", str(db), "demo", "--as-of", "2025-01-01")
    result = run("--db", str(db), "import", str(data), "--replace")
    assert result.returncode == 0, result.stderr
    backups = list((tmp_path / "backups").glob("r-*.sqlite3"))
    assert len(backups) == 1


def test_backup_default_and_explicit(demo_db, tmp_path):
    out = tmp_path / "copy.sqlite3"
    assert run("--db", str(demo_db), "backup", "--out", str(out)).returncode == 0
    assert export_hash(out, tmp_path) == export_hash(demo_db, tmp_path)
    result = run("--db", str(demo_db), "backup")
    assert result.returncode == 0
    assert list((demo_db.parent / "backups").glob("d-*.sqlite3"))


def test_payments_csv_flag(demo_db, tmp_path):
    out = tmp_path / "p.csv"
    assert run("--db", str(demo_db), "export", "--out", str(out), "--payments-csv").returncode == 0
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("id,debt_id,debt,lender,date,amount")


BAD = {
    "demo on a non-empty database": ["demo"],
    "demo with a date in 1900": ["demo", "--as-of", "1900-01-01"],
    "debt add from a missing file": ["debt", "add", "--json", "/nonexistent/debt.json"],
    "debt add with bad fields": ["debt", "add", "--json", "@bad_debt"],
    "debt add with broken JSON": ["debt", "add", "--json", "@broken"],
    "debt show of no such debt": ["debt", "show", "99"],
    "debt show of a non-number": ["debt", "show", "abc"],
    "debt list with a bad date": ["debt", "list", "--as-of", "2026-13-01"],
    "payment of a negative amount": ["payment", "add", "1", "--amount", "-5", "--date", "2026-11-01"],
    "payment of text": ["payment", "add", "1", "--amount", "lots", "--date", "2026-11-01"],
    "payment larger than owed": ["payment", "add", "1", "--amount", "99999999", "--date", "2026-11-01"],
    "payment to no such debt": ["payment", "add", "99", "--amount", "5", "--date", "2026-11-01"],
    "payment in 1900": ["payment", "add", "1", "--amount", "5", "--date", "1900-01-01"],
    "export to a missing folder": ["export", "--out", "/nonexistent/folder/x.json"],
    "import of a malformed file": ["import", "@malformed", "--replace"],
    "import into a non-empty database": ["import", "@good"],
    "import of a missing file": ["import", "/nonexistent/x.json"],
    "backup to an impossible place": ["backup", "--out", "/proc/debtkeeper/x.sqlite3"],
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_2_with_one_line_and_changes_nothing(case, demo_db, tmp_path):
    files = {
        "@bad_debt": json.dumps(
            {
                "name": "",
                "lender": "x",
                "kind": "bank_loan",
                "principal": "-1",
                "start_date": "1900-01-01",
                "method": "bullet",
                "months": 0,
                "rate": "3650",
            }
        ),
        "@broken": '{"name": "x",',
        "@malformed": json.dumps(
            {"format": "debtkeeper", "version": 1, "debts": [{"id": 1, "principal": "lots"}]}
        ),
    }
    args = []
    for arg in BAD[case]:
        if arg == "@good":
            good = tmp_path / "good.json"
            run("--db", str(demo_db), "export", "--out", str(good))
            args.append(str(good))
        elif arg in files:
            path = tmp_path / "input.json"
            path.write_text(files[arg], encoding="utf-8")
            args.append(str(path))
        else:
            args.append(arg)
    before = export_hash(demo_db, tmp_path)
    result = run("--db", str(demo_db), *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert export_hash(demo_db, tmp_path) == before


def test_bad_input_message_is_in_chinese_when_asked(demo_db):
    result = run(
        "--db",
        str(demo_db),
        "--lang",
        "zh_CN",
        "payment",
        "add",
        "1",
        "--amount",
        "-5",
        "--date",
        "2026-11-01",
    )
    assert result.returncode == 2 and "金额：必须大于零" in result.stderr


def test_all_field_errors_on_one_line(demo_db, tmp_path):
    bad = {
        "name": "",
        "lender": "x",
        "kind": "bank_loan",
        "principal": "-1",
        "start_date": "1900-01-01",
        "method": "bullet",
        "months": 0,
        "rate": "3650",
        "colour": "red",
    }
    result = run("--db", str(demo_db), "debt", "add", "--json", "-", stdin=json.dumps(bad))
    assert result.returncode == 2
    for label in ("Name", "Principal", "Start date", "Number of months", "Interest rate", "colour"):
        assert f"{label}:" in result.stderr


def test_newer_database_is_refused_with_exit_2(tmp_path):
    import sqlite3

    db = tmp_path / "d.sqlite3"
    run("--db", str(db), "debt", "list")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    result = run("--db", str(db), "debt", "list")
    assert result.returncode == 2 and "newer version" in result.stderr


def test_corrupt_database_is_refused_with_exit_2(tmp_path):
    db = tmp_path / "d.sqlite3"
    db.write_bytes(b"garbage" * 1000)
    result = run("--db", str(db), "debt", "list")
    assert result.returncode == 2 and "damaged" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == b"garbage" * 1000
