"""The desktop window (PySide6): pages, dialogs, item models, charts. No SQL, no money math.

Importing the package loads no Qt: the window's start reads its arguments, language and data file
before Qt is loaded (``ui.app``). ``ui.qtfix`` is imported once the person can act
(``ui.app.settle_in``), and by the tests before any window is made.
"""
