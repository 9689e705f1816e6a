"""The records several managers act on, read and locked inside the caller's session.

A debt and its payments belong together: a payment is split under its debt's
terms, and changing the debt splits every payment again. The helpers here do
that for the debts and payments managers, without either importing the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from sqlalchemy import Integer, Table, bindparam, select, tuple_, update
from sqlalchemy.orm import Session

from domain import ledger
from domain.debts import N_, Debt, DebtStatus, FieldError, Payment
from domain.ids import DebtId
from domain.money import from_fen, to_fen
from services.errors import DamagedRowError, NotFoundError, ValidationError
from services.store import Store
from services.summaries import KeptState, LedgerKey, arrears_start, kept_from
from storage import rows
from storage.models import DebtRow, LenderRow, PaymentRow
from storage.rows import RowProblem

if TYPE_CHECKING:
    from storage.rows import RawSelect


def no_debt(debt_id: int | None) -> NotFoundError:
    from resources.i18n import tr

    return NotFoundError(tr("There is no debt with id {id}.", id=debt_id))


def no_payment(payment_id: int) -> NotFoundError:
    from resources.i18n import tr

    return NotFoundError(tr("There is no payment with id {id}.", id=payment_id))


def require_debt(s: Session, debt_id: int) -> None:
    """NotFoundError unless the debt exists (readable or not: nothing of it is read)."""
    if s.scalar(select(DebtRow.id).where(DebtRow.id == debt_id)) is None:
        raise no_debt(debt_id)


def read_debt(s: Session, debt_id: int) -> Debt:
    """One debt; NotFoundError when there is none, DamagedRowError when it cannot be read."""
    return Store.only(rows.read_debts(s.connection(), DebtRow.id == debt_id), lambda: no_debt(debt_id))


def debt_row(s: Session, debt_id: int) -> DebtRow:
    """The ORM row of a debt about to be changed (checked readable first)."""
    read_debt(s, debt_id)
    row = s.get(DebtRow, debt_id)
    assert row is not None
    return row


def lender_for(s: Session, debt: Debt) -> LenderRow:
    """The lender row a debt names, created when there is none yet."""
    row = s.scalar(select(LenderRow).where(LenderRow.name == debt.lender))
    if row is None:
        row = LenderRow(name=debt.lender, kind=debt.kind.value, phone="", address="", account_number="")
        s.add(row)
    return row


def debt_filter(include_archived: bool) -> tuple[Any, ...]:
    return () if include_archived else (DebtRow.status != DebtStatus.ARCHIVED.value,)


def payments_query(s: Session, debt_id: int | None) -> RawSelect:
    """The payments of one debt (NotFoundError when there is no such debt), or of all debts."""
    query = rows.raw_select(PaymentRow)
    if debt_id is None:
        return query
    require_debt(s, debt_id)
    return query.where(PaymentRow.debt_id == debt_id)


def read_payment(s: Session, payment_id: int) -> Payment:
    query = rows.raw_select(PaymentRow).where(PaymentRow.id == payment_id)
    return Store.only(rows.read_payments(s.connection(), query), lambda: no_payment(payment_id))


def term_overrides(s: Session, debt_id: int | None) -> dict[str, object]:
    """The person's own overdue terms of a debt, read in ``s``."""
    from services.moved_settings import read_terms

    return read_terms(s, debt_id)


def late_charges(
    s: Session, debt: Debt, payments: Sequence[tuple[date, Decimal]]
) -> list[ledger.LateCharges] | None:
    """The overdue charges each payment pays first (services.overdue.late_charges), read in ``s``."""
    if debt.overdue_since is None or not payments:
        return None
    from services.overdue import late_charges as charges

    return charges(debt, payments, term_overrides(s, debt.id))


def kept_state(s: Session, debt: Debt, before: LedgerKey | None, until: date | None = None) -> KeptState:
    """The state kept with the debt's last payment before ``before`` (None: the last of all) and
    dated on or before ``until`` (``services.summaries.kept_from`` says what it gives)."""
    query = select(PaymentRow.id, rows.stored(PaymentRow.date, "date"), PaymentRow.ledger_state).where(
        PaymentRow.debt_id == debt.id
    )
    if before is not None:
        query = query.where(tuple_(PaymentRow.date, PaymentRow.id) < tuple_(*before))
    if until is not None:
        query = query.where(PaymentRow.date <= until)
    found = (
        s.connection().execute(query.order_by(PaymentRow.date.desc(), PaymentRow.id.desc()).limit(1)).first()
    )
    return kept_from(debt, None if found is None else tuple(found))


def last_kept_states(s: Session, debts: Sequence[Debt], until: date) -> dict[int, KeptState]:
    """``kept_state(s, debt, None, until)`` of each debt, in one read (each debt's last payment found
    on the index, as one read of it finds it)."""
    if not debts:
        return {}
    last = (
        select(PaymentRow.id)
        .where(PaymentRow.debt_id == DebtRow.id, PaymentRow.date <= until)
        .order_by(PaymentRow.date.desc(), PaymentRow.id.desc())
        .limit(1)
        .correlate(DebtRow)
        .scalar_subquery()
    )
    query = (
        select(
            DebtRow.id.label("debt_id"),
            PaymentRow.id,
            rows.stored(PaymentRow.date, "date"),
            PaymentRow.ledger_state,
        )
        .join(PaymentRow, PaymentRow.id == last)
        .where(DebtRow.id.in_([d.id for d in debts]))
    )
    found = {row.debt_id: (row.id, row.date, row.ledger_state) for row in s.connection().execute(query)}
    return {d.id: kept_from(d, found.get(d.id)) for d in debts if d.id is not None}


class Suspects(NamedTuple):
    """What SQLite finds that may be damaged among the payments (``rows.suspect_payments``)."""

    problems: tuple[RowProblem, ...]  # those that cannot be read
    damaged: frozenset[int]  # the debts they belong to
    debts: frozenset[int]  # the debts with any payment found (damaged or not): not summed by SQLite


def suspects(s: Session, store: Store) -> Suspects:
    """The payments SQLite finds may be damaged, found once for as long as the database is unchanged
    (a scan of every payment; the good ones are not read into Python)."""

    def scan() -> Suspects:
        read = rows.read_payments(s.connection(), rows.suspect_payments())
        keys = [p.key for p in read.problems]
        damaged = (
            frozenset(s.scalars(select(PaymentRow.debt_id).where(PaymentRow.id.in_(keys))))
            if keys
            else frozenset()
        )
        found = frozenset(p.debt_id for p in read.values) | damaged
        return Suspects(tuple(read.problems), damaged, found)

    return store.kept(s, "suspect payments", scan)


def damaged_ledgers(s: Session, store: Store, debt_id: int | None = None) -> set[int]:
    """The debts (of all, or the one) with a payment that cannot be read; each such payment is
    reported (once). Found by SQLite (``rows.suspect_payments``), so the good payments are not read."""
    found = suspects(s, store)
    store.report(found.problems)
    return {d for d in found.damaged if debt_id is None or d == debt_id}


def ledger_values(
    s: Session, debt_id: int, since: LedgerKey | None = None, until: date | None = None
) -> list[dict[str, Any]]:
    """The payments of a debt from ``since`` on (all when None) and dated up to ``until``, checked,
    in ledger order, with the state kept with each; DamagedRowError when one cannot be read (they
    are split again together)."""
    query = rows.raw_select(PaymentRow, rows.stored(PaymentRow.ledger_state, "ledger_state")).where(
        PaymentRow.debt_id == debt_id
    )
    if since is not None:
        query = query.where(tuple_(PaymentRow.date, PaymentRow.id) >= tuple_(*since))
    if until is not None:
        query = query.where(PaymentRow.date <= until)
    read = rows.read_values(
        s.connection(), PaymentRow, query.order_by(PaymentRow.date, PaymentRow.id), ("ledger_state",)
    )
    if read.problems:
        raise DamagedRowError(read.problems[0])
    return read.values


def resplit(s: Session, debt: Debt, since: LedgerKey | None = None) -> None:
    """Split the debt's payments again from ``since`` on (its place in the ledger; None: every
    payment), resuming from the state kept with the payment just before, and keep each one's new
    split and state. Only what changed is written, so a payment added after the others costs the
    same however many came before it. Replays from the start when that state is missing or does
    not fit the debt; a debt with arrears is replayed from its first overdue day at least.
    Raises OverpaymentError, and DamagedRowError when a payment to replay cannot be read.
    """
    assert debt.id is not None
    s.flush()  # the caller's changes, before reading the ledger as stored
    arrears = arrears_start(debt)
    if since is not None and arrears is not None:
        since = min(since, arrears)
    kept = kept_state(s, debt, since) if since is not None else KeptState(None, None)
    if not kept.usable:
        since, kept = None, KeptState(None, None)
    values = ledger_values(s, debt.id, since)
    paid = [(v["date"], from_fen(v["amount"])) for v in values]
    steps = ledger.resume(debt, kept.state, paid, late_charges(s, debt, paid))
    changed = []
    for v, (split, state) in zip(values, steps, strict=True):
        parts = {
            "fees": to_fen(split.fees),
            "interest": to_fen(split.interest),
            "principal": to_fen(split.principal),
        }
        text = ledger.state_text(state)
        if any(v[k] != parts[k] for k in parts) or v["ledger_state"] != text:
            changed.append({"key": v["id"], **parts, "state": text})
    if changed:
        _write(s, changed)


RESTATE_BATCH = 5000


def restate_debt(s: Session, debt: Debt) -> None:
    """Keep the ledger state with every payment of a debt, as imported: its payments
    are read a batch at a time and folded from the start; their splits stay as they are. Where a
    split differs from what the fold gives (a file split by other rules), or a debt's arrears make
    splits depend on their late charges, the rest of that debt keeps no state and is replayed when
    it is next read or written."""
    assert debt.id is not None
    state: ledger.LedgerState | None = None
    since: LedgerKey | None = None
    while True:
        query = (
            select(PaymentRow.id, PaymentRow.date, PaymentRow.amount, PaymentRow.fees, PaymentRow.interest)
            .where(PaymentRow.debt_id == debt.id)
            .order_by(PaymentRow.date, PaymentRow.id)
            .limit(RESTATE_BATCH)
        )
        if since is not None:
            query = query.where(tuple_(PaymentRow.date, PaymentRow.id) > tuple_(*since))
        if debt.overdue_since is not None:
            query = query.where(PaymentRow.date < debt.overdue_since)
        batch = s.execute(query).all()
        if not batch:
            break
        try:
            steps = ledger.resume(debt, state, [(r.date, r.amount) for r in batch])
        except ledger.OverpaymentError:
            break
        kept = []
        for r, (split, after) in zip(batch, steps, strict=True):
            if (split.fees, split.interest) != (r.fees, r.interest):
                break
            kept.append({"key": r.id, "state": ledger.state_text(after)})
        if kept:
            _write(s, kept)
        if len(kept) < len(batch) or len(batch) < RESTATE_BATCH:
            break
        state, since = steps[-1][1], (batch[-1].date, batch[-1].id)


def _write(s: Session, changed: list[dict[str, Any]]) -> None:
    """Write the splits and states of payments by id (an executemany; no ORM object each)."""
    table = cast(Table, PaymentRow.__table__)
    values: dict[str, Any] = {"ledger_state": bindparam("state")}
    if "fees" in changed[0]:
        for name in ("fees", "interest", "principal"):
            values[name] = bindparam(name, type_=Integer)
    s.connection().execute(update(table).where(table.c.id == bindparam("key")).values(**values), changed)
    s.expire_all()  # rows the session holds now differ from the table


def overpayment(exc: ledger.OverpaymentError) -> ValidationError:
    """A payment that would pay more than is owed, as a field error."""
    from resources.i18n import format_money

    return ValidationError(
        [
            FieldError(
                "amount",
                N_("is more than the {owed} outstanding on {date}"),
                {"owed": format_money(exc.owed), "date": exc.on.isoformat()},
            )
        ]
    )


def overpaid(debt: Debt) -> RowProblem:
    """A debt whose stored terms owe less than the payments stored for it: one of them was changed."""
    from domain.money import to_fen

    problem = rows.ColumnProblem(
        "principal", N_("is less than the payments recorded for this debt"), (), to_fen(debt.principal)
    )
    return RowProblem("debts", "id", debt.id, (problem,))


def resplit_after(s: Session, debt_id: DebtId, since: LedgerKey | None = None) -> None:
    """Split a debt's payments again from ``since`` on after one of them came or went (refused when
    overpaid)."""
    debt = read_debt(s, debt_id)
    try:
        resplit(s, debt, since)
    except ledger.OverpaymentError as exc:
        raise overpayment(exc) from None
