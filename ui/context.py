"""What every page of the window shares: the open services, today, and change signals.

Pages are QWidgets built as ``Page(context, parent=None)``. They read through
``context.services`` (never SQL), refresh themselves on ``data_changed`` and
re-label themselves on ``language_changed`` (each page has ``retranslate()``).
After a write, the page that wrote calls ``context.notify(<what>)``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from services.app import Services


class AppContext(QObject):
    #: what changed: "debts", "payments", "contacts", "budget", "settings", "reminders", "all"
    data_changed = Signal(str)
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

    def notify(self, what: str) -> None:
        self.data_changed.emit(what)

    def set_language(self, lang: str) -> str:
        """Switch every page to ``lang`` now, and remember it for the next start."""
        from resources.i18n import set_language
        from ui import prefs

        lang = set_language(lang)
        prefs.save(language=lang)
        self.language_changed.emit(lang)
        return lang
