"""Shared test set-up: offscreen Qt, a fixed language, temp data folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DEBTKEEPER_LANG", "en_US")

import pytest

from resources.i18n import set_language


@pytest.fixture(autouse=True)
def _default_language():
    set_language("en_US")
    yield
    set_language("en_US")
