"""The services facade: one object per open database, one transaction per call.

The window and the command line do everything through ``Services``. Each public
method opens a session, does its whole use case and commits, or rolls back and
raises: bad input is a ``ValidationError`` listing every field at once,
a missing record ``NotFoundError``, a database the environment broke a
``StorageError`` (all ``UserError``: translated, exit status 2 on the command line).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.orm import Session

from domain import ledger
from domain.debts import (
    N_,
    Budget,
    ContactEntry,
    Debt,
    DebtStatus,
    FieldError,
    Lender,
    Payment,
)
from domain.money import ZERO, MoneyError, from_fen
from domain.status import AS_STORED, Standing, standing
from domain.validation import (
    DEBT_FIELDS,
    check_amount,
    check_date,
    check_debt,
    parse_money_value,
    validate_budget,
    validate_contact,
    validate_lender,
    validate_payment_input,
)
from services.errors import ConflictError, DamagedRowError, NotFoundError, StorageError, ValidationError
from storage import rows
from storage import snapshot as snapshots
from storage.db import Database, default_db_path, open_database, open_read_only
from storage.errors import KnownDatabaseError, ReadOnlyDatabaseError
from storage.models import (
    BudgetRow,
    ContactRow,
    DebtRow,
    ExpenseRow,
    InstalmentRow,
    LenderRow,
    PaymentRow,
    ReminderRow,
    SettingRow,
    contact_columns,
    debt_fill_row,
)
from storage.rows import RowProblem
from storage.snapshot import Snapshot

# Preset fields a new debt takes from its kind when the person leaves them out.
PRESET_FIELDS = ("rate", "rate_unit", "fee_rate", "due_day", "grace_days", "penalty_rate_multiplier",
                 "late_fee_rate_per_day")


@dataclass(frozen=True, slots=True)
class DebtSummary:
    """Where a debt stands on ``as_of``: what was paid, what is left, how late it is."""

    debt: Debt
    as_of: date
    balance: Decimal  # principal outstanding, never negative
    principal_paid: Decimal
    interest_paid: Decimal
    fees_paid: Decimal
    total_paid: Decimal
    interest_due: Decimal  # accrued and unpaid on as_of (ledger's simple accrual)
    fees_due: Decimal
    days_overdue: int  # on overdue_since + N days: N; 0 when current
    status: DebtStatus  # the derived standing as a DebtStatus (for labels)
    last_payment: date | None
    standing: Standing = Standing.CURRENT  # current|overdue|settled|archived (domain.status)


@dataclass(frozen=True, slots=True)
class Instalment:
    """One scheduled instalment of a debt, as stored (the engine computes them)."""

    debt_id: int
    period: int
    due_date: date
    amount: Decimal
    principal: Decimal
    interest: Decimal
    fee: Decimal


@dataclass(frozen=True, slots=True)
class ReminderRule:
    """Remind ``days_before`` each due date of a debt; ``last_fired`` is the last day it fired."""

    debt_id: int
    days_before: tuple[int, ...]
    enabled: bool = True
    last_fired: date | None = None


STATUS_LABELS = {
    DebtStatus.ACTIVE: N_("Active"), DebtStatus.OVERDUE: N_("Overdue"),
    DebtStatus.NEGOTIATING: N_("Negotiating"), DebtStatus.SETTLED: N_("Settled"),
    DebtStatus.ARCHIVED: N_("Archived"),
}


def status_label(status: DebtStatus) -> str:
    """A debt status in the current language."""
    from resources.i18n import tr

    return tr(STATUS_LABELS[DebtStatus(status)])


def resolve_db_path(args: argparse.Namespace) -> Path | None:
    """The ``--db`` given before or after the subcommand; None means the per-user default."""
    value = getattr(args, "db", None)
    return None if value is None else Path(value)


def preset_defaults(kind: object) -> dict[str, Any]:
    """The product preset's terms for a debt kind (empty when the kind is unknown)."""
    from domain.debts import DebtKind
    from resources.rules import product_presets

    try:
        preset = product_presets()[DebtKind(str(kind))]
    except ValueError:
        return {}
    return {name: getattr(preset, name) for name in PRESET_FIELDS}


def _payment_input(amount: Decimal | str, on: date, note: str) -> Decimal:
    try:
        value = parse_money_value(amount)
    except MoneyError:
        raise ValidationError([FieldError("amount", N_("not an amount"))]) from None
    errors = validate_payment_input(value, on, note)
    if errors:
        raise ValidationError(errors)
    return value


MSG_BEFORE_STANDING = N_("must not be before {date}: what was paid until then is already counted in the "
                         "instalments paid or the outstanding principal")
MSG_PAYMENTS_BEFORE = N_("a payment recorded on {date} is already counted in it: remove that payment first")


def _standing_since(debt: Debt) -> date | None:
    """The day a debt entered mid-life stands from (``domain.standing``), else None."""
    if debt.instalments_paid <= 0 and debt.outstanding_principal is None:
        return None
    from domain.standing import standing

    return standing(debt).since


def _check_not_before_start(debt: Debt, on: date) -> None:
    if on < debt.start_date:
        raise ValidationError([FieldError("date", N_("must not be before the start date"))])
    since = _standing_since(debt)
    if since is not None and on < since:
        raise ValidationError([FieldError("date", MSG_BEFORE_STANDING, {"date": since.isoformat()})])


def _overpayment(exc: ledger.OverpaymentError) -> ValidationError:
    from resources.i18n import format_money

    return ValidationError([FieldError("amount", N_("is more than the {owed} outstanding on {date}"),
                                       {"owed": format_money(exc.owed), "date": exc.on.isoformat()})])


def log_problem(text: str) -> None:
    """Where a damaged row is reported when nobody asked to hear about it: the log."""
    import logging

    logging.getLogger(__name__).warning("%s", text)


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


def _debt_settings(debt_id: int) -> tuple[list[str], list[str]]:
    """The settings that belong to one debt: whole keys, and JSON objects with a member for it."""
    from services import overdue, reminders

    keys = [f"{overdue.SETTING_TERMS_PREFIX}{debt_id}", f"{reminders.SETTING_RULE_PREFIX}{debt_id}"]
    return keys, [reminders.SETTING_LAST_FIRED, reminders.SETTING_TRACKED_FROM]


class Services:
    """Every use case of DebtKeeper over one open database.

    A stored row that cannot be read (another program or a disk fault damaged it) is left out of
    every list, and reported once, as one translated line, to ``on_problem`` (default: the log);
    a use case about that very record raises ``DamagedRowError`` naming it.
    """

    def __init__(self, database: Database, on_problem: Callable[[str], None] | None = None) -> None:
        self._db = database
        self._on_problem = on_problem or log_problem
        self._reported: set[tuple[str, ...]] = set()
        self._unreadable_payments: set[int] = set()  # ids, so that pages can be counted without them

    # --- lifetime ------------------------------------------------------------------

    @classmethod
    def open(cls, db_path: Path | str | None = None, *, read_only_ok: bool = False,
             on_problem: Callable[[str], None] | None = None) -> Services:
        """Open (create or upgrade) the database; None = the per-user data folder.

        ``read_only_ok``: for use cases that only read — when the file or its
        folder cannot be written, open it read-only instead of refusing (a
        write through it then fails with the same read-only message).
        ``on_problem``: told, in one line, of each damaged row left out.
        """
        from services.safety import clean_leftovers

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

    @property
    def read_only(self) -> bool:
        """True when the database was opened for reading only (``open(..., read_only_ok=True)``)."""
        return self._db.read_only

    @staticmethod
    def _announced(svc: Services) -> Services:
        from services.notices import announce

        for text in svc.notices:
            announce(text)
        return svc

    @property
    def notices(self) -> list[str]:
        """What the person should be told once about opening the file (e.g. it was made private)."""
        return list(self._db.notices)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def database(self) -> Database:
        return self._db

    @property
    def path(self) -> str:
        return self._db.path

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work, for services modules only (the UI and CLI never see sessions)."""
        try:
            with self._db.transaction() as session:
                yield session
        except KnownDatabaseError as exc:
            raise StorageError(exc.message) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A unit of work that only reads: one snapshot, and no write lock (another process may write)."""
        try:
            with self._db.reading() as session:
                yield session
        except KnownDatabaseError as exc:
            raise StorageError(exc.message) from exc

    # --- damaged rows ------------------------------------------------------------------

    @property
    def warnings(self) -> int:
        """How many damaged rows (and records left out with them) were reported so far."""
        return len(self._reported)

    def warn(self, ident: tuple[str, ...], text: str) -> None:
        """Report one translated line about a record left out, once per ``ident``."""
        if ident not in self._reported:
            self._reported.add(ident)
            self._on_problem(text)

    def _report(self, problems: Iterable[RowProblem]) -> None:
        from resources.i18n import tr

        for problem in problems:
            if problem.table == "payments" and isinstance(problem.key, int):
                self._unreadable_payments.add(problem.key)
            self.warn(problem.ident, tr("skipped a damaged record: {record}", record=problem.describe()))

    def readable(self, read: rows.Read[Any]) -> list[Any]:
        """The values of a read; the rows it could not read are reported (once each) and left out."""
        self._report(read.problems)
        return read.values

    @staticmethod
    def _only(read: rows.Read[Any], missing: Callable[[], Exception]) -> Any:
        """The one record a use case is about: DamagedRowError when it cannot be read."""
        if read.problems:
            raise DamagedRowError(read.problems[0])
        if not read.values:
            raise missing()
        return read.values[0]

    def is_empty(self) -> bool:
        """True when there are no debts, lenders, payments or contact-log entries."""
        with self.reading() as s:
            return all(s.scalar(select(func.count()).select_from(t)) == 0
                       for t in (DebtRow, LenderRow, PaymentRow, ContactRow))

    # --- debts -----------------------------------------------------------------------

    @staticmethod
    def _no_debt(debt_id: int | None) -> NotFoundError:
        from resources.i18n import tr

        return NotFoundError(tr("There is no debt with id {id}.", id=debt_id))

    @classmethod
    def _require_debt(cls, s: Session, debt_id: int) -> None:
        """NotFoundError unless the debt exists (readable or not: nothing of it is read)."""
        if s.scalar(select(DebtRow.id).where(DebtRow.id == debt_id)) is None:
            raise cls._no_debt(debt_id)

    @classmethod
    def _debt(cls, s: Session, debt_id: int) -> Debt:
        """One debt; NotFoundError when there is none, DamagedRowError when it cannot be read."""
        read = rows.read_debts(s.connection(), DebtRow.id == debt_id)
        debt: Debt = cls._only(read, lambda: cls._no_debt(debt_id))
        return debt

    @classmethod
    def _debt_row(cls, s: Session, debt_id: int) -> DebtRow:
        """The ORM row of a debt about to be changed (checked readable first)."""
        cls._debt(s, debt_id)
        row = s.get(DebtRow, debt_id)
        assert row is not None
        return row

    @staticmethod
    def _lender_for(s: Session, debt: Debt) -> LenderRow:
        row = s.scalar(select(LenderRow).where(LenderRow.name == debt.lender))
        if row is None:
            row = LenderRow(name=debt.lender, kind=debt.kind.value, phone="", address="", account_number="")
            s.add(row)
        return row

    @staticmethod
    def _debt_filter(include_archived: bool) -> tuple[Any, ...]:
        return () if include_archived else (DebtRow.status != DebtStatus.ARCHIVED.value,)

    def list_debts(self, include_archived: bool = True) -> list[Debt]:
        with self.reading() as s:
            return self.readable(rows.read_debts(s.connection(), *self._debt_filter(include_archived)))

    def get_debt(self, debt_id: int) -> Debt:
        with self.reading() as s:
            return self._debt(s, debt_id)

    def add_debt(self, data: Mapping[str, object]) -> int:
        """Add a debt from contract-JSON fields; the kind's preset fills the terms left out."""
        debt, errors = check_debt(data, preset_defaults(data.get("kind")), allow_status=True)
        if debt is None:
            raise ValidationError(errors)
        with self.transaction() as s:
            row = debt_fill_row(DebtRow(), debt, self._lender_for(s, debt))
            s.add(row)
            s.flush()
            return row.id

    def update_debt(self, debt_id: int, data: Mapping[str, object]) -> None:
        """Change some fields of a debt; payments are split again under the new terms."""
        with self.transaction() as s:
            current = self._debt(s, debt_id)
            row = self._debt_row(s, debt_id)
            base = {name: getattr(current, name) for name in (*DEBT_FIELDS, "status")}
            debt, errors = check_debt({**base, **data}, allow_status=True, debt_id=debt_id)
            if debt is None:
                raise ValidationError(errors)
            since = _standing_since(debt)
            first = s.scalar(select(func.min(PaymentRow.date)).where(PaymentRow.debt_id == debt_id)) \
                if since is not None else None
            if since is not None and first is not None and first < since:
                key = "outstanding_as_of" if debt.outstanding_principal is not None else "instalments_paid"
                raise ValidationError([FieldError(key, MSG_PAYMENTS_BEFORE, {"date": first.isoformat()})])
            debt_fill_row(row, debt, self._lender_for(s, debt))
            self._require_readable_payments(s, debt_id)
            try:
                self._resplit(s, debt)
            except ledger.OverpaymentError:
                message = N_("the payments already recorded are more than this debt would owe")
                raise ValidationError([FieldError("principal", message)]) from None

    def remove_debt(self, debt_id: int) -> Snapshot:
        """Remove a debt with all that belongs to it; returns what ``restore_deleted`` puts back.

        Its payments, instalments, reminder rule and what is stored under its id in
        the settings (overdue terms, reminder details, when it was last reminded) go
        with it; its contact-log entries are kept, unlinked, as evidence. The row is
        not read first (it is kept as SQLite stores it), so a damaged debt can be removed too.
        """
        keys, maps = _debt_settings(debt_id)
        with self.transaction() as s:
            self._require_debt(s, debt_id)
            return snapshots.take(s, DebtRow, debt_id, setting_keys=keys, setting_maps=maps)

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
                debt_id = deleted.root["debt_id"]
                assert isinstance(debt_id, int)
                debt = self._debt(s, debt_id)
                self._require_readable_payments(s, debt_id)
                try:
                    self._resplit(s, debt)
                except ledger.OverpaymentError as exc:
                    raise _overpayment(exc) from None

    def set_debt_status(self, debt_id: int, status: DebtStatus) -> None:
        with self.transaction() as s:
            self._require_debt(s, debt_id)
            s.execute(update(DebtRow).where(DebtRow.id == debt_id).values(status=DebtStatus(status).value))

    # --- payments ----------------------------------------------------------------------

    def _require_readable_payments(self, s: Session, debt_id: int) -> None:
        """DamagedRowError when a payment of the debt cannot be read (they are split again together)."""
        query = rows.raw_select(PaymentRow).where(PaymentRow.debt_id == debt_id)
        read = rows.read_payments(s.connection(), query)
        if read.problems:
            raise DamagedRowError(read.problems[0])

    @staticmethod
    def _payment_rows(s: Session, debt_id: int) -> list[PaymentRow]:
        return list(s.scalars(select(PaymentRow).where(PaymentRow.debt_id == debt_id)
                              .order_by(PaymentRow.date, PaymentRow.id)))

    def _resplit(self, s: Session, debt: Debt, extra: PaymentRow | None = None) -> None:
        """Split every payment of the debt again, in date order (raises OverpaymentError)."""
        assert debt.id is not None
        rows = [r for r in self._payment_rows(s, debt.id) if r is not extra]
        if extra is not None:
            rows.append(extra)  # a new payment goes after those of the same day
            rows.sort(key=lambda r: (r.date, r.id if r.id is not None else 1 << 62))
        paid = [(r.date, r.amount) for r in rows]
        splits = ledger.allocate(debt, paid, self._late_charges(s, debt, paid))
        for row, split in zip(rows, splits, strict=True):
            row.fees, row.interest, row.principal = split.fees, split.interest, split.principal

    @classmethod
    def _payments_query(cls, s: Session, debt_id: int | None) -> Select[Any]:
        """The payments of one debt (NotFoundError when there is no such debt), or of all debts."""
        query = rows.raw_select(PaymentRow)
        if debt_id is None:
            return query
        cls._require_debt(s, debt_id)
        return query.where(PaymentRow.debt_id == debt_id)

    def _payments(self, s: Session, query: Select[Any]) -> list[Payment]:
        """The payments a ``_payments_query`` selects, read through Core (no ORM objects: 100,000
        payments are read for every export); damaged ones are left out and reported."""
        return self.readable(rows.read_payments(s.connection(), query))

    def list_payments(self, debt_id: int | None = None) -> list[Payment]:
        """Every payment (of one debt, or all), oldest first."""
        with self.reading() as s:
            query = self._payments_query(s, debt_id).order_by(PaymentRow.date, PaymentRow.id)
            return self._payments(s, query)

    def count_payments(self, debt_id: int | None = None) -> int:
        """How many payments there are (of one debt, or all), less those already found damaged."""
        with self.reading() as s:
            query = select(func.count()).select_from(PaymentRow)
            if debt_id is not None:
                self._require_debt(s, debt_id)
                query = query.where(PaymentRow.debt_id == debt_id)
            if self._unreadable_payments:
                query = query.where(PaymentRow.id.not_in(self._unreadable_payments))
            return int(s.scalar(query) or 0)

    def page_payments(self, debt_id: int | None = None, offset: int = 0, limit: int = 200) -> list[Payment]:
        """One page of the ledger as the window shows it: newest first (date, then id, descending).

        Offsets count the payments that can be read: a damaged one is left out of the numbering as
        soon as it is found, so the pages a view reads one after another neither repeat a payment
        nor stop short of the end.
        """
        with self.reading() as s:
            while True:
                query = self._payments_query(s, debt_id)
                if self._unreadable_payments:
                    query = query.where(PaymentRow.id.not_in(self._unreadable_payments))
                query = (query.order_by(PaymentRow.date.desc(), PaymentRow.id.desc())
                         .offset(max(0, offset)).limit(max(0, limit)))
                read = rows.read_payments(s.connection(), query)
                if not read.problems:
                    return read.values
                self._report(read.problems)  # now known: read the page again without them

    @staticmethod
    def _no_payment(payment_id: int) -> NotFoundError:
        from resources.i18n import tr

        return NotFoundError(tr("There is no payment with id {id}.", id=payment_id))

    def _payment(self, s: Session, payment_id: int) -> Payment:
        query = rows.raw_select(PaymentRow).where(PaymentRow.id == payment_id)
        read = rows.read_payments(s.connection(), query)
        payment: Payment = self._only(read, lambda: self._no_payment(payment_id))
        return payment

    def get_payment(self, payment_id: int) -> Payment:
        """One payment and how it was split (NotFoundError when there is none)."""
        with self.reading() as s:
            return self._payment(s, payment_id)

    def add_payment(self, debt_id: int, amount: Decimal | str, on: date, note: str = "") -> int:
        """Record a payment, split fees -> interest -> principal (Civil Code Art. 561)."""
        value = _payment_input(amount, on, note)
        with self.transaction() as s:
            debt = self._debt(s, debt_id)
            _check_not_before_start(debt, on)
            self._require_readable_payments(s, debt_id)
            row = PaymentRow(debt_id=debt_id, date=on, amount=value, fees=ZERO, interest=ZERO, principal=ZERO,
                             note=note)
            try:
                self._resplit(s, debt, extra=row)
            except ledger.OverpaymentError as exc:
                raise _overpayment(exc) from None
            s.add(row)
            s.flush()
            return row.id

    def update_payment(self, payment_id: int, amount: Decimal | str, on: date, note: str = "") -> None:
        value = _payment_input(amount, on, note)
        with self.transaction() as s:
            debt_id = self._payment(s, payment_id).debt_id
            debt = self._debt(s, debt_id)
            self._require_readable_payments(s, debt_id)
            row = s.get(PaymentRow, payment_id)
            assert row is not None
            row.amount, row.date, row.note = value, on, note
            _check_not_before_start(debt, on)
            try:
                self._resplit(s, debt)
            except ledger.OverpaymentError as exc:
                raise _overpayment(exc) from None

    def remove_payment(self, payment_id: int) -> Snapshot:
        """Remove a payment (a damaged one too: it is not read) and split the others again.

        Returns what ``restore_deleted`` puts back.
        """
        with self.transaction() as s:
            debt_id = s.scalar(select(PaymentRow.debt_id).where(PaymentRow.id == payment_id))
            if debt_id is None:
                raise self._no_payment(payment_id)
            deleted = snapshots.take(s, PaymentRow, payment_id)
            if isinstance(debt_id, int) and s.scalar(select(DebtRow.id).where(DebtRow.id == debt_id)):
                debt = self._debt(s, debt_id)
                self._require_readable_payments(s, debt_id)
                self._resplit(s, debt)
            return deleted

    # --- where a debt stands ---------------------------------------------------------

    @staticmethod
    def _late_charges(s: Session, debt: Debt,
                      payments: Sequence[tuple[date, Decimal]]) -> list[ledger.LateCharges] | None:
        """The overdue charges each payment pays first (services.overdue.late_charges), read in ``s``."""
        if debt.overdue_since is None or not payments:
            return None
        from services.overdue import SETTING_TERMS_PREFIX, late_charges, overrides_from_text

        setting = s.get(SettingRow, f"{SETTING_TERMS_PREFIX}{debt.id}")
        return late_charges(debt, payments, overrides_from_text(setting.value if setting else None))

    @staticmethod
    def _summary(debt: Debt, payments: Sequence[Payment], as_of: date,
                 late: Sequence[ledger.LateCharges] | None = None) -> DebtSummary:
        paid = [p for p in payments if p.date <= as_of]
        owed = ledger.outstanding(debt, [(p.date, p.amount) for p in payments], as_of, late)
        balance = max(ZERO, owed.principal)
        overdue = ledger.days_overdue(debt, as_of)
        state = standing(debt.status, balance, overdue)
        if state is Standing.SETTLED:
            overdue = 0
        return DebtSummary(
            debt=debt,
            as_of=as_of,
            balance=balance,
            principal_paid=sum((p.principal for p in paid), ZERO),
            interest_paid=sum((p.interest for p in paid), ZERO),
            fees_paid=sum((p.fees for p in paid), ZERO),
            total_paid=sum((p.amount for p in paid), ZERO),
            interest_due=owed.interest,
            fees_due=owed.fees,
            days_overdue=overdue,
            status=AS_STORED[state],
            standing=state,
            last_payment=max((p.date for p in paid), default=None),
        )

    def debt_summary(self, debt_id: int, as_of: date) -> DebtSummary:
        with self.reading() as s:
            debt = self._debt(s, debt_id)
            query = self._payments_query(s, debt_id).order_by(PaymentRow.date, PaymentRow.id)
            payments = self._payments(s, query)
            late = self._late_charges(s, debt, [(p.date, p.amount) for p in payments])
        try:
            return self._summary(debt, payments, as_of, late)
        except ledger.OverpaymentError:
            raise DamagedRowError(_overpaid(debt)) from None

    def list_summaries(self, as_of: date, include_archived: bool = True) -> list[DebtSummary]:
        """Every debt's summary, read in one transaction."""
        with self.reading() as s:
            debts = self.readable(rows.read_debts(s.connection(), *self._debt_filter(include_archived)))
            by_debt: dict[int, list[Payment]] = {}
            for payment in self._payments(s, self._payments_query(s, None).order_by(PaymentRow.date,
                                                                                     PaymentRow.id)):
                by_debt.setdefault(payment.debt_id, []).append(payment)
            late = {d.id: self._late_charges(s, d, [(p.date, p.amount) for p in by_debt.get(d.id or 0, [])])
                    for d in debts if d.overdue_since is not None}
        summaries = []
        for debt in debts:
            try:
                summaries.append(self._summary(debt, by_debt.get(debt.id or 0, []), as_of, late.get(debt.id)))
            except ledger.OverpaymentError:
                self._report([_overpaid(debt)])
        return summaries

    # --- contact log -----------------------------------------------------------------

    def list_contacts(self, debt_id: int | None = None) -> list[ContactEntry]:
        with self.reading() as s:
            criteria = () if debt_id is None else (ContactRow.debt_id == debt_id,)
            return self.readable(rows.read_contacts(s.connection(), *criteria))

    def add_contact(self, entry: ContactEntry) -> int:
        errors = validate_contact(entry)
        if errors:
            raise ValidationError(errors)
        with self.transaction() as s:
            if entry.debt_id is not None:
                self._require_debt(s, entry.debt_id)
            result = s.execute(insert(ContactRow).values(**contact_columns(entry)))
            return int(result.inserted_primary_key[0])

    def update_contact(self, entry: ContactEntry) -> None:
        errors = validate_contact(entry)
        if errors:
            raise ValidationError(errors)
        with self.transaction() as s:  # every column is written: a damaged entry is mended
            self._require_contact(s, entry.id)
            if entry.debt_id is not None:
                self._require_debt(s, entry.debt_id)
            s.execute(update(ContactRow).where(ContactRow.id == entry.id).values(**contact_columns(entry)))

    def remove_contact(self, contact_id: int) -> Snapshot:
        """Remove a contact-log entry; returns what ``restore_deleted`` puts back."""
        with self.transaction() as s:
            self._require_contact(s, contact_id)
            return snapshots.take(s, ContactRow, contact_id)

    @staticmethod
    def _require_contact(s: Session, contact_id: int | None) -> None:
        if contact_id is None or s.scalar(select(ContactRow.id).where(ContactRow.id == contact_id)) is None:
            from resources.i18n import tr

            raise NotFoundError(tr("There is no contact-log entry with id {id}.", id=contact_id))

    # --- lenders ---------------------------------------------------------------------

    def list_lenders(self) -> list[Lender]:
        with self.reading() as s:
            return self.readable(rows.read_lenders(s.connection()))

    def get_lender(self, lender_id: int) -> Lender:
        def missing() -> NotFoundError:
            from resources.i18n import tr

            return NotFoundError(tr("There is no lender with id {id}.", id=lender_id))

        with self.reading() as s:
            lender: Lender = self._only(rows.read_lenders(s.connection(), LenderRow.id == lender_id), missing)
            return lender

    @staticmethod
    def _lender_row(s: Session, lender_id: int | None) -> LenderRow:
        row = s.get(LenderRow, lender_id) if lender_id is not None else None
        if row is None:
            from resources.i18n import tr

            raise NotFoundError(tr("There is no lender with id {id}.", id=lender_id))
        return row

    @staticmethod
    def _check_lender(s: Session, lender: Lender) -> None:
        errors = validate_lender(lender)
        clash = s.scalar(select(LenderRow.id).where(LenderRow.name == lender.name))
        if clash is not None and clash != lender.id:
            errors.append(FieldError("name", N_("a lender with this name already exists")))
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _fill_lender(row: LenderRow, lender: Lender) -> None:
        row.name, row.kind, row.phone = lender.name, lender.kind.value, lender.phone
        row.address, row.account_number = lender.address, lender.account_number

    def add_lender(self, lender: Lender | str, **fields: Any) -> int:
        """Add a lender: a ``Lender``, or its name and fields (``add_lender("招商银行", phone="95555")``)."""
        if isinstance(lender, str):
            lender = Lender(lender, **fields)
        with self.transaction() as s:
            self._check_lender(s, lender)
            row = LenderRow()
            self._fill_lender(row, lender)
            s.add(row)
            s.flush()
            return row.id

    def update_lender(self, lender: Lender) -> None:
        """Change a lender (by ``lender.id``); a new name shows on all its debts."""
        with self.transaction() as s:
            row = self._lender_row(s, lender.id)
            self._check_lender(s, lender)
            self._fill_lender(row, lender)

    def remove_lender(self, lender_id: int) -> None:
        with self.transaction() as s:
            row = self._lender_row(s, lender_id)
            if s.scalar(select(func.count()).select_from(DebtRow).where(DebtRow.lender_id == lender_id)):
                from resources.i18n import tr

                raise ConflictError(tr("The lender {name} still has debts: remove them first.",
                                       name=row.name))
            s.delete(row)

    # --- schedules and reminders -------------------------------------------------

    def list_instalments(self, debt_id: int) -> list[Instalment]:
        with self.reading() as s:
            self._require_debt(s, debt_id)
            read = self.readable(rows.read_instalments(s.connection(), InstalmentRow.debt_id == debt_id))
            return [Instalment(v["debt_id"], v["period"], v["due_date"], from_fen(v["amount"]),
                               from_fen(v["principal"]), from_fen(v["interest"]), from_fen(v["fee"]))
                    for v in read]

    def set_instalments(self, debt_id: int, instalments: Sequence[Instalment]) -> None:
        """Replace the stored schedule of a debt."""
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
        with self.transaction() as s:
            self._require_debt(s, debt_id)
            s.execute(delete(InstalmentRow).where(InstalmentRow.debt_id == debt_id))
            for item in sorted(instalments, key=lambda x: x.period):
                s.add(InstalmentRow(debt_id=debt_id, period=item.period, due_date=item.due_date,
                                    amount=item.amount, principal=item.principal, interest=item.interest,
                                    fee=item.fee))

    def list_reminders(self) -> list[ReminderRule]:
        with self.reading() as s:
            return [ReminderRule(v["debt_id"], tuple(int(d) for d in v["days_before"]), bool(v["enabled"]),
                                 v["last_fired"])
                    for v in self.readable(rows.read_reminders(s.connection()))]

    def set_reminder(self, rule: ReminderRule) -> None:
        """Create or replace the reminder rule of a debt."""
        if any(not 0 <= d <= 365 for d in rule.days_before):
            raise ValidationError([FieldError("days_before",
                                              N_("must list whole numbers of days from 0 to 365"))])
        values = {"days_before": [str(d) for d in sorted(set(rule.days_before), reverse=True)],
                  "enabled": int(rule.enabled), "last_fired": rule.last_fired}
        with self.transaction() as s:  # written without reading the old rule: a damaged one is mended
            self._require_debt(s, rule.debt_id)
            mine = ReminderRow.debt_id == rule.debt_id
            changed = s.execute(update(ReminderRow).where(mine).values(**values))
            if not changed.rowcount:
                s.execute(insert(ReminderRow).values(debt_id=rule.debt_id, **values))

    def mark_reminded(self, debt_id: int, on: date) -> None:
        """Note that the debt's reminder fired on ``on`` (so it does not fire twice)."""
        with self.transaction() as s:
            mine = ReminderRow.debt_id == debt_id
            changed = s.execute(update(ReminderRow).where(mine).values(last_fired=on))
            if not changed.rowcount:
                raise self._no_debt(debt_id)

    # --- budget and settings ---------------------------------------------------------

    def get_budget(self) -> Budget:
        """The budget profile; a damaged income reads as none entered, a damaged expense is left out."""
        with self.reading() as s:
            budget: Budget = self.readable(rows.read_budget(s.connection()))[0]
            return budget

    def set_budget(self, budget: Budget) -> None:
        errors = validate_budget(budget)
        if errors:
            raise ValidationError(errors)
        with self.transaction() as s:  # nothing old is read: a damaged budget is mended
            s.execute(delete(ExpenseRow))
            s.execute(delete(BudgetRow))
            s.execute(insert(BudgetRow).values(id=1, income=budget.income))
            for category, amount in sorted(budget.expenses.items()):
                s.execute(insert(ExpenseRow).values(category=category, amount=amount))

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting; ``default`` when there is none or it cannot be read."""
        with self.reading() as s:
            found = self.readable(rows.read_settings(s.connection(), SettingRow.key == key))
            return str(found[0]["value"]) if found else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as s:
            row = s.get(SettingRow, key)
            if row is None:
                s.add(SettingRow(key=key, value=str(value)))
            else:
                row.value = str(value)

    # --- backups ----------------------------------------------------------------------

    def backup(self, out: Path) -> Path:
        """A consistent copy of the database through SQLite's online backup API."""
        try:
            return self._db.backup(out)
        except KnownDatabaseError as exc:
            raise StorageError(exc.message) from exc


def _overpaid(debt: Debt) -> RowProblem:
    """A debt whose stored terms owe less than the payments stored for it: one of them was changed."""
    from domain.money import to_fen

    problem = rows.ColumnProblem("principal", N_("is less than the payments recorded for this debt"),
                                 (), to_fen(debt.principal))
    return RowProblem("debts", "id", debt.id, (problem,))


def default_backup_path(db_path: str | Path, now: datetime | None = None) -> Path:
    """A timestamped file in a ``backups/`` folder beside the database."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    db = Path(db_path)
    return db.parent / "backups" / f"{db.stem}-{stamp}{db.suffix or '.sqlite3'}"
