"""The repayment-plan report: summary, a table per debt, the monthly schedule, charts, assumptions.

Built from a ``PlanReport`` of plain values (the letter service fills it from the
engine's plans); charts are ReportLab graphics with the embedded font.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from resources.i18n import format_date, format_money, normalize_language, tr

PALETTE = ("#1f5f99", "#c0392b", "#2e8b57", "#d68910", "#7d3c98", "#17a2b8", "#5d6d7e")


@dataclass(frozen=True, slots=True)
class ReportDebt:
    id: int
    name: str
    lender: str
    balance: Decimal
    rate: str  # already formatted, e.g. "18.25% a year"
    payoff_date: date | None
    interest: Decimal


@dataclass(frozen=True, slots=True)
class PlanMonth:
    month: int
    date: date
    payments: tuple[tuple[int, Decimal], ...]  # (debt id, amount)
    remaining: Decimal
    balances: tuple[tuple[int, Decimal], ...] = ()  # (debt id, balance after), when the engine gives them


@dataclass(frozen=True, slots=True)
class PlanResult:
    strategy: str  # label in the report's language
    months: int
    payoff_date: date | None
    total_interest: Decimal
    total_paid: Decimal
    remaining: tuple[Decimal, ...]  # total left after each month


@dataclass(frozen=True, slots=True)
class PlanReport:
    lang: str
    as_of: date
    person: str
    budget: Decimal
    income: Decimal
    expenses: Decimal
    chosen: PlanResult
    debts: tuple[ReportDebt, ...]
    months: tuple[PlanMonth, ...]
    compared: tuple[PlanResult, ...]
    assumptions: tuple[tuple[str, str], ...]  # (text, source)
    unpaid_note: str = ""  # triage: which debts go unpaid and what it costs


def _line_chart(
    series: Sequence[tuple[str, Sequence[Decimal]]], lang: str, width: float, height: float, title: str
) -> Any:
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    from documents.pdf import FONT

    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=FONT, fontSize=10))
    plot = LinePlot()
    plot.x, plot.y = 52, 46
    plot.width, plot.height = width - 70, height - 90
    # Floats only for drawing coordinates: amounts stay Decimal everywhere else.
    plot.data = [[(i, float(v)) for i, v in enumerate(values)] or [(0, 0.0)] for _n, values in series]
    top = max((float(v) for _n, values in series for v in values), default=1.0) or 1.0
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.valueMax = top * 1.05
    plot.yValueAxis.labelTextFormat = lambda v: format_money(Decimal(int(v)), lang).split(".")[0]
    plot.xValueAxis.valueMin = 0
    plot.xValueAxis.valueMax = max((len(values) for _n, values in series), default=1) or 1
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = FONT
        axis.labels.fontSize = 7
    for i in range(len(series)):
        plot.lines[i].strokeColor = colors.HexColor(PALETTE[i % len(PALETTE)])
        plot.lines[i].strokeWidth = 1.6 if i == 0 else 1.1
    drawing.add(plot)
    drawing.add(
        String(
            plot.x + plot.width / 2,
            plot.y - 26,
            tr("Month", lang),
            fontName=FONT,
            fontSize=7,
            textAnchor="middle",
        )
    )
    legend = Legend()
    legend.x, legend.y = 52, 18
    legend.fontName = FONT
    legend.fontSize = 7
    rows = 1 if len(series) <= 4 else 2
    legend.columnMaximum = rows
    legend.dx = legend.dy = 7
    legend.deltay = 10
    legend.deltax = (width - 70) / max(-(-len(series) // rows), 1)
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colors.HexColor(PALETTE[i % len(PALETTE)]), name[:18]) for i, (name, _v) in enumerate(series)
    ]
    drawing.add(legend)
    return drawing


def _bar_chart(results: Sequence[PlanResult], lang: str, width: float, height: float, title: str) -> Any:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    from documents.pdf import FONT

    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=FONT, fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y = 110, 12
    chart.width, chart.height = width - 130, height - 34
    chart.data = [[float(r.total_interest) for r in results]]
    chart.categoryAxis.categoryNames = [r.strategy for r in results]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: format_money(Decimal(int(v)), lang).split(".")[0]
    chart.bars[0].fillColor = colors.HexColor(PALETTE[0])
    chart.barLabelFormat = lambda v: format_money(Decimal(str(v)), lang)
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def fast_formatters(lang: str) -> tuple[Any, Any]:
    """Money and medium-date formatters giving exactly resources.i18n's output, with the Babel locale
    parsed once: parsing it per call was most of the time of a 3,000-row report."""
    from babel import Locale
    from babel.dates import format_date as babel_date
    from babel.numbers import format_currency

    from domain.money import round_fen

    locale = Locale.parse(lang)

    def money(amount: Decimal) -> str:
        return format_currency(round_fen(amount), "CNY", locale=locale)

    def medium_date(day: date) -> str:
        return babel_date(day, format="medium", locale=locale)

    return money, medium_date


def plan_flowables(report: PlanReport) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, PageBreak, Spacer

    from documents.pdf import data_table, frame_width, make_styles, paragraph

    lang = normalize_language(report.lang)
    st = make_styles(lang)
    width = frame_width()
    money, short_date = fast_formatters(lang)
    day = lambda d: short_date(d) if d else tr("not paid off", lang)  # noqa: E731
    story: list[Any] = [
        paragraph(tr("Repayment plan", lang), st.title),
        paragraph(
            tr(
                "Prepared for {name} on {date}",
                lang,
                name=report.person,
                date=format_date(report.as_of, lang, "long"),
            ),
            st.center,
        ),
        Spacer(1, 4 * mm),
        paragraph(tr("Summary", lang), st.heading),
    ]
    chosen = report.chosen
    summary = [
        (tr("Strategy", lang), chosen.strategy),
        (tr("Monthly budget for debts", lang), money(report.budget)),
        (tr("Income / essential spending", lang), f"{money(report.income)} / {money(report.expenses)}"),
        (tr("Debt-free by", lang), day(chosen.payoff_date)),
        (tr("Months", lang), str(chosen.months)),
        (tr("Total interest and fees", lang), money(chosen.total_interest)),
        (tr("Total paid", lang), money(chosen.total_paid)),
    ]
    story.append(
        data_table(
            (tr("Item", lang), tr("Value", lang)),
            summary,
            st,
            width * 0.7,
            align=("L", "R"),
            fractions=(3, 2),
        )
    )
    if report.unpaid_note:
        story.append(Spacer(1, 2 * mm))
        story.append(paragraph(report.unpaid_note, st.body))
    story.append(Spacer(1, 3 * mm))
    story.append(
        data_table(
            (
                tr("Debt", lang),
                tr("Lender", lang),
                tr("Balance", lang),
                tr("Rate", lang),
                tr("Paid off", lang),
                tr("Interest and fees", lang),
            ),
            [
                (d.name, d.lender, money(d.balance), d.rate, day(d.payoff_date), money(d.interest))
                for d in report.debts
            ],
            st,
            width,
            align=("L", "L", "R", "R", "L", "R"),
            fractions=(2.1, 2.1, 2.0, 2.0, 2.0, 2.0),
        )
    )

    story.append(CondPageBreak(90 * mm))
    story.append(paragraph(tr("Charts", lang), st.heading))
    names = {d.id: d.name for d in report.debts}
    by_debt: dict[int, list[Decimal]] = {}
    for m in report.months:
        for debt_id, balance in m.balances:
            by_debt.setdefault(debt_id, []).append(balance)
    biggest = sorted(report.debts, key=lambda d: d.balance, reverse=True)[:5]
    start = sum((d.balance for d in report.debts), Decimal("0"))
    series: list[tuple[str, Sequence[Decimal]]] = [(tr("All debts", lang), (start, *chosen.remaining))]
    series += [(names[d.id], (d.balance, *by_debt[d.id])) for d in biggest if d.id in by_debt]
    story.append(_line_chart(series, lang, width, 62 * mm, tr("Balance over time", lang)))
    if report.compared:
        story.append(Spacer(1, 3 * mm))
        story.append(
            _line_chart(
                [(r.strategy, (start, *r.remaining)) for r in report.compared],
                lang,
                width,
                58 * mm,
                tr("Strategies compared: total left each month", lang),
            )
        )
        story.append(
            _bar_chart(
                report.compared,
                lang,
                width,
                16 * mm + 9 * mm * len(report.compared),
                tr("Strategies compared: interest and fees paid", lang),
            )
        )
        story.append(
            data_table(
                (
                    tr("Strategy", lang),
                    tr("Months", lang),
                    tr("Debt-free by", lang),
                    tr("Interest and fees", lang),
                    tr("Total paid", lang),
                ),
                [
                    (
                        r.strategy,
                        str(r.months),
                        day(r.payoff_date),
                        money(r.total_interest),
                        money(r.total_paid),
                    )
                    for r in report.compared
                ],
                st,
                width,
                align=("L", "R", "L", "R", "R"),
                fractions=(2.4, 1, 2, 2, 2),
            )
        )

    story.append(PageBreak())
    story.append(paragraph(tr("Month by month", lang), st.heading))
    story.append(
        data_table(
            (tr("Month", lang), tr("Date", lang), tr("Paid", lang), tr("Debts paid", lang), tr("Left", lang)),
            [
                (
                    str(m.month),
                    short_date(m.date),
                    money(sum((a for _i, a in m.payments), Decimal("0"))),
                    str(sum(1 for _i, a in m.payments if a > 0)),
                    money(m.remaining),
                )
                for m in report.months
            ],
            st,
            width,
            align=("R", "L", "R", "R", "R"),
            fractions=(1, 2.4, 2, 1.4, 2.2),
        )
    )

    story.append(paragraph(tr("Each debt", lang), st.heading))
    for d in report.debts:
        rows = []
        for m in report.months:
            paid = sum((a for i, a in m.payments if i == d.id), Decimal("0"))
            left = next((b for i, b in m.balances if i == d.id), None)
            if paid > 0 or (left is not None and left > 0):
                rows.append(
                    (str(m.month), short_date(m.date), money(paid), money(left) if left is not None else "—")
                )
        story.append(CondPageBreak(40 * mm))
        story.append(paragraph(f"{d.name} · {d.lender}", st.heading.clone("debt_head", fontSize=10.5)))
        if rows:
            story.append(
                data_table(
                    (tr("Month", lang), tr("Date", lang), tr("Paid", lang), tr("Balance after", lang)),
                    rows,
                    st,
                    width * 0.8,
                    align=("R", "L", "R", "R"),
                    fractions=(1, 2.4, 2, 2),
                )
            )
        else:
            story.append(paragraph(tr("No payment in this plan.", lang), st.body))

    story.append(CondPageBreak(50 * mm))
    story.append(paragraph(tr("Assumptions and sources", lang), st.heading))
    story.append(
        data_table(
            (tr("Assumption", lang), tr("Source", lang)),
            report.assumptions,
            st,
            width,
            align=("L", "L"),
            fractions=(3, 2),
            repeat_header=False,
        )
    )
    story.append(Spacer(1, 3 * mm))
    story.append(
        paragraph(
            tr(
                "Figures marked typical come from practice, not law: your contract's terms win. Check each "
                "statement against this plan and recompute when anything changes.",
                lang,
            ),
            st.small,
        )
    )
    return story


def render_plan_report(report: PlanReport, out: Path | BinaryIO | None = None) -> bytes | None:
    from documents.pdf import build_pdf

    return build_pdf(
        plan_flowables(report),
        out,
        lang=report.lang,
        title=tr("Repayment plan", report.lang),
        author=report.person,
        footer_left=tr("Repayment plan", report.lang),
    )
