"""The whole-database export document: its format, and the check of every field before import.

A document is ``{"format": "debtkeeper", "version": 1, "lenders": [...], "debts": [...], ...}``.
``parse_document`` reads one and returns every row to insert, parents first, or raises
ValidationError naming every problem and where it is ("debts[3].principal: not an amount");
nothing is written here (storage.transfer writes the rows).
"""

from __future__ import annotations

import json
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from domain.debts import (
    N_,
    ContactChannel,
    ContactConduct,
    ContactTarget,
    DebtKind,
    DebtStatus,
    FieldError,
)
from domain.money import MoneyError
from domain.validation import (
    DATE_MAX,
    DATE_MIN,
    TEXT_MAX,
    check_amount,
    check_debt,
    check_text,
    parse_money_value,
)
from services.debtjson import loads
from services.errors import ValidationError
from services.jsonstream import JsonReader, Streamed
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
from storage.transfer import Row

FORMAT = "debtkeeper"
VERSION = 1
# The sections of a document in the order they are checked and inserted (parents first).
SECTIONS = ("lenders", "debts", "instalments", "payments", "reminders", "contacts", "budget", "settings")
TOP = ("format", "version", *SECTIONS)
DEFAULTS: dict[str, object] = {"budget": {"income": "0.00", "expenses": {}}, "settings": {}}
MAX_ID = 2**63 - 1  # SQLite's largest integer
EXPORTED_AMOUNT = re.compile(r"[0-9]{1,13}\.[0-9]{2}")  # money_str's form, "1066.19"


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

    def id(self, value: object, where: str, seen: set[int] | SeenIds) -> int | None:
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
            self.error(
                where,
                N_("must be a date between {min} and {max}"),
                min=DATE_MIN.isoformat(),
                max=DATE_MAX.isoformat(),
            )
            return None
        return parsed

    def choice(self, value: object, where: str, enum: Any) -> str | None:
        try:
            return str(enum(value).value)
        except ValueError:
            self.error(where, N_("must be one of: {choices}"), choices=", ".join(e.value for e in enum))
            return None


def _row(model: type[Any], **values: Any) -> Row:
    return model, values


def _shortened(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SeenIds:
    """The ids met so far: 8 bytes each while they come in increasing order (as an export lists
    them), a set once one comes out of order."""

    def __init__(self) -> None:
        self._ascending = array("q")
        self._set: set[int] | None = None

    def __contains__(self, value: object) -> bool:
        if self._set is not None:
            return value in self._set
        if not isinstance(value, int) or not self._ascending or value > self._ascending[-1]:
            return False
        at = bisect_left(self._ascending, value)
        return at < len(self._ascending) and self._ascending[at] == value

    def add(self, value: int) -> None:
        if self._set is not None:
            self._set.add(value)
        elif not self._ascending or value > self._ascending[-1]:
            self._ascending.append(value)
        else:
            self._set = {*self._ascending, value}
            self._ascending = array("q")


def known_ids(items: object) -> set[int]:
    """The ids ``DocumentCheck.debts`` will accept from these items (checked before the items are)."""
    seen: set[int] = set()
    for item in items if isinstance(items, list) else ():
        if isinstance(item, Mapping):
            value = item.get("id")
            if not isinstance(value, bool) and isinstance(value, int) and 1 <= value <= MAX_ID:
                seen.add(value)
    return seen


class DocumentCheck:
    """The check of one document, a section at a time, in any order the file gives them.

    Each section has its own list of problems; ``errors`` gives them in the document's order
    (the file itself, lenders, debts, instalments, payments, reminders, contacts, budget,
    settings). Debts are checked against the lenders, so ``debts`` comes after ``lenders``;
    instalments, payments and reminders refer to ``debt_ids`` (``known_ids`` of the debts
    gives them before the debts are checked).
    """

    def __init__(self) -> None:
        self.checkers = {name: _Checker() for name in ("file", *SECTIONS)}
        self.lender_names: dict[str, int] = {}
        self.debt_ids: set[int] = set()

    @property
    def errors(self) -> list[FieldError]:
        return [error for checker in self.checkers.values() for error in checker.errors]

    def items(self, section: str, value: object) -> list[Any]:
        """A section's list (an error when it is not one)."""
        return self.checkers[section].list(value, section)

    def head(self, doc: object) -> bool:
        """The file's own fields (format, version, no unknown member); False when the rest of the
        document cannot be read as an export (only the file's problems are reported then)."""
        c = self.checkers["file"]
        if not c.obj(doc, "file", TOP[:2], optional=TOP[2:]) and (
            not isinstance(doc, Mapping) or "format" not in doc or "version" not in doc
        ):
            return False
        assert isinstance(doc, Mapping)
        if doc.get("format") != FORMAT:
            c.error("file.format", N_("not a DebtKeeper export"))
            return False
        if doc.get("version") != VERSION:
            c.error(
                "file.version",
                N_("version {version} is not supported (this DebtKeeper reads {supported})"),
                version=_shortened(str(doc.get("version"))),
                supported=VERSION,
            )
            return False
        return True

    def lenders(self, items: Iterable[Any]) -> Iterator[Row]:
        c = self.checkers["lenders"]
        lender_ids: set[int] = set()
        for i, item in enumerate(items):
            where = f"lenders[{i}]"
            if not c.obj(item, where, ("id", "name"), ("kind", "phone", "address", "account_number")):
                continue
            lid = c.id(item["id"], f"{where}.id", lender_ids)
            name = c.text(item["name"], f"{where}.name", max_len=100, required=True)
            kind = c.choice(item.get("kind", "other"), f"{where}.kind", DebtKind)
            phone = c.text(item.get("phone", ""), f"{where}.phone", max_len=100)
            address = c.text(item.get("address", ""), f"{where}.address")
            account = c.text(item.get("account_number", ""), f"{where}.account_number", max_len=100)
            if name is not None and name in self.lender_names:
                c.error(f"{where}.name", N_("a lender with this name already exists"))
            if None not in (lid, name, kind, phone, address, account):
                assert lid is not None and name is not None
                self.lender_names[name] = lid
                yield _row(
                    LenderRow,
                    id=lid,
                    name=name,
                    kind=kind,
                    phone=phone,
                    address=address,
                    account_number=account,
                )

    def debts(self, items: Iterable[Any]) -> Iterator[Row]:
        c = self.checkers["debts"]
        debt_ids: set[int] = set()
        for i, item in enumerate(items):
            where = f"debts[{i}]"
            if not isinstance(item, Mapping):
                c.error(where, N_("must be a JSON object"))
                continue
            did = c.id(item.get("id"), f"{where}.id", debt_ids)
            fields = {k: v for k, v in item.items() if k != "id"}
            debt, errors = check_debt(fields, {}, prefix=f"{where}.", allow_status=True, debt_id=did)
            c.errors.extend(errors)
            if debt is not None and did is not None:
                if debt.lender not in self.lender_names:
                    c.error(f"{where}.lender", N_("names no lender in this file"))
                    continue
                yield _row(DebtRow, id=did, lender_id=self.lender_names[debt.lender], **debt_columns(debt))
        self.debt_ids = debt_ids

    def instalments(self, items: Iterable[Any]) -> Iterator[Row]:
        c = self.checkers["instalments"]
        seen = SeenIds()
        periods: set[tuple[int, int]] = set()
        keys = ("id", "debt_id", "period", "due_date", "amount", "principal", "interest", "fee")
        for i, item in enumerate(items):
            where = f"instalments[{i}]"
            if not c.obj(item, where, keys):
                continue
            values: list[object] = [
                c.id(item["id"], f"{where}.id", seen),
                c.ref(item["debt_id"], f"{where}.debt_id", self.debt_ids),
                c.id(item["period"], f"{where}.period", set()),
                c.day(item["due_date"], f"{where}.due_date"),
            ]
            values += [c.money(item[k], f"{where}.{k}") for k in ("amount", "principal", "interest", "fee")]
            if None in values:
                continue
            if (values[1], values[2]) in periods:
                c.error(f"{where}.period", N_("this period is listed twice"))
                continue
            periods.add((values[1], values[2]))  # type: ignore[arg-type]
            yield _row(InstalmentRow, **dict(zip(keys, values, strict=True)))

    def payments(self, items: Iterable[Any]) -> Iterator[Row]:
        c = self.checkers["payments"]
        seen = SeenIds()
        keys = ("id", "debt_id", "date", "amount", "fees", "interest", "principal")
        for i, item in enumerate(items):
            where = f"payments[{i}]"
            if not c.obj(item, where, keys, ("note",)):
                continue
            pid = c.id(item["id"], f"{where}.id", seen)
            did = c.ref(item["debt_id"], f"{where}.debt_id", self.debt_ids)
            on = c.day(item["date"], f"{where}.date")
            amount = c.money(item["amount"], f"{where}.amount", positive=True)
            parts = [c.money(item[k], f"{where}.{k}") for k in ("fees", "interest", "principal")]
            note = c.text(item.get("note", ""), f"{where}.note")
            if None in (pid, did, on, amount, note) or None in parts:
                continue
            if sum((p for p in parts if p is not None), Decimal(0)) != amount:
                c.error(f"{where}.amount", N_("fees, interest and principal do not add up to the amount"))
                continue
            yield _row(
                PaymentRow,
                id=pid,
                debt_id=did,
                date=on,
                amount=amount,
                fees=parts[0],
                interest=parts[1],
                principal=parts[2],
                note=note,
            )

    def reminders(self, items: Iterable[Any]) -> Iterator[Row]:
        c = self.checkers["reminders"]
        seen: set[int] = set()
        reminded: set[int] = set()
        for i, item in enumerate(items):
            where = f"reminders[{i}]"
            if not c.obj(item, where, ("id", "debt_id", "days_before"), ("enabled", "last_fired")):
                continue
            rid = c.id(item["id"], f"{where}.id", seen)
            did = c.ref(item["debt_id"], f"{where}.debt_id", self.debt_ids)
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
                yield _row(
                    ReminderRow,
                    id=rid,
                    debt_id=did,
                    days_before=[str(d) for d in days],
                    enabled=int(enabled),
                    last_fired=fired,
                )

    def contacts(self, items: Iterable[Any]) -> Iterator[Row]:
        c = self.checkers["contacts"]
        seen: set[int] = set()
        for i, item in enumerate(items):
            where = f"contacts[{i}]"
            keys = ("id", "debt_id", "when", "channel", "who")
            if not c.obj(item, where, keys, ("target", "summary", "conduct", "attachments", "phone_number")):
                continue
            cid = c.id(item["id"], f"{where}.id", seen)
            did = c.ref(item["debt_id"], f"{where}.debt_id", self.debt_ids, nullable=True)
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
            conduct = [
                c.choice(x, f"{where}.conduct[{j}]", ContactConduct)
                for j, x in enumerate(c.list(item.get("conduct", []), f"{where}.conduct"))
            ]
            files = [
                c.text(x, f"{where}.attachments[{j}]", max_len=1000, required=True)
                for j, x in enumerate(c.list(item.get("attachments", []), f"{where}.attachments"))
            ]
            if None in (cid, when, channel, target, who, summary, phone) or None in conduct or None in files:
                continue
            if item["debt_id"] is not None and did is None:
                continue
            yield _row(
                ContactRow,
                id=cid,
                debt_id=did,
                when=when,
                channel=channel,
                target=target,
                who=who,
                summary=summary,
                conduct=sorted(set(conduct)),
                attachments=files,
                phone_number=phone,
            )

    def budget(self, budget: object) -> Iterator[Row]:
        c = self.checkers["budget"]
        if not c.obj(budget, "budget", ("income",), ("expenses",)):
            return
        assert isinstance(budget, Mapping)
        income = c.money(budget["income"], "budget.income")
        expenses = budget.get("expenses", {})
        if not isinstance(expenses, Mapping):
            c.error("budget.expenses", N_("must be a JSON object"))
            return
        if income is not None:
            yield _row(BudgetRow, id=1, income=income)
        for category, value in expenses.items():
            amount = c.money(value, f"budget.expenses.{category}")
            if (
                c.text(category, "budget.expenses", max_len=100, required=True) is not None
                and amount is not None
            ):
                yield _row(ExpenseRow, category=category, amount=amount)

    def settings(self, settings: object) -> Iterator[Row]:
        c = self.checkers["settings"]
        if not isinstance(settings, Mapping):
            c.error("settings", N_("must be a JSON object"))
            return
        for key, value in settings.items():
            if (
                c.text(key, "settings", max_len=100, required=True) is not None
                and c.text(value, f"settings.{key}") is not None
            ):
                if key in KEEP_SETTINGS and not _keep_count(value):
                    # Fewer would let the next rotation delete the backup taken before this import.
                    c.error(
                        f"settings.{key}",
                        N_("must be a whole number from {low} to {high}: it is how many backups are kept"),
                        low=KEEP_MIN,
                        high=KEEP_MAX,
                    )
                    continue
                yield _row(SettingRow, key=key, value=value)

    def sections(self, doc: Mapping[str, Any], only: Sequence[str] = SECTIONS) -> list[Row]:
        """The rows of the sections held whole in ``doc`` (parents first)."""
        rows: list[Row] = []
        for name in only:
            value = doc.get(name, DEFAULTS.get(name, []))
            if name in ("budget", "settings"):
                rows.extend(getattr(self, name)(value))
            else:
                rows.extend(getattr(self, name)(self.items(name, value)))
        return rows


def _check_document(doc: object) -> tuple[list[Row], list[FieldError]]:
    """Every row to insert (parents first), or every problem found in the document."""
    check = DocumentCheck()
    if not check.head(doc):
        return [], check.errors
    assert isinstance(doc, Mapping)
    return check.sections(doc), check.errors


def _keep_count(value: str) -> bool:
    return re.fullmatch(r"[0-9]{1,4}", value) is not None and KEEP_MIN <= int(value) <= KEEP_MAX


def parse_document(data: bytes) -> list[Row]:
    """Every row an export holds, parents first; ValidationError naming every problem."""
    return parse_whole(loads(data))


# --- a document checked as it is read ------------------------------------------------------

# The long sections: their rows are checked and handed on a batch at a time as the file is read.
STREAMED = ("instalments", "payments")
BATCH = 5000

# Rows of one table for the caller to insert.
Sink = Callable[[type[Any], list[dict[str, Any]]], None]


def stream_document(fh: IO[bytes], sink: Sink, progress: Callable[[int], None] | None = None) -> list[Row]:
    """Check a document as it is read from ``fh`` (a file or ``io.BytesIO``, seekable): the rows of
    its long sections go to ``sink`` a batch at a time as they pass their checks, the other rows are
    returned (parents first, moved settings as columns). ``progress(bytes read)`` follows the reading.

    A document whose long sections come before its debts (not an export's order: it sorts its
    members) is read twice. ValidationError names every problem, as ``parse_document`` does; the
    rows given to ``sink`` must then be dropped (the caller's transaction rolled back).
    """
    from services.debtjson import DECODER, unreadable
    from services.moved_settings import moved_rows

    check = DocumentCheck()
    held: dict[str, Any] = {}  # the members read whole, by name (a streamed one: its place)
    streamed: set[str] = set()
    later: set[str] = set()
    try:
        reader = JsonReader(fh, DECODER, progress)
        if reader.peek() != "{":
            return parse_whole(reader.whole())
        for key, value in reader.members(STREAMED):
            if key in held:
                check.checkers["file"].error(f"file.{key}", N_("is given more than once"))
                continue
            held[key] = value
            if key == "debts":
                check.debt_ids = known_ids(value)
            if isinstance(value, Streamed):
                if "debts" in held:
                    _send(getattr(check, key)(value), sink)
                    streamed.add(key)
                else:
                    later.add(key)
        if later:
            fh.seek(0)
            reader = JsonReader(fh, DECODER, progress)
            for key, value in reader.members(later):
                if key in later and isinstance(value, Streamed):
                    _send(getattr(check, key)(value), sink)
                    streamed.add(key)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise unreadable(exc) from None
    if not check.head(held):
        raise ValidationError(check.errors)
    rows = check.sections(held, only=[name for name in SECTIONS if name not in streamed])
    if check.errors:
        raise ValidationError(check.errors)
    return moved_rows(rows)


def parse_whole(doc: object) -> list[Row]:
    """The rows of a document already read (parents first); ValidationError naming every problem."""
    from services.moved_settings import moved_rows

    rows, errors = _check_document(doc)
    if errors:
        raise ValidationError(errors)
    return moved_rows(rows)


def _send(rows: Iterable[Row], sink: Sink) -> None:
    """Hand rows on ``BATCH`` at a time (one table's: a section gives rows of one table)."""
    batch: list[dict[str, Any]] = []
    model: type[Any] | None = None
    for model, values in rows:
        batch.append(values)
        if len(batch) >= BATCH:
            sink(model, batch)
            batch = []
    if batch and model is not None:
        sink(model, batch)


_ = (DebtStatus,)  # status values are checked by check_debt(allow_status=True)
