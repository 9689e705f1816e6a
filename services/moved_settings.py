"""Values once kept as settings that are columns now, and their old setting form.

A debt's own overdue terms are the ``debt_terms`` row of the debt (one nullable
column per term of ``domain.rules.OVERRIDABLE_TERMS``); a reminder rule's details
are the ``follow_defaults``, ``daily_while_overdue`` and ``at_time`` columns of its
``reminders`` row. The export file keeps them where they always were, as settings
holding JSON (``overdue_terms.<debt id>``, ``reminders.rules.<debt id>``), so that
older versions read it; ``export_settings`` writes them so, and ``moved_rows``
turns those settings of a file (old or new) into the columns again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the prefixes are read at start-up, before SQLAlchemy is loaded
    from sqlalchemy.orm import Session

    from storage.transfer import Row

TERMS_PREFIX = "overdue_terms."
RULE_PREFIX = "reminders.rules."
BOOL_TERMS = ("penalty_interest",)
TEXT_TERMS = ("penalty_base", "late_fee_base", "rate_fallback")
DECIMAL_TERMS = ("cycle_fee_percent", "late_fee_cap_percent")
INT_TERMS = ("report_day_min", "report_day_typical", "report_day_max")
TERMS = (*BOOL_TERMS, *TEXT_TERMS, *DECIMAL_TERMS, *INT_TERMS)
EXTRAS = ("follow_defaults", "daily_while_overdue", "at_time")


def term_columns(overrides: Mapping[str, object]) -> dict[str, Any] | None:
    """A debt's terms as column values (every term, None where not overridden); None when one
    cannot be stored (an unknown term, or a value of the wrong type)."""
    if set(overrides) - set(TERMS):
        return None
    out: dict[str, Any] = dict.fromkeys(TERMS)
    for name, value in overrides.items():
        if name in BOOL_TERMS and isinstance(value, (bool, int)):
            out[name] = int(bool(value))
        elif name in TEXT_TERMS and isinstance(value, str):
            out[name] = value
        elif name in DECIMAL_TERMS and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            out[name] = str(value)
        elif (
            name in INT_TERMS
            and not isinstance(value, bool)
            and isinstance(value, (int, str))
            and str(value).strip().isdigit()
        ):
            out[name] = int(value)
        else:
            return None
    return out


def terms_from_columns(values: Mapping[str, Any]) -> dict[str, object]:
    """The overridden terms of a ``debt_terms`` row (its NULL columns left out)."""
    out: dict[str, object] = {}
    for name in TERMS:
        value = values.get(name)
        if value is not None:
            out[name] = bool(value) if name in BOOL_TERMS else value
    return out


def extras_from_columns(values: Mapping[str, Any]) -> dict[str, object]:
    """A reminder row's details as the old setting's JSON object ({} when it has none)."""
    out: dict[str, object] = {}
    if values.get("follow_defaults"):
        out["follow_defaults"] = True
    if values.get("daily_while_overdue") is not None:
        out["daily_while_overdue"] = bool(values["daily_while_overdue"])
    if values.get("at_time") is not None:
        out["at"] = values["at_time"]
    return out


def extras_columns(extras: object) -> dict[str, Any]:
    """The old setting's JSON object as a reminder row's detail columns (anything unreadable: none)."""
    data = extras if isinstance(extras, Mapping) else {}
    daily = data.get("daily_while_overdue")
    at = data.get("at")
    return {
        "follow_defaults": int(bool(data.get("follow_defaults"))),
        "daily_while_overdue": int(daily) if isinstance(daily, bool) else None,
        "at_time": at if isinstance(at, str) and len(at) <= 5 else None,
    }


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True)


def export_settings(
    terms: Iterable[Mapping[str, Any]], reminders: Iterable[Mapping[str, Any]]
) -> dict[str, str]:
    """The settings an export writes for the ``debt_terms`` rows and the reminder rows' details."""
    out = {f"{TERMS_PREFIX}{v['debt_id']}": _dumps(terms_from_columns(v)) for v in terms}
    for v in reminders:
        extras = extras_from_columns(v)
        if extras:
            out[f"{RULE_PREFIX}{v['debt_id']}"] = _dumps(extras)
    return out


def read_terms(s: Session, debt_id: int | None) -> dict[str, object]:
    """The overridden terms of a debt, read in ``s`` ({} when it has none)."""
    from sqlalchemy import select

    from storage.models import DebtTermsRow

    if debt_id is None:
        return {}
    found = (
        s.execute(select(*(getattr(DebtTermsRow, n) for n in TERMS)).where(DebtTermsRow.debt_id == debt_id))
        .mappings()
        .first()
    )
    return terms_from_columns(dict(found)) if found is not None else {}


def read_all_terms(s: Session) -> dict[int, dict[str, object]]:
    """Every debt's overridden terms, by debt id."""
    from sqlalchemy import select

    from storage.models import DebtTermsRow

    found = s.execute(select(DebtTermsRow.debt_id, *(getattr(DebtTermsRow, n) for n in TERMS))).mappings()
    return {int(v["debt_id"]): terms_from_columns(dict(v)) for v in found}


def _debt_id(key: str, prefix: str) -> int | None:
    tail = key[len(prefix) :] if key.startswith(prefix) else ""
    return int(tail) if tail.isdigit() else None


def moved_rows(rows: Sequence[Row]) -> list[Row]:
    """The rows of a file with its moved settings made columns again: ``overdue_terms.<id>`` a
    ``debt_terms`` row, ``reminders.rules.<id>`` the details of that debt's reminder row. What
    cannot be moved (unreadable, or of a debt or reminder the file does not hold) is left out, as
    the program ignored it before."""
    from storage.models import DebtTermsRow, ReminderRow, SettingRow

    debts = {values["id"] for model, values in rows if model.__tablename__ == "debts"}
    extras: dict[int, dict[str, Any]] = {}
    terms: list[Row] = []
    out: list[Row] = []
    for model, values in rows:
        key = values.get("key") if model is SettingRow else None
        if key is None:
            out.append((model, values))
        elif (debt_id := _debt_id(key, TERMS_PREFIX)) is not None:
            columns = _loaded(values["value"])
            columns = term_columns(columns) if isinstance(columns, Mapping) and columns else None
            if columns is not None and debt_id in debts:
                terms.append((DebtTermsRow, {"debt_id": debt_id, **columns}))
        elif (debt_id := _debt_id(key, RULE_PREFIX)) is not None:
            extras[debt_id] = extras_columns(_loaded(values["value"]))
        else:
            out.append((model, values))
    out = [
        (model, {**values, **extras.get(values["debt_id"], extras_columns(None))})
        if model is ReminderRow
        else (model, values)
        for model, values in out
    ]
    return out + sorted(terms, key=lambda row: row[1]["debt_id"])


def _loaded(raw: object) -> object:
    try:
        return json.loads(raw) if isinstance(raw, str) and raw else None
    except ValueError:
        return None
