"""One window per database: starting DebtKeeper again brings the open window forward.

The window that has a database open listens on a local socket (``QLocalServer``)
named after a hash of the person's home folder and the database's full path.
A second start on the same file asks that window to show itself (un-hiding it
from the tray) and quits. When nobody answers in time, start-up goes on as
before, and the one-window lock explains that the file is open elsewhere.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

SHOW = b"show\n"
SHOWN = b"shown\n"
ANSWER_MS = 2000  # a busy first window still answers; a hung one must not hold the second start long


def server_name(db: Path) -> str:
    """The socket name for one database (per user: the home folder is part of the key)."""
    key = f"{Path.home()}\0{Path(db).expanduser().resolve()}".encode()
    return "debtkeeper-" + hashlib.sha256(key).hexdigest()[:24]


def ask_to_show(db: Path, timeout_ms: int = ANSWER_MS) -> bool:
    """Ask the window that has ``db`` open to come forward; True when it answered that it did."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(db))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(SHOW)
    socket.waitForBytesWritten(timeout_ms)
    answer = b""
    while SHOWN not in answer and socket.waitForReadyRead(timeout_ms):
        answer += bytes(socket.readAll().data())
    socket.abort()
    return SHOWN in answer


def bring_forward(window: QWidget) -> None:
    """Show the window (also when it sits hidden in the tray or minimised) and give it the focus."""
    tray = getattr(window, "tray", None)
    if tray is not None and hasattr(tray, "show_window"):
        tray.show_window()
        return
    window.showNormal()
    window.raise_()
    window.activateWindow()


class InstanceServer(QObject):
    """Listens for later starts on the same database and brings ``window`` forward for them."""

    shown = Signal()

    def __init__(self, db: Path, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.name = server_name(db)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._connection)

    def listen(self) -> bool:
        """Start listening. Call only while holding the database's one-window lock: a socket left by a
        crashed window is removed first, and the lock guarantees no live window owns it."""
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def close(self) -> None:
        self.server.close()

    def _connection(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if SHOW not in bytes(socket.readAll().data()):
            return
        bring_forward(self.window)
        socket.write(SHOWN)
        socket.flush()
        self.shown.emit()
