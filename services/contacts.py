"""The contact log: who called, when, and what was said (evidence of how collection went)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, insert, select, update
from sqlalchemy.orm import Session

from domain.debts import ContactEntry
from domain.ids import ContactId, DebtId
from domain.validation import validate_contact
from services import records
from services.errors import NotFoundError, ValidationError
from services.store import Store
from storage import rows
from storage import snapshot as snapshots
from storage.models import ContactRow, contact_columns
from storage.snapshot import Snapshot


def _require_contact(s: Session, contact_id: int | None) -> None:
    if contact_id is None or s.scalar(select(ContactRow.id).where(ContactRow.id == contact_id)) is None:
        from resources.i18n import tr

        raise NotFoundError(tr("There is no contact-log entry with id {id}.", id=contact_id))


class Contacts:
    """The contact-log entries of one database (``services.contacts``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def all(self, debt_id: DebtId | None = None) -> list[ContactEntry]:
        with self._store.reading() as s:
            criteria = () if debt_id is None else (ContactRow.debt_id == debt_id,)
            return self._store.readable(rows.read_contacts(s.connection(), *criteria))

    def add(self, entry: ContactEntry) -> ContactId:
        errors = validate_contact(entry)
        if errors:
            raise ValidationError(errors)
        with self._store.transaction() as s:
            if entry.debt_id is not None:
                records.require_debt(s, entry.debt_id)
            result = cast(CursorResult[Any], s.execute(insert(ContactRow).values(**contact_columns(entry))))
            key = result.inserted_primary_key
            assert key is not None
            return ContactId(int(key[0]))

    def update(self, entry: ContactEntry) -> None:
        errors = validate_contact(entry)
        if errors:
            raise ValidationError(errors)
        with self._store.transaction() as s:  # every column is written: a damaged entry is mended
            _require_contact(s, entry.id)
            if entry.debt_id is not None:
                records.require_debt(s, entry.debt_id)
            s.execute(update(ContactRow).where(ContactRow.id == entry.id).values(**contact_columns(entry)))

    def remove(self, contact_id: ContactId) -> Snapshot:
        """Remove a contact-log entry; returns what ``restore_deleted`` puts back."""
        with self._store.transaction() as s:
            _require_contact(s, contact_id)
            return snapshots.take(s, ContactRow, contact_id)
