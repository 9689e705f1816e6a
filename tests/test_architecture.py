"""The layers' arrows go one way: checked on the source, not by convention."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "domain": {"PySide6", "sqlalchemy", "alembic", "storage", "services", "documents", "ui", "reportlab",
               "resources", "cli", "main"},
    "ui": {"sqlalchemy", "storage", "alembic"},
    "storage": {"PySide6", "ui", "services", "documents", "reportlab"},
    "documents": {"PySide6", "sqlalchemy", "storage", "ui", "services"},
    "services": {"PySide6", "ui"},
    # The one way to write a file, used by every layer: it depends on none of them.
    "fileio": {"PySide6", "sqlalchemy", "alembic", "reportlab", "domain", "storage", "services", "documents",
               "ui", "resources", "cli", "main"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_layers_import_only_downwards():
    problems = []
    for layer, banned in FORBIDDEN.items():
        for path in (ROOT / layer).rglob("*.py"):
            bad = _imports(path) & banned
            if bad:
                problems.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert problems == []


def test_domain_never_reads_the_clock_or_uses_float():
    offenders = []
    for path in (ROOT / "domain").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("date.today(", "datetime.now(", "time.time(", "float("):
            if needle in text:
                offenders.append(f"{path.name}: {needle}")
    assert offenders == []
