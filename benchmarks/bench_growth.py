"""Cost against the size of the ledger: 10, 1,000 and 100,000 payments.

- Adding one payment after the others to a debt with 10, 1,000 and 100,000 payments (the ledger state
  kept with the last payment is resumed from: the cost must not grow, ≤ 1.2× the 10 case).
- Editing the first and the last payment of the 100,000 (the first splits every later one again:
  linear by design; the last costs what an add does).
- ``debt list --json`` and ``debt show --json`` as a separate process, on the demo database against
  100,000 payments over 50 debts (≤ 1.5×), and ``debt show --json`` of one debt with 100,000
  payments (it prints them all: ≤ 3×).
- The overview, as the person gets it: the window started on the file until its data is on screen, on
  100,000 payments over 50 debts against the demo (≤ 1.5×) and against the same debts without
  payments; and figured in process (``services.overview``) against the same debts without payments
  (≤ 1.5×, as the commands) and against the demo (50 debts against 6: reported, no target).
- The ledger page: the last batch of 200 of 100,000 against the first (read by key: ≤ 1.2×).

The large databases are made with sqlite3 ``executemany``, their splits and ledger states computed
once by the same fold the program uses (``domain.ledger.resume``), so they are what recording each
payment would have stored.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.timing import median_ms

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 23)
GROWTH = (10, 1_000, 100_000)
SPREAD = 100_000  # payments over 50 debts
DEBTS = 50


def _loan(n: int, principal: str, start: date, months: int) -> dict[str, object]:
    return {
        "name": f"贷款 {n}",
        "lender": f"银行 {n % 10}",
        "kind": "bank_loan",
        "principal": principal,
        "start_date": start.isoformat(),
        "method": "equal-installment",
        "months": months,
    }


def build(db: Path, debts: int, per_debt: int, *, amount: str = "100.00", months: int = 36) -> list[int]:
    """``debts`` loans through the services, then ``per_debt`` payments each (a few a day, from the
    loan's start) written in one go with the splits and states the program would have kept."""
    from domain import ledger
    from domain.money import to_fen
    from services.app import Services

    per_day = max(1, per_debt // 3650)  # ten years at most
    start = AS_OF - timedelta(days=per_debt // per_day + 30)
    principal = str(max(Decimal(900_000), Decimal(amount) * per_debt * 2))
    with Services.open(db) as svc:
        ids = [int(svc.add_debt(_loan(n, principal, start, months))) for n in range(debts)]
        loans = [svc.get_debt(i) for i in ids]
    rows = []
    for debt in loans:
        paid = [(start + timedelta(days=1 + i // per_day), Decimal(amount)) for i in range(per_debt)]
        for i, ((on, value), (split, state)) in enumerate(
            zip(paid, ledger.resume(debt, None, paid), strict=True)
        ):
            parts = (to_fen(value), to_fen(split.fees), to_fen(split.interest), to_fen(split.principal))
            rows.append((debt.id, on.isoformat(), *parts, f"第 {i} 笔", ledger.state_text(state)))
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO payments (debt_id, date, amount, fees, interest, principal, note, ledger_state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the timed work does not pay for writing these back
    conn.close()
    return ids


def _row(name: str, median: float, baseline: float | None, runs: int, **more: Any) -> dict:
    """A row; ``target`` (a ratio) adds whether the ratio meets it; ``note`` is said as it is."""
    row: dict[str, object] = {"name": name, "median_ms": median, "runs": runs, "note": more.get("note", "")}
    target = more.get("target")
    if baseline:
        row.update(baseline_ms=baseline, ratio=median / baseline)
        if target is not None:
            row.update(target=f"≤ {target}×", meets=median / baseline <= target)
    return row


def _cli(db: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db), *args, "--as-of", AS_OF.isoformat()],
        check=False,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    # remind exits 3 when something is overdue (the command line's contract): an answer, not a failure
    if done.returncode not in ((0, 3) if args[0] == "remind" else (0,)):
        raise RuntimeError(f"{' '.join(args)}: exit {done.returncode}: {done.stderr.strip()}")


def _adds(folder: Path, runs: int) -> list[dict]:
    """Adding a payment to a debt with 10, 1,000 and 100,000: the three timed in turn, run after run,
    so that whatever else the machine does falls on all three alike."""
    from contextlib import ExitStack

    from services.app import Services

    out: list[dict] = []
    many = max(runs, 21)  # a few milliseconds each: more runs steady the median
    with ExitStack() as stack:
        opened = []
        for size in GROWTH:
            db = folder / f"one_{size}.sqlite3"
            [debt_id] = build(db, 1, size, amount="5.00", months=360)
            opened.append((size, stack.enter_context(Services.open(db)), debt_id))
        days = iter(range(1, 10_000))
        times: dict[int, list[float]] = {size: [] for size in GROWTH}
        for turn in range(many + 1):  # the first turn warms up, untimed
            for size, svc, debt_id in opened:
                started = time.perf_counter()
                svc.add_payment(debt_id, "5.00", AS_OF + timedelta(days=next(days)))
                if turn:
                    times[size].append((time.perf_counter() - started) * 1000)
        base = statistics.median(times[GROWTH[0]])
        for size in GROWTH:
            name = f"add a payment: debt with {size:,} payments"
            out.append(
                _row(
                    name, statistics.median(times[size]), base, many, target=1.2, note="baseline: the 10 case"
                )
            )
        size, svc, debt_id = opened[-1]
        last = svc.page_payments(debt_id, None, 1)[0]
        first = svc.list_payments(debt_id)[0]
        for which, payment, count in (("last", last, many), ("first", first, 1)):
            median = median_ms(lambda p=payment: svc.update_payment(p.id, "5.00", p.date), count)
            name = f"edit the {which} of {size:,} payments"
            if which == "last":
                out.append(_row(name, median, base, count, target=1.2, note="baseline: add, 10 case"))
            else:
                out.append(_row(name, median, base, count, note="splits all after it again: linear"))
    return out


def _overview_shown(folder: Path, dbs: dict[str, Path], runs: int) -> list[dict]:
    """The overview as a person gets it, like the commands above: the window started on the file, from
    launch until its data is on screen (``bench_startup``), the three files in turn, run after run."""
    from benchmarks.bench_startup import _env, debtkeeper
    from benchmarks.timing import compile_tree

    compile_tree()
    env = _env(folder)
    for db in dbs.values():
        debtkeeper(db, env)  # warm: bytecode, catalogs, the OS file cache
    shown: dict[str, list[float]] = {label: [] for label in dbs}
    quick: dict[str, int] = dict.fromkeys(dbs, 0)
    for _ in range(runs):
        for label, db in dbs.items():
            figures = debtkeeper(db, env)
            shown[label].append(figures["data"])
            quick[label] += int(figures["quick"])
    spread = statistics.median(shown["spread"])
    name = f"overview on screen, from launch: {SPREAD:,} payments, {DEBTS} debts"
    note = (
        f"baseline: demo; the first screen read quickly in {quick['spread']} of {runs} (demo {quick['demo']})"
    )
    out = [_row(name, spread, statistics.median(shown["demo"]), runs, target=1.5, note=note)]
    name = f"overview on screen, from launch: {SPREAD:,} payments against none, {DEBTS} debts"
    note = "baseline: the same debts without payments"
    out.append(_row(name, spread, statistics.median(shown["bare"]), runs, note=note))
    return out


def run(runs: int = 7) -> list[dict]:
    from services.app import Services

    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        rows += _adds(folder, runs)

        demo = folder / "demo.sqlite3"
        _cli(demo, "demo")
        spread = folder / "spread.sqlite3"
        build(spread, DEBTS, SPREAD // DEBTS)
        one = folder / "one_100000.sqlite3"  # made by _adds (with the payments it added)
        bare = folder / "bare.sqlite3"  # the same 50 debts without a payment
        build(bare, DEBTS, 0)
        # Each command on 100,000 payments, against the demo and against the same debts with none.
        for command in (
            ("debt", "list", "--json"),
            ("debt", "show", "1", "--json"),
            ("plan", "--budget", "50000000", "--json"),
            ("overdue", "1", "--json"),
            ("remind", "--json"),
        ):
            label = " ".join(command)
            baseline = median_ms(lambda command=command: _cli(demo, *command), 5, warm_up=True)
            timed = median_ms(lambda command=command: _cli(spread, *command), 5, warm_up=True)
            name = f"{label}: {SPREAD:,} payments, {DEBTS} debts"
            rows.append(_row(name, timed, baseline, 5, target=1.5, note="baseline: demo"))
            without = median_ms(lambda command=command: _cli(bare, *command), 5, warm_up=True)
            name = f"{label}: {SPREAD:,} payments against none, {DEBTS} debts"
            rows.append(_row(name, timed, without, 5, note="baseline: the same debts without payments"))
            if command[:2] == ("debt", "show"):
                timed = median_ms(lambda command=command: _cli(one, *command), 5, warm_up=True)
                name = f"{label}: {SPREAD:,} payments on one debt"
                rows.append(
                    _row(name, timed, baseline, 5, target=3.0, note="prints them all; baseline: demo")
                )

        rows += _overview_shown(folder, {"demo": demo, "spread": spread, "bare": bare}, runs)

        from domain.standing import standing
        from services.overview import overview

        def cold(svc: Services) -> None:
            standing.cache_clear()  # each debt's schedule figured again, as at a start
            overview(svc, AS_OF)

        figures = {}
        for label, db in (("demo", demo), ("spread", spread), ("bare", bare)):
            with Services.open(db) as svc:
                figures[label] = median_ms(lambda svc=svc: cold(svc), 9, warm_up=True)
        name = f"overview figured in process: {SPREAD:,} payments, {DEBTS} debts"
        note = f"baseline: demo ({DEBTS} debts against 6: grows with the debts, not the payments); no target"
        rows.append(_row(name, figures["spread"], figures["demo"], 9, note=note))
        name = f"overview figured in process: {SPREAD:,} payments against none, {DEBTS} debts"
        note = "baseline: the same debts without payments (the commands' target)"
        rows.append(_row(name, figures["spread"], figures["bare"], 9, target=1.5, note=note))

        with Services.open(spread) as svc:
            first = median_ms(lambda: svc.page_payments(None, None, 200), 20, warm_up=True)
            conn = sqlite3.connect(spread)
            key = conn.execute(
                "SELECT date, id FROM payments ORDER BY date DESC, id DESC LIMIT 1 OFFSET ?", (SPREAD - 201,)
            ).fetchone()
            conn.close()
            after = (date.fromisoformat(key[0]), key[1])
            assert len(svc.page_payments(None, after, 200)) == 200
            last = median_ms(lambda: svc.page_payments(None, after, 200), 20, warm_up=True)
            name = f"ledger page: the last batch of 200 of {SPREAD:,}"
            rows.append(_row(name, last, first, 20, target=1.2, note="baseline: the first batch"))
    return rows


if __name__ == "__main__":
    from benchmarks.timing import run_alone

    sys.exit(run_alone(run, sys.argv[1:], 7))
