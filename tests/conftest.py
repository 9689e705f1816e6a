"""Shared test set-up: offscreen Qt, a fixed language, temp data folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DEBTKEEPER_LANG", "en_US")

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as _hypothesis_settings

from resources.i18n import set_language


@pytest.fixture(autouse=True)
def _no_password():
    """No test starts with, or leaves behind, a password for protected databases."""
    from storage import encryption

    encryption.set_password(None)
    yield
    encryption.set_password(None)


@pytest.fixture(autouse=True)
def _default_language():
    set_language("en_US")
    yield
    set_language("en_US")


# Property tests check behaviour, not speed: no deadlines (the machine may be busy). In CI the
# examples are derived from each test's name, so a run is repeatable.
_hypothesis_settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
_hypothesis_settings.register_profile(
    "ci", deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
_hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


# Nothing in the program may open a database file by its path while SQLite has it open (closing that
# descriptor would drop SQLite's locks: storage/live.py). Every open() and os.open() in every test is
# watched; a test that made the program do it fails.
from storage import live as _live  # noqa: E402

_opened_live: list[str] = []


def _watch_opens(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and args and isinstance(args[0], str | bytes | os.PathLike):
        path = os.fsdecode(args[0])  # type: ignore[arg-type]
        if _live.is_live_path(path):
            import traceback

            _opened_live.append(path + "\n" + "".join(traceback.format_stack(limit=8)))


import sys as _sys  # noqa: E402

_sys.addaudithook(_watch_opens)


@pytest.fixture(autouse=True)
def _no_open_of_a_live_database():
    _opened_live.clear()
    yield
    found, _opened_live[:] = list(_opened_live), []
    assert not found, "a database file was opened by its path while open in SQLite:\n" + "\n".join(found)


@pytest.fixture
def letter_services(tmp_path_factory):
    """Opens real databases holding the letter samples (tests/documents/samples.py), closed after the test."""
    from tests.documents import samples

    opened = []
    folder = tmp_path_factory.mktemp("letters")  # apart from the files a test writes and lists

    def open_with(*args, **kwargs):
        svc = samples.open_services(folder / f"letters{len(opened)}.sqlite3", *args, **kwargs)
        opened.append(svc)
        return svc

    yield open_with
    for svc in opened:
        svc.close()
