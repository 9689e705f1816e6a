"""The one way benchmarks here time a piece of work: the median of repeated runs, in ms."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable


def median_ms(work: Callable[[], object], runs: int, *, warm_up: bool = False) -> float:
    """Median wall time of ``runs`` calls; ``warm_up`` runs it once first, untimed (imports, fonts)."""
    if warm_up:
        work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run_alone(run: Callable[[int], list[dict]], argv: list[str], runs: int) -> int:
    """A benchmark run by itself (``python benchmarks/bench_x.py [N]``): its rows as JSON lines."""
    for row in run(int(argv[0]) if argv else runs):
        print(json.dumps(row, ensure_ascii=False))
    return 0


def compile_tree() -> None:
    """Compile the program's modules to bytecode first, as an installed program has them (pip and the
    built bundle do): with PYTHONDONTWRITEBYTECODE set, every run would otherwise compile each module
    changed since its last .pyc, and the start-up figures would time the compiler."""
    import compileall
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for part in ("domain", "storage", "services", "fileio", "documents", "resources", "ui"):
        compileall.compile_dir(root / part, quiet=1)
    for name in ("main.py", "cli.py"):
        compileall.compile_file(root / name, quiet=1)
