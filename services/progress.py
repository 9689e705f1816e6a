"""How far long work has come, told to whoever shows it (a progress bar, a line on a terminal).

A service that can take long takes ``progress: Progress | None``: it calls ``progress(done, total)``
now and then from the thread it runs on, ``total`` None while it cannot tell. ``Stages`` puts
work done in several steps (reading a file, then splitting its payments) on one scale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Progress = Callable[[int, int | None], None]

SCALE = 1000  # the steps of a bar made of stages


class Stages:
    """One bar over work done in stages, each taking its share of the bar (shares add up to 1)."""

    def __init__(self, progress: Progress | None, shares: Sequence[float]) -> None:
        self._progress = progress
        self._starts = [sum(shares[:i]) for i in range(len(shares))]
        self._shares = list(shares)

    def report(self, stage: int, done: int, total: int | None) -> None:
        if self._progress is None:
            return
        part = min(done / total, 1.0) if total else 0.0
        self._progress(round(SCALE * (self._starts[stage] + self._shares[stage] * part)), SCALE)

    def stage(self, stage: int, total: int | None) -> Callable[[int], None]:
        """``report`` for one stage whose total is known: ``(done) -> None``."""
        return lambda done: self.report(stage, done, total)
