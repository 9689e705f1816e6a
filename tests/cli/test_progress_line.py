"""The progress line of a long export or import: on a terminal only, after a second, rewritten in place."""

from __future__ import annotations

import io

from cli import ProgressLine
from resources.i18n import set_language


class _Terminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_terminal_sees_the_line_rewritten_after_a_second_and_cleared_at_the_end():
    terminal, clock = _Terminal(tty=True), _Clock()
    line = ProgressLine("Importing… {percent}%", terminal, clock=clock)
    line(10, 100)
    assert terminal.getvalue() == ""  # within the first second: quick work shows nothing
    clock.now += 1.5
    line(250, 1000)
    line(251, 1000)  # the same percent: nothing written again
    line(1000, 1000)
    assert terminal.getvalue() == "\rImporting… 25%\rImporting… 100%"
    line.close()
    assert terminal.getvalue().endswith("\r" + " " * len("Importing… 100%") + "\r")


def test_a_pipe_or_a_log_gets_nothing():
    pipe, clock = _Terminal(tty=False), _Clock()
    line = ProgressLine("Exporting… {percent}%", pipe, clock=clock)
    clock.now += 5
    line(1, 2)
    line.close()
    assert pipe.getvalue() == ""


def test_the_line_is_in_the_persons_language_and_counts_when_the_total_is_unknown():
    terminal, clock = _Terminal(tty=True), _Clock()
    set_language("zh_CN")
    line = ProgressLine("Exporting… {percent}%", terminal, clock=clock)
    clock.now += 2
    line(1, 4)
    line(12345, None)
    assert terminal.getvalue() == "\r正在导出… 25%\r已完成 12,345"
