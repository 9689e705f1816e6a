"""Which dues need a reminder, and when.

A *due* is money a debt asks for on a date: an unpaid instalment of its
schedule, or the arrears of a debt that is already overdue. A *rule* says when
to remind of a due: some days before it, on the day, and every day while it
stays unpaid, each at a time of day. A reminder *occurrence* is one such moment.

``due_reminders`` is asked "what fires now?" with the clock passed in (``now``)
and, per debt, the moment reminders last fired. Every occurrence in between
fires exactly once; when several were missed (the computer was off), they are
folded into one summary per debt instead of a flood.

Which instalments are unpaid (``dues_for_debt``): a debt is in arrears when the
person says so (``overdue_since``, ``overdue_amount``), as everywhere in the
program; instalments due before that, or before the program began watching
the debt, are taken as settled (payments made before the program knew of the debt are not in
it). From the first missed due date, or from the day the program began
watching the debt (``tracked_from``), recorded payments cover instalments oldest
first; one still unpaid after its due date is arrears, reminded of daily. Coming
instalments count the payments made since the last due date before them
(paying early covers the next instalment).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from domain.debts import Debt, DebtStatus, Payment
from domain.errors import DomainError
from domain.money import ZERO, D, round_fen

#: Debts in these states ask for nothing: no dues, no reminders.
CLOSED_STATUSES = frozenset({DebtStatus.SETTLED, DebtStatus.ARCHIVED})
#: How far ahead a "days before" reminder may be set (a year, as the database allows).
MAX_DAYS_BEFORE = 365


class ReminderRuleError(DomainError):
    """A reminder rule that cannot be read (from settings or the rules file)."""


class ReminderKind(StrEnum):
    BEFORE = "before"  # some days before the due date
    DUE_DAY = "due_day"  # on the due date
    OVERDUE = "overdue"  # every day after the due date while unpaid


@dataclass(frozen=True, slots=True)
class ReminderRule:
    """When to remind of one debt's dues. An empty rule reminds of nothing."""

    days_before: tuple[int, ...] = ()
    on_due_day: bool = False
    daily_while_overdue: bool = False
    at: time = time(9, 0)

    def __post_init__(self) -> None:
        days = tuple(sorted(set(self.days_before), reverse=True))
        for day in days:
            if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= MAX_DAYS_BEFORE:
                raise ReminderRuleError(f"days before must be 1..{MAX_DAYS_BEFORE}, got {day!r}")
        object.__setattr__(self, "days_before", days)

    @property
    def enabled(self) -> bool:
        return bool(self.days_before or self.on_due_day or self.daily_while_overdue)

    def to_json(self) -> dict[str, Any]:
        return {
            "days_before": list(self.days_before),
            "on_due_day": self.on_due_day,
            "daily_while_overdue": self.daily_while_overdue,
            "at": self.at.strftime("%H:%M"),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReminderRule:
        """Read a rule from its JSON form; unknown keys or wrong types raise ReminderRuleError."""
        if not isinstance(data, Mapping):
            raise ReminderRuleError(f"a reminder rule must be an object, got {type(data).__name__}")
        unknown = set(data) - {"days_before", "on_due_day", "daily_while_overdue", "at"}
        if unknown:
            raise ReminderRuleError(f"unknown reminder rule keys: {sorted(unknown)}")
        days = data.get("days_before", [])
        if not isinstance(days, list | tuple):
            raise ReminderRuleError("days_before must be a list of whole days")
        flags = {}
        for key in ("on_due_day", "daily_while_overdue"):
            value = data.get(key, False)
            if not isinstance(value, bool):
                raise ReminderRuleError(f"{key} must be true or false")
            flags[key] = value
        at_text = data.get("at", "09:00")
        try:
            at = time.fromisoformat(str(at_text))
        except ValueError as exc:
            raise ReminderRuleError(f"not a time of day (HH:MM): {at_text!r}") from exc
        return cls(days_before=tuple(days), at=at.replace(second=0, microsecond=0), **flags)


def parse_default_rule(text: str) -> ReminderRule:
    """The ``[default]`` table of resources/rules/reminders.toml."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ReminderRuleError(f"reminders rules file: {exc}") from exc
    if "default" not in data:
        raise ReminderRuleError("reminders rules file lacks a [default] table")
    # The table cites its source like every rules table; the rule itself is the rest.
    rule = {k: v for k, v in data["default"].items() if k not in ("source", "certainty", "checked")}
    return ReminderRule.from_json(rule)


@dataclass(frozen=True, slots=True)
class Due:
    """Money one debt asks for: an instalment on ``due_date``, or arrears since it."""

    debt_id: int
    name: str
    due_date: date
    amount: Decimal
    overdue: bool = False
    period: int | None = None  # the schedule's period; None for stated arrears
    status: DebtStatus = DebtStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One moment a rule reminds of one due."""

    due: Due
    kind: ReminderKind
    at: datetime
    days_before: int = 0


@dataclass(frozen=True, slots=True)
class Reminder:
    """What fires for one debt at one check: the latest occurrence, and how many were folded in."""

    debt_id: int
    name: str
    kind: ReminderKind
    at: datetime  # when the latest folded occurrence was meant to fire
    days_before: int
    dues: tuple[Due, ...]
    missed: int = 1  # occurrences folded into this one (more than one: a catch-up summary)

    @property
    def caught_up(self) -> bool:
        return self.missed > 1

    @property
    def overdue(self) -> bool:
        return any(d.overdue for d in self.dues)

    @property
    def total(self) -> Decimal:
        return sum((d.amount for d in self.dues), ZERO)

    @property
    def next_due_date(self) -> date:
        return min(d.due_date for d in self.dues)


class ScheduleRowLike(Protocol):
    """The part of a schedule row reminders need (domain.schedules rows have it)."""

    @property
    def period(self) -> int: ...

    @property
    def due_date(self) -> date: ...

    @property
    def payment(self) -> Decimal: ...


# --- dues ----------------------------------------------------------------------


def _tracking_start(
    debt: Debt, rows: Sequence[ScheduleRowLike], as_of: date, tracked_from: date | None
) -> int:
    """Index of the first instalment whose payment the record follows."""
    anchors = [d for d in (debt.overdue_since, tracked_from) if d is not None]
    anchor = min(anchors) if anchors else as_of
    for index, row in enumerate(rows):
        if row.due_date >= anchor:
            return index
    return len(rows)


def window_opens(
    debt: Debt, rows: Sequence[ScheduleRowLike], as_of: date, tracked_from: date | None = None
) -> date | None:
    """The due date of the last instalment before those the record follows (None: it follows
    them all): the payments after it, up to ``as_of``, pay the instalments followed."""
    rows = sorted(rows, key=lambda r: r.due_date)
    start = _tracking_start(debt, rows, as_of, tracked_from)
    return rows[start - 1].due_date if start > 0 else None


def dues_for_debt(
    debt: Debt,
    rows: Sequence[ScheduleRowLike],
    payments: Sequence[Payment],
    as_of: date,
    tracked_from: date | None = None,
) -> list[Due]:
    """The debt's dues on ``as_of``: at most one overdue (arrears) due, then each unpaid coming instalment.

    ``rows`` is the debt's schedule, ``payments`` the payments recorded on it,
    ``tracked_from`` the day the program began watching the debt's instalments.
    """
    opens = window_opens(debt, rows, as_of, tracked_from)
    paid = sum((p.amount for p in payments if p.date <= as_of and (opens is None or p.date > opens)), ZERO)
    repaid = ZERO
    if debt.overdue_since is not None:
        repaid = sum((p.amount for p in payments if debt.overdue_since <= p.date <= as_of), ZERO)
    return dues_from_paid(debt, rows, as_of, tracked_from, paid=paid, repaid=repaid)


def dues_from_paid(
    debt: Debt,
    rows: Sequence[ScheduleRowLike],
    as_of: date,
    tracked_from: date | None,
    *,
    paid: Decimal,
    repaid: Decimal = ZERO,
) -> list[Due]:
    """``dues_for_debt`` from the totals it takes of the payments: ``paid``, what was paid after
    ``window_opens`` up to ``as_of``; ``repaid``, what was paid from ``overdue_since`` up to ``as_of``."""
    if debt.id is None or debt.status in CLOSED_STATUSES:
        return []
    rows = sorted(rows, key=lambda r: r.due_date)
    start = _tracking_start(debt, rows, as_of, tracked_from)
    tracked = list(rows[start:])
    past_unpaid = ZERO
    first_unpaid_past: date | None = None
    coming: list[Due] = []
    for row in tracked:
        owed = round_fen(D(row.payment))
        covered = min(paid, owed)
        paid -= covered
        left = owed - covered
        if left <= ZERO:
            continue
        if row.due_date < as_of:
            past_unpaid += left
            first_unpaid_past = first_unpaid_past or row.due_date
        else:
            coming.append(Due(debt.id, debt.name, row.due_date, left, False, row.period, debt.status))
    arrears = past_unpaid
    since = first_unpaid_past
    if debt.overdue_since is not None and debt.overdue_since <= as_of:
        since = min(debt.overdue_since, since) if since else debt.overdue_since
        if debt.overdue_amount is not None:
            arrears = max(arrears, debt.overdue_amount - repaid)
    dues: list[Due] = []
    if since is not None and arrears > ZERO:
        dues.append(Due(debt.id, debt.name, since, round_fen(arrears), True, None, debt.status))
    return dues + coming


def dues_within(dues: Iterable[Due], as_of: date, within_days: int) -> list[Due]:
    """Dues to show for the window ``as_of`` .. ``as_of + within_days`` (inclusive); arrears always."""
    if within_days < 0:
        raise ValueError("within_days must not be negative")
    last = as_of + timedelta(days=within_days)
    chosen = [
        d for d in dues if d.status not in CLOSED_STATUSES and (d.overdue or as_of <= d.due_date <= last)
    ]
    return sorted(chosen, key=lambda d: (d.due_date, d.debt_id, d.period or 0))


# --- reminders -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fired:
    count: int = 0
    latest: Occurrence | None = None
    dues: list[Due] = field(default_factory=list)

    def add(self, count: int, latest: Occurrence | None) -> _Fired:
        if count == 0 or latest is None:
            return self
        newer = self.latest is None or (latest.at, _rank(latest)) > (self.latest.at, _rank(self.latest))
        dues = self.dues if latest.due in self.dues else [*self.dues, latest.due]
        return _Fired(self.count + count, latest if newer else self.latest, dues)


def _rank(occurrence: Occurrence) -> int:
    # At equal times the most urgent kind speaks for the summary.
    return {ReminderKind.BEFORE: 0, ReminderKind.DUE_DAY: 1, ReminderKind.OVERDUE: 2}[occurrence.kind]


def _in_window(moment: datetime, after: datetime | None, now: datetime) -> bool:
    return (after is None or moment > after) and moment <= now


def occurrences_between(
    due: Due, rule: ReminderRule, after: datetime | None, now: datetime
) -> tuple[int, Occurrence | None]:
    """How many of the due's occurrences fall in (after, now], and the latest of them."""
    count = 0
    latest: Occurrence | None = None

    def seen(occurrence: Occurrence) -> None:
        nonlocal count, latest
        count += 1
        if latest is None or occurrence.at >= latest.at:
            latest = occurrence

    is_overdue = due.overdue or due.due_date < now.date()
    if not due.overdue:
        # Reminders ahead of a due belong to a coming instalment, not to arrears.
        for days in rule.days_before:
            moment = datetime.combine(due.due_date - timedelta(days=days), rule.at)
            if _in_window(moment, after, now):
                seen(Occurrence(due, ReminderKind.BEFORE, moment, days))
    if rule.on_due_day:
        moment = datetime.combine(due.due_date, rule.at)
        if _in_window(moment, after, now):
            seen(Occurrence(due, ReminderKind.DUE_DAY, moment))
    if rule.daily_while_overdue and is_overdue:
        # Daily moments from the day after the due date; counted, not listed (arrears can be years old).
        first_day = due.due_date + timedelta(days=1)
        if after is not None:
            first_after = after.date() if after.time() < rule.at else after.date() + timedelta(days=1)
            first_day = max(first_day, first_after)
        last_day = now.date() if now.time() >= rule.at else now.date() - timedelta(days=1)
        if last_day >= first_day:
            count += (last_day - first_day).days + 1
            moment = datetime.combine(last_day, rule.at)
            if latest is None or moment >= latest.at:
                latest = Occurrence(due, ReminderKind.OVERDUE, moment)
    return count, latest


def due_reminders(
    dues: Iterable[Due],
    rules: Mapping[int, ReminderRule],
    now: datetime,
    last_fired: Mapping[int, datetime],
    default_rule: ReminderRule | None = None,
) -> list[Reminder]:
    """The reminders to show at ``now``: one per debt with any occurrence since it last fired.

    ``rules`` maps a debt id to its rule (``default_rule`` for the others);
    ``last_fired`` maps a debt id to the moment its reminders last fired (absent:
    never). The caller records ``now`` as last fired for each debt returned.
    """
    fired: dict[int, _Fired] = {}
    for due in dues:
        if due.status in CLOSED_STATUSES:
            continue
        rule = rules.get(due.debt_id, default_rule)
        if rule is None or not rule.enabled:
            continue
        count, latest = occurrences_between(due, rule, last_fired.get(due.debt_id), now)
        fired[due.debt_id] = fired.get(due.debt_id, _Fired()).add(count, latest)
    reminders = []
    for debt_id, result in fired.items():
        if result.latest is None:
            continue
        latest = result.latest
        dues_sorted = tuple(sorted(result.dues, key=lambda d: (not d.overdue, d.due_date)))
        reminders.append(
            Reminder(
                debt_id,
                latest.due.name,
                latest.kind,
                latest.at,
                latest.days_before,
                dues_sorted,
                result.count,
            )
        )
    return sorted(reminders, key=lambda r: (not r.overdue, r.next_due_date, r.debt_id))
