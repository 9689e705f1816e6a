"""The window's first screen from a quick read, before the ORM is loaded.

``open_first_screen(path)`` opens a snapshot of the data file with ``storage.fastread`` (None when that
is not certain to give what the normal opening would) and answers the reading calls of ``Services`` that
the overview and the overdue banner make — ``list_debts``, ``get_debt``, ``list_payments``,
``paid_total``, ``list_contacts``, ``get_setting``, ``list_summaries``… — from that one snapshot,
through the same service and domain code (``services.summaries.figure``, ``services.overview``,
``services.reminders``, ``services.overdue``, ``domain.ledger``), so the figures are the ones the
services give, and cost no more with years of payments than with months. It cannot write: the window
closes it once the first screen is on screen, and swaps in the real ``Services`` before the person can
act on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from domain.debts import ContactEntry, Debt, DebtStatus, Payment
from domain.money import from_fen
from services.summaries import DebtSummary, KeptState, LedgerKey, LedgerReads, figure, kept_from
from storage.fastread import FirstScreen, NotCertain, read_first_screen


class Unavailable(RuntimeError):
    """A call the quick read cannot answer (the window opens the file the normal way instead)."""


class FirstScreenServices:
    """The reading part of ``services.app.Services`` over one quick read; it has no method that writes."""

    read_only = True
    notices: tuple[str, ...] = ()

    def __init__(self, screen: FirstScreen) -> None:
        self._screen = screen
        self.path = str(screen.path)
        self._by_id = {debt.id: debt for debt in screen.debts}
        self._summaries: dict[tuple[date, bool], list[DebtSummary]] = {}  # the snapshot never changes
        self._paid: dict[tuple[int, date | None, date], Decimal] = {}

    def sound(self) -> bool:
        """Whether no payment in the file might be damaged: only then is what this reader gave what the
        normal opening would (which names each damaged payment and figures its debt without it)."""
        return self._screen.sound()

    def close(self) -> None:
        """End the snapshot (before the file is opened the normal way); nothing more can be read."""
        self._screen.close()

    def list_debts(self, include_archived: bool = True) -> list[Debt]:
        return [d for d in self._screen.debts if include_archived or d.status is not DebtStatus.ARCHIVED]

    def get_debt(self, debt_id: int) -> Debt:
        debt = self._by_id.get(debt_id)
        if debt is None:  # the first screen asks only for debts it listed
            raise Unavailable(f"no debt {debt_id} in the quick read")
        return debt

    def list_payments(self, debt_id: int | None = None, since: date | None = None) -> list[Payment]:
        if debt_id is not None:
            self.get_debt(debt_id)
        return list(self._read(self._screen.payments, debt_id, None if since is None else (since, 0)))

    def paid_total(self, debt_id: int, after: date | None, until: date) -> Decimal:
        key = (debt_id, after, until)
        if key not in self._paid:  # the overview and the banner ask for the same sums
            self.get_debt(debt_id)
            self._paid[key] = from_fen(self._read(self._screen.paid_fen, debt_id, after, until))
        return self._paid[key]

    def list_contacts(self, debt_id: int | None = None) -> list[ContactEntry]:
        return [c for c in self._screen.contacts if debt_id is None or c.debt_id == debt_id]

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        return self._screen.settings.get(key, default)

    def get_term_overrides(self, debt_id: int) -> Mapping[str, object]:
        return {}  # the quick read is only taken when no debt has terms of its own

    def paid_totals(self, spans: Mapping[int, tuple[date | None, date]]) -> dict[int, Decimal]:
        return {debt_id: self.paid_total(debt_id, *span) for debt_id, span in spans.items()}

    def list_instalments(self, debt_id: int) -> list[Any]:
        return []  # the quick read is only taken when no debt has a stored schedule

    def instalments_of(self, debt_ids: Sequence[int]) -> dict[int, list[Any]]:
        return {}  # as list_instalments

    def list_summaries(self, as_of: date, include_archived: bool = True) -> list[DebtSummary]:
        """Each debt's balance, days overdue and status, as ``services.debts`` figures them."""
        key = (as_of, include_archived)
        if key not in self._summaries:
            self._summaries[key] = [self._summary(d, as_of) for d in self.list_debts(include_archived)]
        return list(self._summaries[key])

    def _summary(self, debt: Debt, as_of: date) -> DebtSummary:
        from domain import ledger

        debt_id = debt.id or 0
        screen = self._screen

        def kept(before: LedgerKey | None, until: date) -> KeptState:
            return kept_from(debt, self._read(screen.kept, debt_id, before, until))

        def since(key: LedgerKey, until: date) -> tuple[Payment, ...]:
            payments: tuple[Payment, ...] = self._read(screen.payments, debt_id, key, until)
            return payments

        reads = LedgerReads(kept, lambda: self._read(screen.payments, debt_id), since)
        try:
            return figure(debt, as_of, {}, reads)[0]
        except ledger.OverpaymentError:
            raise Unavailable(
                "a debt's payments exceed what it owes: reported by the normal opening"
            ) from None

    @staticmethod
    def _read(method: Any, *args: Any) -> Any:
        try:
            return method(*args)
        except NotCertain:
            raise Unavailable("more than the quick read may figure from") from None


def open_first_screen(path: Path) -> FirstScreenServices | None:
    """The first screen's reader for the data file at ``path``, or None: open it the normal way."""
    screen = read_first_screen(path)
    return None if screen is None else FirstScreenServices(screen)
