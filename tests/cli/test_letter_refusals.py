"""`letter` on a database with one debt and nothing else entered: exit 2 naming what is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.inprocess import run_cli
from tests.documents.pdftools import pdf_text

ROOT = Path(__file__).resolve().parents[2]
DEBT = {
    "name": "京东白条",
    "lender": "京东金融",
    "kind": "jd_baitiao",
    "principal": "6000.00",
    "start_date": "2026-03-15",
    "method": "fee-installment",
    "months": 12,
    "overdue_since": "2026-08-15",
}


def run(*args, stdin=None):
    return run_cli(args, stdin=stdin, env={"LANG": "C.UTF-8", "DEBTKEEPER_LANG": "en_US"})


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("sparse") / "db.sqlite3"
    assert run("--db", str(path), "debt", "add", "--json", "-", stdin=json.dumps(DEBT)).returncode == 0
    return path


@pytest.mark.parametrize(
    ("kind", "flags"),
    [
        ("negotiation", "--income, --expenses"),
        ("proposal", "--income, --expenses"),
        ("hardship", "--income, --expenses, --cause"),
    ],
)
def test_missing_income_expenses_or_cause_exits_2_and_writes_nothing(db, tmp_path, kind, flags):
    out = tmp_path / "l.pdf"
    done = run(
        "--db",
        str(db),
        "letter",
        "1",
        "--kind",
        kind,
        "--lang",
        "en",
        "--name",
        "Zhang San",
        "--out",
        str(out),
        "--as-of",
        "2026-12-01",
    )
    assert done.returncode == 2 and not out.exists()
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("debtkeeper: letter: This letter needs your monthly income")
    assert lines[0].endswith(f"Give {flags}.")


def test_given_on_the_command_line_the_letter_states_them(db, tmp_path):
    out = tmp_path / "h.pdf"
    done = run(
        "--db",
        str(db),
        "letter",
        "1",
        "--kind",
        "hardship",
        "--lang",
        "en",
        "--name",
        "Zhang San",
        "--income",
        "4000",
        "--expenses",
        "3,000",
        "--cause",
        "I was in hospital from May 2026.",
        "--out",
        str(out),
        "--as-of",
        "2026-12-01",
        "--no-warn",
    )
    assert done.returncode == 0, done.stderr
    text = " ".join(pdf_text(out).split())
    # 4,000.00 − 3,000.00 = 1,000.00 a month for all debts.
    assert (
        "My income is CN¥4,000.00 a month and my essential spending CN¥3,000.00 a month; "
        "I can set aside CN¥1,000.00 a month"
    ) in text
    assert "I was in hospital from May 2026." in text and "[" not in text
    # Nothing given was kept: the saved budget is still empty.
    again = run(
        "--db",
        str(db),
        "letter",
        "1",
        "--kind",
        "proposal",
        "--lang",
        "en",
        "--name",
        "Zhang San",
        "--out",
        str(tmp_path / "p.pdf"),
        "--as-of",
        "2026-12-01",
    )
    assert again.returncode == 2


def test_a_bad_amount_names_the_flag(db, tmp_path):
    done = run(
        "--db",
        str(db),
        "letter",
        "1",
        "--kind",
        "proposal",
        "--income",
        "lots",
        "--expenses",
        "1",
        "--name",
        "Z",
        "--out",
        str(tmp_path / "p.pdf"),
    )
    assert done.returncode == 2 and "--income" in done.stderr


def _letter(db: Path, out: Path, kind: str, *more: str):
    """``letter 1 --kind KIND`` in English as of 2026-12-01 by Zhang San, written to ``out``."""
    common = ("--lang", "en", "--name", "Zhang San", "--out", str(out), "--as-of", "2026-12-01")
    return run("--db", str(db), "letter", "1", "--kind", kind, *common, *more)


def test_no_income_at_present_is_an_answer_and_the_letter_says_so(db, tmp_path):
    # Someone out of work gives --income 0: the letter is written, saying there is no income,
    # never "My income is CN¥0.00"; without the flag (nothing saved) it is still refused.
    budget = ("--income", "0", "--expenses", "2500", "--no-warn")
    out = tmp_path / "h0.pdf"
    done = _letter(db, out, "hardship", *budget, "--cause", "I lost my job in May 2026.")
    assert done.returncode == 0, done.stderr
    text = " ".join(pdf_text(out).split())
    assert "I have no income at present. My essential spending is CN¥2,500.00 a month" in text
    assert "My income is" not in text
    assert (out.stat().st_mode & 0o777) == 0o600
    negotiation = tmp_path / "n0.pdf"
    done = _letter(db, negotiation, "negotiation", *budget)
    assert done.returncode == 0, done.stderr
    text = " ".join(pdf_text(negotiation).split())
    assert "I have no income at present" in text and "almost nothing is left" not in text
    assert _letter(db, tmp_path / "n1.pdf", "negotiation", "--expenses", "2500").returncode == 2  # not said
