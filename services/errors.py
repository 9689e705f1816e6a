"""Errors a person can do something about, as opposed to bugs.

``UserError`` carries a message already translated into the person's language;
``ValidationError`` carries every field error at once. The command line turns
both into exit status 2 with a one-line message; the window shows them beside
the fields or in a message box. Anything else is a bug and goes to the crash
dialog.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.debts import FieldError
from resources.i18n import tr


class UserError(Exception):
    """Bad input or a known environment problem, with a translated message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserError):
    """One or more fields are wrong; nothing was written."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(render_field_error(e) for e in self.errors))


class NotFoundError(UserError):
    """The debt, payment or other record named does not exist."""


class ConflictError(UserError):
    """The request contradicts what is stored (e.g. importing into a non-empty database)."""


def render_field_error(error: FieldError) -> str:
    """'<field>: <message>' in the current language."""
    # tr()'s own first parameter is called "message": fill the placeholders with format().
    message = tr(error.message, **dict(error.params))
    return tr("{field}: {message}").format(field=tr(error.field), message=message)


class StorageError(UserError):
    """The database cannot be used as it is (disk full, locked, damaged, too new)."""
