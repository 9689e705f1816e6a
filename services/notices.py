"""Things to tell the person once that are not errors (a data file made private when it was opened).

Services announce them as they happen; whoever shows them listens for the
length of one job: the command line prints each on standard error. The window
reads ``Services.notices`` after opening a file and shows them in its status bar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

_listeners: list[Callable[[str], None]] = []


@contextmanager
def listening(show: Callable[[str], None]) -> Iterator[None]:
    """Call ``show(text)`` for every notice announced inside the ``with`` block."""
    _listeners.append(show)
    try:
        yield
    finally:
        _listeners.remove(show)


def announce(text: str) -> None:
    for show in list(_listeners):
        show(text)
