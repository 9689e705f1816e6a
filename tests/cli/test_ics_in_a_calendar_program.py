"""The .ics export imported by a real calendar program (khal): every due date shows, and a
later export updates the same events instead of adding copies."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A real calendar program in its own processes: slow.
pytestmark = [
    pytest.mark.skipif(shutil.which("khal") is None, reason="khal (Debian package) is not installed"),
    pytest.mark.slow,
]

KHAL_CONFIG = """[calendars]
[[dues]]
path = {path}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
"""


def _main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, check=False, cwd=ROOT
    )


def _khal(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["khal", "-c", str(config), *args], capture_output=True, text=True, check=False)


def test_khal_imports_the_dues_and_a_second_export_updates_them(tmp_path):
    db, ics, cal = tmp_path / "d.sqlite3", tmp_path / "dues.ics", tmp_path / "cal"
    cal.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(KHAL_CONFIG.format(path=cal), encoding="utf-8")
    assert _main("--db", str(db), "demo", "--as-of", "2026-11-23").returncode == 0
    listed = _main(
        "--db",
        str(db),
        "remind",
        "--within",
        "30",
        "--json",
        "--as-of",
        "2026-11-23",
        "--lang",
        "en",
        "--ics",
        str(ics),
    )
    assert listed.returncode == 0, listed.stderr

    imported = _khal(config, "import", "--batch", str(ics))
    assert imported.returncode == 0, imported.stderr
    events = sorted(p.name for p in cal.glob("*.ics"))
    assert "debt-1-overdue@debtkeeper.ics" in events
    shown = _khal(config, "list", "2026-11-23", "30d")
    assert shown.returncode == 0, shown.stderr
    # The card's instalment on its due date, as `remind` listed it.
    assert "2026-11-25" in shown.stdout and "招商银行信用卡" in shown.stdout

    # A day later: export and import again; the calendar keeps one event per due date.
    again = _main(
        "--db",
        str(db),
        "remind",
        "--within",
        "30",
        "--as-of",
        "2026-11-24",
        "--lang",
        "en",
        "--ics",
        str(ics),
    )
    assert again.returncode == 0, again.stderr
    assert _khal(config, "import", "--batch", str(ics)).returncode == 0
    assert sorted(p.name for p in cal.glob("*.ics")) == events


def test_khal_cancels_a_paid_instalment_after_the_next_import(tmp_path):
    """Import, pay, export, import: khal replaces the event by its UID with the cancelled one, so the
    instalment is no longer listed as a payment to make (khal shows it marked CANCELLED, without its
    alarm), and the calendar holds no second copy."""
    db, cal = tmp_path / "d.sqlite3", tmp_path / "cal"
    cal.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(KHAL_CONFIG.format(path=cal), encoding="utf-8")
    assert _main("--db", str(db), "demo", "--as-of", "2026-11-23").returncode == 0
    dues = json.loads(
        _main(
            "--db", str(db), "remind", "--within", "30", "--json", "--as-of", "2026-11-23", "--lang", "en"
        ).stdout
    )
    # 花呗's next instalment: a debt that is current, so a payment goes to that instalment.
    due = next(d for d in dues if d["name"] == "花呗" and not d["overdue"])
    day = due["due_date"]
    first = _main("--db", str(db), "remind", "--as-of", "2026-11-23", "--lang", "en", "--ics", "-")
    assert first.returncode == 0, first.stderr
    before = tmp_path / "before.ics"
    before.write_text(first.stdout, encoding="utf-8")
    assert _khal(config, "import", "--batch", str(before)).returncode == 0
    listed = _khal(config, "list", "--format", "{cancelled}{title}", day, "1d").stdout
    assert f"Pay 花呗: CN¥{due['amount']}" in listed and "CANCELLED" not in listed
    files = sorted(p.name for p in cal.glob("*.ics"))

    paid = _main(
        "--db",
        str(db),
        "payment",
        "add",
        str(due["debt_id"]),
        "--amount",
        due["amount"],
        "--date",
        "2026-11-23",
    )
    assert paid.returncode == 0, paid.stderr
    after = tmp_path / "after.ics"
    again = _main("--db", str(db), "remind", "--as-of", "2026-11-23", "--lang", "en", "--ics", str(after))
    assert again.returncode == 0, again.stderr
    assert _khal(config, "import", "--batch", str(after)).returncode == 0

    listed = _khal(config, "list", "--format", "{cancelled}{title}", day, "1d").stdout
    lines = [line for line in listed.splitlines() if "花呗" in line]
    assert lines == [f"CANCELLED Pay 花呗: CN¥{due['amount']}"]
    assert sorted(p.name for p in cal.glob("*.ics")) == files  # replaced, not added
    event_file = cal / f"debt-{due['debt_id']}-{day.replace('-', '')}@debtkeeper.ics"
    stored = event_file.read_text(encoding="utf-8")
    assert "STATUS:CANCELLED" in stored and "SEQUENCE:1" in stored and "BEGIN:VALARM" not in stored
