"""Runtime hook of the windowed Windows build (DebtKeeper.exe): print into the calling terminal.

A windowed program has no standard output. When it was started from a terminal
(``DebtKeeper.exe --version``), attach to that terminal's console so that what
the command line prints is seen; started from the Start menu there is no
console to attach to and nothing changes. Scripts and scheduled tasks use
``debtkeeper.com``, the console build, which the shell also waits for.
"""

import sys

if sys.platform == "win32" and sys.stdout is None:
    import ctypes

    ATTACH_PARENT_PROCESS = -1
    if ctypes.windll.kernel32.AttachConsole(ATTACH_PARENT_PROCESS):
        sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
        sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
        sys.stdin = open("CONIN$", encoding="utf-8", errors="replace")  # noqa: SIM115
