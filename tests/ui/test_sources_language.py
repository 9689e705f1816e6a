"""Sources shown in the window are in the window's language: the overdue page's Source columns and
detail line, and the debt editor's preset note."""

from __future__ import annotations

import re
import tomllib

import pytest

from domain.debts import DebtKind
from domain.rules import parse_sources
from resources import RULES
from resources.rules import product_presets

CJK = re.compile(r"[\u4e00-\u9fff]")


def _titles() -> tuple[set[str], set[str]]:
    english: set[str] = set()
    chinese: set[str] = set()
    for path in RULES.glob("*.toml"):
        for source in parse_sources(tomllib.loads(path.read_text(encoding="utf-8"))).values():
            english.add(source.title)
            chinese.add(source.title_zh)
    return english, chinese


def _column(model, caption: str) -> list[str]:
    from PySide6.QtCore import Qt

    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    col = header.index(caption)
    return [model.index(row, col).data() for row in range(model.rowCount())]


@pytest.mark.parametrize(("lang", "caption"), [("zh_CN", "来源"), ("en_US", "Source")])
def test_overdue_page_shows_sources_in_the_window_language(window, lang, caption):
    english, chinese = _titles()
    wanted, unwanted = (chinese, english) if lang == "zh_CN" else (english, chinese)
    window.switch_language(lang)
    page = window.show_page("overdue")
    assert page.report is not None and page.report.days_overdue == 120  # the demo's Baitiao arrears
    shown = _column(page.events, caption) + _column(page.checks, caption)
    assert len(shown) > 5
    assert [t for t in shown if not any(t.startswith(title) for title in wanted)] == []
    assert [t for t in shown if any(title in t for title in unwanted)] == []
    page.events_view.selectRow(0)
    detail = page.event_detail.text()
    assert any(title in detail for title in wanted) and not any(title in detail for title in unwanted)


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_debt_editor_names_the_preset_sources_in_the_window_language(context, qtbot, lang):
    from resources.i18n import set_language
    from ui.dialogs.debt_editor import DebtEditor

    set_language(lang)  # tests/conftest.py puts en_US back afterwards
    editor = DebtEditor(context)
    qtbot.addWidget(editor)
    editor.kind.setCurrentIndex(editor.kind.findData(DebtKind.JD_BAITIAO.value))
    note = editor.preset_note.text()
    assert bool(CJK.search(note)) is (lang == "zh_CN")
    for source in product_presets()[DebtKind.JD_BAITIAO].sources:
        assert source.title_for(lang) in note
        assert source.title_for("en_US" if lang == "zh_CN" else "zh_CN") not in note
