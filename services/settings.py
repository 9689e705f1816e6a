"""Settings and the budget profile: small values the person chose, kept in the database."""

from __future__ import annotations

from sqlalchemy import delete, insert

from domain.debts import Budget
from domain.validation import validate_budget
from services.errors import ValidationError
from services.store import Store
from storage import rows
from storage.models import BudgetRow, ExpenseRow, SettingRow


class Settings:
    """Named settings (``services.settings``): text values under a key."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, key: str, default: str | None = None) -> str | None:
        """A stored setting; ``default`` when there is none or it cannot be read."""
        with self._store.reading() as s:
            found = self._store.readable(rows.read_settings(s.connection(), SettingRow.key == key))
            return str(found[0]["value"]) if found else default

    def set(self, key: str, value: str) -> None:
        with self._store.transaction() as s:
            row = s.get(SettingRow, key)
            if row is None:
                s.add(SettingRow(key=key, value=str(value)))
            else:
                row.value = str(value)


class BudgetProfile:
    """The monthly income and expenses (``services.budget``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self) -> Budget:
        """The budget profile; a damaged income reads as none entered, a damaged expense is left out."""
        with self._store.reading() as s:
            return self._store.readable(rows.read_budget(s.connection()))[0]

    def set(self, budget: Budget) -> None:
        errors = validate_budget(budget)
        if errors:
            raise ValidationError(errors)
        with self._store.transaction() as s:  # nothing old is read: a damaged budget is mended
            s.execute(delete(ExpenseRow))
            s.execute(delete(BudgetRow))
            s.execute(insert(BudgetRow).values(id=1, income=budget.income))
            for category, amount in sorted(budget.expenses.items()):
                s.execute(insert(ExpenseRow).values(category=category, amount=amount))
