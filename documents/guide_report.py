""" "Print my situation": the guide on paper, for a family member or a legal-aid lawyer.

Built from a ``GuideReport`` of plain, already translated values (services.guide fills it):
the situation, each question with its answer, how sure it is and its sources, and the steps
with a box to tick. A4, the embedded CJK font (documents.pdf).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from resources.i18n import format_date, tr


@dataclass(frozen=True, slots=True)
class GuideAnswer:
    question: str
    certainty: str  # the label in the report's language
    text: str  # paragraphs separated by "\n"
    refs: tuple[int, ...]  # numbers of its sources in ``GuideReport.sources`` (from 1)


@dataclass(frozen=True, slots=True)
class GuideStepLine:
    order: int
    when: str
    action: str
    why: str
    refs: tuple[int, ...]
    done: bool


@dataclass(frozen=True, slots=True)
class GuideReport:
    lang: str
    as_of: date
    situation: str
    answers: tuple[GuideAnswer, ...]
    steps: tuple[GuideStepLine, ...]
    sources: tuple[str, ...]  # each cited document once, numbered from 1 in this order


def refs_text(refs: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in refs)


def guide_flowables(report: GuideReport) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

    from documents.pdf import frame_width, make_styles, paragraph

    lang = report.lang
    st = make_styles(lang)
    width = frame_width()
    plain = st.body.clone("guide_body", firstLineIndent=0)
    question = st.heading.clone("guide_question", fontSize=11, spaceBefore=6)
    story: list[Any] = [
        paragraph(tr("My debts: my situation and what to do", lang), st.title),
        paragraph(tr("As of {date}", lang, date=format_date(report.as_of, lang)), st.center),
        paragraph(tr("My situation", lang), st.heading),
        paragraph(report.situation, plain),
        paragraph(tr("Questions and answers", lang), st.heading),
    ]
    for answer in report.answers:
        block = [
            paragraph(answer.question, question),
            paragraph(tr("How sure: {certainty}", lang, certainty=answer.certainty), st.small),
        ]
        block += [paragraph(text, plain) for text in answer.text.split("\n") if text]
        block.append(paragraph(tr("Sources: {sources}", lang, sources=refs_text(answer.refs)), st.small))
        story.append(KeepTogether(block))
    story.append(CondPageBreak(60 * mm))
    story.append(paragraph(tr("What to do next", lang), st.heading))
    from documents.pdf import data_table

    rows = [
        ("✔" if s.done else "□", str(s.order), s.when, f"{s.action}\n{s.why}", refs_text(s.refs))
        for s in report.steps
    ]
    header = ("", "#", tr("When", lang), tr("What to do, and why", lang), tr("Source", lang))
    story.append(
        data_table(
            header, rows, st, width, align=("L", "R", "L", "L", "L"), fractions=(0.5, 0.5, 1.4, 7, 1.4)
        )
    )
    story.append(Spacer(1, 3 * mm))
    story.append(
        paragraph(
            tr(
                "Law: a statute, judicial interpretation or regulation says it. Typical: practice or an industry "
                "guideline, commonly so but not certain. Depends: the lender's or a court's choice. Your contract "
                "and the papers you receive come first.",
                lang,
            ),
            st.small,
        )
    )
    story.append(paragraph(tr("Sources", lang), st.heading))
    story += [paragraph(f"[{n}] {text}", st.small) for n, text in enumerate(report.sources, start=1)]
    return story


def render_guide(report: GuideReport, out: Path | BinaryIO | None = None) -> bytes | None:
    """Lay the guide out; write it to ``out`` (whole or not at all, 0600) or return the bytes."""
    from documents.pdf import build_pdf

    title = tr("My debts: my situation and what to do", report.lang)
    return build_pdf(guide_flowables(report), out, lang=report.lang, title=title, footer_left=title)
