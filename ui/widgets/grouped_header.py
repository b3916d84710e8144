"""A horizontal header with group rows above the model's own labels, like the printed plan:

    |        |         ไตรมาส ๑          | …
    | เลขที่  |  ต.ค.  |  พ.ย.  |  ธ.ค.  | …
    |        |งาน| งบ |งาน| งบ |งาน| งบ | …

Each group is (first section, last section, text) on its row. A section with no group on
a row has its own label reach up through that row (เลขที่ above). Every section paints
its slice of a group cell, clipped to itself, so the merged cell looks whole however the
view scrolls, and the sections stay ordinary sections (resizing, clicking to select).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget

ROW_PADDING = 10  # Thai needs room above and below the line for vowels and tone marks


class GroupedHeader(QHeaderView):
    def __init__(self, groups: list[list[tuple[int, int, str]]], parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._rows = [{s: (first, last, text) for first, last, text in row for s in range(first, last + 1)}
                      for row in groups]
        self.setSectionsClickable(True)
        self.setHighlightSections(True)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

    def row_height(self) -> int:
        return self.fontMetrics().height() + ROW_PADDING

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(hint.width(), self.row_height() * (len(self._rows) + 1))

    def group_text(self, row: int, section: int) -> str | None:
        group = self._rows[row].get(section)
        return group[2] if group else None

    def paintSection(self, painter: QPainter, rect: QRect, section: int) -> None:  # noqa: N802 - Qt override
        if not rect.isValid():
            return
        height = self.row_height()
        top = rect.top()
        for row in self._rows:
            group = row.get(section)
            if group is None:
                break
            first, last, text = group
            left = self.sectionViewportPosition(first)
            right = self.sectionViewportPosition(last) + self.sectionSize(last)
            self._paint_cell(painter, QRect(left, top, right - left, height), rect, section, text)
            top += height
        label = self.model().headerData(section, self.orientation()) if self.model() else ""
        self._paint_cell(painter, QRect(rect.left(), top, rect.width(), rect.bottom() - top + 1), rect, section,
                         str(label or ""))

    def _paint_cell(self, painter: QPainter, cell: QRect, section_rect: QRect, section: int, text: str) -> None:
        opt = QStyleOptionHeader()
        self.initStyleOption(opt)
        opt.rect = cell
        opt.section = section
        opt.text = text
        opt.textAlignment = Qt.AlignmentFlag.AlignCenter
        opt.position = QStyleOptionHeader.SectionPosition.Middle
        painter.save()
        painter.setClipRect(section_rect.intersected(cell))
        self.style().drawControl(QStyle.ControlElement.CE_Header, opt, painter, self)
        painter.restore()
