"""The calendar file parses, round-trips, keeps its UIDs across exports and carries the alarms."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from icalendar import Calendar

from documents.ics import build_calendar
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
    assert set(found) == {"debt-1-20261125@debtkeeper", "debt-1-20261225@debtkeeper",
                          "debt-2-overdue@debtkeeper", "debt-3-20261210@debtkeeper"}
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
    assert all(str(a["action"]) == "DISPLAY" and a["description"]
               for a in found["debt-1-20261125@debtkeeper"].walk("VALARM"))
    assert [a.decoded("trigger") for a in found["debt-2-overdue@debtkeeper"].walk("VALARM")] == [
        timedelta(hours=9)]
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


def test_a_later_export_updates_the_same_events():
    before = events(build_calendar(DUES, {1: RULE}, AS_OF, "en_US"))
    later_dues = [d for d in DUES if d.due_date != date(2026, 11, 25)]  # the first instalment was paid
    after = events(build_calendar(later_dues, {1: RULE}, AS_OF + timedelta(days=3), "en_US"))
    assert set(after) == set(before) - {"debt-1-20261125@debtkeeper"}
    for uid, event in after.items():
        assert int(event["sequence"]) > int(before[uid]["sequence"])
        assert event.decoded("dtstamp") > before[uid].decoded("dtstamp")
