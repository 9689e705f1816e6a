"""The kept ledger state: resuming from the state after any payment splits the rest exactly as replaying
every payment from the start does (``allocate``), and what is owed on a day reads the same from the
state of the last payment by then as from ``outstanding``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.debts import Debt, DebtKind, Method, RateUnit
from domain.ledger import (
    LateCharges,
    LedgerState,
    allocate,
    fits,
    outstanding,
    outstanding_after,
    resume,
    start_state,
    state_from_text,
    state_text,
)

D = Decimal
START = date(2026, 1, 15)


@st.composite
def debts(draw: st.DrawFn) -> Debt:
    method = draw(st.sampled_from(list(Method)))
    principal = D(draw(st.integers(100_00, 200_000_00))).scaleb(-2)
    months = draw(st.integers(1, 24))
    unit = draw(st.sampled_from(list(RateUnit)))
    rate = D(draw(st.integers(0, {"day": 10, "month": 300, "year": 3600}[unit.value]))).scaleb(-2)
    standing: dict[str, object] = {}
    if method not in (Method.REVOLVING, Method.DAILY_INTEREST) and draw(st.booleans()):
        standing["instalments_paid"] = draw(st.integers(1, max(1, months - 1)))
    overdue = draw(st.none() | st.integers(20, 200).map(lambda d: START + timedelta(days=d)))
    return Debt(
        name="债",
        lender="贷方",
        kind=DebtKind.OTHER,
        principal=principal,
        start_date=START,
        method=method,
        months=months,
        rate=rate,
        rate_unit=unit,
        fee_rate=D(draw(st.integers(0, 80))).scaleb(-2) if method is Method.FEE_INSTALLMENT else D(0),
        due_day=draw(st.integers(1, 31)),
        grace_days=draw(st.integers(0, 3)),
        overdue_since=overdue,
        **standing,  # type: ignore[arg-type]
    )


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[Debt, list[tuple[date, Decimal]], list[LateCharges]]:
    """A debt and payments in ledger order (several on one day too), none more than is owed: each
    at most the starting principal / (n + 1), so the principal left always covers the next; sometimes a last
    payment of everything owed."""
    debt = draw(debts())
    begins = start_state(debt).last
    n = draw(st.integers(1, 25))
    # of the principal the ledger starts from (a debt entered mid-life owes less than it lent)
    cap = int(start_state(debt).principal * 100) // (n + 1)
    offsets = sorted(draw(st.lists(st.integers(0, 700), min_size=n, max_size=n)))
    payments = [
        (begins + timedelta(days=o), D(draw(st.integers(1, max(1, cap)))).scaleb(-2)) for o in offsets
    ]
    late = [
        LateCharges(D(draw(st.integers(0, 500))).scaleb(-2), D(draw(st.integers(0, 500))).scaleb(-2))
        if draw(st.booleans())
        else LateCharges()
        for _ in payments
    ]
    if draw(st.booleans()):
        on = payments[-1][0] + timedelta(days=draw(st.integers(0, 60)))
        payments.append((on, outstanding(debt, payments, on, late).total))
        late.append(LateCharges())
    return debt, payments, late


@settings(max_examples=150, deadline=None)
@given(ledgers(), st.data())
def test_resuming_after_any_payment_splits_the_rest_as_a_full_replay(ledger, data):
    debt, payments, late = ledger
    replayed = allocate(debt, payments, late)
    steps = resume(debt, None, payments, late)
    assert [split for split, _state in steps] == replayed
    k = data.draw(st.integers(0, len(payments) - 1))
    kept = state_from_text(state_text(steps[k][1]))  # as stored beside the payment and read back
    assert kept == steps[k][1]
    assert fits(debt, kept, payments[k][0])
    rest = resume(debt, kept, payments[k + 1 :], late[k + 1 :])
    assert [split for split, _state in rest] == replayed[k + 1 :]
    assert [state for _split, state in rest] == [state for _split, state in steps[k + 1 :]]


@settings(max_examples=150, deadline=None)
@given(ledgers(), st.integers(-30, 800))
def test_what_is_owed_on_a_day_reads_the_same_from_the_last_state(ledger, offset):
    debt, payments, late = ledger
    on = start_state(debt).last + timedelta(days=offset)
    steps = resume(debt, None, payments, late)
    by_then = [state for (when, _amount), (_split, state) in zip(payments, steps, strict=True) if when <= on]
    assert outstanding_after(debt, by_then[-1] if by_then else None, on) == outstanding(
        debt, payments, on, late
    )


@settings(max_examples=60, deadline=None)
@given(ledgers())
def test_running_totals_are_the_sums_of_the_splits(ledger):
    debt, payments, late = ledger
    steps = resume(debt, None, payments, late)
    last = steps[-1][1]
    assert last.fees_total == sum((s.fees for s, _ in steps), D(0))
    assert last.interest_total == sum((s.interest for s, _ in steps), D(0))
    assert last.principal_paid == sum((s.principal for s, _ in steps), D(0))
    assert last.paid_total == sum((amount for _on, amount in payments), D(0))


LOAN = Debt(
    name="Loan",
    lender="Bank",
    kind=DebtKind.BANK_LOAN,
    principal=D("10000.00"),
    start_date=date(2026, 1, 1),
    method=Method.EQUAL_INSTALLMENT,
    months=12,
    rate=D("3.6"),
    rate_unit=RateUnit.YEAR,
)


def test_a_state_is_resumed_from_only_under_the_terms_and_figures_it_was_computed_with():
    # Feb 1 pays 1000.00: the first period's interest 10000 × 3.6% / 12 = 30.00, then 970.00 principal.
    [(split, state)] = resume(LOAN, None, [(date(2026, 2, 1), D("1000.00"))])
    assert (split.interest, split.principal) == (D("30.00"), D("970.00"))
    assert (state.principal, state.principal_paid, state.charged) == (D("9030.00"), D("970.00"), 1)
    assert fits(LOAN, state, date(2026, 2, 1))
    assert not fits(LOAN, state, date(2026, 2, 2))  # not the state of a payment on that day
    assert not fits(replace(LOAN, rate=D("4.8")), state, date(2026, 2, 1))  # other terms
    assert fits(replace(LOAN, name="Mortgage"), state, date(2026, 2, 1))  # a name is not a term
    assert not fits(LOAN, replace(state, principal=D("9000.00")), date(2026, 2, 1))  # does not add up
    assert not fits(LOAN, replace(state, charged=13), date(2026, 2, 1))  # the loan has 12 periods
    assert not fits(LOAN, replace(state, interest_due=D("-1")), date(2026, 2, 1))


def test_a_state_that_cannot_be_read_back_is_none():
    [(_split, state)] = resume(LOAN, None, [(date(2026, 2, 1), D("1000.00"))])
    text = state_text(state)
    assert state_from_text(text) == state
    for bad in (
        None,
        12,
        "",
        "garbage",
        text.replace("9030.00", "NaN"),
        text.replace("2026-02-01", "2026-02-30"),
    ):
        assert state_from_text(bad) is None
    assert state_from_text("2" + text[1:]) is None  # another version of the text
    assert state_from_text(text.replace(";0.00;", ";5.00;", 1)) is None  # changed but by state_text


def test_resume_needs_the_payments_in_date_order():
    import pytest

    with pytest.raises(ValueError):
        resume(LOAN, None, [(date(2026, 3, 1), D("1.00")), (date(2026, 2, 1), D("1.00"))])


def test_the_start_state_is_the_debt_as_entered():
    state = start_state(LOAN)
    assert state == LedgerState(date(2026, 1, 1), D(0), D(0), D("10000.00"), terms=state.terms)
