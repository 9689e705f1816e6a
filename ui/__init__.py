"""The desktop window (PySide6): pages, dialogs, item models, charts. No SQL, no money math.

Importing the package loads no Qt: the window's start reads its arguments, language and data file
before Qt is loaded (``ui.app``). ``ui.qtfix`` is imported by every module that makes Qt objects
first (``ui.app``, ``ui.context``, ``ui.main_window``), before any signal is emitted.
"""
