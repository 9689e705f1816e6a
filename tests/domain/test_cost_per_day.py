"""What each further day of arrears adds (domain.overdue.cost_per_day), worked by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from domain.overdue import ProjectionPoint, cost_per_day

D = Decimal
AS_OF = date(2026, 11, 23)


def _report(penalty: str, fees: str, *points: tuple[int, str, str]):
    projection = tuple(
        ProjectionPoint(AS_OF + timedelta(days=days), days, D(p), D(f), D(p) + D(f), D(0))
        for days, p, f in points
    )
    return SimpleNamespace(penalty_interest=D(penalty), late_fees=D(fees), projection=projection)


def test_the_charges_of_the_first_projected_period_spread_over_its_days():
    # Today 10.00 penalty + 5.00 fees = 15.00; in 30 days 40.00 + 11.00 = 51.00: 36.00 / 30 = 1.20.
    assert cost_per_day(_report("10.00", "5.00", (30, "40.00", "11.00"), (60, "99.00", "99.00")), AS_OF) == D(
        "1.20"
    )


def test_rounded_half_up_to_the_fen():
    # 5.00 over 3 days: 1.666… -> 1.67; 10.00 over 3 days: 3.333… -> 3.33.
    assert cost_per_day(_report("0", "0", (3, "4.00", "1.00")), AS_OF) == D("1.67")
    assert cost_per_day(_report("0", "0", (3, "10.00", "0")), AS_OF) == D("3.33")


def test_nothing_more_accruing_is_zero_and_no_projection_is_none():
    assert cost_per_day(_report("20.00", "0", (30, "20.00", "0")), AS_OF) == D("0.00")
    assert cost_per_day(_report("0", "0"), AS_OF) is None
    assert cost_per_day(_report("0", "0", (0, "1.00", "0")), AS_OF) is None  # a point on as_of itself
