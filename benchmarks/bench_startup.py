"""Start-up of the window: process start to first painted frame, and to the data shown.

Measured against a bare PySide6 window (a QMainWindow with one label, nothing
else) in the same run, on the demo database. Each figure is the median of N
fresh processes; the ratio is DebtKeeper's median over the bare window's.

    python benchmarks/bench_startup.py [N]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7

# The baseline: the least a PySide6 window can do, timed the same way main.py times itself.
BARE_WINDOW = r"""
import time
start = time.perf_counter()
import json
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
window.resize(1280, 800)

class Painted(QObject):
    def eventFilter(self, obj, event):
        if obj is window and event.type() == QEvent.Type.Paint:
            ms = (time.perf_counter() - start) * 1000
            QTimer.singleShot(0, lambda: (print(json.dumps({"first_paint_ms": round(ms, 1)})), app.quit()))
            window.removeEventFilter(self)
        return False

painted = Painted()
window.installEventFilter(painted)
window.show()
app.exec()
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["DEBTKEEPER_LANG"] = "zh_CN"
    return env


def _last_json(text: str) -> dict[str, float]:
    return json.loads(text.strip().splitlines()[-1])


def bare_window() -> float:
    out = subprocess.run(
        [sys.executable, "-c", BARE_WINDOW],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
        timeout=60,
    )
    return _last_json(out.stdout)["first_paint_ms"]


def debtkeeper(db: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--startup-time"],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
        cwd=ROOT,
        timeout=120,
    )
    return _last_json(out.stdout)


def make_demo(folder: Path) -> Path:
    db = folder / "demo.sqlite3"
    subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db), "demo"],
        capture_output=True,
        check=True,
        env=_env(),
        cwd=ROOT,
        timeout=120,
    )
    return db


def run(runs: int = RUNS) -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        db = make_demo(Path(folder))
        debtkeeper(db)  # warm the OS file cache and compile the catalogs once
        bare_window()
        bare, paint, data = [], [], []
        for _ in range(runs):  # interleaved, so load on the machine hits both alike
            bare.append(bare_window())
            figures = debtkeeper(db)
            paint.append(figures["first_paint_ms"])
            data.append(figures["data_shown_ms"])
    base = statistics.median(bare)
    rows = []
    for name, values in (("first paint (window on screen)", paint), ("data shown (demo database)", data)):
        median = statistics.median(values)
        rows.append(
            {
                "name": name,
                "median_ms": round(median, 1),
                "baseline_ms": round(base, 1),
                "ratio": round(median / base, 2),
                "runs": runs,
            }
        )
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from benchmarks.timing import run_alone

    sys.exit(run_alone(run, sys.argv[1:], RUNS))
