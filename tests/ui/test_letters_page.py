"""The letters page as a person uses it: choose, write, edit, confirm the warning, save."""

from __future__ import annotations

import os
import stat
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from domain.debts import ContactChannel, ContactEntry, ContactTarget
from tests.documents import samples
from tests.documents.pdftools import pdf_text
from ui.context import AppContext
from ui.pages.letters import LettersPage


@pytest.fixture
def page(qtbot, letter_services):
    contacts = [
        ContactEntry(
            when=datetime(2026, 10, 12, 23, 40),
            channel=ContactChannel.PHONE,
            who="王专员",
            target=ContactTarget.DEBTOR,
            summary="深夜来电",
            debt_id=3,
            id=1,
        ),
        ContactEntry(
            when=datetime(2026, 10, 13, 10, 0),
            channel=ContactChannel.PHONE,
            who="客服",
            target=ContactTarget.DEBTOR,
            summary="提醒还款",
            debt_id=3,
            id=2,
        ),
    ]
    debts = (samples.CARD, samples.PRIVATE, samples.LAPSED)
    context = AppContext(letter_services(debts, contacts=contacts), today=lambda: samples.AS_OF)
    widget = LettersPage(context)
    qtbot.addWidget(widget)
    return widget


def _choose(page, kind, lang="zh_CN", debt=3):
    page.debt_box.setCurrentIndex(page.debt_box.findData(debt))
    page.kind_box.setCurrentIndex(page.kind_box.findData(kind))
    page.lang_box.setCurrentIndex(page.lang_box.findData(lang))


def test_write_edit_confirm_and_save(page, qtbot, tmp_path, monkeypatch):
    _choose(page, "negotiation", debt=samples.LAPSED.id)
    page.preview()
    text = page.editor.toPlainText()
    assert "个性化分期还款协商申请" in text and "第七十条" in text
    # The limitation period of this old debt has run out: offering to pay gives up the defence.
    assert not page.warning.isHidden() and "诉讼时效" not in page.warning.text()  # window language is English
    assert "limitation period" in page.warning.text()
    page.editor.setPlainText(text.replace("本人并非恶意拖欠。", "本人并非恶意拖欠，一直在努力筹款。"))
    assert "一直在努力筹款" in page.editor.toPlainText()
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes
    )
    out = tmp_path / "n.pdf"
    with qtbot.waitSignal(page.pdf_ready, timeout=20000):
        page.save_pdf(str(out))
    qtbot.waitUntil(out.exists)
    assert len(asked) == 1
    assert "一直在努力筹款" in "".join(pdf_text(out).split())


def test_declining_the_warning_writes_nothing(page, tmp_path, monkeypatch):
    _choose(page, "proposal", "en_US", debt=samples.LAPSED.id)
    page.preview()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    out = tmp_path / "p.pdf"
    page.save_pdf(str(out))
    assert not out.exists()
    assert page._pending == 0


def test_complaint_lists_contacts_and_uses_only_the_ticked_ones(page, qtbot):
    _choose(page, "complaint")
    assert not page.contacts.isHidden()
    assert page.contacts.count() == 2
    states = [page.contacts.item(i).checkState() for i in range(2)]
    assert states == [Qt.CheckState.Checked, Qt.CheckState.Unchecked]  # only the 23:40 call broke a rule
    page.preview()
    text = page.editor.toPlainText()
    assert page.warning.isHidden()
    assert "[[table 1]]" in text
    letter = page.edited_letter()
    rows = [b.table.rows for b in letter.blocks if b.type == "table"][0]
    assert len(rows) == 1 and "深夜来电" in rows[0][2]


def test_statement_is_not_confirmed(page, qtbot, tmp_path, monkeypatch):
    _choose(page, "statement", "en_US")
    page.preview()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("no warning expected"))
    out = tmp_path / "s.pdf"
    with qtbot.waitSignal(page.pdf_ready, timeout=20000):
        page.save_pdf(str(out))
    qtbot.waitUntil(out.exists)
    assert "Request for a full statement" in pdf_text(out)


def test_details_typed_on_the_page_are_kept_and_used(qtbot, letter_services):
    services = letter_services(settings={})
    context = AppContext(services, today=lambda: samples.AS_OF)
    page = LettersPage(context)
    qtbot.addWidget(page)
    assert page.details.isChecked()  # no name yet: the details are open
    page.person_fields["name"].setText("赵敏")
    page.person_fields["id_number"].setText("440301198807074321")
    page.cause.setPlainText("2026年5月住院手术，收入中断三个月。")
    page.evidence.setPlainText("出院小结\n2026年1月至10月工资流水")
    _choose(page, "hardship")
    with qtbot.waitSignal(context.changed):
        page.preview()
    assert services.get_setting("person.name") == "赵敏"
    text = page.editor.toPlainText()
    assert "赵敏" in text and "440***********4321" in text and "住院手术" in text
    assert "- 出院小结\n- 2026年1月至10月工资流水" in text


def _pdf_printer(path):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_printing_the_pdf_paints_every_page(page, qtbot, tmp_path):
    pytest.importorskip("PySide6.QtPdf")
    _choose(page, "complaint", "en_US")
    page.preview()
    with qtbot.waitSignal(page.pdf_ready, timeout=20000) as made:
        page.render_async(lambda data: None)
    pages = page.print_to(_pdf_printer(tmp_path / "printed.pdf"), made.args[0])
    assert pages == 2  # the letter and the attached regulator complaint
    assert pdf_text(tmp_path / "printed.pdf").count("\f") == 2


def test_printing_without_qtpdf_prints_the_edited_wording_and_tables(page, tmp_path):
    _choose(page, "complaint", "zh_CN")
    page.preview()
    page.editor.setPlainText(page.editor.toPlainText().replace("本人保存有", "本人完整保存有"))
    out = tmp_path / "printed.pdf"
    page.print_document_to(_pdf_printer(out))
    text = "".join(pdf_text(out).split())
    assert "本人完整保存有" in text
    assert "深夜来电" in text  # the contacts table
    assert "附件：向金融监督管理部门投诉的文本" in text


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_saved_letter_is_private_and_replaces_an_old_one_whole(page, qtbot, tmp_path):
    _choose(page, "statement", "en_US")
    page.preview()
    out = tmp_path / "letter.pdf"
    out.write_bytes(b"an older letter")
    out.chmod(0o644)
    umask = os.umask(0o022)
    try:
        with qtbot.waitSignal(page.pdf_ready, timeout=20000):
            page.save_pdf(str(out))
        qtbot.waitUntil(lambda: out.read_bytes() != b"an older letter")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # it holds the person's name, ID and address
    assert [p.name for p in tmp_path.iterdir()] == ["letter.pdf"]
    assert "Request for a full statement" in pdf_text(out)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_window_preferences_are_private(tmp_path, monkeypatch):
    from ui import prefs

    monkeypatch.setenv("DEBTKEEPER_CONFIG_DIR", str(tmp_path / "config"))
    umask = os.umask(0o022)
    try:
        prefs.save(language="zh_CN")
    finally:
        os.umask(umask)
    saved = tmp_path / "config" / "window.json"
    assert prefs.load()["language"] == "zh_CN" and stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert [p.name for p in saved.parent.iterdir()] == ["window.json"]
