"""``rows.suspect_payments`` finds, in SQLite alone, every payment the readers' checks refuse (it may find
more: the checks decide), so that figures read from kept ledger states still name each damaged payment."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from storage import rows
from storage.models import PaymentRow

GOOD = (7, 1, "2026-02-15", 10000, 0, 2500, 7500, "note")
COLUMNS = ("id", "debt_id", "date", "amount", "fees", "interest", "principal", "note")
values = st.one_of(
    st.none(),
    st.integers(-(2**62), 2**62),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.binary(max_size=4),
    st.sampled_from(["2026-02-30", "2026-02-29", "2024-02-29", "1969-12-31", "2200-12-31", "2201-01-01",
                     "2026-1-5", "2026-02-15T00:00", " 2026-02-15", "x" * 10_001, 0, 100_000_000_000_001]),
)  # fmt: skip


def _table():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE payments (id INTEGER PRIMARY KEY, debt_id INTEGER, date DATE, amount INTEGER, "
                 "fees INTEGER, interest INTEGER, principal INTEGER, note TEXT, ledger_state TEXT)")  # fmt: skip
    return conn


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 7), values)
def test_every_payment_the_checks_refuse_is_found(column, value):
    from sqlalchemy import create_engine

    row = list(GOOD)
    row[column] = value
    engine = create_engine("sqlite://", creator=_table)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"INSERT INTO payments ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", tuple(row)
        )
        refused = rows.read_payments(conn, rows.raw_select(PaymentRow)).problems
        found = rows.read_payments(conn, rows.suspect_payments()).problems
    assert [p.key for p in refused] == [p.key for p in found]


def test_good_payments_are_not_read_at_all():
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://", creator=_table)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"INSERT INTO payments ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", GOOD
        )
        assert conn.execute(rows.suspect_payments()).all() == []
