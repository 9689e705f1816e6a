"""A real DebtKeeper window in its own process, driven line by line on standard input.

For tests that need the window and the command line working on one database
at once, as a person has them (the window open, a scheduled ``remind``
beside it). Commands, one per line; each answers one line on standard output:

    settings          show the Settings page (it looks at the data file)   -> ok
    backup            the daily backup the window takes at start            -> ok PATH|none
    pay DEBT AMOUNT   record a payment in the payment dialog, Save clicked  -> ok PAYMENT_ID
    quit              close the window normally                             -> ok

Started as ``python tests/window_process.py DB``; prints ``ready`` once the
database is open in the window. ``WindowProcess`` starts and drives one, and
``write_in_turn`` is the round the crash test (and its long form in
benchmarks/) repeats.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One command-line process on ``db``."""
    return subprocess.run(
        [sys.executable, "main.py", "--db", str(db), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class WindowProcess:
    """A window process on ``db``, answering the commands above."""

    def __init__(self, db: Path) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), str(db)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self._line() == "ready"

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line:
            self.proc.kill()
            _out, err = self.proc.communicate(timeout=30)
            raise AssertionError(f"the window process stopped: {err[-3000:]}")
        return line

    def ask(self, command: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        line = self._line()
        assert line.startswith("ok"), line
        return line[3:]

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.communicate(timeout=30)
        assert self.proc.returncode == -signal.SIGKILL


def payments(db: Path) -> dict[int, int]:
    """Every payment's id and amount in fen, after an integrity check."""
    # Closed at once: a connection left open here would hold the locks a window lost, and hide that.
    conn = sqlite3.connect(db)
    try:
        assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
        return dict(conn.execute("SELECT id, amount FROM payments").fetchall())
    finally:
        conn.close()


def write_in_turn(db: Path, window: WindowProcess, debt_ids: list[int], n: int, as_of: str) -> dict[int, int]:
    """One round: the window looks at the file, backs up, the scheduler's ``remind`` runs, then the
    window and the command line each record a payment. Returns {payment id: amount in fen}."""
    window.ask("settings")  # the Settings page looks at the data file
    window.ask("backup")
    reminded = cli(db, "remind", "--as-of", as_of)
    assert reminded.returncode in (0, 3), reminded.stderr
    paid: dict[int, int] = {}
    fen = 100 + n % 100
    paid[int(window.ask(f"pay {debt_ids[0]} {fen // 100}.{fen % 100:02d}"))] = fen
    added = cli(db, "payment", "add", str(debt_ids[1]), "--amount", f"2.{n % 100:02d}", "--date", as_of)
    assert added.returncode == 0, added.stderr
    new_id = int(added.stdout.split()[-1])
    assert new_id not in paid, "the window and the command line gave two payments the same id"
    paid[new_id] = 200 + n % 100
    return paid


def main() -> int:
    from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialogButtonBox

    from resources.i18n import set_language
    from services import safety
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.open_problem import open_with_recovery
    from ui.worker import wait_for_tasks

    set_language("en_US")
    app = make_application()
    window = MainWindow()
    window.show()
    opened = open_with_recovery(Path(sys.argv[1]), window)
    assert opened is not None, "the database did not open"
    context = opened.context
    context.extras["instance_lock"] = opened.lock
    window.attach(context)
    app.processEvents()

    def answer(text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    def run(line: str) -> None:
        from ui.dialogs.payment import PaymentDialog

        words = line.split()
        if not words:
            return
        if words[0] == "settings":
            window.show_page("settings")
            app.processEvents()
            wait_for_tasks()
            window.show_page("dashboard")
            answer("ok")
        elif words[0] == "backup":
            written = safety.daily_backup(context.services)
            answer(f"ok {written or 'none'}")
        elif words[0] == "pay":
            debt_id, amount = int(words[1]), words[2]
            dialog = PaymentDialog(context, context.services.list_debts(), debt_id, None, window)
            dialog.show()
            dialog.amount.setText(amount)
            buttons = dialog.findChild(QDialogButtonBox)
            QTest.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
            app.processEvents()
            answer(f"ok {dialog.saved_id}")
        elif words[0] == "quit":
            wait_for_tasks()
            window.detach()
            answer("ok")
            app.quit()
        else:
            answer(f"error unknown command {words[0]}")

    class Reader(QObject):
        line = Signal(str)

        def read(self) -> None:
            for text in sys.stdin:
                self.line.emit(text.strip())

    class Dispatcher(QObject):  # lives on the GUI thread: the commands run there
        @Slot(str)
        def run(self, line: str) -> None:
            run(line)

    dispatcher = Dispatcher()
    reader = Reader()
    thread = QThread()
    reader.moveToThread(thread)
    thread.started.connect(reader.read)
    reader.line.connect(dispatcher.run, Qt.ConnectionType.QueuedConnection)
    thread.start()
    answer("ready")
    code = app.exec()
    os._exit(code)  # the reader thread is blocked on standard input


if __name__ == "__main__":
    sys.exit(main())
