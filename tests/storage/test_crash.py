"""Crash safety: a process writing payments is killed (SIGKILL) again and again; nothing committed is lost.

Each payment is one transaction through the services; the writer prints its id
only after the commit returned. After every kill the database must pass
``PRAGMA integrity_check`` and hold every payment that was reported.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from services.app import Services

ROOT = Path(__file__).resolve().parents[2]
KILLS = 18
DEBTS = 4

WRITER = """
import sys
from datetime import date, timedelta
from services.app import Services

svc = Services.open(sys.argv[1])
ids = [d.id for d in svc.list_debts()]
i = 0
while True:
    i += 1
    payment_id = svc.add_payment(ids[i % len(ids)], "0.01", date(2026, 2, 1) + timedelta(days=i % 200))
    print(payment_id, flush=True)
"""


def _integrity(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def _payment_ids(db: Path) -> set[int]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT id FROM payments")}
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_killing_a_writer_again_and_again_loses_no_committed_payment(tmp_path):
    db = tmp_path / "crash.sqlite3"
    with Services.open(db) as svc:
        for n in range(DEBTS):
            svc.add_debt(
                {
                    "name": f"Loan {n}",
                    "lender": f"Bank {n}",
                    "kind": "bank_loan",
                    "principal": "1000000.00",
                    "start_date": "2026-01-15",
                    "method": "equal-installment",
                    "months": 24,
                }
            )
    rng = random.Random(8)
    reported: set[int] = set()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed_while_writing = 0
    started = time.monotonic()
    for _kill in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Most kills land in the middle of writing (after the first commit, however slow the machine is
        # to start the process); a few during start-up (opening the database).
        first = ""
        if _kill % 6:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            time.sleep(rng.uniform(0.0, 0.8))
        else:
            time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        out = first + out
        assert proc.returncode == -signal.SIGKILL, err  # it was still running: killed, not crashed
        lines = out.splitlines()
        # A line cut by the kill is not a report (the id may or may not have committed).
        complete = lines if out.endswith("\n") else lines[:-1]
        ids = {int(line) for line in complete}
        killed_while_writing += bool(ids)
        reported |= ids
        assert _integrity(db) == ["ok"]
        stored = _payment_ids(db)
        assert reported <= stored, f"lost committed payments: {sorted(reported - stored)[:10]}"
    assert killed_while_writing >= KILLS // 2  # the test really killed writers, not idle processes
    assert len(reported) > 100
    assert time.monotonic() - started < 180
    # And the services still open it and see the same payments.
    with Services.open(db) as svc:
        assert {p.id for p in svc.list_payments()} >= reported
