"""The services facade: each call one transaction; bad input changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from domain.debts import (
    Budget,
    ContactChannel,
    ContactConduct,
    ContactEntry,
    ContactTarget,
    DebtStatus,
    Lender,
    RateUnit,
)
from resources.i18n import set_language
from services.app import Instalment, ReminderRule, Services
from services.errors import ConflictError, NotFoundError, StorageError, ValidationError
from services.jsonio import export_database

D = Decimal
LOAN = {
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
# Due on the 1st from 1 Jan: every period a whole month (3.6% a year = 0.3% a month).
MONTHLY = {**LOAN, "due_day": 1}


@pytest.fixture
def svc():
    with Services.open(":memory:") as services:
        yield services


def test_add_debt_takes_the_terms_left_out_from_the_kind_preset(svc):
    from resources.rules import product_presets

    debt_id = svc.add_debt(
        {
            "name": "白条",
            "lender": "京东金融",
            "kind": "jd_baitiao",
            "principal": "3000",
            "start_date": "2026-03-01",
            "method": "fee-installment",
            "months": 6,
        }
    )
    debt = svc.get_debt(debt_id)
    preset = product_presets()[debt.kind]
    assert (debt.fee_rate, debt.due_day, debt.late_fee_rate_per_day) == (
        preset.fee_rate,
        preset.due_day,
        preset.late_fee_rate_per_day,
    )
    assert [lender.name for lender in svc.list_lenders()] == ["京东金融"]


def test_bad_debt_lists_every_field_in_the_language_and_writes_nothing(svc):
    set_language("zh_CN")
    with pytest.raises(ValidationError) as info:
        svc.add_debt({**LOAN, "name": "", "principal": "-1", "rate": "3650", "start_date": "1900-01-01"})
    assert {e.field for e in info.value.errors} == {"name", "principal", "rate", "start_date"}
    assert "本金：必须大于零" in info.value.message and "年利率超过 365%" in info.value.message
    assert svc.is_empty()


def test_update_debt_changes_fields_and_splits_payments_again(svc):
    debt_id = svc.add_debt(MONTHLY)
    svc.add_payment(debt_id, "1000", date(2026, 2, 1))
    svc.update_debt(debt_id, {"rate": "7.2"})
    [payment] = svc.list_payments(debt_id)
    assert svc.get_debt(debt_id).rate == D("7.2")
    assert payment.interest == D("60.00")  # the first period's interest: 10000 x 7.2% / 12


def test_update_debt_refusing_changes_nothing(svc):
    debt_id = svc.add_debt(LOAN)
    before = export_database(svc)
    with pytest.raises(ValidationError):
        svc.update_debt(debt_id, {"months": 0, "name": ""})
    with pytest.raises(ValidationError):
        svc.update_debt(debt_id, {"lender": "Other", "rate_unit": "fortnight"})
    assert export_database(svc) == before


def test_payment_is_split_fees_interest_principal(svc):
    debt_id = svc.add_debt(MONTHLY)
    payment_id = svc.add_payment(debt_id, "¥1,000.00", date(2026, 2, 1), note="工资")
    [payment] = svc.list_payments()
    assert payment.id == payment_id and payment.note == "工资"
    # the first period's interest, 10000 x 3.6% / 12 = 30.00, then principal
    assert (payment.fees, payment.interest, payment.principal) == (0, D("30.00"), D("970.00"))


@pytest.mark.parametrize(
    ("amount", "on", "field"),
    [
        ("-5", date(2026, 2, 1), "amount"),
        ("0", date(2026, 2, 1), "amount"),
        ("abc", date(2026, 2, 1), "amount"),
        ("20000", date(2026, 2, 1), "amount"),
        ("10", date(1900, 1, 1), "date"),
        ("10", date(2025, 12, 31), "date"),
    ],
)
def test_bad_payments_change_nothing(svc, amount, on, field):
    debt_id = svc.add_debt(LOAN)
    svc.add_payment(debt_id, "500", date(2026, 2, 1))
    before = export_database(svc)
    with pytest.raises(ValidationError) as info:
        svc.add_payment(debt_id, amount, on)
    assert [e.field for e in info.value.errors] == [field]
    assert export_database(svc) == before


def test_overpayment_message_says_what_was_owed(svc):
    debt_id = svc.add_debt(MONTHLY)  # 10000 + the first period's 30.00 interest
    with pytest.raises(ValidationError, match=r"10,030\.00 outstanding on 2026-02-01"):
        svc.add_payment(debt_id, "10030.01", date(2026, 2, 1))


def test_backdated_payment_resplits_later_ones(svc):
    debt_id = svc.add_debt(MONTHLY)
    svc.add_payment(debt_id, "1000", date(2026, 3, 1))
    svc.add_payment(debt_id, "1000", date(2026, 2, 1))
    march = [p for p in svc.list_payments(debt_id) if p.date == date(2026, 3, 1)][0]
    # after Feb 1 the principal is 9030.00, ahead of the schedule's 9180.33: the second period's
    # interest is on what is outstanding, 9030.00 x 0.3% = 27.09 (half-up)
    assert march.interest == D("27.09")


def test_update_and_remove_payment(svc):
    debt_id = svc.add_debt(MONTHLY)
    first = svc.add_payment(debt_id, "1000", date(2026, 2, 1))
    svc.add_payment(debt_id, "1000", date(2026, 3, 1))
    svc.update_payment(first, "30", date(2026, 2, 1), note="only interest")
    assert svc.list_payments(debt_id)[0].principal == 0
    svc.remove_payment(first)
    [left] = svc.list_payments(debt_id)
    # two periods' interest: 10000 x 0.3% = 30.00, then the schedule's 9180.33 x 0.3% = 27.54
    assert left.interest == D("57.54")
    with pytest.raises(NotFoundError):
        svc.remove_payment(first)


def test_summary_balance_paid_and_days_overdue(svc):
    debt_id = svc.add_debt({**MONTHLY, "overdue_since": "2026-07-25"})
    svc.add_payment(debt_id, "1000", date(2026, 2, 1))
    summary = svc.debt_summary(debt_id, date(2026, 7, 29))
    assert summary.days_overdue == 4 and summary.status is DebtStatus.OVERDUE
    assert summary.balance == D("9030.00") and summary.interest_paid == D("30.00")
    assert summary.principal_paid == D("970.00") and summary.total_paid == D("1000.00")
    current = svc.debt_summary(debt_id, date(2026, 7, 1))
    assert current.days_overdue == 0 and current.status is DebtStatus.ACTIVE


def test_a_debt_paid_off_is_settled(svc):
    debt_id = svc.add_debt({**LOAN, "rate": "0"})
    svc.add_payment(debt_id, "10000", date(2026, 2, 1))
    summary = svc.debt_summary(debt_id, date(2026, 3, 1))
    assert summary.balance == 0 and summary.status is DebtStatus.SETTLED


def test_remove_debt_removes_payments_and_keeps_the_contact_evidence(svc):
    debt_id = svc.add_debt(LOAN)
    svc.add_payment(debt_id, "100", date(2026, 2, 1))
    contact_id = svc.add_contact(
        ContactEntry(
            when=datetime(2026, 3, 1, 23, 10), channel=ContactChannel.PHONE, who="催收", debt_id=debt_id
        )
    )
    svc.remove_debt(debt_id)
    assert svc.list_debts() == [] and svc.list_payments() == []
    [entry] = svc.list_contacts()
    assert entry.id == contact_id and entry.debt_id is None
    with pytest.raises(NotFoundError):
        svc.get_debt(debt_id)


def test_contacts_round_trip_with_conduct_and_attachments(svc):
    debt_id = svc.add_debt(LOAN)
    entry = ContactEntry(
        when=datetime(2026, 3, 1, 14, 30),
        channel=ContactChannel.PHONE,
        who="资产管理公司",
        target=ContactTarget.HOMETOWN,
        summary="打到村委会",
        conduct=frozenset({ContactConduct.DISCLOSED_DEBT, ContactConduct.THREAT}),
        attachments=("a.m4a", "b.jpg"),
        debt_id=debt_id,
        phone_number="0592-1",
    )
    contact_id = svc.add_contact(entry)
    assert svc.list_contacts(debt_id) == [ContactEntry(**{**_fields(entry), "id": contact_id})]
    with pytest.raises(ValidationError):
        svc.add_contact(ContactEntry(when=datetime(1900, 1, 1), channel=ContactChannel.SMS, who="x"))
    with pytest.raises(NotFoundError):
        svc.add_contact(
            ContactEntry(when=datetime(2026, 1, 1), channel=ContactChannel.SMS, who="x", debt_id=99)
        )
    svc.remove_contact(contact_id)
    assert svc.list_contacts() == []


def test_lenders_unique_names_and_removal_guard(svc):
    lender_id = svc.add_lender("招商银行", phone="95555")
    assert svc.get_lender(lender_id) == Lender("招商银行", phone="95555", id=lender_id)
    with pytest.raises(ValidationError):
        svc.add_lender(Lender("招商银行"))
    svc.add_debt({**LOAN, "lender": "招商银行"})
    svc.update_lender(Lender("招商银行信用卡中心", phone="95555", id=lender_id))
    assert svc.list_debts()[0].lender == "招商银行信用卡中心"
    with pytest.raises(ConflictError):
        svc.remove_lender(lender_id)


def test_budget_and_settings(svc):
    assert svc.get_budget() == Budget()
    svc.set_budget(Budget(D("9000"), {"房租": D("2500"), "伙食": D("1800.5")}))
    assert svc.get_budget() == Budget(D("9000.00"), {"伙食": D("1800.50"), "房租": D("2500.00")})
    with pytest.raises(ValidationError):
        svc.set_budget(Budget(D("-1")))
    assert svc.get_budget().income == D("9000.00")
    assert svc.get_setting("language") is None and svc.get_setting("language", "en_US") == "en_US"
    svc.set_setting("language", "zh_CN")
    assert svc.get_setting("language") == "zh_CN"


def test_instalments_and_reminders(svc):
    debt_id = svc.add_debt(LOAN)
    rows = [
        Instalment(debt_id, p, date(2026, 1 + p, 1), D("850.00"), D("820.00"), D("30.00"), D("0.00"))
        for p in (1, 2)
    ]
    svc.set_instalments(debt_id, rows)
    assert svc.list_instalments(debt_id) == rows
    with pytest.raises(ValidationError):
        svc.set_instalments(debt_id, [rows[0], rows[0]])
    svc.set_reminder(ReminderRule(debt_id, (1, 3)))
    svc.mark_reminded(debt_id, date(2026, 1, 29))
    assert svc.list_reminders() == [ReminderRule(debt_id, (3, 1), True, date(2026, 1, 29))]


def test_list_debts_can_leave_archived_out(svc):
    first = svc.add_debt(LOAN)
    svc.add_debt({**LOAN, "name": "second"})
    svc.set_debt_status(first, DebtStatus.ARCHIVED)
    assert [d.name for d in svc.list_debts(include_archived=False)] == ["second"]
    assert len(svc.list_debts()) == 2


def test_rate_unit_and_exact_rate_survive(svc):
    debt_id = svc.add_debt({**LOAN, "rate": "0.0195", "rate_unit": "day"})
    debt = svc.get_debt(debt_id)
    assert debt.rate == D("0.0195") and debt.rate_unit is RateUnit.DAY


def test_newer_database_is_a_user_error(tmp_path):
    import sqlite3

    path = tmp_path / "d.sqlite3"
    Services.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    set_language("zh_CN")
    with pytest.raises(StorageError, match="更新版本"):
        Services.open(path)


def _fields(value):
    return {name: getattr(value, name) for name in value.__slots__}


def test_a_call_that_fails_half_way_leaves_no_trace(svc, monkeypatch):
    from services import debts

    def broken(row, debt, lender):
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(debts, "debt_fill_row", broken)
    with pytest.raises(RuntimeError):
        svc.add_debt(LOAN)  # the lender row was added before the failure
    assert svc.list_lenders() == [] and svc.is_empty()


def test_wal_side_files_are_private_too(tmp_path):
    import stat

    with Services.open(tmp_path / "d.sqlite3") as services:
        services.set_setting("a", "b")
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert modes == {"d.sqlite3": 0o600, "d.sqlite3-wal": 0o600, "d.sqlite3-shm": 0o600}


def test_default_backup_path_is_beside_the_database():
    from pathlib import Path

    from services.app import default_backup_path

    out = default_backup_path("/data/debtkeeper.sqlite3", datetime(2026, 11, 23, 8, 5, 9))
    assert out == Path("/data/backups/debtkeeper-20261123-080509.sqlite3")
