"""Render every letter kind in both languages, and the plan report, to PNGs in this folder.

With ``--demo`` the letters come from a fresh demo database (``main.py demo``)
with the sample person's details and one private loan at 24% a year added (the
demo has nothing above a legal limit to dispute); with ``--db FILE`` from that
database; otherwise from the fixed sample facts the tests use.
Run: ``python docs/letters/render.py --demo``.
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
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(HERE / name)],
        check=True,
    )


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
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "main.py"),
                    "letter",
                    str(debts.get(kind, debts["*"])),
                    "--kind",
                    kind,
                    "--lang",
                    lang,
                    "--out",
                    str(pdf),
                    "--db",
                    str(db),
                    "--no-warn",
                    "--as-of",
                    AS_OF,
                ],
                check=True,
            )
            png(pdf, f"{kind}-{lang}")
    for lang in LANGS:
        pdf = tmp / f"plan-{lang}.pdf"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "main.py"),
                "plan-pdf",
                "--budget",
                budget,
                "--lang",
                lang,
                "--out",
                str(pdf),
                "--db",
                str(db),
                "--as-of",
                AS_OF,
            ],
            check=True,
        )
        png(pdf, f"plan-{lang}")


AS_OF = "2026-11-23"
PRIVATE_24 = (
    '{"name": "向同事借款", "lender": "同事 赵强", "kind": "private_loan", '
    '"principal": "30000.00", "start_date": "2025-03-01", "method": "bullet", "months": 24, '
    '"rate": "24", "rate_unit": "year", "received_amount": "27000.00"}'
)
PERSON = [
    "--name",
    "王芳",
    "--city",
    "杭州",
    "--address",
    "杭州市西湖区文三路100号2幢301室",
    "--phone",
    "139-0000-1111",
    "--id-number",
    "330106199205051234",
    "--cause",
    "2026年4月本人所在的门店关闭，本人失业两个月；6月起在新单位工作，"
    "月收入由约一万三千元降至九千元，同时每月需赡养父母。"
    "收入下降后，原有的各笔分期无法同时按期偿还。",
]


def demo_database(folder: Path) -> tuple[Path, dict[str, int]]:
    db = folder / "demo.sqlite3"

    def cli(*args: str, stdin: str | None = None) -> str:
        return subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--db", str(db), *args],
            check=True,
            capture_output=True,
            text=True,
            input=stdin,
        ).stdout

    cli("demo", "--as-of", AS_OF)
    private_id = int(cli("debt", "add", "--json", "-", stdin=PRIVATE_24).split()[-1].strip("."))
    cli(
        "letter",
        "1",
        "--kind",
        "statement",
        "--out",
        str(folder / "x.pdf"),
        "--as-of",
        AS_OF,
        *PERSON,
        "--save-person",
        "--no-warn",
    )
    return db, {"*": 1, "dispute": private_id}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--db", type=Path)
    parser.add_argument(
        "--debt",
        action="append",
        default=[],
        metavar="KIND=ID or ID",
        help="the debt each letter is about (ID for all kinds, KIND=ID for one)",
    )
    parser.add_argument("--budget", default="5000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.demo:
            db, debts = demo_database(Path(folder))
            from_database(Path(folder), db, debts, args.budget)
        elif args.db:
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
