"""Translation and locale formatting for every layer that shows text.

Messages are English msgids marked with ``_()`` (translate now) or ``N_()``
(translate where shown). Each part of the program keeps its own catalog under
``resources/locale/<lang>/LC_MESSAGES/<part>.po``; all catalogs of a language
are chained, so parts can be translated independently. A compiled ``.mo`` is
cached beside its ``.po`` (rebuilt when the ``.po`` is newer). A built program
(``make dist``) carries only the ``.mo`` files, compiled at build time, and never
writes into its own folder.

Amounts and dates go through Babel, after rounding money half-up ourselves
(Babel rounds half-even).
"""

from __future__ import annotations

import contextlib
import gettext
import io
import os
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

from resources import LOCALE

if TYPE_CHECKING:  # loaded when a figure is first written: the window's shell is labelled without them
    from datetime import date
    from decimal import Decimal
    from pathlib import Path

LANGUAGES = ("zh_CN", "en_US")
DEFAULT_LANGUAGE = "zh_CN"
_ALIASES = {
    "zh": "zh_CN",
    "zh_cn": "zh_CN",
    "zh-cn": "zh_CN",
    "zh_hans": "zh_CN",
    "zh-hans": "zh_CN",
    "en": "en_US",
    "en_us": "en_US",
    "en-us": "en_US",
}

_translations: dict[str, gettext.NullTranslations] = {}
_current = DEFAULT_LANGUAGE


class LanguageError(ValueError):
    """A language the program does not have."""


def normalize_language(lang: str) -> str:
    """'zh', 'zh-CN', 'zh_CN' -> 'zh_CN'; 'en', 'en_US' -> 'en_US'; else LanguageError."""
    key = lang.strip().replace(".utf8", "").replace(".UTF-8", "").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise LanguageError(lang)


def system_language() -> str:
    """The language to start in when none is chosen (``--lang`` wins over all of this).

    DEBTKEEPER_LANG when set; else the system locale as POSIX reads it: the first of LC_ALL,
    LC_MESSAGES and LANG that is set decides, and C or POSIX (C.UTF-8 too) means English; when none
    is set (Windows, a macOS program started from the Dock), the locale Python reports. A Chinese
    locale (zh_*, "Chinese ...") gives zh_CN, any other en_US; no locale at all gives zh_CN.
    """
    for variable in ("DEBTKEEPER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return _language_of(value)
    import locale

    found = locale.getlocale()[0]
    return _language_of(found) if found else DEFAULT_LANGUAGE


def _language_of(locale_name: str) -> str:
    return "zh_CN" if locale_name.strip().lower().startswith(("zh", "chinese")) else "en_US"


def compile_po(po_path: Path) -> bytes:
    """The .mo bytes of a .po catalog (here at run time, and by ``make dist`` at build time)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _compile(po_path: Path) -> gettext.GNUTranslations:
    mo_path = po_path.with_suffix(".mo")
    try:
        if not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            with mo_path.open("rb") as fh:
                return gettext.GNUTranslations(fh)
    except OSError:
        pass
    data = compile_po(po_path)
    if not getattr(sys, "frozen", False):  # a built program never writes into its own folder
        from fileio.atomic import atomic_write_bytes

        with contextlib.suppress(OSError):  # a read-only install: keep the catalog in memory only
            atomic_write_bytes(mo_path, data)
    return gettext.GNUTranslations(io.BytesIO(data))


def translations(lang: str) -> gettext.NullTranslations:
    """All catalogs of a language, chained."""
    lang = normalize_language(lang)
    if lang in _translations:
        return _translations[lang]
    chain: gettext.NullTranslations = gettext.NullTranslations()
    folder = LOCALE / lang / "LC_MESSAGES"
    # Each part by its name; a built program has the compiled .mo without its .po.
    parts = sorted({p.with_suffix(".po") for p in folder.glob("*.[pm]o")}) if folder.is_dir() else []
    if parts:
        chain = _compile(parts[0])
        for po in parts[1:]:
            chain.add_fallback(_compile(po))
    _translations[lang] = chain
    return chain


def set_language(lang: str) -> str:
    """Switch the language of everything shown from now on; returns the normalized code."""
    global _current  # noqa: PLW0603 - the one process-wide language, by design
    _current = normalize_language(lang)
    translations(_current)
    return _current


def get_language() -> str:
    return _current


def _(message: str) -> str:
    """Translate a message into the current language."""
    return translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark for translation; translated later, where shown."""
    return message


def tr(message: str, lang: str | None = None, **params: object) -> str:
    """Translate into ``lang`` (default: current) and fill ``{placeholders}``."""
    text = translations(lang or _current).gettext(message)
    return text.format(**params) if params else text


def babel_locale(lang: str | None = None) -> Any:
    """Babel's ``Locale`` for ``lang`` (default: current), made once: Babel parses a name given as text
    on every call, which costs more than the formatting itself."""
    return _babel_locale(normalize_language(lang or _current))


@cache
def _babel_locale(name: str) -> Any:
    from babel import Locale

    return Locale.parse(name)


def format_money(amount: Decimal, lang: str | None = None, currency: str = "CNY") -> str:
    """¥12,345.68 (zh_CN) / CN¥12,345.68 (en_US); rounded half-up to the fen first."""
    from babel.numbers import format_currency

    from domain.money import round_fen

    return format_currency(round_fen(amount), currency, locale=babel_locale(lang))


def format_number(value: Decimal, lang: str | None = None, places: int = 2) -> str:
    from decimal import ROUND_HALF_UP, Decimal

    from babel.numbers import format_decimal

    quant = Decimal(1).scaleb(-places)

    fmt = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(
        value.quantize(quant, rounding=ROUND_HALF_UP), format=fmt, locale=babel_locale(lang)
    )


def format_percent(value: Decimal, lang: str | None = None, places: int = 2) -> str:
    """A rate already in percent (e.g. Decimal('18')) -> '18.00%'."""
    return format_number(value, lang, places) + "%"


def format_date(value: date, lang: str | None = None, fmt: str = "medium") -> str:
    """2026年11月23日 (zh_CN) / Nov 23, 2026 (en_US)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=fmt, locale=babel_locale(lang))
