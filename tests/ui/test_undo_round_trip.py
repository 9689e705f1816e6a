"""Undo of a delete brings back exactly what was deleted: the export and every table, byte for byte.

Each case deletes through the window's own action (the page pushes the real
command on the window's undo stack), undoes with ``QUndoStack.undo()`` and
compares the deterministic export and a raw dump of every table (all columns,
in rowid order) with what they were before the delete. The demo database gets
extra rows first, so that every table that refers to a debt holds some.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event

from domain.debts import ContactChannel, ContactEntry, DebtStatus
from tests.ui.conftest import TODAY

NOW = datetime.combine(TODAY, time(12, 0))


def raw_dump(svc: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but Alembic's), all columns, in rowid order."""
    with svc.database.engine.connect() as conn:
        names = [
            row[0]
            for row in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        query = 'SELECT rowid, * FROM "{}" ORDER BY rowid'
        return {
            name: [tuple(r) for r in conn.exec_driver_sql(query.format(name))]
            for name in names
            if name != "alembic_version"
        }


def state(svc: Any) -> tuple[bytes, dict[str, list[tuple[Any, ...]]]]:
    from services.jsonio import export_database

    return export_database(svc), raw_dump(svc)


def tables_referring_to_debts() -> dict[str, str]:
    """Table -> its column that refers to debts, from the models."""
    from storage.models import Base

    return {
        t.name: fk.parent.name
        for t in Base.metadata.sorted_tables
        for fk in t.foreign_keys
        if fk.column.table.name == "debts"
    }


def debt_named(svc: Any, prefix: str) -> int:
    return next(d.id for d in svc.list_debts() if d.name.startswith(prefix))


def enrich(svc: Any) -> int:
    """Give the credit-card debt a row in every table that refers to debts, and settings under its id."""
    from domain.reminders import ReminderRule
    from services import overdue, reminders
    from services.app import Instalment

    card = debt_named(svc, "招商银行")
    svc.add_payment(card, "800.00", date(2026, 9, 25), "九月还款")
    svc.add_payment(card, "650.50", date(2026, 10, 25), "")
    svc.set_instalments(
        card,
        [
            Instalment(
                card,
                1,
                date(2026, 11, 25),
                Decimal("6100.00"),
                Decimal("6000.00"),
                Decimal("100.00"),
                Decimal("0"),
            ),
            Instalment(
                card,
                2,
                date(2026, 12, 25),
                Decimal("6090.00"),
                Decimal("6000.00"),
                Decimal("90.00"),
                Decimal("0"),
            ),
        ],
    )
    svc.add_contact(
        ContactEntry(
            when=datetime(2026, 11, 20, 15, 0),
            channel=ContactChannel.SMS,
            who="招行信用卡中心",
            summary="提醒最低还款",
            debt_id=card,
        )
    )
    overdue.set_term_overrides(svc, card, {"cycle_fee_percent": "3"})
    reminders.set_rule(svc, card, ReminderRule(days_before=(5, 2), on_due_day=True))
    fired = reminders.fire_due_reminders(svc, NOW)
    assert card in {r.debt_id for r in fired}
    svc.set_debt_status(card, DebtStatus.NEGOTIATING)
    svc.set_setting("a setting after the debt's", "kept in its place")
    return card


def test_the_enriched_debt_has_rows_in_every_table_that_refers_to_debts(services):
    card = enrich(services)
    dump = raw_dump(services)
    referring = tables_referring_to_debts()
    assert set(referring) >= {"payments", "instalments", "reminders", "contacts", "debt_terms"}
    with services.database.engine.connect() as conn:
        for table, column in referring.items():
            query = f'SELECT count(*) FROM "{table}" WHERE "{column}" = ?'
            count = conn.exec_driver_sql(query, (card,)).scalar()
            assert count, f"the test gives the debt no row in {table}: add one in enrich()"
    keys = {row[1] for row in dump["settings"]}
    assert {"reminders.last_fired", "reminders.tracked_from"} <= keys
    reminder = next(r for r in services.list_reminders() if r.debt_id == card)
    assert reminder.last_fired == TODAY
    assert reminder.at is not None  # the rule's details are columns of its row, taken and put back with it


def test_undo_of_a_deleted_debt_gives_back_the_same_bytes(window, services):
    card = enrich(services)
    before = state(services)
    page = window.show_page("debts")
    page.select_debt(card)
    page.delete_selected()

    after_delete = raw_dump(services)
    for table, column in tables_referring_to_debts().items():
        assert all(row[1 + _column_index(services, table, column)] != card for row in after_delete[table])
    settings = {row[1]: row[2] for row in after_delete["settings"]}
    assert f"overdue_terms.{card}" not in settings and f"reminders.rules.{card}" not in settings
    assert f'"{card}"' not in settings["reminders.last_fired"]
    assert f'"{card}"' not in settings["reminders.tracked_from"]

    window.undo_stack.undo()
    assert state(services) == before
    window.undo_stack.redo()  # deletes again
    assert raw_dump(services) == after_delete
    window.undo_stack.undo()
    assert state(services) == before


def _column_index(svc: Any, table: str, column: str) -> int:
    with svc.database.engine.connect() as conn:
        names = [row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{table}")')]
    return names.index(column)


def test_undo_of_a_deleted_payment_gives_back_the_same_bytes(window, services):
    enrich(services)
    bank = debt_named(services, "建行")
    payments = services.list_payments(bank)
    target = payments[2]  # later payments are split differently without it
    before = state(services)
    page = window.show_page("payments")
    page.show_debt(bank)
    page.table.selectRow(next(i for i, p in enumerate(page.model.rows) if p.id == target.id))
    page.delete_selected()
    after_delete = raw_dump(services)
    assert target.id not in {p.id for p in services.list_payments(bank)}
    later = [p for p in services.list_payments(bank) if p.date > target.date]
    assert [(p.interest, p.principal) for p in later] != [
        (p.interest, p.principal) for p in payments if p.date > target.date
    ]

    window.undo_stack.undo()
    assert state(services) == before
    window.undo_stack.redo()
    assert raw_dump(services) == after_delete
    window.undo_stack.undo()
    assert state(services) == before


def test_undo_of_a_deleted_contact_gives_back_the_same_bytes(window, services):
    card = enrich(services)
    baitiao = debt_named(services, "京东白条")
    before = state(services)
    page = window.show_page("overdue")
    page.show_debt(baitiao)
    contacts = services.list_contacts(baitiao)
    assert len(contacts) >= 2
    target = contacts[1]
    page.contacts_view.selectRow(next(i for i, c in enumerate(page.contacts.rows) if c.id == target.id))
    page.delete_contact()
    after_delete = raw_dump(services)
    assert target.id not in {c.id for c in services.list_contacts()}

    window.undo_stack.undo()
    assert state(services) == before
    window.undo_stack.redo()
    assert raw_dump(services) == after_delete
    window.undo_stack.undo()
    assert state(services) == before
    assert card  # the enriched debt's own contacts were untouched throughout


def test_undo_of_a_deleted_debt_is_one_transaction(window, services, qtbot):
    """A failure halfway through the undo leaves nothing of it in the database."""
    card = enrich(services)
    page = window.show_page("debts")
    page.select_debt(card)
    page.delete_selected()
    after_delete = state(services)

    inserts: list[str] = []

    def fail_on_third_insert(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT"):
            inserts.append(statement)
            if len(inserts) == 3:
                raise RuntimeError("the disk went away")

    engine = services.database.engine
    event.listen(engine, "before_cursor_execute", fail_on_third_insert)
    try:
        with qtbot.capture_exceptions() as raised:
            window.undo_stack.undo()
    finally:
        event.remove(engine, "before_cursor_execute", fail_on_third_insert)
    assert len(inserts) == 3 and len(raised) == 1 and "the disk went away" in str(raised[0][1])
    assert state(services) == after_delete
    assert not window.undo_stack.canUndo()  # the failed step is not left claiming a change


def test_undo_is_refused_when_a_new_debt_took_the_id(window, services, qtbot):
    last = max(d.id for d in services.list_debts())
    page = window.show_page("debts")
    page.select_debt(last)
    page.delete_selected()
    newcomer = services.add_debt(
        {
            "name": "新借款",
            "lender": "新贷款方",
            "kind": "other",
            "principal": "100.00",
            "start_date": "2026-11-01",
            "method": "bullet",
            "months": 1,
        }
    )
    assert newcomer == last  # SQLite gives the freed id to the next debt
    before = state(services)
    with qtbot.capture_exceptions() as raised:
        window.undo_stack.undo()
    assert [type(e[1]).__name__ for e in raised] == ["ConflictError"]
    assert f"a new debt has taken number {last}" in str(raised[0][1])
    assert state(services) == before
    assert not window.undo_stack.canUndo()


def test_a_new_debt_does_not_inherit_what_was_kept_under_a_deleted_debts_id(services):
    from services import overdue, reminders

    last = max(d.id for d in services.list_debts())
    overdue.set_term_overrides(services, last, {"cycle_fee_percent": "3"})
    reminders.set_rule(services, last, None)  # follows the defaults: kept as a setting
    reminders.fire_due_reminders(services, NOW)
    services.remove_debt(last)
    newcomer = services.add_debt(
        {
            "name": "新借款",
            "lender": "新贷款方",
            "kind": "bank_loan",
            "principal": "100.00",
            "start_date": "2026-11-01",
            "method": "bullet",
            "months": 1,
        }
    )
    assert newcomer == last
    assert overdue.term_overrides(services, newcomer) == {}
    assert services.get_setting(f"reminders.rules.{newcomer}") is None
    assert newcomer not in reminders.last_fired(services)
    assert newcomer not in reminders.tracked_from(services)


def test_redo_of_an_added_debt_brings_back_what_was_added_to_it(context, services):
    from services.app import ReminderRule
    from ui.undo import AddDebt, AddPayment, undo_stack

    stack = undo_stack(context)
    data = {
        "name": "新借款",
        "lender": "新贷款方",
        "kind": "bank_loan",
        "principal": "1000.00",
        "start_date": "2026-10-01",
        "method": "equal-installment",
        "months": 6,
        "rate": "12",
        "rate_unit": "year",
    }
    debt_id = services.add_debt(data)
    stack.push(AddDebt(context, "add", debt_id, data))
    services.set_reminder(ReminderRule(debt_id, (3,)))
    payment_id = services.add_payment(debt_id, "200.00", date(2026, 11, 1), "first")
    stack.push(
        AddPayment(
            context,
            "pay",
            payment_id,
            debt_id=debt_id,
            amount=Decimal("200.00"),
            on=date(2026, 11, 1),
            note="first",
        )
    )
    before = state(services)
    stack.undo()
    stack.undo()
    assert debt_id not in {d.id for d in services.list_debts()}
    stack.redo()
    stack.redo()
    assert state(services) == before


@pytest.mark.parametrize("kind", ["debt", "payment", "contact"])
def test_restore_refuses_a_taken_id_and_changes_nothing(services, kind):
    from services.errors import ConflictError

    if kind == "debt":
        removed = services.remove_debt(max(d.id for d in services.list_debts()))
        services.add_debt(
            {
                "name": "x",
                "lender": "y",
                "kind": "other",
                "principal": "1.00",
                "start_date": "2026-11-01",
                "method": "bullet",
                "months": 1,
            }
        )
    elif kind == "payment":
        last = max(services.list_payments(), key=lambda p: p.id)
        removed = services.remove_payment(last.id)
        services.add_payment(last.debt_id, "1.00", last.date)
    else:
        last = max(services.list_contacts(), key=lambda c: c.id)
        removed = services.remove_contact(last.id)
        services.add_contact(last)
    before = state(services)
    with pytest.raises(ConflictError, match="has taken number"):
        services.restore_deleted(removed)
    assert state(services) == before


def test_a_payment_of_a_debt_deleted_since_is_not_put_back(services):
    from services.errors import ConflictError

    payment = services.list_payments()[0]
    removed = services.remove_payment(payment.id)
    services.remove_debt(payment.debt_id)
    before = state(services)
    with pytest.raises(ConflictError, match=f"debt number {payment.debt_id}"):
        services.restore_deleted(removed)
    assert state(services) == before


def test_a_debt_whose_lender_was_removed_since_comes_back_with_its_lender(services):
    debt = next(d for d in services.list_debts() if d.lender == "表哥 李明")
    lender = next(x for x in services.list_lenders() if x.name == debt.lender)
    before = state(services)
    removed = services.remove_debt(debt.id)
    services.remove_lender(lender.id)
    services.restore_deleted(removed)
    assert state(services) == before


def test_a_debt_whose_lender_name_was_given_to_a_new_lender_is_refused(services):
    from domain.debts import Lender
    from services.errors import ConflictError

    debt = next(d for d in services.list_debts() if d.lender == "支付宝（花呗）")
    lender = next(x for x in services.list_lenders() if x.name == debt.lender)
    removed = services.remove_debt(debt.id)
    services.remove_lender(lender.id)
    services.add_lender(Lender(lender.name, kind=lender.kind))
    before = state(services)
    with pytest.raises(ConflictError, match="lenders"):
        services.restore_deleted(removed)
    assert state(services) == before
