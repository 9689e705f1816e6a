"""A real DebtKeeper window in its own process, driven line by line on standard input.

For tests that need the window and the command line working on one database
at once, as a person has them (the window open, a scheduled ``remind``
beside it). Commands, one per line; each answers one line on standard output:

    settings          show the Settings page (it looks at the data file)   -> ok
    backup            the daily backup the window takes at start            -> ok PATH|none
    pay DEBT AMOUNT   record a payment in the payment dialog, Save clicked  -> ok PAYMENT_ID
    quit              close the window normally                             -> ok

Started as ``python tests/window_process.py DB``; prints ``ready`` once the
database is open in the window.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
