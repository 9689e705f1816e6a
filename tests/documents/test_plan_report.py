"""The repayment-plan report read back from the PDF."""

from __future__ import annotations

import pytest

from documents.plan_report import render_plan_report
from resources.i18n import format_money
from tests.documents import samples
from tests.documents.pdftools import fonts, lines_starting_with_closing_punctuation, pdf_text


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_plan_report_has_summary_debts_schedule_charts_and_sources(tmp_path, lang):
    report = samples.plan_report(lang, debts=4, months=18)
    path = tmp_path / f"plan-{lang}.pdf"
    render_plan_report(report, path)
    text = pdf_text(path)
    flat = "".join(text.split())
    for debt in report.debts:
        assert debt.name.replace(" ", "") in flat
    assert format_money(report.chosen.total_interest, lang) in flat
    assert format_money(report.budget, lang) in flat
    for result in report.compared:
        assert result.strategy.replace(" ", "") in flat
    for _text, source in report.assumptions:
        assert "".join(source.split()) in flat
    # month-by-month: the last month's row is there
    assert format_money(report.months[-1].remaining, lang) in flat
    heading = {"zh_CN": "逐月计划", "en_US": "Monthbymonth"}[lang]
    assert heading in flat
    assert [name for name, emb in fonts(path) if emb != "yes"] == []
    assert lines_starting_with_closing_punctuation(path) == []


def test_fifty_debts_over_sixty_months_paginate(tmp_path):
    path = tmp_path / "big.pdf"
    render_plan_report(samples.plan_report("en_US", debts=50, months=60), path)
    text = pdf_text(path)
    pages = len(text.split("\f")) - 1
    assert pages > 10
    assert f"Page {pages} of {pages}" in text
    assert "Debt 50" in text
