"""Qt's own texts (standard buttons such as Save, Cancel, Yes, No; the date picker) in the chosen language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

_installed: list[QTranslator] = []


def install_qt_translations(lang: str) -> bool:
    """Load Qt's catalog for ``lang`` (English needs none); True when one was loaded."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale(lang))
    if lang.startswith("en"):
        return False
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(f"qtbase_{lang}", folder):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
