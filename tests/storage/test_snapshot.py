"""A delete's snapshot follows the models' foreign keys, so a table added later is not forgotten."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Column, ForeignKey, Integer, Table, Text, select

from storage import snapshot
from storage.db import open_database
from storage.models import Base, DebtRow, LenderRow, SettingRow

DEBT = {
    "name": "Card",
    "kind": "credit_card",
    "principal": Decimal("1234.56"),
    "start_date": date(2026, 1, 15),
    "method": "revolving",
    "months": 12,
    "rate": Decimal("0.05"),
    "rate_unit": "day",
    "fee_rate": Decimal(0),
    "due_day": 15,
    "grace_days": 0,
    "penalty_rate_multiplier": Decimal("1.5"),
    "late_fee_rate_per_day": Decimal(0),
    "status": "active",
}


@pytest.fixture
def notes() -> Iterator[tuple[Table, Table]]:
    """Two tables the program does not have: notes on a debt, and replies to a note (both cascading)."""
    note = Table(
        "debt_notes",
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("debt_id", ForeignKey("debts.id", ondelete="CASCADE"), nullable=False),
        Column("text", Text, nullable=False),
    )
    reply = Table(
        "note_replies",
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("note_id", ForeignKey("debt_notes.id", ondelete="CASCADE"), nullable=False),
        Column("text", Text, nullable=False),
    )
    try:
        yield note, reply
    finally:
        Base.metadata.remove(reply)
        Base.metadata.remove(note)


def _dump(conn) -> dict[str, list[tuple[object, ...]]]:
    names = [
        r[0]
        for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {
        n: [tuple(r) for r in conn.exec_driver_sql(f'SELECT rowid, * FROM "{n}" ORDER BY rowid')]
        for n in names
    }


def test_a_table_added_to_the_models_goes_and_comes_back_with_its_debt(notes):
    note, reply = notes
    database = open_database(":memory:")
    try:
        Base.metadata.create_all(database.engine, tables=[note, reply])
        with database.transaction() as s:
            s.add(LenderRow(id=1, name="Bank", kind="credit_card", phone="", address="", account_number=""))
            s.flush()
            for debt_id in (1, 2):
                s.add(DebtRow(id=debt_id, lender_id=1, **DEBT))
            s.add(SettingRow(key="a", value="1"))
            s.add(SettingRow(key="per_debt.1", value="mine"))
            s.add(SettingRow(key="fired", value='{"1": "2026-11-01", "2": "2026-11-02"}'))
            s.add(SettingRow(key="z", value="2"))
            s.flush()
            s.execute(
                note.insert(),
                [
                    {"id": 1, "debt_id": 1, "text": "called"},
                    {"id": 2, "debt_id": 2, "text": "other"},
                    {"id": 3, "debt_id": 1, "text": "wrote"},
                ],
            )
            s.execute(
                reply.insert(),
                [{"id": 1, "note_id": 3, "text": "answered"}, {"id": 2, "note_id": 2, "text": "kept"}],
            )
        with database.transaction() as s:
            before = _dump(s.connection())
            taken = snapshot.take(s, DebtRow, 1, setting_keys=["per_debt.1"], setting_maps=["fired"])
        assert [(rows.table, len(rows.rows)) for rows in taken.deleted] == [
            ("debts", 1),
            ("debt_notes", 2),
            ("note_replies", 1),
            ("settings", 1),
        ]
        with database.transaction() as s:
            conn = s.connection()
            assert [r.text for r in conn.execute(select(note.c.text))] == ["other"]
            assert [r.text for r in conn.execute(select(reply.c.text))] == ["kept"]
            assert dict(conn.exec_driver_sql("SELECT key, value FROM settings").fetchall()) == {
                "a": "1",
                "fired": '{"2": "2026-11-02"}',
                "z": "2",
            }
        with database.transaction() as s:
            snapshot.put_back(s, taken)
        with database.transaction() as s:
            assert _dump(s.connection()) == before
    finally:
        database.close()


def test_put_back_refuses_a_taken_key_and_writes_nothing():
    database = open_database(":memory:")
    try:
        with database.transaction() as s:
            s.add(LenderRow(id=1, name="Bank", kind="credit_card", phone="", address="", account_number=""))
            s.flush()
            s.add(DebtRow(id=1, lender_id=1, **DEBT))
        with database.transaction() as s:
            taken = snapshot.take(s, DebtRow, 1)
        with database.transaction() as s:
            s.add(DebtRow(id=1, lender_id=1, **{**DEBT, "name": "Another"}))
        with pytest.raises(snapshot.RestoreRefused) as refused, database.transaction() as s:
            snapshot.put_back(s, taken)
        assert (refused.value.reason, refused.value.table, refused.value.key) == ("taken", "debts", 1)
        with database.transaction() as s:
            assert s.scalars(select(DebtRow.name)).all() == ["Another"]
    finally:
        database.close()
