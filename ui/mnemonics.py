"""Keyboard mnemonics in labels (Alt+letter), as English and Chinese desktop programs write them.

Free of Qt, so the window's shell can label its menus before any widget module is loaded.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def with_mnemonic(text: str, letter: str) -> str:
    """``text`` with the keyboard mnemonic ``letter`` (Alt+letter).

    Where the text holds the letter (English), it is marked in place ("&Debt"); otherwise (Chinese)
    the letter follows in brackets, as Chinese desktop programs write it ("债务(&D)").
    """
    if "&" in text.replace("&&", ""):
        return text  # already has one
    index = text.lower().find(letter.lower())
    if index >= 0 and not _CJK.search(text):
        return text[:index] + "&" + text[index:]
    suffix = f"(&{letter.upper()})"
    if text.endswith("…"):
        return text[:-1] + suffix + "…"
    if text.endswith(("：", ":")):
        return text[:-1] + suffix + text[-1]
    return text + suffix


def plain_text(text: str) -> str:
    """A label's text as a screen reader should say it: no mnemonic marks."""
    return re.sub(r"\(&\w\)", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&")
