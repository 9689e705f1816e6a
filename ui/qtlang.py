"""Qt's own texts (standard buttons such as Save, Cancel, Yes, No; the date picker; the file dialog) in the
chosen language.

Qt's catalog (``qtbase_<lang>.qm``, shipped with PySide6) covers almost all of them; the few it leaves in
English (two labels of the file dialog) are translated from our own catalogs, so that the Chinese window
shows no English.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from resources.i18n import N_, _

# (Qt's translation context, Qt's English text) that qtbase's Chinese catalog leaves untranslated.
QT_GAPS = {
    ("QFileDialog", N_("&Look in:")),
    ("QFileDialog", N_("Files of &type:")),
}

_installed: list[QTranslator] = []
_language: dict[str, str] = {}  # the language Qt's texts were last set for


class QtGaps(QTranslator):
    """Qt's texts its own catalog misses, from ours; nothing else (Qt then asks its own catalog)."""

    def translate(
        self,
        context: str,
        source: str,
        disambiguation: str | None = None,  # noqa: D102
        n: int = -1,
    ) -> str | None:
        # None is Qt's null string: "not mine", so Qt asks its own catalog (an empty string would be taken).
        return _(source) if (context, source) in QT_GAPS else None

    def isEmpty(self) -> bool:  # noqa: N802 (Qt name)
        return False


def installed_language() -> str | None:
    """The language Qt's own texts were set for (None: not yet in this process)."""
    return _language.get("lang")


def install_qt_translations(lang: str) -> bool:
    """Load Qt's catalog for ``lang`` (English needs none); True when one was loaded."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _language["lang"] = lang
    QLocale.setDefault(QLocale(lang))
    if lang.startswith("en"):
        return False
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(f"qtbase_{lang}", folder):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    gaps = QtGaps(app)
    app.installTranslator(gaps)  # asked first; it answers only for the gaps
    _installed.append(gaps)
    return True
