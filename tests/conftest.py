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
_hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, database=None,
                                      suppress_health_check=[HealthCheck.too_slow])
_hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")
