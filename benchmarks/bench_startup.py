"""Start-up of the window, from process launch: first painted frame, data shown, memory, whole process.

Measured against a bare PySide6 window (a QMainWindow with one label, nothing else) in the same run, on
the demo database, in fresh processes launched one after the other (DebtKeeper, bare, DebtKeeper …) so
that load on the machine hits both alike. Times run from just before the parent launches the process
(its wall clock) to the wall-clock time the child reports, so interpreter start-up counts. The bare
window has no data: its "data shown" is its first paint. Peak memory is the child's resident-set high
water mark when its data is shown. The whole process runs from launch until it has exited, for
DebtKeeper after showing the data and for the bare window after its first paint.

Both run with compiled bytecode (in a private cache folder, warmed once), as an installed program does.
DebtKeeper runs as a person starts it: on Linux with two processors or more its first screen is written by a
second process while the window loads Qt (``ui.snapshot``); it is also timed reading its first screen itself
(``DEBTKEEPER_FIRST_SCREEN=self``, as on one processor), and the second process's own peak memory is reported.

    python benchmarks/bench_startup.py [N]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7

# The baseline: the least a PySide6 window can do, timed the way main.py times itself (the frame is
# painted and the event loop has it back).
BARE_WINDOW = r"""
import time
start = time.perf_counter()
import json
import resource
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
window.resize(1280, 800)

def peak_mb():
    # VmHWM: this process's own peak (ru_maxrss keeps the parent's across fork and exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def painted():
    figures = {
        "first_paint_ms": round((time.perf_counter() - start) * 1000, 1),
        "first_paint_at": time.time(),
        "peak_rss_mb": round(peak_mb(), 1),
    }
    print(json.dumps(figures))
    app.quit()

class Painted(QObject):
    def eventFilter(self, obj, event):
        if obj is window and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, painted)
            window.removeEventFilter(self)
        return False

filter_ = Painted()
window.installEventFilter(filter_)
window.show()
app.exec()
"""

TARGETS = {  # the targets, as ratios to the bare window
    "first paint": 1.3,
    "data shown": 2.0,
    "whole process": 3.0,
}
MEMORY_TARGET_MB = 100.0


def _env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["DEBTKEEPER_LANG"] = "zh_CN"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")  # compiled once, kept out of the tree
    env["XDG_CONFIG_HOME"] = str(folder / "config")  # no saved page or window place of the person's
    env["XDG_DATA_HOME"] = str(folder / "data")
    return env


def _launch(command: list[str], env: dict[str, str]) -> tuple[dict[str, float], float, float]:
    """(the child's figures, its launch time, when it had exited) on the wall clock."""
    launched = time.time()
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env, cwd=ROOT, timeout=120)
    exited = time.time()
    return json.loads(out.stdout.strip().splitlines()[-1]), launched, exited


def bare_window(env: dict[str, str]) -> dict[str, float]:
    figures, launched, exited = _launch([sys.executable, "-c", BARE_WINDOW], env)
    paint = (figures["first_paint_at"] - launched) * 1000
    return {"paint": paint, "data": paint, "whole": (exited - launched) * 1000, "rss": figures["peak_rss_mb"]}


def debtkeeper(
    db: Path, env: dict[str, str], until: str = "data", *, itself: bool = False
) -> dict[str, float]:
    """One start of the window on ``db``; ``itself``: the window reads its first screen itself (no
    second process)."""
    env = dict(env)
    env.pop("DEBTKEEPER_FIRST_SCREEN", None)
    if itself:
        env["DEBTKEEPER_FIRST_SCREEN"] = "self"
    command = [
        sys.executable,
        str(ROOT / "main.py"),
        "--db",
        str(db),
        "--startup-time",
        "--startup-until",
        until,
    ]
    figures, launched, exited = _launch(command, env)
    out = {
        "paint": (figures["first_paint_at"] - launched) * 1000,
        "data": (figures["data_shown_at"] - launched) * 1000,
        "whole": (exited - launched) * 1000,
        "rss": figures["peak_rss_mb"],
        "quick": float(bool(figures.get("quick_first_screen"))),
        "second": float(bool(figures.get("first_screen_process"))),
        "second_rss": float(figures.get("first_screen_process_peak_mb") or 0.0),
    }
    if "ready_at" in figures:
        out["ready"] = (figures["ready_at"] - launched) * 1000
    return out


def make_demo(folder: Path, env: dict[str, str]) -> Path:
    db = folder / "demo.sqlite3"
    subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db), "demo"],
        capture_output=True,
        check=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    return db


def _row(
    name: str, values: list[float], base: list[float], runs: int, *, target: float | None, note: str
) -> dict:
    median, baseline = statistics.median(values), statistics.median(base)
    ratio = median / baseline
    row: dict = {
        "name": name,
        "median_ms": round(median, 1),
        "baseline_ms": round(baseline, 1),
        "ratio": round(ratio, 2),
        "runs": runs,
        "note": note,
    }
    if target is not None:
        row["target"] = f"≤ {target}×"
        row["meets"] = ratio <= target
    return row


def run(runs: int = RUNS) -> list[dict]:
    from benchmarks.timing import compile_tree

    compile_tree()  # as installed: the figures do not time the bytecode compiler
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = _env(folder)
        db = make_demo(folder, env)
        debtkeeper(db, env)  # compile the bytecode and the catalogs, warm the OS file cache
        bare_window(env)
        ours: list[dict[str, float]] = []
        bare: list[dict[str, float]] = []
        ready: list[float] = []
        alone: list[dict[str, float]] = []
        for _ in range(runs):  # interleaved, so load on the machine hits both alike
            ours.append(debtkeeper(db, env))
            bare.append(bare_window(env))
            ready.append(debtkeeper(db, env, until="ready")["ready"])
            alone.append(debtkeeper(db, env, itself=True))
    quick = sum(r["quick"] for r in ours)
    second = sum(r["second"] for r in ours)
    second_rss = statistics.median([r["second_rss"] for r in ours if r["second"]] or [0.0])
    medians = {key: [r[key] for r in ours] for key in ("paint", "data", "whole", "rss")}
    bases = {key: [r[key] for r in bare] for key in ("paint", "data", "whole", "rss")}
    rows = [
        _row(
            "start: first paint (from launch)",
            medians["paint"],
            bases["paint"],
            runs,
            target=TARGETS["first paint"],
            note="",
        ),
        _row(
            "start: data shown (demo database, from launch)",
            medians["data"],
            bases["data"],
            runs,
            target=TARGETS["data shown"],
            note=(
                f"baseline: the bare window's first paint; first screen read quickly in {quick:.0f} of {runs}, "
                f"written by a second process in {second:.0f} of {runs}"
            ),
        ),
        _row(
            "start: data shown, the window reading its first screen itself",
            [r["data"] for r in alone],
            bases["data"],
            runs,
            target=None,
            note="no second process (one processor, or not Linux); no target",
        ),
        _row(
            "start: whole process (launch, data shown, exit)",
            medians["whole"],
            bases["whole"],
            runs,
            target=TARGETS["whole process"],
            note="baseline: the bare window's launch, paint and exit",
        ),
        _row(
            "start: data file open in full (from launch)",
            ready,
            bases["data"],
            runs,
            target=None,
            note="SQLAlchemy loaded and the file checked after the data is shown; no target",
        ),
    ]
    peak, base_peak = statistics.median(medians["rss"]), statistics.median(bases["rss"])
    rows.append(
        {
            "name": "start: peak memory at data shown (MB)",
            "median_ms": None,
            "baseline_ms": None,
            "ratio": round(peak / base_peak, 2),
            "runs": runs,
            "note": (
                f"{peak:.1f} MB; the bare window {base_peak:.1f} MB; the second process's own peak "
                f"{second_rss:.1f} MB (for the first screen, then gone)"
            ),
            "target": f"≤ {MEMORY_TARGET_MB:.0f} MB",
            "meets": peak <= MEMORY_TARGET_MB,
        }
    )
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from benchmarks.timing import run_alone

    sys.exit(run_alone(run, sys.argv[1:], RUNS))
