"""The window and the command line on one database at once, as a person has them; then the window is killed.

A scheduled ``remind`` beside an open window once deleted the window's
write-ahead log: the window had opened the database file by its path (to look
at its header) and closed it, and on Linux and macOS closing any descriptor
of a file drops every lock the process holds on it (storage/live.py). Here a
real window process opens Settings, takes its daily backup and records
payments by clicking Save in the payment dialog, while command-line processes
run ``remind`` and ``payment add`` in between; then the window is killed with
SIGKILL. Every payment either side reported must be there, once, with its id.
The long form (more rounds, several windows killed) is benchmarks/bench_together.py.
"""

from __future__ import annotations

import json
import signal

import pytest

from tests.window_process import WindowProcess, cli, payments, write_in_turn

ROUNDS = 4
AS_OF = "2026-11-20"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_window_and_command_line_write_in_turn_then_the_window_is_killed(tmp_path):
    db = tmp_path / "together.sqlite3"
    assert cli(db, "demo", "--as-of", AS_OF).returncode == 0
    debt_ids = [d["id"] for d in json.loads(cli(db, "debt", "list", "--json").stdout)][:2]
    before = payments(db)
    expected: dict[int, int] = {}
    window = WindowProcess(db)
    try:
        for n in range(ROUNDS):
            paid = write_in_turn(db, window, debt_ids, n, AS_OF)
            assert not set(paid) & set(expected), "a payment id was given twice"
            expected.update(paid)
    finally:
        window.kill()
    after = payments(db)
    for payment_id, fen in expected.items():
        assert after.get(payment_id) == fen, f"payment {payment_id} of {fen} fen is missing or changed"
    assert set(after) == set(before) | set(expected)
