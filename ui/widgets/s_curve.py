"""The S-curve: cumulative planned against cumulative disbursed budget over the fiscal year,
the chart offices are judged on. Drawn with QPainter (no browser, no chart library), so it
looks the same on every machine and grabs cleanly to a PNG for a report.

The widget only draws what it is given (labels, two series, the texts); the plan
progress view works the numbers out and words the Thai texts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PLANNED_COLOR = QColor("#1f5fa8")
ACTUAL_COLOR = QColor("#e07b00")
GRID_COLOR = QColor("#d5dbe5")
TEXT_COLOR = QColor("#2b2b2b")
GRID_STEPS = 5
LABELLED_POINTS = (2, 5, 8, 11)  # quarter ends: every point labelled would be unreadable


@dataclass
class SCurveData:
    title: str = ""
    subtitle: str = ""
    labels: Sequence[str] = ()  # one per point, e.g. ต.ค. … ก.ย.
    planned: Sequence[Decimal] = ()
    actual: Sequence[Decimal] = ()  # may be shorter: disbursed so far
    planned_name: str = ""
    actual_name: str = ""
    value_text: Callable[[Decimal], str] = field(default=lambda v: f"{v:,.0f}")


def nice_ceiling(value: Decimal) -> Decimal:
    """The axis top: the value rounded up to 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


class SCurveChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = SCurveData()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor("white"))
        self.setPalette(palette)

    def set_data(self, data: SCurveData) -> None:
        self.data = data
        self.update()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(520, 300)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(900, 380)

    # -- drawing ---------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        d = self.data
        metrics = self.fontMetrics()
        line = metrics.height()
        top = self._draw_titles(p, line)
        top = self._draw_legend(p, top, line)
        left = 16 + max((metrics.horizontalAdvance(d.value_text(v)) for v in self._ticks()), default=40)
        plot = QRectF(left, top + line * 0.6, self.width() - left - 28, self.height() - top - line * 2.8)
        if plot.width() < 40 or plot.height() < 40 or not d.labels:
            return
        self._draw_grid(p, plot)
        self._draw_series(p, plot, d.planned, PLANNED_COLOR)
        self._draw_series(p, plot, d.actual, ACTUAL_COLOR)
        self._draw_value_labels(p, plot)
        p.end()

    def _draw_titles(self, p: QPainter, line: int) -> float:
        p.setPen(TEXT_COLOR)
        bold = QFont(self.font())
        bold.setBold(True)
        bold.setPointSizeF(self.font().pointSizeF() * 1.15)
        p.setFont(bold)
        y = 8
        p.drawText(QRectF(0, y, self.width(), line * 1.5), Qt.AlignmentFlag.AlignCenter, self.data.title)
        y += line * 1.5
        p.setFont(self.font())
        if self.data.subtitle:
            p.drawText(QRectF(0, y, self.width(), line * 1.3), Qt.AlignmentFlag.AlignCenter, self.data.subtitle)
            y += line * 1.3
        return y

    def _draw_legend(self, p: QPainter, top: float, line: int) -> float:
        metrics = self.fontMetrics()
        entries = [(self.data.planned_name, PLANNED_COLOR), (self.data.actual_name, ACTUAL_COLOR)]
        widths = [30 + metrics.horizontalAdvance(name) for name, _color in entries]
        x = (self.width() - sum(widths) - 24) / 2
        y = top + line * 0.7
        for (name, color), width in zip(entries, widths, strict=True):
            p.setPen(QPen(color, 3))
            p.drawLine(QPointF(x, y), QPointF(x + 22, y))
            p.setPen(TEXT_COLOR)
            p.drawText(QRectF(x + 28, y - line, width, line * 2), Qt.AlignmentFlag.AlignVCenter, name)
            x += width + 24
        return top + line * 1.4

    def _top(self) -> Decimal:
        return nice_ceiling(max((*self.data.planned, *self.data.actual), default=Decimal(0)))

    def _ticks(self) -> list[Decimal]:
        top = self._top()
        return [top * i / GRID_STEPS for i in range(GRID_STEPS + 1)]

    def _point(self, plot: QRectF, i: int, value: Decimal) -> QPointF:
        n = max(len(self.data.labels) - 1, 1)
        x = plot.left() + plot.width() * i / n
        y = plot.bottom() - plot.height() * float(value / self._top())
        return QPointF(x, y)

    def _draw_grid(self, p: QPainter, plot: QRectF) -> None:
        metrics = self.fontMetrics()
        for tick in self._ticks():
            y = self._point(plot, 0, tick).y()
            p.setPen(QPen(GRID_COLOR, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(TEXT_COLOR)
            p.drawText(QRectF(0, y - metrics.height(), plot.left() - 8, metrics.height() * 2),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.data.value_text(tick))
        for i, label in enumerate(self.data.labels):
            x = self._point(plot, i, Decimal(0)).x()
            p.drawText(QRectF(x - 40, plot.bottom() + 4, 80, metrics.height() * 1.6),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)

    def _draw_series(self, p: QPainter, plot: QRectF, values: Sequence[Decimal], color: QColor) -> None:
        if not values:
            return
        path = QPainterPath()
        points = [self._point(plot, i, v) for i, v in enumerate(values)]
        path.moveTo(points[0])
        for point in points[1:]:
            path.lineTo(point)
        p.setPen(QPen(color, 2.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setBrush(color)
        for point in points:
            p.drawEllipse(point, 3.5, 3.5)

    def _draw_value_labels(self, p: QPainter, plot: QRectF) -> None:
        metrics = self.fontMetrics()
        d = self.data
        last_actual = len(d.actual) - 1
        for series, color, above in ((d.planned, PLANNED_COLOR, True), (d.actual, ACTUAL_COLOR, False)):
            for i, value in enumerate(series):
                if i not in LABELLED_POINTS and not (series is d.actual and i == last_actual):
                    continue
                point = self._point(plot, i, value)
                text = d.value_text(value)
                width = metrics.horizontalAdvance(text) + 6
                x = min(max(point.x() - width / 2, plot.left()), plot.right() - width)
                y = point.y() - metrics.height() - 6 if above else point.y() + 6
                if y + metrics.height() > plot.bottom():  # it would sit on the month labels: go left of the point
                    y = point.y() - metrics.height() / 2
                    x = max(point.x() - width - 6, 0)
                p.setPen(color)
                p.drawText(QRectF(x, y, width, metrics.height()), Qt.AlignmentFlag.AlignCenter, text)
