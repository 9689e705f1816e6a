"""The one root of the domain's errors: input the engine cannot work from, as data.

``DomainError(msgid, params)`` carries an English message id (marked with ``N_``
where it is written) and the values that fill it; the layer that shows it
translates the msgid and fills it (``services.errors.domain_message``), so the
person reads it in their language. ``str(error)`` is the English text, for logs.
Every error class of domain/ derives from it and keeps its own name, so callers
can still catch exactly the one they expect.
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(ValueError):
    """Input the engine cannot work from: ``msgid`` filled from ``params`` where shown."""

    def __init__(self, msgid: str, params: Mapping[str, object] | None = None, /, **more: object) -> None:
        values = {**(params or {}), **more}
        super().__init__(msgid.format(**values) if values else msgid)
        self.msgid = msgid
        self.params: Mapping[str, object] = values

    @property
    def message(self) -> str:
        """The msgid (the name earlier code reads)."""
        return self.msgid
