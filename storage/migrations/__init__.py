"""Alembic migrations of the database schema, run programmatically (no alembic.ini).

``REVISIONS`` lists every revision oldest first; opening a database compares its
stored revision with ``HEAD`` without importing Alembic, so start-up pays for
Alembic only when a migration is needed. A test checks these match the scripts
in ``versions/`` and that every revision has a saved sample database.
"""

from __future__ import annotations

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent
REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004")
HEAD = REVISIONS[-1]
