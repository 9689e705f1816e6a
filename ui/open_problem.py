"""When the database cannot be opened at start-up: say why, and offer a way forward.

A damaged file, one written by a newer DebtKeeper, one another window has
open, a folder or file that cannot be written, a full disk: each gets a dialog
in the person's language with the choices that make sense for it (restore the
last backup, open a read-only copy, open or create another file, try again,
quit). The person's file is never recreated or overwritten here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton, QWidget

from resources.i18n import _, format_date, tr

if TYPE_CHECKING:
    from ui.context import AppContext

RESTORE, READ_ONLY, OTHER_FILE, RETRY, QUIT = "restore", "read_only", "other_file", "retry", "quit"

_TITLES = {
    "corrupt": "The data file is damaged",
    "foreign": "This is not a DebtKeeper data file",
    "empty": "The data file is empty",
    "too_new": "The data file is from a newer DebtKeeper",
    "already_open": "DebtKeeper is already open",
    "locked": "The data file is busy",
    "read_only": "The data file cannot be changed",
    "disk_full": "The disk is full",
    "password": "The password does not open the data file",
    "other": "The data could not be opened",
}
_ADVICE = {
    "corrupt": "Your file is left exactly as it is. You can restore the last automatic backup "
    "(the damaged file is kept aside), or open another file.",
    "foreign": "The file is left exactly as it is. Open or create your DebtKeeper data file instead.",
    "empty": "The file is left exactly as it is. If your data file was emptied, restore the last automatic "
    "backup; to start a new data file, create one where no file exists yet.",
    "too_new": "Your file is left exactly as it is. Install the newer DebtKeeper to use it, "
    "or open another file.",
    "already_open": "Only one window at a time can use a data file, so that no change is lost. "
    "Switch to the window that is open.",
    "locked": "Another program is writing to the file. Wait a moment and try again.",
    "read_only": "You can look at your data in a read-only copy (changes will not be saved), "
    "or open or create a data file in a folder you can write to.",
    "disk_full": "Nothing was changed. Free some space on the disk and try again, "
    "or open a data file on another disk.",
    "other": "Your file is left exactly as it is.",
}
_CHOICES = {
    "corrupt": (RESTORE, OTHER_FILE, QUIT),
    "foreign": (OTHER_FILE, QUIT),
    "empty": (RESTORE, OTHER_FILE, QUIT),
    "too_new": (OTHER_FILE, QUIT),
    "already_open": (QUIT,),
    "locked": (RETRY, QUIT),
    "read_only": (READ_ONLY, OTHER_FILE, QUIT),
    "disk_full": (RETRY, OTHER_FILE, QUIT),
    "password": (RETRY, OTHER_FILE, QUIT),
    "other": (RETRY, OTHER_FILE, QUIT),
}
_BUTTONS = {
    RESTORE: "Restore the last backup",
    READ_ONLY: "Open a read-only copy",
    OTHER_FILE: "Open or create another file…",
    RETRY: "Try again",
    QUIT: "Quit",
}


@dataclass
class Opened:
    """What start-up opened: the context, the one-window lock, and whether it is a read-only copy."""

    context: AppContext
    lock: Any
    read_only_of: Path | None = None


def problem_dialog(kind: str, message: str, backup: Any = None, parent: QWidget | None = None) -> QMessageBox:
    """The dialog for one problem; each button's ``property("choice")`` says what it does."""
    title = _(_TITLES.get(kind, _TITLES["other"]))
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
    box.setObjectName("openProblem")
    advice = _(_ADVICE.get(kind, _ADVICE["other"]))
    box.setInformativeText(advice)
    for choice in _CHOICES.get(kind, _CHOICES["other"]):
        if choice == RESTORE and backup is None:
            continue
        if choice == RESTORE:
            text = tr(
                "Restore the backup of {date}",
                date=format_date(backup.taken.date()) + " " + backup.taken.strftime("%H:%M"),
            )
        else:
            text = _(_BUTTONS[choice])
        role = QMessageBox.ButtonRole.RejectRole if choice == QUIT else QMessageBox.ButtonRole.AcceptRole
        button = box.addButton(text, role)
        button.setProperty("choice", choice)
        if choice == QUIT:
            box.setEscapeButton(button)
    if kind == "corrupt" and backup is None:
        box.setInformativeText(advice + "\n" + _("There is no automatic backup of this file yet."))
    return box


def _choose(box: QMessageBox) -> str:
    box.exec()
    clicked = box.clickedButton()
    return str(clicked.property("choice")) if isinstance(clicked, QPushButton) else QUIT


# Tests replace this to answer the dialog without a modal loop.
choose = _choose


def _other_file(parent: QWidget | None, current: Path | None) -> Path | None:
    start = str(current.parent if current else Path.home())
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        _("Open or create a data file"),
        start,
        "DebtKeeper (*.sqlite3 *.db)",
        options=QFileDialog.Option.DontConfirmOverwrite,
    )  # an existing file is opened, never overwritten
    return Path(chosen) if chosen else None


# Tests replace this too.
ask_other_file = _other_file


def _password(parent: QWidget | None, path: str, wrong: bool) -> str | None:
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    text = tr("This data file is protected with a password. Password for {path}:", path=path)
    if wrong:
        text = _("That password does not open it.") + "\n" + text
    secret, ok = QInputDialog.getText(parent, _("Password"), text, QLineEdit.EchoMode.Password)
    return secret if ok and secret else None


# Tests replace this as well.
ask_password = _password


def open_with_recovery(
    db: Path | None,
    parent: QWidget | None = None,
    *,
    lock: Any = None,
    before_asking: Callable[[], None] | None = None,
) -> Opened | None:
    """Open the database for the window, resolving problems with the person; None = they chose to quit.

    ``lock``: the one-window lock already taken for ``db`` (the first screen was read under it), used
    for the first try. ``before_asking`` is called once before the first dialog (the window takes
    away what it showed of the file).
    """
    from services import safety
    from services.app import Services
    from services.dbpath import db_file
    from services.errors import UserError
    from ui.context import AppContext
    from ui.errors import show_error

    target = db_file(db)
    path: Path | str = target if target is not None else str(db)
    held = lock
    while True:
        lock = None
        try:
            lock, held = held or safety.lock(path), None
            services = Services.open(path)
            return Opened(AppContext(services), lock)
        except UserError as exc:
            if lock is not None:
                lock.release()
            kind = safety.problem_of(exc)
            if before_asking is not None:
                before_asking()
                before_asking = None
            if kind in (safety.CORRUPT, safety.PASSWORD) and safety.needs_password(path):
                secret = ask_password(parent, str(path), kind == safety.PASSWORD)
                if secret:
                    safety.use_password(secret)
                    continue
            backup = safety.last_backup(path) if kind in (safety.CORRUPT, safety.EMPTY) else None
            choice = choose(problem_dialog(kind, str(exc), backup, parent))
        if choice == QUIT:
            return None
        if choice == RESTORE and backup is not None:
            try:
                safety.restore(path, backup.path)
            except UserError as exc:
                show_error(str(exc), parent, _("The backup could not be restored"))
        elif choice == READ_ONLY:
            try:
                copy = safety.read_only_copy(Path(path))
                opened = Opened(AppContext(Services.open(copy)), None, Path(path))
            except UserError as exc:
                show_error(str(exc), parent, _("The data could not be opened"))
                continue
            return opened
        elif choice == OTHER_FILE:
            chosen = ask_other_file(parent, Path(path) if isinstance(path, Path) else None)
            if chosen is not None:
                path = chosen


def show_read_only_banner(window: Any, original: Path) -> QLabel:
    """A banner on the window: this is a read-only copy, changes will not be saved."""
    banner = QLabel(
        tr("Read-only copy of {path}: changes are not saved to your file.", path=str(original)), window
    )
    banner.setObjectName("readOnlyBanner")
    banner.setStyleSheet("QLabel { background: #fff3cd; color: #5c4400; padding: 4px 8px; }")
    window.statusBar().insertPermanentWidget(0, banner, 1)
    window.setWindowTitle(window.windowTitle() + " — " + _("read-only copy"))
    return banner


def start_daily_backup(context: AppContext, window: Any = None) -> None:
    """The once-a-day backup, off the GUI thread; a failure is shown (never fatal, never silent)."""
    from services import safety
    from ui.worker import run_task

    services = context.services
    run_task(
        lambda: safety.daily_backup(services),
        lambda _written: None,
        lambda exc: daily_backup_failed(exc, window),
    )


def daily_backup_failed(exc: BaseException, window: Any = None) -> None:
    """Say why there is no backup today. A damaged data file also gets a banner that stays on the window."""
    from services import safety
    from services.errors import UserError
    from ui.errors import show_error, show_exception

    if not isinstance(exc, UserError):
        show_exception(exc, window)
        return
    if safety.problem_of(exc) != safety.CORRUPT:
        show_error(str(exc), window, _("The daily backup could not be taken"))
        return
    if window is not None:
        show_damaged_banner(window)
    show_error(
        str(exc)
        + "\n\n"
        + _(
            "Restore the last good backup in Settings (Restore from a backup…). "
            "What you enter before that may be lost."
        ),
        window,
        _("Your data file is damaged"),
    )


def show_damaged_banner(window: Any) -> QLabel:
    """A banner on the window that stays: the data file is damaged, and no backup is being taken."""
    banner = QLabel(
        _("Your data file is damaged: no backups are taken until a good backup is restored."), window
    )
    banner.setObjectName("damagedBanner")
    banner.setStyleSheet("QLabel { background: #f8d7da; color: #58151c; padding: 4px 8px; }")
    window.statusBar().insertPermanentWidget(0, banner, 1)
    return banner


def show_notices(window: Any, services: Any) -> None:
    """What opening the file told the person once (e.g. that it was made private), in the status bar."""
    if services.notices:
        window.statusBar().showMessage(" ".join(services.notices), 60000)
