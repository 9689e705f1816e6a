"""A backup counts only when the database is sound; rotation never deletes the last good backup."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import cli
from services import safety
from services.app import Services
from services.errors import StorageError, ValidationError
from storage import backup as store
from tests.storage.damage import silently_damage

T0 = datetime(2026, 11, 2, 9, 0)


def _database(path: Path) -> Path:
    with Services.open(path) as svc:
        svc.add_debt(
            {
                "name": "Card",
                "lender": "Bank",
                "kind": "credit_card",
                "principal": "5000.00",
                "start_date": "2026-01-15",
                "method": "revolving",
                "months": 12,
            }
        )
        svc.add_payment(1, "10.00", date(2026, 2, 1))
    return path


def _damaged_with_one_good_backup(tmp_path: Path) -> tuple[Path, Path]:
    db = _database(tmp_path / "d.sqlite3")
    with Services.open(db) as svc:
        good = safety.backup_now(svc, store.DAILY, now=T0)
    silently_damage(db)
    return db, good


def test_a_damaged_database_is_not_backed_up_and_the_good_backups_stay(tmp_path):
    db, good = _damaged_with_one_good_backup(tmp_path)
    with Services.open(db) as svc:
        assert len(svc.list_payments()) == 1  # it reads as if nothing were wrong
        for run in range(1, 13):
            with pytest.raises(StorageError) as info:
                safety.backup_now(svc, store.DAILY, now=T0 + timedelta(hours=run))
            assert safety.problem_of(info.value) == safety.CORRUPT
            assert "damaged" in str(info.value)
    assert [b.path for b in safety.list_backups(db)] == [good]
    latest = store.latest_good_backup(db)
    assert latest is not None and latest.path == good


def test_the_daily_backup_of_a_damaged_database_names_the_last_good_backup(tmp_path):
    db, good = _damaged_with_one_good_backup(tmp_path)
    with Services.open(db) as svc, pytest.raises(safety.DamagedDataError) as info:
        safety.daily_backup(svc, T0 + timedelta(days=1))
    assert info.value.last_good is not None and info.value.last_good.path == good
    assert str(good) in str(info.value)


def test_backup_out_of_a_damaged_database_writes_nothing(tmp_path):
    db, _good = _damaged_with_one_good_backup(tmp_path)
    out = tmp_path / "copy.sqlite3"
    with Services.open(db) as svc, pytest.raises(safety.DamagedDataError):
        safety.backup_now(svc, out=out)
    assert not out.exists()


def test_the_command_line_says_the_data_file_is_damaged_and_which_backup_is_good(tmp_path, capsys):
    db, good = _damaged_with_one_good_backup(tmp_path)
    code = cli.main(["--lang", "en_US", "--db", str(db), "backup"])
    err = capsys.readouterr().err
    assert code != 0
    assert len(err.strip().splitlines()) == 1
    assert "data file is damaged" in err and f"restore {good}" in err
    assert [b.path for b in safety.list_backups(db)] == [good]


def test_rotation_never_deletes_the_newest_backup_that_verifies(tmp_path):
    db = _database(tmp_path / "d.sqlite3")
    with Services.open(db) as svc:
        good = safety.backup_now(svc, store.DAILY, now=T0 - timedelta(days=400))
    # Ten months of later backups that are all damaged (as copies of a silently damaged file are).
    for day in range(0, 300, 5):
        damaged = store.backup_path(db, store.DAILY, T0 + timedelta(days=day))
        damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    removed = store.rotate(db, store.Retention())
    assert removed and good not in removed and good.exists()
    latest = store.latest_good_backup(db)
    assert latest is not None and latest.path == good


def test_the_newest_safety_backup_is_kept_whatever_the_policy():
    backups = [
        store.BackupInfo(Path(f"b{n}"), T0 + timedelta(minutes=n), store.DAILY, 1) for n in range(5, 0, -1)
    ]
    pre_import = store.BackupInfo(Path("before-import"), T0, store.PRE_IMPORT, 1)
    older_pre_import = store.BackupInfo(Path("older"), T0 - timedelta(days=1), store.PRE_IMPORT, 1)
    policy = store.Retention(last=1, daily=1, monthly=1)
    keep = store.to_keep([*backups, pre_import, older_pre_import], policy)
    assert keep == {Path("b5"), Path("before-import")}


def _export_with_settings(svc: Services, settings: dict[str, str]) -> bytes:
    from services.jsonio import export_database

    document = json.loads(export_database(svc))
    document["settings"] = settings
    return json.dumps(document).encode()


@pytest.mark.parametrize("value", ["0", "-1", "", "2.5", "ten", "1001"])
def test_an_imported_settings_block_cannot_set_a_keep_count_out_of_range(tmp_path, value):
    from services.jsonio import import_database

    db = tmp_path / "d.sqlite3"
    with Services.open(db) as svc:
        svc.add_debt(
            {
                "name": "Card",
                "lender": "Bank",
                "kind": "credit_card",
                "principal": "5000.00",
                "start_date": "2026-01-15",
                "method": "revolving",
                "months": 12,
            }
        )
        data = _export_with_settings(svc, {"backup_keep_daily": value})
        with pytest.raises(ValidationError) as info:
            import_database(svc, data, replace=True, backup_to=safety.import_backup_path(svc, T0))
        assert "settings.backup_keep_daily" in str(info.value) and "1 to 1000" in str(info.value)
        assert svc.get_setting("backup_keep_daily") is None
    assert safety.list_backups(db) == []  # refused before anything was written


def test_an_import_cannot_make_the_next_rotation_delete_the_pre_import_backup(tmp_path):
    from services.jsonio import import_database

    db = tmp_path / "d.sqlite3"
    with Services.open(db) as svc:
        svc.add_debt(
            {
                "name": "Card",
                "lender": "Bank",
                "kind": "credit_card",
                "principal": "5000.00",
                "start_date": "2026-01-15",
                "method": "revolving",
                "months": 12,
            }
        )
        tightest = {"backup_keep_last": "1", "backup_keep_daily": "1", "backup_keep_monthly": "1"}
        before = safety.import_backup_path(svc, T0)
        import_database(svc, _export_with_settings(svc, tightest), replace=True, backup_to=before)
        for hour in range(1, 4):
            safety.backup_now(svc, store.DAILY, now=T0 + timedelta(hours=hour))
    assert before.exists()
    assert {b.reason for b in safety.list_backups(db)} == {store.PRE_IMPORT, store.DAILY}


def test_a_stored_keep_count_of_zero_counts_as_one(tmp_path):
    with Services.open(tmp_path / "d.sqlite3") as svc:
        svc.set_setting("backup_keep_daily", "0")
        svc.set_setting("backup_keep_monthly", "0")
        assert safety.retention(svc) == store.Retention(last=10, daily=1, monthly=1)
