"""Run every benchmark in this folder and print one table.

Each ``benchmarks/bench_*.py`` module exposes ``run() -> list[dict]``; a row has
``name`` and ``median_ms`` and, where the benchmark measures a baseline in the
same run, ``baseline_ms`` and ``ratio``; where a target is set, ``target`` (as
text, e.g. "≤ 1.2×") and ``meets`` (True/False). Results are reported, never
asserted: the last lines say how many figures meet their targets and which do
not.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _fmt(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"
    return str(value)


def main(argv: list[str]) -> int:
    from benchmarks.timing import compile_tree

    compile_tree()
    only = set(argv)
    rows: list[dict] = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem
        if only and name not in only and name.removeprefix("bench_") not in only:
            continue
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            for row in module.run():
                rows.append({"suite": name.removeprefix("bench_"), **row})
        except Exception as exc:  # a broken benchmark must not hide the others
            rows.append({"suite": name.removeprefix("bench_"), "name": f"FAILED: {exc!r}"})
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    headers = ["suite", "name", "median_ms", "baseline_ms", "ratio", "target", "meets", "runs", "note"]
    table = [[_fmt(r.get(h)) for h in headers] for r in rows]
    widths = [max(len(h), *(len(t[i]) for t in table)) if table else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for t in table:
        print("  ".join(c.ljust(w) for c, w in zip(t, widths, strict=True)))
    targeted = [r for r in rows if "meets" in r]
    missed = [r for r in targeted if not r["meets"]]
    failed = [r for r in rows if str(r.get("name", "")).startswith("FAILED")]
    print()
    print(f"targets: {len(targeted) - len(missed)} of {len(targeted)} met")
    for r in missed:
        print(f"  not met: {r['suite']}: {r['name']} — {_fmt(r.get('ratio'))} against {r.get('target')}")
    for r in failed:
        print(f"  benchmark failed: {r['suite']}: {r['name']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
