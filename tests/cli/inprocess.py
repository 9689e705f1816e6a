"""The command line run inside the test process: ``cli.main`` with its own standard streams.

What a test sees is what a process would give: the exit code, standard output and standard error
as text (UTF-8, as the command line writes them), and bytes written to ``sys.stdout.buffer``.
Environment variables given for the run are set for it and put back after it. The few tests that
need a real process (start-up, signals, the terminal) start one and are marked ``slow``.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence

import cli


def run_cli(
    argv: Sequence[str],
    *,
    stdin: str | bytes | None = None,
    env: Mapping[str, str] | None = None,
    unset: Iterable[str] = (),
) -> subprocess.CompletedProcess[str]:
    """``debtkeeper *argv`` in-process, as ``subprocess.run(..., capture_output=True, text=True)``;
    ``env`` set and ``unset`` removed from the environment for the run."""
    saved_env = dict(os.environ)
    saved = sys.stdin, sys.stdout, sys.stderr
    data = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    try:
        for name in unset:
            os.environ.pop(name, None)
        os.environ.update(env or {})
        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
        sys.stdout, sys.stderr = out, err
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        out.flush()
        err.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        os.environ.clear()
        os.environ.update(saved_env)
    text = out.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]
    error = err.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]
    return subprocess.CompletedProcess(list(argv), code, text, error)
