"""Restoring from the data file that is open is refused: it would copy a file SQLite has open."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest


def test_restoring_from_the_open_file_is_refused_and_changes_nothing(tmp_path: Path):
    from services.app import Services
    from services.errors import StorageError
    from services.safety import restore_open

    path = tmp_path / "data.sqlite3"
    svc = Services.open(path)
    try:
        svc.add_debt(
            {
                "name": "京东白条",
                "lender": "京东金融",
                "kind": "jd_baitiao",
                "principal": "3000.00",
                "start_date": date(2026, 1, 15).isoformat(),
                "method": "fee-installment",
                "months": 12,
            }
        )
        before = path.stat()
        with pytest.raises(StorageError) as refused:
            restore_open(svc, path)
        assert str(path) in str(refused.value)
        assert [d.name for d in svc.list_debts()] == ["京东白条"]  # still open, still the same data
        after = path.stat()  # not replaced, not written
        same = ("st_ino", "st_size", "st_mtime_ns")
        assert [getattr(after, k) for k in same] == [getattr(before, k) for k in same]
    finally:
        svc.close()
