"""The overdue service on a real database, through the real services."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.debts import (
    ContactChannel,
    ContactEntry,
    ContactTarget,
    Debt,
    DebtKind,
    Method,
    RateUnit,
)
from services.app import Services
from services.debtjson import debt_to_json
from services.errors import UserError
from services.overdue import (
    all_reports,
    build_report,
    collection_violations,
    report_json,
    report_lines,
    restart_warning,
    set_term_overrides,
)

AS_OF = date(2026, 11, 23)
CONTRACT_KEYS = [
    "debt_id",
    "as_of",
    "days_overdue",
    "overdue_principal",
    "penalty_interest",
    "late_fees",
    "total_due",
    "stage",
    "events",
    "limitation_ends",
    "legal_checks",
]


BAITIAO = Debt(
    name="京东白条 12期",
    lender="京东金融",
    kind=DebtKind.JD_BAITIAO,
    principal=Decimal("8000"),
    start_date=date(2026, 4, 26),
    method=Method.FEE_INSTALLMENT,
    months=12,
    fee_rate=Decimal("0.5"),
    due_day=26,
    late_fee_rate_per_day=Decimal("0.015"),
    overdue_since=AS_OF - timedelta(days=120),
    overdue_amount=Decimal("2826.68"),
    id=1,
)
CARD = Debt(
    name="信用卡",
    lender="银行",
    kind=DebtKind.CREDIT_CARD,
    principal=Decimal("25000"),
    start_date=date(2026, 5, 25),
    method=Method.REVOLVING,
    months=12,
    rate=Decimal("0.05"),
    rate_unit=RateUnit.DAY,
    penalty_rate_multiplier=Decimal("1"),
    due_day=25,
    grace_days=3,
    id=2,
)
PRIVATE = Debt(
    name="借款",
    lender="表哥",
    kind=DebtKind.PRIVATE_LOAN,
    principal=Decimal("10000"),
    start_date=date(2026, 1, 15),
    method=Method.BULLET,
    months=6,
    rate=Decimal("24"),
    due_day=15,
    id=3,
    overdue_since=date(2026, 7, 15),
)
CONTACTS = [
    ContactEntry(when=datetime(2026, 11, 1, 23, 10), channel=ContactChannel.PHONE, who="催收公司", debt_id=1),
    ContactEntry(
        when=datetime(2026, 11, 2, 10, 0),
        channel=ContactChannel.PHONE,
        who="催收公司",
        target=ContactTarget.HOMETOWN,
        debt_id=1,
        id=12,
    ),
]


def open_with(path, debts, contacts=()):
    """A database holding ``debts`` (their ids given in order: 1, 2, 3…) and ``contacts``."""
    svc = Services.open(path)
    for debt in debts:
        assert svc.add_debt(debt_to_json(debt, with_id=False)) == debt.id
    for entry in contacts:
        svc.add_contact(replace(entry, id=None))
    return svc


@pytest.fixture
def svc(tmp_path):
    with open_with(tmp_path / "debts.sqlite3", [BAITIAO, CARD, PRIVATE], CONTACTS) as services:
        yield services


def test_json_has_the_contract_fields_in_order(svc):
    doc = report_json(build_report(svc, 1, AS_OF), "en_US", collection_violations(svc, 1))
    assert list(doc)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert doc["days_overdue"] == 120
    # 2826.68 × 0.015% × 120 = 50.88; total 2877.56.
    assert (doc["late_fees"], doc["penalty_interest"], doc["total_due"]) == ("50.88", "0.00", "2877.56")
    assert doc["stage"] == "M4"
    for event in doc["events"]:
        assert set(event) >= {"day", "date", "kind", "text", "source", "certainty"}
        assert event["certainty"] in ("law", "typical") and event["source"] and event["text"]
        date.fromisoformat(event["date"])
    for check in doc["legal_checks"]:
        assert set(check) >= {"kind", "ok", "text", "source"} and isinstance(check["ok"], bool)
    date.fromisoformat(doc["limitation_ends"])
    assert doc["rules_used"] and all(r["text"] for r in doc["rules_used"])
    assert [v["rules"][0]["rule"] for v in doc["collection_violations"]] == ["quiet_hours", "hometown"]
    json.dumps(doc)  # serialisable


def test_texts_follow_the_language(svc):
    report = build_report(svc, 1, AS_OF)
    zh = report_json(report, "zh_CN")
    en = report_json(report, "en_US")
    assert zh["events"][0]["text"] != en["events"][0]["text"]
    # Practice is said once, in the legend and the "about" of each day, never before every text.
    texts = [e["text"] for e in zh["events"] + en["events"]]
    assert not any(t.startswith(("据常见报道", "Commonly reported")) for t in texts)
    assert any(e["when"].startswith("约第") for e in zh["events"])
    assert any(e["when"].startswith("about day") for e in en["events"])
    assert "“约”" in zh["timeline_legend"] and "“About”" in en["timeline_legend"]
    assert "¥" in "\n".join(report_lines(report, "zh_CN"))


def test_a_current_debt_still_gets_legal_checks(svc):
    doc = report_json(build_report(svc, 2, AS_OF), "en_US")
    assert doc["days_overdue"] == 0 and doc["stage"] == "M0" and doc["total_due"] == "0.00"
    assert {c["kind"] for c in doc["legal_checks"]} >= {"rate_cap", "advance_interest", "card_reduce"}


def test_private_loan_at_24_percent_flagged(svc):
    doc = report_json(build_report(svc, 3, AS_OF), "en_US")
    check = next(c for c in doc["legal_checks"] if c["kind"] == "rate_cap")
    assert check["ok"] is False and check["applies"] is True
    # Cap 4 × 3.00% = 12%; the term 2026-01-15..2026-07-15 is 181 days (16+28+31+30+31+30+15):
    # 10000 × 12% × 181/360 = 603.333 → 603.33.
    assert check["amount"] == "603.33"
    assert "12.00%" in check["text"]


def test_overrides_are_the_persons_contract(svc):
    set_term_overrides(svc, 2, {"cycle_fee_percent": "3"})
    overdue = replace(CARD, overdue_since=AS_OF - timedelta(days=10), overdue_amount=Decimal("1000"))
    svc.update_debt(2, debt_to_json(overdue, with_id=False))
    doc = report_json(build_report(svc, 2, AS_OF), "en_US")
    # 0.05%/day × 1000 × 10 = 5.00 penalty; 违约金 3% (the contract) × 1000 = 30.00 for the first cycle.
    assert (doc["penalty_interest"], doc["late_fees"]) == ("5.00", "30.00")
    with pytest.raises(UserError):
        set_term_overrides(svc, 2, {"cycle_fee_percent": "-1"})
    with pytest.raises(UserError):
        set_term_overrides(svc, 2, {"nonsense": "1"})


def test_restart_warning_is_translated(svc):
    # The private loan's last due date is 2026-07-15: the period ends 2029-07-15.
    assert restart_warning(svc, 3, "payment", AS_OF) is None
    assert "Jul 15, 2029" in restart_warning(svc, 3, "letter", AS_OF, "en_US")
    near = restart_warning(svc, 3, "payment", date(2029, 3, 1), "en_US")
    assert near and "Jul 15, 2029" in near
    after = restart_warning(svc, 3, "plan", date(2029, 8, 1), "zh_CN")
    assert after and "2029年7月15日" in after and "放弃" in after
    with pytest.raises(ValueError):
        restart_warning(svc, 3, "call", AS_OF)


def test_a_payment_lowers_the_report(svc):
    before = build_report(svc, 1, AS_OF).total_due
    svc.add_payment(1, "500", AS_OF - timedelta(days=10))
    after = build_report(svc, 1, AS_OF).total_due
    assert after < before - Decimal("499")


def test_limitation_explains_itself(svc):
    doc = report_json(build_report(svc, 3, AS_OF), "en_US")
    assert doc["limitation"]["basis"] == "last_due"
    why, restarts, *more = doc["limitation"]["text"]
    assert "Jul 15, 2026" in why and "Jul 15, 2029" in why
    assert "payment" in restarts
    assert "first instance" in more[-1]
    svc.add_payment(3, "100", date(2026, 10, 1))
    doc = report_json(build_report(svc, 3, AS_OF), "zh_CN")
    assert doc["limitation"]["basis"] == "last_payment" and doc["limitation_ends"] == "2029-10-01"
    assert "2026年10月1日" in doc["limitation"]["text"][0]


def test_all_reports(svc):
    reports = all_reports(svc, AS_OF)
    assert [r.debt_id for r in reports] == [1, 2, 3]
    # Baitiao 120 days; the card is current; the private loan fell due 2026-07-15: 16+31+30+31+23 = 131 days.
    assert [(r.days_overdue, r.stage) for r in reports] == [(120, "M4"), (0, "M0"), (131, "M5")]


def test_card_threshold_adds_the_persons_other_cards_through_the_service(tmp_path):
    # Two overdue cards of 25,000 and 30,000 (no payments): each below 50,000, together 55,000.00.
    one = replace(CARD, id=1, overdue_since=AS_OF - timedelta(days=100))
    two = replace(CARD, principal=Decimal("30000"), overdue_since=AS_OF - timedelta(days=100))
    with open_with(tmp_path / "cards.sqlite3", [one, two, replace(BAITIAO, id=3)]) as svc:
        event = next(e for e in build_report(svc, 1, AS_OF).events if e.kind == "criminal_threshold")
    assert event.applies
    assert event.params["principal"] == "25000.00" and event.params["total"] == "55000.00"
