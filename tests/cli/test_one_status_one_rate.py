"""One status and one effective annual rate per debt, the same on every page and check.

Figures are worked by hand in each test (and checked against numpy-financial where a rate
is an internal rate of return); none comes from the program's own code.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy_financial as npf
import pytest

import cli
from services.app import Services

AS_OF = date(2026, 11, 23)
BAITIAO = {
    "name": "白条",
    "lender": "京东金融",
    "kind": "jd_baitiao",
    "principal": "8000.00",
    "start_date": "2026-01-15",
    "method": "fee-installment",
    "months": 12,
    "fee_rate": "0.5",
    "rate": "0",
    "due_day": 20,
}


def run(capsys, db: Path, *args: str) -> object:
    code = cli.main(["--lang", "en_US", "--db", str(db), *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "d.sqlite3"


def test_status_is_derived_from_the_figures_in_list_and_show(db, capsys):
    with Services.open(db) as svc:
        # Stored as an ordinary active debt, but its first missed due date is 113 days back.
        late = svc.add_debt(
            {
                **BAITIAO,
                "name": "late",
                "start_date": "2026-06-02",
                "due_day": 2,
                "overdue_since": (AS_OF - timedelta(days=113)).isoformat(),
            }
        )
        current = svc.add_debt({**BAITIAO, "name": "current", "start_date": "2026-11-01", "due_day": 1})
        paid_off = svc.add_debt(
            {
                **BAITIAO,
                "name": "paid",
                "principal": "100.00",
                "months": 1,
                "fee_rate": "0",
                "start_date": "2026-10-01",
                "due_day": 1,
            }
        )
        svc.add_payment(paid_off, "100.00", date(2026, 11, 1))  # 100 principal, no fee: nothing left
        archived = svc.add_debt({**BAITIAO, "name": "archived"})
        from domain.debts import DebtStatus

        svc.set_debt_status(archived, DebtStatus.ARCHIVED)
    listed = {d["id"]: d for d in run(capsys, db, "debt", "list", "--json", "--as-of", AS_OF.isoformat())}
    assert listed[late]["days_overdue"] == 113
    expected = {late: "overdue", current: "current", paid_off: "settled", archived: "archived"}
    assert {i: listed[i]["status"] for i in expected} == expected
    for debt_id, status in expected.items():
        shown = run(capsys, db, "debt", "show", str(debt_id), "--json", "--as-of", AS_OF.isoformat())
        assert shown["status"] == status


def test_apr_is_one_figure_in_the_debt_and_in_the_legal_check(db, capsys):
    # 8,000 in 12 instalments, fee 0.5% of 8,000 = 40.00 a month; principal 8000/12 = 666.67 for
    # 11 months and 8000 - 11 × 666.67 = 666.63 in the last: payments 706.67 × 11, then 706.63,
    # one in each month of the term. The first due date (20 Jan) is only 5 days after the start
    # (15 Jan): it is still the term's first month, not the same month as the second payment.
    flows = [-8000.0] + [706.67] * 11 + [706.63]
    irr = npf.irr(flows)
    by_hand = Decimal(str(round(irr * 12 * 100, 2)))
    assert by_hand == Decimal("10.90")  # numpy-financial's IRR × 12, PBOC 〔2021〕3号 simple
    with Services.open(db) as svc:
        debt_id = svc.add_debt(BAITIAO)
    shown = run(capsys, db, "debt", "show", str(debt_id), "--json", "--as-of", AS_OF.isoformat())
    assert shown["apr"] == "10.90"
    listed = run(capsys, db, "debt", "list", "--json", "--as-of", AS_OF.isoformat())
    assert listed[0]["apr"] == "10.90"
    report = run(capsys, db, "overdue", str(debt_id), "--json", "--as-of", AS_OF.isoformat())
    (check,) = [c for c in report["legal_checks"] if c["kind"] == "rate_cap"]
    assert "10.90%" in check["text"] and "12.72%" not in check["text"]
    calc = run(
        capsys, db, "calc", "apr", "--principal", "8000", "--months", "12", "--fee-rate", "0.5", "--json"
    )
    assert calc["apr_simple"] == shown["apr"]


def test_calc_apr_places_a_bullet_payment_at_maturity(db, capsys):
    # 10,000 at 24% a year, simple, for 12 months: interest 10,000 × 24% = 2,400, all paid with
    # the principal at month 12: 12,400. Monthly IRR r: (1 + r)^12 = 12,400 / 10,000 = 1.24,
    # r = 1.24^(1/12) − 1 = 1.8088%; simple 12r = 21.71%, compound 1.24 − 1 = 24.00%.
    r = 1.24 ** (1 / 12) - 1
    assert abs(npf.irr([-10000] + [0] * 11 + [12400]) - r) < 1e-12
    out = run(
        capsys,
        db,
        "calc",
        "apr",
        "--principal",
        "10000",
        "--months",
        "12",
        "--rate",
        "24",
        "--method",
        "bullet",
        "--json",
    )
    assert out["apr_simple"] == f"{r * 1200:.2f}" == "21.71"
    assert out["apr_compound"] == "24.00"
    assert out["irr_monthly"] == "1.8088"


def test_the_demo_bank_loan_splits_as_its_own_schedule(db, capsys):
    # 建行快贷: 100,000 at 4.35% a year, 36 months of 等额本息 from 15 Jan, due on the 15th, every
    # instalment paid on its date. Month 1's interest is 100000 x 4.35% / 12 = 362.50 (by actual
    # days it would be 100000 x 4.35% / 360 x 31 = 374.58); the ledger must print the schedule's.
    from services.demo import build_demo

    with Services.open(db) as svc:
        build_demo(svc, AS_OF)
        (loan,) = [d for d in svc.list_debts() if d.kind == "bank_loan"]
    shown = run(capsys, db, "debt", "show", str(loan.id), "--json", "--as-of", AS_OF.isoformat())
    schedule = run(
        capsys,
        db,
        "calc",
        "schedule",
        "--principal",
        shown["principal"],
        "--rate",
        shown["rate"],
        "--rate-unit",
        shown["rate_unit"],
        "--months",
        str(shown["months"]),
        "--method",
        shown["method"],
        "--start",
        shown["start_date"],
        "--due-day",
        str(shown["due_day"]),
        "--json",
    )
    rows = {r["due_date"]: r for r in schedule["rows"]}
    assert shown["payments"][0]["interest"] == "362.50"
    for p in shown["payments"]:
        row = rows[p["date"]]
        assert (p["amount"], p["interest"], p["principal"]) == (
            row["payment"],
            row["interest"],
            row["principal"],
        )
    paid = len(shown["payments"])
    assert shown["balance"] == schedule["rows"][paid - 1]["balance"]


def test_a_short_first_period_is_discounted_for_its_days(db, capsys):
    # 12,000 at 24% a year in 12 equal instalments, lent on 15 Jan, due on the 1st: the first
    # period is 17 days (Jan 15 -> Feb 1) of the 31 to Feb 15, charged 12000 x 24% / 360 x 17
    # = 136.00. Each payment is then 17/31 of a month + (k - 1) months after the loan; the
    # monthly IRR r solves 12000 = sum(payment_k / (1 + r)^(17/31 + k - 1)), found here by
    # bisection in floats, independently of the program.
    loan = {
        "name": "借款",
        "lender": "朋友",
        "kind": "private_loan",
        "principal": "12000.00",
        "start_date": "2026-01-15",
        "method": "equal-installment",
        "months": 12,
        "rate": "24",
        "rate_unit": "year",
        "due_day": 1,
    }
    with Services.open(db) as svc:
        debt_id = svc.add_debt(loan)
    schedule = run(
        capsys,
        db,
        "calc",
        "schedule",
        "--principal",
        "12000",
        "--rate",
        "24",
        "--months",
        "12",
        "--method",
        "equal-installment",
        "--start",
        "2026-01-15",
        "--due-day",
        "1",
        "--json",
    )
    assert schedule["rows"][0]["interest"] == "136.00"
    payments = [float(r["payment"]) for r in schedule["rows"]]

    def npv(r: float) -> float:
        return -12000 + sum(p / (1 + r) ** (17 / 31 + k) for k, p in enumerate(payments))

    low, high = 0.0, 0.1
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if npv(mid) > 0 else (low, mid)
    expected = f"{low * 1200:.2f}"
    assert expected == "24.09"  # not 22.32, as if the 17 days were a whole month
    shown = run(capsys, db, "debt", "show", str(debt_id), "--json", "--as-of", AS_OF.isoformat())
    assert shown["apr"] == expected
    report = run(capsys, db, "overdue", str(debt_id), "--json", "--as-of", AS_OF.isoformat())
    (check,) = [c for c in report["legal_checks"] if c["kind"] == "rate_cap"]
    assert f"{expected}%" in check["text"]
