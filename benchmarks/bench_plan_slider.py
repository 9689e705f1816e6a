"""Dragging the plan's budget slider: does the window keep up?

On the demo database, the slider is moved one step every 16 ms (a 60 Hz drag)
for two seconds while plans are computed in the background. Reported: the
median GUI-thread time of one slider step, the median and worst gap between
ticks (a gap far above 16 ms is a visible stutter), and the median time of one
background computation of every strategy (the baseline row for comparison).

    python benchmarks/bench_plan_slider.py
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DEBTKEEPER_LANG", "en_US")

DRAG_SECONDS = 2.0
TICK_MS = 16


def run() -> list[dict]:
    from PySide6.QtCore import QEventLoop, QTimer

    from services.app import Services
    from services.demo import build_demo
    from services.overview import compare_plans
    from ui.app import make_application
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.pages.plan import STRATEGY_LABELS
    from ui.worker import wait_for_tasks

    app = make_application()
    folder = Path(tempfile.mkdtemp())
    os.environ["DEBTKEEPER_CONFIG_DIR"] = str(folder)
    services = Services.open(folder / "demo.sqlite3")
    try:
        build_demo(services, date.today())
        window = MainWindow()
        window.attach(AppContext(services))
        window.show()
        page = window.show_page("plan")
        wait_for_tasks()
        app.processEvents()

        compute = []
        for budget in (3000, 6000, 9000, 12000, 15000):
            started = time.perf_counter()
            compare_plans(
                services, __import__("decimal").Decimal(budget), date.today(), tuple(STRATEGY_LABELS)
            )
            compute.append((time.perf_counter() - started) * 1000)

        step_ms: list[float] = []
        gaps: list[float] = []
        last = [time.perf_counter()]
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(TICK_MS)
        end = time.perf_counter() + DRAG_SECONDS

        def tick() -> None:
            now = time.perf_counter()
            gaps.append((now - last[0]) * 1000)
            last[0] = now
            started = time.perf_counter()
            page.slider.setValue((page.slider.value() + 3) % page.slider.maximum())
            step_ms.append((time.perf_counter() - started) * 1000)
            if now > end:
                timer.stop()
                loop.quit()

        timer.timeout.connect(tick)
        timer.start()
        loop.exec()
        wait_for_tasks()
        window.detach()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    gaps = gaps[1:]
    return [
        {
            "name": "slider step on the GUI thread",
            "median_ms": round(statistics.median(step_ms), 2),
            "runs": len(step_ms),
        },
        {
            "name": "gap between 16 ms ticks while dragging (median)",
            "median_ms": round(statistics.median(gaps), 1),
            "baseline_ms": TICK_MS,
            "ratio": round(statistics.median(gaps) / TICK_MS, 2),
            "runs": len(gaps),
        },
        {
            "name": "worst gap between ticks while dragging",
            "median_ms": round(max(gaps), 1),
            "baseline_ms": TICK_MS,
            "ratio": round(max(gaps) / TICK_MS, 2),
            "runs": len(gaps),
        },
        {
            "name": "all strategies computed once (background)",
            "median_ms": round(statistics.median(compute), 1),
            "runs": len(compute),
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row))
