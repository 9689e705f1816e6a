"""What every letter says and how, read back from the PDF as the lender reads it.

The figures of the hardship statement are the ones ``plan --json`` and ``debt list --json`` give
for the same day; the wording speaks as the writer, with clean punctuation, the right names for
the person's role and the product's own terms, and nothing printed for a detail not given.
"""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import format_currency

from tests.cli.inprocess import run_cli
from tests.documents.pdftools import pdf_text

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-23"
KINDS = ("negotiation", "hardship", "proposal", "complaint", "statement", "dispute")
LANGS = ("zh_CN", "en_US")
PRIVATE_24 = {
    "name": "向同事借款",
    "lender": "同事 赵强",
    "kind": "private_loan",
    "principal": "30000.00",
    "start_date": "2025-03-01",
    "method": "bullet",
    "months": 24,
    "rate": "24",
    "rate_unit": "year",
    "received_amount": "27000.00",
}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(args, stdin=stdin, env={"DEBTKEEPER_LANG": "en_US"})


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> dict[str, object]:
    """The demo, a private loan at 24% to dispute, and a person who gave no phone number."""
    folder = tmp_path_factory.mktemp("wording")
    path = folder / "d.sqlite3"
    assert run("--db", str(path), "demo", "--as-of", AS_OF).returncode == 0
    added = run(
        "--db", str(path), "debt", "add", "--json", "-", stdin=json.dumps(PRIVATE_24, ensure_ascii=False)
    )
    assert added.returncode == 0, added.stderr
    listed = json.loads(run("--db", str(path), "debt", "list", "--json", "--as-of", AS_OF).stdout)
    ids: dict[str, int] = {}
    for d in listed:
        ids.setdefault(d["kind"], d["id"])  # the demo's own debt of each kind
    ids["dispute"] = int(re.findall(r"\d+", added.stdout)[-1])
    return {"path": path, "folder": folder, "ids": ids, "listed": listed}


def letter(db, debt_id: int, kind: str, lang: str, layout: bool = False) -> str:
    out = Path(db["folder"]) / f"{kind}-{debt_id}-{lang}.pdf"  # type: ignore[arg-type]
    result = run(
        "--db",
        str(db["path"]),
        "letter",
        str(debt_id),
        "--kind",
        kind,
        "--lang",
        lang,
        "--out",
        str(out),
        "--as-of",
        AS_OF,
        "--name",
        "王芳",
        "--no-warn",
    )
    assert result.returncode == 0, result.stderr
    return pdf_text(out, layout=layout)


def debt_for(db, kind: str) -> int:
    ids = db["ids"]
    if kind == "dispute":
        return ids["dispute"]
    return ids["jd_baitiao"] if kind == "complaint" else ids["credit_card"]


@pytest.fixture(scope="module")
def letters(db) -> dict[tuple[str, str], str]:
    return {(kind, lang): letter(db, debt_for(db, kind), kind, lang) for kind in KINDS for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_clean_punctuation_and_nothing_printed_for_a_missing_phone(letters, kind, lang):
    text = letters[kind, lang]
    compact = "".join(text.split())
    assert "。；" not in compact and ".;" not in compact
    assert "（未填写）" not in compact and "(not given)" not in text
    assert "telephone:" not in text.replace("Telephone:", "") and "电话：（" not in compact
    assert "WITHOUT PREJUDICE" not in text.upper()
    if lang == "zh_CN":
        assert "您" not in compact  # the letter speaks as its writer, 本人


def test_the_complaint_speaks_as_its_writer(letters):
    zh = "".join(letters["complaint", "zh_CN"].split())
    en = " ".join(letters["complaint", "en_US"].split())
    assert "未经本人同意在22:00至08:00之间联系本人" in zh
    assert "your consent" not in en and "your debt" not in en and "reach you" not in en
    assert "without my consent" in en


def test_reference_number_and_a_card_holder(letters):
    zh = "".join(letters["negotiation", "zh_CN"].split())
    assert "函件编号：DK-" in zh
    assert "持卡人" in zh and "的借款人" not in zh
    assert "个性化分期还款协商申请" in zh
    assert "am the cardholder on your account" in " ".join(letters["negotiation", "en_US"].split())


def test_a_loan_is_not_offered_a_card_arrangement_and_a_named_lender_is_greeted_by_name(db):
    bank = "".join(letter(db, db["ids"]["bank_loan"], "negotiation", "zh_CN").split())
    assert "个性化分期" not in bank and "持卡人" not in bank
    assert "的借款人" in bank and "贷款展期" in bank and "第六百七十八条" in bank
    jiebei = "".join(letter(db, db["ids"]["jiebei"], "proposal", "zh_CN").split())
    assert "个性化分期" not in jiebei
    private = " ".join(letter(db, db["ids"]["private_loan"], "negotiation", "en_US").split())
    assert "Dear Sir or Madam" not in private and "Dear 表哥 李明," in private
    assert "Yours sincerely," in private and "new repayment dates and amounts" in private
    assert "NOT AN ACKNOWLEDGEMENT OF THE AMOUNTS CLAIMED" in private
    card = " ".join(letter(db, db["ids"]["credit_card"], "hardship", "en_US").split())
    assert "Dear Sir or Madam," in card  # a bank is not a named person


def money(value: str) -> str:
    return format_currency(Decimal(value), "CNY", locale="en_US")


def test_hardship_figures_are_the_plan_s_and_debt_list_s(db):
    text = letter(db, db["ids"]["credit_card"], "hardship", "en_US", layout=True)
    plan = json.loads(
        run(
            "--db",
            str(db["path"]),
            "plan",
            "--budget",
            "3000",
            "--strategy",
            "avalanche",
            "--json",
            "--as-of",
            AS_OF,
        ).stdout
    )
    minimums = {d["id"]: d["minimum"] for d in plan["debts"]}
    listed = json.loads(run("--db", str(db["path"]), "debt", "list", "--json", "--as-of", AS_OF).stdout)
    # the card's minimum is 10% of 24,837.50 rounded up (2,483.75) + a month's interest, not its floor
    card = next(d for d in listed if d["kind"] == "credit_card")
    assert Decimal(minimums[card["id"]]) > Decimal("2483.75")
    rows = {}
    for line in text.splitlines():
        for d in listed:
            if line.strip().startswith(d["name"]):
                rows[d["id"]] = line
    assert set(rows) == {d["id"] for d in listed}
    for d in listed:
        amounts = re.findall(r"CN¥[\d,]+\.\d\d", rows[d["id"]])
        assert amounts == [money(d["balance"]), money(minimums[d["id"]])], rows[d["id"]]
    flat = " ".join(text.split())
    total = sum((Decimal(d["balance"]) for d in listed), Decimal(0))
    monthly = sum((Decimal(m) for m in minimums.values()), Decimal(0))
    assert f"about {money(str(total))} in total" in flat
    assert f"require about {money(str(monthly))} a month" in flat
