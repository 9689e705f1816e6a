"""Database errors a person can do something about, split from bugs.

As qutebrowser's misc/sql.py does: SQLite errors caused by the environment
(disk full, file locked, corrupt or read-only file, a database written by a
newer DebtKeeper) become a ``KnownDatabaseError`` with a translated message
that says what to do; anything else is a bug and is re-raised unchanged.
"""

from __future__ import annotations

from resources.i18n import N_, tr


class KnownDatabaseError(Exception):
    """A database problem caused by the environment, not by the program."""

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid = msgid
        self.params = params
        super().__init__(tr(msgid, None, **params))

    @property
    def message(self) -> str:
        return tr(self.msgid, None, **self.params)


class DiskFullError(KnownDatabaseError):
    pass


class DatabaseLockedError(KnownDatabaseError):
    pass


class CorruptDatabaseError(KnownDatabaseError):
    pass


class ReadOnlyDatabaseError(KnownDatabaseError):
    pass


class SchemaTooNewError(KnownDatabaseError):
    pass


# (fragment of SQLite's message, error class, message for the person)
_KNOWN = (
    ("database or disk is full", DiskFullError,
     N_("The disk is full: free some space and try again ({path}).")),
    ("database is locked", DatabaseLockedError,
     N_("The database is in use by another DebtKeeper: close it and try again ({path}).")),
    ("file is not a database", CorruptDatabaseError,
     N_("This file is not a DebtKeeper database, or it is damaged: restore a backup ({path}).")),
    ("database disk image is malformed", CorruptDatabaseError,
     N_("This file is not a DebtKeeper database, or it is damaged: restore a backup ({path}).")),
    ("attempt to write a readonly database", ReadOnlyDatabaseError,
     N_("The database file cannot be written: check its permissions ({path}).")),
    ("unable to open database file", ReadOnlyDatabaseError,
     N_("The database file cannot be opened: check the folder and its permissions ({path}).")),
    ("disk i/o error", DiskFullError,
     N_("The disk reported an error while writing the database ({path}).")),
)


def known_error(exc: BaseException, path: str) -> KnownDatabaseError | None:
    """The known error an SQLite exception stands for, or None when it is a bug."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    for fragment, cls, msgid in _KNOWN:
        if fragment in text:
            return cls(msgid, path=path)
    return None
