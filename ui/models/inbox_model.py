"""The approval inbox's table: a model over the submitted travel plans and visit reports the
user may approve, and the proxy that filters them by kind and officer.

Everything a row shows (cells, sort keys, the preview lines, the approval history) is
prepared once per load in the worker thread (`build_lines`), so the table and the preview
never go back to the database. The inbox is short (tens of items): sorting goes through
the proxy's lessThan over those prepared keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.i18n import _
from app.services.visit_views import InboxItem
from app.thai import thai_sort_key
from ui.formatting import ui_digits, when_text

# (key, Thai header). The order is the column order.
COLUMNS = (
    ("kind", "ประเภท"),
    ("officer", "เจ้าหน้าที่"),
    ("title", "เรื่อง"),
    ("submitted", "ส่งเมื่อ"),
    ("lines", "จำนวนรายการ"),
)
COLUMN = {key: i for i, (key, _title) in enumerate(COLUMNS)}
ITEM_ROLE = Qt.ItemDataRole.UserRole  # the InboxItem of a row
# The kind column's words: the workflows' full labels do not fit a column, and the titles
# beside them read "แผนการเดินทาง …" / "รายงานการเยี่ยม …".
KIND_LABELS = {"travel_plan": "แผนการเดินทาง", "cps_report": "รายงานการเยี่ยม"}
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class HistoryLine:
    when: str
    text: str


@dataclass(frozen=True)
class InboxLine:
    item: InboxItem
    cells: tuple[str, ...]  # display text, one per column
    keys: tuple  # sort key, one per column
    preview: tuple[str, ...]  # the item's lines as the preview shows them
    history: tuple[HistoryLine, ...]  # its approval steps, oldest first
    heading: str = ""  # the title as the preview shows it (with word breaks)

    @property
    def id(self) -> str:
        return self.item.id


def build_line(item: InboxItem, history: Sequence[HistoryLine] = (), preview: Sequence[str] | None = None,
               heading: str | None = None) -> InboxLine:
    """Text and sort keys for one item. No Qt objects: it runs in the worker."""
    kind = _(KIND_LABELS[item.kind]) if item.kind in KIND_LABELS else item.kind_label
    cells = (kind, item.owner_name, item.title, when_text(item.submitted_at), ui_digits(len(item.lines)))
    keys = (
        thai_sort_key(kind), thai_sort_key(item.owner_name), thai_sort_key(item.title),
        (item.submitted_at is None, item.submitted_at.isoformat() if item.submitted_at else ""),
        len(item.lines),
    )
    return InboxLine(item, cells, keys, tuple(item.lines if preview is None else preview), tuple(history),
                     item.title if heading is None else heading)


class InboxModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._lines: list[InboxLine] = []
        self._headers = [_(title) for _key, title in COLUMNS]

    def set_lines(self, lines: Iterable[InboxLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def lines(self) -> list[InboxLine]:
        return list(self._lines)

    def line(self, row: int) -> InboxLine:
        return self._lines[row]

    def row_of(self, item_id: str) -> int:
        return next((i for i, line in enumerate(self._lines) if line.id == item_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line = self._lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return line.cells[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COLUMN["lines"]:
            return _RIGHT
        if role == ITEM_ROLE:
            return line.item
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == COLUMN["lines"]:
            return _RIGHT
        return None


@dataclass(frozen=True)
class InboxFilter:
    """What the filter combos ask for; "" means any."""

    kind: str = ""  # workflow name: travel_plan | cps_report
    officer: str = ""  # owner's user id

    def accepts(self, item: InboxItem) -> bool:
        return (not self.kind or item.kind == self.kind) and (not self.officer or item.owner_id == self.officer)


class InboxProxy(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.criteria = InboxFilter()
        self._model: InboxModel | None = None

    def setSourceModel(self, model: InboxModel) -> None:  # noqa: N802 - Qt override
        self._model = model
        super().setSourceModel(model)

    def set_filter(self, criteria: InboxFilter) -> None:
        if criteria == self.criteria:
            return
        self.beginFilterChange()
        self.criteria = criteria
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        return self.criteria.accepts(self._model.line(source_row).item)

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,  # noqa: N802 - Qt override
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        column = left.column()
        a, b = self._model.line(left.row()), self._model.line(right.row())
        return (a.keys[column], a.keys[COLUMN["submitted"]]) < (b.keys[column], b.keys[COLUMN["submitted"]])

    def line(self, proxy_row: int) -> InboxLine:
        return self._model.line(self.mapToSource(self.index(proxy_row, 0)).row())

    def visible_lines(self) -> list[InboxLine]:
        return [self.line(r) for r in range(self.rowCount())]
