"""DebtKeeper (债管家). No arguments: the desktop window. A subcommand: the command line.

Window options: ``--screenshot OUT.png [--page NAME] [--lang zh_CN|en_US]`` renders
a page as a person sees it and exits; ``--startup-time`` prints the start-up
timings as JSON and exits. Imports stay light here: start-up time matters.
"""

from __future__ import annotations

import sys
import time

_PROCESS_START = time.perf_counter()

WINDOW_FLAGS = ("--screenshot", "--startup-time", "--page")
CLI_FLAGS = ("-h", "--help", "--version")  # answered by the command line: both halves are in its help


def _wants_window(argv: list[str]) -> bool:
    positional = [a for a in argv if not a.startswith("-")]
    if not argv:
        return True
    if any(a.split("=", 1)[0] in WINDOW_FLAGS for a in argv):
        return True
    if any(a in CLI_FLAGS for a in argv):
        return False
    # Only options such as --db/--lang and their values: the window.
    from cli import HANDLERS

    return not any(a in HANDLERS for a in positional)


def main(argv: list[str] | None = None) -> int:
    from storage.secret import take_password_from_environment  # light: the window paints sooner

    take_password_from_environment()  # before anything starts a program that would inherit it
    args = list(sys.argv[1:] if argv is None else argv)
    if _wants_window(args):
        import gc

        # Start-up makes objects by the hundred thousand and keeps nearly all of them: the cyclic
        # collector only slows it. The window turns it back on once the data file is open.
        gc.disable()
        from ui import snapshot

        written = snapshot.start(args)  # the overview's texts, worked out in a second process meanwhile
        from ui.app import run_window

        return run_window(args, process_start=_PROCESS_START, written=written)
    import cli

    return cli.main(args)


if __name__ == "__main__":
    sys.exit(main())
