"""One typed operation for work the window hands to the data: ``Op[T]``.

An ``Op`` takes a function ``(services) -> T`` and runs it off the GUI thread
(``run_in_background``) or, for tiny work, on it (``run_here``). On the GUI thread
again it broadcasts what the work changed (a ``Changed``, fixed or worked out from
``T``) through the one broadcast (``AppContext.broadcast``), then hands ``T`` to the
success callback. Work that takes longer than half a second shows a progress dialog,
with a Cancel button only when the op says it can be cancelled. Work that can say how far it has
come calls ``op.report(done, total)`` from its thread (a service's ``progress``): the dialog's bar
then fills (it stays busy while ``total`` is None).

Failures: a known problem (``UserError``, a file that cannot be written) is shown
as a message in the person's language, with the op's title. Anything else is a bug:
it is raised again on the GUI thread, where the installed ``sys.excepthook``
(ui/errors.py) reports it loudly, never swallowed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from resources.i18n import _, tr
from ui.context import Changed

if TYPE_CHECKING:
    from services.app import Services
    from ui.context import AppContext

T = TypeVar("T")

#: how long work may take before the progress dialog shows, in milliseconds
PROGRESS_DELAY_MS = 500
BAR_STEPS = 1000


def known_problem(exc: BaseException) -> str | None:
    """The message a person can act on, in their language, or None for a bug."""
    from documents.letters import TemplateError
    from services.errors import UserError

    if isinstance(exc, UserError | TemplateError):
        return str(getattr(exc, "message", exc))
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return tr("Cannot write {path}: {reason}", path=str(exc.filename or ""), reason=reason)
    return None


class _Reports(QObject):
    """Lives on the GUI thread; a report emitted from the work's thread arrives queued (its slot is
    this object's own, so Qt queues it to the GUI thread)."""

    moved = Signal(object, object)

    def __init__(self, on_moved: Callable[[int, int | None], None]) -> None:
        super().__init__()
        self._on_moved = on_moved
        self.moved.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, done: int, total: int | None) -> None:
        self._on_moved(done, total)


class Op(Generic[T]):
    """``Op(parent, context, work, changes=..., on_success=...)`` then ``run_in_background()``."""

    def __init__(
        self,
        parent: QWidget,
        context: AppContext,
        work: Callable[[Services], T],
        *,
        changes: Changed | Callable[[T], Changed] = Changed.NONE,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], bool | None] | None = None,
        title: str | None = None,
        outcome: str | None = None,
        progress: str | None = None,
        cancellable: bool = False,
        blocking: bool = False,
    ) -> None:
        """``title`` heads the message a failure shows; ``outcome`` says what a bug left undone when that is
        known; ``on_failure`` runs first on any failure and returns True when it has shown a known problem
        itself; ``progress`` is the text of the progress dialog (none without it); ``blocking`` disables the
        window while the work runs (a write that must not meet another change)."""
        self.parent = parent
        self.context = context
        self.work = work
        self.changes = changes
        self.on_success = on_success
        self.on_failure = on_failure
        self.title = title
        self.outcome = outcome
        self.progress_text = progress
        self.cancellable = cancellable
        self.blocking = blocking
        self.dialog: QProgressDialog | None = None
        self.running = False
        self._cancel = threading.Event()
        self._timer: QTimer | None = None
        self._reports = _Reports(self._moved)
        self._progress: tuple[int, int | None] = (0, None)

    # --- the two ways to run ------------------------------------------------------------------

    def run_in_background(self) -> Op[T]:
        """Start the work on the thread pool; callbacks come back on the GUI thread."""
        from ui.worker import run_task

        services = self.context.services
        self._start()
        run_task(lambda: self.work(services), self._succeeded, self._failed)
        return self

    def run_here(self) -> T:
        """Tiny work on the GUI thread: broadcast, call back, return ``T``; a failure goes to the caller."""
        result = self.work(self.context.services)
        self._deliver(result)
        return result

    @property
    def cancelled(self) -> bool:
        """The person pressed Cancel: the work may stop early; its result is not delivered."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        if self.cancellable:
            self._cancel.set()

    def report(self, done: int, total: int | None) -> None:
        """How far the work has come (from any thread): the progress dialog's bar shows it."""
        self._reports.moved.emit(done, total)

    # --- on the GUI thread --------------------------------------------------------------------

    def _start(self) -> None:
        self.running = True
        if self.blocking:
            self.parent.window().setEnabled(False)
        if self.progress_text is not None:
            self._timer = QTimer()
            self._timer.setSingleShot(True)
            self._timer.timeout.connect(self._show_progress)
            self._timer.start(PROGRESS_DELAY_MS)

    def _show_progress(self) -> None:
        if not self.running or not isValid(self.parent):
            return
        dialog = QProgressDialog(self.parent.window())
        dialog.setObjectName("opProgress")
        dialog.setWindowTitle(_("Please wait"))
        dialog.setLabelText(self.progress_text or "")
        dialog.setRange(0, 0)  # busy until the work says how far it is
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        if self.cancellable:
            dialog.setCancelButtonText(_("Cancel"))
            dialog.canceled.connect(self.cancel)
        else:
            dialog.setCancelButton(None)
        dialog.setEnabled(True)
        dialog.show()
        self.dialog = dialog
        self._moved(*self._progress)

    def _moved(self, done: int, total: int | None) -> None:
        self._progress = (done, total)
        if self.dialog is None or not self.running:
            return
        if total:  # on a scale of 1000: a file's size in bytes may not fit Qt's int
            self.dialog.setRange(0, BAR_STEPS)
            self.dialog.setValue(min(BAR_STEPS, BAR_STEPS * done // total))
        else:
            self.dialog.setRange(0, 0)

    def _finish(self) -> None:
        self.running = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        if self.blocking and isValid(self.parent):
            self.parent.window().setEnabled(True)

    def _deliver(self, result: T) -> None:
        """The success callback first (it may put new services in place), then the broadcast, whatever
        the callback did: the data did change."""
        changes = self.changes(result) if callable(self.changes) else self.changes
        try:
            if self.on_success is not None and not self.cancelled:
                self.on_success(result)
        finally:
            self.context.broadcast(changes)

    def _succeeded(self, result: T) -> None:
        self._finish()
        self._deliver(result)

    def _failed(self, exc: BaseException) -> None:
        from ui.errors import mark_failure, show_error

        self._finish()
        shown = self.on_failure(exc) if self.on_failure is not None else None
        message = known_problem(exc)
        if message is not None and shown:
            return
        if message is not None:
            show_error(message, self.parent if isValid(self.parent) else None, self.title)
            return
        mark_failure(exc, self.title, self.outcome)
        raise exc
