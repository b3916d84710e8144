"""Bars, grouped or stacked, drawn with QPainter like the S-curve (no browser, no chart
library): the dashboard's strength classes per year, standards pass rates and visits per
month. Thai labels in the app font (Sarabun), a legend, the values on the bars, an
optional target line, and a PNG of exactly what is on screen.

Every bar (every segment of a stacked bar) can be clicked: `bar_clicked(category,
series)` says which, and the page opens the list of institutions behind it. The widget
only draws what it is given; the page words the texts and knows what each bar stands for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ui.widgets.s_curve import GRID_COLOR, TEXT_COLOR, nice_ceiling

GRID_STEPS = 5
TARGET_COLOR = QColor("#c62828")
HOVER_COLOR = QColor("#1f3a5f")
BAR_SHARE = 0.72  # of a category's slot taken by its bar(s); the rest is the gap


@dataclass(frozen=True)
class BarSeries:
    name: str
    color: str  # "#rrggbb"


@dataclass
class BarChartData:
    """values[category][series]: a number, or None for no bar at all (a month still ahead)."""

    title: str = ""
    subtitle: str = ""
    categories: Sequence[str] = ()
    series: Sequence[BarSeries] = ()
    values: Sequence[Sequence[Decimal | int | None]] = ()
    stacked: bool = False
    axis_max: Decimal | int | None = None  # fixed top (100 for percentages); else from the data
    integer_axis: bool = True  # counts: ticks on whole numbers
    target: Decimal | int | None = None  # a dashed line, e.g. the KPI target
    target_text: str = ""
    empty_text: str = ""  # drawn instead of bars when there is nothing to show
    missing_text: str = ""  # drawn in a category that has no bar at all (e.g. no result yet)
    value_text: Callable[[Decimal | int], str] = field(default=lambda v: f"{v:,}")
    tooltip: Callable[[int, int], str] | None = None  # (category, series) -> text


def nice_top(value: Decimal, *, integer: bool) -> Decimal:
    """The axis top: the value rounded up to 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of
    ten (finer than the S-curve's steps, so 27 gets 30, not 50); for counts one whose fifths
    are whole numbers, at least 5."""
    if integer and value <= GRID_STEPS:
        return Decimal(GRID_STEPS)
    if value < 1:
        return nice_ceiling(value)
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, Decimal("1.5"), 2, Decimal("2.5"), 3, 4, 5, 6, 8, 10):
        top = step * power
        if value <= top and (not integer or top % GRID_STEPS == 0):
            return top
    return 10 * power


def _dec(v: Decimal | int | None) -> Decimal:
    return Decimal(0) if v is None else Decimal(v)


def _text_color_on(color: QColor) -> QColor:
    """Dark text on light fills, white on dark ones (relative luminance)."""
    r, g, b = color.redF(), color.greenF(), color.blueF()
    return QColor("#1b1b1b") if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 else QColor("white")


class BarChart(QWidget):
    bar_clicked = Signal(int, int)  # category, series

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = BarChartData()
        self._bars: list[tuple[QRectF, int, int]] = []  # laid out at the last paint
        self._hover: tuple[int, int] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor("white"))
        self.setPalette(palette)

    def set_data(self, data: BarChartData) -> None:
        self.data = data
        self._hover = None
        self.update()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(360, 260)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(560, 320)

    def save_png(self, path: Path | str) -> bool:
        return self.grab().save(str(path), "PNG")

    # -- geometry --------------------------------------------------------------------------

    def _has_bars(self) -> bool:
        d = self.data
        return bool(d.categories and d.series) and any(v is not None for row in d.values for v in row)

    def _top(self) -> Decimal:
        d = self.data
        if d.axis_max is not None:
            return Decimal(d.axis_max)
        if d.stacked:
            highest = max((sum((_dec(v) for v in row), Decimal(0)) for row in d.values), default=Decimal(0))
        else:
            highest = max((_dec(v) for row in d.values for v in row), default=Decimal(0))
        if d.target is not None:
            highest = max(highest, Decimal(d.target))
        return nice_top(highest, integer=d.integer_axis)

    def _ticks(self) -> list[Decimal]:
        top = self._top()
        return [top * i / GRID_STEPS for i in range(GRID_STEPS + 1)]

    def _tick_text(self, tick: Decimal) -> str:
        if self.data.integer_axis and tick != tick.to_integral_value():
            return ""
        return self.data.value_text(int(tick) if tick == tick.to_integral_value() else tick)

    def _legend_rows(self, metrics: QFontMetricsF) -> list[list[tuple[BarSeries, float]]]:
        rows: list[list[tuple[BarSeries, float]]] = [[]]
        used = 0.0
        for s in self.data.series:
            width = 22 + metrics.horizontalAdvance(s.name)
            if rows[-1] and used + width + 18 > self.width() - 24:
                rows.append([])
                used = 0.0
            rows[-1].append((s, width))
            used += width + 18
        return rows

    def _layout(self) -> tuple[float, float, QRectF]:
        """(y of the legend, its line height, the plot area)."""
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        y = 8 + line * 1.5 + (line * 1.3 if self.data.subtitle else 0)
        legend_y = y
        y += line * 1.35 * len(self._legend_rows(metrics)) + line * 1.1  # room for a full bar's value
        left = 14 + max((metrics.horizontalAdvance(self._tick_text(t)) for t in self._ticks()), default=30)
        right = 18 + (metrics.horizontalAdvance(self.data.target_text) if self.data.target is not None else 0)
        plot = QRectF(left, y, max(self.width() - left - right, 1), max(self.height() - y - line * 1.8, 1))
        return legend_y, line, plot

    def _y(self, plot: QRectF, value: Decimal) -> float:
        return plot.bottom() - plot.height() * float(value / self._top())

    def bar_rects(self) -> list[tuple[QRectF, int, int]]:
        """Every bar drawn now: (rectangle, category, series). Zero-height bars are left out."""
        d = self.data
        if not self._has_bars():
            return []
        _legend_y, _line, plot = self._layout()
        n = len(d.categories)
        slot = plot.width() / n
        out: list[tuple[QRectF, int, int]] = []
        for c, row in enumerate(d.values):
            centre = plot.left() + slot * (c + 0.5)
            if d.stacked:
                width = min(slot * 0.55, 96)
                base = Decimal(0)
                for s, value in enumerate(row):
                    if not value:
                        continue
                    top, bottom = self._y(plot, base + _dec(value)), self._y(plot, base)
                    out.append((QRectF(centre - width / 2, top, width, bottom - top), c, s))
                    base += _dec(value)
            else:
                group = min(slot * BAR_SHARE, 60 * len(row))
                width = group / max(len(row), 1)
                for s, value in enumerate(row):
                    if value is None:
                        continue
                    top = self._y(plot, _dec(value))
                    height = max(plot.bottom() - top, 1.5 if value else 0)  # a zero shows as a hairline
                    x = centre - group / 2 + width * s
                    out.append((QRectF(x + 1, plot.bottom() - height, width - 2, height), c, s))
        return out

    def bar_at(self, point: QPointF) -> tuple[int, int] | None:
        for rect, c, s in self.bar_rects():
            # Thin bars (a zero, a small segment) are hard to hit: allow a few pixels around.
            if rect.adjusted(-1, -4, 1, 4).contains(point):
                return c, s
        return None

    # -- drawing ---------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._draw_titles(p)
        legend_y, line, plot = self._layout()
        self._draw_legend(p, legend_y, line)
        if not self._has_bars():
            self._bars = []
            p.setPen(QColor("#777"))
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.data.empty_text)
            p.end()
            return
        self._draw_grid(p, plot)
        self._bars = self.bar_rects()
        for rect, c, s in self._bars:
            color = QColor(self.data.series[s].color)
            p.setPen(QPen(HOVER_COLOR, 2) if self._hover == (c, s) else Qt.PenStyle.NoPen)
            p.setBrush(color)
            p.drawRect(rect)
        self._draw_target(p, plot)
        self._draw_values(p, plot)
        p.end()

    def _draw_titles(self, p: QPainter) -> None:
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        bold = QFont(self.font())
        bold.setBold(True)
        bold.setPointSizeF(self.font().pointSizeF() * 1.1)
        p.setPen(TEXT_COLOR)
        p.setFont(bold)
        title = QFontMetricsF(bold).elidedText(self.data.title, Qt.TextElideMode.ElideRight, self.width() - 16)
        p.drawText(QRectF(0, 8, self.width(), line * 1.5), Qt.AlignmentFlag.AlignCenter, title)
        p.setFont(self.font())
        if self.data.subtitle:
            p.setPen(QColor("#555"))
            sub = metrics.elidedText(self.data.subtitle, Qt.TextElideMode.ElideRight, self.width() - 16)
            p.drawText(QRectF(0, 8 + line * 1.5, self.width(), line * 1.3), Qt.AlignmentFlag.AlignCenter, sub)

    def _draw_legend(self, p: QPainter, y: float, line: float) -> None:
        metrics = QFontMetricsF(self.font())
        for row in self._legend_rows(metrics):
            total = sum(width for _s, width in row) + 18 * (len(row) - 1)
            x = (self.width() - total) / 2
            for series, width in row:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(series.color))
                p.drawRoundedRect(QRectF(x, y + line * 0.35, 14, line * 0.6), 2, 2)
                p.setPen(TEXT_COLOR)
                p.drawText(QRectF(x + 20, y, width, line * 1.3), Qt.AlignmentFlag.AlignVCenter, series.name)
                x += width + 18
            y += line * 1.35

    def _draw_grid(self, p: QPainter, plot: QRectF) -> None:
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        for tick in self._ticks():
            text = self._tick_text(tick)
            if not text and tick:
                continue
            y = self._y(plot, tick)
            p.setPen(QPen(GRID_COLOR, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(TEXT_COLOR)
            p.drawText(QRectF(0, y - line, plot.left() - 8, line * 2),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        slot = plot.width() / len(self.data.categories)
        for c, label in enumerate(self.data.categories):
            x = plot.left() + slot * c
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, slot + 4)
            p.setPen(TEXT_COLOR)
            p.drawText(QRectF(x - 2, plot.bottom() + 4, slot + 4, line * 1.5),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)
            row = self.data.values[c] if c < len(self.data.values) else ()
            if self.data.missing_text and all(v is None for v in row):
                p.setPen(QColor("#888"))
                missing = metrics.elidedText(self.data.missing_text, Qt.TextElideMode.ElideRight, slot)
                p.drawText(QRectF(x, plot.bottom() - line * 1.6, slot, line * 1.4), Qt.AlignmentFlag.AlignCenter,
                           missing)

    def _draw_target(self, p: QPainter, plot: QRectF) -> None:
        d = self.data
        if d.target is None:
            return
        y = self._y(plot, Decimal(d.target))
        pen = QPen(TARGET_COLOR, 1.5, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        metrics = QFontMetricsF(self.font())
        p.setPen(TARGET_COLOR)
        p.drawText(QRectF(plot.right() + 4, y - metrics.height(), self.width() - plot.right() - 4, metrics.height() * 2),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, d.target_text)

    def _draw_values(self, p: QPainter, plot: QRectF) -> None:
        d = self.data
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.9)
        p.setFont(small)
        metrics = QFontMetricsF(small)
        line = metrics.height()
        if d.stacked:
            for rect, c, s in self._bars:
                text = d.value_text(d.values[c][s])
                if rect.height() >= line * 0.95 and metrics.horizontalAdvance(text) <= rect.width() - 2:
                    p.setPen(_text_color_on(QColor(d.series[s].color)))
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            p.setPen(TEXT_COLOR)
            bold = QFont(small)
            bold.setBold(True)
            p.setFont(bold)
            for c, row in enumerate(d.values):
                stack = [rect for rect, cc, _s in self._bars if cc == c]
                if not stack:
                    continue
                top = min(r.top() for r in stack)
                centre = stack[0].center().x()
                total = sum((_dec(v) for v in row), Decimal(0))
                p.drawText(QRectF(centre - 60, top - line - 2, 120, line), Qt.AlignmentFlag.AlignCenter,
                           d.value_text(int(total) if total == total.to_integral_value() else total))
        else:
            for rect, c, s in self._bars:
                text = d.value_text(d.values[c][s])
                width = max(metrics.horizontalAdvance(text) + 4, rect.width())
                p.setPen(QColor(d.series[s].color).darker(130))
                p.drawText(QRectF(rect.center().x() - width / 2, rect.top() - line - 1, width, line),
                           Qt.AlignmentFlag.AlignCenter, text)
        p.setFont(self.font())

    # -- interaction -----------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        hit = self.bar_at(event.position())
        if hit != self._hover:
            self._hover = hit
            self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)
            self.update()
        if hit and self.data.tooltip is not None:
            QToolTip.showText(event.globalPosition().toPoint(), self.data.tooltip(*hit), self)
        elif not hit:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self.bar_at(event.position())
            if hit is not None:
                self.bar_clicked.emit(*hit)
        super().mouseReleaseEvent(event)
