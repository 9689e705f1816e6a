"""Settings: language (switched at once), colours, where the data lives, backup and restore."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import N_, _, get_language, tr
from ui import prefs
from ui.context import Changed
from ui.pages.base import Page, note_label, title_label

if TYPE_CHECKING:
    from services.app import Services
    from ui.context import AppContext

LANGUAGES = (("zh_CN", "中文（简体）"), ("en_US", "English"))
SCHEMES = (("system", N_("Follow the system")), ("light", N_("Light")), ("dark", N_("Dark")))
MAX_LISTED = 12  # unprotected copies named in the question after protecting; the rest are counted


def _dark_palette() -> QPalette:
    """Fusion's colours for a dark window, for platforms that cannot switch by themselves."""
    palette = QPalette()
    base, window, text = QColor(30, 30, 30), QColor(45, 45, 45), QColor(230, 230, 230)
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, window),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, window),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.ToolTipBase, window),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Highlight, QColor(42, 130, 218)),
        (QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)),
        (QPalette.ColorRole.PlaceholderText, QColor(150, 150, 150)),
    ):
        palette.setColor(role, colour)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(120, 120, 120))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(120, 120, 120))
    return palette


def apply_colour_scheme(key: str) -> None:
    """Follow the system (default), or force light or dark colours."""
    scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(key, Qt.ColorScheme.Unknown)
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(scheme)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    is_dark = app.palette().color(QPalette.ColorRole.Window).lightness() < 128
    if key == "dark" and not is_dark:
        app.setPalette(_dark_palette())  # the platform did not switch: do it ourselves
    elif key != "dark" and is_dark and hints.colorScheme() is not Qt.ColorScheme.Dark:
        app.setPalette(app.style().standardPalette())


def database_path(services: Any) -> Path | None:
    """The database file; None for an in-memory database."""
    path = str(services.path)
    return None if path in ("", ":memory:") else Path(path)


class SettingsPage(Page):
    #: the changes that concern this page
    listens_to: ClassVar[Changed] = Changed.SETTINGS

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        outer = QVBoxLayout(self)
        self.title = title_label(self)
        outer.addWidget(self.title)

        self.look = QGroupBox(self)
        form = QFormLayout(self.look)
        self.language_label = QLabel(self)
        self.language = QComboBox(self)
        self.language.setObjectName("languageCombo")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.scheme_label = QLabel(self)
        self.scheme = QComboBox(self)
        self.scheme.setObjectName("schemeCombo")
        for key, _msg in SCHEMES:
            self.scheme.addItem("", key)
        form.addRow(self.language_label, self.language)
        form.addRow(self.scheme_label, self.scheme)
        outer.addWidget(self.look)

        self.data = QGroupBox(self)
        data_layout = QVBoxLayout(self.data)
        self.data_note = note_label(self)
        self.folder = QLabel(self)
        self.folder.setObjectName("dataFolder")
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder.setWordWrap(True)
        row = QHBoxLayout()
        self.open_button = QPushButton(self)
        self.backup_button = QPushButton(self)
        self.backup_button.setObjectName("backupNow")
        self.restore_button = QPushButton(self)
        for b in (self.open_button, self.backup_button, self.restore_button):
            row.addWidget(b)
        row.addStretch(1)
        self.result = note_label(self)
        self.result.setObjectName("backupResult")
        data_layout.addWidget(self.data_note)
        data_layout.addWidget(self.folder)
        data_layout.addLayout(row)
        data_layout.addWidget(self.result)
        outer.addWidget(self.data)

        self.privacy = QGroupBox(self)
        privacy_layout = QVBoxLayout(self.privacy)
        self.privacy_note = note_label(self)
        self.protect_button = QPushButton(self)
        self.protect_button.setObjectName("protectButton")
        protect_row = QHBoxLayout()
        protect_row.addWidget(self.protect_button)
        protect_row.addStretch(1)
        self.protect_result = note_label(self)
        self.protect_result.setObjectName("protectResult")
        privacy_layout.addWidget(self.privacy_note)
        privacy_layout.addLayout(protect_row)
        privacy_layout.addWidget(self.protect_result)
        outer.addWidget(self.privacy)
        outer.addStretch(1)

        saved_scheme = prefs.load().get("colour_scheme", "system")
        self.scheme.setCurrentIndex(max(0, self.scheme.findData(saved_scheme)))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.scheme.currentIndexChanged.connect(self._scheme_chosen)
        self.open_button.clicked.connect(self._open_folder)
        # Slots of their own: clicked(bool) would hand its False to the target/source argument.
        self.backup_button.clicked.connect(self._backup_clicked)
        self.restore_button.clicked.connect(self._restore_clicked)
        self.protect_button.clicked.connect(lambda _checked=False: self.protect())
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Settings"))
        self.look.setTitle(_("Language and colours"))
        self.language_label.setText(_("Language"))
        self.scheme_label.setText(_("Colours"))
        for i, (_key, msg) in enumerate(SCHEMES):
            self.scheme.setItemText(i, _(msg))
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(0, self.language.findData(get_language())))
        self.language.blockSignals(False)
        self.data.setTitle(_("Your data"))
        self.data_note.setText(
            _(
                "Everything is kept in one file on this computer and nowhere else. Back "
                "it up "
                "to a USB stick or another disk now and then."
            )
        )
        self.open_button.setText(_("Open the data folder"))
        self.backup_button.setText(_("Back up now…"))
        self.restore_button.setText(_("Restore from a backup…"))
        self.privacy.setTitle(_("Password"))
        self.privacy_note.setText(
            _(
                "Optional: protect the data file with a password, so that nobody can read it without the "
                "password. A lost password cannot be recovered."
            )
        )
        self.protect_button.setText(_("Protect with a password…"))
        self._show_path()

    def refresh(self) -> None:
        super().refresh()
        self._show_path()

    def _show_path(self) -> None:
        path = database_path(self.context.services)
        self.folder.setText(tr("Data file: {path}", path=str(path) if path else _("(unknown)")))
        self.open_button.setEnabled(path is not None)
        self._show_protection()

    def _show_protection(self) -> None:
        from services.protection import unavailable_reason

        reason = unavailable_reason(self.context.services)
        self.protect_button.setEnabled(reason is None)
        self.protect_button.setToolTip(reason or "")

    def _language_chosen(self) -> None:
        code = self.language.currentData()
        if code and code != get_language():
            self.context.set_language(code)

    def _scheme_chosen(self) -> None:
        key = self.scheme.currentData()
        prefs.save(colour_scheme=key)
        apply_colour_scheme(key)

    def _open_folder(self) -> None:
        path = database_path(self.context.services)
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def _backup_clicked(self) -> None:
        self.backup_now()

    def _restore_clicked(self) -> None:
        from services.errors import UserError
        from ui.errors import show_error

        try:
            self.restore(in_background=True)
        except UserError as exc:  # a bad or unreadable file: nothing was replaced
            show_error(str(getattr(exc, "message", exc)), self, _("The backup could not be restored"))

    def backup_now(self, target: Path | None = None) -> Path | None:
        """Copy the database to a file the person chooses (``target`` skips the dialog)."""
        from ui.worker import run_task

        if target is None:
            from ui.files import ask_save_path

            chosen = ask_save_path(
                self,
                _("Back up to"),
                kind="backup",
                day=self.context.today(),
                suffix="sqlite3",
                name_filter="SQLite (*.sqlite3 *.db)",
            )
            if chosen is None:
                return None
            target = chosen
        from services.safety import backup_now

        services = self.context.services
        self.result.setText(_("Backing up…"))
        out = target

        def failed(exc: BaseException) -> None:
            from ui.errors import show_exception

            self.result.setText(_("The backup was not made."))
            # Making a backup only reads the data file, so this much is known whatever went wrong.
            show_exception(
                exc,
                self,
                _("The backup was not made"),
                _(
                    "Something unexpected went wrong, so the backup was not made. Your data file was not "
                    "changed."
                ),
            )

        run_task(
            # Through the backup service: a password-protected database gets a protected copy.
            lambda: backup_now(services, out=out),
            lambda written: self._say(tr("Backed up to {path}", path=str(written or out))),
            failed,
        )
        return target

    def _say(self, text: str) -> None:
        """The outcome here, and in the window's status bar (the File menu may have asked from elsewhere)."""
        from PySide6.QtWidgets import QMainWindow

        self.result.setText(text)
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 15000)

    def restore(self, source: Path | None = None, in_background: bool = False) -> None:
        """Replace the data with a backup's or an export's (``source`` skips the questions). Clicked, it runs
        off the GUI thread with the window waiting; called with ``in_background`` False it runs here and a
        bad file raises its UserError."""
        if source is None:
            from ui.files import ask_open_path

            chosen = ask_open_path(self, _("Restore from"), "SQLite (*.sqlite3 *.db);;JSON (*.json)")
            if chosen is None:
                return
            source = chosen
            answer = QMessageBox.question(
                self,
                _("Please confirm"),
                _(
                    "Replace everything in DebtKeeper with the contents of this backup? A backup of the "
                    "current "
                    "data is taken first."
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        from services.safety import restore_open
        from ui.ops import Op

        restored_from = source
        # What the window writes by itself (the reminders' bookkeeping) must wait for the new data.
        scheduler = getattr(self.context.extras.get("tray"), "scheduler", None)
        if scheduler is not None:
            scheduler.paused = True

        def resume(exc: BaseException | None = None) -> None:
            from services.safety import reopened_after

            reopened = reopened_after(exc) if exc is not None else None
            if reopened is not None:  # the restore failed after closing the file: it is open again
                self.context.services = reopened
            if scheduler is not None:
                scheduler.paused = False

        def restored(result: tuple[Services, Path | None]) -> None:
            self.context.services, safety = result
            resume()
            undo = self.context.extras.get("undo")
            if undo is not None:
                undo.clear()  # its steps refer to the data that was just replaced
            self._say(
                tr(
                    "Restored from {path}. The data you had before is kept in {safety}.",
                    path=str(restored_from),
                    safety=str(safety),
                )
            )

        # A database backup is verified, the current file backed up, then swapped in; a JSON export is
        # imported in one transaction. Either way a bad file changes nothing.
        op: Op[tuple[Services, Path | None]] = Op(
            self,
            self.context,
            # An export is imported as it is read: the bar fills (a database backup keeps it busy).
            lambda services: restore_open(services, restored_from, progress=op.report),
            changes=Changed.ALL,
            on_success=restored,
            on_failure=resume,
            title=_("The backup could not be restored"),
            progress=_("Restoring from the backup…"),
            blocking=True,
        )
        if in_background:
            op.run_in_background()
            return
        try:
            op.run_here()
        except BaseException as exc:
            resume(exc)
            raise

    def protect(self, secret: str | None = None) -> None:
        """Protect the data file with a password (``secret`` skips the dialog), then reopen it.

        The encrypted copy is written off the GUI thread while the window waits (changes made
        meanwhile would miss the copy); swapping the files and reopening is quick.
        """
        from services.protection import same_data, swap_in, write_protected_copy
        from ui.errors import show_error
        from ui.worker import run_task

        if secret is None:
            from ui.dialogs.password import ProtectDialog

            dialog = ProtectDialog(self)
            if dialog.exec() != ProtectDialog.DialogCode.Accepted:
                return
            secret = dialog.password()
        path = database_path(self.context.services)
        if path is None:
            return
        window = self.window()
        window.setEnabled(False)
        self.protect_result.setText(_("Protecting the data file…"))
        # What the window writes by itself (the reminders' bookkeeping) would miss the protected copy.
        tray = self.context.extras.get("tray")
        scheduler = getattr(tray, "scheduler", None)
        if scheduler is not None:
            scheduler.paused = True

        def resume() -> None:
            if scheduler is not None:
                scheduler.paused = False

        def done(copy: Path) -> None:
            window.setEnabled(True)
            swapped = swap_in(self.context.services, copy, secret)
            self.context.services = swapped.services
            # Checked now, before anything (a page, the reminders) writes to the protected file: that the
            # unprotected copies may go is decided against the data as it was protected.
            checked = (
                swapped.error is None
                and swapped.unprotected is not None
                and same_data(swapped.unprotected, path, secret)
            )
            undo = self.context.extras.get("undo")
            if undo is not None:
                undo.clear()  # its steps refer to the database that was closed
            if swapped.error is not None:
                self.protect_result.setText("")
                show_error(swapped.error, self, _("The data file was not protected"))
            else:
                self.protect_result.setText(
                    tr(
                        "The data file is protected with a password. Your unprotected file is kept as {path}: "
                        "delete it once you have checked that the password opens your data. Earlier backups "
                        "are not protected either.",
                        path=str(swapped.unprotected),
                    )
                )
            self.context.broadcast(Changed.ALL)
            resume()
            if swapped.error is None and swapped.unprotected is not None:
                self._offer_to_delete_unprotected(path, swapped.unprotected, checked)

        def failed(exc: BaseException) -> None:
            window.setEnabled(True)
            resume()
            self.protect_result.setText("")
            show_error(str(exc), self, _("The data file was not protected"))

        run_task(lambda: write_protected_copy(path, secret), done, failed)

    def _offer_to_delete_unprotected(self, db: Path, aside: Path, checked: bool) -> None:
        """After protecting: the copies anyone can still read (the old file, earlier backups), listed and
        deleted when the person agrees, if the protected file was checked to hold the same data
        (``checked``, right after it was opened)."""
        from services.errors import StorageError, UserError
        from services.protection import delete_unprotected, unprotected_copies
        from ui.errors import show_error, show_exception
        from ui.worker import run_task

        leftovers = unprotected_copies(db)
        if not leftovers:
            return
        listed = "\n".join(str(p) for p in leftovers[:MAX_LISTED])
        if len(leftovers) > MAX_LISTED:
            listed += "\n" + tr("… and {count} more", count=len(leftovers) - MAX_LISTED)
        answer = QMessageBox.question(
            self,
            _("Delete the unprotected copies?"),
            tr(
                "The data file is now protected with a password. These copies of it are not: anyone who can "
                "read this computer's disk can read them.\n\n{files}\n\nDelete them now? DebtKeeper first "
                "checks that the protected file holds the same data. Exports (JSON, CSV), letters and plans "
                "you saved are not protected either: delete them yourself.",
                files=listed,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        window = self.window()
        window.setEnabled(False)  # a change made now would make the check fail
        self.protect_result.setText(_("Deleting the unprotected copies…"))

        def deleted(result: Any) -> None:
            window.setEnabled(True)
            self.protect_result.setText(
                tr(
                    "The data file is protected with a password. Unprotected copies deleted: {count}. Exports "
                    "(JSON, CSV), letters and plans you saved are not protected: delete them yourself.",
                    count=len(result.deleted),
                )
            )
            if result.failed:
                show_error(
                    "\n".join(
                        tr("Cannot delete {path}: {reason}", path=str(path), reason=reason)
                        for path, reason in result.failed
                    ),
                    self,
                )

        def failed(exc: BaseException) -> None:
            window.setEnabled(True)
            self.protect_result.setText(
                tr(
                    "The data file is protected with a password. Your unprotected file is kept as {path}: "
                    "delete it once you have checked that the password opens your data. Earlier backups "
                    "are not protected either.",
                    path=str(aside),
                )
            )
            if isinstance(exc, UserError):
                show_error(str(exc), self, _("The unprotected copies were not deleted"))
            else:
                show_exception(exc, self)

        def delete() -> Any:
            if not checked:
                raise StorageError(
                    tr(
                        "The protected file {protected} does not hold the same data as "
                        "{plain}: nothing was deleted.",
                        protected=str(db),
                        plain=str(aside),
                    )
                )
            return delete_unprotected(leftovers)

        run_task(delete, deleted, failed)
