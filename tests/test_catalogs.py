"""Catalogs are chained: a message shared by two parts must read the same in both."""

from __future__ import annotations

from collections import defaultdict

from babel.messages.pofile import read_po

from resources import LOCALE


def test_a_message_has_one_translation_across_catalogs():
    translations: dict[str, dict[str, str]] = defaultdict(dict)
    for po in sorted((LOCALE / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if not message.id:
                    continue
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                msgstr = message.string if isinstance(message.string, str) else message.string[0]
                translations[msgid][po.stem] = msgstr
    clashes = {m: t for m, t in translations.items() if len(set(t.values())) > 1}
    assert clashes == {}


def test_every_part_has_both_languages():
    zh = {p.name for p in (LOCALE / "zh_CN" / "LC_MESSAGES").glob("*.po")}
    en = {p.name for p in (LOCALE / "en_US" / "LC_MESSAGES").glob("*.po")}
    assert zh == en and len(zh) >= 7
