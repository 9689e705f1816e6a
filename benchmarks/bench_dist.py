"""The built program (make dist) against main.py: its size, and how fast it starts.

Measured in the same run, interleaved, on the demo database; each figure is the median of N
fresh processes. ``first paint`` is the window's own figure (from the start of main.py, as
``--startup-time`` prints it); ``whole start`` is the wall time from starting the process to
its exit after showing the data, so it includes what happens before main.py runs (the Python
interpreter, or the built program's loader). The command line is timed on ``remind --json``,
what a scheduled task runs. Two rows measure QtCharts: its import, and the window's first
paint when it is imported at start (it is imported only when a page with charts opens).

Builds the program first when dist/DebtKeeper/ is missing (about a minute).

    python benchmarks/bench_dist.py [N]
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
BUNDLE = ROOT / "dist" / "DebtKeeper"
PROGRAM = BUNDLE / ("debtkeeper.com" if sys.platform == "win32" else "debtkeeper")
RUNS = 5

# main.py started with QtCharts imported first, timed from the same point as main.py times itself.
WITH_CHARTS = r"""
import sys, time
start = time.perf_counter()
if sys.argv[1] == "charts":
    import PySide6.QtCharts
sys.argv = ["main.py", *sys.argv[2:]]
import main
main._PROCESS_START = start
sys.exit(main.main())
"""
IMPORT_CHARTS = r"""
import time
import PySide6.QtWidgets
start = time.perf_counter()
import PySide6.QtCharts
print((time.perf_counter() - start) * 1000)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["DEBTKEEPER_LANG"] = "zh_CN"
    return env


def _timed(command: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(
        command, capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=180, check=False
    )
    elapsed = (time.perf_counter() - started) * 1000
    if out.returncode not in ok:
        raise RuntimeError(f"{command[:3]} exited {out.returncode}: {out.stderr[-500:]}")
    return elapsed, out.stdout


def _first_paint(stdout: str) -> float:
    return json.loads(stdout.strip().splitlines()[-1])["first_paint_ms"]


def build() -> None:
    spec = ROOT / "packaging" / "debtkeeper.spec"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(ROOT / "dist"),
            "--workpath",
            str(ROOT / "build"),
            str(spec),
        ],
        cwd=ROOT,
        check=True,
        timeout=1800,
    )


def size_mib(folder: Path) -> tuple[float, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 2**20, len(files)


def _row(name: str, values: list[float], base: list[float], runs: int, note: str = "") -> dict:
    median, baseline = statistics.median(values), statistics.median(base)
    return {
        "name": name,
        "median_ms": round(median, 1),
        "baseline_ms": round(baseline, 1),
        "ratio": round(median / baseline, 2),
        "runs": runs,
        "note": note,
    }


def run(runs: int = RUNS) -> list[dict]:
    if not PROGRAM.exists():
        build()
    mib, count = size_mib(BUNDLE)
    qt_mib, _ = size_mib(BUNDLE / "_internal" / "PySide6")
    rows: list[dict] = [
        {
            "name": "built program size (dist/DebtKeeper)",
            "note": f"{mib:.1f} MiB in {count} files, Qt and PySide6 {qt_mib:.1f} MiB",
        }
    ]
    source = [sys.executable, str(ROOT / "main.py")]
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "demo.sqlite3")
        _timed([*source, "--db", db, "demo"])
        window = ["--db", db, "--startup-time"]
        command = ["--db", db, "remind", "--json"]
        figures: dict[str, list[float]] = {
            k: []
            for k in (
                "bundle_whole",
                "source_whole",
                "bundle_paint",
                "source_paint",
                "bundle_cli",
                "source_cli",
                "charts_paint",
                "plain_paint",
                "charts_import",
            )
        }
        for _ in range(2):  # warm the file cache (and compile catalogs) before timing
            _timed([str(PROGRAM), *window])
            _timed([*source, *window])
        for _ in range(runs):  # interleaved, so load on the machine hits each alike
            wall, out = _timed([str(PROGRAM), *window])
            figures["bundle_whole"].append(wall)
            figures["bundle_paint"].append(_first_paint(out))
            wall, out = _timed([*source, *window])
            figures["source_whole"].append(wall)
            figures["source_paint"].append(_first_paint(out))
            figures["bundle_cli"].append(_timed([str(PROGRAM), *command], ok=(0, 3))[0])
            figures["source_cli"].append(_timed([*source, *command], ok=(0, 3))[0])
            figures["charts_paint"].append(
                _first_paint(_timed([sys.executable, "-c", WITH_CHARTS, "charts", *window])[1])
            )
            figures["plain_paint"].append(
                _first_paint(_timed([sys.executable, "-c", WITH_CHARTS, "plain", *window])[1])
            )
            figures["charts_import"].append(float(_timed([sys.executable, "-c", IMPORT_CHARTS])[1]))
    rows += [
        _row(
            "window, whole start: built program vs main.py",
            figures["bundle_whole"],
            figures["source_whole"],
            runs,
            "process start to exit, data shown",
        ),
        _row(
            "window, first paint: built program vs main.py",
            figures["bundle_paint"],
            figures["source_paint"],
            runs,
            "from main.py's start (after the loader)",
        ),
        _row(
            "command line, remind --json: built program vs main.py",
            figures["bundle_cli"],
            figures["source_cli"],
            runs,
            "process start to exit",
        ),
        _row(
            "first paint with QtCharts imported at start vs without",
            figures["charts_paint"],
            figures["plain_paint"],
            runs,
            "main.py; charts load when a chart page opens",
        ),
        {
            "name": "import of QtCharts (after QtWidgets)",
            "median_ms": round(statistics.median(figures["charts_import"]), 1),
            "runs": runs,
        },
    ]
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from benchmarks.timing import run_alone

    sys.exit(run_alone(run, sys.argv[1:], RUNS))
