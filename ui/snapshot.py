"""The window's first screen, written by a second process while the window loads Qt.

Where the system can fork and the program may use more than one processor, the window's start forks
first thing, before Qt is loaded (``start``, from ``main``). The child decides the data file, language
and first page as the window does (``ui.app.first_screen_of``); for the overview it reads the data file the quick way (``services.first_screen``:
read-only, one snapshot, and only when that is certain to give what the normal opening gives), works
out the overview and the banner with the same services, domain and text functions the page uses
(``ui.pages.dashboard_texts``, ``services.reminders.banner_lines``), and sends the texts back through a
pipe. Meanwhile the window loads Qt and paints its shell; then it takes the data file's lock and shows
the texts (``Pending.take``) if the file has not changed since they were read. In every other case — a
protected, damaged or newer file, another start page, one processor, no fork, a child that fails or is
slow — the window reads the first screen itself, as it always did. Nothing is written anywhere: the texts
live in the pipe and on screen, and the file is opened in full right after they are shown.

This module loads no Qt.
"""

from __future__ import annotations

import json
import os
import select
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.dbpath import file_marks

if TYPE_CHECKING:
    from datetime import date

FORMAT = 1
WAIT_SECONDS = 3.0  # a child still reading after this is left: the window reads the first screen itself
FIRST_PAGE = "dashboard"  # the page the child writes


def first_screen_texts(target: Path, today: date | None = None) -> dict[str, Any] | None:
    """The first screen's texts for the data file at ``target``, or None when the quick read is not
    certain (the window then opens the file the normal way). In the current language."""
    from datetime import date

    from services.first_screen import open_first_screen
    from services.overview import overview
    from services.reminders import banner_lines
    from ui.pages.dashboard_texts import dashboard_texts

    marks = file_marks(target)  # before the read: a write after this one makes the texts unused
    quick = open_first_screen(target)
    if quick is None:
        return None
    try:
        day = today or date.today()
        data = overview(quick, day)  # type: ignore[arg-type]
        has_any = data.debt_count > 0 or bool(quick.list_debts(include_archived=True))
        texts = {
            "format": FORMAT,
            "file": str(target),
            "files": marks,
            "dashboard": dashboard_texts(data, has_any),
            "banner": banner_lines(quick, day),  # type: ignore[arg-type]
        }
        return texts if quick.sound() else None
    finally:
        quick.close()


class Pending:
    """The child at work: ``take`` its texts once the window is painted and holds the lock, or ``discard``."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self._fd: int | None = fd
        self.child_peak_mb = 0.0

    def take(self, target: Path, timeout: float = WAIT_SECONDS) -> dict[str, Any] | None:
        """The texts, if the child wrote them in time, for the data file ``target`` the window opens,
        and the file is as it was when they were read."""
        if self._fd is None:
            return None
        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._fd], [], [], left)[0]:
                    self.discard()  # slow: the window reads the first screen itself
                    return None
                chunk = os.read(self._fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        except OSError:
            self.discard()
            return None
        self._close()
        self._reap(block=True)
        try:
            message = json.loads(b"".join(chunks).decode("utf-8"))
        except ValueError:
            return None  # the child failed before it wrote (it said why on stderr)
        self.child_peak_mb = float(message.get("peak_mb") or 0.0)
        texts = message.get("texts")
        if not isinstance(texts, dict) or texts.get("format") != FORMAT:
            return None  # not certain: the window opens the file the normal way
        if texts.get("file") != str(target) or texts.get("files") != file_marks(target):
            return None  # another file, or written to since it was read
        return texts

    def discard(self) -> None:
        """The texts are not wanted (or were late): the child is stopped."""
        if self.pid:
            import signal

            with suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap(block=True)
        self._close()

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _reap(self, block: bool) -> None:
        if self.pid:
            with suppress(ChildProcessError):
                os.waitpid(self.pid, 0 if block else os.WNOHANG)
            self.pid = 0


def can_fork() -> bool:
    """Linux, with more than one processor this program may run on (with one, the child would only
    take turns with the window)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) > 1


def start(argv: list[str]) -> Pending | None:
    """Fork the child that writes the first screen of the window started with ``argv`` (None: not
    this time). Called first thing, before Qt is loaded, while this process runs one thread; the child
    decides the data file, language and first page the way the window does (``ui.app.first_screen_of``)."""
    if not can_fork() or os.environ.get("DEBTKEEPER_FIRST_SCREEN") == "self":  # "self": the window reads it
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: write the texts and leave, running nothing of the parent's on the way out
        code = 1
        try:
            os.close(read_end)
            code = _child(argv, write_end)
        except BaseException:  # noqa: BLE001 - whatever happens, the child must not return into the window
            import traceback

            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(write_end)
    return Pending(pid, read_end)


def _child(argv: list[str], fd: int) -> int:
    from ui.app import first_screen_of, peak_rss_mb

    texts = None
    try:
        target = first_screen_of(argv)
        if target is not None:
            texts = first_screen_texts(target)
    except Exception:  # noqa: BLE001 - anything the quick read cannot answer: the window opens the file
        import logging

        logging.getLogger(__name__).warning("the first screen could not be written", exc_info=True)
    payload = json.dumps({"texts": texts, "peak_mb": round(peak_rss_mb(), 1)}, ensure_ascii=False)
    with os.fdopen(fd, "wb") as out:
        out.write(payload.encode("utf-8"))
    return 0
