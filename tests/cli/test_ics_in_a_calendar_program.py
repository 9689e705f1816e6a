"""The .ics export imported by a real calendar program (khal): every due date shows, and a
later export updates the same events instead of adding copies."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("khal") is None, reason="khal (Debian package) is not installed")

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
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          check=False, cwd=ROOT)


def _khal(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["khal", "-c", str(config), *args], capture_output=True, text=True, check=False)


def test_khal_imports_the_dues_and_a_second_export_updates_them(tmp_path):
    db, ics, cal = tmp_path / "d.sqlite3", tmp_path / "dues.ics", tmp_path / "cal"
    cal.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(KHAL_CONFIG.format(path=cal), encoding="utf-8")
    assert _main("--db", str(db), "demo", "--as-of", "2026-11-23").returncode == 0
    listed = _main("--db", str(db), "remind", "--within", "30", "--json", "--as-of", "2026-11-23",
                   "--lang", "en", "--ics", str(ics))
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
    again = _main("--db", str(db), "remind", "--within", "30", "--as-of", "2026-11-24", "--lang", "en",
                  "--ics", str(ics))
    assert again.returncode == 0, again.stderr
    assert _khal(config, "import", "--batch", str(ics)).returncode == 0
    assert sorted(p.name for p in cal.glob("*.ics")) == events
