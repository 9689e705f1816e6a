"""Every text of the guide (resources/rules/guide.toml and the modules that show it) reads in Chinese."""

from __future__ import annotations

import ast
import tomllib

from resources.rules import read_rules_text
from tests.test_engine_catalog import ROOT, _marked, zh_catalog

MODULES = ("services/guide.py", "ui/pages/guide.py", "ui/guide_link.py", "documents/guide_report.py")


def guide_msgids() -> set[str]:
    data = tomllib.loads(read_rules_text("guide.toml"))
    ids = set(data["questions"].values()) | set(data["event_words"].values()) | set(data["when"].values())
    ids |= {entry["text"] for entry in data["texts"].values()}
    ids |= {text for step in data["steps"] for text in (step["action"], step["why"])}
    for rel in MODULES:
        ids |= _marked(ast.parse((ROOT / rel).read_text(encoding="utf-8")))
    return ids


def test_every_guide_text_is_translated():
    ids = guide_msgids()
    assert len(ids) > 100  # the scan finds the texts, not nothing
    catalog = zh_catalog()
    assert sorted(i for i in ids if not catalog.get(i)) == []
