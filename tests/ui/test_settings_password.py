"""Settings → Protect with a password: the warning, the password twice, off the UI thread, the reopen."""

from __future__ import annotations

import pytest

from storage import encryption

needs_sqlcipher = pytest.mark.skipif(encryption.module() is None, reason="sqlcipher3 is not installed")


def test_the_dialog_warns_and_wants_the_same_password_twice(qtbot):
    from ui.dialogs.password import ProtectDialog

    dialog = ProtectDialog()
    qtbot.addWidget(dialog)
    assert "cannot be recovered" in dialog.warning.text()
    assert not dialog.ok.isEnabled() and dialog.problem.text() == ""
    qtbot.keyClicks(dialog.first, "abc")
    assert dialog.problem.text() == "Use at least 4 characters." and not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.first, "d1")
    qtbot.keyClicks(dialog.again, "abc")
    assert dialog.problem.text() == ""  # still typing the second copy: no complaint yet
    qtbot.keyClicks(dialog.again, "d2")
    assert dialog.problem.text() == "The two passwords are not the same." and not dialog.ok.isEnabled()
    dialog.again.clear()
    qtbot.keyClicks(dialog.again, "abcd1")
    assert dialog.problem.text() == "" and dialog.ok.isEnabled()
    assert dialog.password() == "abcd1"


def _answer(monkeypatch, button):
    """Answer the question after protecting with ``button``; returns the texts it was asked with."""
    from PySide6.QtWidgets import QMessageBox

    asked = []

    def question(parent, title, text, *args, **kwargs):
        asked.append((title, text))
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@needs_sqlcipher
def test_protect_from_settings_reopens_the_protected_file(qtbot, window, demo_db, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    _answer(monkeypatch, QMessageBox.StandardButton.No)
    page = window.show_page("settings")
    before = window.context.services.list_debts()
    assert page.protect_button.isEnabled() and page.protect_button.toolTip() == ""
    page.protect("correct horse")
    qtbot.waitUntil(lambda: "protected with a password" in page.protect_result.text(), timeout=20000)
    assert window.isEnabled()
    assert encryption.is_encrypted(demo_db)
    assert window.context.services.list_debts() == before  # reopened, same data
    assert not page.protect_button.isEnabled()  # protected already
    assert page.protect_button.toolTip() == "This database is protected with a password already."
    kept = list(demo_db.parent.glob("demo-unprotected-*.sqlite3"))
    assert len(kept) == 1 and str(kept[0]) in page.protect_result.text()
    window.context.services.close()


def test_without_sqlcipher_the_action_is_disabled_and_says_why(qtbot, window, monkeypatch):
    monkeypatch.setattr(encryption, "module", lambda: None)
    page = window.show_page("settings")
    page.refresh()
    assert not page.protect_button.isEnabled()
    assert "sqlcipher3" in page.protect_button.toolTip()


@needs_sqlcipher
def test_back_up_now_after_protecting_writes_a_protected_copy(qtbot, window, tmp_path):
    page = window.show_page("settings")
    page.protect("correct horse")
    qtbot.waitUntil(lambda: "protected with a password" in page.protect_result.text(), timeout=20000)
    target = tmp_path / "copy.sqlite3"
    page.backup_now(target)
    qtbot.waitUntil(lambda: "copy.sqlite3" in page.result.text(), timeout=20000)
    assert encryption.is_encrypted(target)
    window.context.services.close()


@needs_sqlcipher
def test_after_protecting_it_offers_to_delete_the_unprotected_copies(qtbot, window, demo_db, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from services import safety

    plain_backup = safety.backup_now(window.context.services)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    page = window.show_page("settings")
    page.protect("correct horse")
    qtbot.waitUntil(lambda: "copies deleted" in page.protect_result.text(), timeout=20000)
    assert window.isEnabled()
    kept = list(demo_db.parent.glob("demo-unprotected-*.sqlite3"))
    assert len(asked) == 1
    title, text = asked[0]
    assert "unprotected" in title.lower()
    assert str(plain_backup) in text and "demo-unprotected-" in text and "Exports" in text
    assert kept == [] and not plain_backup.exists()  # deleted on Yes
    assert "Unprotected copies deleted: 2" in page.protect_result.text()
    assert window.context.services.list_debts()  # the protected file is open and whole
    window.context.services.close()


@needs_sqlcipher
def test_answering_no_keeps_the_unprotected_copies(qtbot, window, demo_db, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from services import safety

    plain_backup = safety.backup_now(window.context.services)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    page = window.show_page("settings")
    page.protect("correct horse")
    qtbot.waitUntil(lambda: "protected with a password" in page.protect_result.text(), timeout=20000)
    assert len(asked) == 1
    assert plain_backup.exists() and len(list(demo_db.parent.glob("demo-unprotected-*.sqlite3"))) == 1
    window.context.services.close()
