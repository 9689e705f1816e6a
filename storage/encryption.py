"""Optional password protection of the whole database file with SQLCipher (the ``sqlcipher3`` wheel).

An encrypted database is opened with the password held in this process: the
command line's ``--password-file`` and the window's password prompt set it, and
a ``DEBTKEEPER_PASSWORD`` the person put in the environment is taken from there
once and removed, so that no program DebtKeeper starts inherits it. Encrypting
writes a new encrypted copy through ``sqlcipher_export``; the plain file is left
for the person to delete once they have checked the copy. A lost password cannot
be recovered: nobody, this program included, can open the file without it.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing, suppress
from pathlib import Path
from types import ModuleType
from typing import Any

from resources.i18n import N_
from storage.errors import KnownDatabaseError

PASSWORD_ENV = "DEBTKEEPER_PASSWORD"
SQLITE_MAGIC = b"SQLite format 3\x00"


class EncryptionError(KnownDatabaseError):
    """Encryption is unavailable, or the password is missing or wrong."""


def module() -> ModuleType | None:
    """The SQLCipher DB-API module, or None when the wheel is not installed."""
    try:
        import sqlcipher3  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    return sqlcipher3.dbapi2  # type: ignore[no-any-return]


# The password for protected databases, in this process only: never in os.environ, which every
# program started from here (notify-send, a file manager, a print helper) would inherit.
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


def is_encrypted(path: Path) -> bool:
    """True for a non-empty file that does not start as plain SQLite does (SQLCipher's pages are random)."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    return len(head) == len(SQLITE_MAGIC) and head != SQLITE_MAGIC


def _quoted(secret: str) -> str:
    return "'" + secret.replace("'", "''") + "'"


def apply_key(dbapi_connection: Any, secret: str) -> None:
    """Key a fresh SQLCipher connection (must come before anything else on it)."""
    dbapi_connection.execute("PRAGMA cipher_log_level = NONE")  # its own log would go to stderr
    dbapi_connection.execute(f"PRAGMA key = {_quoted(secret)}")


def connect(path: Path | str, *, keyed: bool, uri: bool = False) -> Any:
    """A DB-API connection: plain sqlite3, or (``keyed``) SQLCipher keyed with the password."""
    if not keyed:
        return sqlite3.connect(path, uri=uri)
    cipher, secret = require(Path(path))
    conn = cipher.connect(str(path), uri=uri)
    apply_key(conn, secret)
    return conn


def require(path: Path) -> tuple[ModuleType, str]:
    """The SQLCipher module and password to open an encrypted file, or a clear error."""
    cipher = module()
    if cipher is None:
        raise EncryptionError(N_("This database is protected with a password, and this DebtKeeper was "
                                 "installed without encryption support (sqlcipher3) ({path})."),
                              path=str(path))
    secret = password()
    if secret is None:
        raise EncryptionError(N_("This database is protected with a password: give it with --password-file "
                                 "or DEBTKEEPER_PASSWORD ({path})."), path=str(path))
    return cipher, secret


def check_password(path: Path) -> None:
    """Raise EncryptionError when the password does not open the encrypted file."""
    cipher, secret = require(path)
    with closing(cipher.connect(str(path))) as conn:
        apply_key(conn, secret)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except cipher.DatabaseError as exc:
            raise EncryptionError(
                N_("The password does not open this database, or the file is damaged ({path})."),
                path=str(path)) from exc


def encrypt_copy(plain: Path, out: Path, secret: str) -> Path:
    """Write an encrypted copy of the plain database ``plain`` at ``out`` (0600); ``out`` must not exist."""
    cipher = module()
    if cipher is None:
        raise EncryptionError(N_("Password protection needs the sqlcipher3 package, which is not installed."))
    if not secret:
        raise EncryptionError(N_("The password must not be empty."))
    out = Path(out)
    if out.exists():
        raise EncryptionError(N_("{path} exists already: choose a new file name."), path=str(out))
    try:
        os.close(os.open(out, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        with closing(cipher.connect(str(plain))) as conn:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"ATTACH DATABASE ? AS encrypted KEY {_quoted(secret)}", (str(out),))
            conn.execute("SELECT sqlcipher_export('encrypted')")
            conn.execute("DETACH DATABASE encrypted")
    except (OSError, cipher.Error) as exc:
        with suppress(FileNotFoundError):
            out.unlink()
        raise EncryptionError(N_("The encrypted copy cannot be written: {reason} ({path})."),
                              reason=str(exc), path=str(out)) from exc
    return out
