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
    debt_id = svc.add_debt({"name": "建行快贷", "lender": "中国建设银行", "kind": "bank_loan",
                            "principal": "10000.00", "start_date": "2026-01-01",
                            "method": "equal-installment", "months": 12, "rate": "3.6", "rate_unit": "year"})
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
            "This database is protected with a password already.")
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


@pytest.mark.parametrize(("first", "again", "problem"), [
    ("", "", "The password must not be empty."),
    ("abc", "abc", "Use at least 4 characters."),
    ("abcd1", "abcd2", "The two passwords are not the same."),
    ("abcd", "abcd", None),
])
def test_a_new_password_is_typed_twice_and_not_too_short(first, again, problem):
    assert protection.check_new_password(first, again) == problem


def test_without_sqlcipher_the_reason_is_given(svc, monkeypatch):
    monkeypatch.setattr(encryption, "module", lambda: None)
    assert "sqlcipher3" in protection.unavailable_reason(svc)
    svc.close()
