"""What every page of the window shares: the open services, today, and the change broadcast.

Pages are QWidgets built as ``Page(context, parent=None)``. They read through
``context.services`` (never SQL), refresh themselves on ``changed`` for the kinds of
data they show (``Page.listens_to``) and re-label themselves on ``language_changed``
(each page has ``retranslate()``). After a write, what wrote says what changed with a
typed value: ``context.broadcast(Changed.DEBTS)``, or through an ``Op`` (ui/ops.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Flag, auto
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from services.app import Services


class Changed(Flag):
    """What a write changed; combine with ``|``, test with ``&``."""

    NONE = 0
    DEBTS = auto()
    PAYMENTS = auto()
    REMINDERS = auto()
    CONTACTS = auto()
    SETTINGS = auto()
    BUDGET = auto()
    ALL = DEBTS | PAYMENTS | REMINDERS | CONTACTS | SETTINGS | BUDGET


def changed_from_name(what: str) -> Changed:
    """The one mapping of the old free-form names ("debts", "all", …) to ``Changed``."""
    try:
        return Changed[what.upper()]
    except KeyError:
        raise ValueError(f"unknown kind of change: {what!r}") from None


class AppContext(QObject):
    #: a ``Changed``: what a write changed (pages refresh only for what they show)
    changed = Signal(object)
    #: the new language code, "zh_CN" or "en_US"
    language_changed = Signal(str)

    def __init__(
        self, services: Services, today: Callable[[], date] = date.today, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self._today = today
        self.extras: dict[str, Any] = {}  # shared objects pages register (e.g. the tray)

    def today(self) -> date:
        """Today's date; tests pass a fake clock."""
        return self._today()

    def broadcast(self, changes: Changed) -> None:
        """The one place the pages hear of a change."""
        if not isinstance(changes, Changed):
            raise TypeError(f"broadcast takes a Changed, not {changes!r}")
        if changes:
            self.changed.emit(changes)

    def notify(self, what: Changed | str) -> None:
        """Older spelling of ``broadcast``; a name is mapped by ``changed_from_name``."""
        self.broadcast(what if isinstance(what, Changed) else changed_from_name(what))

    def set_language(self, lang: str) -> str:
        """Switch every page to ``lang`` now, and remember it for the next start."""
        from resources.i18n import set_language
        from ui import prefs

        lang = set_language(lang)
        prefs.save(language=lang)
        self.language_changed.emit(lang)
        return lang
