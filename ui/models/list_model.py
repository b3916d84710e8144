"""A read-only table model over a short list of rows already turned into text (users,
special days, an import report): what QTableWidget would be, but a model/view like the rest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

PAYLOAD_ROLE = Qt.ItemDataRole.UserRole  # the object a row stands for
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class ListModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], parent=None, *, right_aligned: Sequence[int] = ()) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._right = frozenset(right_aligned)  # columns of numbers
        self._rows: list[tuple[str, ...]] = []
        self._payloads: list[Any] = []

    def set_rows(self, rows: Sequence[tuple[str, ...]], payloads: Sequence[Any] | None = None) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self._payloads = list(payloads) if payloads is not None else [None] * len(self._rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == PAYLOAD_ROLE:
            return self._payloads[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._right:
            return _RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None
