"""How long a letter and a big plan report take to make (medians; reported, never asserted)."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _median_ms(work: Callable[[], object], repeat: int) -> float:
    work()  # warm up: font registration, imports
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run() -> list[dict]:
    from documents.letter_data import letter_input
    from documents.letters import compose_letter, render_letter
    from documents.plan_report import render_plan_report
    from tests.documents import samples

    facts = samples.facts()
    big = samples.plan_report("zh_CN", debts=50, months=60)
    return [
        {"name": "letter: negotiation zh_CN (compose + PDF)",
         "median_ms": _median_ms(lambda: render_letter(compose_letter(letter_input("negotiation", "zh_CN",
                                                                                     facts))), 15)},
        {"name": "letter: proposal en_US, 50-row schedule",
         "median_ms": _median_ms(lambda: render_letter(compose_letter(letter_input("proposal", "en_US",
                                                                                     facts))), 15)},
        {"name": "plan report: 50 debts x 60 months (PDF)",
         "median_ms": _median_ms(lambda: render_plan_report(big), 5)},
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']:<50} {row['median_ms']:10.1f} ms")
