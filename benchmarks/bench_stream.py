"""Export and import of 10,000, 100,000 and 1,000,000 payments: time linear in size, memory bounded.

Each export (``write_export``) and import (``import_database`` of that export into a new file)
runs in a child process of its own, which reports its wall time and its peak memory
(VmHWM of /proc/self/status, else ``resource.getrusage(RUSAGE_SELF).ru_maxrss``: the process's whole peak, Python and the
program's imports included). The source database is built fast: 50 debts through the services,
then the payments written with one ``executemany``, their splits what recording them gives (the
debts charge no interest, so each payment is all principal), so that the import's splitting
agrees with the file as it does for a real export.

Rows: per size, the time of each; for 100,000 and 1,000,000, the time per payment against the
size ten times smaller's (``baseline_ms`` is the smaller size's time times ten: linear growth is
1.0×, target ≤ 1.2×); the peak memory at 1,000,000 payments (target ≤ 250 MB). The 1,000,000 runs
take minutes: they run once (``runs`` 1).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEBTS = 50
SIZES = (10_000, 100_000, 1_000_000)
RUNS = {10_000: 3, 100_000: 3, 1_000_000: 1}
LINEAR_TARGET = 1.2
MEMORY_TARGET_MB = 250
START = date(2000, 1, 1)
PER_DAY = 200  # payments a day over all debts: 1,000,000 payments span 13.7 years


def build(db: Path, payments: int) -> None:
    """50 debts through the services, then the payments written in one go (same columns, fen)."""
    from services.app import Services

    with Services.open(db) as svc:
        for n in range(DEBTS):
            svc.add_debt(
                {
                    "name": f"贷款 {n}",
                    "lender": f"银行 {n % 10}",
                    "kind": "private_loan",
                    "principal": "900000.00",
                    "start_date": "1999-12-15",
                    "method": "bullet",
                    "months": 360,
                    "rate": "0",
                    "rate_unit": "year",
                }
            )
    conn = sqlite3.connect(db)
    rows = (
        (1 + i % DEBTS, (START + timedelta(days=i // PER_DAY)).isoformat(), 1000, 0, 0, 1000, f"第 {i} 笔")
        for i in range(payments)
    )
    with conn:
        conn.executemany(
            "INSERT INTO payments (debt_id, date, amount, fees, interest, principal, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.close()


# The child: one export or import, then its time and peak memory as one JSON line.
CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from services.app import Services
from services.jsonio import import_database, write_export
what, db, path = sys.argv[1:4]
with Services.open(Path(db)) as svc:
    started = time.perf_counter()
    if what == "export":
        write_export(svc, Path(path))
    else:
        import_database(svc, Path(path))
    elapsed = (time.perf_counter() - started) * 1000
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
try:  # VmHWM: this process's own peak (ru_maxrss keeps the parent's across fork and exec)
    peak = next(int(l.split()[1]) / 1024 for l in open("/proc/self/status") if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(json.dumps({{"ms": elapsed, "peak_mb": peak}}))
"""


def _child(what: str, db: Path, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), what, str(db), str(path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def measure(folder: Path, payments: int, runs: int) -> dict[str, dict[str, float]]:
    """Median time and highest peak memory of ``runs`` exports and imports of ``payments``."""
    source = folder / f"source-{payments}.sqlite3"
    build(source, payments)
    export = folder / f"export-{payments}.json"
    results: dict[str, list[dict[str, float]]] = {"export": [], "import": []}
    for n in range(runs):
        results["export"].append(_child("export", source, export))
        target = folder / f"target-{payments}-{n}.sqlite3"
        results["import"].append(_child("import", target, export))
        target.unlink()
    size = export.stat().st_size
    source.unlink()
    export.unlink()
    return {
        what: {
            "ms": _median([r["ms"] for r in found]),
            "peak_mb": max(r["peak_mb"] for r in found),
            "file_mb": size / 1024**2,
        }
        for what, found in results.items()
    }


def run(sizes: tuple[int, ...] = SIZES) -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        measured = {}
        for payments in sizes:
            started = time.perf_counter()
            measured[payments] = measure(folder, payments, RUNS.get(payments, 1))
            print(f"  {payments:,} payments: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    for what in ("export", "import"):
        smaller = None
        for payments in sizes:
            got = measured[payments][what]
            row: dict = {
                "name": f"{what} {payments:,} payments",
                "median_ms": got["ms"],
                "runs": RUNS.get(payments, 1),
                "note": f"{got['file_mb']:.0f} MiB file, peak {got['peak_mb']:.0f} MB, "
                f"{1000 * got['ms'] / payments:.1f} µs a payment",
            }
            if smaller is not None and payments == smaller * 10:
                baseline = measured[smaller][what]["ms"] * 10
                ratio = got["ms"] / baseline
                row.update(
                    baseline_ms=baseline,
                    ratio=ratio,
                    target=f"≤ {LINEAR_TARGET}× ({smaller:,} payments' time × 10)",
                    meets=ratio <= LINEAR_TARGET,
                )
            if payments == 1_000_000:
                row["note"] += ", run once (minutes a run)"
            rows.append(row)
            smaller = payments
        if 1_000_000 in measured:
            peak = measured[1_000_000][what]["peak_mb"]
            rows.append(
                {
                    "name": f"{what} 1,000,000 payments: peak memory of the process (MB)",
                    "median_ms": None,
                    "ratio": peak / MEMORY_TARGET_MB,
                    "runs": 1,
                    "target": f"≤ {MEMORY_TARGET_MB} MB",
                    "meets": peak <= MEMORY_TARGET_MB,
                    "note": f"{peak:.0f} MB (VmHWM of the child process; ratio is to the target)",
                }
            )
    return rows


if __name__ == "__main__":  # python benchmarks/bench_stream.py [SIZE ...]: rows as JSON lines
    sys.path.insert(0, str(ROOT))
    chosen = tuple(int(a) for a in sys.argv[1:]) or SIZES
    for found in run(chosen):
        print(json.dumps(found, ensure_ascii=False))
