"""Opening databases: permissions, SQLite settings, known errors, schema revisions."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from domain.debts import Debt, DebtKind, Method
from storage import db as storage_db
from storage.db import open_database
from storage.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyDatabaseError,
    SchemaTooNewError,
    known_error,
)
from storage.migrations import HEAD, MIGRATIONS, REVISIONS
from storage.models import DebtRow, LenderRow, debt_fill_row
from storage.rows import read_debts
from tests.storage.sample_db import sample_path

DEBT = Debt(
    name="Card",
    lender="Bank",
    kind=DebtKind.CREDIT_CARD,
    principal=Decimal("1234.56"),
    start_date=date(2026, 1, 15),
    method=Method.REVOLVING,
    months=12,
    rate=Decimal("0.050"),
)


def _add_debt(database):
    with database.transaction() as s:
        lender = LenderRow(name="Bank", kind="credit_card", phone="", address="", account_number="")
        s.add(debt_fill_row(DebtRow(), DEBT, lender))


@pytest.mark.parametrize("where", ["memory", "disk"])
def test_round_trip_keeps_money_and_rates_exact(where, tmp_path):
    database = open_database(":memory:" if where == "memory" else tmp_path / "d.sqlite3")
    _add_debt(database)
    with database.transaction() as s:
        row = s.scalars(select(DebtRow)).one()
        raw = s.execute(text("SELECT principal, rate, typeof(principal), typeof(rate) FROM debts")).one()
        (debt,) = read_debts(s.connection()).values
    assert (row.principal, row.rate) == (Decimal("1234.56"), Decimal("0.05"))
    assert tuple(raw) == (123456, "0.05", "integer", "text")
    assert debt.principal == Decimal("1234.56") and debt.rate == Decimal("0.05")
    database.close()


def test_new_file_is_private_with_wal_foreign_keys_and_busy_timeout(tmp_path):
    path = tmp_path / "new" / "folder" / "d.sqlite3"
    database = open_database(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with database.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == storage_db.BUSY_TIMEOUT_MS
    assert database.revision() == HEAD
    database.close()


def test_foreign_keys_are_enforced(tmp_path):
    database = open_database(tmp_path / "d.sqlite3")
    with pytest.raises(Exception, match="FOREIGN KEY"), database.transaction() as s:
        s.execute(
            text(
                "INSERT INTO payments (debt_id, date, amount, fees, interest, principal, note) "
                "VALUES (99, '2026-01-01', 1, 0, 0, 1, '')"
            )
        )
    database.close()


def test_failed_transaction_writes_nothing(tmp_path):
    database = open_database(tmp_path / "d.sqlite3")
    with pytest.raises(RuntimeError), database.transaction() as s:
        s.add(LenderRow(name="Bank", kind="other", phone="", address="", account_number=""))
        s.flush()
        raise RuntimeError("boom")
    with database.transaction() as s:
        assert s.scalars(select(LenderRow)).all() == []
    database.close()


def test_default_path_is_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = storage_db.default_db_path()
    assert path == tmp_path / "xdg" / "DebtKeeper" / "debtkeeper.sqlite3"


def test_newer_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "d.sqlite3"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer version"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_a_known_error(tmp_path):
    path = tmp_path / "d.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CorruptDatabaseError):
        open_database(path)


def test_someone_elses_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
    with pytest.raises(CorruptDatabaseError, match="not a DebtKeeper data file"):
        open_database(path)


def test_locked_database_is_a_known_error(tmp_path, monkeypatch):
    monkeypatch.setattr(storage_db, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "d.sqlite3"
    database = open_database(path)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLockedError), database.transaction() as s:
            s.add(LenderRow(name="Bank", kind="other", phone="", address="", account_number=""))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        database.close()


@pytest.mark.parametrize(
    ("message", "cls"),
    [
        ("database or disk is full", DiskFullError),
        ("database is locked", DatabaseLockedError),
        ("file is not a database", CorruptDatabaseError),
        ("database disk image is malformed", CorruptDatabaseError),
        ("attempt to write a readonly database", ReadOnlyDatabaseError),
    ],
)
def test_environment_errors_are_told_apart_from_bugs(message, cls):
    assert isinstance(known_error(sqlite3.OperationalError(message), "x.sqlite3"), cls)
    assert known_error(sqlite3.OperationalError("no such column: foo"), "x.sqlite3") is None


def test_backup_is_a_consistent_private_single_file(tmp_path):
    database = open_database(tmp_path / "d.sqlite3")
    _add_debt(database)
    out = database.backup(tmp_path / "b" / "copy.sqlite3")
    database.close()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with sqlite3.connect(out) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT principal FROM debts").fetchone()[0] == 123456


# --- migrations ----------------------------------------------------------------------------


def test_revisions_constant_matches_the_migration_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    walked = [s.revision for s in script.walk_revisions()]
    assert tuple(reversed(walked)) == REVISIONS
    assert script.get_current_head() == HEAD


def test_migrated_schema_matches_the_models():
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.models import Base

    database = open_database(":memory:")
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_every_revision_has_a_saved_sample_database():
    missing = [rev for rev in REVISIONS if not sample_path(rev).exists()]
    assert missing == [], "run: python -m tests.storage.sample_db (after each new migration)"


@pytest.mark.parametrize("revision", REVISIONS)
def test_sample_of_each_revision_opens_at_head_with_its_data(revision, tmp_path):
    copy = tmp_path / "old.sqlite3"
    shutil.copy(sample_path(revision), copy)
    database = open_database(copy)
    assert database.revision() == HEAD
    with database.transaction() as s:
        names = {r.name for r in s.scalars(select(DebtRow))}
        counts = {
            t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("lenders", "payments", "contacts", "reminders", "instalments", "settings")
        }
    assert "京东白条 12期" in names and len(names) == 6
    assert all(n > 0 for n in counts.values()), counts
    database.close()


def test_upgrade_from_a_new_file_runs_every_revision(tmp_path):
    path = tmp_path / "new.sqlite3"  # no file yet: the program makes it (a 0-byte file is refused)
    database = open_database(path)
    assert database.revision() == HEAD
    database.close()


def test_opening_at_head_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "d.sqlite3"
    open_database(path).close()
    code = (
        "import sys; from storage.db import open_database; open_database(sys.argv[1]).close(); "
        "print('alembic' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_foreign_keys_are_back_on_after_migrating(tmp_path):
    from sqlalchemy.pool import StaticPool  # one connection: the one that migrated

    database = open_database(":memory:")
    assert isinstance(database.engine.pool, StaticPool)
    with database.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_schema_changes_are_inside_the_transaction(tmp_path):
    # What lets a failed migration leave the schema as it was.
    database = open_database(tmp_path / "d.sqlite3")
    with pytest.raises(RuntimeError), database.transaction() as s:
        s.execute(text("CREATE TABLE scratch (a INTEGER)"))
        raise RuntimeError("migration failed")
    with database.engine.connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert "scratch" not in names and "debts" in names
    database.close()
