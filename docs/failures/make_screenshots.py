"""Screenshots of what a person sees when their data file has a problem (docs/failures/).

    python docs/failures/make_screenshots.py [--read-only-dir DIR] [--full-dir DIR] [--lang zh_CN en_US]

Each case is made for real in a temporary folder (a file of random bytes, a
database from a newer schema, a second window on an open database), then the
start-up dialog is rendered offscreen and saved as PNG. A read-only folder and a
full disk cannot be made without privileges: pass a folder on a read-only mount
(``--read-only-dir``, holding ``d.sqlite3``) and one on a nearly full file system
(``--full-dir``) to include them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = Path(__file__).resolve().parent


def _save(widget, path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    widget.show()
    for _ in range(3):
        QApplication.processEvents()
    widget.grab().save(str(path))
    widget.close()
    print(path.relative_to(ROOT))


def _startup_dialog(db: Path, out: Path) -> None:
    """Open ``db`` as the window does; save the dialog it shows, then choose Quit."""
    from ui import open_problem

    shown = []

    def choose(box):
        _save(box, out)
        shown.append(box.text())
        return open_problem.QUIT

    open_problem.choose = choose
    open_problem.ask_password = lambda *a: None  # random bytes look like an encrypted file: no password
    assert open_problem.open_with_recovery(db) is None
    assert shown, f"no dialog for {db}"


def _demo(db: Path) -> None:
    from services.app import Services
    from services.demo import build_demo

    with Services.open(db) as svc:
        build_demo(svc, date(2026, 11, 23))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--read-only-dir", type=Path, default=None)
    parser.add_argument("--full-dir", type=Path, default=None)
    parser.add_argument("--lang", nargs="+", default=["zh_CN", "en_US"])
    args = parser.parse_args(argv)
    from resources.i18n import set_language
    from services import safety
    from ui.app import make_application

    make_application()
    for lang in args.lang:
        set_language(lang)
        with tempfile.TemporaryDirectory() as folder:
            base = Path(folder)
            good = base / "good" / "d.sqlite3"
            _demo(good)

            corrupt = base / "corrupt" / "d.sqlite3"
            corrupt.parent.mkdir()
            from services.app import Services

            with Services.open(good) as svc:  # an automatic backup exists, then the file is damaged
                safety.backup_now(svc, "daily", out=None)
            shutil.copytree(good.parent / "backups", corrupt.parent / "backups")
            corrupt.write_bytes(os.urandom(40960))
            _startup_dialog(corrupt, OUT / f"{lang}-corrupt.png")
            no_backup = base / "corrupt2" / "d.sqlite3"
            no_backup.parent.mkdir()
            no_backup.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
            _startup_dialog(no_backup, OUT / f"{lang}-corrupt-no-backup.png")

            newer = base / "newer" / "d.sqlite3"
            newer.parent.mkdir()
            shutil.copy(good, newer)
            conn = sqlite3.connect(newer)
            conn.execute("UPDATE alembic_version SET version_num = '0099'")
            conn.commit()
            conn.close()
            _startup_dialog(newer, OUT / f"{lang}-newer-version.png")

            foreign = base / "foreign" / "photos.db"  # another program's SQLite file
            foreign.parent.mkdir()
            conn = sqlite3.connect(foreign)
            conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
            conn.commit()
            conn.close()
            _startup_dialog(foreign, OUT / f"{lang}-foreign.png")

            empty = base / "empty" / "d.sqlite3"  # emptied, with its automatic backups beside it
            empty.parent.mkdir()
            shutil.copytree(good.parent / "backups", empty.parent / "backups")
            empty.touch()
            _startup_dialog(empty, OUT / f"{lang}-empty.png")

            _damaged_daily_backup(
                good, base / "damaged" / "d.sqlite3", OUT / f"{lang}-damaged-daily-backup.png"
            )

            _password_prompt(good, base / "protected.sqlite3", OUT / f"{lang}-password.png")

            held = safety.lock(good)  # the first window
            _startup_dialog(good, OUT / f"{lang}-already-open.png")
            assert held is not None
            held.release()

            if args.read_only_dir is not None:
                _startup_dialog(args.read_only_dir / "d.sqlite3", OUT / f"{lang}-read-only.png")
                _read_only_window(args.read_only_dir / "d.sqlite3", OUT / f"{lang}-read-only-copy.png")
            if args.full_dir is not None:
                _disk_full_write(args.full_dir, good, OUT / f"{lang}-disk-full.png")
    return 0


def _password_prompt(plain: Path, protected: Path, out: Path) -> None:
    """A password-protected file: the window asks for its password (the wrong one first)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    from storage import encryption
    from ui import open_problem

    if encryption.module() is None:
        print("  sqlcipher3 is not installed: no password screenshot")
        return
    if not protected.exists():
        encryption.encrypt_copy(plain, protected, "correct horse")
    encryption.set_password(None)
    answers = iter(["wrong", "correct horse"])

    def grab_and_answer() -> None:
        shown = QApplication.topLevelWidgets()
        dialog = next(w for w in shown if isinstance(w, QInputDialog) and w.isVisible())
        answer = next(answers)
        if answer != "wrong":
            dialog.grab().save(str(out))
            print(out.relative_to(ROOT))
        dialog.setTextValue(answer)
        dialog.accept()

    def ask(parent, path, wrong):
        QTimer.singleShot(300, grab_and_answer)
        return open_problem._password(parent, path, wrong)

    open_problem.ask_password = ask
    opened = open_problem.open_with_recovery(protected)
    assert opened is not None
    opened.context.services.close()
    opened.lock.release()
    encryption.set_password(None)
    open_problem.ask_password = lambda *a: None


def _silently_damage(db: Path) -> None:
    """Add a page that nothing uses (counted in the header): every read works, PRAGMA quick_check fails."""
    import struct

    data = bytearray(db.read_bytes())
    page_size = struct.unpack(">H", data[16:18])[0]
    data[28:32] = struct.pack(">I", struct.unpack(">I", data[28:32])[0] + 1)
    db.write_bytes(bytes(data) + bytes(page_size))


def _damaged_daily_backup(good: Path, db: Path, out: Path) -> None:
    """A data file damaged without a sound: the daily backup refuses, says so, and a banner stays."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from services import safety
    from services.app import Services
    from services.errors import UserError
    from ui import errors, open_problem
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.worker import wait_for_tasks

    db.parent.mkdir()
    shutil.copy(good, db)
    shutil.copytree(good.parent / "backups", db.parent / "backups")
    _silently_damage(db)
    window = MainWindow()
    window.resize(1100, 700)
    context = AppContext(Services.open(db), today=lambda: date(2026, 11, 23))
    window.attach(context)
    window.show()
    shown: list[QMessageBox] = []
    errors._present = shown.append
    try:
        safety.backup_now(context.services, "daily")  # as the day's first start does (safety.daily_backup)
    except UserError as exc:
        open_problem.daily_backup_failed(exc, window)
    for _ in range(4):
        QApplication.processEvents()
        wait_for_tasks()
    shown[0].setParent(None)
    combined = window.grab()
    from PySide6.QtGui import QPainter

    box = shown[0]
    box.show()
    QApplication.processEvents()
    painter = QPainter(combined)
    dialog = box.grab()
    painter.drawPixmap(
        (combined.width() - dialog.width()) // 2, (combined.height() - dialog.height()) // 3, dialog
    )
    painter.end()
    combined.save(str(out))
    print(out.relative_to(ROOT))
    box.close()
    window.detach()


def _read_only_window(db: Path, out: Path) -> None:
    """Choose "Open a read-only copy": the window with its banner."""
    from PySide6.QtWidgets import QApplication

    from ui import open_problem
    from ui.main_window import MainWindow
    from ui.worker import wait_for_tasks

    open_problem.choose = lambda box: open_problem.READ_ONLY
    window = MainWindow()
    window.resize(1100, 700)
    opened = open_problem.open_with_recovery(db, window)
    assert opened is not None and opened.read_only_of == db
    window.attach(opened.context)
    open_problem.show_read_only_banner(window, db)
    window.show()
    for _ in range(4):
        QApplication.processEvents()
        wait_for_tasks()
    _save(window, out)
    window.detach()


def _disk_full_write(folder: Path, good: Path, out: Path) -> None:
    """Record a payment on a full disk: the message, the payment not written, the file intact."""
    from PySide6.QtWidgets import QMessageBox

    from services.app import Services
    from services.errors import UserError
    from ui import errors

    db = folder / "d.sqlite3"
    if not db.exists():
        shutil.copy(good, db)
    with Services.open(db) as svc:
        before = len(svc.list_payments())
        try:
            for _ in range(10_000):  # fill the disk with notes until SQLite reports it full
                svc.add_payment(1, "0.01", date(2026, 10, 1), note="x" * 4000)
        except UserError as exc:
            shown: list[QMessageBox] = []
            errors._present = shown.append
            errors.show_error(str(exc))
            _save(shown[0], out)
        after = len(svc.list_payments())
        print(f"  payments before {before}, after {after} (the failed one rolled back)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
