"""Choosing where a file is saved or read: the person's Documents folder, names in their language.

The dialogs are Qt's own, not the system's: the system's dialog speaks the
system's language, which may not be the one the window speaks, while Qt's own
is translated with the window (ui/qtlang.py loads Qt's catalog).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from resources.i18n import N_, _

# What each kind of file is called (the stem of its name, before the date).
FILE_STEMS = {
    "plan": N_("repayment-plan"),
    "backup": N_("debtkeeper-backup"),
    "export": N_("debtkeeper-export"),
    "payments": N_("payments"),
    "calendar": N_("due-dates"),
    "negotiation": N_("negotiation-letter"),
    "hardship": N_("hardship-statement"),
    "proposal": N_("repayment-proposal"),
    "complaint": N_("collection-complaint"),
    "statement": N_("statement-request"),
    "dispute": N_("charges-dispute"),
    "letter": N_("letter"),
}


def documents_folder() -> Path:
    """The person's Documents folder (their home when the system names none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def file_name(kind: str, day: date, suffix: str) -> str:
    """``还款计划_2026-12-01.pdf`` in Chinese, ``repayment-plan_2026-12-01.pdf`` in English."""
    stem = _(FILE_STEMS.get(kind, FILE_STEMS["letter"]))
    return f"{stem}_{day.isoformat()}.{suffix.lstrip('.')}"


# Qt's own dialog, translated with the window (the system's would speak the system's language).
OWN_DIALOG = QFileDialog.Option.DontUseNativeDialog


def ask_save_path(
    parent: QWidget | None,
    title: str,
    *,
    kind: str,
    day: date,
    suffix: str,
    name_filter: str,
    folder: Path | None = None,
) -> Path | None:
    """Where to save: the dialog opens in Documents with a name in the window's language."""
    suggested = (folder or documents_folder()) / file_name(kind, day, suffix)
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), name_filter, "", OWN_DIALOG)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix else path.with_suffix("." + suffix.lstrip("."))


def ask_open_path(
    parent: QWidget | None, title: str, name_filter: str, folder: Path | None = None
) -> Path | None:
    """A file to read, starting in ``folder`` (Documents by default)."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, title, str(folder or documents_folder()), name_filter, "", OWN_DIALOG
    )
    return Path(chosen) if chosen else None
