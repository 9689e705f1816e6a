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

import sqlite3
from contextlib import closing
from pathlib import Path
from types import ModuleType
from typing import Any

from fileio.atomic import atomic_path
from resources.i18n import N_
from storage.errors import KnownDatabaseError
from storage.secret import PASSWORD_ENV, password, set_password, take_password_from_environment

__all__ = [
    "PASSWORD_ENV",
    "EncryptionError",
    "password",
    "set_password",
    "take_password_from_environment",
]

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


def is_encrypted(path: Path) -> bool:
    """True for a non-empty file that does not start as plain SQLite does (SQLCipher's pages are random).

    A file this process has open through SQLite is never opened again to look (storage.live says
    why): the answer learnt before its first connection is used.
    """
    from storage import live

    known = live.lookup(path)
    if known is not None:
        return known.encrypted
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
        raise EncryptionError(
            N_(
                "This database is protected with a password, and this DebtKeeper was "
                "installed without encryption support (sqlcipher3) ({path})."
            ),
            path=str(path),
        )
    secret = password()
    if secret is None:
        raise EncryptionError(
            N_(
                "This database is protected with a password: give it with --password-file "
                "or DEBTKEEPER_PASSWORD ({path})."
            ),
            path=str(path),
        )
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
                path=str(path),
            ) from exc


def _row_counts(conn: Any, schema: str) -> dict[str, int]:
    """Rows in each table of ``schema`` ("main" or an attached name)."""
    names = [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
    return {
        name: int(conn.execute(f"SELECT count(*) FROM {schema}.{q}").fetchone()[0])
        for name, q in quoted.items()
    }


def _check_copy(cipher: ModuleType, copy: Path, secret: str, expected: dict[str, int], shown: Path) -> None:
    """The encrypted copy opens with the password, is intact, and holds the rows of its source."""
    try:
        with closing(cipher.connect(str(copy))) as conn:
            apply_key(conn, secret)
            intact = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            counts = _row_counts(conn, "main")
    except cipher.Error:
        intact, counts = False, {}
    if not intact or counts != expected:
        raise EncryptionError(
            N_(
                "The encrypted copy did not pass its check (it must open with the password "
                "and hold every row of the database), so it was not kept ({path})."
            ),
            path=str(shown),
        )


def encrypt_copy(plain: Path, out: Path, secret: str) -> Path:
    """Write an encrypted copy of the plain database ``plain`` at ``out`` (0600); ``out`` must not exist.

    The copy is written under a temporary name beside ``out`` (fileio.atomic) and
    checked there: it opens with the password, its integrity check is ok, and each
    table holds as many rows as in ``plain`` at the moment it was copied (counted in
    the same read transaction). Only then is it given the name ``out``, so whatever
    stops the program, ``out`` is the whole checked copy or does not exist.
    """
    cipher = module()
    if cipher is None:
        raise EncryptionError(N_("Password protection needs the sqlcipher3 package, which is not installed."))
    if not secret:
        raise EncryptionError(N_("The password must not be empty."))
    out = Path(out)
    if out.exists():
        raise EncryptionError(N_("{path} exists already: choose a new file name."), path=str(out))
    from storage.backup import copy_database
    from storage.leftovers import temp_folder

    try:
        with atomic_path(out, overwrite=False) as partial, temp_folder("encrypt") as folder:
            # SQLCipher bundles its own SQLite: opening the live file with it and closing it again would
            # drop the locks the program's own connection holds (storage.live). Export from a private
            # snapshot taken through the plain library instead; the snapshot goes with its folder (and a
            # folder left by a killed process is removed at the next start: storage.leftovers).
            snapshot = copy_database(Path(plain), Path(folder) / "snapshot.sqlite3")
            with closing(cipher.connect(str(snapshot))) as conn:
                conn.isolation_level = None  # explicit transactions only (ATTACH cannot run inside one)
                conn.execute("PRAGMA cipher_log_level = NONE")
                conn.execute(f"ATTACH DATABASE ? AS encrypted KEY {_quoted(secret)}", (str(partial),))
                conn.execute("BEGIN")  # one snapshot of the source for the copy and its row counts
                expected = _row_counts(conn, "main")
                conn.execute("SELECT sqlcipher_export('encrypted')")
                conn.execute("COMMIT")
                conn.execute("DETACH DATABASE encrypted")
            _check_copy(cipher, partial, secret, expected, out)
    except FileExistsError as exc:
        raise EncryptionError(N_("{path} exists already: choose a new file name."), path=str(out)) from exc
    except EncryptionError:
        raise
    except (OSError, KnownDatabaseError, cipher.Error) as exc:
        raise EncryptionError(
            N_("The encrypted copy cannot be written: {reason} ({path})."), reason=str(exc), path=str(out)
        ) from exc
    return out
