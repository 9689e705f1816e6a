"""The services facade: one object per open database, its managers, one transaction per use case.

The window and the command line do everything through ``Services``. Its managers
each hold one concern and read alone (as Anki's collection has ``col.decks``):
``debts`` (and where each stands), ``payments``, ``contacts``, ``lenders``,
``instalments``, ``reminder_rules``, ``settings``, ``budget``, ``debt_terms``. The methods below
forward to them under the names the callers have always used.

Each call opens a unit of work, does its whole use case and commits, or rolls back
and raises; ``with services.unit():`` makes several calls one transaction. Bad input
is a ``ValidationError`` listing every field at once, a missing record
``NotFoundError``, a database the environment broke a ``StorageError`` (all
``UserError``: translated, exit status 2 on the command line).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from domain.debts import N_, Budget, ContactEntry, Debt, DebtStatus, Lender, Payment
from domain.ids import ContactId, DebtId, LenderId, PaymentId
from services import records
from services.contacts import Contacts
from services.debts import PRESET_FIELDS, Debts, DebtStanding, preset_defaults, status_label
from services.errors import ConflictError, StorageError
from services.lenders import Lenders
from services.payments import Payments
from services.reminder_store import Instalments, ReminderRules, StoredInstalment, StoredReminderRule
from services.settings import BudgetProfile, Settings
from services.store import Store, log_problem
from services.summaries import DebtSummary, stored_day
from services.term_store import DebtTerms
from storage import snapshot as snapshots
from storage.db import Database, open_database, open_read_only
from storage.errors import KnownDatabaseError, ReadOnlyDatabaseError
from storage.location import default_db_path
from storage.models import ContactRow, DebtRow, LenderRow, PaymentRow
from storage.snapshot import Snapshot

# The names callers outside services/ import from here.
Instalment = StoredInstalment
ReminderRule = StoredReminderRule
__all__ = [
    "PRESET_FIELDS",
    "DebtSummary",
    "Instalment",
    "ReminderRule",
    "Services",
    "Snapshot",
    "default_backup_path",
    "log_problem",
    "preset_defaults",
    "resolve_db_path",
    "status_label",
]


def resolve_db_path(args: argparse.Namespace) -> Path | None:
    """The ``--db`` given before or after the subcommand; None means the per-user default."""
    value = getattr(args, "db", None)
    return None if value is None else Path(value)


# Why a delete cannot be undone (restore_deleted), by the table whose key is in the way.
_KEY_TAKEN = {
    "debts": N_("Cannot undo: a new debt has taken number {id} since the delete."),
    "payments": N_("Cannot undo: a new payment has taken number {id} since the delete."),
    "contacts": N_("Cannot undo: a new contact-log entry has taken number {id} since the delete."),
}
_KEY_TAKEN_ELSEWHERE = N_("Cannot undo: a new record in {table} has taken number {id} since the delete.")
_OWNER_GONE = {
    "debts": N_("Cannot undo: debt number {id}, which it belonged to, has been deleted since."),
}
_OWNER_GONE_ELSEWHERE = N_("Cannot undo: record {id} in {table}, which it belonged to, is gone.")


def _refusal(exc: snapshots.RestoreRefused) -> str:
    from resources.i18n import tr

    if exc.reason == exc.TAKEN:
        msgid = _KEY_TAKEN.get(exc.table, _KEY_TAKEN_ELSEWHERE)
    else:
        msgid = _OWNER_GONE.get(exc.table, _OWNER_GONE_ELSEWHERE)
    return tr(msgid, id=exc.key, table=exc.table)


class Services(Store):
    """Every use case of DebtKeeper over one open database: the managers, and the facade over them."""

    def __init__(self, database: Database, on_problem: Callable[[str], None] | None = None) -> None:
        super().__init__(database, on_problem)
        self.debts = Debts(self)
        self.payments = Payments(self)
        self.contacts = Contacts(self)
        self.lenders = Lenders(self)
        self.instalments = Instalments(self)
        self.reminder_rules = ReminderRules(self)
        self.settings = Settings(self)
        self.budget = BudgetProfile(self)
        self.debt_terms = DebtTerms(self)

    # --- lifetime ------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        db_path: Path | str | None = None,
        *,
        read_only_ok: bool = False,
        on_problem: Callable[[str], None] | None = None,
    ) -> Services:
        """Open (create or upgrade) the database; None = the per-user data folder.

        ``read_only_ok``: for use cases that only read — when the file or its
        folder cannot be written, open it read-only instead of refusing (a
        write through it then fails with the same read-only message).
        ``on_problem``: told, in one line, of each damaged row left out.
        """
        from services.dbpath import clean_leftovers

        clean_leftovers(db_path)  # what a killed restore or check left behind
        try:
            return cls._announced(cls(open_database(db_path), on_problem))
        except ReadOnlyDatabaseError as exc:
            if not read_only_ok:
                raise StorageError(exc.message) from exc
            refused = exc
        except KnownDatabaseError as exc:
            raise StorageError(exc.message) from exc
        try:
            return cls(open_read_only(default_db_path() if db_path is None else db_path), on_problem)
        except ReadOnlyDatabaseError:
            raise StorageError(refused.message) from refused  # the first reason is the one to fix
        except KnownDatabaseError as exc:
            raise StorageError(exc.message) from exc

    @staticmethod
    def _announced(svc: Services) -> Services:
        from services.notices import announce

        for text in svc.notices:
            announce(text)
        return svc

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def is_empty(self) -> bool:
        """True when there are no debts, lenders, payments or contact-log entries."""
        with self.reading() as s:
            return all(
                s.scalar(select(func.count()).select_from(t)) == 0
                for t in (DebtRow, LenderRow, PaymentRow, ContactRow)
            )

    def restore_deleted(self, deleted: Snapshot) -> None:
        """Put back what a ``remove_*`` call deleted, with the same ids, in one transaction.

        Refused (ConflictError, nothing changed) when one of its ids has been given
        to a new record since, or the debt a payment belonged to is gone. A payment
        put back splits its debt's payments again, as recording it did.
        """
        with self.transaction() as s:
            try:
                snapshots.put_back(s, deleted)
            except snapshots.RestoreRefused as exc:
                raise ConflictError(_refusal(exc)) from None
            if deleted.table == PaymentRow.__tablename__:
                debt_id, on = deleted.root["debt_id"], stored_day(deleted.root["date"])
                assert isinstance(debt_id, int)
                since = (on, deleted.key) if on is not None and isinstance(deleted.key, int) else None
                records.resplit_after(s, DebtId(debt_id), since)

    # --- forwarding: the names every caller uses -------------------------------------

    def list_debts(self, include_archived: bool = True) -> list[Debt]:
        return self.debts.all(include_archived)

    def get_debt(self, debt_id: int) -> Debt:
        return self.debts.get(DebtId(debt_id))

    def add_debt(self, data: Mapping[str, object]) -> DebtId:
        return self.debts.add(data)

    def update_debt(self, debt_id: int, data: Mapping[str, object]) -> None:
        self.debts.update(DebtId(debt_id), data)

    def remove_debt(self, debt_id: int) -> Snapshot:
        return self.debts.remove(DebtId(debt_id))

    def set_debt_status(self, debt_id: int, status: DebtStatus) -> None:
        self.debts.set_status(DebtId(debt_id), status)

    def debt_summary(self, debt_id: int, as_of: date) -> DebtSummary:
        return self.debts.summary(DebtId(debt_id), as_of)

    def list_summaries(self, as_of: date, include_archived: bool = True) -> list[DebtSummary]:
        return self.debts.summaries(as_of, include_archived)

    def list_standings(self, as_of: date, include_archived: bool = True) -> list[DebtStanding]:
        return self.debts.standings(as_of, include_archived)

    def list_payments(self, debt_id: int | None = None, since: date | None = None) -> list[Payment]:
        return self.payments.all(None if debt_id is None else DebtId(debt_id), since)

    def paid_total(self, debt_id: int, after: date | None, until: date) -> Decimal:
        """What was paid on a debt after the day ``after`` (None: from the first) up to ``until``."""
        return self.payments.total(DebtId(debt_id), after, until)

    def paid_totals(self, spans: Mapping[int, tuple[date | None, date]]) -> dict[int, Decimal]:
        """``paid_total`` of each debt over its span (after, until), in one read."""
        return self.payments.totals(spans)

    def count_payments(self, debt_id: int | None = None) -> int:
        return self.payments.count(None if debt_id is None else DebtId(debt_id))

    def page_payments(
        self, debt_id: int | None = None, after: tuple[date, int] | None = None, limit: int = 200
    ) -> list[Payment]:
        return self.payments.page(None if debt_id is None else DebtId(debt_id), after, limit)

    def payment_json_batches(self, debt_id: int, size: int = 5000) -> Iterator[list[dict[str, Any]]]:
        return self.payments.json_batches(DebtId(debt_id), size)

    def get_payment(self, payment_id: int) -> Payment:
        return self.payments.get(PaymentId(payment_id))

    def add_payment(self, debt_id: int, amount: Decimal | str, on: date, note: str = "") -> PaymentId:
        return self.payments.add(DebtId(debt_id), amount, on, note)

    def update_payment(self, payment_id: int, amount: Decimal | str, on: date, note: str = "") -> None:
        self.payments.update(PaymentId(payment_id), amount, on, note)

    def remove_payment(self, payment_id: int) -> Snapshot:
        return self.payments.remove(PaymentId(payment_id))

    def list_contacts(self, debt_id: int | None = None) -> list[ContactEntry]:
        return self.contacts.all(None if debt_id is None else DebtId(debt_id))

    def add_contact(self, entry: ContactEntry) -> ContactId:
        return self.contacts.add(entry)

    def update_contact(self, entry: ContactEntry) -> None:
        self.contacts.update(entry)

    def remove_contact(self, contact_id: int) -> Snapshot:
        return self.contacts.remove(ContactId(contact_id))

    def list_lenders(self) -> list[Lender]:
        return self.lenders.all()

    def get_lender(self, lender_id: int) -> Lender:
        return self.lenders.get(LenderId(lender_id))

    def add_lender(self, lender: Lender | str, **fields: Any) -> LenderId:
        return self.lenders.add(lender, **fields)

    def update_lender(self, lender: Lender) -> None:
        self.lenders.update(lender)

    def remove_lender(self, lender_id: int) -> None:
        self.lenders.remove(LenderId(lender_id))

    def list_instalments(self, debt_id: int) -> list[StoredInstalment]:
        return self.instalments.all(DebtId(debt_id))

    def instalments_of(self, debt_ids: Sequence[int]) -> dict[int, list[StoredInstalment]]:
        """The stored schedules of the debts that have one, in one read."""
        return self.instalments.of(debt_ids)

    def set_instalments(self, debt_id: int, instalments: Sequence[StoredInstalment]) -> None:
        self.instalments.set(DebtId(debt_id), instalments)

    def list_reminders(self) -> list[StoredReminderRule]:
        return self.reminder_rules.all()

    def set_reminder(self, rule: StoredReminderRule) -> None:
        self.reminder_rules.set(rule)

    def set_reminder_details(
        self,
        debt_id: int,
        *,
        follow_defaults: bool = False,
        daily_while_overdue: bool | None = None,
        at: str | None = None,
    ) -> None:
        self.reminder_rules.set_details(
            DebtId(debt_id), follow_defaults=follow_defaults, daily_while_overdue=daily_while_overdue, at=at
        )

    def mark_reminded(self, debt_id: int, on: date) -> None:
        self.reminder_rules.mark_reminded(DebtId(debt_id), on)

    def get_term_overrides(self, debt_id: int) -> dict[str, object]:
        return self.debt_terms.get(DebtId(debt_id))

    def store_term_overrides(self, debt_id: int, overrides: Mapping[str, object]) -> None:
        self.debt_terms.set(DebtId(debt_id), overrides)

    def get_budget(self) -> Budget:
        return self.budget.get()

    def set_budget(self, budget: Budget) -> None:
        self.budget.set(budget)

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        return self.settings.get(key, default)

    def set_setting(self, key: str, value: str) -> None:
        self.settings.set(key, value)


def default_backup_path(db_path: str | Path, now: datetime | None = None) -> Path:
    """A timestamped file in a ``backups/`` folder beside the database."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    db = Path(db_path)
    return db.parent / "backups" / f"{db.stem}-{stamp}{db.suffix or '.sqlite3'}"
