"""How the window tells a person that something went wrong.

Known problems (``UserError``: bad input, a locked or broken file) are shown as
a plain message in the person's language, never a traceback. Anything else is a
bug: ``sys.excepthook`` routes it to a crash dialog with the details to copy.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from resources.i18n import _

log = logging.getLogger(__name__)


def _parent() -> QWidget | None:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app.activeWindow()
    return None


def _is_user_error(exc: BaseException) -> bool:
    from services.errors import UserError

    return isinstance(exc, UserError)


def show_error(message: str, parent: QWidget | None = None, title: str | None = None) -> None:
    """The one way to show a problem the person can act on."""
    if QApplication.instance() is None:
        print(message, file=sys.stderr)
        return
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        title or _("Something needs your attention"),
        message,
        QMessageBox.StandardButton.Ok,
        parent or _parent(),
    )
    box.setObjectName("errorMessage")
    _present(box)


def show_exception(
    exc: BaseException, parent: QWidget | None = None, title: str | None = None, outcome: str | None = None
) -> None:
    """A UserError as its message; anything else as a crash report.

    ``title`` and ``outcome`` are for callers that know what the failure left undone (see show_crash).
    """
    if _is_user_error(exc):
        show_error(str(getattr(exc, "message", exc)), parent, title)
    else:
        show_crash(type(exc), exc, exc.__traceback__, parent, title=title, outcome=outcome)


def show_crash(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    parent: QWidget | None = None,
    *,
    title: str | None = None,
    outcome: str | None = None,
) -> None:
    """The crash dialog. ``outcome`` says what the failure did and did not change, when the caller knows;
    otherwise the dialog promises nothing: a bug can stop an action part-way (say, after the first of
    two changes), so it cannot tell whether what the person was doing was done.
    """
    from services.safety import redact_report

    # Names, notes, amounts and numbers never reach the log or the report a person may share.
    details = redact_report("".join(traceback.format_exception(exc_type, exc, tb)))
    log.error("unexpected error\n%s", details)
    if QApplication.instance() is None:
        print(details, file=sys.stderr)
        return
    what = outcome or _(
        "Something unexpected went wrong, and what you were doing may not have been done, or only "
        "in part: please check it."
    )
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        title or _("DebtKeeper hit a bug"),
        what + "\n" + _("The details below help to fix the problem."),
        QMessageBox.StandardButton.Close,
        parent or _parent(),
    )
    box.setObjectName("crashDialog")
    box.setDetailedText(details)
    _present(box)


_FAILURE = "_failure_shown_as"  # (title, outcome) an Op gave a bug it raised again


def mark_failure(exc: BaseException, title: str | None, outcome: str | None) -> None:
    """Let the crash dialog for ``exc`` say what was being done (``title``) and what it left undone."""
    setattr(exc, _FAILURE, (title, outcome))


# Tests replace this to see what would have been shown without a modal loop.
def _present(box: QMessageBox) -> None:
    box.exec()


def install_excepthook() -> None:
    """Uncaught exceptions in slots: a UserError as a message, a bug as a crash dialog."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if _is_user_error(exc):
            show_error(str(getattr(exc, "message", exc)))
        else:
            title, outcome = getattr(exc, _FAILURE, (None, None))
            show_crash(exc_type, exc, tb, title=title, outcome=outcome)

    sys.excepthook = hook
