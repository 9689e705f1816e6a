"""The tree stays ruff-clean, and mypy-strict on domain/, storage/ and fileio/ (pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_the_core():
    result = _run("mypy", "--no-incremental", "domain", "storage", "fileio")
    assert result.returncode == 0, result.stdout + result.stderr
