"""The registry table: a model over the InstitutionRows the service lists, and the proxy
that filters them.

Built for 10,000 rows: every cell's text, the search text and every column's sort key are
computed once per load (in the worker thread, see `build_lines`), so data() is one tuple
lookup and sorting never calls thai_sort_key or goes back to the database. Sorting is done
by the source model with Python's sort over those keys; a proxy `lessThan` would be called
~280,000 times through Python for one sort of 10,000 rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.i18n import _
from app.rules.registry import STATUSES, standards_label
from app.services.registry import InstitutionRow
from app.thai import thai_sort_key, to_arabic_digits

# (key, Thai header). The order is the column order.
COLUMNS = (
    ("reg_no", "เลขทะเบียน"),
    ("name", "ชื่อ"),
    ("type", "ประเภท"),
    ("district", "อำเภอ"),
    ("status", "สถานะ"),
    ("members", "สมาชิก"),
    ("strength", "ระดับชั้น"),
    ("standards", "มาตรฐาน"),
    ("officer", "เจ้าหน้าที่"),
    ("group", "กลุ่ม"),
)
COLUMN = {key: i for i, (key, _title) in enumerate(COLUMNS)}
ROW_ROLE = Qt.ItemDataRole.UserRole  # the InstitutionRow of a line
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


def search_text(text: str) -> str:
    """Typed search text and stored names compare the same whatever digits or spacing."""
    return to_arabic_digits(text.replace("\u200b", "")).casefold()


def strength_text(row: InstitutionRow) -> str:
    if row.out_of_scope:
        return _("ไม่อยู่ในเกณฑ์")
    return str(row.strength_class) if row.strength_class is not None else ""


@dataclass(slots=True)
class RegistryLine:
    row: InstitutionRow
    cells: tuple[str, ...]  # display text, one per column
    keys: tuple  # sort key, one per column
    haystack: str  # what the search box looks in: reg no and name


def build_lines(rows: Iterable[InstitutionRow]) -> list[RegistryLine]:
    """Text and sort keys for every row. Pure Python (no Qt), so it runs in the worker."""
    memo: dict[str, tuple] = {}

    def text_key(text: str) -> tuple:
        # Most columns repeat a few values (types, districts, officers): sort-key each once.
        key = memo.get(text)
        if key is None:
            key = memo[text] = (text == "", thai_sort_key(text))  # blanks last
        return key

    lines = []
    for r in rows:
        strength = strength_text(r)
        cells = (
            r.reg_no, r.name, _(r.type_label), r.district_name, _(STATUSES.get(r.status, r.status)),
            f"{r.members:,}" if r.members is not None else "", strength,
            _(standards_label(r.kind, r.standards_result)), r.officer_name, r.group_name,
        )
        keys = (
            (False, thai_sort_key(r.reg_no)), (r.name == "", thai_sort_key(r.name)), text_key(cells[2]),
            text_key(cells[3]), text_key(cells[4]), (r.members is None, r.members or 0),
            (r.strength_class is None and not r.out_of_scope, r.out_of_scope, r.strength_class or 0),
            text_key(cells[7]), text_key(cells[8]), text_key(cells[9]),
        )
        lines.append(RegistryLine(r, cells, keys, search_text(f"{r.reg_no}\n{r.reg_no.replace(' ', '')}\n{r.name}")))
    return lines


class RegistryModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._lines: list[RegistryLine] = []
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None
        self._headers = [_(title) for _key, title in COLUMNS]

    # -- data ------------------------------------------------------------------------------

    def set_lines(self, lines: list[RegistryLine], sort_column: int = -1,
                  order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.beginResetModel()
        self._lines = lines
        self._sorted_by = None
        if sort_column >= 0:
            self._sort_lines(sort_column, order)
        self.endResetModel()

    def line(self, row: int) -> RegistryLine:
        return self._lines[row]

    def row_of(self, institution_id: str) -> int:
        return next((i for i, line in enumerate(self._lines) if line.row.id == institution_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return self._lines[index.row()].cells[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            column = index.column()
            if column == COLUMN["members"]:
                return _RIGHT
            if column == COLUMN["strength"]:
                return _CENTER
            return None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COLUMN["name"]:
            return self._lines[index.row()].cells[COLUMN["name"]]  # names are often elided
        if role == ROW_ROLE:
            return self._lines[index.row()].row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section == COLUMN["members"] else None
        return None

    # -- sorting ---------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # QTableView asks twice per header click (sortByColumn, then the header's signal).
        if not 0 <= column < len(COLUMNS) or self._sorted_by == (column, order):
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        old_lines = [self._lines[i.row()] for i in before]
        self._sort_lines(column, order)
        if before:
            position = {id(line): row for row, line in enumerate(self._lines)}
            after = [self.index(position[id(line)], i.column()) for line, i in zip(old_lines, before, strict=True)]
            self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _sort_lines(self, column: int, order: Qt.SortOrder) -> None:
        self._lines.sort(key=lambda line: line.keys[column], reverse=order == Qt.SortOrder.DescendingOrder)
        self._sorted_by = (column, order)


@dataclass(frozen=True)
class RegistryFilter:
    """What the search box and the filter combos ask for; "" means any."""

    text: str = ""
    kind: str = ""  # "coop", "farmer_group" or "coop:<coop_type>"
    district: str = ""  # district code, or NONE
    strength: str = ""  # "1".."4", "out" (out of scope) or NONE
    standards: str = ""  # "pass", "fail", "not_assessed" or NONE
    officer: str = ""  # user id, or NONE

    NONE = "-"  # the "not recorded / nobody" choice of a combo

    def predicate(self) -> Callable[[RegistryLine], bool] | None:
        """A test for one line, or None when everything passes."""
        tests: list[Callable[[InstitutionRow], bool]] = []
        none = self.NONE
        if self.kind.startswith("coop:"):
            coop_type = self.kind.removeprefix("coop:")
            tests.append(lambda r: r.kind == "coop" and r.coop_type == coop_type)
        elif self.kind:
            tests.append(lambda r: r.kind == self.kind)
        if self.district:
            district = None if self.district == none else self.district
            tests.append(lambda r: r.district_code == district)
        if self.strength == "out":
            tests.append(lambda r: r.out_of_scope)
        elif self.strength == none:
            tests.append(lambda r: r.strength_class is None and not r.out_of_scope)
        elif self.strength:
            strength = int(self.strength)
            tests.append(lambda r: r.strength_class == strength)
        if self.standards:
            standards = None if self.standards == none else self.standards
            tests.append(lambda r: r.standards_result == standards)
        if self.officer:
            officer = None if self.officer == none else self.officer
            tests.append(lambda r: r.officer_id == officer)
        terms = search_text(self.text).split()
        if not tests and not terms:
            return None

        def accepts(line: RegistryLine) -> bool:  # plain loops: called 10,000 times per change
            for term in terms:
                if term not in line.haystack:
                    return False
            for test in tests:
                if not test(line.row):
                    return False
            return True

        return accepts


class RegistryProxy(QSortFilterProxyModel):
    """Filters with a RegistryFilter; sorting is handed to the source model (see above)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.criteria = RegistryFilter()
        self._accepts: Callable[[RegistryLine], bool] | None = None
        self._model: RegistryModel | None = None  # sourceModel() costs a wrapper lookup per call

    def setSourceModel(self, model: RegistryModel) -> None:  # noqa: N802 - Qt override
        self._model = model
        super().setSourceModel(model)

    def set_filter(self, criteria: RegistryFilter) -> None:
        if criteria == self.criteria:
            return
        self.beginFilterChange()
        self.criteria = criteria
        self._accepts = criteria.predicate()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        return self._accepts is None or self._accepts(self._model.line(source_row))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._model.sort(column, order)

    def line(self, proxy_row: int) -> RegistryLine:
        return self._model.line(self.mapToSource(self.index(proxy_row, 0)).row())
