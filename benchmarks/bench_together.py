"""Long form of the window-and-command-line crash test (tests/test_window_and_command_line_together.py).

Several window processes in turn, each writing alternately with command-line
processes for a number of rounds and then killed with SIGKILL (some while a
payment is being saved). Reports how many payments were written and how many
were lost (always 0 is the result that counts), and the median time of a round.
"""

from __future__ import annotations

import json
import random
import signal
import statistics
import tempfile
import time
from pathlib import Path

from tests.window_process import WindowProcess, cli, payments, write_in_turn

WINDOWS = 6
ROUNDS = 8
AS_OF = "2026-11-20"


def run() -> list[dict]:
    if not hasattr(signal, "SIGKILL"):
        return []
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "together.sqlite3"
        cli(db, "demo", "--as-of", AS_OF)
        debt_ids = [d["id"] for d in json.loads(cli(db, "debt", "list", "--json").stdout)][:2]
        expected: dict[int, int] = {}
        round_ms: list[float] = []
        for _window in range(WINDOWS):
            window = WindowProcess(db)
            try:
                for _round in range(ROUNDS):
                    started = time.perf_counter()
                    expected.update(write_in_turn(db, window, debt_ids, len(expected), AS_OF))
                    round_ms.append((time.perf_counter() - started) * 1000)
                if rng.random() < 0.5 and window.proc.stdin is not None:  # killed while saving one more
                    window.proc.stdin.write(f"pay {debt_ids[0]} 9.99\n")
                    window.proc.stdin.flush()
                    time.sleep(rng.uniform(0.0, 0.3))
            finally:
                window.kill()
        after = payments(db)
        lost = [pid for pid, fen in expected.items() if after.get(pid) != fen]
    return [
        {
            "name": f"window+CLI rounds, {WINDOWS} windows killed",
            "median_ms": statistics.median(round_ms),
            "runs": len(round_ms),
            "note": f"{len(expected)} payments reported, {len(lost)} lost or changed",
        }
    ]
