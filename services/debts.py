"""Debts: adding, changing and removing them, and where each one stands on a day.

A debt is stored with its terms; its payments are split under those terms, so a
change of terms splits every payment again (``records.resplit``). What a debt
stands at (balance, days overdue, status) is computed from the debt and the ledger
state kept with its last payment (``domain.ledger.LedgerState``), never stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from domain import ledger
from domain.debts import N_, Debt, DebtStatus, FieldError, Payment
from domain.ids import DebtId
from domain.validation import DEBT_FIELDS, check_debt
from services import records
from services.errors import DamagedRowError, ValidationError
from services.store import Store
from services.summaries import DebtSummary, KeptState, LedgerKey, LedgerReads, figure
from storage import rows
from storage import snapshot as snapshots
from storage.models import DebtRow, PaymentRow, debt_fill_row
from storage.snapshot import Snapshot

# Preset fields a new debt takes from its kind when the person leaves them out.
PRESET_FIELDS = (
    "rate",
    "rate_unit",
    "fee_rate",
    "due_day",
    "grace_days",
    "penalty_rate_multiplier",
    "late_fee_rate_per_day",
)

MSG_PAYMENTS_BEFORE = N_("a payment recorded on {date} is already counted in it: remove that payment first")


@dataclass(frozen=True, slots=True)
class DebtStanding:
    """A debt's summary with what it was computed from: its payments and its overdue terms."""

    summary: DebtSummary
    payments: tuple[Payment, ...]  # those its arrears are figured from (all, or since its first overdue day)
    terms: Mapping[str, object]


STATUS_LABELS = {
    DebtStatus.ACTIVE: N_("Active"),
    DebtStatus.OVERDUE: N_("Overdue"),
    DebtStatus.NEGOTIATING: N_("Negotiating"),
    DebtStatus.SETTLED: N_("Settled"),
    DebtStatus.ARCHIVED: N_("Archived"),
}


def status_label(status: DebtStatus) -> str:
    """A debt status in the current language."""
    from resources.i18n import tr

    return tr(STATUS_LABELS[DebtStatus(status)])


def preset_defaults(kind: object) -> dict[str, Any]:
    """The product preset's terms for a debt kind (empty when the kind is unknown)."""
    from domain.debts import DebtKind
    from resources.rules import product_presets

    try:
        preset = product_presets()[DebtKind(str(kind))]
    except ValueError:
        return {}
    return {name: getattr(preset, name) for name in PRESET_FIELDS}


def standing_since(debt: Debt) -> date | None:
    """The day a debt entered mid-life stands from (``domain.standing``), else None."""
    if debt.instalments_paid <= 0 and debt.outstanding_principal is None:
        return None
    from domain.standing import standing

    return standing(debt).since


def _debt_settings(debt_id: int) -> tuple[list[str], list[str]]:
    """The settings that belong to one debt: whole keys, and JSON objects with a member for it (its
    overdue terms and reminder details are rows and columns that go with it by their foreign keys)."""
    from services import reminders

    return [], [reminders.SETTING_LAST_FIRED, reminders.SETTING_TRACKED_FROM]


class Debts:
    """The debts of one database (``services.debts``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def all(self, include_archived: bool = True) -> list[Debt]:
        with self._store.reading() as s:
            read = rows.read_debts(s.connection(), *records.debt_filter(include_archived))
            return self._store.readable(read)

    def get(self, debt_id: DebtId) -> Debt:
        with self._store.reading() as s:
            return records.read_debt(s, debt_id)

    def add(self, data: Mapping[str, object]) -> DebtId:
        """Add a debt from contract-JSON fields; the kind's preset fills the terms left out."""
        debt, errors = check_debt(data, preset_defaults(data.get("kind")), allow_status=True)
        if debt is None:
            raise ValidationError(errors)
        with self._store.transaction() as s:
            row = debt_fill_row(DebtRow(), debt, records.lender_for(s, debt))
            s.add(row)
            s.flush()
            return DebtId(row.id)

    def update(self, debt_id: DebtId, data: Mapping[str, object]) -> None:
        """Change some fields of a debt; payments are split again under the new terms."""
        with self._store.transaction() as s:
            current = records.read_debt(s, debt_id)
            row = records.debt_row(s, debt_id)
            base = {name: getattr(current, name) for name in (*DEBT_FIELDS, "status")}
            debt, errors = check_debt({**base, **data}, allow_status=True, debt_id=debt_id)
            if debt is None:
                raise ValidationError(errors)
            since = standing_since(debt)
            first = (
                s.scalar(select(func.min(PaymentRow.date)).where(PaymentRow.debt_id == debt_id))
                if since is not None
                else None
            )
            if since is not None and first is not None and first < since:
                key = "outstanding_as_of" if debt.outstanding_principal is not None else "instalments_paid"
                raise ValidationError([FieldError(key, MSG_PAYMENTS_BEFORE, {"date": first.isoformat()})])
            debt_fill_row(row, debt, records.lender_for(s, debt))
            try:  # new terms: every payment again
                records.resplit(s, debt)
            except ledger.OverpaymentError:
                message = N_("the payments already recorded are more than this debt would owe")
                raise ValidationError([FieldError("principal", message)]) from None

    def remove(self, debt_id: DebtId) -> Snapshot:
        """Remove a debt with all that belongs to it; returns what ``restore_deleted`` puts back.

        Its payments, instalments, reminder rule and what is stored under its id in
        the settings (overdue terms, reminder details, when it was last reminded) go
        with it; its contact-log entries are kept, unlinked, as evidence. The row is
        not read first (it is kept as SQLite stores it), so a damaged debt can be removed too.
        """
        keys, maps = _debt_settings(debt_id)
        with self._store.transaction() as s:
            records.require_debt(s, debt_id)
            return snapshots.take(s, DebtRow, debt_id, setting_keys=keys, setting_maps=maps)

    def set_status(self, debt_id: DebtId, status: DebtStatus) -> None:
        with self._store.transaction() as s:
            records.require_debt(s, debt_id)
            s.execute(update(DebtRow).where(DebtRow.id == debt_id).values(status=DebtStatus(status).value))

    # --- where a debt stands ---------------------------------------------------------

    def summary(self, debt_id: DebtId, as_of: date) -> DebtSummary:
        with self._store.reading() as s:
            debt = records.read_debt(s, debt_id)
            damaged = records.damaged_ledgers(s, self._store, debt_id)
            terms = records.term_overrides(s, debt_id) if debt.overdue_since is not None else {}
            standing = self._standing(s, debt, as_of, terms, debt_id in damaged)
        if standing is None:
            raise DamagedRowError(records.overpaid(debt))
        return standing.summary

    def summaries(self, as_of: date, include_archived: bool = True) -> list[DebtSummary]:
        """Every debt's summary, read in one transaction."""
        return [standing.summary for standing in self.standings(as_of, include_archived)]

    def standings(self, as_of: date, include_archived: bool = True) -> list[DebtStanding]:
        """Every debt's summary with the payments its arrears are figured from and its overdue
        terms, read once in one transaction (what a plan is built from).

        Each debt's figures come from the ledger state kept with its last payment by ``as_of`` (one
        indexed read), not from replaying its payments; a debt with arrears reads its payments
        since its first overdue day too. A debt with a damaged payment (each is named), or without
        a state that fits it, is replayed from the payments that can be read, as before.
        """
        store = self._store
        out = []
        with store.reading() as s:
            debts = store.readable(rows.read_debts(s.connection(), *records.debt_filter(include_archived)))
            damaged = records.damaged_ledgers(s, store)
            # The states of the debts without arrears, read together.
            plain = [d for d in debts if d.overdue_since is None and d.id not in damaged]
            kept = records.last_kept_states(s, plain, as_of)
            for debt in debts:
                terms = records.term_overrides(s, debt.id) if debt.overdue_since is not None else {}
                standing = self._standing(
                    s, debt, as_of, terms, debt.id in damaged, last=kept.get(debt.id or 0)
                )
                if standing is None:
                    store.report([records.overpaid(debt)])
                else:
                    out.append(standing)
        return out

    def _standing(
        self,
        s: Session,
        debt: Debt,
        as_of: date,
        terms: Mapping[str, object],
        replay: bool,
        *,
        last: KeptState | None = None,
    ) -> DebtStanding | None:
        """One debt's standing, read in ``s`` (None when its payments are more than it owes).
        ``last``: the state kept with its last payment by ``as_of``, when read already."""
        assert debt.id is not None
        debt_id = debt.id

        def kept(before: LedgerKey | None, until: date) -> KeptState:
            if last is not None and before is None and until == as_of:
                return last
            return records.kept_state(s, debt, before, until)

        def every() -> list[Payment]:
            query = records.payments_query(s, debt_id).order_by(PaymentRow.date, PaymentRow.id)
            return self._store.readable(rows.read_payments(s.connection(), query))

        def since(key: LedgerKey, until: date) -> list[Payment]:
            return [rows.payment_from_values(v) for v in records.ledger_values(s, debt_id, key, until=until)]

        reads = LedgerReads(kept, every, since)
        try:
            summary, payments = figure(debt, as_of, terms, reads, replay)
        except ledger.OverpaymentError:
            return None
        return DebtStanding(summary, payments, terms)
