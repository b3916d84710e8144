"""Plan against actual per activity and month, for one quantity at a time (งาน or งบ):

    เลขที่ | กิจกรรม | 12 × (แผน, ผล) ต.ค. → ก.ย. | รวมแผน | รวมผล | ร้อยละ

The numbers come from plans.progress (one load); actual cells are editable for users who
record actuals, and `save_actual` (given by the view) stores each one as it is typed.
The S-curve's cumulative series are worked out here from the same rows, so the chart
always shows what the table shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from itertools import accumulate

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.i18n import _, tr
from app.rules.plan import MONTHS, MonthCell, add_up
from app.services.plans import ActivityProgress, PlanProgress
from app.thai import format_number
from ui.models.plan_columns import BAHT, display_text, month_label, plain_text, read_text

NUMBER_COLUMN, TITLE_COLUMN, FIRST_MONTH_COLUMN = 0, 1, 2
TOTAL_PLANNED = FIRST_MONTH_COLUMN + 2 * MONTHS
TOTAL_ACTUAL, PERCENT = TOTAL_PLANNED + 1, TOTAL_PLANNED + 2
COLUMN_COUNT = PERCENT + 1
EDITABLE_TINT = QBrush(QColor("#fffbea"))
HEADING_TINT = QBrush(QColor("#eef2f8"))
TOTALS_TINT = QBrush(QColor("#e3e9f2"))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_BOLD = QFont()
_BOLD.setBold(True)
SaveActual = Callable[[str, int, MonthCell], bool]


def month_sums(rows: Iterable[Sequence[MonthCell]]) -> list[MonthCell]:
    """Each month's work and baht added over the rows, ต.ค. → ก.ย."""
    rows = list(rows)
    return [MonthCell(*add_up(cells[m] for cells in rows)) for m in range(MONTHS)]


def cumulative(rows: Iterable[Sequence[MonthCell]]) -> tuple[Decimal, ...]:
    """Running baht totals ต.ค. → ก.ย. over every row's cells (the S-curve)."""
    return tuple(accumulate(cell.baht for cell in month_sums(rows)))


def months_reported(rows: Iterable[Sequence[MonthCell]]) -> int:
    """How many months, from ต.ค., have any work or money recorded (0 when none)."""
    last = -1
    for cells in rows:
        for m, cell in enumerate(cells):
            if (cell.work or cell.baht) and m > last:
                last = m
    return last + 1


def month_header_groups() -> list[list[tuple[int, int, str]]]:
    return [[(FIRST_MONTH_COLUMN + 2 * m, FIRST_MONTH_COLUMN + 2 * m + 1, month_label(m)) for m in range(MONTHS)]]


class PlanProgressModel(QAbstractTableModel):
    refused = Signal(str)  # typed text that is not a number: one Thai sentence why

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[ActivityProgress] = []
        self.quantity = BAHT
        self.can_edit = False
        self.save_actual: SaveActual | None = None
        self._headers = [_("เลขที่"), _("กิจกรรม")] + [_("แผน"), _("ผล")] * MONTHS + [
            _("รวมแผน"), _("รวมผล"), _("ร้อยละ")]

    def set_progress(self, progress: PlanProgress, *, can_edit: bool) -> None:
        self.beginResetModel()
        self.rows = list(progress.activities)
        self.can_edit = can_edit
        self.endResetModel()

    def set_quantity(self, quantity: str) -> None:
        self.beginResetModel()
        self.quantity = quantity
        self.endResetModel()

    def planned_cumulative(self) -> tuple[Decimal, ...]:
        return cumulative(r.planned for r in self.rows)

    def disbursed_cumulative(self) -> tuple[Decimal, ...]:
        return cumulative(r.actual for r in self.rows)

    def months_reported(self) -> int:
        return months_reported(r.actual for r in self.rows)

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows) + 1

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def _is_actual(self, row: int, column: int) -> bool:
        return (row < len(self.rows) and FIRST_MONTH_COLUMN <= column < TOTAL_PLANNED
                and (column - FIRST_MONTH_COLUMN) % 2 == 1 and not self.rows[row].is_heading)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if self.can_edit and self._is_actual(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _amount(self, cell: MonthCell):
        return cell.baht if self.quantity == BAHT else cell.work

    def _cells(self, row: int, planned: bool) -> list[MonthCell]:
        if row < len(self.rows):
            return list(self.rows[row].planned if planned else self.rows[row].actual)
        return month_sums(r.planned if planned else r.actual for r in self.rows)

    def value(self, row: int, column: int):
        if FIRST_MONTH_COLUMN <= column < TOTAL_PLANNED:
            month, is_actual = divmod(column - FIRST_MONTH_COLUMN, 2)
            return self._amount(self._cells(row, not is_actual)[month])
        if column in (TOTAL_PLANNED, TOTAL_ACTUAL):
            return sum((self._amount(c) for c in self._cells(row, column == TOTAL_PLANNED)), Decimal(0))
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row, column = index.row(), index.column()
        totals = row == len(self.rows)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NUMBER_COLUMN:
                return "" if totals else self.rows[row].number
            if column == TITLE_COLUMN:
                return _("รวมทั้งแผน") if totals else self.rows[row].title
            if column == PERCENT:
                return self._percent(row)
            return display_text(self.quantity, self.value(row, column))
        if role == Qt.ItemDataRole.EditRole and self._is_actual(row, column):
            manual = self._manual(self.rows[row], (column - FIRST_MONTH_COLUMN) // 2)
            return plain_text(self.quantity, self._amount(manual))
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= FIRST_MONTH_COLUMN:
            return _RIGHT
        if role == Qt.ItemDataRole.BackgroundRole:
            if totals:
                return TOTALS_TINT
            if self.rows[row].is_heading:
                return HEADING_TINT
            return EDITABLE_TINT if self.can_edit and self._is_actual(row, column) else None
        if role == Qt.ItemDataRole.FontRole and (totals or self.rows[row].is_heading):
            return _BOLD
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE_COLUMN and not totals:
            return self.rows[row].title
        if role == Qt.ItemDataRole.ToolTipRole and self._is_actual(row, column) and self.quantity != BAHT:
            visits = self.rows[row].visits[(column - FIRST_MONTH_COLUMN) // 2]
            if visits:
                return tr("รวมการเยี่ยมที่อนุมัติรายงานแล้ว {n} ครั้ง (บันทึกเพิ่มได้เฉพาะส่วนที่ไม่ได้มาจากการเยี่ยม)",
                          n=visits)
        return None

    @staticmethod
    def _manual(activity: ActivityProgress, month: int) -> MonthCell:
        """The part of an actual cell recorded by hand: approved visits are counted in by
        the service and are not typed again."""
        cell = activity.actual[month]
        return MonthCell(cell.work - activity.visits[month], cell.baht)

    def _percent(self, row: int) -> str:
        planned, actual = self.value(row, TOTAL_PLANNED), self.value(row, TOTAL_ACTUAL)
        if not planned:
            return ""
        return format_number(Decimal(actual) * 100 / Decimal(planned), decimals=1)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        row, column = index.row(), index.column()
        if role != Qt.ItemDataRole.EditRole or not (self.can_edit and self._is_actual(row, column)):
            return False
        month = (column - FIRST_MONTH_COLUMN) // 2
        activity = self.rows[row]
        try:
            amount = read_text(self.quantity, str(value))
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        old = self._manual(activity, month)
        cell = MonthCell(old.work, amount) if self.quantity == BAHT else MonthCell(amount, old.baht)
        if cell == old or self.save_actual is None or not self.save_actual(activity.key, month, cell):
            return cell == old
        actual = list(activity.actual)
        actual[month] = MonthCell(cell.work + activity.visits[month], cell.baht)
        self.rows[row] = replace(activity, actual=tuple(actual))
        self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, COLUMN_COUNT - 1))
        return True

