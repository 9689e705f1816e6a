"""Privacy: crash reports and logs carry no names, notes, amounts or numbers; files are the owner's only."""

from __future__ import annotations

import logging
import stat
import traceback

from sqlalchemy import text

from services import safety
from services.app import Services

# Personal data comes from variables, as in the program: a traceback's source lines never hold it.
WHO = "张三 13812345678"
CARD = "payment for 招商银行 card 6225880212345678, note: 欠款"
DEBT = "debt 京东白条 owed by 李四, phone 13900001111"


def _report(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def test_crash_report_hides_sql_values_messages_and_long_numbers():
    with Services.open(":memory:") as svc:
        try:
            with svc.transaction() as s:
                s.execute(text("INSERT INTO no_such_table VALUES (:who)"), {"who": WHO})
        except Exception as exc:  # noqa: BLE001 - any error will do: we look at its report
            raw = _report(exc)
    redacted = safety.redact_report(raw)
    assert "张三" in raw and "13812345678" in raw
    assert "张三" not in redacted and "13812345678" not in redacted
    assert "[parameters: (hidden)]" in redacted
    assert "INSERT INTO no_such_table" in redacted  # the code path stays
    try:
        raise ValueError(CARD)
    except ValueError as exc:
        redacted = safety.redact_report(_report(exc))
    assert "招商" not in redacted and "6225" not in redacted and "ValueError: (message hidden" in redacted
    assert "test_privacy.py" in redacted


def test_the_crash_dialog_and_its_log_are_redacted(qapp, monkeypatch, caplog):
    from ui import errors

    shown = []
    monkeypatch.setattr(errors, "_present", shown.append)
    try:
        raise RuntimeError(DEBT)
    except RuntimeError as exc:
        with caplog.at_level(logging.ERROR):
            errors.show_crash(type(exc), exc, exc.__traceback__)
    details = shown[0].detailedText()
    for secret in ("李四", "京东白条", "13900001111"):
        assert secret not in details and secret not in caplog.text
    assert "RuntimeError" in details


def test_database_backups_and_lock_file_are_private(tmp_path):
    db = tmp_path / "d.sqlite3"
    with Services.open(db) as svc:
        backup = safety.backup_now(svc)
    held = safety.lock(db)
    for path in (db, backup, tmp_path / "d.sqlite3.lock"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    held.release()
