"""Revision 0003: the settings that were really columns (a debt's overdue terms, a reminder rule's
details) move into columns with the same values, and back on downgrade."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import time

from storage.db import open_database
from tests.storage.sample_db import sample_path

TERMS = {
    "cycle_fee_percent": "3",
    "late_fee_cap_percent": "",
    "penalty_interest": False,
    "penalty_base": "principal",
    "report_day_typical": 20,
}
SETTINGS = {
    "overdue_terms.2": json.dumps(TERMS, sort_keys=True),
    "overdue_terms.999": json.dumps({"cycle_fee_percent": "1"}),  # no such debt: dropped
    "overdue_terms.3": "not json",  # ignored by the program before: dropped
    "reminders.rules.5": json.dumps({"at": "20:00", "daily_while_overdue": False}, sort_keys=True),
    "reminders.rules.3": json.dumps({"follow_defaults": True}),
}


def _old_database(tmp_path):
    copy = tmp_path / "old.sqlite3"
    shutil.copy(sample_path("0002"), copy)
    with sqlite3.connect(copy) as conn:
        conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?)", SETTINGS.items())
    conn.close()
    return copy


def _rows(path, query):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def test_settings_of_a_0002_database_become_columns_with_the_same_values(tmp_path):
    from services import overdue, reminders
    from services.app import Services
    from services.jsonio import export_database

    path = _old_database(tmp_path)
    open_database(path).close()
    terms = [(2, 0, "principal", None, "3", "", None, None, 20, None)]
    assert _rows(path, "SELECT * FROM debt_terms") == terms
    query = "SELECT debt_id, follow_defaults, daily_while_overdue, at_time FROM reminders"
    details = {r[0]: r[1:] for r in _rows(path, query)}
    assert details == {2: (0, None, None), 3: (1, None, None), 4: (0, None, None), 5: (0, 0, "20:00")}
    keys = {r[0] for r in _rows(path, "SELECT key FROM settings")}
    assert keys == {"language"}  # every moved setting is gone, the others stay

    with Services.open(path) as svc:
        assert overdue.term_overrides(svc, 2) == TERMS
        assert overdue.term_overrides(svc, 3) == {}
        assert reminders.own_rule(svc, 3) is None  # follows the defaults
        rule = reminders.own_rule(svc, 5)
        assert rule is not None and rule.at == time(20, 0) and rule.daily_while_overdue is False
        exported = json.loads(export_database(svc))
    for key in ("overdue_terms.2", "reminders.rules.5", "reminders.rules.3"):
        assert exported["settings"][key] == SETTINGS[key]  # the export writes them where they were


def test_downgrade_moves_the_columns_back_into_settings(tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from storage.migrations import MIGRATIONS

    path = _old_database(tmp_path)
    open_database(path).close()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")  # as storage.db.upgrade: batch mode copies tables
        with conn.begin():
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
    engine.dispose()
    settings = dict(_rows(path, "SELECT key, value FROM settings"))
    moved = {k: SETTINGS[k] for k in ("overdue_terms.2", "reminders.rules.5", "reminders.rules.3")}
    assert settings == {"language": "zh_CN", **moved}
    tables = {r[0] for r in _rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "debt_terms" not in tables
