"""Keeping the person's data safe: automatic backups, restore, one window per database, open problems.

Thin use cases over ``storage.backup`` and ``storage.lock`` for the window and
the command line. Storage problems become ``StorageError`` (a ``UserError``)
with a translated message; ``problem_of`` tells the start-up dialog which way
forward to offer (restore a backup, open another file, open a read-only copy).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fileio.atomic import atomic_copy
from resources.i18n import N_
from services.dbpath import db_file
from services.errors import StorageError
from storage import backup as store
from storage import leftovers
from storage.encryption import EncryptionError
from storage.errors import (
    CorruptDatabaseError,
    DamagedDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    EmptyDatabaseFileError,
    ForeignDatabaseError,
    KnownDatabaseError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    unchanged,
)
from storage.lock import AlreadyOpenError, InstanceLock

if TYPE_CHECKING:
    from services.app import Services
    from services.progress import Progress

PRE_IMPORT = store.PRE_IMPORT
MIN_LENGTH = 4  # SQLCipher takes any non-empty key; a person's password should not be trivially short

# Settings (in the database) that tune how many automatic backups are kept.
KEEP_SETTINGS = store.KEEP_SETTINGS

# What went wrong when a database could not be opened: the start-up dialog offers a way forward for each.
CORRUPT, TOO_NEW, ALREADY_OPEN, LOCKED, READ_ONLY, DISK_FULL, PASSWORD, OTHER = (
    "corrupt",
    "too_new",
    "already_open",
    "locked",
    "read_only",
    "disk_full",
    "password",
    "other",
)
FOREIGN, EMPTY = "foreign", "empty"  # another program's file; a 0-byte file
_KINDS = (
    (EncryptionError, PASSWORD),
    (ForeignDatabaseError, FOREIGN),
    (EmptyDatabaseFileError, EMPTY),
    (CorruptDatabaseError, CORRUPT),
    (SchemaTooNewError, TOO_NEW),
    (AlreadyOpenError, ALREADY_OPEN),
    (DatabaseLockedError, LOCKED),
    (ReadOnlyDatabaseError, READ_ONLY),
    (DiskFullError, DISK_FULL),
)


def problem_of(exc: BaseException) -> str:
    """Which known problem an error (or the storage error behind it) stands for."""
    seen: BaseException | None = exc
    while seen is not None:
        for cls, kind in _KINDS:
            if isinstance(seen, cls):
                return kind
        seen = seen.__cause__
    return OTHER


def _user_error(exc: KnownDatabaseError) -> StorageError:
    error = StorageError(exc.message)
    error.__cause__ = exc
    return error


def _unchanged(exc: BaseException) -> bool:
    """True when the error (or the storage error behind it) is known to have changed nothing."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KnownDatabaseError):
            return seen.unchanged
        seen = seen.__cause__
    return False


class DamagedDataError(StorageError):
    """The database file fails its integrity check: no backup was taken, and the last good one is named."""

    def __init__(self, cause: DamagedDatabaseError, last_good: store.BackupInfo | None) -> None:
        from resources.i18n import format_date

        self.last_good = last_good
        if last_good is None:
            after = _tr("There is no good backup of it.")
        else:
            after = _tr(
                "The last good backup is {backup}, taken {taken}.",
                backup=str(last_good.path),
                taken=format_date(last_good.taken.date()) + " " + last_good.taken.strftime("%H:%M"),
            )
        super().__init__(cause.message + " " + after)
        self.__cause__ = cause


def retention(svc: Services) -> store.Retention:
    """The retention policy, from the database's settings (defaults when unset or not a number)."""
    values: dict[str, int] = {}
    for key, field in KEEP_SETTINGS.items():
        raw = svc.get_setting(key, None)
        if raw is not None and raw.strip().isdigit():
            values[field] = max(store.KEEP_MIN, min(int(raw), store.KEEP_MAX))
    return store.Retention(**values)


def check_sound(svc: Services) -> None:
    """Raise DamagedDataError when the open database fails SQLite's integrity check (quick_check)."""
    db = db_file(svc.path)
    try:
        problems = svc.database.integrity_problems()
    except KnownDatabaseError as exc:
        raise _user_error(unchanged(exc)) from exc  # it only read
    if not problems:
        return
    detail = " ".join(" ".join(problems[0].split()).replace("*** in database main ***", "").split())
    damaged = DamagedDatabaseError(
        N_(
            "Your data file is damaged (integrity check: {detail}): no backup was taken, so that the earlier "
            "backups are kept ({path})."
        ),
        detail=detail[:160],
        path=str(db or svc.path),
    )
    raise DamagedDataError(unchanged(damaged), None if db is None else store.latest_good_backup(db))


def backup_now(
    svc: Services, reason: str = store.MANUAL, out: Path | None = None, now: datetime | None = None
) -> Path:
    """Back the open database up (into its backups folder unless ``out``), then rotate the folder.

    A database that fails its integrity check is not backed up (DamagedDataError):
    a copy of it would count as a backup and push the good ones out of the rotation.
    """
    db = db_file(svc.path)
    if db is None:
        if out is None:
            raise StorageError(_tr("An in-memory database has no file to back up."))
        return svc.backup(out)
    policy = retention(svc)
    check_sound(svc)
    try:
        written = store.take_backup(db, reason, now, out)
        store.rotate(db, policy, good=written)
    except KnownDatabaseError as exc:
        raise _user_error(unchanged(exc)) from exc  # only read from the database
    return written


def import_backup_path(svc: Services, now: datetime | None = None) -> Path:
    """Where the backup taken before an import goes (the backups folder beside the database)."""
    return store.backup_path(Path(svc.path), store.PRE_IMPORT, now or datetime.now())


def prepare_import(
    svc: Services, *, replace: bool = False, backup_to: Path | None = None
) -> Callable[[], Path] | None:
    """Before an export is put in place of everything stored: an empty database takes it; one that
    holds anything is refused (ConflictError) unless ``replace``, and then backed up first (to
    ``backup_to``). Returns that backup, for the caller to take once the file has been checked
    (None when none is needed)."""
    from services.errors import ConflictError

    if svc.is_empty():
        return None
    if not replace:
        raise ConflictError(
            _tr("The database is not empty: use --replace to replace it (a backup is taken first).")
        )
    if backup_to is None:
        return None
    return lambda: backup_now(svc, PRE_IMPORT, out=backup_to)


def daily_backup(svc: Services, now: datetime | None = None) -> Path | None:
    """The start-up backup: taken when none was taken today; None when one exists already."""
    db = db_file(svc.path)
    if db is None or not db.exists():
        return None
    moment = now or datetime.now()
    if any(b.taken.date() == moment.date() for b in store.list_backups(db)):
        return None
    return backup_now(svc, store.DAILY, now=moment)


def list_backups(db_path: Path | str | None) -> list[store.BackupInfo]:
    db = db_file(db_path)
    return [] if db is None else store.list_backups(db)


def verify(path: Path) -> store.Verified:
    try:
        return store.verify_backup(Path(path))
    except KnownDatabaseError as exc:
        raise _user_error(exc) from exc


def lock(db_path: Path | str | None) -> InstanceLock | None:
    """Take this database's one-window lock (None for in-memory); StorageError when another has it."""
    db = db_file(db_path)
    if db is None:
        return None
    try:
        return InstanceLock(db).acquire()
    except KnownDatabaseError as exc:
        raise _user_error(exc) from exc


def restore(
    db_path: Path | str | None, source: Path, *, locked: bool = False, now: datetime | None = None
) -> tuple[store.Verified, Path | None]:
    """Replace the database file with a verified backup; returns it and the safety copy of the old file.

    Takes the one-window lock unless the caller holds it (``locked``): a file
    another window has open is never swapped under it.
    """
    db = db_file(db_path)
    if db is None:
        raise StorageError(_tr("An in-memory database cannot be restored."))
    try:
        store.refuse_read_only(db)  # before the lock file is made: a read-only folder stays as it was
    except KnownDatabaseError as exc:
        raise _user_error(exc) from exc
    held = None if locked else lock(db)
    try:
        return store.restore_backup(db, Path(source), now)
    except KnownDatabaseError as exc:
        raise _user_error(exc) from exc
    finally:
        if held is not None:
            held.release()


def restore_open(
    svc: Services, source: Path, progress: Progress | None = None
) -> tuple[Services, Path | None]:
    """Restore under an open ``Services`` (the window): closes it, restores, returns the reopened one.

    A JSON export is restored row by row instead (one transaction, safety backup first; ``progress``
    follows it).
    On any failure the database is left as it was and reopened.
    """
    source = Path(source)
    if source.suffix.lower() == ".json":
        from services.importing import load_export

        backup = import_backup_path(svc)
        try:
            fh = source.open("rb")  # before the backup: a file that cannot be read changes nothing
        except OSError as exc:
            raise StorageError(
                _tr("Cannot read {path}: {reason}", path=str(source), reason=exc.strerror or str(exc))
            ) from None
        with fh:
            load_export(svc, fh, progress, prepare_import(svc, replace=True, backup_to=backup))
        return svc, backup
    current = db_file(svc.path)
    if current is not None and source.resolve() == current.resolve():
        raise StorageError(
            _tr("{path} is the data file that is open now: choose a backup of it instead.", path=str(source))
        )
    verify(source)  # before closing anything
    path = svc.path
    svc.close()
    try:
        _verified, safety = restore(path, source, locked=True)
    except BaseException as exc:
        # The file is as it was; the caller gets it open again with the error (reopened_after).
        exc.reopened = type(svc).open(path)  # type: ignore[attr-defined]
        raise
    return type(svc).open(path), safety


def reopened_after(exc: BaseException) -> Services | None:
    """The database ``restore_open`` opened again after failing (its ``svc`` is closed), if any."""
    reopened = getattr(exc, "reopened", None)
    return reopened if reopened is not None else None


def read_only_copy(db_path: Path) -> Path:
    """A private copy of a database that cannot be written where it is, to look at (changes are not kept).

    It lives in a temporary folder until the program ends (and is removed at a later start if the
    program was killed: storage.leftovers)."""
    try:
        folder = leftovers.lasting_temp_folder("readonly")
        copy = atomic_copy(db_path, folder / Path(db_path).name)
    except OSError as exc:
        raise StorageError(
            _tr("Cannot read {path}: {reason}", path=str(db_path), reason=exc.strerror or str(exc))
        ) from None
    return copy


def last_backup(db_path: Path | str | None) -> store.BackupInfo | None:
    db = db_file(db_path)
    return None if db is None else store.latest_good_backup(db)


def way_forward(exc: BaseException, db_path: Path | str | None) -> str:
    """One sentence for the command line: what the person can do about a storage problem ("" if nothing).

    It says that nothing was changed only when the error is known to have changed nothing.
    """
    kind = problem_of(exc)
    untouched = _unchanged(exc)
    said = [_tr("Your file was not changed.")] if untouched else []
    password_hint = _tr("If it is protected with a password, give it with --password-file.")
    if kind == PASSWORD:
        return password_hint
    if kind == FOREIGN:
        return " ".join([*said, _tr("Check the path given with --db.")])
    if kind in (CORRUPT, EMPTY):
        good = exc.last_good if isinstance(exc, DamagedDataError) else last_backup(db_path)
        if good is None:
            said.append(_tr("There is no automatic backup of it: use --db to open another file."))
        else:
            said.append(
                _tr(
                    "To restore the last good backup: main.py restore {backup} --db {db}",
                    backup=str(good.path),
                    db=str(db_file(db_path)),
                )
            )
        if kind == EMPTY:
            said.append(_tr("To start a new data file, give --db a path where no file exists yet."))
        # Random-looking bytes may be a password-protected file rather than a damaged one.
        if kind == CORRUPT and needs_password(db_path):
            said.append(password_hint)
        return " ".join(said)
    if kind == READ_ONLY:
        return _tr(
            "Copy the file to a folder you can write to and use --db, "
            "or open it in the window as a read-only copy."
        )
    if kind in (DISK_FULL, LOCKED) and untouched:
        return _tr("Nothing was changed.")
    return ""


_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\n|$)", re.S)
_LONG_NUMBER = re.compile(r"\d{6,}")  # phone, card, account and ID numbers; line numbers are shorter
_EXCEPTION_LINE = re.compile(r"^(?P<name>[A-Za-z_][\w.]*): (?P<msg>.+)$")


def redact_report(text: str) -> str:
    """A crash report without personal data: no values bound to SQL, no exception messages (they may
    quote names, notes or amounts), no long numbers, the home folder shown as ~. The code path stays."""
    text = _PARAMETERS.sub("[parameters: (hidden)]", text)
    home = str(Path.home())
    if len(home) > 1:
        text = text.replace(home, "~")
    lines = []
    for raw in text.splitlines():
        match = _EXCEPTION_LINE.match(raw)
        line = f"{match['name']}: (message hidden, {len(match['msg'])} characters)" if match else raw
        lines.append(_LONG_NUMBER.sub(lambda m: "#" * len(m.group()), line))
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def use_password_file(path: Path) -> None:
    """Open protected databases with the password in this file (first line)."""

    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(
            _tr(
                "Cannot read {path}: {reason}",
                path=str(path),
                reason=getattr(exc, "strerror", None) or str(exc),
            )
        ) from None
    if not lines or not lines[0]:
        raise StorageError(_tr("The password file is empty ({path}).", path=str(path)))
    use_password(lines[0])


def use_password(secret: str | None) -> None:
    """The password for protected databases in this process (the window asks for it).

    Held in this process only, never in the environment that programs started from here inherit.
    """
    from storage.encryption import set_password

    set_password(secret)


def take_password_from_environment() -> None:
    """A ``DEBTKEEPER_PASSWORD`` the person set is kept in this process and taken out of the environment,
    so that no program started from here inherits it (call it first thing)."""
    from storage.encryption import take_password_from_environment as take

    take()


def encryption_available() -> bool:
    from storage import encryption

    return encryption.module() is not None


def needs_password(db_path: Path | str | None) -> bool:
    """True when the file looks encrypted and SQLCipher is here to open it."""
    from storage import encryption

    db = db_file(db_path)
    return db is not None and encryption_available() and encryption.is_encrypted(db)


def encrypt(db_path: Path | str | None, out: Path) -> Path:
    """A password-protected copy of the database at ``out`` (password from --password-file / the window)."""
    from storage import encryption

    db = db_file(db_path)
    secret = encryption.password()
    if db is None or not db.exists():
        raise StorageError(_tr("There is no database file to protect."))
    if secret is None:
        raise StorageError(_tr("Give the new password with --password-file or DEBTKEEPER_PASSWORD."))
    if len(secret) < MIN_LENGTH:  # the window's rule (services.protection.check_new_password)
        raise StorageError(
            _tr("The new password is too short: use at least {count} characters.", count=MIN_LENGTH)
        )
    if encryption.is_encrypted(db):
        raise StorageError(_tr("This database is protected with a password already."))
    try:
        return encryption.encrypt_copy(db, Path(out), secret)
    except KnownDatabaseError as exc:
        raise _user_error(exc) from exc


def _tr(msgid: str, **params: object) -> str:
    from resources.i18n import tr

    return tr(msgid, None, **params)
