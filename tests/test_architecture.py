"""The layers' arrows go one way: checked on the source, not by convention."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "domain": {
        "PySide6",
        "sqlalchemy",
        "alembic",
        "storage",
        "services",
        "documents",
        "ui",
        "reportlab",
        "resources",
        "cli",
        "main",
    },
    "ui": {"sqlalchemy", "storage", "alembic"},
    "storage": {"PySide6", "ui", "services", "documents", "reportlab"},
    "documents": {"PySide6", "sqlalchemy", "storage", "ui", "services"},
    "services": {"PySide6", "ui"},
    # The one way to write a file, used by every layer: it depends on none of them.
    "fileio": {
        "PySide6",
        "sqlalchemy",
        "alembic",
        "reportlab",
        "domain",
        "storage",
        "services",
        "documents",
        "ui",
        "resources",
        "cli",
        "main",
    },
    # The command line runs without the window: a notification goes through services.notify.
    "cli.py": {"PySide6", "ui"},
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
        paths = [ROOT / layer] if layer.endswith(".py") else (ROOT / layer).rglob("*.py")
        for path in paths:
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


def _services_imports(path: Path) -> set[str]:
    """The services modules one services module imports, at the top or inside a function (what
    only a type checker reads, under ``if TYPE_CHECKING:``, is no import at run time)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for stmt in block.body
        for node in ast.walk(stmt)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "services":
                found.update(f"services.{a.name}" for a in node.names)
            elif node.module.startswith("services."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("services."))
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle of ``graph`` (module -> modules it imports), or [] when there is none."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str]:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done or module not in graph:
            return []
        path.append(module)
        for imported in sorted(graph[module]):
            found = visit(imported)
            if found:
                return found
        path.pop()
        done.add(module)
        return []

    for module in sorted(graph):
        found = visit(module)
        if found:
            return found
    return []


def test_the_cycle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_circle_among_services_modules():
    graph = {
        f"services.{path.stem}": _services_imports(path)
        for path in (ROOT / "services").glob("*.py")
        if path.stem != "__init__"
    }
    assert len(graph) > 10 and graph["services.jsonio"]  # the graph was built
    assert _cycle(graph) == []


def test_the_command_line_names_the_windows_pages():
    # cli.py must not import ui/ (above), so it keeps the page names itself: they must be the window's.
    import cli
    from ui.pages import PAGE_KEYS

    assert cli.PAGES == PAGE_KEYS
