"""The plan page recomputes off the GUI thread when the budget moves."""

from __future__ import annotations

from decimal import Decimal


def _ready(page) -> bool:
    return bool(page.plans) and not page.debouncer.busy


def test_budget_slider_recomputes(window, qtbot):
    page = window.show_page("plan")
    qtbot.waitUntil(lambda: _ready(page), timeout=20000)
    first = dict(page.plans)
    assert page.compare.rowCount() >= 2
    page.slider.setValue(page.slider.value() + 40)  # +2,000 yuan a month
    assert page.budget() > Decimal(0)
    qtbot.waitUntil(
        lambda: (
            _ready(page)
            and page.plans is not first
            and all(
                getattr(p, "budget", None) == page.budget()
                for p in page.plans.values()
                if not isinstance(p, BaseException)
            )
        ),
        timeout=20000,
    )
    after = {k: p for k, p in page.plans.items() if not isinstance(p, BaseException)}
    for key, plan in after.items():
        before = first[key]
        if not isinstance(before, BaseException) and before.payoff_date and plan.payoff_date:
            assert plan.payoff_date <= before.payoff_date  # more money never ends later
    assert page.balance_chart.chart().series()


def test_dragging_coalesces_into_one_computation(window, qtbot, monkeypatch):
    import ui.pages.plan as plan_module

    page = window.show_page("plan")
    qtbot.waitUntil(lambda: _ready(page), timeout=20000)
    calls = []
    real = plan_module.compute_plans
    monkeypatch.setattr(plan_module, "compute_plans", lambda *a: calls.append(a[1]) or real(*a))
    for _step in range(1, 30):
        page.slider.setValue(page.slider.value() + 1)
    qtbot.waitUntil(lambda: bool(calls) and _ready(page), timeout=20000)
    assert len(calls) <= 2
    assert calls[-1] == page.budget()
