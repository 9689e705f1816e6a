"""Plain files the program ships: fonts, rules, letter texts, translations.

Paths are resolved relative to this package, so they work from a source tree
and from an installed wheel alike.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
FONTS = RESOURCES / "fonts"
RULES = RESOURCES / "rules"
LETTERS = RESOURCES / "letters"
LOCALE = RESOURCES / "locale"

CJK_FONT = FONTS / "wqy-microhei.ttc"
CJK_FONT_FAMILY = "WenQuanYi Micro Hei"
