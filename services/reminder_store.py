"""What is stored per debt for its dues: its instalments as the lender printed them, and its
reminder rule (how many days before each due date to remind, and when it last fired)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, delete, insert, update
from sqlalchemy.orm import Session

from domain.debts import N_, FieldError
from domain.ids import DebtId
from domain.money import from_fen
from domain.validation import check_amount, check_date
from services import records
from services.errors import ValidationError
from services.store import Store
from storage import rows
from storage.models import InstalmentRow, ReminderRow


@dataclass(frozen=True, slots=True)
class StoredInstalment:
    """One scheduled instalment of a debt, as stored (the engine computes them)."""

    debt_id: int
    period: int
    due_date: date
    amount: Decimal
    principal: Decimal
    interest: Decimal
    fee: Decimal


@dataclass(frozen=True, slots=True)
class StoredReminderRule:
    """Remind ``days_before`` each due date of a debt; ``last_fired`` is the last day it fired.

    The rule's details (``services.reminders``): ``follow_defaults`` (the debt follows the person's
    defaults again), ``daily_while_overdue`` and ``at`` ("HH:MM"), None where not chosen.
    """

    debt_id: int
    days_before: tuple[int, ...]
    enabled: bool = True
    last_fired: date | None = None
    follow_defaults: bool = False
    daily_while_overdue: bool | None = None
    at: str | None = None


def _check_instalments(instalments: Sequence[StoredInstalment]) -> None:
    errors: list[FieldError] = []
    for i, item in enumerate(instalments):
        if item.period < 1:
            errors.append(FieldError(f"instalments[{i}].period", N_("must be a whole number from 1")))
        check_date(f"instalments[{i}].due_date", item.due_date, errors)
        for name in ("amount", "principal", "interest", "fee"):
            check_amount(f"instalments[{i}].{name}", getattr(item, name), errors)
    if len({item.period for item in instalments}) != len(instalments):
        errors.append(FieldError("instalments", N_("this period is listed twice")))
    if errors:
        raise ValidationError(errors)


class Instalments:
    """The stored schedules of one database (``services.instalments``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def all(self, debt_id: DebtId) -> list[StoredInstalment]:
        with self._store.reading() as s:
            records.require_debt(s, debt_id)
            return self._read(s, InstalmentRow.debt_id == debt_id)

    def of(self, debt_ids: Sequence[int]) -> dict[int, list[StoredInstalment]]:
        """The stored schedules of the debts (those with one), in one read."""
        out: dict[int, list[StoredInstalment]] = {}
        with self._store.reading() as s:
            for item in self._read(s, InstalmentRow.debt_id.in_(list(debt_ids))):
                out.setdefault(item.debt_id, []).append(item)
        return out

    def _read(self, s: Session, where: Any) -> list[StoredInstalment]:
        read = rows.read_instalments(s.connection(), where)
        return [
            StoredInstalment(
                v["debt_id"],
                v["period"],
                v["due_date"],
                from_fen(v["amount"]),
                from_fen(v["principal"]),
                from_fen(v["interest"]),
                from_fen(v["fee"]),
            )
            for v in self._store.readable(read)
        ]

    def set(self, debt_id: DebtId, instalments: Sequence[StoredInstalment]) -> None:
        """Replace the stored schedule of a debt."""
        _check_instalments(instalments)
        with self._store.transaction() as s:
            records.require_debt(s, debt_id)
            s.execute(delete(InstalmentRow).where(InstalmentRow.debt_id == debt_id))
            for item in sorted(instalments, key=lambda x: x.period):
                s.add(
                    InstalmentRow(
                        debt_id=debt_id,
                        period=item.period,
                        due_date=item.due_date,
                        amount=item.amount,
                        principal=item.principal,
                        interest=item.interest,
                        fee=item.fee,
                    )
                )


class ReminderRules:
    """The stored reminder rules of one database (``services.reminder_rules``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def all(self) -> list[StoredReminderRule]:
        with self._store.reading() as s:
            return [
                StoredReminderRule(
                    v["debt_id"],
                    tuple(int(d) for d in v["days_before"]),
                    bool(v["enabled"]),
                    v["last_fired"],
                    bool(v["follow_defaults"]),
                    None if v["daily_while_overdue"] is None else bool(v["daily_while_overdue"]),
                    v["at_time"],
                )
                for v in self._store.readable(rows.read_reminders(s.connection()))
            ]

    def set(self, rule: StoredReminderRule) -> None:
        """Create or replace the reminder rule of a debt."""
        if any(not 0 <= d <= 365 for d in rule.days_before):
            raise ValidationError(
                [FieldError("days_before", N_("must list whole numbers of days from 0 to 365"))]
            )
        values = {
            "days_before": [str(d) for d in sorted(set(rule.days_before), reverse=True)],
            "enabled": int(rule.enabled),
            "last_fired": rule.last_fired,
        }
        with self._store.transaction() as s:  # written without reading the old rule: a damaged one is mended
            records.require_debt(s, rule.debt_id)
            mine = ReminderRow.debt_id == rule.debt_id
            changed = cast(CursorResult[Any], s.execute(update(ReminderRow).where(mine).values(**values)))
            if not changed.rowcount:
                s.execute(insert(ReminderRow).values(debt_id=rule.debt_id, **values))

    def set_details(
        self,
        debt_id: DebtId,
        *,
        follow_defaults: bool = False,
        daily_while_overdue: bool | None = None,
        at: str | None = None,
    ) -> None:
        """Change the details of the debt's rule (nothing when it has no rule stored)."""
        with self._store.transaction() as s:
            records.require_debt(s, debt_id)
            s.execute(
                update(ReminderRow)
                .where(ReminderRow.debt_id == debt_id)
                .values(
                    follow_defaults=int(follow_defaults),
                    daily_while_overdue=None if daily_while_overdue is None else int(daily_while_overdue),
                    at_time=at,
                )
            )

    def mark_reminded(self, debt_id: DebtId, on: date) -> None:
        """Note that the debt's reminder fired on ``on`` (so it does not fire twice)."""
        with self._store.transaction() as s:
            mine = ReminderRow.debt_id == debt_id
            marked = update(ReminderRow).where(mine).values(last_fired=on)
            changed = cast(CursorResult[Any], s.execute(marked))
            if not changed.rowcount:
                raise records.no_debt(debt_id)
