"""Which database file a start uses: ``--db``, else ``DEBTKEEPER_DB``, else the per-user data folder.

Only the per-user data folder is created when it is missing (the first start). A file
chosen by name whose folder does not exist is refused: creating folders and an empty
database there would look like lost data to someone who mistyped the path.
"""

from __future__ import annotations

import os
from pathlib import Path

from resources.i18n import N_, tr
from storage.marks import file_marks  # noqa: F401 (what a write changes: the window's second process)

DB_ENV = "DEBTKEEPER_DB"
MEMORY = ":memory:"


def chosen_db_path(flag: Path | str | None) -> Path | None:
    """The database named by ``--db``, else by DEBTKEEPER_DB; None means the per-user default."""
    if flag is not None:
        return Path(flag)
    named = os.environ.get(DB_ENV, "")
    return Path(named) if named.strip() else None


def folder_problem(path: Path | None, flag: Path | str | None = None) -> str | None:
    """Why the folder of a chosen database file cannot hold it (in the current language), or None."""
    if path is None or str(path) == MEMORY:
        return None
    folder = path.parent
    if folder.is_dir():
        return None
    source = "--db" if flag is not None else DB_ENV
    if folder.exists():
        return tr(N_("{source}: {folder} is not a folder."), source=source, folder=str(folder))
    return tr(
        N_(
            "{source}: the folder {folder} does not exist. Create it first, or give a file in a folder "
            "that exists (only the default data folder is created by itself)."
        ),
        source=source,
        folder=str(folder),
    )


def db_file(db_path: Path | str | None) -> Path | None:
    """The database file a path stands for (None: the per-user default); None for in-memory."""
    from storage import location

    return location.db_file(db_path)


def clean_leftovers(db_path: Path | str | None) -> None:
    """Remove what a killed DebtKeeper left behind (staging and temporary copies): at every open."""
    from contextlib import suppress

    from storage import leftovers

    with suppress(OSError):
        leftovers.clean(db_file(db_path))


def first_lock(target: Path) -> object | None:
    """The one-window lock of the database file ``target`` for the window's start, or None when another
    program holds it (the normal opening then says which, in the person's language)."""
    from storage.errors import KnownDatabaseError
    from storage.lock import InstanceLock

    try:
        return InstanceLock(target).acquire()
    except KnownDatabaseError:
        return None
