"""The password for protected databases, held in this process only.

Never in ``os.environ``, which every program started from here (notify-send, a file manager, a print
helper) would inherit: a ``DEBTKEEPER_PASSWORD`` the person set is taken from there once and removed.
Apart from ``storage.encryption`` (SQLite, SQLCipher) so that the program's first line can take it
without loading either.
"""

from __future__ import annotations

import os

PASSWORD_ENV = "DEBTKEEPER_PASSWORD"

_HELD: dict[str, str] = {}


def set_password(secret: str | None) -> None:
    """Open protected databases with ``secret`` from now on (None or "": no password).

    A password given this way replaces one from the environment, which is removed.
    """
    os.environ.pop(PASSWORD_ENV, None)
    _HELD.clear()
    if secret:
        _HELD["secret"] = secret


def take_password_from_environment() -> None:
    """Move a ``DEBTKEEPER_PASSWORD`` the person set into this process and out of the environment."""
    secret = os.environ.pop(PASSWORD_ENV, None)
    if secret:
        _HELD["secret"] = secret


def password() -> str | None:
    """The password for protected databases, or None."""
    take_password_from_environment()
    return _HELD.get("secret")
