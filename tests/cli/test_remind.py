"""`remind` on the demo database, run as cron would run it, checked against the schedules themselves."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.cli.inprocess import run_cli

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)


def run(*args: str, lang: str = "en_US", env_extra: dict[str, str] | None = None):
    return run_cli(args, env={"DEBTKEEPER_LANG": lang, **(env_extra or {})})


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("remind") / "demo.sqlite3"
    result = run("--db", str(db), "demo", "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    return db


def expected_dues(db: Path, as_of: date, within: int) -> list[dict[str, object]]:
    """Straight from each debt's schedule rows and stated arrears, without the reminder code."""
    from domain.debts import DebtStatus
    from domain.schedules import schedule_for
    from services.app import Services

    last = as_of + timedelta(days=within)
    out = []
    with Services.open(db) as svc:
        for debt in svc.list_debts():
            if debt.status in (DebtStatus.SETTLED, DebtStatus.ARCHIVED):
                continue
            rows = schedule_for(debt).rows
            if debt.overdue_since is not None:
                # The arrears as the overdue page counts them: the stated amount and the late fee
                # on it, amount x rate a day x days (no penalty interest: the demo's is at 0%).
                assert debt.rate == 0
                assert all(p.date < debt.overdue_since for p in svc.list_payments(debt.id))
                late_fee = (
                    debt.overdue_amount * debt.late_fee_rate_per_day / 100 * (as_of - debt.overdue_since).days
                ).quantize(Decimal("0.01"), ROUND_HALF_UP)
                out.append(
                    {
                        "debt_id": debt.id,
                        "name": debt.name,
                        "due_date": debt.overdue_since.isoformat(),
                        "amount": f"{debt.overdue_amount + late_fee:.2f}",
                        "overdue": True,
                    }
                )
            previous = [r.due_date for r in rows if r.due_date < as_of]
            paid_since = [p for p in svc.list_payments(debt.id) if previous and p.date > max(previous)]
            for row in rows:
                if as_of <= row.due_date <= last:
                    # The demo records no payment after a debt's last due date: the coming one is owed whole.
                    assert paid_since == []
                    out.append(
                        {
                            "debt_id": debt.id,
                            "name": debt.name,
                            "due_date": row.due_date.isoformat(),
                            "amount": f"{row.payment:.2f}",
                            "overdue": False,
                        }
                    )
    return sorted(out, key=lambda d: (d["due_date"], d["debt_id"]))


def test_within_7_lists_exactly_the_next_weeks_dues(demo_db):
    result = run("--db", str(demo_db), "remind", "--within", "7", "--json", "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed == expected_dues(demo_db, AS_OF, 7)
    assert any(d["overdue"] for d in listed) and any(not d["overdue"] for d in listed)
    assert all(set(d) == {"debt_id", "name", "due_date", "amount", "overdue"} for d in listed)


@pytest.mark.parametrize("within", [0, 1, 30])
def test_other_windows(demo_db, within):
    result = run(
        "--db", str(demo_db), "remind", "--within", str(within), "--json", "--as-of", AS_OF.isoformat()
    )
    assert json.loads(result.stdout) == expected_dues(demo_db, AS_OF, within)


def test_exit_3_when_nothing_is_due(tmp_path):
    db = tmp_path / "empty.sqlite3"
    result = run("--db", str(db), "remind", "--json", "--as-of", AS_OF.isoformat())
    assert (result.returncode, json.loads(result.stdout)) == (3, [])
    result = run("--db", str(db), "remind", "--as-of", AS_OF.isoformat())
    assert result.returncode == 3 and "Nothing is due in the next 7 days." in result.stdout


def test_bad_window_is_exit_2(demo_db):
    result = run("--db", str(demo_db), "remind", "--within", "-1")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "--within" in result.stderr


def test_ics_export_and_text_listing_in_chinese(demo_db, tmp_path):
    out = tmp_path / "dues.ics"
    result = run(
        "--db", str(demo_db), "remind", "--ics", str(out), "--as-of", AS_OF.isoformat(), lang="zh_CN"
    )
    assert result.returncode == 0, result.stderr
    assert "逾期" in result.stdout and "京东白条" in result.stdout
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    uids = {str(e["uid"]) for e in events}
    # Every coming instalment of every open debt, plus one arrears event per overdue debt.
    from domain.schedules import schedule_for
    from services.app import Services

    with Services.open(demo_db) as svc:
        debts = svc.list_debts(include_archived=False)
        coming = {
            f"debt-{d.id}-{r.due_date:%Y%m%d}@debtkeeper"
            for d in debts
            for r in schedule_for(d).rows
            if r.due_date >= AS_OF
        }
        arrears = {f"debt-{d.id}-overdue@debtkeeper" for d in debts if d.overdue_since}
    assert uids == coming | arrears
    again = tmp_path / "again.ics"
    run("--db", str(demo_db), "remind", "--ics", str(again), "--as-of", AS_OF.isoformat(), lang="zh_CN")
    assert again.read_bytes() == out.read_bytes()


def test_notify_without_a_desktop_prints_to_stderr(demo_db):
    env = {"PATH": "/nonexistent", "DISPLAY": "", "WAYLAND_DISPLAY": "", "DBUS_SESSION_BUS_ADDRESS": ""}
    result = run(
        "--db", str(demo_db), "remind", "--notify", "--json", "--as-of", AS_OF.isoformat(), env_extra=env
    )
    assert result.returncode == 0
    json.loads(result.stdout)  # stdout stays one JSON document
    assert result.stderr.startswith("DebtKeeper: ") and "payments due" in result.stderr


def test_amounts_are_money_strings(demo_db):
    result = run("--db", str(demo_db), "remind", "--within", "31", "--json", "--as-of", AS_OF.isoformat())
    for due in json.loads(result.stdout):
        whole, fen = due["amount"].split(".")
        assert Decimal(due["amount"]) > 0 and whole.isdigit() and len(fen) == 2


def test_unwritable_calendar_file_is_exit_2(demo_db, tmp_path):
    result = run(
        "--db",
        str(demo_db),
        "remind",
        "--ics",
        str(tmp_path / "no" / "such" / "x.ics"),
        "--as-of",
        AS_OF.isoformat(),
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "x.ics" in result.stderr


def test_notify_uses_notify_send_where_it_exists(demo_db, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "notified.txt"
    fake = bin_dir / "notify-send"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n', encoding="utf-8")
    fake.chmod(0o755)
    env = {"PATH": f"{bin_dir}:{os.environ.get('PATH', '')}", "DISPLAY": ":99"}
    result = run(
        "--db", str(demo_db), "remind", "--notify", "--as-of", AS_OF.isoformat(), lang="zh_CN", env_extra=env
    )
    assert result.returncode == 0, result.stderr
    args = record.read_text(encoding="utf-8").splitlines()
    assert args[:2] == ["--app-name=DebtKeeper", "--urgency=normal"]
    assert args[2] == "债管家：3 笔应还款"
    # the arrears with their late fee, as the overdue page shows them (expected_dues: 2,877.56)
    [arrears] = [d for d in expected_dues(demo_db, AS_OF, 7) if d["overdue"]]
    assert arrears["amount"] == "2877.56"
    assert "京东白条 12期：¥2,877.56，自 2026年7月26日 起逾期" in args[3:]
    assert result.stderr == ""  # nothing falls back to the terminal
