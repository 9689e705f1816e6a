"""Due dates as an iCalendar file (RFC 5545) that calendar programs import.

One all-day VEVENT per debt and due date, with a VALARM for each moment the
debt's reminder rule names; arrears get one event on the export date. UIDs are
stable (``debt-<id>-<YYYYMMDD>@debtkeeper``, ``debt-<id>-overdue@debtkeeper``) so
that importing a newer export updates the events instead of adding copies, and
DTSTAMP and SEQUENCE come from the export date, so the same data exported for
the same date gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta

from domain.debts import N_
from domain.money import ZERO
from domain.reminders import Due, ReminderRule
from resources.i18n import format_date, format_money, tr

PRODID = "-//DebtKeeper//DebtKeeper reminders//EN"
UID_DOMAIN = "debtkeeper"
# SEQUENCE counts days from here, so a later export always carries a higher one.
_SEQUENCE_EPOCH = date(2020, 1, 1)


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


def build_calendar(dues: Iterable[Due], rules: Mapping[int, ReminderRule], as_of: date,
                   lang: str | None = None) -> bytes:
    """The calendar of ``dues`` (from services.reminders.all_dues) as iCalendar bytes."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", tr(N_("DebtKeeper due dates"), lang))

    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    sequence = max((as_of - _SEQUENCE_EPOCH).days, 0)

    # One event per debt and date, even if two instalments happen to share a date.
    grouped: dict[tuple[int, date, bool], list[Due]] = {}
    for due in dues:
        day = as_of if due.overdue else due.due_date
        grouped.setdefault((due.debt_id, day, due.overdue), []).append(due)

    for (debt_id, day, overdue), group in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        name = group[0].name
        amount = format_money(sum((d.amount for d in group), ZERO), lang)
        event = Event()
        if overdue:
            since = min(d.due_date for d in group)
            event.add("uid", overdue_uid(debt_id))
            summary = tr(N_("Overdue: {name}, {amount}"), lang, name=name, amount=amount)
            description = tr(N_("{name} has {amount} unpaid since {date}. Pay what you can, or contact the "
                                "lender about a plan."), lang,
                             name=name, amount=amount, date=format_date(since, lang))
        else:
            event.add("uid", due_uid(debt_id, day))
            summary = tr(N_("Pay {name}: {amount}"), lang, name=name, amount=amount)
            periods = ", ".join(str(d.period) for d in group if d.period is not None)
            description = tr(N_("{name}: {amount} due on {date} (instalment {period})."), lang,
                             name=name, amount=amount, date=format_date(day, lang), period=periods or "-")
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        event.add("categories", [tr(N_("Debt repayment"), lang)])
        for trigger, key in _alarm_triggers(rules.get(debt_id), overdue):
            alarm = Alarm()
            alarm.add("uid", f"{event['uid'].split('@')[0]}-{key}@{UID_DOMAIN}")
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", trigger)
            event.add_component(alarm)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def count_events(data: bytes) -> int:
    from icalendar import Calendar

    return len(Calendar.from_ical(data).walk("VEVENT"))
