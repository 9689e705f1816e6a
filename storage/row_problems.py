"""What a reader could not read: the problems of a stored row, named so a person can find it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from resources.i18n import N_, tr

T = TypeVar("T")
STORED_MAX = 40  # characters of a stored value quoted in a message


@dataclass(frozen=True, slots=True)
class ColumnProblem:
    """One stored value that cannot be read: its column, what is wrong (a msgid) and the value itself."""

    column: str
    message: str
    params: tuple[tuple[str, object], ...]
    stored: object


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that cannot be read, named by its table and key, with every value that is wrong."""

    table: str
    key_name: str  # "id", or the key column of a table without one ("category", "key")
    key: object
    columns: tuple[ColumnProblem, ...]

    @property
    def ident(self) -> tuple[str, str]:
        return self.table, repr(self.key)

    def describe(self, lang: str | None = None) -> str:
        """ "table debts, id 3, column principal: not an amount (stored value: 'abc')", translated."""
        parts = [
            tr(
                N_("column {column}: {problem} (stored value: {value})"),
                lang,
                column=c.column,
                problem=tr(c.message, lang, **dict(c.params)),
                value=stored_text(c.stored),
            )
            for c in self.columns
        ]
        key = self.key if isinstance(self.key, int) else stored_text(self.key)
        return tr(
            N_("table {table}, {key_name} {key}, {columns}"),
            lang,
            table=self.table,
            key_name=self.key_name,
            key=key,
            columns="; ".join(parts),
        )


def stored_text(value: object) -> str:
    """A stored value as a message quotes it: Python's repr (control characters escaped), shortened."""
    text = "NULL" if value is None else repr(value)
    return text if len(text) <= STORED_MAX else text[: STORED_MAX - 1] + "…"


@dataclass(slots=True)
class Read(Generic[T]):
    """What a reader could read, in order, and every row it could not."""

    values: list[T]
    problems: list[RowProblem]
