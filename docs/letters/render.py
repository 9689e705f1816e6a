"""Render every letter kind in both languages, and the plan report, to PNGs in this folder.

With ``--db FILE`` the letters come from that database (e.g. one made by
``main.py demo``); without it, from the fixed sample facts used by the tests.
Run: ``python docs/letters/render.py [--db demo.sqlite3 --debt ID]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("negotiation", "hardship", "proposal", "complaint", "statement", "dispute")
LANGS = ("zh_CN", "en_US")


def png(pdf: Path, name: str) -> None:
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(HERE / name)], check=True)


def from_samples(tmp: Path) -> None:
    from documents.letter_data import letter_input
    from documents.letters import compose_letter, render_letter
    from documents.plan_report import render_plan_report
    from tests.documents import samples

    for kind in KINDS:
        for lang in LANGS:
            facts = samples.facts(samples.PRIVATE) if kind == "dispute" else samples.facts()
            pdf = tmp / f"{kind}-{lang}.pdf"
            render_letter(compose_letter(letter_input(kind, lang, facts)), pdf)
            png(pdf, f"{kind}-{lang}")
    for lang in LANGS:
        pdf = tmp / f"plan-{lang}.pdf"
        render_plan_report(samples.plan_report(lang, debts=4, months=24), pdf)
        png(pdf, f"plan-{lang}")


def from_database(tmp: Path, db: Path, debts: dict[str, int], budget: str) -> None:
    for kind in KINDS:
        for lang in LANGS:
            pdf = tmp / f"{kind}-{lang}.pdf"
            subprocess.run([sys.executable, str(ROOT / "main.py"), "letter", str(debts.get(kind, debts["*"])),
                            "--kind", kind, "--lang", lang, "--out", str(pdf), "--db", str(db), "--no-warn"],
                           check=True)
            png(pdf, f"{kind}-{lang}")
    for lang in LANGS:
        pdf = tmp / f"plan-{lang}.pdf"
        subprocess.run([sys.executable, str(ROOT / "main.py"), "plan-pdf", "--budget", budget, "--lang", lang,
                        "--out", str(pdf), "--db", str(db)], check=True)
        png(pdf, f"plan-{lang}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--debt", action="append", default=[], metavar="KIND=ID or ID",
                        help="the debt each letter is about (ID for all kinds, KIND=ID for one)")
    parser.add_argument("--budget", default="3000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.db:
            debts = {}
            for item in args.debt or ["1"]:
                kind, _, ident = item.rpartition("=")
                debts[kind or "*"] = int(ident)
            from_database(Path(folder), args.db, debts, args.budget)
        else:
            from_samples(Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
