"""The one way benchmarks here time a piece of work: the median of repeated runs, in ms."""

from __future__ import annotations

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
