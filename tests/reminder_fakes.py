"""A small in-memory stand-in for the services facade, for reminder tests that need no database."""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from domain.debts import Debt, DebtKind, DebtStatus, Method, Payment
from services.errors import NotFoundError


@dataclass(frozen=True)
class Row:
    period: int
    due_date: date
    payment: Decimal


def monthly_rows(debt: Debt) -> list[Row]:
    """Equal payments on the due day of each month after the start (a fixture, not the engine)."""
    each = (debt.principal / debt.months).quantize(Decimal("0.01"))
    rows = []
    year, month = debt.start_date.year, debt.start_date.month
    for period in range(1, debt.months + 1):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        rows.append(Row(period, date(year, month, debt.due_day), each))
    return rows


class FakeServices:
    read_only = False

    def __init__(self) -> None:
        self.debts: dict[int, Debt] = {}
        self.payments: list[Payment] = []
        self.settings: dict[str, str] = {}
        self.reminder_rows: dict[int, object] = {}

    def add(self, name: str, principal: str, start: date, months: int, due_day: int, **changes) -> int:
        debt_id = len(self.debts) + 1
        self.debts[debt_id] = Debt(name=name, lender="L", kind=DebtKind.OTHER, principal=Decimal(principal),
                                   start_date=start, method=Method.EQUAL_PRINCIPAL, months=months,
                                   due_day=due_day, id=debt_id, **changes)
        return debt_id

    def pay(self, debt_id: int, on: date, amount: str) -> None:
        self.payments.append(Payment(debt_id, on, Decimal(amount)))

    def set_status(self, debt_id: int, status: DebtStatus) -> None:
        self.debts[debt_id] = dataclasses.replace(self.debts[debt_id], status=status)

    # the facade's names
    def unit(self):
        return contextlib.nullcontext(self)

    def list_debts(self, include_archived: bool = True) -> list[Debt]:
        return [d for d in self.debts.values() if include_archived or d.status != DebtStatus.ARCHIVED]

    def list_summaries(self, as_of: date, include_archived: bool = True) -> list:
        return [SimpleNamespace(debt=d, status=d.status) for d in self.list_debts(include_archived)]

    def get_debt(self, debt_id: int) -> Debt:
        if debt_id not in self.debts:
            raise NotFoundError(f"no debt {debt_id}")
        return self.debts[debt_id]

    def list_payments(self, debt_id: int | None = None) -> list[Payment]:
        return [p for p in self.payments if debt_id is None or p.debt_id == debt_id]

    def get_setting(self, key: str, default=None):
        return self.settings.get(key, default)

    def set_setting(self, key: str, value) -> None:
        self.settings[key] = value

    def list_reminders(self) -> list:
        return sorted(self.reminder_rows.values(), key=lambda r: r.debt_id)

    def set_reminder(self, rule) -> None:
        self.get_debt(rule.debt_id)
        self.reminder_rows[rule.debt_id] = rule

    def mark_reminded(self, debt_id: int, on: date) -> None:
        self.reminder_rows[debt_id] = dataclasses.replace(self.reminder_rows[debt_id], last_fired=on)

    def list_instalments(self, debt_id: int) -> list:
        return []

    def close(self) -> None:
        pass
