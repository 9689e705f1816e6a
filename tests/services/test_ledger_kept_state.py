"""Payments recorded, changed and removed one at a time, each splitting again only from its place in the
ledger: the splits stored and the figures read equal a full replay of the final ledger (``allocate``),
on random debts of every method and random edits, removals and back-dated payments."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain import ledger
from services.app import Services
from services.errors import DamagedRowError, ValidationError

D = Decimal
START = date(2026, 1, 15)
AS_OF = date(2028, 6, 30)
METHODS = ["equal-installment", "equal-principal", "interest-only", "bullet", "fee-installment",
           "daily-interest", "revolving"]  # fmt: skip


def _debt(method: str, **extra: object) -> dict[str, object]:
    return {
        "name": "债",
        "lender": "贷方",
        "kind": "other",
        "principal": "20000.00",
        "start_date": START.isoformat(),
        "method": method,
        "months": 12,
        "rate": "0.05" if method in ("daily-interest", "revolving") else "12",
        "rate_unit": "day" if method in ("daily-interest", "revolving") else "year",
        "fee_rate": "0.5" if method == "fee-installment" else "0",
        "due_day": 20,
        **extra,
    }


# One step: ("add", day, fen) | ("edit", which, day, fen) | ("remove", which); "which" picks a payment.
steps = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 500), st.integers(1, 150_000)),
        st.tuples(st.just("edit"), st.integers(0, 10**6), st.integers(0, 500), st.integers(1, 150_000)),
        st.tuples(st.just("remove"), st.integers(0, 10**6)),
    ),
    min_size=1,
    max_size=14,
)


def _check_against_replay(svc: Services, debt_id: int, *, splits: bool = True) -> None:
    """The stored splits (unless ``splits`` is False) and the figures read equal a full replay."""
    from services import overdue

    debt = svc.get_debt(debt_id)
    payments = svc.list_payments(debt_id)  # in ledger order
    paid = [(p.date, p.amount) for p in payments]
    late = overdue.late_charges(debt, paid, overdue.term_overrides(svc, debt_id))
    replayed = ledger.allocate(debt, paid, late)
    if splits:
        assert [(p.fees, p.interest, p.principal) for p in payments] == [
            (s.fees, s.interest, s.principal) for s in replayed
        ]
        assert svc.debt_summary(debt_id, AS_OF).principal_paid == sum((s.principal for s in replayed), D(0))
    summary = svc.debt_summary(debt_id, AS_OF)
    owed = ledger.outstanding(debt, paid, AS_OF, late)
    assert (summary.balance, summary.interest_due, summary.fees_due) == (
        owed.principal,
        owed.interest,
        owed.fees,
    )
    assert summary.total_paid == sum((p.amount for p in payments), D(0))
    assert summary.last_payment == (payments[-1].date if payments else None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(METHODS), script=steps, standing=st.booleans(), arrears=st.booleans())
def test_splits_kept_step_by_step_equal_a_full_replay(method, script, standing, arrears):
    extra: dict[str, object] = {}
    if standing and method not in ("daily-interest", "revolving"):
        extra["instalments_paid"] = 2
    if arrears:  # its late charges are paid first, and depend on every payment since
        extra.update(overdue_since="2026-05-20", late_fee_rate_per_day="0.05", kind="consumer_finance")
    with Services.open(":memory:") as svc:
        debt_id = svc.add_debt(_debt(method, **extra))
        begins = START + timedelta(days=62 if extra else 0)
        for step in script:
            ids = [p.id for p in svc.list_payments(debt_id)]
            try:
                if step[0] == "add":
                    svc.add_payment(debt_id, D(step[2]).scaleb(-2), begins + timedelta(days=step[1]))
                elif step[0] == "edit" and ids:
                    on = begins + timedelta(days=step[2])
                    svc.update_payment(ids[step[1] % len(ids)], D(step[3]).scaleb(-2), on)
                elif step[0] == "remove" and ids:
                    svc.remove_payment(ids[step[1] % len(ids)])
            except ValidationError:
                pass  # more than is owed: refused, nothing changed
            _check_against_replay(svc, debt_id)


def test_a_debt_with_arrears_splits_with_its_late_charges_as_a_full_replay():
    # Late charges depend on every payment since the first overdue day: such a debt replays from there.
    from services import overdue

    with Services.open(":memory:") as svc:
        debt_id = svc.add_debt(
            _debt(
                "equal-installment",
                kind="consumer_finance",
                overdue_since="2026-03-20",
                late_fee_rate_per_day="0.05",
            )
        )
        for day, amount in ((40, "300"), (100, "2500"), (70, "800"), (100, "50"), (20, "900")):
            svc.add_payment(debt_id, amount, START + timedelta(days=day))
        debt = svc.get_debt(debt_id)
        payments = svc.list_payments(debt_id)
        paid = [(p.date, p.amount) for p in payments]
        late = overdue.late_charges(debt, paid, overdue.term_overrides(svc, debt_id))
        assert late is not None and any(charge.fees or charge.penalty for charge in late)
        replayed = ledger.allocate(debt, paid, late)
        assert [(p.fees, p.interest, p.principal) for p in payments] == [
            (s.fees, s.interest, s.principal) for s in replayed
        ]
        summary = svc.debt_summary(debt_id, AS_OF)
        assert summary.balance == ledger.outstanding(debt, paid, AS_OF, late).principal


@pytest.fixture
def loan_db(tmp_path):
    db = tmp_path / "d.sqlite3"
    with Services.open(db) as svc:
        debt_id = svc.add_debt(_debt("equal-installment"))
        for month in range(1, 6):
            svc.add_payment(debt_id, "1800.00", date(2026, 1 + month, 20))
    return db, debt_id


def _sql(db, statement):
    conn = sqlite3.connect(db)
    try:
        conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "damage",
    [
        "ledger_state = NULL",  # not known (a row written before revision 0004)
        "ledger_state = 'garbage'",  # cannot be read
        "ledger_state = replace(ledger_state, ';0.00;', ';5.00;')",  # readable, but does not add up
        "ledger_state = 12",
    ],
)
def test_a_state_that_is_missing_or_off_is_never_resumed_from(loan_db, damage):
    db, debt_id = loan_db
    _sql(db, f"UPDATE payments SET {damage} WHERE id = (SELECT max(id) FROM payments)")
    with Services.open(db) as svc:
        _check_against_replay(svc, debt_id)  # figures read by replaying
        svc.add_payment(debt_id, "1800.00", date(2026, 7, 20))  # replayed from the start
        _check_against_replay(svc, debt_id)


def test_a_state_kept_under_other_terms_is_not_resumed_from(loan_db):
    db, debt_id = loan_db
    _sql(db, f"UPDATE debts SET rate = '24' WHERE id = {debt_id}")  # changed behind the program's back
    with Services.open(db) as svc:
        _check_against_replay(svc, debt_id, splits=False)  # the figures under the new terms
        svc.add_payment(debt_id, "1800.00", date(2026, 7, 20))
        _check_against_replay(svc, debt_id)


def test_a_damaged_payment_in_the_replay_is_refused_naming_it(loan_db):
    db, debt_id = loan_db
    _sql(db, "UPDATE payments SET ledger_state = NULL")  # so the replay starts at the first payment
    _sql(db, "UPDATE payments SET date = '2026-02-30' WHERE id = 1")
    with Services.open(db, on_problem=lambda _text: None) as svc:
        with pytest.raises(DamagedRowError, match="table payments, id 1"):
            svc.add_payment(debt_id, "1800.00", date(2026, 7, 20))
        assert len(svc.list_payments(debt_id)) == 4  # nothing recorded; the damaged one left out


def test_adding_after_the_others_reads_only_the_last_payment(loan_db):
    from sqlalchemy import event

    db, debt_id = loan_db
    with Services.open(db) as svc:
        read: list[str] = []

        def spy(_conn, _cursor, statement, _parameters, _context, _many):
            if statement.lstrip().startswith("SELECT") and "FROM payments" in statement:
                read.append(statement)

        event.listen(svc.database.engine, "before_cursor_execute", spy)
        try:
            svc.add_payment(debt_id, "1800.00", date(2026, 7, 20))
        finally:
            event.remove(svc.database.engine, "before_cursor_execute", spy)
        assert read and all(
            "LIMIT" in statement or "(payments.date, payments.id) >=" in statement for statement in read
        )
        _check_against_replay(svc, debt_id)


def test_an_imported_ledger_keeps_its_states_and_the_file_keeps_its_splits(loan_db, tmp_path):
    from services.jsonio import export_database, import_database

    db, debt_id = loan_db
    with Services.open(db) as svc:
        exported = export_database(svc)
    copy = tmp_path / "copy.sqlite3"
    with Services.open(copy) as svc:
        import_database(svc, exported)
        assert export_database(svc) == exported  # the same file again
    conn = sqlite3.connect(copy)
    try:
        kept = conn.execute("SELECT count(*) FROM payments WHERE ledger_state IS NOT NULL").fetchone()[0]
    finally:
        conn.close()
    assert kept == 5  # each payment keeps the state after it, so the next one resumes from there
    with Services.open(copy) as svc:
        _check_against_replay(svc, debt_id)
        svc.add_payment(debt_id, "1800.00", date(2026, 7, 20))
        _check_against_replay(svc, debt_id)


def test_an_import_whose_splits_are_not_the_ledgers_keeps_them_and_no_state(loan_db, tmp_path):
    import json

    from services.jsonio import export_database, import_database

    db, debt_id = loan_db
    with Services.open(db) as svc:
        document = json.loads(export_database(svc))
    first = document["payments"][0]
    moved = D("1.00")
    first["interest"] = str(D(first["interest"]) + moved)  # split by other rules
    first["principal"] = str(D(first["principal"]) - moved)
    copy = tmp_path / "copy.sqlite3"
    with Services.open(copy) as svc:
        import_database(svc, json.dumps(document, ensure_ascii=False).encode())
        stored = svc.list_payments(debt_id)[0]
        assert (str(stored.interest), str(stored.principal)) == (first["interest"], first["principal"])
        _check_against_replay(svc, debt_id, splits=False)  # its figures: the ledger's, by replaying
    conn = sqlite3.connect(copy)
    try:
        kept = conn.execute("SELECT count(*) FROM payments WHERE ledger_state IS NOT NULL").fetchone()[0]
    finally:
        conn.close()
    assert kept == 0
