"""The open database as the managers share it: units of work and damaged-row reporting.

A unit of work is one transaction. ``with store.unit():`` opens one, and every
service call made inside it (on the same thread) joins it instead of opening its
own, so a use case made of several calls commits or rolls back as one. Outside a
unit each call is its own transaction, as before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

from sqlalchemy.orm import Session

from services.errors import DamagedRowError, StorageError
from storage import rows
from storage.db import Database
from storage.errors import KnownDatabaseError
from storage.rows import RowProblem

T = TypeVar("T")


def log_problem(text: str) -> None:
    """Where a damaged row is reported when nobody asked to hear about it: the log."""
    logging.getLogger(__name__).warning("%s", text)


@dataclass(slots=True)
class Unit:
    """One open unit of work: its session, and whether it may write."""

    session: Session
    writes: bool


class Store:
    """One open database, shared by the managers: sessions, and the rows they could not read.

    A stored row that cannot be read (another program or a disk fault damaged it) is left out of
    every list, and reported once, as one translated line, to ``on_problem`` (default: the log);
    a use case about that very record raises ``DamagedRowError`` naming it.
    """

    def __init__(self, database: Database, on_problem: Callable[[str], None] | None = None) -> None:
        self._db = database
        self._on_problem = on_problem or log_problem
        self._reported: set[tuple[str, ...]] = set()
        self.unreadable_payments: set[int] = set()  # ids, so that pages can be counted without them
        self._local = threading.local()
        self._written = 0  # units that wrote through this store: what was read before may be stale

    # --- lifetime ------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when the database was opened for reading only."""
        return self._db.read_only

    @property
    def notices(self) -> list[str]:
        """What the person should be told once about opening the file (e.g. it was made private)."""
        return list(self._db.notices)

    @property
    def database(self) -> Database:
        return self._db

    @property
    def path(self) -> str:
        return self._db.path

    def close(self) -> None:
        self._db.close()

    def backup(self, out: Path) -> Path:
        """A consistent copy of the database through SQLite's online backup API."""
        try:
            return self._db.backup(out)
        except KnownDatabaseError as exc:
            raise StorageError(exc.message) from exc

    # --- units of work -------------------------------------------------------------

    def _open_unit(self) -> Unit | None:
        unit: Unit | None = getattr(self._local, "unit", None)
        return unit

    @contextmanager
    def unit(self, *, writes: bool = True) -> Iterator[Unit]:
        """One use case, one transaction: every call made inside joins it (on this thread).

        ``writes=False`` opens a reading unit (one snapshot, no write lock); a write inside it is
        a bug. A unit opened inside another joins the outer one.
        """
        outer = self._open_unit()
        if outer is not None:
            if writes and not outer.writes:
                raise RuntimeError("a unit of work that writes cannot join one that only reads")
            yield outer
            return
        opener = self._db.transaction if writes else self._db.reading
        try:
            with opener() as session:
                self._local.unit = Unit(session, writes)
                try:
                    yield self._local.unit
                finally:
                    self._local.unit = None
                    if writes:
                        self._written += 1
        except KnownDatabaseError as exc:
            raise StorageError(exc.message) from exc

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """The session of a unit that writes (the open unit's, or a new one)."""
        with self.unit(writes=True) as unit:
            yield unit.session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """The session of a unit that only reads: one snapshot, no write lock (joins an open unit)."""
        outer = self._open_unit()
        with self.unit(writes=outer.writes if outer is not None else False) as unit:
            yield unit.session

    def kept(self, s: Session, name: str, compute: Callable[[], T]) -> T:
        """``compute()``, or what it gave last time when the database has not changed since: no unit
        of this store wrote, and SQLite's ``data_version`` on this connection says no other
        connection committed (for a scan of every row that most reads need and few writes change)."""
        connection = s.connection()
        version = connection.exec_driver_sql("PRAGMA data_version").scalar()
        key = (int(version or 0), self._written)
        # Kept with the connection itself (``Connection.info`` lives as long as the SQLite connection):
        # data_version is that connection's count.
        kept = cast(
            dict[str, tuple[tuple[int, int], object]], connection.info.setdefault("debtkeeper.kept", {})
        )
        found = kept.get(name)
        if found is not None and found[0] == key:
            return cast(T, found[1])
        value = compute()
        kept[name] = (key, value)
        return value

    # --- damaged rows ------------------------------------------------------------------

    @property
    def warnings(self) -> int:
        """How many damaged rows (and records left out with them) were reported so far."""
        return len(self._reported)

    def warn(self, ident: tuple[str, ...], text: str) -> None:
        """Report one translated line about a record left out, once per ``ident``."""
        if ident not in self._reported:
            self._reported.add(ident)
            self._on_problem(text)

    def report(self, problems: Iterable[RowProblem]) -> None:
        """Report rows that could not be read (once each)."""
        from resources.i18n import tr

        for problem in problems:
            if problem.table == "payments" and isinstance(problem.key, int):
                self.unreadable_payments.add(problem.key)
            self.warn(problem.ident, tr("skipped a damaged record: {record}", record=problem.describe()))

    def readable(self, read: rows.Read[T]) -> list[T]:
        """The values of a read; the rows it could not read are reported (once each) and left out."""
        self.report(read.problems)
        return read.values

    @staticmethod
    def only(read: rows.Read[T], missing: Callable[[], Exception]) -> T:
        """The one record a use case is about: DamagedRowError when it cannot be read."""
        if read.problems:
            raise DamagedRowError(read.problems[0])
        if not read.values:
            raise missing()
        return read.values[0]
