"""Every catalog keeps its placeholders; formatting follows the locale."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from babel.messages.pofile import read_po

from resources import LOCALE
from resources.i18n import format_date, format_money, normalize_language, tr

PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}")


def test_zh_catalogs_translate_everything_and_keep_placeholders():
    problems = []
    for po in sorted((LOCALE / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if not message.id:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            msgstr = message.string if isinstance(message.string, str) else message.string[0]
            if not msgstr:
                problems.append(f"{po.name}: untranslated {msgid!r}")
            elif set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(msgstr)):
                problems.append(f"{po.name}: placeholders differ in {msgid!r}")
    assert problems == []


def test_language_codes():
    assert normalize_language("zh") == "zh_CN"
    assert normalize_language("en-US") == "en_US"


def test_money_and_dates_by_locale():
    assert format_money(Decimal("12345.675"), "zh_CN") == "¥12,345.68"
    assert format_money(Decimal("12345.675"), "en_US") == "CN¥12,345.68"
    assert format_date(date(2026, 11, 23), "zh_CN") == "2026年11月23日"
    assert format_date(date(2026, 11, 23), "en_US") == "Nov 23, 2026"
    assert tr("DebtKeeper", "zh_CN") == "债管家"
