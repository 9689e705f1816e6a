"""Every letter kind in both languages, read back from the PDF as a person's viewer reads it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from documents.letter_data import letter_input
from documents.letters import (
    LETTER_KINDS,
    PLACEHOLDER,
    TemplateError,
    compose_letter,
    letter_from_text,
    letter_to_text,
    load_template,
    mask_id_number,
    render_letter,
    template_placeholders,
)
from resources.i18n import format_date, format_money
from tests.documents import samples
from tests.documents.pdftools import fonts, lines_starting_with_closing_punctuation, pdf_text

LANGS = ("zh_CN", "en_US")

# What each kind must cite, as the reader sees it in each language.
CITED = {
    ("negotiation", "zh_CN"): ["《商业银行信用卡业务监督管理办法》第七十条", "第五百八十五条", "第二条"],
    ("negotiation", "en_US"): ["Article 70", "Article 585", "Article 2"],
    ("hardship", "zh_CN"): [],
    ("hardship", "en_US"): [],
    ("proposal", "zh_CN"): ["第五百八十五条", "第七十条"],
    ("proposal", "en_US"): ["Article 585", "Article 70"],
    ("complaint", "zh_CN"): ["第六十八条", "12378", "12363"],
    ("complaint", "en_US"): ["Article 68", "12378", "12363"],
    ("statement", "zh_CN"): ["《征信业管理条例》第十五条", "第二十五条", "第五百六十一条"],
    ("statement", "en_US"): ["Article 15", "Article 25", "Article 561"],
    ("dispute", "zh_CN"): ["第二十五条", "第二十九条", "第六百七十条", "第六百八十条"],
    ("dispute", "en_US"): ["Article 25", "Articles 28 and 29", "Article 670", "Article 680"],
}


def _facts(kind: str):
    return samples.facts(samples.PRIVATE) if kind == "dispute" else samples.facts()


def _amounts(kind: str, facts, lang: str) -> list[str]:
    m = lambda v: format_money(v, lang)  # noqa: E731
    if kind == "negotiation":
        return [
            m(facts.balance),
            m(facts.offer.monthly),
            m(facts.penalty_interest),
            m(facts.late_fees),
            m(facts.budget.income),
        ]
    if kind == "hardship":
        return [m(facts.budget.income), m(facts.budget.essential_total), m(facts.debts[1].balance)]
    if kind == "proposal":
        return [m(facts.offer.monthly), m(facts.schedule[-1].payment), m(facts.debts[2].offer_monthly)]
    if kind == "statement":
        return [m(facts.debt.principal), m(facts.paid_total), m(facts.balance)]
    if kind == "dispute":
        return [m(facts.charges[0].over), m(sum((c.over for c in facts.charges), Decimal(0)))]
    return []


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("letters")
    out = {}
    for kind in LETTER_KINDS:
        for lang in LANGS:
            facts = _facts(kind)
            path = folder / f"{kind}-{lang}.pdf"
            render_letter(compose_letter(letter_input(kind, lang, facts)), path)
            out[kind, lang] = (path, facts)
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_letter_names_amounts_dates_and_articles(rendered, kind, lang):
    path, facts = rendered[kind, lang]
    text = pdf_text(path)
    joined = " ".join(text.split()) if lang == "en_US" else "".join(text.split())
    assert facts.person.name in joined
    assert facts.lender.name in joined
    assert facts.debt.name in joined
    assert "".join(format_date(facts.as_of, lang, "long").split()) in "".join(joined.split())
    for amount in _amounts(kind, facts, lang):
        assert amount in joined, amount
    for cited in CITED[kind, lang]:
        assert "".join(cited.split()) in "".join(joined.split()), cited
    # The ID is masked: the full number never reaches the page.
    assert mask_id_number(samples.PERSON.id_number) in joined
    assert samples.PERSON.id_number not in joined


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_every_font_is_embedded(rendered, kind, lang):
    used = fonts(rendered[kind, lang][0])
    assert used, "no font listed"
    assert [name for name, emb in used if emb != "yes"] == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_no_line_starts_with_full_width_punctuation(rendered, kind, lang):
    assert lines_starting_with_closing_punctuation(rendered[kind, lang][0]) == []


def test_pages_are_numbered_in_the_letters_language(rendered):
    zh = pdf_text(rendered["complaint", "zh_CN"][0])
    en = pdf_text(rendered["complaint", "en_US"][0])
    pages = len(zh.split("\f")) - 1
    assert pages >= 2
    assert f"第1页/共{pages}页" in "".join(zh.split()) and f"第{pages}页/共{pages}页" in "".join(zh.split())
    assert f"Page 1 of {pages}" in en


def test_offers_say_what_they_are_not_and_complaints_carry_the_regulator_text(rendered):
    # "without prejudice" has no standing in Chinese law: the letter says in plain words what it is not
    assert "并非对贵方所主张金额的确认" in "".join(pdf_text(rendered["negotiation", "zh_CN"][0]).split())
    proposal = " ".join(pdf_text(rendered["proposal", "en_US"][0]).split())
    assert "NOT AN ACKNOWLEDGEMENT OF THE AMOUNTS CLAIMED" in proposal
    assert "WITHOUT PREJUDICE" not in proposal.upper()
    complaint = "".join(pdf_text(rendered["complaint", "zh_CN"][0]).split())
    for contact in samples.CONTACTS:
        assert contact.rules[0] in complaint
    assert "附件：向金融监督管理部门投诉的文本" in complaint


def test_a_current_debt_is_not_called_overdue():
    facts = samples.facts(days_overdue=0, penalty_interest=Decimal(0), late_fees=Decimal(0))
    letter = compose_letter(letter_input("negotiation", "en_US", facts))
    body = letter_to_text(letter)
    assert "not yet in arrears" in body
    assert "overdue" not in body.lower().split("not yet")[0]


def test_a_card_letter_cites_art_70_and_a_private_loan_does_not():
    card = letter_to_text(compose_letter(letter_input("negotiation", "zh_CN", samples.facts())))
    private = letter_to_text(
        compose_letter(letter_input("negotiation", "zh_CN", samples.facts(samples.PRIVATE)))
    )
    assert "第七十条" in card
    assert "第七十条" not in private


def test_the_full_id_only_when_asked():
    facts = samples.facts(mask_id=False)
    text = letter_to_text(compose_letter(letter_input("statement", "zh_CN", facts)))
    assert samples.PERSON.id_number in text


def test_edited_wording_round_trips_and_reaches_the_pdf(tmp_path):
    letter = compose_letter(letter_input("proposal", "zh_CN", samples.facts()))
    text = letter_to_text(letter)
    assert letter_from_text(letter, text) == letter
    edited = text.replace("如本人收入增加", "如本人找到第二份工作或收入增加")
    # Dropping the first table's marker drops that table; the second stays.
    edited = edited.replace("[[table 1]]\n\n", "")
    changed = letter_from_text(letter, edited)
    tables = [b for b in changed.blocks if b.type == "table"]
    assert len(tables) == 1 and tables[0].table == [b for b in letter.blocks if b.type == "table"][1].table
    path = tmp_path / "edited.pdf"
    render_letter(changed, path)
    assert "找到第二份工作" in "".join(pdf_text(path).split())


def test_every_template_has_both_languages_with_the_same_placeholders():
    for kind in LETTER_KINDS:
        assert template_placeholders(kind, "zh_CN") == template_placeholders(kind, "en_US"), kind
        for i, block in enumerate(load_template(kind)["block"]):
            zh, en = block.get("zh_CN", ""), block.get("en_US", "")
            assert PLACEHOLDER.findall(zh) == PLACEHOLDER.findall(en) or set(PLACEHOLDER.findall(zh)) == set(
                PLACEHOLDER.findall(en)
            ), f"{kind} block {i}"
        for i, block in enumerate(load_template(kind)["block"]):
            if block.get("type", "paragraph") in ("paragraph", "heading", "notice"):
                assert block.get("zh_CN") and block.get("en_US"), f"{kind} block {i}"


def test_a_missing_value_is_a_template_error_not_a_blank():
    facts = samples.facts(offer=None)
    with pytest.raises(TemplateError, match="offer_monthly"):
        compose_letter(letter_input("negotiation", "en_US", facts))


def test_page_break_and_notice_blocks_survive_editing():
    letter = compose_letter(letter_input("complaint", "en_US", samples.facts()))
    assert letter.attachment and letter.attachment[0].type == "heading"
    assert letter_from_text(letter, letter_to_text(letter)).blocks == letter.blocks


def test_mask_id_number():
    assert mask_id_number("110101199001011234") == "110***********1234"
    assert mask_id_number("12345") == "*****"


def test_a_long_table_breaks_across_pages_with_its_header(tmp_path):
    facts = replace(samples.facts(), schedule=samples.schedule(60))
    path = tmp_path / "long.pdf"
    render_letter(compose_letter(letter_input("proposal", "en_US", facts)), path)
    text = pdf_text(path)
    assert text.count("Balance after") >= 2
    assert lines_starting_with_closing_punctuation(path) == []


def test_an_offer_that_cannot_clear_the_debt_says_what_is_left_and_asks_for_it():
    offer = replace(samples.OFFER, months=60, total=Decimal("62482.80"), remaining=Decimal("8751.76"))
    text = letter_to_text(compose_letter(letter_input("negotiation", "zh_CN", samples.facts(offer=offer))))
    assert "期满后仍将余下约¥8,751.76" in text
    assert "预计于" not in text
    en = letter_to_text(compose_letter(letter_input("proposal", "en_US", samples.facts(offer=offer))))
    assert "About CN¥8,751.76 would still be owed at the end" in en
