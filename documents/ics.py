"""Due dates as an iCalendar file (RFC 5545) that calendar programs import.

One all-day VEVENT per debt and due date, with a VALARM for each moment the
debt's reminder rule names; arrears get one event on the export date. UIDs are
stable (``debt-<id>-<YYYYMMDD>@debtkeeper``, ``debt-<id>-overdue@debtkeeper``) so
that a program that updates by UID replaces the events of an earlier import.

What the last export said of each event (``Exported``: a hash of its content,
its SEQUENCE, its day and title) is handed back in: an event whose content
changed gets a higher SEQUENCE, an unchanged one keeps its own, and an event the
earlier file had but the dues no longer have (the instalment was paid, the debt
settled or deleted) is written again with ``STATUS:CANCELLED`` and a higher
SEQUENCE, so that the calendar removes it. DTSTAMP is the export date, so the
same data exported on the same date gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.debts import N_
from domain.money import ZERO
from domain.reminders import Due, ReminderRule
from resources.i18n import format_date, format_money, tr

PRODID = "-//DebtKeeper//DebtKeeper reminders//EN"
UID_DOMAIN = "debtkeeper"
CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class Exported:
    """One event as the last export wrote it: enough to tell a change, and to cancel it."""

    content: str  # hash of the event without DTSTAMP and SEQUENCE
    sequence: int
    start: date
    summary: str


def due_uid(debt_id: int, due_date: date) -> str:
    return f"debt-{debt_id}-{due_date:%Y%m%d}@{UID_DOMAIN}"


def overdue_uid(debt_id: int) -> str:
    return f"debt-{debt_id}-overdue@{UID_DOMAIN}"


def _alarm_triggers(rule: ReminderRule | None, overdue: bool) -> list[tuple[timedelta, str]]:
    """Triggers relative to the start (midnight) of the all-day event, with a label key."""
    if rule is None:
        return []
    at = timedelta(hours=rule.at.hour, minutes=rule.at.minute)
    if overdue:
        return [(at, "overdue")] if rule.daily_while_overdue else []
    triggers = [(at - timedelta(days=days), f"before-{days}") for days in rule.days_before]
    if rule.on_due_day:
        triggers.append((at, "due-day"))
    return triggers


def build_calendar(
    dues: Iterable[Due],
    rules: Mapping[int, ReminderRule],
    as_of: date,
    lang: str | None = None,
    previous: Mapping[str, Exported] | None = None,
) -> bytes:
    """The calendar of ``dues`` (from services.reminders.all_dues) as iCalendar bytes."""
    return calendar_and_state(dues, rules, as_of, lang, previous)[0]


def calendar_and_state(
    dues: Iterable[Due],
    rules: Mapping[int, ReminderRule],
    as_of: date,
    lang: str | None = None,
    previous: Mapping[str, Exported] | None = None,
) -> tuple[bytes, dict[str, Exported]]:
    """The calendar, and what it says of each event (to hand in as ``previous`` next time)."""
    from icalendar import Calendar

    previous = previous or {}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", tr(N_("DebtKeeper due dates"), lang))
    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)

    events = _due_events(dues, rules, as_of, lang)
    gone = sorted((was.start, uid) for uid, was in previous.items() if uid not in events)
    events.update({uid: _cancelled_event(uid, previous[uid], lang) for _day, uid in gone})
    state: dict[str, Exported] = {}
    for uid, event in events.items():
        content = hashlib.sha256(event.to_ical()).hexdigest()[:16]
        was = previous.get(uid)
        sequence = 0 if was is None else was.sequence + (was.content != content)
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        state[uid] = Exported(content, sequence, event.decoded("dtstart"), str(event["summary"]))
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data, state


def _due_events(
    dues: Iterable[Due], rules: Mapping[int, ReminderRule], as_of: date, lang: str | None
) -> dict[str, Any]:
    """An event per debt and date (uid -> event, in date order), without DTSTAMP and SEQUENCE."""
    from icalendar import Alarm, Event

    # One event per debt and date, even if two instalments happen to share a date.
    grouped: dict[tuple[int, date, bool], list[Due]] = {}
    for due in dues:
        day = as_of if due.overdue else due.due_date
        grouped.setdefault((due.debt_id, day, due.overdue), []).append(due)

    events: dict[str, Any] = {}
    for (debt_id, day, overdue), group in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        name = group[0].name
        amount = format_money(sum((d.amount for d in group), ZERO), lang)
        event = Event()
        if overdue:
            since = min(d.due_date for d in group)
            uid = overdue_uid(debt_id)
            summary = tr(N_("Overdue: {name}, {amount}"), lang, name=name, amount=amount)
            description = tr(
                N_(
                    "{name} has {amount} unpaid since {date}. Pay what you can, or contact the "
                    "lender about a plan."
                ),
                lang,
                name=name,
                amount=amount,
                date=format_date(since, lang),
            )
        else:
            uid = due_uid(debt_id, day)
            summary = tr(N_("Pay {name}: {amount}"), lang, name=name, amount=amount)
            periods = ", ".join(str(d.period) for d in group if d.period is not None)
            description = tr(
                N_("{name}: {amount} due on {date} (instalment {period})."),
                lang,
                name=name,
                amount=amount,
                date=format_date(day, lang),
                period=periods or "-",
            )
        event.add("uid", uid)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        event.add("categories", [tr(N_("Debt repayment"), lang)])
        for trigger, key in _alarm_triggers(rules.get(debt_id), overdue):
            alarm = Alarm()
            alarm.add("uid", f"{uid.split('@')[0]}-{key}@{UID_DOMAIN}")
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", trigger)
            event.add_component(alarm)
        events[uid] = event
    return events


def _cancelled_event(uid: str, was: Exported, lang: str | None) -> Any:
    """An event the earlier export had and the dues no longer have: cancelled, with its day and title."""
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstart", was.start)
    event.add("dtend", was.start + timedelta(days=1))
    event.add("summary", was.summary)
    event.add("description", tr(N_("No longer due: paid, settled or removed in DebtKeeper."), lang))
    event.add("status", CANCELLED)
    event.add("transp", "TRANSPARENT")
    event.add("categories", [tr(N_("Debt repayment"), lang)])
    return event


def count_events(data: bytes) -> int:
    """The due dates in a calendar file: its events that are not cancelled."""
    from icalendar import Calendar

    return sum(1 for event in Calendar.from_ical(data).walk("VEVENT") if event.get("status") != CANCELLED)
