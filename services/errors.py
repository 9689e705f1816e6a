"""Errors a person can do something about, as opposed to bugs.

``UserError`` carries a message already translated into the person's language;
``ValidationError`` carries every field error at once. The command line turns
both into exit status 2 with a one-line message; the window shows them beside
the fields or in a message box. Anything else is a bug and goes to the crash
dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from domain.debts import FieldError
from domain.errors import DomainError
from resources.i18n import N_, tr

if TYPE_CHECKING:
    from storage.rows import RowProblem


class UserError(Exception):
    """Bad input or a known environment problem, with a translated message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# A message lists every problem when there are a handful; a file with hundreds gets the first few
# and how many there are in all (``errors`` still holds every one).
ERRORS_LISTED = 8
ERRORS_SHOWN_OF_MANY = 5
FIELD_SHOWN = 60  # characters of a field's place in a file ("budget.expenses.<a very long name>")


class ValidationError(UserError):
    """One or more fields are wrong; nothing was written."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = tuple(errors)
        shown = self.errors if len(self.errors) <= ERRORS_LISTED else self.errors[:ERRORS_SHOWN_OF_MANY]
        parts = [render_field_error(e) for e in shown]
        if len(shown) < len(self.errors):
            parts.append(
                tr(
                    "and {more} more ({count} problems in all)",
                    more=len(self.errors) - len(shown),
                    count=len(self.errors),
                )
            )
        super().__init__("; ".join(parts))


class NotFoundError(UserError):
    """The debt, payment or other record named does not exist."""


class ConflictError(UserError):
    """The request contradicts what is stored (e.g. importing into a non-empty database)."""


# How a field is named in messages. Labels, not the bare keys, are translated so
# that a key such as "months" never borrows another screen's translation.
FIELD_LABELS = {
    "name": N_("Name"),
    "lender": N_("Lender"),
    "kind": N_("Kind of debt"),
    "principal": N_("Principal"),
    "start_date": N_("Start date"),
    "method": N_("Repayment method"),
    "months": N_("Number of months"),
    "rate": N_("Interest rate"),
    "rate_unit": N_("Rate unit"),
    "fee_rate": N_("Instalment fee rate"),
    "due_day": N_("Due day of the month"),
    "grace_days": N_("Grace days"),
    "penalty_rate_multiplier": N_("Penalty rate multiplier"),
    "late_fee_rate_per_day": N_("Late fee per day"),
    "overdue_since": N_("Overdue since"),
    "overdue_amount": N_("Overdue amount"),
    "received_amount": N_("Amount received"),
    "status": N_("Status"),
    "amount": N_("Amount"),
    "date": N_("Date"),
    "note": N_("Note"),
    "phone": N_("Phone"),
    "address": N_("Address"),
    "account_number": N_("Account number"),
    "when": N_("Time"),
    "who": N_("Caller"),
    "summary": N_("What was said"),
    "phone_number": N_("Phone number"),
    "income": N_("Monthly income"),
    "category": N_("Expense category"),
    "debt": N_("Debt"),
    "days_before": N_("Days before"),
    "instalments": N_("Instalments"),
    "instalments_paid": N_("Instalments paid"),
    "outstanding_principal": N_("Outstanding principal"),
    "outstanding_as_of": N_("Outstanding as of"),
}


def field_label(name: str) -> str:
    """The translated label of a field; a location in a file ("debts[3].principal") is kept as is
    (shortened when a key in the file is very long)."""
    label = FIELD_LABELS.get(name)
    if label:
        return tr(label)
    return name if len(name) <= FIELD_SHOWN else name[: FIELD_SHOWN - 1] + "…"


def render_field_error(error: FieldError) -> str:
    """'<field>: <message>' in the current language."""
    # tr()'s own first parameter is called "message": fill the placeholders with format().
    message = tr(error.message, None, **dict(error.params))
    return tr("{field}: {message}").format(field=field_label(error.field), message=message)


def domain_message(error: DomainError) -> str:
    """A domain error in the current language: its msgid translated and filled from its params."""
    return tr(error.msgid).format(**dict(error.params))


def user_error(error: DomainError, context: str | None = None) -> UserError:
    """A domain error as a UserError (exit status 2, a message box), optionally inside a sentence
    ``context`` with a ``{reason}`` placeholder (an msgid)."""
    reason = domain_message(error)
    return UserError(tr(context).format(reason=reason) if context else reason)


class StorageError(UserError):
    """The database cannot be used as it is (disk full, locked, damaged, too new)."""


class DamagedRowError(StorageError):
    """The record a use case is about is stored damaged (another program or a disk fault changed it)."""

    def __init__(self, problem: RowProblem) -> None:
        super().__init__(
            tr(
                "A damaged record cannot be read: {record}. Restore a backup made before it was damaged.",
                record=problem.describe(),
            )
        )
        self.problem = problem
