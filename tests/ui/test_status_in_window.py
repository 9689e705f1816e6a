"""The debts page shows the status the command line prints: derived from the figures."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from tests.ui.conftest import TODAY


def test_a_debt_113_days_overdue_never_shows_current(window, services):
    from resources.i18n import set_language, tr

    set_language("zh_CN")
    # Entered as an ordinary debt (stored status "active"); its first missed due date was 113 days ago.
    debt_id = services.add_debt(
        {
            "name": "逾期贷款",
            "lender": "某消费金融",
            "kind": "consumer_finance",
            "principal": "6000.00",
            "start_date": "2026-06-02",
            "method": "equal-installment",
            "months": 12,
            "rate": "18",
            "rate_unit": "year",
            "due_day": 2,
            "overdue_since": (TODAY - timedelta(days=113)).isoformat(),
        }
    )
    assert services.debt_summary(debt_id, TODAY).days_overdue == 113
    page = window.show_page("debts")
    page.refresh()
    model = page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    status_col = headers.index(tr("Status"))
    name_col = headers.index(tr("Debt name"))
    rows = {
        model.index(r, name_col).data(): model.index(r, status_col).data() for r in range(model.rowCount())
    }
    assert rows["逾期贷款"] == "逾期"  # not 正常 (active), as the stored status would say
