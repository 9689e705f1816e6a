"""Where the database lives by default: the per-user data folder (platformdirs), and the in-memory name.

Apart from ``storage.db`` so that start-up can name the file before SQLAlchemy is imported.
"""

from __future__ import annotations

from pathlib import Path

MEMORY = ":memory:"
APP_NAME = "DebtKeeper"
DB_FILE_NAME = "debtkeeper.sqlite3"


def default_db_path() -> Path:
    """The database in the per-user data folder (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / DB_FILE_NAME


def db_file(db_path: Path | str | None) -> Path | None:
    """The database file a path stands for (None: the per-user default); None for in-memory."""
    if db_path is None:
        return default_db_path()
    if str(db_path) in (MEMORY, ""):
        return None
    return Path(db_path).expanduser()
