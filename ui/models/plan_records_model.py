"""An editable table of short records for the plan header: practitioners, targets, budget
lines, KPIs. Each column is text, a whole number or an amount in baht (Thai or Arabic
digits, commas); a cell that cannot be read keeps its value and `refused` says why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.i18n import _
from ui.models.plan_columns import BAHT, TARGET, TITLE, display_text, plain_text, read_text

TEXT, COUNT, MONEY = "text", "count", "money"
_FIELD = {COUNT: TARGET, MONEY: BAHT}  # how the grid's columns read the same kinds of number
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class RecordColumn:
    title: str  # Thai source text
    kind: str = TEXT


class RecordsModel(QAbstractTableModel):
    refused = Signal(str)
    edited = Signal()

    def __init__(self, columns: Sequence[RecordColumn], parent=None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.read_only = False
        self._rows: list[list] = []

    def set_records(self, rows: Sequence[Sequence]) -> None:
        self.beginResetModel()
        self._rows = [list(r) for r in rows]
        self.endResetModel()

    def records(self) -> list[tuple]:
        """The rows as tuples, blank rows left out."""
        return [tuple(r) for r in self._rows if any(v not in ("", None) for v in r)]

    def add_row(self) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(["" if c.kind == TEXT else None for c in self.columns])
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.edited.emit()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        return flags if self.read_only else flags | Qt.ItemFlag.ItemIsEditable

    def _field(self, column: int) -> str:
        return _FIELD.get(self.columns[column].kind, TITLE)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        value = self._rows[index.row()][index.column()]
        kind = self.columns[index.column()].kind
        if role == Qt.ItemDataRole.DisplayRole:
            if kind == MONEY and value is not None:
                return display_text(BAHT, value) or "0"
            return display_text(self._field(index.column()), value)
        if role == Qt.ItemDataRole.EditRole:
            return plain_text(self._field(index.column()), value)
        if role == Qt.ItemDataRole.ToolTipRole and kind == TEXT:
            return value or None
        if role == Qt.ItemDataRole.TextAlignmentRole and kind != TEXT:
            return _RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section].title)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.read_only:
            return False
        kind = self.columns[index.column()].kind
        try:
            parsed = read_text(self._field(index.column()), str(value))
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        if kind == MONEY and not str(value).strip():
            parsed = None  # an amount left blank prints as "-", as the sheets do
        if self._rows[index.row()][index.column()] != parsed:
            self._rows[index.row()][index.column()] = parsed
            self.dataChanged.emit(index, index)
            self.edited.emit()
        return True
