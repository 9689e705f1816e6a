"""The calendar file parses, round-trips, keeps its UIDs across exports and carries the alarms."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from icalendar import Calendar

from documents.ics import build_calendar, calendar_and_state, count_events
from domain.reminders import Due, ReminderRule

AS_OF = date(2026, 11, 23)
RULE = ReminderRule(days_before=(3, 1), on_due_day=True, daily_while_overdue=True, at=time(9, 0))
DUES = [
    Due(1, "京东白条", date(2026, 11, 25), Decimal("1066.19"), period=3),
    Due(1, "京东白条", date(2026, 12, 25), Decimal("1066.19"), period=4),
    Due(2, "Credit card", date(2026, 8, 5), Decimal("4000.00"), overdue=True),
    Due(3, "Huabei", date(2026, 12, 10), Decimal("350.50"), period=1),
]


def events(data: bytes):
    return {str(e["uid"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_parses_with_one_event_per_due_and_stable_uids():
    data = build_calendar(DUES, {1: RULE, 2: RULE}, AS_OF, "en_US")
    found = events(data)
    assert set(found) == {
        "debt-1-20261125@debtkeeper",
        "debt-1-20261225@debtkeeper",
        "debt-2-overdue@debtkeeper",
        "debt-3-20261210@debtkeeper",
    }
    first = found["debt-1-20261125@debtkeeper"]
    assert first.decoded("dtstart") == date(2026, 11, 25)
    assert first.decoded("dtend") == date(2026, 11, 26)
    assert "CN¥1,066.19" in str(first["summary"])
    assert first.decoded("dtstamp") == datetime(2026, 11, 23, tzinfo=first.decoded("dtstamp").tzinfo)
    assert first.decoded("dtstamp").utcoffset() == timedelta(0)
    # Arrears sit on the export day, and say since when.
    overdue = found["debt-2-overdue@debtkeeper"]
    assert overdue.decoded("dtstart") == AS_OF
    assert "Aug 5, 2026" in str(overdue["description"])


def test_alarms_follow_the_rule():
    found = events(build_calendar(DUES, {1: RULE, 2: RULE}, AS_OF, "en_US"))
    triggers = sorted(a.decoded("trigger") for a in found["debt-1-20261125@debtkeeper"].walk("VALARM"))
    # 09:00 three days before, 09:00 one day before, 09:00 on the day (relative to the day's midnight).
    assert triggers == [timedelta(days=-3, hours=9), timedelta(days=-1, hours=9), timedelta(hours=9)]
    assert all(
        str(a["action"]) == "DISPLAY" and a["description"]
        for a in found["debt-1-20261125@debtkeeper"].walk("VALARM")
    )
    assert [a.decoded("trigger") for a in found["debt-2-overdue@debtkeeper"].walk("VALARM")] == [
        timedelta(hours=9)
    ]
    # Debt 3 has no rule given: an event, no alarms.
    assert found["debt-3-20261210@debtkeeper"].walk("VALARM") == []


def test_round_trip_and_same_bytes_for_the_same_day():
    data = build_calendar(DUES, {1: RULE}, AS_OF, "zh_CN")
    assert Calendar.from_ical(data).to_ical() == data
    assert build_calendar(DUES, {1: RULE}, AS_OF, "zh_CN") == data
    assert b"\r\n" in data and all(len(line) <= 75 for line in data.split(b"\r\n"))
    text = data.decode("utf-8")
    assert "VERSION:2.0" in text and "PRODID:" in text
    assert "还款" in str(events(data)["debt-1-20261125@debtkeeper"]["summary"])


def test_a_later_export_numbers_events_by_change_not_by_date():
    first, state = calendar_and_state(DUES, {1: RULE}, AS_OF, "en_US")
    assert {int(e["sequence"]) for e in events(first).values()} == {0}
    # Three days later nothing changed but the arrears, which sit on the export day: only they move on.
    later, state2 = calendar_and_state(DUES, {1: RULE}, AS_OF + timedelta(days=3), "en_US", state)
    found = events(later)
    assert int(found["debt-2-overdue@debtkeeper"]["sequence"]) == 1
    assert found["debt-2-overdue@debtkeeper"].decoded("dtstart") == AS_OF + timedelta(days=3)
    for uid in ("debt-1-20261125@debtkeeper", "debt-1-20261225@debtkeeper", "debt-3-20261210@debtkeeper"):
        assert int(found[uid]["sequence"]) == 0, uid
    # The same data on the same day: the same bytes, the same numbers.
    assert calendar_and_state(DUES, {1: RULE}, AS_OF + timedelta(days=3), "en_US", state2) == (later, state2)
    # A changed amount is a changed event.
    changed = [replace(d, amount=Decimal("350.00")) if d.debt_id == 3 else d for d in DUES]
    after = events(calendar_and_state(changed, {1: RULE}, AS_OF + timedelta(days=3), "en_US", state2)[0])
    assert int(after["debt-3-20261210@debtkeeper"]["sequence"]) == 1
    assert "350.00" in str(after["debt-3-20261210@debtkeeper"]["summary"])


def test_an_instalment_no_longer_due_is_exported_cancelled():
    _data, state = calendar_and_state(DUES, {1: RULE}, AS_OF, "en_US")
    paid = [d for d in DUES if d.due_date != date(2026, 11, 25)]  # the first instalment was paid
    data, state2 = calendar_and_state(paid, {1: RULE}, AS_OF, "en_US", state)
    found = events(data)
    assert set(found) == set(events(_data))  # still there, to tell the calendar
    gone = found["debt-1-20261125@debtkeeper"]
    assert str(gone["status"]) == "CANCELLED" and int(gone["sequence"]) == 1
    assert gone.decoded("dtstart") == date(2026, 11, 25)
    assert str(gone["summary"]) == "Pay 京东白条: CN¥1,066.19"  # the event as the calendar knows it
    assert gone.walk("VALARM") == []  # no alarm for what is not due
    assert all("status" not in e for uid, e in found.items() if uid != "debt-1-20261125@debtkeeper")
    assert count_events(data) == 3
    # Exported again: still cancelled, with the same number (a calendar that missed the last file learns it).
    again, state3 = calendar_and_state(paid, {1: RULE}, AS_OF + timedelta(days=1), "en_US", state2)
    assert str(events(again)["debt-1-20261125@debtkeeper"]["status"]) == "CANCELLED"
    assert int(events(again)["debt-1-20261125@debtkeeper"]["sequence"]) == 1
    # A debt that falls into arrears again brings its arrears event back, numbered above the cancelled one.
    current = [d for d in paid if not d.overdue]
    cancelled = events(calendar_and_state(current, {1: RULE}, AS_OF, "en_US", state3)[0])
    assert str(cancelled["debt-2-overdue@debtkeeper"]["status"]) == "CANCELLED"
    _, state4 = calendar_and_state(current, {1: RULE}, AS_OF, "en_US", state3)
    back = events(calendar_and_state(paid, {1: RULE}, AS_OF, "en_US", state4)[0])["debt-2-overdue@debtkeeper"]
    assert "status" not in back
    assert int(back["sequence"]) == state4["debt-2-overdue@debtkeeper"].sequence + 1
