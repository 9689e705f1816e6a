"""A real database for the reminder tests, with short names for the debts they build."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.debts import Debt, DebtKind, DebtStatus, Method
from services.app import Services
from services.debtjson import debt_to_json


class ReminderServices(Services):
    """The real services; ``add`` enters an interest-free loan paid in equal shares of principal on
    ``due_day`` each month, as a person would through the form."""

    def add(self, name: str, principal: str, start: date, months: int, due_day: int, **changes) -> int:
        debt = Debt(
            name=name,
            lender="L",
            kind=DebtKind.OTHER,
            principal=Decimal(principal),
            start_date=start,
            method=Method.EQUAL_PRINCIPAL,
            months=months,
            due_day=due_day,
            **changes,
        )
        return self.add_debt(debt_to_json(debt, with_id=False))

    def pay(self, debt_id: int, on: date, amount: str) -> None:
        self.add_payment(debt_id, amount, on)

    def set_status(self, debt_id: int, status: DebtStatus) -> None:
        self.set_debt_status(debt_id, status)
