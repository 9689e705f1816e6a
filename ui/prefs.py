"""The window's own preferences (language, last page), kept outside the database.

They are read before the database opens, so the first frame already shows the
right language. Stored as a small JSON file in the per-user config folder
(``DEBTKEEPER_CONFIG_DIR`` overrides it, e.g. in tests).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def _path() -> Path:
    folder = os.environ.get("DEBTKEEPER_CONFIG_DIR")
    if not folder:
        from platformdirs import user_config_dir

        folder = user_config_dir("DebtKeeper", appauthor=False)
    return Path(folder) / "window.json"


def load() -> dict[str, Any]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(**values: Any) -> None:
    data = load()
    data.update(values)
    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        from fileio.atomic import atomic_write_text  # loaded when something is saved

        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1))
    except OSError:
        pass  # a read-only home: the preference lasts for this run only
