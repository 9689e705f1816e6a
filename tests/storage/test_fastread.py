"""The quick read of the first screen: taken only when certain, never writing, never copying."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from services.app import Services
from storage import rows
from storage.fastread import COLUMNS, NotCertain, read_first_screen
from storage.migrations import REVISIONS
from storage.models import ContactRow, DebtRow, PaymentRow, SettingRow

DEBT = {
    "name": "招行信用卡",
    "lender": "招商银行",
    "kind": "credit_card",
    "principal": "12000.00",
    "start_date": "2026-01-15",
    "method": "equal-installment",
    "months": 12,
    "rate": "0.05",
    "rate_unit": "day",
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "d.sqlite3"
    with Services.open(path) as svc:
        debt_id = svc.add_debt(DEBT)
        svc.add_payment(debt_id, "1000.00", date(2026, 2, 15), "first")
        svc.set_setting("person.hardship_cause", "失业")
    return path


def _files(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mode, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()}


def _execute(path: Path, sql: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(sql)
        conn.commit()


def test_the_columns_read_are_the_models_columns():
    models = {"debts": DebtRow, "payments": PaymentRow, "contacts": ContactRow, "settings": SettingRow}
    assert set(COLUMNS) == set(models)
    for table, model in models.items():
        assert COLUMNS[table] == rows.column_spec(model), table


def test_a_sound_file_is_read_as_the_services_read_it_and_left_exactly_as_it_was(db):
    before = _files(db.parent)
    screen = read_first_screen(db)
    assert screen is not None
    after = _files(db.parent)
    assert after[db.name] == before[db.name]  # not written, its mode unchanged
    # Nothing copied: at most SQLite's own shared-memory index and an empty log (as any reader
    # of a WAL database makes them, the normal opening too), private like the file.
    new = {name: after[name] for name in set(after) - set(before)}
    assert set(new) <= {db.name + "-shm", db.name + "-wal"}
    assert all(mode & 0o077 == 0 for mode, _data in new.values())
    assert new.get(db.name + "-wal", (0, b""))[1] == b""
    with Services.open(db) as svc:
        assert list(screen.debts) == svc.list_debts()
        assert list(screen.payments()) == svc.list_payments()
    (debt,) = screen.debts
    assert (debt.name, debt.lender, debt.principal) == ("招行信用卡", "招商银行", Decimal("12000.00"))
    (payment,) = screen.payments()
    assert (payment.amount, payment.note) == (Decimal("1000.00"), "first")
    assert screen.settings == {"person.hardship_cause": "失业"}
    assert screen.paid_fen(1, None, date(2026, 2, 15)) == 100000
    assert screen.paid_fen(1, date(2026, 2, 15), date(2026, 3, 1)) == 0
    assert screen.paid_fen(1, None, date(2026, 2, 14)) == 0
    screen.close()
    with pytest.raises(NotCertain):  # the snapshot is over: nothing more is read from it
        screen.payments()
    assert _files(db.parent)[db.name] == before[db.name]


def test_the_snapshot_is_one_moment_however_long_it_is_held(db):
    screen = read_first_screen(db)
    assert screen is not None
    with Services.open(db) as svc:  # written to while the snapshot is held (a write-ahead log file)
        svc.add_payment(1, "500.00", date(2026, 3, 15))
    assert [p.amount for p in screen.payments(1)] == [Decimal("1000.00")]
    assert screen.paid_fen(1, None, date(2026, 12, 31)) == 100000
    screen.close()
    again = read_first_screen(db)
    assert again is not None and [p.amount for p in again.payments(1)] == [Decimal("1000"), Decimal("500")]
    again.close()


def test_a_file_others_can_read_is_left_to_the_normal_opening_which_tells_the_person(db):
    os.chmod(db, 0o644)
    assert read_first_screen(db) is None
    assert (db.stat().st_mode & 0o777) == 0o644  # the normal opening changes it, and says so


def test_a_file_that_cannot_be_written_is_left_to_the_normal_opening(db):
    if os.geteuid() == 0:
        pytest.skip("root can write any file")
    os.chmod(db, 0o400)
    assert read_first_screen(db) is None


def test_a_file_needing_a_migration_or_from_a_newer_version_is_left_to_the_normal_opening(db, tmp_path):
    older = tmp_path / "older.sqlite3"
    shutil.copy(db, older)
    _execute(older, f"UPDATE alembic_version SET version_num = '{REVISIONS[0]}'")
    assert read_first_screen(older) is None
    _execute(db, "UPDATE alembic_version SET version_num = '9999'")
    assert read_first_screen(db) is None


def _sound(db: Path) -> bool:
    """Whether the quick read of ``db`` may be shown: it was taken and finds nothing damaged."""
    screen = read_first_screen(db)
    if screen is None:
        return False
    try:
        return screen.sound()
    finally:
        screen.close()


def test_a_damaged_row_is_left_to_the_normal_opening_which_reports_it(db):
    assert _sound(db)
    _execute(db, "UPDATE payments SET amount = 'a lot'")
    assert not _sound(db)
    _execute(db, "UPDATE payments SET amount = 100001")
    assert not _sound(db)  # the parts no longer add up to the amount
    _execute(db, "UPDATE payments SET amount = 100000, date = '2026-02-30'")
    assert not _sound(db)  # not a real day, though no payment is read into Python
    _execute(db, "UPDATE payments SET date = '2026-02-15'")
    assert _sound(db)
    _execute(db, "UPDATE debts SET months = 'twelve'")
    assert read_first_screen(db) is None


def test_a_look_for_damage_not_wanted_is_stopped_and_its_connection_closed(db):
    import gc
    import threading

    screen = read_first_screen(db)
    assert screen is not None
    screen.close()  # before asking whether it is sound: the look is stopped, not waited for
    assert not [t for t in threading.enumerate() if t.name.startswith("first screen")]
    gc.collect()
    # Nothing of the file is held: a writer can take it whole at once.
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0  # not busy


def test_the_quick_read_looks_for_damage_as_the_normal_opening_does(db):
    # One condition finds the payments the checks may refuse, for both (storage.row_values).
    from sqlalchemy import create_engine, select

    _execute(
        db,
        "INSERT INTO payments (debt_id, date, amount, fees, interest, principal, note) VALUES "
        "(1, '2026-13-01', 5, 0, 0, 5, ''), (1, '2026-03-01', 5, 1, 1, 1, ''), (1, '2026-03-02', -5, 0, 0, -5, ''), "
        "(1, '2026-03-03', 0, 0, 0, 0, ''), (1, '2026-03-04', 5, 0, 0, 5.0, ''), (1, '1969-12-31', 5, 0, 0, 5, ''), "
        "(1, '2026-03-05', 100000000000001, 0, 0, 100000000000001, ''), (1, '2026-03-06', 7, 0, -1, 8, ''), "
        "(1, '2026-03-07', 5, 0, 0, 5, x'00'), (1, '2026-03-08', 'five', 0, 0, 5, '')",
    )
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            found = {row.id for row in conn.execute(rows.suspect_payments())}
            everything = {row.id for row in conn.execute(select(PaymentRow.id))}
    finally:
        engine.dispose()
    with closing(sqlite3.connect(db)) as conn:
        from storage.row_values import SUSPECT_PAYMENT

        direct = {r[0] for r in conn.execute(f"SELECT id FROM payments WHERE {SUSPECT_PAYMENT}")}  # noqa: S608
    assert found == direct == everything - {1, 6}  # 5.0 is kept as the whole number 5: sound


def test_a_protected_damaged_or_foreign_file_is_left_to_the_normal_opening(tmp_path, db):
    random = tmp_path / "random.sqlite3"
    random.write_bytes(os.urandom(8192))  # what a password-protected file looks like without it
    os.chmod(random, 0o600)
    assert read_first_screen(random) is None
    foreign = tmp_path / "foreign.sqlite3"
    _execute(foreign, "CREATE TABLE notes (body TEXT)")
    os.chmod(foreign, 0o600)
    assert read_first_screen(foreign) is None
    empty = tmp_path / "empty.sqlite3"
    empty.touch(mode=0o600)
    assert read_first_screen(empty) is None
    assert read_first_screen(tmp_path / "missing.sqlite3") is None


def test_a_stored_schedule_or_own_overdue_terms_are_read_the_normal_way(db, tmp_path):
    terms = tmp_path / "terms.sqlite3"
    shutil.copy(db, terms)
    with Services.open(terms) as svc:
        svc.store_term_overrides(1, {"penalty_interest": False})
    assert read_first_screen(terms) is None
    _execute(
        db,
        "INSERT INTO instalments (debt_id, period, due_date, amount, principal, interest, fee) "
        "VALUES (1, 1, '2026-02-15', 106619, 100000, 6619, 0)",
    )
    assert read_first_screen(db) is None


def test_a_long_ledger_is_read_as_it_is_asked_for_and_at_most_max_payments_into_python(db):
    # The first screen asks for a kept state and a sum per debt; the payments themselves only of a
    # debt with arrears. Past MAX_PAYMENTS read into Python, the normal opening figures it.
    from storage.fastread import MAX_PAYMENTS

    with closing(sqlite3.connect(db)) as conn:
        conn.executemany(
            "INSERT INTO payments (debt_id, date, amount, fees, interest, principal, note) "
            "VALUES (1, '2026-02-16', 1, 0, 0, 1, '')",
            [()] * MAX_PAYMENTS,
        )
        conn.commit()
    screen = read_first_screen(db)
    assert screen is not None
    assert screen.paid_fen(1, None, date(2026, 2, 16)) == 100000 + MAX_PAYMENTS
    found = screen.kept(1, None, date(2026, 2, 16))
    assert found is not None and found[:2] == (MAX_PAYMENTS + 1, "2026-02-16")
    assert len(screen.payments(1, since=(date(2026, 2, 16), MAX_PAYMENTS))) == 2
    with pytest.raises(NotCertain):
        screen.payments(1)  # all of them: more than may be read into Python
    screen.close()
