"""The pages of the main window, each a QWidget built as ``Page(context, parent=None)``."""
