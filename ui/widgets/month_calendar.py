"""The officer's month (or week) of visits, painted: Thai weekday headers, the month in the
Buddhist era, weekends and holidays shaded with the holiday's name, today outlined, and
each visit a chip (time + short name) coloured by where it stands.

The widget only draws what it is given (CalendarChip values, holiday names) and says what
the user did through signals; the page words the texts and calls the services:

- drag a chip to another day  → visit_moved(visit_id, date) (chips not movable refuse, and
  say so through drag_refused(visit_id));
- double-click a chip         → visit_activated(visit_id); an empty day → day_activated(date);
- drop an institution (MIME_INSTITUTION, from the page's list) → institution_dropped(id, date);
- keyboard: arrows move the selected day, Space steps through its visits, Enter opens the
  visit or the day, Delete asks to remove the visit, PageUp/PageDown change the month,
  Home goes to today.

The geometry is worked out once per size/data change, so tests can find where things are
(chip_rect, day_rect, more_rect) and drive the mouse with qtbot.
"""

from __future__ import annotations

import calendar as _cal
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import (
    QEvent,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTextBoundaryFinder,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from app.i18n import _, tr
from app.thai import BE_OFFSET, THAI_MONTHS, THAI_MONTHS_ABBR
from ui.formatting import ui_digits

MONTH, WEEK = "month", "week"
MIME_INSTITUTION = "application/x-coopdesk-institution"

# Where a visit stands, as its chip's colour says it.
PLANNED, DONE, SUBMITTED, APPROVED, RETURNED, CANCELLED = (
    "planned", "done", "submitted", "approved", "returned", "cancelled")
CHIP_STATE_LABELS = {  # translated where shown
    PLANNED: "นัดไว้",
    DONE: "บันทึกผลแล้ว",
    SUBMITTED: "ส่งรายงานแล้ว",
    APPROVED: "อนุมัติแล้ว",
    RETURNED: "ส่งคืนแก้ไข",
    CANCELLED: "ไม่ได้ไป",
}


@dataclass(frozen=True)
class ChipStyle:
    fill: str
    stripe: str
    text: str


CHIP_STYLES = {
    PLANNED: ChipStyle("#dce9fb", "#2f6fc0", "#14365f"),
    DONE: ChipStyle("#fff0c7", "#c58a00", "#4a3500"),
    SUBMITTED: ChipStyle("#ebe2f8", "#7647b8", "#3a1f63"),
    APPROVED: ChipStyle("#dcf0d8", "#2e7d32", "#1b4a1e"),
    RETURNED: ChipStyle("#fde1de", "#c62828", "#6d1010"),
    CANCELLED: ChipStyle("#ececec", "#9e9e9e", "#6b6b6b"),
}

# date.weekday() order: Monday first.
WEEKDAY_ABBR = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")

GRID = QColor("#d5dbe5")
TEXT = QColor("#2b2b2b")
MUTED = QColor("#9aa3ad")
WEEKEND_FILL = QColor("#f4f2ee")
HOLIDAY_FILL = QColor("#fcebea")
HOLIDAY_TEXT = QColor("#b3261e")
OUTSIDE_FILL = QColor("#fafafa")
SELECTED_FILL = QColor("#e6effb")
TODAY_RING = QColor("#e0a526")
DROP_FILL = QColor("#cfe0f7")
FOCUS_RING = QColor("#1f3a5f")
WARNING = QColor("#d35400")


@dataclass(frozen=True)
class CalendarChip:
    """One visit as the calendar shows it."""

    id: str
    day: date
    title: str  # the institution's short name
    time: str | None = None  # "HH:MM"; None = some time that day
    end_time: str | None = None
    state: str = PLANNED
    movable: bool = True
    warning: str = ""  # a conflict's text: the chip carries a warning mark
    detail: str = ""  # a second line in the week view (the method)
    tooltip: str = ""


def add_months(d: date, n: int) -> date:
    """The same day n months later (the last day of the month when it has fewer days)."""
    index = d.year * 12 + d.month - 1 + n
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


def month_title(first: date) -> str:
    return f"{THAI_MONTHS[first.month]} {ui_digits(first.year + BE_OFFSET)}"


def week_title(start: date) -> str:
    end = start + timedelta(days=6)
    if start.month == end.month:
        return f"{ui_digits(start.day)} – {ui_digits(end.day)} {THAI_MONTHS[end.month]} {ui_digits(end.year + BE_OFFSET)}"
    if start.year == end.year:
        return (f"{ui_digits(start.day)} {THAI_MONTHS_ABBR[start.month]} – {ui_digits(end.day)} "
                f"{THAI_MONTHS_ABBR[end.month]} {ui_digits(end.year + BE_OFFSET)}")
    return (f"{ui_digits(start.day)} {THAI_MONTHS_ABBR[start.month]} {ui_digits(start.year + BE_OFFSET)} – "
            f"{ui_digits(end.day)} {THAI_MONTHS_ABBR[end.month]} {ui_digits(end.year + BE_OFFSET)}")


def compact_time(hhmm: str) -> str:
    """"09:30" → "9.30", as Thai schedules write times (digits follow the language)."""
    hours, _sep, mins = hhmm.partition(":")
    return ui_digits(f"{int(hours)}.{mins}")


def wrap_lines(fm: QFontMetrics, text: str, width: int, max_lines: int) -> list[str]:
    """The text broken into at most max_lines lines at Thai word boundaries (Qt's line
    breaker knows Thai), the last one elided."""
    if width <= 0 or not text:
        return [text] if text else []
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
    breaks = []
    pos = finder.toNextBoundary()
    while pos != -1:
        breaks.append(pos)
        pos = finder.toNextBoundary()
    lines, start = [], 0
    while start < len(text) and len(lines) < max_lines - 1:
        fitting = [b for b in breaks if b > start and fm.horizontalAdvance(text[start:b].rstrip()) <= width]
        if not fitting or fitting[-1] >= len(text):
            break
        lines.append(text[start:fitting[-1]].rstrip())
        start = fitting[-1]
    lines.append(fm.elidedText(text[start:].strip(), Qt.TextElideMode.ElideRight, width))
    return lines


WEEKEND_WEIGHT = 0.6  # Saturday and Sunday columns: visits there are the exception


class MonthCalendar(QWidget):
    visit_moved = Signal(str, object)  # visit id, new date
    visit_activated = Signal(str)
    visit_selected = Signal(object)  # visit id or None
    day_activated = Signal(object)  # date
    date_selected = Signal(object)  # date
    month_changed = Signal(object)  # first day of the month now shown
    mode_changed = Signal(str)
    drag_refused = Signal(str)  # a chip that may not move was dragged
    delete_requested = Signal(str)
    institution_dropped = Signal(str, object)  # institution id, date
    context_requested = Signal(object, object, QPoint)  # visit id or None, date, global position

    def __init__(self, parent: QWidget | None = None, *, first_weekday: int = 0, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        self.first_weekday = first_weekday  # 0 = Monday, 6 = Sunday
        self.month = self.today.replace(day=1)
        self.mode = MONTH
        self.selected_date = self.today
        self.selected_visit: str | None = None
        self.chips: list[CalendarChip] = []
        self.holidays: dict[date, str] = {}
        self.accept_drops_of_institutions = False
        self._by_day: dict[date, list[CalendarChip]] = {}
        self._by_id: dict[str, CalendarChip] = {}
        # geometry, worked out by _layout()
        self._dirty = True
        self._days: list[date] = []
        self._cells: dict[date, QRect] = {}
        self._heads: dict[date, QRect] = {}
        self._chip_rects: dict[str, QRect] = {}
        self._more: dict[date, tuple[QRect, int]] = {}
        self._title_rect = QRect()
        # mouse state
        self._press: tuple[str | None, QPoint] | None = None
        self._dragging = False
        self._drag_pos = QPoint()
        self._drop_day: date | None = None
        self._refused = False

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAcceptDrops(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(_("ปฏิทินการเยี่ยม"))
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor("white"))
        self.setPalette(palette)

    # -- what to show ------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(860, 620)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(560, 420)

    def set_data(self, chips: Sequence[CalendarChip], holidays: Mapping[date, str] | None = None) -> None:
        """The visits and holiday names to show (selection kept when the visit is still there)."""
        self.chips = list(chips)
        self.holidays = dict(holidays or {})
        self._by_id = {c.id: c for c in self.chips}
        by_day: dict[date, list[CalendarChip]] = defaultdict(list)
        for chip in self.chips:
            by_day[chip.day].append(chip)
        for day_chips in by_day.values():
            day_chips.sort(key=lambda c: (c.time is None, c.time or "", c.title, c.id))
        self._by_day = dict(by_day)
        if self.selected_visit is not None and self.selected_visit not in self._by_id:
            self.selected_visit = None
        self._changed()

    def set_month(self, month: date) -> None:
        """Show the month containing `month`; the selected day stays on the same day number
        (today when today is in that month). Emits month_changed when it changes."""
        first = month.replace(day=1)
        if first == self.month:
            return
        self.month = first
        if self.today.replace(day=1) == first:
            self.selected_date = self.today
        else:
            self.selected_date = first.replace(day=min(self.selected_date.day, _cal.monthrange(first.year,
                                                                                             first.month)[1]))
        self.selected_visit = None
        self._changed()
        self.month_changed.emit(first)

    def set_mode(self, mode: str) -> None:
        if mode not in (MONTH, WEEK) or mode == self.mode:
            return
        self.mode = mode
        self._changed()
        self.mode_changed.emit(mode)

    def set_first_weekday(self, weekday: int) -> None:
        self.first_weekday = weekday % 7
        self._changed()

    def set_today(self, today: date) -> None:
        self.today = today
        self.update()

    def select_date(self, day: date) -> None:
        """Select a day (moving to its month if needed)."""
        self.selected_visit = None
        self._select_day(day)

    def select_visit(self, visit_id: str | None) -> None:
        """Select a visit and its day (moving to its month if needed)."""
        chip = self._by_id.get(visit_id or "")
        if chip is None:
            if self.selected_visit is not None:
                self.selected_visit = None
                self.visit_selected.emit(None)
                self.update()
            return
        if chip.day != self.selected_date:
            self._select_day(chip.day)
        self.selected_visit = chip.id
        self.visit_selected.emit(chip.id)
        self.update()

    # -- accessors (tests and the page) ------------------------------------------------------

    def visible_days(self) -> list[date]:
        self._layout()
        return list(self._days)

    def day_rect(self, day: date) -> QRect:
        self._layout()
        return QRect(self._cells.get(day, QRect()))

    def chip_rect(self, visit_id: str) -> QRect:
        """Where the visit's chip is drawn; an empty rect when it is not shown (another month,
        or hidden behind "+N")."""
        self._layout()
        return QRect(self._chip_rects.get(visit_id, QRect()))

    def more_rect(self, day: date) -> QRect:
        self._layout()
        found = self._more.get(day)
        return QRect(found[0]) if found else QRect()

    def hidden_count(self, day: date) -> int:
        """How many visits of the day are behind its "+N" (0 when all are shown)."""
        self._layout()
        found = self._more.get(day)
        return found[1] if found else 0

    def chips_on(self, day: date) -> list[CalendarChip]:
        return list(self._by_day.get(day, ()))

    def chip(self, visit_id: str) -> CalendarChip | None:
        return self._by_id.get(visit_id)

    def day_at(self, pos: QPoint) -> date | None:
        self._layout()
        return next((d for d, r in self._cells.items() if r.contains(pos)), None)

    def chip_at(self, pos: QPoint) -> str | None:
        self._layout()
        return next((i for i, r in self._chip_rects.items() if r.contains(pos)), None)

    def first_shown(self) -> date:
        self._layout()
        return self._days[0]

    def last_shown(self) -> date:
        self._layout()
        return self._days[-1]

    # -- geometry ------------------------------------------------------------------------------

    def _changed(self) -> None:
        self._dirty = True
        self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._dirty = True
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FontChange:
            self._dirty = True
        super().changeEvent(event)

    def _week_start(self, d: date) -> date:
        return d - timedelta(days=(d.weekday() - self.first_weekday) % 7)

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() - 1.5, 7.0))
        title = QFont(base)
        title.setPointSizeF(base.pointSizeF() + 3)
        title.setBold(True)
        return base, small, title

    def chip_height(self) -> int:
        # Thai stacks tone marks above and vowels below the line: the font's full height
        # (ascent + descent) plus room on both sides, or the marks are clipped.
        return QFontMetrics(self._fonts()[1]).height() + 6

    def _layout(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        base, small, title = self._fonts()
        fm, fs, ft = QFontMetrics(base), QFontMetrics(small), QFontMetrics(title)
        w, h = max(self.width(), 1), max(self.height(), 1)
        self._title_rect = QRect(0, 0, w, ft.height() + 12)
        top = self._title_rect.bottom() + 1
        if self.mode == MONTH:
            start = self._week_start(self.month)
            last = self.month.replace(day=_cal.monthrange(self.month.year, self.month.month)[1])
            weeks = ((last - start).days // 7) + 1
            head_h = fm.height() + 8
        else:
            start = self._week_start(self.selected_date)
            weeks = 1
            head_h = fm.height() + fs.height() + 10
        self._days = [start + timedelta(days=i) for i in range(weeks * 7)]
        self._header_rect = QRect(0, top, w, head_h)
        grid_top = top + head_h
        weights = [WEEKEND_WEIGHT if d.weekday() >= 5 else 1.0 for d in self._days[:7]]
        unit = (w - 1) / sum(weights)
        edges = [0.0]
        for weight in weights:
            edges.append(edges[-1] + weight * unit)
        row_h = (h - grid_top - 1) / weeks
        self._cells.clear()
        self._heads.clear()
        self._chip_rects.clear()
        self._more.clear()
        for i, d in enumerate(self._days):
            row, col = divmod(i, 7)
            x0, x1 = round(edges[col]), round(edges[col + 1])
            y0, y1 = round(grid_top + row * row_h), round(grid_top + (row + 1) * row_h)
            cell = QRect(x0, y0, x1 - x0, y1 - y0)
            self._cells[d] = cell
            if self.mode == MONTH:
                self._layout_month_cell(d, cell, fs)
            else:
                self._layout_week_column(d, cell, fm, fs)

    def _layout_month_cell(self, d: date, cell: QRect, fs: QFontMetrics) -> None:
        head = QRect(cell.left() + 1, cell.top() + 1, cell.width() - 2, fs.height() + 2)
        self._heads[d] = head
        chip_h, gap = self.chip_height(), 2
        chips = self._by_day.get(d, [])
        x, width = cell.left() + 3, cell.width() - 6
        y = head.bottom() + 1
        room = cell.bottom() - 2 - y
        fits = max(room + gap, 0) // (chip_h + gap)
        shown = min(len(chips), fits)
        for chip in chips[:shown]:
            self._chip_rects[chip.id] = QRect(x, y, width, chip_h)
            y += chip_h + gap
        if shown < len(chips):
            # "+N" sits in the day's header, so every row below carries a visit
            label = tr("+{n} รายการ", n=ui_digits(len(chips) - shown))
            label_w = fs.horizontalAdvance(label) + 8
            if label_w > head.width() - fs.horizontalAdvance(ui_digits(d.day)) - 12:
                label_w = fs.horizontalAdvance(f"+{ui_digits(len(chips) - shown)}") + 8
            self._more[d] = (QRect(head.right() - label_w, head.top(), label_w, head.height()), len(chips) - shown)

    def _week_chip_height(self, fm: QFontMetrics, fs: QFontMetrics) -> int:
        return fs.height() + 2 * fm.height() + fs.height() + 14  # time, name on two lines, method

    def _layout_week_column(self, d: date, cell: QRect, fm: QFontMetrics, fs: QFontMetrics) -> None:
        # In the week view the header row carries the day; the holiday's name goes on top of
        # the column.
        self._heads[d] = QRect(cell.left() + 1, cell.top() + 1, cell.width() - 2,
                               (fs.height() + 6) if d in self.holidays else 0)
        chip_h, gap = self._week_chip_height(fm, fs), 4
        chips = self._by_day.get(d, [])
        x, width = cell.left() + 4, cell.width() - 8
        y = self._heads[d].bottom() + 4
        room = cell.bottom() - 4 - y
        fits = max(room + gap, 0) // (chip_h + gap)
        shown = len(chips) if len(chips) <= fits else max(fits - 1, 0)
        for chip in chips[:shown]:
            self._chip_rects[chip.id] = QRect(x, y, width, chip_h)
            y += chip_h + gap
        if shown < len(chips):
            self._more[d] = (QRect(x, y, width, fs.height() + 8), len(chips) - shown)

    # -- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self._layout()
        base, small, title = self._fonts()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        # the title
        p.setFont(title)
        p.setPen(QColor("#1f3a5f"))
        text = month_title(self.month) if self.mode == MONTH else week_title(self._days[0])
        p.drawText(self._title_rect, Qt.AlignmentFlag.AlignCenter, text)
        self._paint_header(p, base, small)
        for d in self._days:
            self._paint_cell(p, d, base, small)
        for d in self._days:
            for chip in self._by_day.get(d, []):
                rect = self._chip_rects.get(chip.id)
                if rect is not None:
                    self._paint_chip(p, chip, rect, base, small)
            if d in self._more:
                self._paint_more(p, *self._more[d], small)
        if self._dragging and self._press and self._press[0] in self._by_id:
            self._paint_ghost(p, self._by_id[self._press[0]], small)
        p.end()

    def _paint_header(self, p: QPainter, base: QFont, small: QFont) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#eef2f7"))
        p.drawRect(self._header_rect)
        for i in range(7):
            d = self._days[i]
            cell = self._cells[d]
            rect = QRect(cell.left(), self._header_rect.top(), cell.width(), self._header_rect.height())
            weekend = d.weekday() >= 5
            p.setPen(HOLIDAY_TEXT if weekend else QColor("#1f3a5f"))
            if self.mode == MONTH:
                p.setFont(base)
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, _(WEEKDAY_ABBR[d.weekday()]))
            else:
                p.setFont(base)
                top = QRect(rect.left(), rect.top() + 3, rect.width(), QFontMetrics(base).height())
                label = f"{_(WEEKDAY_ABBR[d.weekday()])} {ui_digits(d.day)}"
                if d.month != self.selected_date.month:
                    label += f" {THAI_MONTHS_ABBR[d.month]}"
                if d == self.today:
                    f = QFont(base)
                    f.setBold(True)
                    p.setFont(f)
                p.drawText(top, Qt.AlignmentFlag.AlignCenter, label)
                p.setFont(small)
                p.setPen(MUTED)
                n = len(self._by_day.get(d, []))
                below = QRect(rect.left(), top.bottom() + 1, rect.width(), QFontMetrics(small).height() + 2)
                if n:
                    p.drawText(below, Qt.AlignmentFlag.AlignCenter, tr("{n} นัด", n=ui_digits(n)))
        p.setPen(QPen(GRID, 1))
        p.drawLine(self._header_rect.bottomLeft(), self._header_rect.bottomRight())

    def _paint_cell(self, p: QPainter, d: date, base: QFont, small: QFont) -> None:
        cell = self._cells[d]
        outside = self.mode == MONTH and d.month != self.month.month
        holiday = self.holidays.get(d)
        fill = None
        if d == self._drop_day and (self._dragging or self._drop_day is not None):
            fill = DROP_FILL
        elif d == self.selected_date:
            fill = SELECTED_FILL
        elif holiday:
            fill = HOLIDAY_FILL
        elif d.weekday() >= 5:
            fill = WEEKEND_FILL
        elif outside:
            fill = OUTSIDE_FILL
        if fill is not None:
            p.fillRect(cell, fill)
        p.setPen(QPen(GRID, 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(cell)
        head = self._heads[d]
        if self.mode == MONTH:
            number = ui_digits(d.day)
            f = QFont(small)
            f.setBold(d == self.today)
            p.setFont(f)
            fm = QFontMetrics(f)
            p.setPen(MUTED if outside else (HOLIDAY_TEXT if holiday or d.weekday() >= 5 else TEXT))
            num_rect = QRect(head.left() + 4, head.top(), fm.horizontalAdvance(number) + 2, head.height())
            p.drawText(num_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, number)
            if holiday:
                p.setFont(small)
                p.setPen(MUTED if outside else HOLIDAY_TEXT)
                end = self._more[d][0].left() if d in self._more else head.right()
                rest = QRect(num_rect.right() + 6, head.top(), end - num_rect.right() - 8, head.height())
                p.drawText(rest, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                           QFontMetrics(small).elidedText(holiday, Qt.TextElideMode.ElideRight, rest.width()))
        elif holiday:
            p.setFont(small)
            p.setPen(HOLIDAY_TEXT)
            inner = head.adjusted(4, 0, -4, 0)
            p.drawText(inner, Qt.AlignmentFlag.AlignCenter,
                       QFontMetrics(small).elidedText(holiday, Qt.TextElideMode.ElideRight, inner.width()))
        if d == self.today:
            p.setPen(QPen(TODAY_RING, 2))
            p.drawRect(cell.adjusted(1, 1, -1, -1))
        if d == self.selected_date and self.hasFocus() and self.selected_visit is None:
            pen = QPen(FOCUS_RING, 1, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawRect(cell.adjusted(3, 3, -3, -3))

    def _chip_text_parts(self, chip: CalendarChip) -> tuple[str, str]:
        return (compact_time(chip.time) if chip.time else ""), chip.title

    def _paint_chip(self, p: QPainter, chip: CalendarChip, rect: QRect, base: QFont, small: QFont,
                    *, ghost: bool = False) -> None:
        style = CHIP_STYLES.get(chip.state, CHIP_STYLES[PLANNED])
        p.save()
        if ghost:
            p.setOpacity(0.75)
        path = QPainterPath()
        path.addRoundedRect(QRectF(rect), 4, 4)
        p.fillPath(path, QColor(style.fill))
        p.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), QColor(style.stripe))
        if chip.id == self.selected_visit and not ghost:
            p.setPen(QPen(FOCUS_RING, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 4, 4)
        right = rect.right() - 3
        if chip.warning:
            size = min(rect.height() - 6, 14) if self.mode == MONTH else 16
            mark = QRect(right - size, rect.top() + 3, size, size)
            self._paint_warning(p, mark)
            right = mark.left() - 3
        text_font = QFont(small)
        if chip.state == CANCELLED:
            text_font.setStrikeOut(True)
        color = QColor(style.text)
        if self.mode == MONTH or ghost:
            inner = QRect(rect.left() + 7, rect.top(), right - rect.left() - 7, rect.height())
            time, title = self._chip_text_parts(chip)
            x = inner.left()
            if time:
                bold = QFont(text_font)
                bold.setBold(True)
                p.setFont(bold)
                p.setPen(color)
                adv = QFontMetrics(bold).horizontalAdvance(time)
                p.drawText(QRect(x, inner.top(), min(adv + 2, inner.width()), inner.height()),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, time)
                x += adv + QFontMetrics(text_font).horizontalAdvance(" ")
            p.setFont(text_font)
            p.setPen(color)
            rest = QRect(x, inner.top(), max(inner.right() - x, 0), inner.height())
            p.drawText(rest, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       QFontMetrics(text_font).elidedText(title, Qt.TextElideMode.ElideRight, rest.width()))
        else:
            fs, fb = QFontMetrics(small), QFontMetrics(base)
            inner = QRect(rect.left() + 8, rect.top() + 4, right - rect.left() - 8, rect.height() - 8)
            if chip.time:
                span = compact_time(chip.time) + (f"–{compact_time(chip.end_time)}" if chip.end_time else "")
                when = tr("{time} น.", time=span)
            else:
                when = _("ไม่ระบุเวลา")
            bold = QFont(small)
            bold.setBold(True)
            p.setFont(bold)
            p.setPen(color)
            line1 = QRect(inner.left(), inner.top(), inner.width(), fs.height())
            fbold = QFontMetrics(bold)
            if chip.time and fbold.horizontalAdvance(when) > line1.width():
                when = span  # without "น." before eliding the time itself
            p.drawText(line1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fbold.elidedText(when, Qt.TextElideMode.ElideRight, line1.width()))
            title_font = QFont(base)
            title_font.setStrikeOut(chip.state == CANCELLED)
            p.setFont(title_font)
            width = rect.right() - 4 - inner.left()
            y = line1.bottom() + 2
            for line in wrap_lines(fb, chip.title, width, 2):
                p.drawText(QRect(inner.left(), y, width, fb.height()),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
                y += fb.height()
            p.setFont(small)
            p.setPen(QColor(style.stripe))
            line3 = QRect(inner.left(), line1.bottom() + 2 + 2 * fb.height() + 2, width, fs.height())
            detail = chip.detail or _(CHIP_STATE_LABELS.get(chip.state, ""))
            p.drawText(line3, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fs.elidedText(detail, Qt.TextElideMode.ElideRight, line3.width()))
        p.restore()

    @staticmethod
    def _paint_warning(p: QPainter, rect: QRect) -> None:
        r = QRectF(rect)
        tri = QPolygonF([QPointF(r.center().x(), r.top()), QPointF(r.right(), r.bottom()),
                         QPointF(r.left(), r.bottom())])
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(WARNING)
        p.drawPolygon(tri)
        p.setPen(QPen(QColor("white"), max(r.width() / 8, 1.2)))
        cx = r.center().x()
        p.drawLine(QPointF(cx, r.top() + r.height() * 0.35), QPointF(cx, r.top() + r.height() * 0.68))
        p.drawPoint(QPointF(cx, r.top() + r.height() * 0.83))

    def _paint_more(self, p: QPainter, rect: QRect, n: int, small: QFont) -> None:
        bold = QFont(small)
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor("#1f5fa8"))
        align = Qt.AlignmentFlag.AlignRight if self.mode == MONTH else Qt.AlignmentFlag.AlignLeft
        text = tr("+{n} รายการ", n=ui_digits(n))
        if QFontMetrics(bold).horizontalAdvance(text) > rect.width() - 6:
            text = f"+{ui_digits(n)}"
        p.drawText(rect.adjusted(4, 0, -4, 0), align | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_ghost(self, p: QPainter, chip: CalendarChip, small: QFont) -> None:
        width = max(min(self._cells[self._days[0]].width() - 6, 220), 80)
        rect = QRect(self._drag_pos.x() - 12, self._drag_pos.y() - self.chip_height() // 2, width, self.chip_height())
        self._paint_chip(p, chip, rect, self.font(), small, ghost=True)

    # -- selection and keys --------------------------------------------------------------------

    def _select_day(self, day: date) -> None:
        if self.mode == MONTH and day.replace(day=1) != self.month:
            self.selected_date = day
            self.month = day.replace(day=1)
            self._changed()
            self.month_changed.emit(self.month)
        elif self.mode == WEEK:
            old_month = self.month
            self.selected_date = day
            self._changed()
            if day.replace(day=1) != old_month:
                self.month = day.replace(day=1)
                self.month_changed.emit(self.month)
        else:
            self.selected_date = day
            self.update()
        self.date_selected.emit(day)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
        if key in steps and not event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.select_date(self.selected_date + timedelta(days=steps[key]))
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            day = add_months(self.selected_date, -1 if key == Qt.Key.Key_PageUp else 1)
            self.selected_visit = None
            self.set_month(day)
            self.selected_date = day
            self._changed()
            self.date_selected.emit(day)
        elif key == Qt.Key.Key_Home:
            self.select_date(self.today)
        elif key == Qt.Key.Key_Space:
            self._cycle_visit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.selected_visit is not None:
                self.visit_activated.emit(self.selected_visit)
            else:
                self.day_activated.emit(self.selected_date)
        elif key == Qt.Key.Key_Delete and self.selected_visit is not None:
            self.delete_requested.emit(self.selected_visit)
        elif key == Qt.Key.Key_Escape and self._dragging:
            self._end_drag()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _cycle_visit(self) -> None:
        """Space: the day's first visit, the next one, … then the day itself again."""
        ids = [c.id for c in self._by_day.get(self.selected_date, [])]
        if not ids:
            return
        if self.selected_visit in ids:
            i = ids.index(self.selected_visit) + 1
            self.selected_visit = ids[i] if i < len(ids) else None
        else:
            self.selected_visit = ids[0]
        self.visit_selected.emit(self.selected_visit)
        self.update()

    # -- mouse ---------------------------------------------------------------------------------

    def _point(self, event) -> QPoint:
        return event.position().toPoint()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = self._point(event)
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        chip = self.chip_at(pos)
        more = next((d for d, (r, _n) in self._more.items() if r.contains(pos)), None)
        if chip is not None:
            self.select_visit(chip)
        elif more is not None:
            self.select_date(more)
            self.set_mode(WEEK)
        else:
            day = self.day_at(pos)
            if day is not None:
                self.selected_visit = None
                self.visit_selected.emit(None)
                self._select_day(day)
        self._press = (chip, pos)
        self._dragging = self._refused = False
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = self._point(event)
        if self._press is None or self._press[0] is None:
            super().mouseMoveEvent(event)
            return
        chip_id, start = self._press
        if not self._dragging:
            if (pos - start).manhattanLength() < QApplication.startDragDistance():
                return
            chip = self._by_id.get(chip_id)
            if chip is None or not chip.movable:
                if not self._refused:
                    self._refused = True
                    self.setCursor(Qt.CursorShape.ForbiddenCursor)
                    self.drag_refused.emit(chip_id)
                return
            self._dragging = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        self._drag_pos = pos
        self._drop_day = self.day_at(pos)
        self.update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = self._point(event)
        press, dragging = self._press, self._dragging
        target = self.day_at(pos) if dragging else None
        self._end_drag()
        if press is not None and dragging and target is not None:
            chip = self._by_id.get(press[0])
            if chip is not None and target != chip.day:
                self.visit_moved.emit(chip.id, target)
        event.accept()

    def _end_drag(self) -> None:
        self._press = None
        self._dragging = self._refused = False
        self._drop_day = None
        self.unsetCursor()
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = self._point(event)
        chip = self.chip_at(pos)
        if chip is not None:
            self.visit_activated.emit(chip)
        elif not any(r.contains(pos) for r, _n in self._more.values()):
            day = self.day_at(pos)
            if day is not None:
                self.day_activated.emit(day)
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        pos = event.pos()
        chip = self.chip_at(pos)
        day = self.day_at(pos)
        if chip is not None:
            self.select_visit(chip)
        elif day is not None:
            self.select_date(day)
        if day is not None:
            self.context_requested.emit(chip, day, event.globalPos())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()
            chip_id = self.chip_at(pos)
            text = ""
            if chip_id is not None:
                chip = self._by_id[chip_id]
                text = chip.tooltip or chip.title
                if chip.warning:
                    text += "\n⚠ " + chip.warning
            else:
                more = next((d for d, (r, _n) in self._more.items() if r.contains(pos)), None)
                day = self.day_at(pos)
                if more is not None:
                    text = "\n".join(f"{ui_digits(c.time or '')} {c.title}".strip() for c in self._by_day[more])
                elif day is not None and day in self.holidays:
                    text = self.holidays[day]
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # -- institutions dropped from the page's list ------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self.accept_drops_of_institutions and event.mimeData().hasFormat(MIME_INSTITUTION):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        day = self.day_at(event.position().toPoint())
        if day is None or not event.mimeData().hasFormat(MIME_INSTITUTION):
            event.ignore()
            return
        if day != self._drop_day:
            self._drop_day = day
            self.update()
        event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._drop_day = None
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        day = self.day_at(event.position().toPoint())
        self._drop_day = None
        self.update()
        data = event.mimeData()
        if day is None or not self.accept_drops_of_institutions or not data.hasFormat(MIME_INSTITUTION):
            event.ignore()
            return
        institution_id = bytes(data.data(MIME_INSTITUTION)).decode("utf-8")
        event.acceptProposedAction()
        self.select_date(day)
        self.institution_dropped.emit(institution_id, day)
