"""What deleting a record takes with it, kept as a plain value so that the delete can be undone.

The foreign keys of the models say what a delete takes. ``take`` deletes a row
together with every row that refers to it through ON DELETE CASCADE (and, in
turn, the rows that cascade from those), clears the references declared ON
DELETE SET NULL, and returns all of it as a ``Snapshot``: the values exactly as
SQLite stores them, under their own primary keys. A table added to the models
later is covered without a change here. The rows a deleted row only points to
through a key that is not CASCADE (a debt's lender) are kept too, so that they
can be made again if they were removed in the meantime. Settings that belong
to the record (named by the caller) go with it.

``put_back`` inserts everything again, in the caller's transaction, and refuses
(``RestoreRefused``, nothing written) when one of the keys has been taken by a
new row since, or when a row it belongs to (through a CASCADE key) is gone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnClause, ForeignKey, Integer, Table, TableClause, column, select, table, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Base, SettingRow

# A value as SQLite stores it (no type conversion either way).
Value = int | str | float | bytes | None
ROWID = "rowid"
CASCADE = "CASCADE"
SET_NULL = "SET NULL"


class RestoreRefused(Exception):
    """A snapshot cannot go back: ``reason`` TAKEN (a key is in use again) or GONE (its owner was deleted)."""

    TAKEN = "taken"
    GONE = "gone"

    def __init__(self, reason: str, table_name: str, key: Value) -> None:
        super().__init__(f"{table_name} {key!r}: {reason}")
        self.reason = reason
        self.table = table_name
        self.key = key


@dataclass(frozen=True, slots=True)
class Rows:
    """Rows of one table: ``columns`` names, one tuple of stored values per row."""

    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]

    def dicts(self) -> list[dict[str, Value]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def values(self, name: str) -> list[Value]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def where(self, keep: Callable[[dict[str, Value]], bool]) -> Rows:
        return Rows(
            self.table,
            self.columns,
            tuple(row for row, d in zip(self.rows, self.dicts(), strict=True) if keep(d)),
        )


@dataclass(frozen=True, slots=True)
class Unlinked:
    """References the delete cleared (ON DELETE SET NULL): ``table.column`` of the rows with these keys."""

    table: str
    column: str
    keys: tuple[Value, ...]
    value: Value


@dataclass(frozen=True, slots=True)
class Entry:
    """One member removed from a setting whose value is a JSON object (``{"<id>": value}``)."""

    setting: str
    member: str
    value: str  # the member's value as JSON text


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything one delete removed or changed, in the order it goes back (parents first)."""

    table: str
    key: Value
    deleted: tuple[Rows, ...]
    unlinked: tuple[Unlinked, ...] = ()
    referenced: tuple[Rows, ...] = ()
    entries: tuple[Entry, ...] = ()

    @property
    def root(self) -> dict[str, Value]:
        """The deleted record's own row."""
        return self.deleted[0].dicts()[0]


# --- what the models say ----------------------------------------------------------------------


def _tables() -> dict[str, Table]:
    return dict(Base.metadata.tables)


def _primary_key(t: Table) -> str:
    keys = [c.name for c in t.primary_key.columns]
    if len(keys) != 1:
        raise ValueError(f"{t.name}: a snapshot needs a one-column primary key")
    return keys[0]


def _keeps_rowid(t: Table) -> bool:
    """True when the table's rowid is not its primary key (a text key): the rowid is kept too."""
    pk = list(t.primary_key.columns)
    return not (len(pk) == 1 and isinstance(pk[0].type, Integer))


def _columns(t: Table) -> tuple[str, ...]:
    names = tuple(c.name for c in t.columns)
    return (ROWID, *names) if _keeps_rowid(t) else names


def _raw(t: Table, names: Iterable[str]) -> tuple[TableClause, dict[str, ColumnClause[Any]]]:
    """An untyped view of the table: values pass to and from SQLite unconverted."""
    cols: dict[str, ColumnClause[Any]] = {name: column(name) for name in names}
    return table(t.name, *(c for n, c in cols.items() if n != ROWID)), cols


def _ondelete(fk: ForeignKey) -> str:
    return (fk.ondelete or "NO ACTION").upper()


def _referrers(target: Table) -> list[tuple[Table, ForeignKey]]:
    """Every foreign key in the models that points at ``target``, in a stable order."""
    found = [
        (t, fk) for t in Base.metadata.sorted_tables for fk in t.foreign_keys if fk.column.table is target
    ]
    return sorted(found, key=lambda item: (item[0].name, item[1].parent.name))


def _select(s: Session, t: Table, where: str, values: Sequence[Value]) -> Rows:
    names = _columns(t)
    raw, cols = _raw(t, names)
    if not values:
        return Rows(t.name, names, ())
    pk = _primary_key(t)
    found: list[tuple[Value, ...]] = []
    for part in _chunks(values):
        query = select(*(cols[n] for n in names)).select_from(raw).where(cols[where].in_(part))
        found.extend(tuple(row) for row in s.connection().execute(query))
    index = names.index(pk)
    return Rows(t.name, names, tuple(sorted(found, key=lambda row: _order(row[index]))))


def _order(value: Value) -> tuple[str, Value]:
    return (type(value).__name__, value)


def _chunks(values: Sequence[Value], size: int = 500) -> Iterable[list[Value]]:
    """Keys in groups small enough for one statement's parameters."""
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- taking ------------------------------------------------------------------------------------


def take(
    s: Session,
    model: type[Base],
    key: Value,
    *,
    setting_keys: Sequence[str] = (),
    setting_maps: Sequence[str] = (),
) -> Snapshot:
    """Delete one row and everything that goes with it; return what was there (caller's transaction).

    ``setting_keys``: settings rows that belong to the record, deleted with it.
    ``setting_maps``: settings whose value is a JSON object keyed by record id; the
    record's member (``str(key)``) is removed from each. Raises LookupError when
    there is no such row.
    """
    tables = _tables()
    root = tables[model.__tablename__]
    first = _select(s, root, _primary_key(root), [key])
    if not first.rows:
        raise LookupError(f"{root.name} {key!r}")
    deleted, unlinked = _dependants(s, first)
    referenced = _referenced(s, deleted)
    settings = _select(s, tables[SettingRow.__tablename__], "key", sorted(set(setting_keys)))
    if settings.rows:
        deleted.append(settings)
    entries = [_take_entry(s, name, str(key)) for name in setting_maps]

    # References cleared first, then children before parents: no key is left dangling midway.
    for link in unlinked:
        t = tables[link.table]
        pk = _primary_key(t)
        raw, cols = _raw(t, (link.column, pk))
        for part in _chunks(link.keys):
            s.connection().execute(raw.update().where(cols[pk].in_(part)).values({link.column: None}))
    for rows in reversed(deleted):
        t = tables[rows.table]
        pk = _primary_key(t)
        raw, cols = _raw(t, (pk,))
        for part in _chunks(rows.values(pk)):
            s.connection().execute(raw.delete().where(cols[pk].in_(part)))
    return Snapshot(
        root.name,
        key,
        tuple(deleted),
        tuple(unlinked),
        tuple(referenced),
        tuple(e for e in entries if e is not None),
    )


def _dependants(s: Session, first: Rows) -> tuple[list[Rows], list[Unlinked]]:
    """The rows that cascade from ``first`` (parents before children), and the references it clears."""
    tables = _tables()
    deleted = [first]
    unlinked: list[Unlinked] = []
    seen = {first.table}
    queue = [first]
    while queue:
        parent = queue.pop(0)
        for child, fk in _referrers(tables[parent.table]):
            values = sorted(set(parent.values(fk.column.name)) - {None}, key=_order)
            rule = _ondelete(fk)
            if rule == CASCADE:
                if child.name in seen:
                    raise ValueError(f"{child.name}: cascading keys that form a cycle")
                found = _select(s, child, fk.parent.name, values)
                if found.rows:
                    seen.add(child.name)
                    deleted.append(found)
                    queue.append(found)
            elif rule == SET_NULL:
                found = _select(s, child, fk.parent.name, values)
                pk = _primary_key(child)
                for value in values:
                    keys = tuple(row[pk] for row in found.dicts() if row[fk.parent.name] == value)
                    if keys:
                        unlinked.append(Unlinked(child.name, fk.parent.name, keys, value))
    return deleted, unlinked


def _referenced(s: Session, deleted: Sequence[Rows]) -> list[Rows]:
    """The rows outside the snapshot that deleted rows point to through keys that do not cascade."""
    tables = _tables()
    inside = _keys(deleted)
    wanted: dict[str, set[Value]] = {}
    for rows in deleted:
        for fk in tables[rows.table].foreign_keys:
            if _ondelete(fk) in (CASCADE, SET_NULL):
                continue
            target = fk.column.table
            for value in rows.values(fk.parent.name):
                if value is not None and (target.name, value) not in inside:
                    wanted.setdefault(target.name, set()).add(value)
    return [
        _select(s, tables[name], _primary_key(tables[name]), sorted(values, key=_order))
        for name, values in sorted(wanted.items())
    ]


def _keys(groups: Iterable[Rows]) -> set[tuple[str, Value]]:
    tables = _tables()
    return {(rows.table, value) for rows in groups for value in rows.values(_primary_key(tables[rows.table]))}


def _setting(s: Session, name: str) -> str | None:
    raw, cols = _raw(_tables()[SettingRow.__tablename__], ("key", "value"))
    value = s.connection().execute(select(cols["value"]).select_from(raw).where(cols["key"] == name)).scalar()
    return None if value is None else str(value)


def _write_setting(s: Session, name: str, value: str) -> None:
    raw, cols = _raw(_tables()[SettingRow.__tablename__], ("key", "value"))
    if _setting(s, name) is None:
        s.connection().execute(raw.insert().values({"key": name, "value": value}))
    else:
        s.connection().execute(raw.update().where(cols["key"] == name).values({"value": value}))


def _json_object(stored: str | None) -> dict[str, Any] | None:
    if not stored:
        return None
    try:
        loaded = json.loads(stored)
    except ValueError:
        return None
    return loaded if isinstance(loaded, dict) else None


def _dump(obj: dict[str, Any]) -> str:
    # The form the settings store writes its JSON values in (sorted keys).
    return json.dumps(obj, sort_keys=True)


def _take_entry(s: Session, name: str, member: str) -> Entry | None:
    obj = _json_object(_setting(s, name))
    if obj is None or member not in obj:
        return None
    value = obj.pop(member)
    _write_setting(s, name, _dump(obj))
    return Entry(name, member, json.dumps(value, sort_keys=True))


# --- putting back ------------------------------------------------------------------------------


def _present(s: Session, t: Table, name: str, values: Sequence[Value]) -> set[Value]:
    """Which of ``values`` the column ``name`` of ``t`` holds now."""
    raw, cols = _raw(t, (name,))
    found: set[Value] = set()
    for part in _chunks(values):
        found.update(
            s.connection().execute(select(cols[name]).select_from(raw).where(cols[name].in_(part))).scalars()
        )
    return found


def put_back(s: Session, snapshot: Snapshot) -> None:
    """Insert everything a ``take`` removed, under the same keys (caller's transaction).

    Raises ``RestoreRefused`` before writing when a key is in use again or an
    owner (a row the record belongs to through a CASCADE key) is gone; a row it
    only refers to (a lender) is made again when it was removed since.
    """
    tables = _tables()
    for rows in snapshot.deleted:
        pk = _primary_key(tables[rows.table])
        taken = _present(s, tables[rows.table], pk, rows.values(pk))
        if taken:
            raise RestoreRefused(RestoreRefused.TAKEN, rows.table, min(taken, key=_order))
    inside = _keys(snapshot.deleted)
    for rows in snapshot.deleted:
        for fk in sorted(tables[rows.table].foreign_keys, key=lambda f: f.parent.name):
            if _ondelete(fk) != CASCADE:
                continue
            target = fk.column.table
            owners = sorted(
                {v for v in rows.values(fk.parent.name) if v is not None and (target.name, v) not in inside},
                key=_order,
            )
            gone = set(owners) - _present(s, target, fk.column.name, owners)
            if gone:
                raise RestoreRefused(RestoreRefused.GONE, target.name, min(gone, key=_order))
    for rows in snapshot.referenced:
        t = tables[rows.table]
        pk = _primary_key(t)
        there = _present(s, t, pk, rows.values(pk))
        _insert(s, t, rows.where(lambda row: row[pk] not in there))  # noqa: B023 - used at once
    for rows in snapshot.deleted:
        _insert(s, tables[rows.table], _without_gone_links(s, rows))
    for link in snapshot.unlinked:
        t = tables[link.table]
        pk = _primary_key(t)
        raw, cols = _raw(t, (link.column, pk))
        # Only rows still there and still unlinked: one linked to another debt since stays so.
        for part in _chunks(link.keys):
            s.connection().execute(
                raw.update()
                .where(cols[pk].in_(part), cols[link.column].is_(None))
                .values({link.column: link.value})
            )
    for entry in snapshot.entries:
        obj = _json_object(_setting(s, entry.setting)) or {}
        obj[entry.member] = json.loads(entry.value)
        _write_setting(s, entry.setting, _dump(obj))


def _without_gone_links(s: Session, rows: Rows) -> Rows:
    """The rows, with references (ON DELETE SET NULL) to rows gone since cleared as a delete would."""
    nullable = [fk for fk in _tables()[rows.table].foreign_keys if _ondelete(fk) == SET_NULL]
    for fk in nullable:
        values = sorted(set(rows.values(fk.parent.name)) - {None}, key=_order)
        gone = set(values) - _present(s, fk.column.table, fk.column.name, values)
        if gone:
            i = rows.columns.index(fk.parent.name)
            kept = tuple(row[:i] + (None,) + row[i + 1 :] if row[i] in gone else row for row in rows.rows)
            rows = Rows(rows.table, rows.columns, kept)
    return rows


def _insert(s: Session, t: Table, rows: Rows) -> None:
    if not rows.rows:
        return
    try:
        _insert_rows(s, t, rows)
    except IntegrityError:
        # Another unique value (a lender's name) taken by a row made since.
        raise RestoreRefused(RestoreRefused.TAKEN, t.name, rows.values(_primary_key(t))[0]) from None


def _insert_rows(s: Session, t: Table, rows: Rows) -> None:
    names = tuple(n for n in rows.columns if n != ROWID)
    raw, _cols = _raw(t, names)
    if ROWID not in rows.columns:
        s.connection().execute(raw.insert(), [{n: row[n] for n in names} for row in rows.dicts()])
        return
    quoted = ", ".join(f'"{n}"' for n in names)
    placeholders = ", ".join(f":{n}" for n in names)
    for row in rows.dicts():
        values = {n: row[n] for n in names}
        if _present(s, t, ROWID, [row[ROWID]]):
            s.connection().execute(raw.insert().values(values))
        else:
            # A table keyed by text keeps its row order too (its rowid), while that is free.
            s.connection().execute(
                text(f'INSERT INTO "{t.name}" (rowid, {quoted}) VALUES (:rowid_, {placeholders})'),
                {"rowid_": row[ROWID], **values},
            )
