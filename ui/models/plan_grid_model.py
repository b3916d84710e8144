"""The plan grid's model: the activities of one plan as an editable table.

Why a flat table and not a tree: the sheet is edited like a spreadsheet — arrows, Tab and
Enter run over every row, a block pasted from Excel lands on consecutive rows whatever
their outline, Delete clears a rectangle. A tree model would make every one of those cross
parent boundaries and hide rows under collapsed parents. The outline is shown instead
by indenting the title by its depth (app.rules.plan's outline, recomputed on each change),
and changed by indent/outdent, which set the row's explicit `level`.

The last row is the totals row: month totals and the year total, computed by
app.rules.plan.totals on every change (a few hundred additions, so no caching beyond one
pass per change). Findings (app.rules.plan.validate) are recomputed 150 ms after the
last change, tinting their cells with Finding.message() as the tooltip.

Every change goes through the undo stack (ui.models.plan_grid_commands). The model never
touches the database: the page loads a PlanDocument into it and saves `document()`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack

from app.i18n import _, tr
from app.rules import plan as rules
from app.rules.plan import (
    MONTHS,
    ZERO,
    Finding,
    MonthCell,
    PlanActivity,
    PlanSheet,
    StatedCell,
    Total,
    month_totals,
    row_totals,
    validate,
    year_total,
)
from app.rules.plan.document import PlanDocument, PlanHeader
from ui.models.plan_columns import (
    BAHT,
    COLUMN_OF,
    COLUMNS,
    NUMBER,
    NUMERIC_FIELDS,
    RESPONSIBLE,
    TARGET,
    TITLE,
    TOTAL_BAHT,
    TOTAL_FIELDS,
    TOTAL_WORK,
    UNIT,
    WORK,
    column_title,
    display_text,
    empty_value,
    month_column,
    plain_text,
    read_text,
)
from ui.models.plan_grid_commands import ChangeRows, InsertRows, MoveRows, RemoveRows
from ui.models.plan_numbering import renumbered

FINDINGS_DELAY_MS = 150  # wait for a pause in typing before checking the whole plan
DEPTH_ROLE = Qt.ItemDataRole.UserRole + 1  # outline depth of a row, for the title's indent
FINDING_TINT = QBrush(QColor("#fbd9d3"))
HEADING_TINT = QBrush(QColor("#eef2f8"))
TOTALS_TINT = QBrush(QColor("#e3e9f2"))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_BOLD = QFont()
_BOLD.setBold(True)

# The totals row's stated figures (what an imported sheet printed): 12 months and the year.
Stated = tuple[tuple[StatedCell, ...] | None, StatedCell | None]
Cell = tuple[int, int]

_ACTIVITY_ATTR = {NUMBER: "number", TITLE: "title", TARGET: "target_quantity", UNIT: "unit",
                  RESPONSIBLE: "responsible", TOTAL_WORK: "stated_total_work", TOTAL_BAHT: "stated_total_baht"}


def new_key() -> str:
    # A UUID, so the service keeps it as the row's lineage and a save changes no key.
    return str(uuid.uuid4())


def _with_month(a: PlanActivity, month: int, field: str, value) -> PlanActivity:
    months = list(a.months)
    cell = months[month]
    months[month] = MonthCell(value, cell.baht) if field == WORK else MonthCell(cell.work, value)
    return replace(a, months=tuple(months))


class PlanGridModel(QAbstractTableModel):
    refused = Signal(str)  # a typed or pasted value was not taken: one Thai sentence why
    findings_changed = Signal()
    focus_requested = Signal(int, int)  # after undo/redo: the cell the change was in

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.read_only = False
        self.findings: list[Finding] = []
        self._base = PlanDocument(PlanHeader(), PlanSheet())
        self._rows: list[PlanActivity] = []
        self._stated: Stated = (None, None)
        self._marks: dict[Cell, list[str]] = {}
        self._row_totals: list[Total] = []
        self._month_totals: tuple[Total, ...] = (ZERO,) * MONTHS
        self._year = ZERO
        self._depths: tuple[int, ...] = ()
        self._headers = [column_title(i) for i in range(len(COLUMNS))]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FINDINGS_DELAY_MS)
        self._timer.timeout.connect(self.refresh_findings)

    # -- the document --------------------------------------------------------------------

    def set_document(self, doc: PlanDocument, *, read_only: bool) -> None:
        self.beginResetModel()
        self._base = doc
        self._rows = list(doc.sheet.activities)
        self._stated = (doc.sheet.stated_month_totals, doc.sheet.stated_total)
        self.read_only = read_only
        self._recount()
        self.endResetModel()
        self.undo_stack.clear()
        self.refresh_findings()

    def sheet(self) -> PlanSheet:
        months, total = self._stated
        return replace(self._base.sheet, activities=tuple(self._rows), stated_month_totals=months,
                       stated_total=total)

    def document(self) -> PlanDocument:
        """The plan as edited (with the header it was loaded with; the page adds its own)."""
        return replace(self._base, sheet=self.sheet())

    def set_sheet_fields(self, *, title: str, budget_total: Decimal | None) -> None:
        """Fields the header editor owns that the checks need (the budget total)."""
        self._base = replace(self._base, sheet=replace(self._base.sheet, title=title, budget_total=budget_total))
        self._timer.start()

    def set_base(self, doc: PlanDocument) -> None:
        """After saving: the stored document (its state, revision, approval) under the rows
        as they are, which the stored ones equal."""
        self._base = doc

    @property
    def activities(self) -> list[PlanActivity]:
        return list(self._rows)

    @property
    def totals_row(self) -> int:
        return len(self._rows)

    def depth(self, row: int) -> int:
        return self._depths[row] if row < len(self._depths) else 0

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows) + 1

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if self.is_editable(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def is_editable(self, row: int, column: int) -> bool:
        return not self.read_only and row < len(self._rows) and COLUMNS[column].field not in TOTAL_FIELDS

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row, column = index.row(), index.column()
        field = COLUMNS[column].field
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(field, self.shown_value(row, column))
        if role == Qt.ItemDataRole.EditRole:
            return plain_text(field, self.value(row, column))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if field in NUMERIC_FIELDS else _LEFT
        if role == Qt.ItemDataRole.BackgroundRole:
            if (row, column) in self._marks:
                return FINDING_TINT
            if row == len(self._rows):
                return TOTALS_TINT
            return HEADING_TINT if self._rows[row].is_heading else None
        if role == Qt.ItemDataRole.ToolTipRole:
            marks = self._marks.get((row, column))
            if marks:
                return "\n".join(marks)
            if field == TITLE and row < len(self._rows):
                return self._rows[row].title or None  # long titles are elided in the cell
            return None
        if role == Qt.ItemDataRole.FontRole:
            if row == len(self._rows) or self._rows[row].is_heading:
                return _BOLD
            return None
        if role == DEPTH_ROLE:
            return self.depth(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, column = index.row(), index.column()
        if not self.is_editable(row, column):
            return False
        try:
            parsed = read_text(COLUMNS[column].field, str(value))
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        self.edit({(row, column): parsed}, tr("แก้ไขช่อง {column}", column=self._headers[column]))
        return True

    # -- values ----------------------------------------------------------------------------

    def value(self, row: int, column: int):
        """What a cell stores (for the totals row and the total columns: the stated figure)."""
        col = COLUMNS[column]
        if row == len(self._rows):
            months, total = self._stated
            if col.month is not None:
                stated = months[col.month] if months else None
            elif col.field in TOTAL_FIELDS:
                stated = total
            else:
                return None if col.field == TARGET else ""
            return None if stated is None else (stated.work if col.field in (WORK, TOTAL_WORK) else stated.baht)
        a = self._rows[row]
        if col.month is not None:
            cell = a.months[col.month]
            return cell.work if col.field == WORK else cell.baht
        return getattr(a, _ACTIVITY_ATTR[col.field])

    def shown_value(self, row: int, column: int):
        """What a cell shows: totals are computed, never the stated figure."""
        col = COLUMNS[column]
        if row == len(self._rows):
            if col.month is not None:
                total = self._month_totals[col.month]
            elif col.field in TOTAL_FIELDS:
                total = self._year
            elif col.field == TITLE:
                return _("รวมทั้งแผน")
            else:
                return "" if col.field not in NUMERIC_FIELDS else None
            return total.work if col.field in (WORK, TOTAL_WORK) else total.baht
        if col.field in TOTAL_FIELDS:
            total = self._row_totals[row]
            return total.work if col.field == TOTAL_WORK else total.baht
        return self.value(row, column)

    def _apply(self, values: dict[Cell, object]) -> tuple[dict[int, PlanActivity], Stated]:
        rows: dict[int, PlanActivity] = {}
        months, total = self._stated
        for (row, column), value in sorted(values.items()):
            col = COLUMNS[column]
            if row == len(self._rows):
                months, total = self._with_stated(months, total, col.field, col.month, value)
                continue
            a = rows.get(row, self._rows[row])
            if col.month is not None:
                rows[row] = _with_month(a, col.month, col.field, value)
            else:
                rows[row] = replace(a, **{_ACTIVITY_ATTR[col.field]: value})
        return rows, (months, total)

    @staticmethod
    def _with_stated(months, total, field: str, month: int | None, value) -> Stated:
        def cell(stated: StatedCell | None) -> StatedCell:
            stated = stated or StatedCell()
            is_work = field in (WORK, TOTAL_WORK)
            return StatedCell(value if is_work else stated.work, stated.baht if is_work else value)

        if month is None:
            return months, cell(total)
        months = list(months or (StatedCell(),) * MONTHS)
        months[month] = cell(months[month])
        return tuple(months), total

    # -- edits (each one undo step) ----------------------------------------------------------

    def _refuse_if_locked(self) -> bool:
        if self.read_only:
            self.refused.emit(_("แผนฉบับนี้แก้ไขไม่ได้ ดูเหตุผลที่แถบด้านบนของตาราง"))
        return self.read_only

    def edit(self, values: dict[Cell, object], text: str) -> int:
        """Set cells to values (already read); returns how many changed."""
        if self._refuse_if_locked():
            return 0
        changed = {cell: v for cell, v in values.items() if self.value(*cell) != v}
        if not changed:
            return 0
        after_rows, after_stated = self._apply(changed)
        before_rows = {row: self._rows[row] for row in after_rows}
        self.undo_stack.push(ChangeRows(self, (before_rows, self._stated), (after_rows, after_stated), text,
                                        min(changed)))
        return len(changed)

    def clear(self, cells: Iterable[Cell]) -> int:
        """Delete: empty the cells; on totals, forget the figure the sheet stated."""
        values = {}
        for row, column in cells:
            field = COLUMNS[column].field
            on_totals_row = row == len(self._rows)
            if on_totals_row and not (COLUMNS[column].month is not None or field in TOTAL_FIELDS):
                continue
            values[(row, column)] = None if on_totals_row else empty_value(field)
        return self.edit(values, _("ลบค่าในช่อง"))

    def paste(self, top: int, left: int, text: str) -> tuple[int, list[str]]:
        """Put a tab-separated block (as Excel and LibreOffice copy it) from (top, left), as one
        undo step, adding rows below the plan if the block is longer. Returns the number of
        cells set and the Thai sentences of those that could not be read."""
        if self._refuse_if_locked():
            return 0, []
        block = parse_block(text)
        values: dict[Cell, object] = {}
        problems: list[str] = []
        new_rows = max(0, top + len(block) - len(self._rows))
        for i, line in enumerate(block):
            for j, cell_text in enumerate(line):
                column = left + j
                if column >= len(COLUMNS) or COLUMNS[column].field in TOTAL_FIELDS:
                    continue
                try:
                    values[(top + i, column)] = read_text(COLUMNS[column].field, cell_text)
                except ValueError as exc:
                    problems.append(str(exc))
        if not values:
            return 0, problems
        self.undo_stack.beginMacro(_("วางข้อมูล"))
        if new_rows:
            self.undo_stack.push(InsertRows(self, len(self._rows), [PlanActivity(key=new_key())
                                                                    for _i in range(new_rows)], _("เพิ่มแถว")))
        count = self.edit(values, _("วางข้อมูล"))
        self.undo_stack.endMacro()
        return count, problems

    def fill(self, cells: Iterable[Cell], text: str) -> tuple[int, list[str]]:
        """One copied value pasted over a selection of several cells: each editable one takes it."""
        if self._refuse_if_locked():
            return 0, []
        values: dict[Cell, object] = {}
        for row, column in cells:
            if self.is_editable(row, column):
                try:
                    values[(row, column)] = read_text(COLUMNS[column].field, text)
                except ValueError as exc:
                    return 0, [str(exc)]
        return self.edit(values, _("วางข้อมูล")), []

    def insert(self, position: int, *, heading: bool = False) -> int:
        """A new empty activity (or heading) at `position`; returns its row."""
        if self._refuse_if_locked():
            return -1
        position = max(0, min(position, len(self._rows)))
        row = PlanActivity(key=new_key(), is_heading=heading)
        self.undo_stack.push(InsertRows(self, position, [row], _("เพิ่มหัวข้อ") if heading else _("เพิ่มกิจกรรม")))
        return position

    def remove(self, rows: Iterable[int]) -> None:
        """Delete activity rows (the totals row stays); several blocks are one undo step."""
        if self._refuse_if_locked():
            return
        blocks = _blocks(r for r in rows if r < len(self._rows))
        if not blocks:
            return
        self.undo_stack.beginMacro(_("ลบแถว"))
        for first, last in reversed(blocks):  # bottom first, so the rows above keep their place
            self.undo_stack.push(RemoveRows(self, first, last - first + 1, _("ลบแถว")))
        self.undo_stack.endMacro()

    def move(self, first: int, last: int, delta: int) -> bool:
        """Move rows first..last up (delta < 0) or down; False at the edge of the plan."""
        if self._refuse_if_locked():
            return False
        if first < 0 or last >= len(self._rows) or first + delta < 0 or last + delta >= len(self._rows):
            return False
        self.undo_stack.push(MoveRows(self, first, last - first + 1, delta,
                                      _("ย้ายขึ้น") if delta < 0 else _("ย้ายลง")))
        return True

    def renumber(self) -> int:
        """Number the rows again from the outline (ui.models.plan_numbering); one undo step."""
        if self._refuse_if_locked():
            return 0
        numbers = renumbered(self._rows, self.sheet().outline)
        return self.edit({(row, COLUMN_OF[NUMBER]): n for row, n in enumerate(numbers)}, _("เรียงเลขที่ใหม่"))

    def shift_level(self, rows: Iterable[int], step: int) -> None:
        """Indent (+1) or outdent (-1) rows together with the rows under them in the outline.
        A row goes at most one level below the row above it, so the outline stays a tree."""
        if self._refuse_if_locked():
            return
        outline = self.sheet().outline
        chosen = sorted({r for r in rows if r < len(self._rows)})
        moving = sorted(set(chosen) | {d for r in chosen for d in outline.descendants(r)})
        if not moving:
            return
        first = moving[0]
        limit = self._depths[first - 1] + 1 if first > 0 else 0
        if step > 0 and self._depths[first] + step > limit:
            self.refused.emit(_("เลื่อนขวาได้ไม่เกินหนึ่งระดับใต้แถวที่อยู่ด้านบน"))
            return
        if step < 0 and min(self._depths[r] for r in moving) + step < 0:
            return
        after = {r: replace(self._rows[r], level=self._depths[r] + step) for r in moving}
        before = {r: self._rows[r] for r in moving}
        self.undo_stack.push(ChangeRows(self, (before, self._stated), (after, self._stated),
                                        _("เลื่อนขวา") if step > 0 else _("เลื่อนซ้าย"), (first, COLUMN_OF[TITLE])))

    # -- primitive changes (only the undo commands call these) -----------------------------

    def _set(self, rows: dict[int, PlanActivity], stated: Stated) -> None:
        for row, activity in rows.items():
            self._rows[row] = activity
        self._stated = stated
        self._recount()
        self._changed()

    def _insert(self, position: int, rows: list[PlanActivity]) -> None:
        self.beginInsertRows(QModelIndex(), position, position + len(rows) - 1)
        self._rows[position:position] = rows
        self._recount()
        self.endInsertRows()
        self._changed()

    def _remove(self, position: int, count: int) -> list[PlanActivity]:
        self.beginRemoveRows(QModelIndex(), position, position + count - 1)
        removed = self._rows[position:position + count]
        del self._rows[position:position + count]
        self._recount()
        self.endRemoveRows()
        self._changed()
        return removed

    def _move(self, first: int, count: int, delta: int) -> None:
        destination = first + delta if delta < 0 else first + count + delta
        self.beginMoveRows(QModelIndex(), first, first + count - 1, QModelIndex(), destination)
        block = self._rows[first:first + count]
        del self._rows[first:first + count]
        self._rows[first + delta:first + delta] = block
        self._recount()
        self.endMoveRows()
        self._changed()

    def _changed(self) -> None:
        # Totals, indents and the totals row may change anywhere: repaint the lot (cheap).
        self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1))
        self._timer.start()

    def _recount(self) -> None:
        sheet = self.sheet()
        self._row_totals = [row_totals(a) for a in self._rows]
        self._month_totals = month_totals(sheet)
        self._year = year_total(sheet)
        self._depths = sheet.outline.depths

    # -- findings --------------------------------------------------------------------------

    def refresh_findings(self) -> None:
        self._timer.stop()
        self.findings = validate(self.sheet())
        marks: dict[Cell, list[str]] = {}
        for f in self.findings:
            cell = self.cell_of(f)
            if cell is not None:
                marks.setdefault(cell, []).append(f.message())
        if marks != self._marks:
            self._marks = marks
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])
        self.findings_changed.emit()

    def cell_of(self, f: Finding) -> Cell | None:
        """The grid cell a finding is about (the totals row for the sheet's own figures)."""
        if f.activity_key is None:
            row = len(self._rows)
        else:
            row = next((i for i, a in enumerate(self._rows) if a.key == f.activity_key), None)
            if row is None:
                return None
        if f.column == rules.TARGET:
            return row, COLUMN_OF[TARGET]
        if f.column == rules.TOTAL:
            return row, COLUMN_OF[TOTAL_BAHT]
        field = BAHT if f.column == rules.BAHT else WORK
        if f.month is None:
            return row, COLUMN_OF[TOTAL_BAHT if field == BAHT else TOTAL_WORK]
        return row, month_column(f.month, field)

    def marked(self, row: int, column: int) -> list[str]:
        return list(self._marks.get((row, column), ()))


def parse_block(text: str) -> list[list[str]]:
    """Rows of tab-separated cells, as spreadsheets put them on the clipboard (the last line
    break ends the block, it does not start an empty row)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]


def _blocks(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted rows as runs of consecutive numbers: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    out: list[tuple[int, int]] = []
    for r in sorted(set(rows)):
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out
