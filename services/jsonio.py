"""The debt JSON of the command-line contract, and whole-database export and import.

``debt_to_json``/``debt_from_json`` are the contract's debt object both ways.
``export_database`` writes a versioned document ({"format": "debtkeeper",
"version": 1, ...}) with sorted keys and no timestamps, so the same database
always gives the same bytes; ``import_database`` checks a whole document first
and writes it in one transaction, keeping every id, so export -> import ->
export is byte-identical. A malformed file changes nothing and the message
says what is wrong and where ("debts[3].principal: not an amount").
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from domain.debts import (
    N_,
    ContactChannel,
    ContactConduct,
    ContactTarget,
    Debt,
    DebtKind,
    DebtStatus,
    FieldError,
    Payment,
)
from domain.money import MoneyError, fen_str, money_str
from domain.validation import (
    DATE_MAX,
    DATE_MIN,
    DEBT_FIELDS,
    TEXT_MAX,
    check_amount,
    check_debt,
    check_text,
    coerce_debt,
    parse_money_value,
)
from fileio.atomic import atomic_write_bytes
from resources.i18n import get_language
from services.app import DebtSummary, Services
from services.errors import ConflictError, ValidationError
from services.reminders import LOCAL_SETTINGS
from storage import rows
from storage.backup import KEEP_MAX, KEEP_MIN, KEEP_SETTINGS
from storage.models import (
    BudgetRow,
    ContactRow,
    DebtRow,
    ExpenseRow,
    InstalmentRow,
    LenderRow,
    PaymentRow,
    ReminderRow,
    SettingRow,
    debt_columns,
)
from storage.types import canonical_decimal_text

FORMAT = "debtkeeper"
MAX_ID = 2**63 - 1  # SQLite's largest integer
EXPORTED_AMOUNT = re.compile(r"[0-9]{1,13}\.[0-9]{2}")  # money_str's form, "1066.19"
VERSION = 1
MONEY_FIELDS = ("principal", "overdue_amount", "received_amount", "outstanding_principal")
RATE_FIELDS = ("rate", "fee_rate", "penalty_rate_multiplier", "late_fee_rate_per_day")
# Tables in the order rows may be inserted (parents first) and removed (children first).
TABLES = (LenderRow, DebtRow, InstalmentRow, PaymentRow, ReminderRow, ContactRow, BudgetRow, ExpenseRow,
          SettingRow)


# --- one debt ------------------------------------------------------------------------


def _plain(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        raise TypeError("decimals are formatted by field")
    if hasattr(value, "value"):  # StrEnum
        return str(value.value)  # type: ignore[attr-defined]
    return value


def debt_to_json(debt: Debt, *, balance: Decimal | None = None, days_overdue: int | None = None,
                 payments: Sequence[Payment] | None = None, with_id: bool = True,
                 with_status: bool = False) -> dict[str, Any]:
    """A debt as the contract's JSON object (amounts "1066.19", rates exact percent text)."""
    out: dict[str, Any] = {}
    if with_id and debt.id is not None:
        out["id"] = debt.id
    for name in DEBT_FIELDS:
        value = getattr(debt, name)
        if name in MONEY_FIELDS:
            out[name] = None if value is None else money_str(value)
        elif name in RATE_FIELDS:
            out[name] = canonical_decimal_text(value)
        else:
            out[name] = _plain(value)
    if with_status:
        out["status"] = debt.status.value
    if balance is not None:
        out["balance"] = money_str(balance)
    if days_overdue is not None:
        out["days_overdue"] = days_overdue
    if payments is not None:
        out["payments"] = [payment_to_json(p) for p in payments]
    return out


def summary_to_json(summary: DebtSummary, payments: Sequence[Payment] | None = None) -> dict[str, Any]:
    """A debt as ``debt list --json`` / ``debt show --json`` print it: the contract's object with
    ``balance``, ``days_overdue``, the derived ``status`` (``domain.status``) and ``apr``, the
    debt's one effective annual rate (``domain.apr``, percent, null when no rate balances)."""
    from domain.apr import debt_apr

    out = debt_to_json(summary.debt, balance=summary.balance, days_overdue=summary.days_overdue,
                       payments=payments)
    out["status"] = summary.standing.value
    apr = debt_apr(summary.debt)
    out["apr"] = None if apr is None else f"{apr.quantize(Decimal('0.01')):f}"
    return out


def payment_to_json(payment: Payment) -> dict[str, Any]:
    return {"id": payment.id, "date": payment.date.isoformat(), "amount": money_str(payment.amount),
            "fees": money_str(payment.fees), "interest": money_str(payment.interest),
            "principal": money_str(payment.principal)}


def debt_from_json(obj: object, *, prefix: str = "") -> tuple[dict[str, Any], list[FieldError]]:
    """The contract's debt object -> typed fields for ``Services.add_debt``, and every error found.

    Unknown keys are errors; required keys must be present. Range checks run in
    ``add_debt`` (they need the kind's preset for the fields left out).
    """
    if not isinstance(obj, Mapping):
        return {}, [FieldError(prefix.rstrip(".") or "debt", N_("must be a JSON object"))]
    return coerce_debt(obj, prefix=prefix)


# Longer digit strings cannot be an id (SQLite's are at most 19 digits) or an amount the program
# accepts: they stay Decimal, so the checks name the field ("must be at most ..."), and Python's
# limit on converting long digit strings to int (4,300 digits) is never reached.
INT_DIGITS_MAX = 30


def _parse_int(text: str) -> int | Decimal:
    return int(text) if len(text) <= INT_DIGITS_MAX else Decimal(text)


def _parse_float(text: str) -> Decimal | float:
    try:
        return Decimal(text)
    except ArithmeticError:  # an exponent too large for Decimal ("1e99999…"): as JSON's Infinity
        return float(text)


def loads(text: str | bytes) -> Any:
    """JSON with exact decimals (a number such as 0.05 never becomes a float).

    Text that is not JSON, not UTF-8, or nested too deeply to read raises ValidationError.
    """
    try:
        return json.loads(text, parse_float=_parse_float, parse_int=_parse_int)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError([_json_error(exc)]) from None
    except RecursionError:
        raise ValidationError([FieldError("JSON", N_("nested too deeply to read"))]) from None


def read_debt_json(text: str | bytes) -> Mapping[str, Any]:
    """Parse the text of one debt object (field checks are left to ``Services.add_debt``,
    which reports every problem at once, ranges included)."""
    obj = loads(text)
    if not isinstance(obj, Mapping):
        raise ValidationError([FieldError("debt", N_("must be a JSON object"))])
    return obj


def _json_error(exc: ValueError) -> FieldError:
    if isinstance(exc, json.JSONDecodeError):
        return FieldError("JSON", N_("not valid JSON (line {line}, column {column}: {reason})"),
                          {"line": exc.lineno, "column": exc.colno, "reason": exc.msg})
    return FieldError("JSON", N_("not UTF-8 text"))


# --- whole database: export --------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else money_str(value)


def _left_out(svc: Services, table: str, parent: str, key: object, count: int, *, kept: bool) -> None:
    """Report records left out of an export (or kept without their link) with the record they belong to."""
    from resources.i18n import translations

    if kept:
        text = translations(get_language()).ngettext(
            "exported without its link: {count} record of table {table} that belongs to table {parent}, "
            "id {key}, which cannot be read or does not exist",
            "exported without their link: {count} records of table {table} that belong to table {parent}, "
            "id {key}, which cannot be read or does not exist", count)
    else:
        text = translations(get_language()).ngettext(
            "left out: {count} record of table {table} that belongs to table {parent}, id {key}, "
            "which cannot be read or does not exist",
            "left out: {count} records of table {table} that belong to table {parent}, id {key}, "
            "which cannot be read or does not exist", count)
    svc.warn(("left out", table, parent, repr(key)),
             text.format(count=count, table=table, parent=parent, key=key))


def _belonging(svc: Services, table: str, values: list[dict[str, Any]], exported: set[int], *,
               link: str = "debt_id", parent: str = "debts", kept: bool = False) -> list[dict[str, Any]]:
    """The rows whose ``link`` is an exported record of ``parent``; the others are reported (per record
    they belong to) and left out, or ``kept`` unlinked (a contact-log entry outlives its debt)."""
    orphans: dict[int, int] = {}
    out = []
    for v in values:
        if v[link] is not None and v[link] not in exported:
            orphans[v[link]] = orphans.get(v[link], 0) + 1
            if not kept:
                continue
            v = {**v, link: None}  # noqa: PLW2901 - the unlinked copy is what is exported
        out.append(v)
    for key, count in sorted(orphans.items()):
        _left_out(svc, table, parent, key, count, kept=kept)
    return out


def export_document(svc: Services) -> dict[str, Any]:
    """Every readable record as one JSON-ready document, ordered by id.

    A damaged row is left out and reported, and so are the rows that belong to it (a payment of a
    debt that cannot be read), so that the document always imports: the person's way out of a
    damaged database. ``svc.warnings`` counts what was reported.
    """
    with svc.reading() as s:
        conn = s.connection()

        def read(model: type[Any]) -> list[dict[str, Any]]:
            return svc.readable(rows.read_values(conn, model))

        lenders = [{"id": v["id"], "name": v["name"], "kind": v["kind"].value, "phone": v["phone"],
                    "address": v["address"], "account_number": v["account_number"]} for v in read(LenderRow)]
        debt_values = _belonging(svc, "debts", read(DebtRow),
                                 {lender["id"] for lender in lenders}, link="lender_id", parent="lenders")
        debts = [debt_to_json(rows.debt_from_values(v), with_status=True) for v in debt_values]
        debt_ids = {debt["id"] for debt in debts}
        # The two long tables keep their amounts as the stored integer fen, formatted without Decimal.
        instalments = [{"id": v["id"], "debt_id": v["debt_id"], "period": v["period"],
                        "due_date": v["due_date"].isoformat(), "amount": fen_str(v["amount"]),
                        "principal": fen_str(v["principal"]), "interest": fen_str(v["interest"]),
                        "fee": fen_str(v["fee"])}
                       for v in _belonging(svc, "instalments", read(InstalmentRow), debt_ids)]
        payments = [{"id": v["id"], "debt_id": v["debt_id"], "date": v["date"].isoformat(),
                     "amount": fen_str(v["amount"]), "fees": fen_str(v["fees"]),
                     "interest": fen_str(v["interest"]), "principal": fen_str(v["principal"]),
                     "note": v["note"]}
                    for v in _belonging(svc, "payments", read(PaymentRow), debt_ids)]
        reminders = [{"id": v["id"], "debt_id": v["debt_id"],
                      "days_before": [int(d) for d in v["days_before"]], "enabled": bool(v["enabled"]),
                      "last_fired": _plain(v["last_fired"])}
                     for v in _belonging(svc, "reminders", read(ReminderRow), debt_ids)]
        contacts = [{"id": v["id"], "debt_id": v["debt_id"], "when": v["when"].isoformat(timespec="seconds"),
                     "channel": v["channel"].value, "who": v["who"], "target": v["target"].value,
                     "summary": v["summary"], "conduct": sorted(v["conduct"]),
                     "attachments": v["attachments"], "phone_number": v["phone_number"]}
                    for v in _belonging(svc, "contacts", read(ContactRow), debt_ids, kept=True)]
        income = [v["income"] for v in read(BudgetRow) if v["id"] == 1]
        budget = {"income": fen_str(income[0]) if income else "0.00",
                  "expenses": {v["category"]: fen_str(v["amount"]) for v in read(ExpenseRow)}}
        settings = {v["key"]: v["value"] for v in read(SettingRow) if v["key"] not in LOCAL_SETTINGS}
    return {"format": FORMAT, "version": VERSION, "lenders": lenders, "debts": debts,
            "instalments": instalments, "payments": payments, "reminders": reminders, "contacts": contacts,
            "budget": budget, "settings": settings}


def dumps_document(document: Mapping[str, Any]) -> bytes:
    """The deterministic byte form: sorted keys, two-space indent, UTF-8, final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def export_database(svc: Services) -> bytes:
    return dumps_document(export_document(svc))


def write_export(svc: Services, out: Path) -> Path:
    """Write the export atomically and privately (a half-written file never replaces a good one)."""
    return atomic_write_bytes(out, export_database(svc))


# --- whole database: import ----------------------------------------------------------------


class _Checker:
    """Collects every problem of a document, each with its place ("debts[3].principal")."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def error(self, where: str, message: str, **params: object) -> None:
        self.errors.append(FieldError(where, message, params))

    def obj(self, value: object, where: str, keys: Sequence[str], optional: Sequence[str] = ()) -> bool:
        if not isinstance(value, Mapping):
            self.error(where, N_("must be a JSON object"))
            return False
        ok = True
        for key in value:
            if key not in keys and key not in optional:
                self.error(f"{where}.{key}", N_("unknown field"))
                ok = False
        for key in keys:
            if key not in value:
                self.error(f"{where}.{key}", N_("is required"))
                ok = False
        return ok

    def list(self, value: object, where: str) -> list[Any]:
        if not isinstance(value, list):
            self.error(where, N_("must be a JSON list"))
            return []
        return value

    def id(self, value: object, where: str, seen: set[int]) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
            self.error(where, N_("must be a whole number from 1"))
            return None
        if value in seen:
            self.error(where, N_("the id {id} is used twice"), id=value)
            return None
        seen.add(value)
        return value

    def ref(self, value: object, where: str, known: set[int], nullable: bool = False) -> int | None:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value not in known:
            self.error(where, N_("refers to no record in this file"))
            return None
        return value

    def money(self, value: object, where: str, positive: bool = False) -> Decimal | None:
        try:
            if isinstance(value, str) and EXPORTED_AMOUNT.fullmatch(value):
                amount = Decimal(value)  # the export's own form: what parse_amount gives, 4x faster
            else:
                amount = parse_money_value(value)
        except MoneyError:
            self.error(where, N_("not an amount"))
            return None
        before = len(self.errors)
        check_amount(where, amount, self.errors, positive=positive)
        return amount if len(self.errors) == before else None

    def text(self, value: object, where: str, max_len: int = TEXT_MAX, required: bool = False) -> str | None:
        if not isinstance(value, str):
            self.error(where, N_("must be text"))
            return None
        before = len(self.errors)
        check_text(where, value, self.errors, required=required, max_len=max_len)
        return value if len(self.errors) == before else None

    def day(self, value: object, where: str, nullable: bool = False) -> date | None:
        if value is None and nullable:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            parsed = date.fromisoformat(value)
        except ValueError:
            self.error(where, N_("not a date (YYYY-MM-DD)"))
            return None
        if not DATE_MIN <= parsed <= DATE_MAX:
            self.error(where, N_("must be a date between {min} and {max}"), min=DATE_MIN.isoformat(),
                       max=DATE_MAX.isoformat())
            return None
        return parsed

    def choice(self, value: object, where: str, enum: Any) -> str | None:
        try:
            return str(enum(value).value)
        except ValueError:
            self.error(where, N_("must be one of: {choices}"), choices=", ".join(e.value for e in enum))
            return None


# One row to insert: its table's model and its column values.
Row = tuple[type[Any], dict[str, Any]]


def _row(model: type[Any], **values: Any) -> Row:
    return model, values


def _shortened(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _check_document(doc: object) -> tuple[list[Row], list[FieldError]]:
    """Every row to insert (parents first), or every problem found in the document."""
    c = _Checker()
    top = ("format", "version", "lenders", "debts", "instalments", "payments", "reminders", "contacts",
           "budget", "settings")
    if not c.obj(doc, "file", top[:2], optional=top[2:]) and (
            not isinstance(doc, Mapping) or "format" not in doc or "version" not in doc):
        return [], c.errors
    assert isinstance(doc, Mapping)
    if doc.get("format") != FORMAT:
        c.error("file.format", N_("not a DebtKeeper export"))
        return [], c.errors
    if doc.get("version") != VERSION:
        c.error("file.version", N_("version {version} is not supported (this DebtKeeper reads {supported})"),
                version=_shortened(str(doc.get("version"))), supported=VERSION)
        return [], c.errors
    rows: list[Row] = []

    lender_ids: set[int] = set()
    lender_names: dict[str, int] = {}
    for i, item in enumerate(c.list(doc.get("lenders", []), "lenders")):
        where = f"lenders[{i}]"
        if not c.obj(item, where, ("id", "name"), ("kind", "phone", "address", "account_number")):
            continue
        lid = c.id(item["id"], f"{where}.id", lender_ids)
        name = c.text(item["name"], f"{where}.name", max_len=100, required=True)
        kind = c.choice(item.get("kind", "other"), f"{where}.kind", DebtKind)
        phone = c.text(item.get("phone", ""), f"{where}.phone", max_len=100)
        address = c.text(item.get("address", ""), f"{where}.address")
        account = c.text(item.get("account_number", ""), f"{where}.account_number", max_len=100)
        if name is not None and name in lender_names:
            c.error(f"{where}.name", N_("a lender with this name already exists"))
        if None not in (lid, name, kind, phone, address, account):
            assert lid is not None and name is not None
            lender_names[name] = lid
            rows.append(_row(LenderRow, id=lid, name=name, kind=kind, phone=phone, address=address,
                             account_number=account))

    debt_ids: set[int] = set()
    debt_rows: list[Row] = []
    for i, item in enumerate(c.list(doc.get("debts", []), "debts")):
        where = f"debts[{i}]"
        if not isinstance(item, Mapping):
            c.error(where, N_("must be a JSON object"))
            continue
        did = c.id(item.get("id"), f"{where}.id", debt_ids)
        fields = {k: v for k, v in item.items() if k != "id"}
        debt, errors = check_debt(fields, {}, prefix=f"{where}.", allow_status=True, debt_id=did)
        c.errors.extend(errors)
        if debt is not None and did is not None:
            if debt.lender not in lender_names:
                c.error(f"{where}.lender", N_("names no lender in this file"))
                continue
            debt_rows.append(_row(DebtRow, id=did, lender_id=lender_names[debt.lender], **debt_columns(debt)))
    rows.extend(debt_rows)

    seen: set[int] = set()
    periods: set[tuple[int, int]] = set()
    for i, item in enumerate(c.list(doc.get("instalments", []), "instalments")):
        where = f"instalments[{i}]"
        keys = ("id", "debt_id", "period", "due_date", "amount", "principal", "interest", "fee")
        if not c.obj(item, where, keys):
            continue
        values = [c.id(item["id"], f"{where}.id", seen),
                  c.ref(item["debt_id"], f"{where}.debt_id", debt_ids),
                  c.id(item["period"], f"{where}.period", set()),
                  c.day(item["due_date"], f"{where}.due_date")]
        values += [c.money(item[k], f"{where}.{k}") for k in ("amount", "principal", "interest", "fee")]
        if None in values:
            continue
        if (values[1], values[2]) in periods:
            c.error(f"{where}.period", N_("this period is listed twice"))
            continue
        periods.add((values[1], values[2]))  # type: ignore[arg-type]
        rows.append(_row(InstalmentRow, **dict(zip(keys, values, strict=True))))

    seen = set()
    for i, item in enumerate(c.list(doc.get("payments", []), "payments")):
        where = f"payments[{i}]"
        keys = ("id", "debt_id", "date", "amount", "fees", "interest", "principal")
        if not c.obj(item, where, keys, ("note",)):
            continue
        pid = c.id(item["id"], f"{where}.id", seen)
        did = c.ref(item["debt_id"], f"{where}.debt_id", debt_ids)
        on = c.day(item["date"], f"{where}.date")
        amount = c.money(item["amount"], f"{where}.amount", positive=True)
        parts = [c.money(item[k], f"{where}.{k}") for k in ("fees", "interest", "principal")]
        note = c.text(item.get("note", ""), f"{where}.note")
        if None in (pid, did, on, amount, note) or None in parts:
            continue
        if sum(parts, Decimal(0)) != amount:  # type: ignore[arg-type]
            c.error(f"{where}.amount", N_("fees, interest and principal do not add up to the amount"))
            continue
        rows.append(_row(PaymentRow, id=pid, debt_id=did, date=on, amount=amount, fees=parts[0],
                         interest=parts[1], principal=parts[2], note=note))

    seen = set()
    reminded: set[int] = set()
    for i, item in enumerate(c.list(doc.get("reminders", []), "reminders")):
        where = f"reminders[{i}]"
        if not c.obj(item, where, ("id", "debt_id", "days_before"), ("enabled", "last_fired")):
            continue
        rid = c.id(item["id"], f"{where}.id", seen)
        did = c.ref(item["debt_id"], f"{where}.debt_id", debt_ids)
        days = c.list(item["days_before"], f"{where}.days_before")
        if any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 365 for d in days):
            c.error(f"{where}.days_before", N_("must list whole numbers of days from 0 to 365"))
            continue
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            c.error(f"{where}.enabled", N_("must be true or false"))
            continue
        fired = c.day(item.get("last_fired"), f"{where}.last_fired", nullable=True)
        if did in reminded:
            c.error(f"{where}.debt_id", N_("this debt has a reminder already"))
            continue
        if rid is not None and did is not None and (item.get("last_fired") is None or fired is not None):
            reminded.add(did)
            rows.append(_row(ReminderRow, id=rid, debt_id=did, days_before=[str(d) for d in days],
                             enabled=int(enabled), last_fired=fired))

    seen = set()
    for i, item in enumerate(c.list(doc.get("contacts", []), "contacts")):
        where = f"contacts[{i}]"
        keys = ("id", "debt_id", "when", "channel", "who")
        if not c.obj(item, where, keys, ("target", "summary", "conduct", "attachments", "phone_number")):
            continue
        cid = c.id(item["id"], f"{where}.id", seen)
        did = c.ref(item["debt_id"], f"{where}.debt_id", debt_ids, nullable=True)
        when: datetime | None = None
        try:
            when = datetime.fromisoformat(item["when"]) if isinstance(item["when"], str) else None
            if when is not None and (when.tzinfo is not None or not DATE_MIN <= when.date() <= DATE_MAX):
                when = None
        except ValueError:
            when = None
        if when is None:
            c.error(f"{where}.when", N_("not a date and time (YYYY-MM-DDTHH:MM:SS)"))
        channel = c.choice(item["channel"], f"{where}.channel", ContactChannel)
        target = c.choice(item.get("target", "debtor"), f"{where}.target", ContactTarget)
        who = c.text(item["who"], f"{where}.who", max_len=200)
        summary = c.text(item.get("summary", ""), f"{where}.summary")
        phone = c.text(item.get("phone_number", ""), f"{where}.phone_number", max_len=50)
        conduct = [c.choice(x, f"{where}.conduct[{j}]", ContactConduct)
                   for j, x in enumerate(c.list(item.get("conduct", []), f"{where}.conduct"))]
        files = [c.text(x, f"{where}.attachments[{j}]", max_len=1000, required=True)
                 for j, x in enumerate(c.list(item.get("attachments", []), f"{where}.attachments"))]
        if None in (cid, when, channel, target, who, summary, phone) or None in conduct or None in files:
            continue
        if item["debt_id"] is not None and did is None:
            continue
        rows.append(_row(ContactRow, id=cid, debt_id=did, when=when, channel=channel, target=target,
                         who=who, summary=summary, conduct=sorted(set(conduct)), attachments=files,
                         phone_number=phone))

    budget = doc.get("budget", {"income": "0.00", "expenses": {}})
    if c.obj(budget, "budget", ("income",), ("expenses",)):
        income = c.money(budget["income"], "budget.income")
        expenses = budget.get("expenses", {})
        if not isinstance(expenses, Mapping):
            c.error("budget.expenses", N_("must be a JSON object"))
        else:
            if income is not None:
                rows.append(_row(BudgetRow, id=1, income=income))
            for category, value in expenses.items():
                amount = c.money(value, f"budget.expenses.{category}")
                if c.text(category, "budget.expenses", max_len=100, required=True) is not None \
                        and amount is not None:
                    rows.append(_row(ExpenseRow, category=category, amount=amount))

    settings = doc.get("settings", {})
    if not isinstance(settings, Mapping):
        c.error("settings", N_("must be a JSON object"))
    else:
        for key, value in settings.items():
            if c.text(key, "settings", max_len=100, required=True) is not None \
                    and c.text(value, f"settings.{key}") is not None:
                if key in KEEP_SETTINGS and not _keep_count(value):
                    # Fewer would let the next rotation delete the backup taken before this import.
                    c.error(f"settings.{key}", N_("must be a whole number from {low} to {high}: it is how "
                                                  "many backups are kept"), low=KEEP_MIN, high=KEEP_MAX)
                    continue
                rows.append(_row(SettingRow, key=key, value=value))
    return rows, c.errors


def _keep_count(value: str) -> bool:
    return re.fullmatch(r"[0-9]{1,4}", value) is not None and KEEP_MIN <= int(value) <= KEEP_MAX


def _wipe(s: Session) -> None:
    for table in reversed(TABLES):
        s.execute(delete(table))


def import_database(svc: Services, data: bytes, *, replace: bool = False,
                    backup_to: Path | None = None) -> int:
    """Restore an export into this database; returns the number of debts restored.

    Refused (ConflictError) when the database holds anything, unless ``replace``;
    then a backup is taken first (to ``backup_to``). A bad document raises
    ValidationError naming every problem and where it is; nothing is written.
    """
    document = loads(data)
    rows, errors = _check_document(document)
    if errors:
        raise ValidationError(errors)
    if not svc.is_empty():
        if not replace:
            from resources.i18n import tr

            raise ConflictError(tr("The database is not empty: use --replace to replace it "
                                   "(a backup is taken first)."))
        if backup_to is not None:
            from services.safety import PRE_IMPORT, backup_now

            backup_now(svc, PRE_IMPORT, out=backup_to)
    with svc.transaction() as s:
        # What this computer's calendars were sent stays: they still hold those events.
        given = {values["key"] for model, values in rows if model is SettingRow}
        local = [{"key": row.key, "value": row.value} for row in s.scalars(
            select(SettingRow).where(SettingRow.key.in_(LOCAL_SETTINGS - given)))]
        _wipe(s)
        # One table at a time, parents before their children, each in one executemany
        # (through Core: 100,000 payments without building an ORM object for each).
        for model, group in groupby([*rows, *((SettingRow, v) for v in local)], key=lambda row: row[0]):
            s.execute(insert(model.__table__), [values for _model, values in group])
    return sum(1 for model, _values in rows if model is DebtRow)


# --- CSV ---------------------------------------------------------------------------


def csv_text(text: str) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is quoted with a leading '."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def payments_csv(svc: Services) -> bytes:
    """Every payment as CSV (UTF-8 with BOM, so spreadsheet programs read Chinese names)."""
    import csv
    import io
    from collections import Counter

    debts = {d.id: d for d in svc.list_debts()}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id", "debt_id", "debt", "lender", "date", "amount", "fees", "interest", "principal",
                     "note"])
    payments = svc.list_payments()
    orphans = Counter(p.debt_id for p in payments if p.debt_id not in debts)
    for debt_id, count in sorted(orphans.items()):
        _left_out(svc, "payments", "debts", debt_id, count, kept=False)
    for p in payments:
        debt = debts.get(p.debt_id)
        if debt is None:
            continue
        writer.writerow([p.id, p.debt_id, csv_text(debt.name), csv_text(debt.lender), p.date.isoformat(),
                         money_str(p.amount), money_str(p.fees), money_str(p.interest),
                         money_str(p.principal), csv_text(p.note)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_payments_csv(svc: Services, out: Path) -> Path:
    return atomic_write_bytes(out, payments_csv(svc))


_ = (DebtStatus,)  # status values are checked by check_debt(allow_status=True)
