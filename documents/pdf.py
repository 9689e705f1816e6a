"""The PDF page every document shares: A4, the embedded CJK font, styles, page numbers.

Only the shipped WenQuanYi Micro Hei is used, for Latin and Chinese text alike,
so every glyph is embedded and the PDF reads the same on a machine without any
Chinese font. ReportLab is imported on first use: documents are not on the
start-up path.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from fileio.atomic import atomic_file
from resources import CJK_FONT
from resources.i18n import tr

FONT = "WQYMicroHei"
# Full-width closing punctuation that must never start a line (kinsoku): ReportLab's
# own list lacks most of these, and a line starting with "，" looks broken.
CLOSING_PUNCTUATION = "，；：！？”’》〉。、）"
MARGIN_MM = 22

_lock = threading.Lock()
_state = {"ready": False}


def ensure_font() -> str:
    """Register the shipped CJK font and teach ReportLab the closing punctuation; idempotent."""
    with _lock:
        if _state["ready"]:
            return FONT
        from reportlab.lib import textsplit
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.platypus import paragraph

        pdfmetrics.registerFont(TTFont(FONT, str(CJK_FONT), subfontIndex=0))
        # Bold/italic markup maps to the same face: the font has no bold, and a
        # missing mapping would make ReportLab fall back to Helvetica (not embedded).
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
        extra = "".join(c for c in CLOSING_PUNCTUATION if c not in textsplit.ALL_CANNOT_START)
        textsplit.ALL_CANNOT_START += extra
        paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START
        # Charts start from this state; its Helvetica would be listed though never drawn.
        from reportlab.graphics import shapes

        shapes.STATE_DEFAULTS["fontName"] = FONT
        _state["ready"] = True
        return FONT


def is_chinese(lang: str) -> bool:
    return lang.startswith("zh")


def markup(text: str) -> str:
    """Plain text -> Paragraph markup: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def has_cjk(text: str) -> bool:
    return any(ord(c) >= 0x2E80 for c in text)


_cjk_styles: dict[int, Any] = {}


def paragraph(text: str, style: Any) -> Any:
    """A paragraph of plain text; Chinese inside an English letter still wraps by CJK rules,
    so no line starts with closing punctuation."""
    from reportlab.platypus import Paragraph

    if style.wordWrap != "CJK" and has_cjk(text):
        key = id(style)
        if key not in _cjk_styles:
            _cjk_styles[key] = style.clone(style.name + "_cjk", wordWrap="CJK")
        style = _cjk_styles[key]
    return Paragraph(markup(text), style)


@dataclass(frozen=True, slots=True)
class Styles:
    body: Any
    small: Any
    title: Any
    heading: Any
    right: Any
    center: Any
    cell: Any
    cell_right: Any
    cell_head: Any
    notice: Any


def make_styles(lang: str) -> Styles:
    """Paragraph styles for a language: CJK wrapping for Chinese, word wrapping for English."""
    ensure_font()
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    zh = is_chinese(lang)
    wrap = "CJK" if zh else None
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=10.5,
        leading=17 if zh else 15,
        wordWrap=wrap,
        alignment=TA_JUSTIFY if zh else TA_LEFT,
        spaceAfter=6,
        firstLineIndent=21 if zh else 0,
    )
    plain = ParagraphStyle("plain", parent=base, firstLineIndent=0, alignment=TA_LEFT)
    return Styles(
        body=base,
        small=ParagraphStyle("small", parent=plain, fontSize=8.5, leading=12, spaceAfter=0),
        title=ParagraphStyle(
            "title", parent=plain, fontSize=16, leading=22, alignment=TA_CENTER, spaceBefore=6, spaceAfter=10
        ),
        heading=ParagraphStyle("heading", parent=plain, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4),
        right=ParagraphStyle("right", parent=plain, alignment=TA_RIGHT, spaceAfter=0),
        center=ParagraphStyle("center", parent=plain, alignment=TA_CENTER),
        cell=ParagraphStyle("cell", parent=plain, fontSize=9, leading=12, spaceAfter=0),
        cell_right=ParagraphStyle(
            "cell_r", parent=plain, fontSize=9, leading=12, spaceAfter=0, alignment=TA_RIGHT
        ),
        cell_head=ParagraphStyle("cell_h", parent=plain, fontSize=9, leading=12, spaceAfter=0),
        notice=ParagraphStyle(
            "notice", parent=plain, fontSize=9.5, leading=14, alignment=TA_CENTER, spaceAfter=4
        ),
    )


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    styles: Styles,
    width: float,
    *,
    align: Sequence[str] | None = None,
    fractions: Sequence[float] | None = None,
    repeat_header: bool = True,
) -> Any:
    """A ruled table. align: "L"/"R" per column; relative column widths in ``fractions``.

    A cell that fits its column on one line stays a plain string (ten times cheaper
    to lay out than a paragraph: big reports have thousands of cells); longer text
    is a wrapped paragraph.
    """
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import LongTable, TableStyle

    n = len(header)
    align = list(align or ["L"] * n)
    fractions = list(fractions or [1 / n] * n)
    total = sum(fractions)
    widths = [width * f / total for f in fractions]
    size = styles.cell.fontSize
    padding = 12  # 6 pt either side, ReportLab's default cell padding

    def cell(text: str, col: int, head: bool = False) -> Any:
        if "\n" not in text and stringWidth(text, FONT, size) <= widths[col] - padding:
            return text
        style = styles.cell_head if head else (styles.cell_right if align[col] == "R" else styles.cell)
        return paragraph(text, style)

    data = [[cell(h, i, head=True) for i, h in enumerate(header)]]
    data += [[cell(str(v), i) for i, v in enumerate(row)] for row in rows]
    table = LongTable(data, colWidths=widths, repeatRows=1 if repeat_header else 0)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the cell default is Helvetica, which is not embedded
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), styles.cell.leading),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa3ad")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf2")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    commands += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, a in enumerate(align) if a == "R"]
    table.setStyle(TableStyle(commands))
    return table


def _numbered_canvas(lang: str, footer_left: str) -> Any:
    """A canvas class that draws "Page x of y" once the page count is known."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # The page's initial font must be ours too, or Helvetica (not embedded) is listed.
            kwargs["initialFontName"] = FONT
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            width, _height = self._pagesize
            margin = MARGIN_MM * 72 / 25.4
            self.saveState()
            self.setFont(FONT, 8)
            self.setFillGray(0.35)
            label = tr("Page {page} of {pages}", lang, page=self._pageNumber, pages=total)
            self.drawRightString(width - margin, 28, label)
            if footer_left:
                self.drawString(margin, 28, footer_left)
            self.restoreState()

    return NumberedCanvas


def build_pdf(
    flowables: Sequence[Any],
    out: Path | BinaryIO | None,
    *,
    lang: str,
    title: str,
    author: str = "",
    subject: str = "",
    footer_left: str = "",
) -> bytes | None:
    """Lay the flowables out on A4 with page numbers; write to ``out`` or return the bytes.

    A path is written whole or not at all, readable by its owner only (fileio.atomic).
    """
    ensure_font()
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    def build(target: BinaryIO) -> None:
        doc = SimpleDocTemplate(
            target,
            pagesize=A4,
            leftMargin=MARGIN_MM * mm,
            rightMargin=MARGIN_MM * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=title,
            author=author,
            subject=subject,
            creator="DebtKeeper",
            lang="zh-CN" if is_chinese(lang) else "en-US",
        )
        doc.build(list(flowables), canvasmaker=_numbered_canvas(lang, footer_left))

    if out is None:
        buffer = BytesIO()
        build(buffer)
        return buffer.getvalue()
    if isinstance(out, Path):
        with atomic_file(out) as fh:
            build(fh)
        return None
    build(out)
    return None


def frame_width() -> float:
    """The text width on an A4 page with this module's margins, in points."""
    return (210 - 2 * MARGIN_MM) * 72 / 25.4
