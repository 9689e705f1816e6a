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
