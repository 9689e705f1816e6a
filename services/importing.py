"""An export put in place of everything stored, read a piece at a time, in one transaction.

The file is read, checked and written as it is read (``services.exportformat.stream_document``):
the payments and instalments go to the database a batch at a time, so that 1,000,000 payments
take no more memory than a few thousand. One transaction holds it all: a bad document raises
ValidationError naming every problem and where it is, and nothing is written. Then each debt's
payments are folded through the ledger a batch at a time, and each keeps the ledger state after it
where the file's split is the ledger's own (``services.records.restate_debt``); the file's splits
stay as they are: export, import, export gives the same file. Settings that belong to this computer (``LOCAL_SETTINGS``) stay unless the file gives them.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from resources.i18n import tr
from services.errors import StorageError
from services.exportformat import stream_document
from services.progress import Progress, Stages
from services.reminders import LOCAL_SETTINGS
from storage import transfer

if TYPE_CHECKING:
    from services.app import Services

# Of the bar an import shows: reading and checking the file, then splitting each debt's payments
# (about the time each takes, measured with benchmarks/bench_stream.py's database); checking the
# file whole first, before a backup, takes about this much more.
READ_SHARE, SPLIT_SHARE = 0.4, 0.6
CHECK_COST = 0.3


def load_export(
    svc: Services,
    source: bytes | Path | IO[bytes],
    progress: Progress | None = None,
    backup: Callable[[], object] | None = None,
) -> int:
    """Put an export (its bytes, its path, or a seekable binary file) in place of everything stored,
    in one transaction; returns the number of debts. ``progress`` follows it.

    ``backup``: taken before anything is written, once the whole file has been checked (it is read
    twice then), so that a file that is refused leaves no backup behind.
    """
    try:
        if isinstance(source, bytes):
            return _import(svc, io.BytesIO(source), len(source), progress, backup)
        if isinstance(source, Path):
            with source.open("rb") as fh:
                return _import(svc, fh, os.fstat(fh.fileno()).st_size, progress, backup)
        return _import(svc, source, _size(source), progress, backup)
    except OSError as exc:  # the file, as it was read (the database's errors are StorageErrors)
        name = source if isinstance(source, Path) else getattr(source, "name", "-")
        raise StorageError(
            tr("Cannot read {path}: {reason}", None, path=str(name), reason=exc.strerror or str(exc))
        ) from None


def _size(fh: IO[bytes]) -> int | None:
    try:
        return os.fstat(fh.fileno()).st_size
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


def _import(
    svc: Services,
    fh: IO[bytes],
    size: int | None,
    progress: Progress | None,
    backup: Callable[[], object] | None,
) -> int:
    from collections import Counter
    from itertools import groupby

    from domain.ids import DebtId
    from storage.models import DebtRow, PaymentRow, SettingRow

    if backup is not None:
        whole = 1 + CHECK_COST
        bar = Stages(progress, (CHECK_COST / whole, READ_SHARE / whole, SPLIT_SHARE / whole))
        stream_document(fh, lambda _model, _rows: None, bar.stage(0, size))
        fh.seek(0)
        backup()
    else:
        bar = Stages(progress, (0.0, READ_SHARE, SPLIT_SHARE))
    paid: Counter[int] = Counter()  # payments per debt, to split them again after
    with svc.transaction() as s:
        local = transfer.stored_settings(s, LOCAL_SETTINGS)
        transfer.clear_all(s)

        def sink(model: type[Any], batch: list[dict[str, Any]]) -> None:
            transfer.insert_rows(s, model, batch)
            if model is PaymentRow:
                paid.update(values["debt_id"] for values in batch)

        held = stream_document(fh, sink, bar.stage(1, size))
        given = {values["key"] for model, values in held if model is SettingRow}
        held += [(SettingRow, {"key": k, "value": v}) for k, v in local.items() if k not in given]
        for model, group in groupby(held, key=lambda row: row[0]):
            transfer.insert_rows(s, model, [values for _model, values in group])
        done, total = 0, paid.total()
        from services import records

        for debt_id, count in sorted(paid.items()):
            # The file's splits stay as they are (export, import, export gives the same file); each
            # payment keeps the ledger state after it where they are the ledger's own.
            records.restate_debt(s, records.read_debt(s, DebtId(debt_id)))
            done += count
            bar.report(2, done, total)
    return sum(1 for model, _values in held if model is DebtRow)
