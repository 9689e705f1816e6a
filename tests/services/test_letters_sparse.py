"""Every letter kind on sparse data: refused with the reason, or written with nothing left to fill in.

The database holds one debt (京东白条, 6,000.00, overdue since 2026-08-15) and the person's name,
nothing else: no income, no expenses, no cause, no contacts.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from documents.letters import Block, UnfilledPlaceholder, letter_texts, render_letter
from domain.debts import Budget
from services.app import Services
from services.errors import UserError
from services.letters import LETTER_KINDS, MissingDetails, make_letter
from tests.documents.pdftools import pdf_text

AS_OF = date(2026, 12, 1)
NEEDS = {
    "negotiation": ("income", "expenses"),
    "proposal": ("income", "expenses"),
    "hardship": ("income", "expenses", "cause"),
}


@pytest.fixture
def svc(tmp_path):
    services = Services.open(tmp_path / "sparse.sqlite3")
    services.add_debt(
        {
            "name": "京东白条",
            "lender": "京东金融",
            "kind": "jd_baitiao",
            "principal": "6000.00",
            "start_date": "2026-03-15",
            "method": "fee-installment",
            "months": 12,
            "overdue_since": "2026-08-15",
        }
    )
    services.set_setting("person.name", "张三")
    yield services
    services.close()


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_every_kind_on_sparse_data_is_refused_with_a_reason_or_complete(svc, kind, lang, tmp_path):
    try:
        letter = make_letter(svc, 1, kind, lang, AS_OF)
    except MissingDetails as exc:
        assert exc.missing == NEEDS[kind]
        assert "income" in exc.message or "收入" in exc.message
        return
    except UserError as exc:
        # A complaint needs a logged contact that broke a rule; a dispute a charge above a limit.
        assert kind in ("complaint", "dispute") and exc.message
        return
    assert kind not in NEEDS
    out = tmp_path / "l.pdf"
    out.write_bytes(render_letter(letter))
    text = pdf_text(out)
    assert "【" not in text and "[" not in text


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
@pytest.mark.parametrize("kind", sorted(NEEDS))
def test_with_income_expenses_and_cause_each_letter_states_them(svc, kind, lang, tmp_path):
    svc.set_budget(Budget(income=Decimal("4000.00"), expenses={"房租": Decimal("3000.00")}))
    letter = make_letter(svc, 1, kind, lang, AS_OF, cause="2026年5月住院两个月，收入中断。")
    out = tmp_path / "l.pdf"
    out.write_bytes(render_letter(letter))
    text = "".join(pdf_text(out).split())
    # 4,000.00 income less 3,000.00 expenses leaves 1,000.00 a month for the one debt.
    money = "¥4,000.00" if lang == "zh_CN" else "CN¥4,000.00"
    for figure in ("4,000", "3,000", "1,000"):
        assert money.replace("4,000", figure) in text
    assert "【" not in text and "[Describe" not in text and "¥10.00" not in text
    if kind == "hardship":
        assert "2026年5月住院两个月，收入中断。" in text


@pytest.mark.parametrize("stand_in", ["【请在此写明发生了什么】", "[Describe what happened]"])
def test_the_document_layer_refuses_text_left_to_fill_in(svc, stand_in):
    letter = make_letter(svc, 1, "statement", "zh_CN", AS_OF)
    edited = replace(letter, blocks=(*letter.blocks, Block("paragraph", text=f"另外：{stand_in}")))
    assert any(stand_in in t for t in letter_texts(edited))
    out = io.BytesIO()
    with pytest.raises(UnfilledPlaceholder) as refused:
        render_letter(edited, out)
    assert refused.value.found == stand_in and out.getvalue() == b""  # nothing written
    # A table's own marker line is not text to fill in: the unedited letter renders.
    assert render_letter(letter)[:4] == b"%PDF"


def test_no_income_said_once_is_kept_until_an_income_is_saved(svc):
    # The person says, once, that there is no income at present: the letters that state the budget
    # are written (each saying so, in both languages); saving an income later takes it back.
    from services.letters import missing_details
    from services.planning import save_budget

    assert "income" in missing_details(svc, "hardship", cause="失业")
    save_budget(svc, Budget(income=Decimal("0"), expenses={"房租": Decimal("1800")}), no_income=True)
    assert missing_details(svc, "hardship", cause="失业") == []
    for kind, lang, said in (
        ("hardship", "zh_CN", "本人目前没有收入，每月必要生活支出¥1,800.00"),
        ("negotiation", "zh_CN", "本人目前没有收入，房租、饮食、交通等必要生活支出每月合计¥1,800.00"),
        ("proposal", "en_US", "I have no income at present and my essential costs are CN¥1,800.00 a month"),
    ):
        letter = make_letter(svc, 1, kind, lang, AS_OF, cause="2026年5月失业。")
        text = " ".join(letter_texts(letter))
        assert said in text, kind
        assert "收入¥0.00" not in text and "income is CN¥0.00" not in text
    save_budget(svc, Budget(income=Decimal("3000"), expenses={"房租": Decimal("1800")}))
    save_budget(svc, Budget(income=Decimal("0"), expenses={"房租": Decimal("1800")}))
    assert "income" in missing_details(svc, "hardship", cause="失业")  # no longer said
