"""Reminders with a fake clock: each fires once at its moment, missed ones fold into one summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.debts import Debt, DebtKind, DebtStatus, Method, Payment
from domain.reminders import (
    Due,
    ReminderKind,
    ReminderRule,
    ReminderRuleError,
    due_reminders,
    dues_for_debt,
    dues_from_paid,
    dues_within,
    parse_default_rule,
    window_opens,
)

DEFAULT = ReminderRule(days_before=(3, 1), on_due_day=True, daily_while_overdue=True, at=time(9, 0))


def due(debt_id=1, day=date(2026, 11, 25), amount="1066.19", overdue=False, status=DebtStatus.ACTIVE):
    return Due(debt_id, f"debt {debt_id}", day, Decimal(amount), overdue, None, status)


def run_clock(dues, rule, start, end, *, step=timedelta(minutes=1), last=None):
    """Check every ``step`` from start to end as the tray would; returns (check time, reminder) pairs."""
    last_fired = dict(last or {})
    fired = []
    now = start
    while now <= end:
        for reminder in due_reminders(dues, {}, now, last_fired, default_rule=rule):
            fired.append((now, reminder))
            last_fired[reminder.debt_id] = now
        now += step
    return fired


def test_each_reminder_fires_once_at_its_minute():
    fired = run_clock(
        [due()],
        DEFAULT,
        datetime(2026, 11, 21, 0, 0),
        datetime(2026, 11, 27, 23, 59),
        last={1: datetime(2026, 11, 21, 0, 0)},
    )
    # Written out by hand from the rule: 3 days and 1 day before, the day, then daily while unpaid.
    assert [(now, r.kind, r.days_before, r.missed) for now, r in fired] == [
        (datetime(2026, 11, 22, 9, 0), ReminderKind.BEFORE, 3, 1),
        (datetime(2026, 11, 24, 9, 0), ReminderKind.BEFORE, 1, 1),
        (datetime(2026, 11, 25, 9, 0), ReminderKind.DUE_DAY, 0, 1),
        (datetime(2026, 11, 26, 9, 0), ReminderKind.OVERDUE, 0, 1),
        (datetime(2026, 11, 27, 9, 0), ReminderKind.OVERDUE, 0, 1),
    ]


def test_nothing_fires_one_minute_early_and_the_same_moment_never_twice():
    last = {1: datetime(2026, 11, 22, 8, 0)}
    assert due_reminders([due()], {}, datetime(2026, 11, 22, 8, 59), last, DEFAULT) == []
    fired = due_reminders([due()], {}, datetime(2026, 11, 22, 9, 0), last, DEFAULT)
    assert len(fired) == 1
    again = {1: datetime(2026, 11, 22, 9, 0)}
    assert due_reminders([due()], {}, datetime(2026, 11, 22, 9, 0), again, DEFAULT) == []
    assert due_reminders([due()], {}, datetime(2026, 11, 23, 8, 59), again, DEFAULT) == []


def test_settled_and_archived_debts_fire_nothing():
    for status in (DebtStatus.SETTLED, DebtStatus.ARCHIVED):
        fired = run_clock(
            [due(status=status), due(2, overdue=True, day=date(2026, 9, 1), status=status)],
            DEFAULT,
            datetime(2026, 11, 20),
            datetime(2026, 11, 28),
            step=timedelta(hours=1),
        )
        assert fired == []


def test_settled_debt_has_no_dues():
    rows = [Row(1, date(2026, 12, 25), Decimal("100.00"))]
    settled = debt(status=DebtStatus.SETTLED, overdue_since=date(2026, 10, 25), overdue_amount=Decimal("100"))
    assert dues_for_debt(settled, rows, [], date(2026, 11, 23)) == []


def test_missed_reminders_catch_up_once_per_debt():
    # Computer off from Nov 20 10:00 to Nov 27 12:00; two debts had moments meanwhile.
    last = {1: datetime(2026, 11, 20, 10, 0), 2: datetime(2026, 11, 20, 10, 0)}
    dues = [due(1), due(2, day=date(2026, 11, 28), amount="300.00")]
    woke = datetime(2026, 11, 27, 12, 0)
    fired = due_reminders(dues, {}, woke, last, DEFAULT)
    assert [r.debt_id for r in fired] == [1, 2]
    first, second = fired
    # Debt 1: Nov 22 (3 days), Nov 24 (1 day), Nov 25 (day), Nov 26 and 27 (overdue) -> 5 moments, 1 message.
    assert (first.missed, first.kind, first.at, first.caught_up) == (
        5,
        ReminderKind.OVERDUE,
        datetime(2026, 11, 27, 9, 0),
        True,
    )
    # Debt 2 (due Nov 28): Nov 25 (3 days before) only; Nov 27 09:00 is the 1-day moment.
    assert (second.missed, second.kind, second.days_before) == (2, ReminderKind.BEFORE, 1)
    for r in fired:
        last[r.debt_id] = woke
    assert due_reminders(dues, {}, woke + timedelta(minutes=1), last, DEFAULT) == []
    # The next day's moments fire normally again.
    next_day = due_reminders(dues, {}, datetime(2026, 11, 28, 9, 0), last, DEFAULT)
    assert [(r.debt_id, r.kind, r.missed) for r in next_day] == [
        (1, ReminderKind.OVERDUE, 1),
        (2, ReminderKind.DUE_DAY, 1),
    ]


def test_first_run_with_old_arrears_is_one_summary():
    arrears = due(1, day=date(2026, 7, 25), amount="4000.00", overdue=True)
    fired = due_reminders([arrears], {}, datetime(2026, 11, 23, 10, 0), {}, DEFAULT)
    assert len(fired) == 1
    # Jul 25 (the day itself) + Jul 26 .. Nov 23 daily.
    assert fired[0].missed == 1 + (date(2026, 11, 23) - date(2026, 7, 26)).days + 1
    assert fired[0].overdue and fired[0].total == Decimal("4000.00")


def test_rules_per_debt_and_disabled_rules():
    dues = [due(1), due(2)]
    only_day = ReminderRule(on_due_day=True, at=time(20, 30))
    rules = {1: only_day, 2: ReminderRule()}
    fired = []
    last = {1: datetime(2026, 11, 21), 2: datetime(2026, 11, 21)}
    now = datetime(2026, 11, 21)
    while now <= datetime(2026, 11, 26, 23, 59):
        for r in due_reminders(dues, rules, now, last):
            fired.append((now, r.debt_id, r.kind))
            last[r.debt_id] = now
        now += timedelta(minutes=30)
    assert fired == [(datetime(2026, 11, 25, 20, 30), 1, ReminderKind.DUE_DAY)]


def test_one_reminder_lists_arrears_and_the_coming_instalment_of_a_debt():
    dues = [due(1, day=date(2026, 10, 25), amount="500.00", overdue=True), due(1, day=date(2026, 11, 24))]
    fired = due_reminders(dues, {}, datetime(2026, 11, 23, 9, 0), {1: datetime(2026, 11, 23, 8, 0)}, DEFAULT)
    assert len(fired) == 1
    assert [d.overdue for d in fired[0].dues] == [True, False]
    assert fired[0].total == Decimal("1566.19")


def _expected_moments(due_date, rule, overdue, after, now):
    """A brute-force list of every moment, independent of the function under test."""
    moments = []
    day = min(due_date - timedelta(days=40), after.date())
    while day <= now.date():
        moment = datetime.combine(day, rule.at)
        before = (due_date - day).days
        if not overdue and before in rule.days_before:
            moments.append(moment)
        if rule.on_due_day and day == due_date:
            moments.append(moment)
        if rule.daily_while_overdue and day > due_date:
            moments.append(moment)
        day += timedelta(days=1)
    return [m for m in moments if after < m <= now]


@settings(max_examples=150, deadline=None)
@given(
    rule=st.builds(
        ReminderRule,
        st.lists(st.integers(1, 10), max_size=3).map(tuple),
        st.booleans(),
        st.booleans(),
        st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    ),
    offset=st.integers(-20, 20),
    overdue=st.booleans(),
    gaps=st.lists(st.integers(1, 60 * 24 * 4), min_size=1, max_size=12),
)
def test_every_moment_fires_exactly_once_whatever_the_check_times(rule, offset, overdue, gaps):
    start = datetime(2026, 11, 10, 0, 0)
    the_due = due(day=date(2026, 11, 10) + timedelta(days=offset), overdue=overdue)
    last = {1: start}
    total = 0
    now = start
    for gap in gaps:
        now += timedelta(minutes=gap)
        for r in due_reminders([the_due], {}, now, last, rule):
            assert r.at <= now and r.at > last[1]
            total += r.missed
            last[1] = now
    assert total == len(_expected_moments(the_due.due_date, rule, overdue, start, now))


# --- dues from a schedule -------------------------------------------------------


@dataclass(frozen=True)
class Row:
    period: int
    due_date: date
    payment: Decimal


def debt(**changes):
    base = dict(
        name="JD Jintiao",
        lender="JD",
        kind=DebtKind.JD_JINTIAO,
        principal=Decimal("3000"),
        start_date=date(2026, 6, 15),
        method=Method.EQUAL_PRINCIPAL,
        months=6,
        due_day=15,
        id=7,
    )
    base.update(changes)
    return Debt(**base)


ROWS = [Row(k, date(2026, 6 + k, 15), Decimal("520.00")) for k in range(1, 7)]  # Jul 15 .. Dec 15


def pay(day, amount):
    return Payment(7, day, Decimal(amount))


def test_without_payments_or_arrears_only_coming_instalments_are_due():
    dues = dues_for_debt(debt(), ROWS, [], date(2026, 10, 20))
    assert [(d.due_date, d.amount, d.overdue, d.period) for d in dues] == [
        (date(2026, 11, 15), Decimal("520.00"), False, 5),
        (date(2026, 12, 15), Decimal("520.00"), False, 6),
    ]


def test_recorded_payments_cover_instalments_oldest_first_once_tracked():
    payments = [pay(date(2026, 7, 14), "520"), pay(date(2026, 8, 15), "520"), pay(date(2026, 9, 10), "200")]
    # Reminded of since the Jul 15 instalment: Sep 15 is short by 320 and Oct 15 unpaid -> 840 since Sep 15.
    dues = dues_for_debt(debt(), ROWS, payments, date(2026, 10, 20), tracked_from=date(2026, 7, 15))
    assert [(d.due_date, d.amount, d.overdue) for d in dues] == [
        (date(2026, 9, 15), Decimal("840.00"), True),
        (date(2026, 11, 15), Decimal("520.00"), False),
        (date(2026, 12, 15), Decimal("520.00"), False),
    ]
    # Paying early covers the coming instalment: it is no longer due.
    more = [*payments, pay(date(2026, 10, 21), "840"), pay(date(2026, 11, 1), "520")]
    dues = dues_for_debt(debt(), ROWS, more, date(2026, 11, 2), tracked_from=date(2026, 7, 15))
    assert [(d.due_date, d.amount) for d in dues] == [(date(2026, 12, 15), Decimal("520.00"))]


def test_untracked_past_instalments_are_not_arrears():
    # Never reminded, no arrears stated: the past is the person's word (not overdue); the coming
    # instalment counts only what was paid since the last due date.
    payments = [pay(date(2026, 7, 14), "520"), pay(date(2026, 10, 16), "100")]
    dues = dues_for_debt(debt(), ROWS, payments, date(2026, 10, 20))
    assert [(d.due_date, d.amount, d.overdue) for d in dues] == [
        (date(2026, 11, 15), Decimal("420.00"), False),
        (date(2026, 12, 15), Decimal("520.00"), False),
    ]


def test_a_reminded_instalment_left_unpaid_becomes_arrears():
    dues = dues_for_debt(debt(), ROWS, [], date(2026, 11, 16), tracked_from=date(2026, 11, 15))
    assert [(d.due_date, d.amount, d.overdue) for d in dues] == [
        (date(2026, 11, 15), Decimal("520.00"), True),
        (date(2026, 12, 15), Decimal("520.00"), False),
    ]
    paid_late = [pay(date(2026, 11, 18), "520")]
    dues = dues_for_debt(debt(), ROWS, paid_late, date(2026, 11, 18), tracked_from=date(2026, 11, 15))
    assert [d.overdue for d in dues] == [False]


def test_stated_arrears_count_until_repaid():
    stated = debt(overdue_since=date(2026, 9, 15), overdue_amount=Decimal("1100.00"))
    dues = dues_for_debt(stated, ROWS, [], date(2026, 10, 20))
    # The person states 1,100 (with penalties) against 1,040 of instalments: the larger is owed.
    first = dues[0]
    assert (first.due_date, first.amount, first.overdue) == (date(2026, 9, 15), Decimal("1100.00"), True)
    dues = dues_for_debt(stated, ROWS, [pay(date(2026, 10, 1), "1100")], date(2026, 10, 20))
    assert [d.overdue for d in dues] == [False, False]


def test_dues_within_is_inclusive_and_keeps_arrears():
    dues = [
        due(1, day=date(2026, 11, 23)),
        due(2, day=date(2026, 11, 30)),
        due(3, day=date(2026, 12, 1)),
        due(4, day=date(2026, 9, 1), overdue=True),
        due(5, day=date(2026, 11, 22)),
    ]
    chosen = dues_within(dues, date(2026, 11, 23), 7)
    assert [d.debt_id for d in chosen] == [4, 1, 2]


def test_rule_json_round_trip_and_errors():
    assert ReminderRule.from_json(DEFAULT.to_json()) == DEFAULT
    assert ReminderRule(days_before=(1, 3, 3)).days_before == (3, 1)
    for bad in (
        {"days_before": [0]},
        {"days_before": [366]},
        {"days_before": "3"},
        {"at": "25:00"},
        {"on_due_day": "yes"},
        {"hours": 3},
        ["x"],
    ):
        with pytest.raises(ReminderRuleError):
            ReminderRule.from_json(bad)


def test_default_rule_file_format():
    rule = parse_default_rule('[default]\ndays_before = [5]\non_due_day = false\nat = "08:15"\n')
    assert rule == ReminderRule((5,), False, False, time(8, 15))
    with pytest.raises(ReminderRuleError):
        parse_default_rule("days_before = [1]\n")


_DAYS = st.dates(min_value=date(2026, 6, 1), max_value=date(2027, 1, 31))


@given(
    payments=st.lists(st.tuples(_DAYS, st.integers(min_value=1, max_value=900)), max_size=12),
    as_of=_DAYS,
    tracked=st.none() | _DAYS,
)
@settings(max_examples=300, deadline=None)
def test_the_dues_of_a_debt_without_arrears_take_only_what_was_paid_after_the_window_opens(
    payments, as_of, tracked
):
    # The service sums those payments where they are stored (not years of older ones, not one by
    # one): the dues must be exactly those of every payment.
    d = debt()
    every = [pay(day, str(amount)) for day, amount in payments]
    opens = window_opens(d, ROWS, as_of, tracked)
    paid = sum((p.amount for p in every if (opens is None or p.date > opens) and p.date <= as_of), Decimal(0))
    assert dues_from_paid(d, ROWS, as_of, tracked, paid=paid) == dues_for_debt(d, ROWS, every, as_of, tracked)


def test_the_window_opens_on_the_last_instalment_before_the_record_follows():
    # Followed from 1 Sep: the Aug 15 instalment is behind it; payments after Aug 15 count.
    assert window_opens(debt(), ROWS, date(2026, 10, 20), date(2026, 9, 1)) == date(2026, 8, 15)
    # Arrears since 1 Aug: followed from the Aug 15 instalment, so after Jul 15.
    assert window_opens(
        debt(overdue_since=date(2026, 8, 1)), ROWS, date(2026, 10, 20), date(2026, 9, 1)
    ) == date(2026, 7, 15)
    # Followed from before the first instalment: every payment counts.
    assert window_opens(debt(), ROWS, date(2026, 10, 20), date(2026, 7, 1)) is None
