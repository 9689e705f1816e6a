"""Payments: recording, changing and removing them, and reading the ledger page by page.

Every payment of a debt is split fees -> interest -> principal (Civil Code Art. 561)
in date order, so recording, changing or removing one splits again those after it
(``records.resplit``: from the ledger's state kept with the payment before).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, tuple_

from domain import ledger
from domain.debts import N_, Debt, FieldError, Payment
from domain.ids import DebtId, PaymentId
from domain.money import ZERO, MoneyError, from_fen
from domain.validation import parse_money_value, validate_payment_input
from services import records
from services.debts import standing_since
from services.errors import ValidationError
from services.store import Store
from services.summaries import LedgerKey, stored_day
from storage import rows
from storage import snapshot as snapshots
from storage.models import DebtRow, PaymentRow
from storage.snapshot import Snapshot

MSG_BEFORE_STANDING = N_(
    "must not be before {date}: what was paid until then is already counted in the "
    "instalments paid or the outstanding principal"
)


def payment_input(amount: Decimal | str, on: date, note: str) -> Decimal:
    """The amount of a payment as entered; ValidationError naming every wrong field."""
    try:
        value = parse_money_value(amount)
    except MoneyError:
        raise ValidationError([FieldError("amount", N_("not an amount"))]) from None
    errors = validate_payment_input(value, on, note)
    if errors:
        raise ValidationError(errors)
    return value


def check_not_before_start(debt: Debt, on: date) -> None:
    if on < debt.start_date:
        raise ValidationError([FieldError("date", N_("must not be before the start date"))])
    since = standing_since(debt)
    if since is not None and on < since:
        raise ValidationError([FieldError("date", MSG_BEFORE_STANDING, {"date": since.isoformat()})])


class Payments:
    """The payments of one database (``services.payments``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def all(self, debt_id: DebtId | None = None, since: date | None = None) -> list[Payment]:
        """Every payment (of one debt, or all; dated ``since`` or later), oldest first."""
        with self._store.reading() as s:
            query = records.payments_query(s, debt_id)
            if since is not None:
                query = query.where(PaymentRow.date >= since)
            query = query.order_by(PaymentRow.date, PaymentRow.id)
            return self._store.readable(rows.read_payments(s.connection(), query))

    def total(self, debt_id: DebtId, after: date | None, until: date) -> Decimal:
        """What was paid on a debt after the day ``after`` (None: from its first payment) up to
        ``until``, summed by SQLite (no payment read into Python); where a payment of the range
        may be damaged, the payments are read (each damaged one left out and named) and summed."""
        return self.totals({debt_id: (after, until)}, require=True)[debt_id]

    def totals(
        self, spans: Mapping[int, tuple[date | None, date]], *, require: bool = False
    ) -> dict[int, Decimal]:
        """``total`` of each debt over its span (after, until), in one read; ``require``: NotFoundError
        for a debt that is not there (else it has paid nothing)."""
        out: dict[int, Decimal] = {}
        with self._store.reading() as s:
            if require:
                for debt_id in spans:
                    records.require_debt(s, debt_id)
            suspect = records.suspects(s, self._store).debts
            summed = {k: v for k, v in spans.items() if k not in suspect}
            if summed:
                for row in s.execute(rows.paid_in_spans(summed)):
                    out[row[0]] = from_fen(int(row[1]))
        for debt_id, (after, until) in spans.items():
            if debt_id not in out:  # a payment may be damaged: read them, and sum those that can be
                paid = self.all(DebtId(debt_id), None if after is None else after + timedelta(days=1))
                out[debt_id] = sum((p.amount for p in paid if p.date <= until), ZERO)
        return out

    def count(self, debt_id: DebtId | None = None) -> int:
        """How many payments there are (of one debt, or all), less those already found damaged."""
        unreadable = self._store.unreadable_payments
        with self._store.reading() as s:
            query = select(func.count()).select_from(PaymentRow)
            if debt_id is not None:
                records.require_debt(s, debt_id)
                query = query.where(PaymentRow.debt_id == debt_id)
            if unreadable:
                query = query.where(PaymentRow.id.not_in(unreadable))
            return int(s.scalar(query) or 0)

    def page(
        self, debt_id: DebtId | None = None, after: LedgerKey | None = None, limit: int = 200
    ) -> list[Payment]:
        """One page of the ledger as the window shows it: newest first (date, then id, descending),
        the ``limit`` payments that come after ``after`` (the date and id of the last one shown;
        None: from the newest).

        Read by key on the index in that order, never by counting rows off: the last page of
        100,000 costs what the first does. A damaged payment is left out and reported as soon as it
        is found, and the page read again without it, so a page is never short but at the end.
        """
        unreadable = self._store.unreadable_payments
        with self._store.reading() as s:
            while True:
                query = records.payments_query(s, debt_id)
                if unreadable:
                    query = query.where(PaymentRow.id.not_in(unreadable))
                if after is not None:
                    query = query.where(tuple_(PaymentRow.date, PaymentRow.id) < tuple_(*after))
                query = query.order_by(PaymentRow.date.desc(), PaymentRow.id.desc()).limit(max(0, limit))
                read = rows.read_payments(s.connection(), query)
                if not read.problems:
                    return read.values
                self._store.report(read.problems)  # now known: read the page again without them

    def json_batches(self, debt_id: DebtId, size: int = 5000) -> Iterator[list[dict[str, Any]]]:
        """The debt's payments oldest first as ``debt show --json`` prints them, a batch at a time
        from one query (in the caller's unit: one snapshot): 100,000 are printed without all being
        held at once. A damaged one is reported and left out."""
        from services.debtjson import payment_values_to_json

        with self._store.reading() as s:
            query = records.payments_query(s, debt_id).order_by(PaymentRow.date, PaymentRow.id)
            for chunk in s.connection().execute(query).partitions(size):
                read = rows.check_rows(PaymentRow, chunk)
                yield [payment_values_to_json(v) for v in self._store.readable(read)]

    def get(self, payment_id: PaymentId) -> Payment:
        """One payment and how it was split (NotFoundError when there is none)."""
        with self._store.reading() as s:
            return records.read_payment(s, payment_id)

    def add(self, debt_id: DebtId, amount: Decimal | str, on: date, note: str = "") -> PaymentId:
        """Record a payment, split fees -> interest -> principal (Civil Code Art. 561)."""
        value = payment_input(amount, on, note)
        with self._store.transaction() as s:
            debt = records.read_debt(s, debt_id)
            check_not_before_start(debt, on)
            # Written whole until it is split (it goes after the payments of its day).
            row = PaymentRow(
                debt_id=debt_id, date=on, amount=value, fees=ZERO, interest=ZERO, principal=value, note=note
            )
            s.add(row)
            s.flush()
            payment_id = PaymentId(row.id)
            try:
                records.resplit(s, debt, (on, payment_id))
            except ledger.OverpaymentError as exc:
                raise records.overpayment(exc) from None
            return payment_id

    def update(self, payment_id: PaymentId, amount: Decimal | str, on: date, note: str = "") -> None:
        value = payment_input(amount, on, note)
        with self._store.transaction() as s:
            before = records.read_payment(s, payment_id)
            debt = records.read_debt(s, DebtId(before.debt_id))
            check_not_before_start(debt, on)
            row = s.get(PaymentRow, payment_id)
            assert row is not None
            row.amount, row.date, row.note = value, on, note
            row.fees, row.interest, row.principal = ZERO, ZERO, value  # whole until it is split again
            try:  # from where it was or where it goes, whichever comes first
                records.resplit(s, debt, (min(before.date, on), payment_id))
            except ledger.OverpaymentError as exc:
                raise records.overpayment(exc) from None

    def remove(self, payment_id: PaymentId) -> Snapshot:
        """Remove a payment (a damaged one too: it is not read) and split the others again.

        Returns what ``restore_deleted`` puts back.
        """
        with self._store.transaction() as s:
            debt_id = s.scalar(select(PaymentRow.debt_id).where(PaymentRow.id == payment_id))
            if debt_id is None:
                raise records.no_payment(payment_id)
            stored = s.scalar(select(rows.stored(PaymentRow.date, "date")).where(PaymentRow.id == payment_id))
            deleted = snapshots.take(s, PaymentRow, payment_id)
            if isinstance(debt_id, int) and s.scalar(select(DebtRow.id).where(DebtRow.id == debt_id)):
                debt = records.read_debt(s, debt_id)
                on = stored_day(stored)  # a damaged date: split the others from the start
                records.resplit(s, debt, None if on is None else (on, payment_id))
            return deleted
