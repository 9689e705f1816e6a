"""The guide: "What should I do?" — the person's situation, their questions answered for their own
debts (each marked law / typical / depends, with its sources), and the next steps to tick.

Everything shown comes from services.guide; this page only lays it out. ``open_guide`` is how
the other pages open it (ui.guide_link), for all debts or for one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import _, get_language, tr
from services import guide as guide_service
from services.overview import debt_rows
from ui.context import Changed
from ui.guide_link import WHAT_TO_DO
from ui.pages.base import Page, note_label, strong, title_label

if TYPE_CHECKING:
    from domain.guide import Answer, Guide, GuideStep
    from ui.context import AppContext

BADGE_STYLE = {
    "law": "background:#dcefe3; color:#1d5c36;",
    "typical": "background:#f6ecc9; color:#6b5200;",
    "depends": "background:#e8e0f5; color:#4b2f86;",
}


def _clear(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())


def _scroll(inner: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area


class GuidePage(Page):
    #: the changes that concern this page
    listens_to: ClassVar[Changed] = Changed.ALL

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.guide: Guide | None = None
        self.step_boxes: dict[str, QCheckBox] = {}
        self.answer_labels: list[QLabel] = []
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = title_label(self)
        self.debt = QComboBox(self)
        self.debt.setObjectName("guideDebt")
        self.debt.setMinimumWidth(280)
        self.debt_label = QLabel(self)
        self.debt_label.setBuddy(self.debt)
        self.print_button = QPushButton(self)
        self.print_button.setObjectName("guidePrint")
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.debt_label)
        top.addWidget(self.debt)
        top.addWidget(self.print_button)
        outer.addLayout(top)

        self.situation_heading = strong(QLabel(self), 1.1)
        self.situation = note_label(self)
        self.situation.setObjectName("guideSituation")
        outer.addWidget(self.situation_heading)
        outer.addWidget(self.situation)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.answers_box = QWidget(split)
        self.answers_layout = QVBoxLayout(self.answers_box)
        self.answers_heading = strong(QLabel(self.answers_box), 1.1)
        self.answers_list = QVBoxLayout()
        self.answers_layout.addWidget(self.answers_heading)
        self.answers_layout.addLayout(self.answers_list)
        self.answers_layout.addStretch(1)
        self.steps_box = QWidget(split)
        self.steps_layout = QVBoxLayout(self.steps_box)
        self.steps_heading = strong(QLabel(self.steps_box), 1.1)
        self.steps_list = QGridLayout()
        self.steps_list.setColumnStretch(1, 1)
        self.steps_layout.addWidget(self.steps_heading)
        self.steps_layout.addLayout(self.steps_list)
        self.legend = note_label(self.steps_box)
        self.steps_layout.addWidget(self.legend)
        self.steps_layout.addStretch(1)
        self.answers_scroll = _scroll(self.answers_box, split)
        self.answers_scroll.setObjectName("guideAnswers")
        split.addWidget(self.answers_scroll)
        self.steps_scroll = _scroll(self.steps_box, split)
        self.steps_scroll.setObjectName("guideSteps")
        split.addWidget(self.steps_scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        self.status = QLabel(self)
        self.status.setObjectName("guideStatus")
        outer.addWidget(self.status)

        self.debt.currentIndexChanged.connect(lambda _i: self._load())
        self.print_button.clicked.connect(lambda _checked=False: self.print_situation())
        self.retranslate()

    # --- language and data -------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_(WHAT_TO_DO))
        self.debt_label.setText(_("&Show:"))
        self.print_button.setText(_("&Print my situation…"))
        self.print_button.setToolTip(
            _("The guide as a PDF in this language, for a family member or a legal-aid lawyer.")
        )
        self.situation_heading.setText(_("Your situation"))
        self.answers_heading.setText(_("Your questions, answered for your debts"))
        self.steps_heading.setText(_("What to do next"))
        self.answers_scroll.setAccessibleName(self.answers_heading.text())
        self.steps_scroll.setAccessibleName(self.steps_heading.text())
        self.legend.setText(
            _(
                "Law: a statute, judicial interpretation or regulation says it. Typical: "
                "practice or an industry guideline, commonly so but not certain. Depends: the "
                "lender's or a court's choice. Tick a step when it is done; it stays ticked."
            )
        )
        if self.debt.count():
            self.debt.setItemText(0, _("All my debts"))

    def refresh(self) -> None:
        super().refresh()
        current = self.debt.currentData()
        rows = [
            r
            for r in debt_rows(self.context.services, self.context.today(), include_archived=False)
            if r.is_open
        ]
        rows.sort(key=lambda r: (-r.days_overdue, r.debt.name))
        self.debt.blockSignals(True)
        self.debt.clear()
        self.debt.addItem(_("All my debts"), None)
        for r in rows:
            text = (
                r.debt.name
                if r.days_overdue <= 0
                else tr("{name} — {days} days overdue", name=r.debt.name, days=r.days_overdue)
            )
            self.debt.addItem(text, r.debt.id)
        index = self.debt.findData(current) if current is not None else 0
        self.debt.setCurrentIndex(max(index, 0))
        self.debt.blockSignals(False)
        self._load()

    def show_debt(self, debt_id: int | None) -> None:
        """Show the guide for one debt (None: every debt)."""
        if self._stale:
            self.refresh()
        index = self.debt.findData(debt_id) if debt_id is not None else 0
        self.debt.setCurrentIndex(max(index, 0))

    def debt_id(self) -> int | None:
        value = self.debt.currentData()
        return None if value is None else int(value)

    def _load(self) -> None:
        self.guide = guide_service.make_guide(self.context.services, self.context.today(), self.debt_id())
        self._show()

    # --- laying it out --------------------------------------------------------------------------
    def _show(self) -> None:
        guide = self.guide
        if guide is None:
            return
        lang = get_language()
        self.situation.setText("\n".join(guide_service.render_line(line, lang) for line in guide.situation))
        _clear(self.answers_list)
        self.answer_labels = []
        last_question = ""
        for n, answer in enumerate(guide.answers):
            question = guide_service.question_text(answer, lang)
            if question != last_question:
                heading = strong(QLabel(question, self.answers_box))
                heading.setWordWrap(True)
                heading.setObjectName(f"guideQuestion_{answer.topic}")
                self.answers_list.addSpacing(6)
                self.answers_list.addWidget(heading)
                last_question = question
            self.answers_list.addWidget(self._answer_widget(answer, n, lang))
        _clear(self.steps_list)
        self.step_boxes = {}
        for row, step in enumerate(guide.steps):
            self._add_step(row, step, lang)

    def _answer_widget(self, answer: Answer, n: int, lang: str) -> QWidget:
        box = QFrame(self.answers_box)
        box.setObjectName(f"guideAnswer_{answer.topic}_{n}")
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 2, 0, 6)
        badge = QLabel(guide_service.certainty_label(answer.certainty, lang), box)
        badge.setObjectName(f"badge_{answer.certainty}")
        badge.setStyleSheet(BADGE_STYLE[answer.certainty] + "border-radius:4px; padding:1px 6px;")
        badge.setToolTip(guide_service.certainty_help(answer.certainty, lang))
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = note_label(box)
        text.setText(guide_service.answer_text(answer, lang).replace("\n", "\n\n"))
        self.answer_labels.append(text)
        titles = [s.title_for(lang) for s in answer.sources]
        sources = _small(note_label(box))
        sources.setObjectName("guideSources")
        sources.setText(
            tr(
                "Sources: {sources}",
                lang,
                sources="；".join(titles) if lang == "zh_CN" else "; ".join(titles),
            )
        )
        sources.setToolTip("\n".join(guide_service.sources_of(answer.sources, lang)))
        grid.addWidget(badge, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(text, 0, 1)
        grid.addWidget(sources, 1, 1)
        grid.setColumnStretch(1, 1)
        return box

    def _add_step(self, row: int, step: GuideStep, lang: str) -> None:
        action = guide_service.render_line(step.action, lang)
        box = QCheckBox(f"{step.order}.", self.steps_box)
        box.setObjectName(f"guideStep_{step.key}")
        box.setChecked(step.done)
        box.setAccessibleName(action)
        box.toggled.connect(lambda on, key=step.key: self._tick(key, on))
        self.step_boxes[step.key] = box
        label = note_label(self.steps_box)
        when = guide_service.when_label(step.when, lang)
        why = guide_service.render_line(step.why, lang)
        titles = ("；" if lang == "zh_CN" else "; ").join(s.title_for(lang) for s in step.sources)
        source = tr("Sources: {sources}", lang, sources=titles)
        colon = "：" if lang == "zh_CN" else ": "
        label.setText(
            f"<b>{_esc(when)}{colon}{_esc(action)}</b><br/>{_esc(why)}"
            f"<br/><small style='color: gray'>{_esc(source)}</small>"
        )
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setToolTip(guide_service.step_source(step, lang))
        self.steps_list.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
        self.steps_list.addWidget(label, row, 1)

    def _tick(self, key: str, on: bool) -> None:
        guide_service.set_step_done(self.context.services, key, on)

    # --- "Print my situation" ------------------------------------------------------------------
    def _suggested_path(self) -> str:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = tr("my-situation-{date}.pdf", date=self.context.today().strftime("%Y%m%d"))
        return str(Path(folder) / name) if folder else name

    def print_situation(self, path: str | None = None) -> None:
        """Save the guide, as shown (the chosen debts, this language), as a PDF."""
        if not path:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Print my situation"), self._suggested_path(), _("PDF files (*.pdf)")
            )
            if not path:
                return
        self.write_pdf(Path(path))

    def write_pdf(self, target: Path) -> None:
        from documents.guide_report import render_guide
        from ui.ops import Op

        if self.guide is None:
            self._load()
        assert self.guide is not None
        report = guide_service.guide_report(self.guide, get_language())
        self.print_button.setEnabled(False)
        self.status.setText(_("Making the PDF…"))

        def done(_result: object) -> None:
            self.print_button.setEnabled(True)
            self.status.setText(tr("Saved {path}.", path=str(target)))

        def failed(_exc: BaseException) -> None:
            self.print_button.setEnabled(True)
            self.status.setText("")

        Op(
            self,
            self.context,
            lambda _services: render_guide(report, target),
            on_success=done,
            on_failure=failed,
            title=_("Print my situation"),
            progress=_("Making the PDF…"),
        ).run_in_background()


def _small(label: QLabel) -> QLabel:
    """Sources: smaller and grey, under the text they support."""
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 0.88)
    label.setFont(font)
    label.setStyleSheet("color: gray;")
    return label


def _esc(text: str) -> str:
    from html import escape

    return escape(text)
