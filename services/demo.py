"""A realistic sample database for trying DebtKeeper, dated relative to ``as_of``.

One person's debts as they are common in mainland China: a JD Baitiao
instalment plan exactly 120 days overdue, a bank credit card with a revolving
balance, Jiebei (daily interest), a Huabei balance, a bank consumer loan on
equal instalments (等额本息) and a private loan from a relative; a few payments,
a budget, and collection contacts including one to the home-village committee
(户籍地村委会) and one call at 23:10, so the overdue and collection checks have
something to flag. Built in a scratch in-memory database and copied over in one
transaction, so a failure leaves the target database untouched.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from domain.dates import add_months
from domain.debts import (
    Budget,
    ContactChannel,
    ContactConduct,
    ContactEntry,
    ContactTarget,
    DebtKind,
    DebtStatus,
    Lender,
)
from domain.schedules import schedule_for
from services.app import ReminderRule, Services
from services.errors import ConflictError

BAITIAO_DAYS_OVERDUE = 120


def _months_before(day: date, months: int, due_day: int) -> date:
    """``due_day`` of the month ``months`` before ``day`` (the month's last day when shorter)."""
    return add_months(day, -months, due_day)


def fill_demo(svc: Services, as_of: date) -> dict[str, int]:
    """Write the sample into ``svc`` (which should be empty); returns debt ids by short name."""
    for lender in (
        Lender("京东金融", kind=DebtKind.JD_BAITIAO, phone="95118", address="北京市大兴区科创十一街18号"),
        Lender("招商银行信用卡中心", kind=DebtKind.CREDIT_CARD, phone="95555", address="上海市浦东新区"),
        Lender("支付宝（借呗）", kind=DebtKind.JIEBEI, phone="95188"),
        Lender("支付宝（花呗）", kind=DebtKind.HUABEI, phone="95188"),
        Lender("中国建设银行", kind=DebtKind.BANK_LOAN, phone="95533", account_number="6217 0000 0000 1234"),
        Lender("表哥 李明", kind=DebtKind.PRIVATE_LOAN, phone="138 0000 0000"),
    ):
        svc.add_lender(lender)

    overdue_since = as_of - timedelta(days=BAITIAO_DAYS_OVERDUE)
    ids: dict[str, int] = {}
    ids["baitiao"] = svc.add_debt(
        {
            "name": "京东白条 12期",
            "lender": "京东金融",
            "kind": "jd_baitiao",
            "principal": "8000.00",
            # Two instalments paid, the third (due on overdue_since) missed, and every one since.
            "start_date": _months_before(overdue_since, 3, overdue_since.day).isoformat(),
            "method": "fee-installment",
            "months": 12,
            "fee_rate": "0.5",
            "due_day": overdue_since.day,
            "overdue_since": overdue_since.isoformat(),
            "overdue_amount": "2826.68",
            "status": "overdue",
        }
    )
    ids["card"] = svc.add_debt(
        {
            "name": "招商银行信用卡",
            "lender": "招商银行信用卡中心",
            "kind": "credit_card",
            "principal": "25000.00",
            "start_date": _months_before(as_of, 6, 25).isoformat(),
            "method": "revolving",
            "months": 12,
            "rate": "0.05",
            "rate_unit": "day",
            "due_day": 25,
            "grace_days": 3,
        }
    )
    ids["jiebei"] = svc.add_debt(
        {
            "name": "借呗",
            "lender": "支付宝（借呗）",
            "kind": "jiebei",
            "principal": "15000.00",
            "start_date": _months_before(as_of, 4, 12).isoformat(),
            "method": "daily-interest",
            "months": 12,
            "rate": "0.04",
            "rate_unit": "day",
            "due_day": 12,
        }
    )
    ids["huabei"] = svc.add_debt(
        {
            "name": "花呗",
            "lender": "支付宝（花呗）",
            "kind": "huabei",
            "principal": "3200.00",
            "start_date": _months_before(as_of, 2, 10).isoformat(),
            "method": "revolving",
            "months": 12,
        }
    )
    ids["bank"] = svc.add_debt(
        {
            "name": "建行快贷（消费贷）",
            "lender": "中国建设银行",
            "kind": "bank_loan",
            "principal": "100000.00",
            "start_date": _months_before(as_of, 10, 15).isoformat(),
            "method": "equal-installment",
            "months": 36,
            "rate": "4.35",
            "rate_unit": "year",
            "due_day": 15,
        }
    )
    ids["cousin"] = svc.add_debt(
        {
            "name": "向表哥借款（装修）",
            "lender": "表哥 李明",
            "kind": "private_loan",
            "principal": "20000.00",
            "start_date": _months_before(as_of, 14, 1).isoformat(),
            "method": "bullet",
            "months": 24,
            "rate": "0",
            "rate_unit": "year",
        }
    )

    # The bank loan is kept current: every instalment due so far paid on its date, as scheduled.
    for row in schedule_for(svc.get_debt(ids["bank"])).rows:
        if row.due_date < as_of:
            svc.add_payment(ids["bank"], row.payment, row.due_date, note="按月还款")
    svc.add_payment(ids["card"], "2000.00", as_of - timedelta(days=35), note="还部分账单")
    svc.add_payment(ids["jiebei"], "1300.00", as_of - timedelta(days=40))
    svc.add_payment(ids["huabei"], "500.00", as_of - timedelta(days=20), note="最低还款")
    for months_ago in (2, 1):
        paid_on = _months_before(overdue_since, months_ago, overdue_since.day)
        svc.add_payment(ids["baitiao"], "706.67", paid_on, note="按期还款")
    svc.add_payment(ids["cousin"], "3000.00", as_of - timedelta(days=90), note="微信转账")

    def at(days_before: int, hour: int, minute: int) -> datetime:
        return datetime.combine(as_of - timedelta(days=days_before), time(hour, minute))

    for entry in (
        ContactEntry(
            when=at(100, 10, 15),
            channel=ContactChannel.PHONE,
            who="京东金融 贷后专员（自称王姓）",
            summary="提醒白条已逾期，要求三天内还清当期欠款。",
            debt_id=ids["baitiao"],
            phone_number="95118",
        ),
        ContactEntry(
            when=at(60, 23, 10),
            channel=ContactChannel.PHONE,
            who="自称“京东法务部”的催收员",
            summary="深夜来电，称再不还款就“立案起诉”“上征信黑名单”，要求当晚转账。",
            conduct=frozenset({ContactConduct.FALSE_LEGAL_CLAIM, ContactConduct.THREAT}),
            attachments=("录音_深夜来电.m4a",),
            debt_id=ids["baitiao"],
            phone_number="0571-8888 0000",
        ),
        ContactEntry(
            when=at(30, 14, 30),
            channel=ContactChannel.PHONE,
            who="某资产管理公司（第三方催收）",
            target=ContactTarget.HOMETOWN,
            summary="打电话到户籍地村委会，告知村干部我欠京东白条的钱，让村里转告家人。",
            conduct=frozenset({ContactConduct.DISCLOSED_DEBT}),
            attachments=("村委会主任证言.jpg",),
            debt_id=ids["baitiao"],
            phone_number="0592-6666 1234",
        ),
        ContactEntry(
            when=at(12, 9, 40),
            channel=ContactChannel.SMS,
            who="招商银行信用卡中心",
            summary="短信提醒本期最低还款额及到期日。",
            debt_id=ids["card"],
            phone_number="95555",
        ),
        ContactEntry(
            when=at(5, 19, 5),
            channel=ContactChannel.WECHAT,
            who="表哥 李明",
            target=ContactTarget.DEBTOR,
            summary="问年底前能否先还一部分，我答应每月还一千。",
            debt_id=ids["cousin"],
        ),
    ):
        svc.add_contact(entry)

    svc.set_debt_status(ids["baitiao"], DebtStatus.OVERDUE)
    for key in ("card", "bank", "jiebei", "huabei"):
        svc.set_reminder(ReminderRule(ids[key], (3, 1)))
    svc.set_budget(
        Budget(
            income=Decimal("9000.00"),
            expenses={
                "房租": Decimal("2500.00"),
                "伙食": Decimal("1800.00"),
                "交通": Decimal("300.00"),
                "水电燃气": Decimal("250.00"),
                "通讯": Decimal("100.00"),
                "赡养父母": Decimal("800.00"),
            },
        )
    )
    # What happened to the sample person, as a hardship letter states it.
    svc.set_setting(
        "person.hardship_cause",
        "2026年3月公司裁员，本人失业两个月；6月找到新工作，"
        "但收入比原来少了约三分之一，同时每月还要赡养父母。",
    )
    return ids


def build_demo(svc: Services, as_of: date) -> int:
    """Fill an empty database with the sample in one transaction; returns the number of debts.

    A non-empty database is refused (ConflictError): the sample never mixes
    with a person's own records.
    """
    from resources.i18n import tr
    from services.jsonio import export_database, import_database

    if not svc.is_empty():
        raise ConflictError(
            tr("The database is not empty: the demo only fills an empty database ({path}).", path=svc.path)
        )
    with Services.open(":memory:") as scratch:
        fill_demo(scratch, as_of)
        data = export_database(scratch)
    return import_database(svc, data)
