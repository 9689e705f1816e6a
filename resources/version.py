"""The program's version, from one place: ``version`` in pyproject.toml.

A source tree reads pyproject.toml itself (so a checkout never reports the version
of some other installed copy); an installed copy reads what pip recorded from that
same file (``importlib.metadata``). A copy that has neither says so.
"""

from __future__ import annotations

import tomllib
from functools import cache

from resources import RESOURCES

DISTRIBUTION = "debtkeeper"
UNKNOWN = "0+unknown"


@cache
def program_version() -> str:
    """'X.Y.Z' as written in pyproject.toml."""
    pyproject = RESOURCES.parent / "pyproject.toml"
    try:
        with pyproject.open("rb") as fh:
            project = tomllib.load(fh).get("project", {})
        if project.get("name") == DISTRIBUTION and isinstance(project.get("version"), str):
            return str(project["version"])
    except (OSError, tomllib.TOMLDecodeError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return UNKNOWN
