"""Whole-database export and import, and the payments as CSV.

``export_database`` writes a versioned document (``services.exportformat``) with
sorted keys and no timestamps, so the same database always gives the same bytes;
``import_database`` checks a whole document first and writes it in one
transaction, keeping every id, so export -> import -> export is byte-identical.
A malformed file changes nothing and the message says what is wrong and where
("debts[3].principal: not an amount"). Replacing a database that holds anything
goes through ``services.safety`` (a backup first).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from domain.money import fen_str, money_str
from fileio.atomic import atomic_file, atomic_write_bytes
from resources.i18n import get_language
from services.debtjson import (
    debt_from_json,
    debt_to_json,
    loads,
    payment_to_json,
    payment_values_to_json,
    plain_json,
    read_debt_json,
    summary_to_json,
)
from services.exportformat import FORMAT, VERSION, _Checker
from services.importing import load_export
from services.moved_settings import export_settings
from services.progress import Progress
from services.reminders import LOCAL_SETTINGS
from services.safety import prepare_import
from storage import rows, transfer

if TYPE_CHECKING:
    from services.app import Services

__all__ = [
    "_Checker",
    "debt_from_json",
    "debt_to_json",
    "export_database",
    "export_document",
    "import_database",
    "loads",
    "payment_to_json",
    "read_debt_json",
    "summary_to_json",
    "write_export",
    "write_payments_csv",
]


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
            "id {key}, which cannot be read or does not exist",
            count,
        )
    else:
        text = translations(get_language()).ngettext(
            "left out: {count} record of table {table} that belongs to table {parent}, id {key}, "
            "which cannot be read or does not exist",
            "left out: {count} records of table {table} that belong to table {parent}, id {key}, "
            "which cannot be read or does not exist",
            count,
        )
    svc.warn(
        ("left out", table, parent, repr(key)), text.format(count=count, table=table, parent=parent, key=key)
    )


def _belonging(
    svc: Services,
    table: str,
    values: list[dict[str, Any]],
    exported: set[int],
    *,
    link: str = "debt_id",
    parent: str = "debts",
    kept: bool = False,
) -> list[dict[str, Any]]:
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


def _instalment_json(v: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": v["id"],
        "debt_id": v["debt_id"],
        "period": v["period"],
        "due_date": v["due_date"].isoformat(),
        "amount": fen_str(v["amount"]),
        "principal": fen_str(v["principal"]),
        "interest": fen_str(v["interest"]),
        "fee": fen_str(v["fee"]),
    }


def _payment_json(v: Mapping[str, Any]) -> dict[str, Any]:
    """``debt show``'s payment, with the debt it belongs to and its note (written with sorted keys)."""
    return {**payment_values_to_json(v), "debt_id": v["debt_id"], "note": v["note"]}


# The long tables: written a batch at a time as they are read, their amounts formatted from the
# stored integer fen without Decimal.
LONG_TABLES = {"instalments": _instalment_json, "payments": _payment_json}
BATCH = 5000


def write_document(svc: Services, out: IO[bytes], progress: Progress | None = None) -> None:
    """Every readable record as one JSON document, ordered by id, written to ``out`` as it is read.

    The bytes are ``dumps_document`` of the whole document (sorted keys, two-space indent, UTF-8,
    final newline), but the long tables are read and written ``BATCH`` rows at a time, from one
    snapshot. A damaged row is left out and reported, and so are the rows that belong to it (a
    payment of a debt that cannot be read), so that the document always imports: the person's way
    out of a damaged database. ``svc.warnings`` counts what was reported; ``progress(rows written,
    rows in the long tables)`` follows the writing.
    """
    with svc.reading() as s:
        conn = s.connection()

        def read(table: str) -> list[dict[str, Any]]:
            return svc.readable(transfer.read_table(conn, table))

        lenders = [
            {
                "id": v["id"],
                "name": v["name"],
                "kind": v["kind"].value,
                "phone": v["phone"],
                "address": v["address"],
                "account_number": v["account_number"],
            }
            for v in read("lenders")
        ]
        debt_values = _belonging(
            svc,
            "debts",
            read("debts"),
            {lender["id"] for lender in lenders},
            link="lender_id",
            parent="lenders",
        )
        debts = [debt_to_json(rows.debt_from_values(v), with_status=True) for v in debt_values]
        debt_ids = {debt["id"] for debt in debts}
        total = sum(transfer.count_rows(conn, table) for table in LONG_TABLES)
        written = 0

        def long_table(table: str) -> Iterator[dict[str, Any]]:
            nonlocal written
            orphans: dict[int, int] = {}
            to_json = LONG_TABLES[table]
            for batch in transfer.read_table_in_batches(conn, table, BATCH):
                for v in svc.readable(batch):
                    if v["debt_id"] in debt_ids:
                        yield to_json(v)
                    else:
                        orphans[v["debt_id"]] = orphans.get(v["debt_id"], 0) + 1
                written += len(batch.values) + len(batch.problems)
                if progress is not None:
                    progress(written, total)
            for key, count in sorted(orphans.items()):
                _left_out(svc, table, "debts", key, count, kept=False)

        members: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "lenders": lenders,
            "debts": debts,
            "instalments": long_table("instalments"),
            "payments": long_table("payments"),
        }
        # The long tables are read where they are written (after "debts" and "contacts"): what is
        # reported about the short ones comes first.
        members.update(_short_members(svc, read, debt_ids))
        out.write(b"{\n")
        for n, key in enumerate(sorted(members)):
            out.write(b",\n" if n else b"")
            out.write(f"  {json.dumps(key, ensure_ascii=False)}: ".encode())
            value = members[key]
            if isinstance(value, Iterator):
                _write_list(out, value)
            else:
                out.write(_dumps(value, "  ").encode("utf-8"))
        out.write(b"\n}\n")


def _short_members(
    svc: Services, read: Callable[[str], list[dict[str, Any]]], debt_ids: set[int]
) -> dict[str, Any]:
    """The reminders, contact log, budget and settings of an export."""
    reminder_values = _belonging(svc, "reminders", read("reminders"), debt_ids)
    reminders = [
        {
            "id": v["id"],
            "debt_id": v["debt_id"],
            "days_before": [int(d) for d in v["days_before"]],
            "enabled": bool(v["enabled"]),
            "last_fired": plain_json(v["last_fired"]),
        }
        for v in reminder_values
    ]
    contacts = [
        {
            "id": v["id"],
            "debt_id": v["debt_id"],
            "when": v["when"].isoformat(timespec="seconds"),
            "channel": v["channel"].value,
            "who": v["who"],
            "target": v["target"].value,
            "summary": v["summary"],
            "conduct": sorted(v["conduct"]),
            "attachments": v["attachments"],
            "phone_number": v["phone_number"],
        }
        for v in _belonging(svc, "contacts", read("contacts"), debt_ids, kept=True)
    ]
    income = [v["income"] for v in read("budget") if v["id"] == 1]
    budget = {
        "income": fen_str(income[0]) if income else "0.00",
        "expenses": {v["category"]: fen_str(v["amount"]) for v in read("budget_expenses")},
    }
    settings = {v["key"]: v["value"] for v in read("settings") if v["key"] not in LOCAL_SETTINGS}
    # Kept in columns, written where older versions read them (services.moved_settings).
    settings.update(
        export_settings(_belonging(svc, "debt_terms", read("debt_terms"), debt_ids), reminder_values)
    )
    return {"reminders": reminders, "contacts": contacts, "budget": budget, "settings": settings}


def _dumps(value: object, indent: str) -> str:
    """``value`` as it appears inside the document at this indent (``dumps_document``'s form)."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n" + indent)


def _write_list(out: IO[bytes], items: Iterator[dict[str, Any]]) -> None:
    """A list member of the document, its items written as they come."""
    first = True
    for item in items:
        out.write(b"[\n    " if first else b",\n    ")
        out.write(_dumps(item, "    ").encode("utf-8"))
        first = False
    out.write(b"[]" if first else b"\n  ]")


def export_document(svc: Services) -> dict[str, Any]:
    """The export as a JSON value (what ``export_database`` writes, read back)."""
    return dict(json.loads(export_database(svc)))


def dumps_document(document: Mapping[str, Any]) -> bytes:
    """The deterministic byte form: sorted keys, two-space indent, UTF-8, final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def export_database(svc: Services, progress: Progress | None = None) -> bytes:
    buffer = io.BytesIO()
    write_document(svc, buffer, progress)
    return buffer.getvalue()


def write_export(svc: Services, out: Path, progress: Progress | None = None) -> Path:
    """Write the export atomically and privately (a half-written file never replaces a good one)."""
    with atomic_file(out, "wb") as fh:
        write_document(svc, fh, progress)
    return out


# --- whole database: import ----------------------------------------------------------------


def import_database(
    svc: Services,
    source: bytes | Path | IO[bytes],
    *,
    replace: bool = False,
    backup_to: Path | None = None,
    progress: Progress | None = None,
) -> int:
    """Restore an export (its bytes, its path, or a seekable binary file) into this database;
    returns the number of debts restored.

    Refused (ConflictError) when the database holds anything, unless ``replace``; then a backup
    is taken first (to ``backup_to``), once the whole file has been checked. The file is read, checked and written as it is read, in
    one transaction (``services.importing``): a bad document raises ValidationError naming every
    problem and where it is, and nothing is written.
    """
    return load_export(svc, source, progress, prepare_import(svc, replace=replace, backup_to=backup_to))


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
    writer.writerow(
        ["id", "debt_id", "debt", "lender", "date", "amount", "fees", "interest", "principal", "note"]
    )
    payments = svc.list_payments()
    orphans = Counter(p.debt_id for p in payments if p.debt_id not in debts)
    for debt_id, count in sorted(orphans.items()):
        _left_out(svc, "payments", "debts", debt_id, count, kept=False)
    for p in payments:
        debt = debts.get(p.debt_id)
        if debt is None:
            continue
        writer.writerow(
            [
                p.id,
                p.debt_id,
                csv_text(debt.name),
                csv_text(debt.lender),
                p.date.isoformat(),
                money_str(p.amount),
                money_str(p.fees),
                money_str(p.interest),
                money_str(p.principal),
                csv_text(p.note),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_payments_csv(svc: Services, out: Path) -> Path:
    return atomic_write_bytes(out, payments_csv(svc))
