"""A letter to a lender: its parts as plain values, its texts from resources/letters/, its PDF.

``compose_letter`` fills the translatable templates (one TOML per kind, zh_CN and
en_US side by side, ``{placeholders}``) from a ``LetterInput`` of plain values;
``letter_to_text``/``letter_from_text`` give the editable wording the window
shows; ``render_letter`` lays the letter out as an A4 PDF.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from resources import LETTERS
from resources.i18n import N_, format_date, format_money, format_percent, normalize_language, tr


class LetterKind(StrEnum):
    """The letters the program writes (each has its texts in resources/letters/<kind>.toml)."""

    NEGOTIATION = "negotiation"
    HARDSHIP = "hardship"
    PROPOSAL = "proposal"
    COMPLAINT = "complaint"
    STATEMENT = "statement"
    DISPUTE = "dispute"


LETTER_KINDS = tuple(kind.value for kind in LetterKind)
BLOCK_TYPES = ("paragraph", "heading", "bullets", "table", "notice", "page_break", "attachment")
PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")


class TemplateError(ValueError):
    """A letter template that is malformed or asks for a value nobody supplied."""


class UnfilledPlaceholder(TemplateError):
    """A letter that still holds text to fill in (【…】 or [...]): it is never rendered."""

    def __init__(self, found: str, lang: str | None = None) -> None:
        self.found = found
        super().__init__(
            tr(
                N_("The letter still holds text to fill in: {text}. Replace it with your own words first."),
                lang,
                text=found,
            )
        )


# Text left for the person to fill in: 【…】 in Chinese, [...] in English (a table's own
# "[[table N]]" line is the editor's marker, not text, and never reaches a block).
UNFILLED = re.compile(r"【[^】]*】|(?<!\[)\[(?!\[)[^\[\]\n]*\](?!\])")


@dataclass(frozen=True, slots=True)
class RateText:
    """A rate in percent, so templates format it as 18.00% rather than as money."""

    percent: Decimal


@dataclass(frozen=True, slots=True)
class Party:
    """Sender or recipient: a name and the lines under it (address, phone, masked ID)."""

    name: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...] = ()  # "L" or "R" per column
    widths: tuple[float, ...] = ()  # relative column widths


@dataclass(frozen=True, slots=True)
class Block:
    """One part of the body: a paragraph, heading, notice, bullet list, table or page break."""

    type: str
    text: str = ""
    items: tuple[str, ...] = ()
    table: Table | None = None


@dataclass(frozen=True, slots=True)
class Letter:
    kind: str
    lang: str
    title: str
    sender: Party
    recipient: Party
    place: str
    date: date
    references: tuple[tuple[str, str], ...]  # (label, value)
    notice: str  # on offers: what the letter is not (not an acknowledgement of the amounts), else ""
    salutation: str
    blocks: tuple[Block, ...]
    closing: tuple[str, ...]
    signature: tuple[str, ...]
    footer: str = ""
    attachment: tuple[Block, ...] = ()  # printed after the signature, on a new page


@dataclass(frozen=True, slots=True)
class LetterInput:
    """Everything a template may use, as plain values (formatted here for the language)."""

    kind: str
    lang: str
    as_of: date
    sender: Party
    recipient: Party
    place: str
    references: tuple[tuple[str, str], ...] = ()
    values: Mapping[str, object] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    lists: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    tables: Mapping[str, Table] = field(default_factory=dict)


# --- templates -------------------------------------------------------------------


@cache
def load_template(kind: str, folder: Path = LETTERS) -> dict[str, Any]:
    """The parsed TOML of a letter kind (or "common")."""
    path = folder / f"{kind}.toml"
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"{path.name}: {exc}") from exc


def format_value(value: object, lang: str) -> str:
    if isinstance(value, bool):
        raise TemplateError(f"a flag is not text: {value!r}")
    if isinstance(value, RateText):
        return format_percent(value.percent, lang)
    if isinstance(value, Decimal):
        return format_money(value, lang)
    if isinstance(value, date):
        return format_date(value, lang, "long")
    if isinstance(value, int | str):
        return str(value)
    raise TemplateError(f"cannot put {type(value).__name__} into a letter")


def fill(text: str, values: Mapping[str, str], where: str = "") -> str:
    def one(match: re.Match[str]) -> str:
        try:
            return values[match.group(1)]
        except KeyError as exc:
            raise TemplateError(f"{where}: no value for {{{match.group(1)}}}") from exc

    return PLACEHOLDER.sub(one, text)


def _applies(when: object, flags: frozenset[str]) -> bool:
    conditions = [when] if isinstance(when, str) else list(when or [])
    for cond in conditions:
        negate = cond.startswith("!")
        name = cond.lstrip("!")
        if (name in flags) == negate:
            return False
    return True


def _text(entry: Mapping[str, Any], lang: str, where: str) -> str:
    try:
        return str(entry[lang]).strip()
    except KeyError as exc:
        raise TemplateError(f"{where}: no {lang} text") from exc


def compose_letter(data: LetterInput) -> Letter:
    """Fill the kind's template for the language; blocks whose ``when`` flags fail are left out."""
    lang = normalize_language(data.lang)
    if data.kind not in LETTER_KINDS:
        raise TemplateError(f"unknown letter kind {data.kind!r}")
    common = load_template("common")
    template = load_template(data.kind)
    values = {k: format_value(v, lang) for k, v in data.values.items()}
    values.setdefault("date", format_date(data.as_of, lang, "long"))
    values.setdefault("name", data.sender.name)
    values.setdefault("recipient", data.recipient.name)
    values.setdefault("place", data.place)

    def text_of(entry: Mapping[str, Any], where: str) -> str:
        return fill(_text(entry, lang, where), values, where)

    blocks: list[Block] = []
    attachment: list[Block] = []
    target = blocks
    for i, entry in enumerate(template.get("block", [])):
        where = f"{data.kind}.block[{i}]"
        if not _applies(entry.get("when"), data.flags):
            continue
        kind = entry.get("type", "paragraph")
        if kind not in BLOCK_TYPES:
            raise TemplateError(f"{where}: unknown type {kind!r}")
        if kind == "attachment":
            target = attachment
        elif kind == "table":
            name = entry["table"]
            if name not in data.tables:
                raise TemplateError(f"{where}: no table {name!r}")
            target.append(Block("table", table=data.tables[name]))
        elif kind == "bullets":
            items = tuple(data.lists.get(entry["list"], ()))
            if items:
                target.append(Block("bullets", items=items))
        elif kind == "page_break":
            target.append(Block("page_break"))
        else:
            target.append(Block(kind, text=text_of(entry, where)))
    for i, entry in enumerate(common.get("ending", [])):
        if _applies(entry.get("when"), data.flags | {data.kind}):
            blocks.append(Block("paragraph", text=text_of(entry, f"common.ending[{i}]")))

    meta = template.get("meta", {})
    notice = text_of(common["offer_notice"], "common.offer_notice") if meta.get("offer") else ""
    title = text_of(template["title"], f"{data.kind}.title")
    for i, entry in enumerate(template.get("title_if", [])):
        if _applies(entry.get("when"), data.flags):
            title = text_of(entry, f"{data.kind}.title_if[{i}]")
            break
    # A named person is greeted by name, not as "Sir or Madam".
    named = "named" in data.flags
    salutation = common["salutation_named" if named else "salutation"]
    closing = common["closing_named" if named else "closing"]
    return Letter(
        kind=data.kind,
        lang=lang,
        title=title,
        sender=data.sender,
        recipient=data.recipient,
        place=data.place,
        date=data.as_of,
        references=data.references,
        notice=notice,
        salutation=text_of(salutation, "common.salutation"),
        blocks=tuple(blocks),
        closing=tuple(text_of(closing, "common.closing").splitlines()),
        signature=tuple(text_of(common["signature"], "common.signature").splitlines()),
        footer=" · ".join(v for _k, v in data.references[-1:]),
        attachment=tuple(attachment),
    )


def template_placeholders(kind: str, lang: str) -> set[str]:
    """Every placeholder a kind's template uses in a language."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == lang and isinstance(value, str):
                    found.update(PLACEHOLDER.findall(value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(load_template(kind))
    return found


# --- the editable wording ----------------------------------------------------------
# The window shows the letter as plain text: "# " starts the title, "## " a heading,
# "> " a notice, "- " a bullet, "[[table N]]" keeps a table in place, "---" breaks
# the page; blank lines separate blocks. After the closing lines, "=== " starts an
# attachment, printed after the signature on its own page.

TABLE_MARK = re.compile(r"^\[\[(?:table|表格)\s*(\d+)\]\]$")
ATTACHMENT_MARK = "==="


def _blocks_to_text(blocks: tuple[Block, ...], first_table: int) -> tuple[list[str], int]:
    parts: list[str] = []
    table_no = first_table
    for block in blocks:
        if block.type == "table":
            table_no += 1
            parts.append(f"[[table {table_no}]]")
        elif block.type == "heading":
            parts.append(f"## {block.text}")
        elif block.type == "bullets":
            parts.append("\n".join(f"- {item}" for item in block.items))
        elif block.type == "page_break":
            parts.append("---")
        elif block.type == "notice":
            parts.append(f"> {block.text}")
        else:
            parts.append(block.text)
    return parts, table_no


def letter_to_text(letter: Letter) -> str:
    parts = [f"# {letter.title}"]
    if letter.salutation:
        parts.append(letter.salutation)
    body, tables = _blocks_to_text(letter.blocks, 0)
    parts += body
    parts.append("\n".join(letter.closing))
    if letter.attachment:
        parts.append(ATTACHMENT_MARK)
        parts += _blocks_to_text(letter.attachment, tables)[0]
    return "\n\n".join(parts) + "\n"


def _text_to_blocks(chunks: list[str], tables: list[Table | None]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for chunk in chunks:
        stripped = chunk.strip()
        mark = TABLE_MARK.match(stripped)
        lines = stripped.splitlines()
        if mark:
            index = int(mark.group(1)) - 1
            if 0 <= index < len(tables):
                blocks.append(Block("table", table=tables[index]))
        elif stripped.startswith("## "):
            blocks.append(Block("heading", text=stripped[3:].strip()))
        elif stripped.startswith("> "):
            blocks.append(Block("notice", text=stripped[2:].strip()))
        elif stripped == "---":
            blocks.append(Block("page_break"))
        elif all(line.startswith("- ") for line in lines):
            blocks.append(Block("bullets", items=tuple(line[2:].strip() for line in lines)))
        else:
            blocks.append(Block("paragraph", text=stripped))
    return tuple(blocks)


def letter_from_text(letter: Letter, text: str) -> Letter:
    """The letter with its title, salutation, body, closing and attachment taken from edited text.

    Tables cannot be edited as text: a ``[[table N]]`` line puts the letter's N-th
    table there; a deleted marker drops that table.
    """
    tables = [b.table for b in letter.blocks + letter.attachment if b.type == "table"]
    chunks = [c.strip("\n") for c in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    chunks = [c for c in chunks if c.strip()]
    title = letter.title
    if chunks and chunks[0].startswith("# "):
        title = chunks.pop(0)[2:].strip()
    attachment_chunks: list[str] = []
    if ATTACHMENT_MARK in [c.strip() for c in chunks]:
        at = [c.strip() for c in chunks].index(ATTACHMENT_MARK)
        chunks, attachment_chunks = chunks[:at], chunks[at + 1 :]
    closing: tuple[str, ...] = ()
    if chunks and chunks[-1].strip().splitlines() == list(letter.closing):
        closing = letter.closing
        chunks.pop()
    salutation = ""
    if chunks and chunks[0].strip() == letter.salutation:
        salutation = chunks.pop(0).strip()
    return replace(
        letter,
        title=title,
        salutation=salutation,
        blocks=_text_to_blocks(chunks, tables),
        closing=closing,
        attachment=_text_to_blocks(attachment_chunks, tables),
    )


# --- HTML, for printing where the PDF cannot be rasterised ---------------------------


def letter_to_html(letter: Letter) -> str:
    """The letter as simple HTML (same wording and tables as the PDF) for a print dialog."""
    zh = letter.lang.startswith("zh")

    def esc(text: str) -> str:
        return escape(text).replace("\n", "<br/>")

    def blocks_html(blocks: tuple[Block, ...]) -> list[str]:
        out: list[str] = []
        for b in blocks:
            if b.type == "heading":
                out.append(f"<h3>{esc(b.text)}</h3>")
            elif b.type == "notice":
                out.append(f"<p align='center'><b>{esc(b.text)}</b></p>")
            elif b.type == "bullets":
                out.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in b.items) + "</ul>")
            elif b.type == "table" and b.table is not None:
                head = "".join(f"<th align='left'>{esc(h)}</th>" for h in b.table.header)
                rows = "".join(
                    "<tr>"
                    + "".join(
                        f"<td align='{'right' if (b.table.align[i : i + 1] or ('L',))[0] == 'R' else 'left'}'>"
                        f"{esc(v)}</td>"
                        for i, v in enumerate(row)
                    )
                    + "</tr>"
                    for row in b.table.rows
                )
                out.append(
                    f"<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
                    f"<tr>{head}</tr>{rows}</table>"
                )
            elif b.type == "page_break":
                out.append("<p style='page-break-after: always'></p>")
            else:
                out.append(f"<p>{esc(b.text)}</p>")
        return out

    sender = "<br/>".join(esc(x) for x in (letter.sender.name, *letter.sender.lines) if x)
    recipient = "<br/>".join(esc(x) for x in (letter.recipient.name, *letter.recipient.lines) if x)
    when = format_date(letter.date, letter.lang, "long")
    place = f"{letter.place}{'，' if zh else ', '}{when}" if letter.place else when
    parts = [
        f"<table width='100%'><tr><td>{recipient}</td><td align='right'>{sender}</td></tr></table>",
        f"<p align='right'>{esc(place)}</p>",
    ]
    parts += [
        f"<p><small>{esc(label)}{'：' if zh else ': '}{esc(value)}</small></p>"
        for label, value in letter.references
    ]
    if letter.notice:
        parts.append(f"<p align='center'><b>{esc(letter.notice)}</b></p>")
    parts.append(f"<h2 align='center'>{esc(letter.title)}</h2>")
    if letter.salutation:
        parts.append(f"<p>{esc(letter.salutation)}</p>")
    parts += blocks_html(letter.blocks)
    parts.append("<p>" + "<br/>".join(esc(x) for x in letter.closing) + "</p>")
    parts.append(
        f"<p align='{'right' if zh else 'left'}'>" + "<br/>".join(esc(x) for x in letter.signature) + "</p>"
    )
    if letter.attachment:
        parts.append("<p style='page-break-after: always'></p>")
        parts += blocks_html(letter.attachment)
    return "<html><body>" + "".join(parts) + "</body></html>"


# --- the PDF -------------------------------------------------------------------------


def mask_id_number(id_number: str) -> str:
    """110101199001011234 -> 110***********1234: enough to identify, little to steal."""
    digits = id_number.strip().replace(" ", "")
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_account(account: str, lang: str = "zh_CN") -> str:
    """A card or account number down to its last four digits; short references stay as they are."""
    compact = account.replace(" ", "").replace("-", "")
    if len(compact) >= 12 and compact.isdigit():
        return tr("ending {digits}", lang, digits=compact[-4:])
    return account


def letter_flowables(letter: Letter) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, ListFlowable, ListItem, PageBreak, Spacer
    from reportlab.platypus import Table as RLTable

    from documents.pdf import data_table, frame_width, is_chinese, make_styles, paragraph

    st = make_styles(letter.lang)
    width = frame_width()
    zh = is_chinese(letter.lang)
    story: list[Any] = []

    def party(p: Party, align_right: bool) -> list[Any]:
        style = st.right if align_right else st.right.clone("left", alignment=0)
        out = [paragraph(p.name, style)]
        out += [paragraph(line, style) for line in p.lines if line]
        return out

    header = RLTable(
        [[party(letter.recipient, False), party(letter.sender, True)]], colWidths=[width * 0.5, width * 0.5]
    )
    header.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), st.body.fontName),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    story.append(header)
    story.append(Spacer(1, 4 * mm))
    place_date = (
        f"{letter.place}，{format_date(letter.date, letter.lang, 'long')}"
        if zh
        else f"{letter.place}, {format_date(letter.date, letter.lang, 'long')}"
    )
    if not letter.place:
        place_date = format_date(letter.date, letter.lang, "long")
    story.append(paragraph(place_date, st.right))
    for label, value in letter.references:
        story.append(paragraph(f"{label}{'：' if zh else ': '}{value}", st.small))
    story.append(Spacer(1, 3 * mm))
    if letter.notice:
        story.append(paragraph(letter.notice, st.notice))
    story.append(paragraph(letter.title, st.title))
    if letter.salutation:
        salutation_style = st.cell.clone(
            "salutation", fontSize=st.body.fontSize, leading=st.body.leading, spaceAfter=6
        )
        story.append(paragraph(letter.salutation, salutation_style))

    def _body(blocks: tuple[Block, ...]) -> list[Any]:
        out: list[Any] = []
        for block in blocks:
            if block.type == "heading":
                out.append(paragraph(block.text, st.heading))
            elif block.type == "notice":
                out.append(paragraph(block.text, st.notice))
            elif block.type == "bullets":
                out.append(
                    ListFlowable(
                        [ListItem(paragraph(i, bullet_style), value="•") for i in block.items],
                        bulletType="bullet",
                        bulletFontName=st.body.fontName,
                        leftIndent=14,
                        bulletFontSize=9,
                    )
                )
                out.append(Spacer(1, 2 * mm))
            elif block.type == "table" and block.table is not None:
                t = block.table
                out.append(
                    data_table(t.header, t.rows, st, width, align=t.align or None, fractions=t.widths or None)
                )
                out.append(Spacer(1, 3 * mm))
            elif block.type == "page_break":
                out.append(PageBreak())
            else:
                out.append(paragraph(block.text, st.body))
        return out

    bullet_style = st.cell.clone("bullet", fontSize=st.body.fontSize, leading=st.body.leading)
    body = _body(letter.blocks)
    story += body[:-1]
    # The last paragraph goes with the closing and signature, so a signature never stands alone on a page.
    ending: list[Any] = [*body[-1:], Spacer(1, 3 * mm)]
    for i, line in enumerate(letter.closing):
        style = (
            st.body
            if (zh and i == 0)
            else st.cell.clone("closing", fontSize=st.body.fontSize, leading=st.body.leading)
        )
        ending.append(paragraph(line, style))
    ending.append(Spacer(1, 6 * mm))
    for line in letter.signature:
        ending.append(
            paragraph(
                line,
                st.right
                if zh
                else st.cell.clone("sig", fontSize=st.body.fontSize, leading=st.body.leading + 4),
            )
        )
    story.append(KeepTogether(ending))
    if letter.attachment:
        story.append(PageBreak())
        story += _body(letter.attachment)
    return story


def letter_texts(letter: Letter) -> list[str]:
    """Every text the letter prints: parties, references, notice, title, body, tables, ending."""
    texts = [
        letter.title,
        letter.notice,
        letter.salutation,
        letter.place,
        letter.footer,
        letter.sender.name,
        letter.recipient.name,
        *letter.sender.lines,
        *letter.recipient.lines,
        *(x for pair in letter.references for x in pair),
        *letter.closing,
        *letter.signature,
    ]
    for block in (*letter.blocks, *letter.attachment):
        texts += [block.text, *block.items]
        if block.table is not None:
            texts += [*block.table.header, *(cell for row in block.table.rows for cell in row)]
    return texts


def check_filled(letter: Letter) -> None:
    """Refuse (``UnfilledPlaceholder``) a letter that still holds text to fill in."""
    for text in letter_texts(letter):
        found = UNFILLED.search(text)
        if found:
            raise UnfilledPlaceholder(found.group(0))  # told in the window's language


def render_letter(letter: Letter, out: Path | BinaryIO | None = None) -> bytes | None:
    """The letter as an A4 PDF, written to ``out`` (path or binary file) or returned as bytes.

    A letter that still holds text to fill in (【…】) is refused before anything is written.
    """
    from documents.pdf import build_pdf

    check_filled(letter)

    return build_pdf(
        letter_flowables(letter),
        out,
        lang=letter.lang,
        title=letter.title,
        author=letter.sender.name,
        footer_left=letter.footer,
    )
