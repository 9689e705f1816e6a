"""Plain files the program ships: fonts, rules, letter texts, translations, icons.

Paths are resolved relative to this package, so they work from a source tree,
an installed wheel and the built program alike (``make dist`` puts every file
at the same place relative to this package).
"""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
FONTS = RESOURCES / "fonts"
RULES = RESOURCES / "rules"
LETTERS = RESOURCES / "letters"
LOCALE = RESOURCES / "locale"
ICONS = RESOURCES / "icons"

APP_ID = "org.debtkeeper.DebtKeeper"  # the desktop entry, AppStream id and macOS bundle id

CJK_FONT = FONTS / "wqy-microhei.ttc"
CJK_FONT_FAMILY = "WenQuanYi Micro Hei"
