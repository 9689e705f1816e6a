"""A debt's own overdue terms, as stored: its ``debt_terms`` row (``services.moved_settings``)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, insert

from domain.ids import DebtId
from services import records
from services.moved_settings import read_all_terms, read_terms, term_columns
from services.store import Store
from storage.models import DebtTermsRow

__all__ = ["DebtTerms", "read_all_terms", "read_terms"]


class DebtTerms:
    """The debts' own overdue terms of one database (``services.debt_terms``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, debt_id: DebtId) -> dict[str, object]:
        with self._store.reading() as s:
            return read_terms(s, debt_id)

    def set(self, debt_id: DebtId, overrides: Mapping[str, object]) -> None:
        """Replace the debt's terms ({}: the preset's again); ValueError when one cannot be stored."""
        columns = term_columns(overrides)
        if columns is None:
            raise ValueError(f"overdue terms that cannot be stored: {sorted(overrides)}")
        with self._store.transaction() as s:
            records.require_debt(s, debt_id)
            s.execute(delete(DebtTermsRow).where(DebtTermsRow.debt_id == debt_id))
            if overrides:
                s.execute(insert(DebtTermsRow).values(debt_id=debt_id, **columns))
