"""The limitation period: when it ends, what restarts it, and the warning before doing that."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from domain.dates import add_months, add_years
from domain.debts import N_, ContactEntry, ContactTarget, Debt, DebtKind, Method, Payment
from domain.overdue._common import next_due_date
from domain.overdue.types import WARN_WINDOW_MONTHS, ArrearsRowLike, Limitation, OverdueRules

# --- limitation period ---------------------------------------------------------------------


def last_due_date(debt: Debt, rows: Sequence[ArrearsRowLike] | None = None) -> date:
    """The due date of the last instalment (Civil Code Art. 189), from the schedule or the terms."""
    if debt.method is Method.REVOLVING:
        # A card has no last instalment: its claim runs from the missed due date.
        return debt.overdue_since or next_due_date(debt.start_date, debt.due_day)
    if rows:
        return max(r.due_date for r in rows)
    if debt.method is Method.BULLET or debt.months <= 1:
        return add_months(debt.start_date, max(debt.months, 1))
    return add_months(debt.start_date, debt.months, debt.due_day)


def limitation(
    debt: Debt,
    payments: Iterable[Payment],
    contacts: Iterable[ContactEntry],
    as_of: date,
    *,
    rules: OverdueRules,
    rows: Sequence[ArrearsRowLike] | None = None,
) -> Limitation:
    """When the three-year period ends: from the latest of the last due date, payment or demand.

    A payment is part-performance (Civil Code Art. 195; SPC limitation rules Art. 14); a
    collection contact recorded as reaching the debtor is a demand (Art. 195; SPC rules
    Art. 8; bank-card provisions Art. 3). Third-party contacts are not demands on the debtor.
    """
    period = rules.legal.limitation["period"]
    due = last_due_date(debt, rows)
    paid = [p.date for p in payments if p.date <= as_of and p.amount > 0]
    asked = [c.when.date() for c in contacts if c.target is ContactTarget.DEBTOR and c.when.date() <= as_of]
    candidates = [(due, "last_due")]
    if paid:
        candidates.append((max(paid), "last_payment"))
    if asked:
        candidates.append((max(asked), "last_demand"))
    starts, basis = max(candidates, key=lambda c: c[0])
    ends = add_years(starts, period.integer("years"))
    cited = period.cited
    if basis == "last_payment":
        cited = rules.legal.limitation["payment"].cited
    elif basis == "last_demand":
        cited = rules.legal.limitation["demand"].cited
    return Limitation(
        starts,
        ends,
        basis,
        as_of > ends,
        cited,
        max(paid) if paid else None,
        max(asked) if asked else None,
        card=debt.method is Method.REVOLVING or debt.kind is DebtKind.CREDIT_CARD,
    )


def limitation_explanation(lim: Limitation) -> tuple[tuple[str, Mapping[str, str]], ...]:
    """Why the period ends when it does, and what would restart it (msgids with params)."""
    params = {"starts": lim.starts.isoformat(), "ends": lim.ends.isoformat()}
    why = {
        "last_due": N_(
            "Three years from the last due date, {starts}, so until {ends} (Civil Code Arts. 188, 189)."
        ),
        "last_payment": N_(
            "Three years from your last payment on {starts}, so until {ends} (Civil Code Art. 195; "
            "SPC limitation rules Art. 14)."
        ),
        "last_demand": N_(
            "Three years from the last demand that reached you on {starts}, so until {ends} (Civil "
            "Code Art. 195; SPC limitation rules Art. 8)."
        ),
    }[lim.basis]
    restarts = N_(
        "A payment, a signed repayment plan or a promise to pay, a demand that reaches you (a call, "
        "message or letter to you), or a lawsuit starts the three years again. After they end the debt "
        "still exists, but you may refuse to pay on that ground; paying or promising to pay then gives "
        "that up."
    )
    raise_it = N_(
        "A court does not apply the limitation period by itself: you must raise it, in the first instance "
        "(Civil Code Art. 193; SPC limitation rules Arts. 2-3). Paying after it has run cannot be taken "
        "back (Civil Code Art. 192)."
    )
    lines: list[tuple[str, Mapping[str, str]]] = [(why, params), (restarts, {})]
    if lim.card:
        lines.append(
            (
                N_(
                    "For a card, the bank's own debit of your account, a message or letter to your registered phone, "
                    "address or e-mail, and a police report each interrupt the period too (SPC bank-card provisions "
                    "Art. 3), and the bank's records may show some you did not note: a card debt still in "
                    "collection is rarely time-barred."
                ),
                {},
            )
        )
    lines.append((raise_it, {}))
    return tuple(lines)


def restart_warning(
    lim: Limitation, action: str, as_of: date, window_months: int = WARN_WINDOW_MONTHS
) -> tuple[str, Mapping[str, str]] | None:
    """A warning (msgid, params) before an action that restarts the limitation period, or None.

    Always after expiry (paying or promising then waives the defence). A letter or a plan
    acknowledges the debt on purpose, so it is always warned about; a payment before expiry
    only when the period ends within ``window_months`` (routine payments need no warning).
    """
    if action not in ("payment", "letter", "plan"):
        raise ValueError(f"unknown action {action!r}")
    params = {"ends": lim.ends.isoformat()}
    if as_of > lim.ends:
        if action == "payment":
            return N_(
                "The limitation period for this debt ended on {ends}. A payment now cannot be taken back, "
                "and paying or promising to pay may give up the time-limit defence (Civil Code Art. 192; "
                "SPC limitation rules Art. 19)."
            ), params
        return N_(
            "The limitation period for this debt ended on {ends}. Signing a repayment plan or promising "
            "to pay now gives up the time-limit defence (SPC limitation rules Art. 19; Civil Code "
            "Art. 192)."
        ), params
    if action != "payment":
        return N_(
            "The limitation period would end on {ends}. A letter that promises to pay or proposes a plan "
            "restarts it for three years (Civil Code Art. 195; SPC limitation rules Art. 14)."
        ), params
    if lim.ends <= add_months(as_of, window_months):
        return N_(
            "The limitation period would end on {ends}. A payment restarts it for three years "
            "(Civil Code Art. 195; SPC limitation rules Art. 14)."
        ), params
    return None


def restart_needs_question(lim: Limitation, as_of: date, window_months: int = WARN_WINDOW_MONTHS) -> bool:
    """Whether restarting the period is worth a question before acting, not just a quiet note.

    Only when the period may have ended (by the person's records it has; a demand they did not
    log may have interrupted it) or ends within ``window_months``: then a payment or a promise can
    cost a defence that is, or is about to be, real. Years ahead, it costs nothing worth stopping
    the person for.
    """
    return as_of > lim.ends or lim.ends <= add_months(as_of, window_months)
