"""The window, the command line and the letters show one figure per thing, for the same debt and day.

The issue's own case: a JD Baitiao of 8,000.00 in 12 fee instalments (0.5% a month: 666.67 principal +
40.00 fee = 706.67 an instalment, the last 666.63 + 40.00), bought eight months before the day, the first
four instalments paid before anything was recorded, overdue since the fifth. Figures worked by hand:

- balance: 8,000.00 - 4 x 666.67 = 5,333.32;
- arrears on 2026-11-23: the instalments of Aug 23, Sep 23, Oct 23 and Nov 23 (due that day), 4 x 706.67 =
  2,826.68; late fee 0.015% a day from each due date: 706.67 x 0.00015 x (92 + 61 + 31 + 0) days =
  19.5…; 19.50 -> total due 2,846.18.
"""

from __future__ import annotations

import json
from decimal import Decimal

from PySide6.QtCore import Qt

import cli
from resources.i18n import format_money
from tests.ui.conftest import TODAY

D = Decimal
CASE = {
    "name": "白条8000",
    "lender": "京东金融",
    "kind": "jd_baitiao",
    "principal": "8000.00",
    "start_date": "2026-03-23",
    "method": "fee-installment",
    "months": 12,
    "fee_rate": "0.5",
    "rate": "0",
    "due_day": 23,
    "penalty_rate_multiplier": "1",
    "late_fee_rate_per_day": "0.015",
    "grace_days": 0,
    "instalments_paid": 4,
    "overdue_since": "2026-08-23",
}


def cli_json(capsys, db, *args):
    code = cli.main(["--lang", "en_US", "--db", str(db), *args, "--as-of", TODAY.isoformat(), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def table(model):
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return [
        {headers[c]: model.index(r, c).data() for c in range(model.columnCount())}
        for r in range(model.rowCount())
    ]


def test_window_command_line_and_letters_agree(window, services, demo_db, capsys):
    from resources.i18n import tr
    from services import letters, overview

    debt_id = services.add_debt(CASE)
    shown = cli_json(capsys, demo_db, "debt", "show", str(debt_id))
    assert (D(shown["balance"]), shown["days_overdue"], shown["status"]) == (D("5333.32"), 92, "overdue")
    report = cli_json(capsys, demo_db, "overdue", str(debt_id))
    assert D(report["total_due"]) == D("2846.18")

    # The debts page: the same balance and status.
    page = window.show_page("debts")
    page.refresh()
    [row] = [r for r in table(page.model) if r[tr("Debt name")] == CASE["name"]]
    assert row[tr("Balance")] == format_money(D("5333.32"))
    assert row[tr("Status")] == tr("Overdue")

    # The overview's overdue table and the banner: the overdue page's total due.
    dashboard = window.show_page("dashboard")
    dashboard.refresh()
    [item] = [o for o in overview.overview(services, TODAY).overdue if o.debt.id == debt_id]
    assert item.total_due == D("2846.18")
    texts = [str(v) for r in table(dashboard.overdue) for v in r.values()]
    assert format_money(D("2846.18")) in texts
    window.banner.refresh()
    assert any(format_money(D("2846.18")) in line for line in window.banner.lines()), window.banner.lines()

    # The plan's minimum this month: the arrears and the coming instalment (Dec 23 is after the
    # month's end, so none): 2,846.18 … as plan --json and the hardship letter say.
    plan = cli_json(capsys, demo_db, "plan", "--budget", "20000")
    [planned] = [d for d in plan["debts"] if d["id"] == debt_id]
    person = letters.with_overrides(letters.person_details(services), name="张三")
    facts = letters.letter_facts(services, debt_id, "hardship", TODAY, "en_US", person=person)
    assert facts.balance == D("5333.32")
    assert facts.overdue_amount + facts.penalty_interest + facts.late_fees == D("2846.18")
    [line] = [x for x in facts.debts if x.name == CASE["name"]]
    assert (line.balance, line.monthly_due) == (D("5333.32"), D(planned["minimum"]))
