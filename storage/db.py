"""Opening the database: file permissions, SQLite settings, schema upgrades, backups.

``open_database(path)`` creates the file readable by its owner only (0600, in a
0700 folder), turns on WAL, foreign keys and a busy timeout on every
connection, and brings the schema to the newest Alembic revision. Alembic is
imported only when the stored revision differs from ``HEAD`` (it costs ~0.4 s
of start-up). A database written by a newer DebtKeeper is refused.

An existing file is looked at read-only before any of that (turning on WAL is
a write): another program's SQLite file, a 0-byte file or something that is not
a file at all is refused untouched. Only a path where no file existed becomes a
new database. An existing database that others could read is made private
(0600, with its -wal and -shm) and the person is told (``Database.notices``).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from resources.i18n import N_, tr
from storage import live
from storage.errors import (
    CorruptDatabaseError,
    DiskIOError,
    EmptyDatabaseFileError,
    ForeignDatabaseError,
    KnownDatabaseError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    known_error,
    unchanged,
)
from storage.location import MEMORY, default_db_path
from storage.migrations import HEAD, MIGRATIONS, REVISIONS

BUSY_TIMEOUT_MS = 5000
OUR_TABLES = frozenset({"alembic_version", "debts", "payments"})  # what makes an SQLite file ours


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


READING = "debtkeeper_reading"  # execution option: this transaction only reads


def _on_begin(connection: Any) -> None:
    # IMMEDIATE: take the write lock at the start. A deferred transaction that has read and
    # then writes while another process writes gets "database is locked" at once (SQLite
    # skips the busy handler to avoid deadlock); an immediate one waits the busy timeout.
    # A transaction that only reads takes no write lock at all: in WAL mode it reads a
    # snapshot while another process writes.
    if connection.get_execution_options().get(READING):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _on_begin_read_only(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")  # a reader never takes the write lock


class Database:
    """One open database: an engine and a session per unit of work."""

    def __init__(
        self, engine: Engine, path: str, read_only: bool = False, *, encrypted: bool = False
    ) -> None:
        self.engine = engine
        self.path = path
        self.read_only = read_only  # opened by open_read_only: every write fails
        self.encrypted = encrypted  # learnt before the first connection (storage.live says why)
        self.notices: list[str] = []  # what the person should be told once about opening it
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._live = path != MEMORY
        if self._live:
            live.opened(path, encrypted=encrypted)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error."""
        session = self._sessions()
        try:
            with translate_errors(self.path), session.begin():
                yield session
        except KnownDatabaseError as exc:
            if not isinstance(exc, DiskIOError):  # after a failed fsync SQLite cannot promise it
                unchanged(exc)  # the transaction was rolled back
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for a unit of work that only reads: one consistent snapshot, no write lock."""
        session = self._sessions()
        try:
            with translate_errors(self.path), session.begin():
                session.connection(execution_options={READING: True})
                yield session
        finally:
            session.close()

    def integrity_problems(self) -> list[str]:
        """What ``PRAGMA quick_check`` finds wrong in the database file; [] when it is sound.

        Through this database's own connection (no other way into the file while
        it is open), outside any transaction, so it never holds the write lock.
        """
        raw = self.engine.raw_connection()
        try:
            conn = raw.driver_connection
            assert conn is not None
            rows = [str(row[0]) for row in conn.execute("PRAGMA quick_check").fetchall()]
        except Exception as exc:  # sqlite3's errors, or SQLCipher's (a separate hierarchy)
            known = known_error(exc, self.path)
            if isinstance(known, CorruptDatabaseError):
                return [str(exc)]
            if known is None:
                raise
            raise known from exc
        finally:
            raw.close()
        return [] if rows == ["ok"] else rows

    def revision(self) -> str | None:
        with translate_errors(self.path), self.engine.connect() as conn:
            return _stored_revision(conn.execution_options(**{READING: True}))

    def backup(self, target: Path) -> Path:
        """A consistent copy through SQLite's online backup API (safe while in use), whole or absent."""
        from fileio.atomic import atomic_path, private_folder

        target = Path(target)
        raw = self.engine.raw_connection()
        try:
            private_folder(target.parent)
            with (
                translate_errors(str(target)),
                atomic_path(target) as partial,
                closing(sqlite3.connect(partial)) as destination,
            ):
                raw.driver_connection.backup(destination)  # type: ignore[union-attr]
                destination.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        except OSError as exc:
            raise KnownDatabaseError(
                N_("The backup cannot be written: {reason} ({path})."),
                reason=exc.strerror or str(exc),
                path=str(target),
            ) from exc
        finally:
            raw.close()
        return target

    def close(self) -> None:
        self.engine.dispose()
        if self._live:
            self._live = False
            live.closed(self.path)


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
                path=str(conn.engine.url.database),
            )
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


def _file_url(file: Path) -> URL:
    """The URL of a database file whose name is taken as it is (a "?" or "#" in it is no query)."""
    return URL.create("sqlite", database=str(file))


def _engine_for(file: Path) -> tuple[Engine, bool]:
    """A plain SQLite engine, or for a password-protected file a SQLCipher one that keys each connection.

    Also says whether the file is encrypted: that is looked at here, before any connection.
    """
    from storage import encryption

    if not encryption.is_encrypted(file) or encryption.password() is None:
        return create_engine(_file_url(file)), False  # without a password, garbage reads as damaged
    encryption.check_password(file)  # a wrong or missing password is a clear message, not "damaged"
    cipher, secret = encryption.require(file)
    engine = create_engine(_file_url(file), module=cipher)
    event.listen(engine, "connect", lambda conn, _record: encryption.apply_key(conn, secret), insert=True)
    return engine, True


def _read_only_engine(file: Path, immutable: bool) -> tuple[Engine, bool]:
    """An engine that can only read ``file`` (SQLite URI ``mode=ro``; ``immutable=1`` besides).

    ``mode=ro`` still needs the ``-shm`` file beside a WAL database, which a
    read-only folder cannot hold; ``immutable=1`` reads the main file alone.
    """
    from urllib.parse import quote

    from storage import encryption

    query = {"mode": "ro", "uri": "true", **({"immutable": "1"} if immutable else {})}
    url = URL.create("sqlite", database="file:" + quote(str(file.absolute())), query=query)
    if not encryption.is_encrypted(file) or encryption.password() is None:
        return create_engine(url), False
    cipher, secret = encryption.require(file)
    engine = create_engine(url, module=cipher)
    event.listen(engine, "connect", lambda conn, _record: encryption.apply_key(conn, secret), insert=True)
    return engine, True


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
            path=str(file),
        )
    try:
        return _reader(file, immutable=False)
    except ReadOnlyDatabaseError:
        if _has_pending_log(file):
            raise
        return _reader(file, immutable=True)


def _reader(file: Path, immutable: bool) -> Database:
    engine, encrypted = _read_only_engine(file, immutable)
    event.listen(engine, "connect", _on_connect_read_only)
    event.listen(engine, "begin", _on_begin_read_only)
    database = Database(engine, str(file), read_only=True, encrypted=encrypted)
    try:
        revision = database.revision()
        if revision != HEAD:
            if revision is not None and revision not in REVISIONS:
                raise SchemaTooNewError(
                    N_(
                        "This database was written by a newer version of DebtKeeper (schema {revision}): "
                        "update DebtKeeper to open it ({path})."
                    ),
                    revision=revision,
                    path=str(file),
                )
            # An older schema would have to be upgraded, and that writes.
            raise ReadOnlyDatabaseError(
                N_("The database file cannot be written: check its permissions ({path})."), path=str(file)
            )
    except BaseException:
        database.close()
        raise
    return database


def _too_new(revision: str, path: str) -> SchemaTooNewError:
    return SchemaTooNewError(
        N_(
            "This database was written by a newer version of DebtKeeper (schema {revision}): "
            "update DebtKeeper to open it ({path})."
        ),
        revision=revision,
        path=path,
    )


def _refuse_unless_ours(file: Path) -> None:
    """Refuse an existing file that is not a DebtKeeper database, before any connection of ours opens it.

    Opening turns on WAL, which writes to the file: another program's SQLite
    file is refused before that, and so are a 0-byte file (the person may have
    named the wrong file; a new database is made only where no file exists)
    and anything that is not a regular file. The schema is read through SQLite
    with ``mode=ro``, which writes nothing. A file SQLite cannot read at all
    (damaged, or password-protected) is left to the usual opening to report.
    """
    display = str(file)
    try:
        info = file.stat()
    except OSError as exc:
        raise unchanged(
            KnownDatabaseError(
                N_("The database file cannot be opened: {reason} ({path})."),
                reason=exc.strerror or str(exc),
                path=display,
            )
        ) from exc
    if not stat.S_ISREG(info.st_mode):
        raise unchanged(
            ForeignDatabaseError(
                N_(
                    "This is not a data file (it is a folder, a device or a pipe): choose a DebtKeeper data file "
                    "({path})."
                ),
                path=display,
            )
        )
    if info.st_size == 0 and not _has_pending_log(file):
        raise unchanged(
            EmptyDatabaseFileError(
                N_(
                    "The data file is empty (0 bytes): it may not be the file you meant. DebtKeeper starts a new "
                    "data file only where no file exists yet ({path})."
                ),
                path=display,
            )
        )
    from urllib.parse import quote

    try:
        with closing(
            sqlite3.connect(
                f"file:{quote(str(file.absolute()))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
            )
        ) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            row = (
                conn.execute("SELECT max(version_num) FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
    except sqlite3.Error as exc:
        if exc.sqlite_errorcode == sqlite3.SQLITE_NOTADB:
            return  # password-protected, or not SQLite at all: the usual opening says which
        known = known_error(exc, display)
        if known is None:
            raise
        raise unchanged(known) from exc
    revision = None if row is None or row[0] is None else str(row[0])
    if not tables:
        return  # an SQLite file with nothing in it yet: it becomes a new database
    if tables >= OUR_TABLES:
        if revision is not None and revision not in REVISIONS:
            raise unchanged(_too_new(revision, display))
        return
    raise unchanged(
        ForeignDatabaseError(
            N_(
                "This is another program's database, not a DebtKeeper data file: it was left as it is. "
                "Choose your DebtKeeper data file ({path})."
            ),
            path=display,
        )
    )


def _make_private(file: Path) -> str | None:
    """Take group and other permissions away from an existing database and its -wal and -shm.

    Returns the notice to show the person when there were any (None when it was private already).
    """
    widest = 0
    for part in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
        try:
            mode = stat.S_IMODE(part.stat().st_mode)
            if mode & 0o077:
                os.chmod(part, mode & 0o600)
                widest |= mode
        except OSError:
            continue  # gone meanwhile, or not ours to change: claim nothing
    if not widest:
        return None
    return tr(
        "Other people on this computer could read {path} (permissions {old}): it is now readable by "
        "you only ({new}).",
        path=str(file),
        old=f"{widest:04o}",
        new=f"{widest & 0o600:04o}",
    )


def _remove_new_file(file: Path) -> None:
    """Remove a database this call created and could not set up (so it is not left as a 0-byte file)."""
    for part in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
        with suppress(OSError):
            part.unlink()


def open_database(path: Path | str | None = None) -> Database:
    """Open (creating or upgrading) the database at ``path``; None means the per-user one."""
    if path is None:
        path = default_db_path()
    created = False
    notice = None
    if str(path) == MEMORY:
        engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
        display = MEMORY
        encrypted = False
    else:
        file = Path(path).expanduser()
        display = str(file)
        try:
            if not file.exists():
                _create_private_file(file)
                created = True
        except OSError as exc:
            raise KnownDatabaseError(
                N_("The database file cannot be created: {reason} ({path})."),
                reason=exc.strerror or str(exc),
                path=display,
            ) from exc
        if not created:
            _refuse_unless_ours(file)
            notice = _make_private(file)
        engine, encrypted = _engine_for(file)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    database = Database(engine, display, encrypted=encrypted)
    if notice is not None:
        database.notices.append(notice)
    try:
        revision = database.revision()
        if revision != HEAD:
            if revision is not None and revision not in REVISIONS:
                raise _too_new(revision, display)
            if revision is not None and display != MEMORY:
                from storage.backup import PRE_MIGRATION, take_backup

                take_backup(Path(display), PRE_MIGRATION)  # a failed migration must not cost the data
            with translate_errors(display):
                upgrade(engine)
    except BaseException as exc:
        database.close()
        if created:
            _remove_new_file(Path(display))
        if isinstance(exc, KnownDatabaseError) and not isinstance(exc, DiskIOError):
            unchanged(exc)  # read only, or a migration rolled back as one transaction
        raise
    return database
