"""Every text the repayment engine shows has a Chinese translation in a catalog."""

from __future__ import annotations

import ast
from pathlib import Path

from babel.messages.pofile import read_po

from domain.strategies import Strategy, parse_triage_rules
from resources import LOCALE
from resources.rules import read_rules_text

ROOT = Path(__file__).resolve().parent.parent
MARKERS = {"tr", "N_", "_"}
ENGINE_FUNCTIONS = {"cmd_calc", "cmd_plan", "_flag_amount", "_flag_rate", "_flag_months"}


def _marked(node: ast.AST) -> set[str]:
    found = set()
    for call in ast.walk(node):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in MARKERS):
            continue
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add(first.value)
    return found


def engine_msgids() -> set[str]:
    ids: set[str] = set()
    for rel in (
        "domain/strategies.py",
        "domain/negotiation.py",
        "domain/schedules.py",
        "domain/ledger.py",
        "services/planning.py",
    ):
        ids |= _marked(ast.parse((ROOT / rel).read_text(encoding="utf-8")))
    cli = ast.parse((ROOT / "cli.py").read_text(encoding="utf-8"))
    for fn in cli.body:
        if isinstance(fn, ast.FunctionDef) and fn.name in ENGINE_FUNCTIONS:
            ids |= _marked(fn)
    ids |= {f.consequence for f in parse_triage_rules(read_rules_text("triage.toml")).factors}
    ids |= {s.value for s in Strategy}
    return ids


def zh_catalog() -> dict[str, str]:
    out: dict[str, str] = {}
    for po in (LOCALE / "zh_CN" / "LC_MESSAGES").glob("*.po"):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if message.id and isinstance(message.id, str):
                    out[message.id] = message.string
    return out


def test_engine_texts_are_translated():
    ids = engine_msgids()
    assert len(ids) > 40  # the scan finds the texts, not nothing
    catalog = zh_catalog()
    assert sorted(i for i in ids if not catalog.get(i)) == []
