"""The window and the command line on one database at once, as a person has them; then the window is killed.

A scheduled ``remind`` beside an open window once deleted the window's
write-ahead log: the window had opened the database file by its path (to look
at its header) and closed it, and on Linux and macOS closing any descriptor
of a file drops every lock the process holds on it (storage/live.py). Here a
real window process opens Settings, takes its daily backup and records
payments by clicking Save in the payment dialog, while command-line processes
run ``remind`` and ``payment add`` in between; then the window is killed with
SIGKILL. Every payment either side reported must be there, once, with its id.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("DEBTKEEPER_TOGETHER_ROUNDS", "4"))


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", "--db", str(db), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


class Window:
    def __init__(self, db: Path) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "window_process.py"), str(db)],
                                     cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        assert self._line() == "ready"

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line:
            self.proc.kill()
            _out, err = self.proc.communicate(timeout=30)
            raise AssertionError(f"the window process stopped: {err[-3000:]}")
        return line

    def ask(self, command: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        line = self._line()
        assert line.startswith("ok"), line
        return line[3:]

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.communicate(timeout=30)
        assert self.proc.returncode == -signal.SIGKILL


def _payments(db: Path) -> dict[int, int]:
    # Closed at once: a connection left open here would hold the locks the window lost, and hide the bug.
    conn = sqlite3.connect(db)
    try:
        assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
        return dict(conn.execute("SELECT id, amount FROM payments").fetchall())
    finally:
        conn.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_window_and_command_line_write_in_turn_then_the_window_is_killed(tmp_path):
    db = tmp_path / "together.sqlite3"
    assert _cli(db, "demo", "--as-of", "2026-11-20").returncode == 0
    debts = json.loads(_cli(db, "debt", "list", "--json").stdout)
    debt_ids = [d["id"] for d in debts if d.get("status", "current") != "settled"][:2]
    before = _payments(db)
    expected: dict[int, int] = {}
    window = Window(db)
    try:
        for n in range(ROUNDS):
            window.ask("settings")  # the Settings page looks at the data file
            window.ask("backup")
            reminded = _cli(db, "remind", "--as-of", "2026-11-20")
            assert reminded.returncode in (0, 3), reminded.stderr
            fen = 100 + n  # a distinct amount each time: 1.00, 1.01, ...
            paid = int(window.ask(f"pay {debt_ids[0]} {fen // 100}.{fen % 100:02d}"))
            expected[paid] = fen
            added = _cli(db, "payment", "add", str(debt_ids[1]), "--amount", f"2.{n:02d}",
                         "--date", "2026-11-20")
            assert added.returncode == 0, added.stderr
            expected[int(added.stdout.split()[-1])] = 200 + n
    finally:
        window.kill()
    after = _payments(db)
    assert len(expected) == 2 * ROUNDS, "two payments were given the same id"
    for payment_id, fen in expected.items():
        assert after.get(payment_id) == fen, f"payment {payment_id} of {fen} fen is missing or changed"
    assert set(after) == set(before) | set(expected)
