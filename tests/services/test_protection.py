"""Protecting the open database with a password from the window: copy, check, swap, reopen."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from services import protection
from services.app import Services
from services.errors import UserError
from storage import encryption

pytestmark = pytest.mark.skipif(encryption.module() is None, reason="sqlcipher3 is not installed")


@pytest.fixture
def svc(tmp_path):
    svc = Services.open(tmp_path / "data.sqlite3")
    debt_id = svc.add_debt(
        {
            "name": "建行快贷",
            "lender": "中国建设银行",
            "kind": "bank_loan",
            "principal": "10000.00",
            "start_date": "2026-01-01",
            "method": "equal-installment",
            "months": 12,
            "rate": "3.6",
            "rate_unit": "year",
        }
    )
    svc.add_payment(debt_id, Decimal("120.50"), date(2026, 2, 5), "first")
    return svc


def _plain_tables(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]


def test_protect_copies_swaps_and_reopens_with_the_password(svc, tmp_path):
    db = tmp_path / "data.sqlite3"
    debts_before, payments_before = svc.list_debts(), svc.list_payments()
    assert protection.unavailable_reason(svc) is None
    copy = protection.write_protected_copy(db, "s3cret pass")
    assert encryption.is_encrypted(copy)
    done = protection.swap_in(svc, copy, "s3cret pass")
    try:
        assert done.error is None
        assert encryption.PASSWORD_ENV not in os.environ  # programs started later must not inherit it
        assert encryption.is_encrypted(db) and not copy.exists()
        assert done.services.list_debts() == debts_before
        assert done.services.list_payments() == payments_before
        # The old file is kept aside, unprotected and complete, for the person to delete.
        assert done.unprotected is not None and not encryption.is_encrypted(done.unprotected)
        assert _plain_tables(done.unprotected) > 0
        assert protection.unavailable_reason(done.services) == (
            "This database is protected with a password already."
        )
    finally:
        done.services.close()
    with pytest.raises(sqlite3.DatabaseError):  # without the password the file is unreadable
        _plain_tables(db)


def test_a_wrong_password_does_not_open_the_protected_file(svc, tmp_path):
    db = tmp_path / "data.sqlite3"
    done = protection.swap_in(svc, protection.write_protected_copy(db, "right one"), "right one")
    done.services.close()
    encryption.set_password("wrong one")
    with pytest.raises(UserError):
        Services.open(db)


def test_a_failed_swap_leaves_the_plain_file_open_as_it_was(svc, tmp_path):
    db = tmp_path / "data.sqlite3"
    debts_before = svc.list_debts()
    done = protection.swap_in(svc, tmp_path / "missing.protecting", "s3cret pass")
    try:
        assert done.error and done.error.startswith("The database could not be protected")
        assert done.unprotected is None and not encryption.is_encrypted(db)
        assert done.services.list_debts() == debts_before
        assert encryption.password() is None  # the password was not left set for plain files
        assert list(tmp_path.glob("*unprotected*")) == []
    finally:
        done.services.close()


@pytest.mark.parametrize(
    ("first", "again", "problem"),
    [
        ("", "", "The password must not be empty."),
        ("abc", "abc", "Use at least 4 characters."),
        ("abcd1", "abcd2", "The two passwords are not the same."),
        ("abcd", "abcd", None),
    ],
)
def test_a_new_password_is_typed_twice_and_not_too_short(first, again, problem):
    assert protection.check_new_password(first, again) == problem


def test_without_sqlcipher_the_reason_is_given(svc, monkeypatch):
    monkeypatch.setattr(encryption, "module", lambda: None)
    assert "sqlcipher3" in protection.unavailable_reason(svc)
    svc.close()


def _protect(svc, db, secret="s3cret pass"):
    done = protection.swap_in(svc, protection.write_protected_copy(db, secret), secret)
    assert done.error is None
    return done


def test_the_unprotected_copies_are_the_file_kept_aside_and_the_plain_backups(svc, tmp_path):
    from services import safety

    db = tmp_path / "data.sqlite3"
    plain_backup = safety.backup_now(svc)
    done = _protect(svc, db)
    try:
        protected_backup = safety.backup_now(done.services)  # taken after: encrypted, not listed
        assert encryption.is_encrypted(protected_backup)
        assert protection.unprotected_copies(db) == [done.unprotected, plain_backup]
        result = protection.delete_after_check(
            done.unprotected, db, "s3cret pass", protection.unprotected_copies(db)
        )
        assert result.deleted == [done.unprotected, plain_backup] and result.failed == []
        assert not done.unprotected.exists() and not plain_backup.exists()
        assert protected_backup.exists() and db.exists()
        assert protection.unprotected_copies(db) == []
        assert len(done.services.list_payments()) == 1  # the protected database is untouched
    finally:
        done.services.close()


def test_nothing_is_deleted_when_the_protected_file_lacks_data(svc, tmp_path):
    db = tmp_path / "data.sqlite3"
    done = _protect(svc, db)
    try:
        done.services.add_payment(done.services.list_debts()[0].id, Decimal("10.00"), date(2026, 3, 5))
        assert not protection.same_data(done.unprotected, db, "s3cret pass")  # they differ now
        with pytest.raises(UserError, match="nothing was deleted"):
            protection.delete_after_check(done.unprotected, db, "s3cret pass", [done.unprotected])
        assert done.unprotected.exists()
        assert not protection.same_data(done.unprotected, db, "not the password")
    finally:
        done.services.close()


def test_a_protected_file_is_never_deleted_as_unprotected(svc, tmp_path):
    db = tmp_path / "data.sqlite3"
    done = _protect(svc, db)
    done.services.close()
    wal = done.unprotected.with_name(done.unprotected.name + "-wal")
    wal.write_bytes(b"pages of the old file")
    result = protection.delete_unprotected([db, done.unprotected, tmp_path / "gone.sqlite3"])
    assert result.deleted == [done.unprotected] and not wal.exists()
    assert [path for path, _reason in result.failed] == [db, tmp_path / "gone.sqlite3"]
    assert db.exists() and encryption.is_encrypted(db)


def test_encrypt_file_refuses_a_short_password_and_writes_nothing(svc, tmp_path):
    db = tmp_path / "data.sqlite3"
    svc.close()
    encryption.set_password("abc")
    with pytest.raises(UserError, match="at least 4"):
        protection.encrypt_file(db, tmp_path / "out.sqlite3")
    assert not (tmp_path / "out.sqlite3").exists()
