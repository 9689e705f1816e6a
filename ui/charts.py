"""Chart widgets on QtCharts (imported only by the pages that draw charts).

Amounts are converted to float here only to place points on screen; nothing
computed from these values is ever shown or stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from resources.i18n import format_number


def _chart() -> QChart:
    chart = QChart()
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    dark = QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundVisible(False)
    font = QFont(QApplication.font())
    chart.setTitleFont(font)
    chart.legend().setFont(font)
    return chart


class ChartView(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setChart(_chart())
        self.setMinimumHeight(220)

    def reset(self, title: str = "") -> QChart:
        chart = _chart()
        chart.setTitle(title)
        self.setChart(chart)
        return chart


def _axis_font(axis: QValueAxis | QBarCategoryAxis) -> None:
    axis.setLabelsFont(QFont(QApplication.font()))
    axis.setTitleFont(QFont(QApplication.font()))


LINE_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine)


def line_chart(
    view: ChartView,
    title: str,
    x_title: str,
    y_title: str,
    series: Sequence[tuple[str, Sequence[tuple[float, Decimal]]]],
    *,
    x_limit: float | None = None,
) -> None:
    """Lines of (x, amount) points, one per name, each in its own dash style so lines that lie
    on one another can still be told apart; ``x_limit`` ends the x axis there (later points are
    cut off by the plot)."""
    chart = view.reset(title)
    x_max = 1.0
    y_max = 1.0
    for index, (name, points) in enumerate(series):
        line = QLineSeries()
        line.setName(name)
        for x, y in points:
            line.append(float(x), float(y))
            x_max = max(x_max, float(x))
            y_max = max(y_max, float(y))
        chart.addSeries(line)
        pen = line.pen()  # the theme's colour, given when the series is added; then its own dashes
        pen.setWidthF(2.5)
        pen.setStyle(LINE_STYLES[index % len(LINE_STYLES)])
        line.setPen(pen)
    if x_limit is not None:
        x_max = max(1.0, x_limit)
    x_axis = QValueAxis()
    x_axis.setTitleText(x_title)
    x_axis.setLabelFormat("%d")
    x_axis.setRange(0, x_max)
    x_axis.applyNiceNumbers()
    y_axis = QValueAxis()
    y_axis.setTitleText(y_title)
    y_axis.setLabelFormat("%.0f")
    y_axis.setRange(0, y_max * 1.05)
    y_axis.applyNiceNumbers()
    for axis in (x_axis, y_axis):
        _axis_font(axis)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    for s in chart.series():
        s.attachAxis(x_axis)
        s.attachAxis(y_axis)


def bar_chart(
    view: ChartView,
    title: str,
    categories: Sequence[str],
    sets: Sequence[tuple[str, Sequence[Decimal | int | None]]],
    y_title: str = "",
) -> None:
    """Grouped bars: one set per name, one value per category (None draws nothing)."""
    chart = view.reset(title)
    bars = QBarSeries()
    y_max = 1.0
    for name, values in sets:
        bar_set = QBarSet(name)
        for v in values:
            value = 0.0 if v is None else float(v)
            y_max = max(y_max, value)
            bar_set.append(value)
        bars.append(bar_set)
    bars.setLabelsVisible(len(categories) * len(sets) <= 12)
    bars.setLabelsFormat("@value")
    chart.addSeries(bars)
    x_axis = QBarCategoryAxis()
    x_axis.append(list(categories))
    y_axis = QValueAxis()
    y_axis.setTitleText(y_title)
    y_axis.setLabelFormat("%.0f")
    y_axis.setRange(0, y_max * 1.15)
    y_axis.applyNiceNumbers()
    for axis in (x_axis, y_axis):
        _axis_font(axis)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(x_axis)
    bars.attachAxis(y_axis)


def short_amount(value: Decimal) -> str:
    return format_number(value, places=0)
