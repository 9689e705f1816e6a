"""Reminders as use cases: the dues of every debt, rules per debt, firing and the calendar file.

Where things are kept: a debt's own rule in the database's reminders table
(``days_before``, 0 meaning the due day, and ``enabled``; exported with the
data), with its details in the same row (``daily_while_overdue``, ``at_time``,
``follow_defaults``; an export writes them as the setting ``reminders.rules.<debt id>``).
The calendar file: ``reminders.calendar_events`` (what
the last export said of each event, to number and cancel events; not exported
with the data). The person's defaults: ``reminders.default_rule`` (absent:
the shipped ``resources/rules/reminders.toml``). Firing: ``reminders.last_fired``
(``{"<debt id>": "YYYY-MM-DDTHH:MM:SS"}``) and ``reminders.tracked_from``
(``{"<debt id>": "YYYY-MM-DD"}``, the day the program began watching the debt:
from there on an instalment left unpaid after its date is arrears until a
payment is recorded). ``reminders.close_to_tray``: closing the window keeps the
program in the tray (off by default).

A debt's schedule is the one stored for it (its lender's own figures) when
there is one, else the repayment engine's.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from domain.debts import N_, Debt, Payment
from domain.reminders import (
    CLOSED_STATUSES,
    Due,
    Reminder,
    ReminderKind,
    ReminderRule,
    ReminderRuleError,
    ScheduleRowLike,
    due_reminders,
    dues_for_debt,
    dues_from_paid,
    parse_default_rule,
    window_opens,
)
from domain.reminders import dues_within as _dues_within
from fileio.atomic import atomic_write_bytes
from resources.i18n import format_date, format_money, tr
from services.errors import UserError
from services.moved_settings import RULE_PREFIX

if TYPE_CHECKING:
    from documents.ics import Exported
    from services.app import Services

log = logging.getLogger(__name__)

SETTING_DEFAULT_RULE = "reminders.default_rule"
SETTING_RULE_PREFIX = RULE_PREFIX  # the export's name of a rule's details (services.moved_settings)
SETTING_LAST_FIRED = "reminders.last_fired"
SETTING_TRACKED_FROM = "reminders.tracked_from"
SETTING_CLOSE_TO_TRAY = "reminders.close_to_tray"
# What the last calendar file said of each event: {uid: [content hash, SEQUENCE, day, title]}. It belongs
# to this computer's calendars, so an export of the data leaves it out (LOCAL_SETTINGS).
SETTING_CALENDAR = "reminders.calendar_events"
LOCAL_SETTINGS = frozenset({SETTING_CALENDAR})
FIRST_LOOKBACK = timedelta(days=1)


@cache
def shipped_default_rule() -> ReminderRule:
    """The defaults shipped in resources/rules/reminders.toml."""
    from resources.rules import read_rules_text

    return parse_default_rule(read_rules_text("reminders.toml"))


def _read_json(svc: Services, key: str) -> Any:
    raw = svc.get_setting(key, None)
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        return raw  # a store that keeps decoded values
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        log.warning("setting %s is not JSON; ignoring it", key)
        return None


def _write_json(svc: Services, key: str, value: Any) -> None:
    svc.set_setting(key, json.dumps(value, sort_keys=True) if value is not None else "")


def _rule_from_setting(svc: Services, key: str) -> ReminderRule | None:
    data = _read_json(svc, key)
    if data is None:
        return None
    try:
        return ReminderRule.from_json(data)
    except ReminderRuleError:
        log.warning("setting %s holds a broken reminder rule; using the defaults", key)
        return None


def default_rule(svc: Services) -> ReminderRule:
    """The rule of every debt without one of its own."""
    return _rule_from_setting(svc, SETTING_DEFAULT_RULE) or shipped_default_rule()


def set_default_rule(svc: Services, rule: ReminderRule | None) -> None:
    """Change the defaults; None goes back to the shipped ones."""
    _write_json(svc, SETTING_DEFAULT_RULE, rule.to_json() if rule else None)


def _stored_rules(svc: Services) -> dict[int, Any]:
    """The reminders table: debt id -> stored rule (days_before, enabled, last_fired)."""
    return {row.debt_id: row for row in svc.list_reminders()}


def _own_rule(svc: Services, debt_id: int, stored: Any, defaults: ReminderRule) -> ReminderRule | None:
    if stored is None or stored.follow_defaults:
        return None
    if not stored.enabled:
        return ReminderRule()
    days = [int(d) for d in stored.days_before]
    try:
        return ReminderRule.from_json(
            {
                "days_before": [d for d in days if d > 0],
                "on_due_day": 0 in days,
                "daily_while_overdue": defaults.daily_while_overdue
                if stored.daily_while_overdue is None
                else stored.daily_while_overdue,
                "at": stored.at or defaults.at.strftime("%H:%M"),
            }
        )
    except ReminderRuleError:
        log.warning("debt %s has a broken reminder rule; using the defaults", debt_id)
        return None


def own_rule(svc: Services, debt_id: int) -> ReminderRule | None:
    """The debt's own rule, or None when it follows the defaults."""
    return _own_rule(svc, debt_id, _stored_rules(svc).get(debt_id), default_rule(svc))


def rule_for(svc: Services, debt_id: int) -> ReminderRule:
    return own_rule(svc, debt_id) or default_rule(svc)


def set_rule(svc: Services, debt_id: int, rule: ReminderRule | None) -> None:
    """Give a debt its own rule; None makes it follow the defaults again."""
    from services.reminder_store import StoredReminderRule as StoredRule

    with svc.unit():  # the reminders table and the rule's details: one transaction
        svc.get_debt(debt_id)  # NotFoundError for a debt that does not exist
        if rule is None:
            svc.set_reminder_details(debt_id, follow_defaults=True)
            return
        stored = _stored_rules(svc).get(debt_id)
        days = (*rule.days_before, 0) if rule.on_due_day else rule.days_before
        svc.set_reminder(
            StoredRule(debt_id, tuple(days), rule.enabled, stored.last_fired if stored is not None else None)
        )
        svc.set_reminder_details(
            debt_id, daily_while_overdue=rule.daily_while_overdue, at=rule.at.strftime("%H:%M")
        )


def rules_for(svc: Services, debt_ids: Iterable[int]) -> dict[int, ReminderRule]:
    defaults = default_rule(svc)
    stored = _stored_rules(svc)
    return {
        debt_id: _own_rule(svc, debt_id, stored.get(debt_id), defaults) or defaults for debt_id in debt_ids
    }


def last_fired(svc: Services) -> dict[int, datetime]:
    data = _read_json(svc, SETTING_LAST_FIRED)
    out: dict[int, datetime] = {}
    if not isinstance(data, dict):
        return out
    for key, value in data.items():
        try:
            out[int(key)] = datetime.fromisoformat(str(value))
        except ValueError:
            log.warning("ignoring a broken last-fired entry %r", key)
    return out


def _stored_tracked_from(svc: Services) -> dict[int, date]:
    data = _read_json(svc, SETTING_TRACKED_FROM)
    out: dict[int, date] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            try:
                out[int(key)] = date.fromisoformat(str(value))
            except ValueError:
                log.warning("ignoring a broken tracked-from entry %r", key)
    return out


def _with_last_fired(stored: dict[int, date], fired: dict[int, datetime]) -> dict[int, date]:
    out = dict(stored)
    for debt_id, moment in fired.items():
        out[debt_id] = min(out.get(debt_id, moment.date()), moment.date())
    return out


def tracked_from(svc: Services) -> dict[int, date]:
    """Per debt, the day from which the program has watched its instalments (stored, or last fired)."""
    return _with_last_fired(_stored_tracked_from(svc), last_fired(svc))


def close_to_tray(svc: Services) -> bool:
    return str(svc.get_setting(SETTING_CLOSE_TO_TRAY, "0")) in ("1", "true", "True")


def set_close_to_tray(svc: Services, on: bool) -> None:
    svc.set_setting(SETTING_CLOSE_TO_TRAY, "1" if on else "0")


# --- dues ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _StoredRow:
    period: int
    due_date: date
    payment: Decimal


def schedule_rows(debt: Debt) -> Sequence[ScheduleRowLike]:
    """The debt's schedule rows still to come as it stands (``domain.standing``)."""
    from domain.standing import standing

    return standing(debt).rows


def debt_schedule(
    svc: Services, debt: Debt, stored: Sequence[Any] | None = None
) -> Sequence[ScheduleRowLike]:
    """The schedule stored for the debt (its lender's figures) if any, else the engine's.
    ``stored``: its stored instalments, when already read."""
    if stored is None:
        stored = svc.list_instalments(debt.id) if debt.id is not None else []
    if stored:
        return [_StoredRow(i.period, i.due_date, i.amount) for i in stored]
    return schedule_rows(debt)


def open_debts(svc: Services, as_of: date) -> list[Debt]:
    """Debts that still ask for money: not archived, not settled, and not paid off by the figures."""
    return open_of(svc.list_summaries(as_of, include_archived=False))


def open_of(summaries: Iterable[Any]) -> list[Debt]:
    """``open_debts`` from summaries already read (``services.summaries.DebtSummary``)."""
    from domain.debts import DebtStatus

    return [
        summary.debt
        for summary in summaries
        if summary.status is not DebtStatus.SETTLED
        and summary.debt.status not in CLOSED_STATUSES
        and summary.debt.status is not DebtStatus.ARCHIVED
    ]


def debt_dues(
    svc: Services,
    debt: Debt,
    as_of: date,
    tracked: date | None = None,
    payments: Sequence[Payment] | None = None,
    *,
    schedule: Sequence[ScheduleRowLike] | None = None,
    paid: Decimal | None = None,
) -> list[Due]:
    """The debt's dues on ``as_of``. ``schedule`` (``debt_schedule``) and ``paid`` (what was paid in
    the window its record follows: ``paid_window``), when the caller has them already."""
    if debt.id is None or debt.status in CLOSED_STATUSES:
        return []
    rows = schedule_or_empty(svc, debt) if schedule is None else schedule
    if payments is None and debt.overdue_since is None:
        # Only what was paid since the instalments the record follows counts: summed where it is
        # stored, not read payment by payment (years of them cost no more than a month's).
        if paid is None:
            paid = svc.paid_total(debt.id, *paid_window(debt, rows, as_of, tracked))
        return dues_from_paid(debt, rows, as_of, tracked, paid=paid)
    if payments is None:  # a debt in arrears: all of them (its charges run over them)
        payments = svc.list_payments(debt.id)
    dues = dues_for_debt(debt, rows, payments, as_of, tracked)
    if debt.overdue_since is not None and any(d.overdue for d in dues):
        # The arrears with their charges, after the payments: the overdue page's own figure
        # (more only when the schedule shows instalments missed since the arrears were stated).
        from dataclasses import replace

        from services.overdue import arrears_due

        total = arrears_due(svc, debt, as_of, payments)
        if total is not None and total > 0:
            dues = [replace(d, amount=max(total, d.amount)) if d.overdue else d for d in dues]
    return dues


def schedule_or_empty(
    svc: Services, debt: Debt, stored: Sequence[Any] | None = None
) -> Sequence[ScheduleRowLike]:
    """``debt_schedule``, or no rows for a debt whose terms give no schedule (logged)."""
    try:
        return debt_schedule(svc, debt, stored)
    except (ValueError, ArithmeticError) as exc:
        # One debt whose terms give no schedule must not silence the others' reminders.
        log.warning("no schedule for debt %s (%s): reminding of its arrears only", debt.id, exc)
        return []


def paid_window(
    debt: Debt, rows: Sequence[ScheduleRowLike], as_of: date, tracked: date | None
) -> tuple[date | None, date]:
    """The days whose payments pay the instalments the record follows: after the first, up to the second."""
    return window_opens(debt, rows, as_of, tracked), as_of


def all_dues(
    svc: Services, as_of: date, tracked: dict[int, date] | None = None, debts: Sequence[Debt] | None = None
) -> list[Due]:
    """Every due of every open debt on ``as_of``: arrears and all coming instalments.

    The stored schedules and what was paid in each debt's window are read once for all the debts
    (two reads, however many debts), not debt by debt."""
    tracked = tracked_from(svc) if tracked is None else tracked
    debts = open_debts(svc, as_of) if debts is None else debts
    asking = [d for d in debts if d.id is not None and d.status not in CLOSED_STATUSES]
    stored = svc.instalments_of([d.id for d in asking if d.id is not None]) if asking else {}
    schedules = {d.id: schedule_or_empty(svc, d, stored.get(d.id or 0, [])) for d in asking}
    spans = {
        d.id: paid_window(d, schedules[d.id], as_of, tracked.get(d.id))
        for d in asking
        if d.id is not None and d.overdue_since is None
    }
    paid = svc.paid_totals(spans) if spans else {}
    dues: list[Due] = []
    for debt in debts:  # each counts the payments of its window (not years of earlier ones)
        key = debt.id or 0
        dues.extend(
            debt_dues(svc, debt, as_of, tracked.get(key), schedule=schedules.get(key), paid=paid.get(key))
        )
    return sorted(dues, key=lambda d: (d.due_date, d.debt_id, d.period or 0))


def dues_within(
    svc: Services, as_of: date, within_days: int, debts: Sequence[Debt] | None = None
) -> list[Due]:
    """Arrears plus the instalments due from ``as_of`` to ``as_of + within_days`` inclusive
    (``debts``: the open debts, when the caller has read them: ``open_of``)."""
    if within_days < 0 or within_days > 3660:
        raise UserError(tr("The window must be 0 to 3660 days, not {days}.", days=within_days))
    return _dues_within(all_dues(svc, as_of, debts=debts), as_of, within_days)


def fire_due_reminders(svc: Services, now: datetime) -> list[Reminder]:
    """The reminders due at ``now`` (each once; missed ones folded per debt); records them as fired."""
    stored = _stored_tracked_from(svc)
    fired_before = last_fired(svc)
    tracked = _with_last_fired(stored, fired_before)
    debts = open_debts(svc, now.date())
    for debt in debts:
        if debt.id is not None:
            tracked.setdefault(debt.id, now.date())  # watched from the first check that saw it
    dues = all_dues(svc, now.date(), tracked, debts)
    debt_ids = {d.debt_id for d in dues}
    # A debt never reminded of (new, or the first run) starts a day back, not at the start of its history.
    since = {debt_id: fired_before.get(debt_id, now - FIRST_LOOKBACK) for debt_id in debt_ids}
    reminders = due_reminders(dues, rules_for(svc, debt_ids), now, since)
    for reminder in reminders:
        first = min(d.due_date for d in reminder.dues)
        tracked[reminder.debt_id] = min(tracked[reminder.debt_id], first)
    if tracked != stored:
        _write_json(svc, SETTING_TRACKED_FROM, {str(k): v.isoformat() for k, v in sorted(tracked.items())})
    if reminders:
        updated = {str(k): v.isoformat() for k, v in fired_before.items()}
        for reminder in reminders:
            updated[str(reminder.debt_id)] = now.isoformat(timespec="seconds")
        _write_json(svc, SETTING_LAST_FIRED, dict(sorted(updated.items())))
        stored = _stored_rules(svc)
        for reminder in reminders:
            if reminder.debt_id in stored:
                svc.mark_reminded(reminder.debt_id, now.date())  # the table's day-level record
    return reminders


# --- words ---------------------------------------------------------------------


def when_text(due: Due, today: date, lang: str | None = None) -> str:
    """'overdue since Nov 1, 2026', 'due today', 'due tomorrow', 'due in 3 days (Nov 26, 2026)'."""
    if due.overdue or due.due_date < today:
        return tr(N_("overdue since {date}"), lang, date=format_date(due.due_date, lang))
    days = (due.due_date - today).days
    if days == 0:
        return tr(N_("due today"), lang)
    if days == 1:
        return tr(N_("due tomorrow"), lang)
    return tr(N_("due in {days} days ({date})"), lang, days=days, date=format_date(due.due_date, lang))


def due_line(due: Due, today: date, lang: str | None = None) -> str:
    return tr(
        N_("{name}: {amount} {when}"),
        lang,
        name=due.name,
        amount=format_money(due.amount, lang),
        when=when_text(due, today, lang),
    )


def banner_lines(svc: Services, today: date) -> list[tuple[str, int, bool]]:
    """The lines above the window's pages: what is due today and what is overdue, each as
    (text, debt id, whether it is overdue)."""
    return [(due_line(due, today), due.debt_id, due.overdue) for due in dues_within(svc, today, 0)]


def reminder_text(reminder: Reminder, today: date, lang: str | None = None) -> tuple[str, str]:
    """The title and body of a notification for one fired reminder."""
    if reminder.overdue:
        title = tr(N_("Overdue: {name}"), lang, name=reminder.name)
    elif reminder.kind is ReminderKind.DUE_DAY:
        title = tr(N_("Due today: {name}"), lang, name=reminder.name)
    else:
        title = tr(N_("Payment coming: {name}"), lang, name=reminder.name)
    lines = [due_line(d, today, lang) for d in reminder.dues]
    if reminder.caught_up:
        lines.append(
            tr(
                N_("({count} reminders while DebtKeeper was not running, shown once)"),
                lang,
                count=reminder.missed,
            )
        )
    return title, "\n".join(lines)


def summary_text(dues: Sequence[Due], today: date, lang: str | None = None) -> tuple[str, str]:
    """Title and body of one notification listing several dues (the command line's --notify)."""
    from resources.i18n import get_language, translations

    count = len(dues)
    title = (
        translations(lang or get_language())
        .ngettext("DebtKeeper: {count} payment due", "DebtKeeper: {count} payments due", count)
        .format(count=count)
    )
    return title, "\n".join(due_line(d, today, lang) for d in dues)


# --- calendar ------------------------------------------------------------------


def _exported(svc: Services) -> dict[str, Exported]:
    """What the last calendar file said of each event (SETTING_CALENDAR); {} when nothing was exported."""
    from documents.ics import Exported

    data = _read_json(svc, SETTING_CALENDAR)
    out: dict[str, Exported] = {}
    for uid, entry in data.items() if isinstance(data, dict) else ():
        try:
            content, sequence, start, summary = entry
            out[str(uid)] = Exported(
                str(content), int(sequence), date.fromisoformat(str(start)), str(summary)
            )
        except (TypeError, ValueError):
            log.warning("ignoring a broken calendar entry %r", uid)
    return out


def _calendar(svc: Services, as_of: date, lang: str | None) -> tuple[bytes, dict[str, Exported]]:
    from documents.ics import calendar_and_state

    dues = all_dues(svc, as_of)
    return calendar_and_state(dues, rules_for(svc, {d.debt_id for d in dues}), as_of, lang, _exported(svc))


def calendar_bytes(svc: Services, as_of: date, lang: str | None = None) -> bytes:
    """Every due date as an iCalendar document (see documents.ics), numbered after the last export."""
    return _calendar(svc, as_of, lang)[0]


def export_ics(svc: Services, out: Path | BinaryIO, as_of: date, lang: str | None = None) -> int:
    """Write the calendar file (atomically; or to an open binary file such as standard output) and
    remember what it said of each event; returns the number of events."""
    from documents.ics import count_events

    data, state = _calendar(svc, as_of, lang)
    if isinstance(out, str | PathLike):
        path = Path(out)
        try:
            atomic_write_bytes(path, data)  # private: it names the debts and what is owed
        except OSError as exc:
            raise UserError(
                tr(
                    N_("Cannot write the calendar file {path}: {reason}"),
                    path=str(path),
                    reason=exc.strerror or str(exc),
                )
            ) from exc
    else:
        out.write(data)
        out.flush()
    if not svc.read_only:  # a database opened read-only numbers its files from the last recorded export
        _write_json(
            svc,
            SETTING_CALENDAR,
            {
                uid: [e.content, e.sequence, e.start.isoformat(), e.summary]
                for uid, e in sorted(state.items())
            },
        )
    return count_events(data)
