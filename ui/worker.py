"""Running long work off the GUI thread: the one way the window does it.

``run_task(fn, on_done, on_error)`` runs ``fn()`` on Qt's global thread pool and
delivers its result (or exception) back on the GUI thread. ``fn`` gets no
widgets: it takes plain values and returns plain values. ``Debouncer`` collapses
bursts (a slider being dragged) into one call and drops results that a newer
request has superseded, so the view only ever shows the latest answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from shiboken6 import isValid

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; queued signals carry the result back to it."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None] | None
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self.done.connect(self._deliver)
        self.failed.connect(self._fail)

    @Slot(object)
    def _deliver(self, result: object) -> None:
        try:
            self._on_done(result)
        finally:
            self._finish()

    @Slot(object)
    def _fail(self, exc: object) -> None:
        try:
            if self._on_error is not None:
                self._on_error(exc)  # type: ignore[arg-type]
            else:
                from ui.errors import show_exception

                show_exception(exc)  # type: ignore[arg-type]
        finally:
            self._finish()

    def _finish(self) -> None:
        _live.discard(self)
        self.deleteLater()


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to the GUI thread, shown there
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


_live: set[_Relay] = set()  # keeps relays alive until their answer arrives


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> QObject:
    """Run ``fn`` off the GUI thread; call ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""
    relay = _Relay(on_done, on_error)
    _live.add(relay)
    QThreadPool.globalInstance().start(_Task(fn, relay))
    return relay


def wait_for_tasks(msecs: int = 10000) -> bool:
    """Wait for all background work (tests, shutdown)."""
    return QThreadPool.globalInstance().waitForDone(msecs)


class Debouncer(QObject):
    """Coalesce rapid requests into one background computation; show only the newest result."""

    started = Signal()
    finished = Signal()

    def __init__(self, delay_ms: int = 120, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._fire)
        self._pending: (
            tuple[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None] | None] | None
        ) = None
        self._generation = 0
        self.busy = False

    def pending(self) -> bool:
        """A request is waiting for its delay or its answer."""
        return self._timer.isActive() or self._pending is not None or self.busy

    def request(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._pending = (fn, on_done, on_error)
        self._timer.start()

    @Slot()
    def _fire(self) -> None:
        if self._pending is None:
            return
        fn, on_done, on_error = self._pending
        self._pending = None
        self._generation += 1
        generation = self._generation
        self.busy = True
        self.started.emit()

        def done(result: Any) -> None:
            if not isValid(self):
                return  # the page that asked was closed meanwhile: nobody to show it to
            if generation == self._generation:
                self.busy = False
                on_done(result)
                self.finished.emit()

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            if generation == self._generation:
                self.busy = False
                self.finished.emit()
                if on_error is not None:
                    on_error(exc)
                else:
                    from ui.errors import show_exception

                    show_exception(exc)

        run_task(fn, done, failed)
