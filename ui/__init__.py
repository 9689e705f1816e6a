"""The desktop window (PySide6): pages, dialogs, item models, charts. No SQL, no money math."""

from ui import qtfix as _qtfix  # noqa: F401  (guards every signal emit made from Python)
