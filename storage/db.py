"""Opening the database: file permissions, SQLite settings, schema upgrades, backups.

``open_database(path)`` creates the file readable by its owner only (0600, in a
0700 folder), turns on WAL, foreign keys and a busy timeout on every
connection, and brings the schema to the newest Alembic revision. Alembic is
imported only when the stored revision differs from ``HEAD`` (it costs ~0.4 s
of start-up). A database written by a newer DebtKeeper is refused.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from resources.i18n import N_
from storage.errors import (
    CorruptDatabaseError,
    KnownDatabaseError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    known_error,
)
from storage.migrations import HEAD, MIGRATIONS, REVISIONS

MEMORY = ":memory:"
APP_NAME = "DebtKeeper"
DB_FILE_NAME = "debtkeeper.sqlite3"
BUSY_TIMEOUT_MS = 5000


def default_db_path() -> Path:
    """The database in the per-user data folder (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / DB_FILE_NAME


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only (and its folder)."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # the umask may have taken bits away, never added: be explicit


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 (before 3.12) begins transactions only before DML, so schema
    # changes would run outside them: take transaction control (BEGIN in _on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _on_connect_read_only(dbapi_connection: Any, _record: Any) -> None:
    # No journal_mode change: that is a write, and the file keeps whatever mode it has.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _on_begin(connection: Any) -> None:
    # IMMEDIATE: take the write lock at the start. A deferred transaction that has read and
    # then writes while another process writes gets "database is locked" at once (SQLite
    # skips the busy handler to avoid deadlock); an immediate one waits the busy timeout.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _on_begin_read_only(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")  # a reader never takes the write lock


class Database:
    """One open database: an engine and a session per unit of work."""

    def __init__(self, engine: Engine, path: str, read_only: bool = False) -> None:
        self.engine = engine
        self.path = path
        self.read_only = read_only  # opened by open_read_only: every write fails
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error."""
        session = self._sessions()
        try:
            with translate_errors(self.path), session.begin():
                yield session
        finally:
            session.close()

    def revision(self) -> str | None:
        with translate_errors(self.path), self.engine.connect() as conn:
            return _stored_revision(conn)

    def backup(self, target: Path) -> Path:
        """A consistent copy through SQLite's online backup API (safe while in use)."""
        target = Path(target)
        partial = target.with_name(target.name + ".partial")
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if partial.exists():
                partial.unlink()
            _create_private_file(partial)
        except OSError as exc:
            raise KnownDatabaseError(N_("The backup cannot be written: {reason} ({path})."),
                                     reason=exc.strerror or str(exc), path=str(target)) from exc
        raw = self.engine.raw_connection()
        try:
            with translate_errors(str(target)):
                destination = sqlite3.connect(partial)
                try:
                    raw.driver_connection.backup(destination)  # type: ignore[union-attr]
                    destination.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
                finally:
                    destination.close()
            os.replace(partial, target)
        finally:
            raw.close()
            if partial.exists():
                partial.unlink()
        return target

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def translate_errors(path: str) -> Iterator[None]:
    """Turn SQLite errors caused by the environment into known errors; bugs pass through."""
    try:
        yield
    except DBAPIError as exc:
        known = known_error(exc, path)
        if known is None:
            raise
        raise known from exc
    except sqlite3.Error as exc:
        known = known_error(exc, path)
        if known is None:
            raise
        raise known from exc


def _stored_revision(conn: Any) -> str | None:
    tables = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    if "alembic_version" not in tables:
        if tables:
            raise CorruptDatabaseError(
                N_("This file is not a DebtKeeper database, or it is damaged: restore a backup ({path})."),
                path=str(conn.engine.url.database))
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def upgrade(engine: Engine) -> None:
    """Run Alembic up to HEAD on this engine (imported here: it is slow to import)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        # Batch migrations copy and drop tables; with foreign keys on, dropping a
        # parent would cascade-delete its children. Off while migrating (the pragma
        # only works outside a transaction), and every row checked before commit.
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left rows pointing nowhere: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def _engine_for(file: Path) -> Engine:
    """A plain SQLite engine, or for a password-protected file a SQLCipher one that keys each connection."""
    from storage import encryption

    if not encryption.is_encrypted(file) or encryption.password() is None:
        return create_engine(f"sqlite:///{file}")  # without a password, garbage reads as damaged
    encryption.check_password(file)  # a wrong or missing password is a clear message, not "damaged"
    cipher, secret = encryption.require(file)
    engine = create_engine(f"sqlite:///{file}", module=cipher)
    event.listen(engine, "connect", lambda conn, _record: encryption.apply_key(conn, secret), insert=True)
    return engine


def _read_only_engine(file: Path, immutable: bool) -> Engine:
    """An engine that can only read ``file`` (SQLite URI ``mode=ro``; ``immutable=1`` besides).

    ``mode=ro`` still needs the ``-shm`` file beside a WAL database, which a
    read-only folder cannot hold; ``immutable=1`` reads the main file alone.
    """
    from urllib.parse import quote

    from sqlalchemy import URL

    from storage import encryption

    query = {"mode": "ro", "uri": "true", **({"immutable": "1"} if immutable else {})}
    url = URL.create("sqlite", database="file:" + quote(str(file.absolute())), query=query)
    if not encryption.is_encrypted(file) or encryption.password() is None:
        return create_engine(url)
    cipher, secret = encryption.require(file)
    engine = create_engine(url, module=cipher)
    event.listen(engine, "connect", lambda conn, _record: encryption.apply_key(conn, secret), insert=True)
    return engine


def _has_pending_log(file: Path) -> bool:
    """True when a write-ahead log beside the file holds changes not yet in the file itself."""
    try:
        return file.with_name(file.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def open_read_only(path: Path | str) -> Database:
    """Open an existing database for reading only: for a file, or a folder, that cannot be written.

    First ``mode=ro``; when even that cannot open it (a read-only folder, where
    SQLite cannot create the ``-shm`` file), ``immutable=1`` — unless a
    write-ahead log holds changes that reading the file alone would miss. A
    database that needs a schema upgrade cannot be opened this way.
    """
    file = Path(path).expanduser()
    if not file.is_file():
        raise ReadOnlyDatabaseError(
            N_("The database file cannot be opened: check the folder and its permissions ({path})."),
            path=str(file))
    try:
        return _reader(file, immutable=False)
    except ReadOnlyDatabaseError:
        if _has_pending_log(file):
            raise
        return _reader(file, immutable=True)


def _reader(file: Path, immutable: bool) -> Database:
    engine = _read_only_engine(file, immutable)
    event.listen(engine, "connect", _on_connect_read_only)
    event.listen(engine, "begin", _on_begin_read_only)
    database = Database(engine, str(file), read_only=True)
    try:
        revision = database.revision()
        if revision != HEAD:
            if revision is not None and revision not in REVISIONS:
                raise SchemaTooNewError(
                    N_("This database was written by a newer version of DebtKeeper (schema {revision}): "
                       "update DebtKeeper to open it ({path})."),
                    revision=revision, path=str(file))
            # An older schema would have to be upgraded, and that writes.
            raise ReadOnlyDatabaseError(
                N_("The database file cannot be written: check its permissions ({path})."), path=str(file))
    except BaseException:
        engine.dispose()
        raise
    return database


def refuse_special_file(file: Path) -> None:
    """Refuse a path that exists but is not a regular file: a pipe (opening it would wait forever for
    a writer), a device such as /dev/zero, a socket or a folder. Only the path is looked at."""
    try:
        mode = file.stat().st_mode
    except OSError:
        return  # absent (it will be created) or unreachable: opening it says why
    if not stat.S_ISREG(mode):
        raise KnownDatabaseError(
            N_("This is not a database file but a device, a pipe or a folder: choose a DebtKeeper "
               "database file ({path})."), path=str(file))


def open_database(path: Path | str | None = None) -> Database:
    """Open (creating or upgrading) the database at ``path``; None means the per-user one."""
    if path is None:
        path = default_db_path()
    if str(path) != MEMORY:
        refuse_special_file(Path(path).expanduser())
    if str(path) == MEMORY:
        engine = create_engine("sqlite://", poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
        display = MEMORY
    else:
        file = Path(path).expanduser()
        display = str(file)
        try:
            if not file.exists():
                _create_private_file(file)
        except OSError as exc:
            raise KnownDatabaseError(
                N_("The database file cannot be created: {reason} ({path})."),
                reason=exc.strerror or str(exc), path=display) from exc
        engine = _engine_for(file)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    database = Database(engine, display)
    try:
        revision = database.revision()
        if revision != HEAD:
            if revision is not None and revision not in REVISIONS:
                raise SchemaTooNewError(
                    N_("This database was written by a newer version of DebtKeeper (schema {revision}): "
                       "update DebtKeeper to open it ({path})."),
                    revision=revision, path=display)
            if revision is not None and display != MEMORY:
                from storage.backup import PRE_MIGRATION, take_backup

                take_backup(Path(display), PRE_MIGRATION)  # a failed migration must not cost the data
            with translate_errors(display):
                upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return database
