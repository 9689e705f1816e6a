"""Lenders: the names, phones and addresses letters are written to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.debts import N_, FieldError, Lender
from domain.ids import LenderId
from domain.validation import validate_lender
from services.errors import ConflictError, NotFoundError, ValidationError
from services.store import Store
from storage import rows
from storage.models import DebtRow, LenderRow


def _no_lender(lender_id: int | None) -> NotFoundError:
    from resources.i18n import tr

    return NotFoundError(tr("There is no lender with id {id}.", id=lender_id))


def _lender_row(s: Session, lender_id: int | None) -> LenderRow:
    row = s.get(LenderRow, lender_id) if lender_id is not None else None
    if row is None:
        raise _no_lender(lender_id)
    return row


def _check_lender(s: Session, lender: Lender) -> None:
    errors = validate_lender(lender)
    clash = s.scalar(select(LenderRow.id).where(LenderRow.name == lender.name))
    if clash is not None and clash != lender.id:
        errors.append(FieldError("name", N_("a lender with this name already exists")))
    if errors:
        raise ValidationError(errors)


def _fill_lender(row: LenderRow, lender: Lender) -> None:
    row.name, row.kind, row.phone = lender.name, lender.kind.value, lender.phone
    row.address, row.account_number = lender.address, lender.account_number


class Lenders:
    """The lenders of one database (``services.lenders``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def all(self) -> list[Lender]:
        with self._store.reading() as s:
            return self._store.readable(rows.read_lenders(s.connection()))

    def get(self, lender_id: LenderId) -> Lender:
        with self._store.reading() as s:
            read = rows.read_lenders(s.connection(), LenderRow.id == lender_id)
            return Store.only(read, lambda: _no_lender(lender_id))

    def add(self, lender: Lender | str, **fields: Any) -> LenderId:
        """Add a lender: a ``Lender``, or its name and fields (``add("招商银行", phone="95555")``)."""
        if isinstance(lender, str):
            lender = Lender(lender, **fields)
        with self._store.transaction() as s:
            _check_lender(s, lender)
            row = LenderRow()
            _fill_lender(row, lender)
            s.add(row)
            s.flush()
            return LenderId(row.id)

    def update(self, lender: Lender) -> None:
        """Change a lender (by ``lender.id``); a new name shows on all its debts."""
        with self._store.transaction() as s:
            row = _lender_row(s, lender.id)
            _check_lender(s, lender)
            _fill_lender(row, lender)

    def remove(self, lender_id: LenderId) -> None:
        with self._store.transaction() as s:
            row = _lender_row(s, lender_id)
            if s.scalar(select(func.count()).select_from(DebtRow).where(DebtRow.lender_id == lender_id)):
                from resources.i18n import tr

                raise ConflictError(
                    tr("The lender {name} still has debts: remove them first.", name=row.name)
                )
            s.delete(row)
