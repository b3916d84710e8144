"""The plan grid as a spreadsheet: typing (Thai or Arabic digits), refusing bad text,
Delete, undo/redo, pasting a block from Excel, findings tinted with their reason, row tools,
and a locked plan that refuses every edit."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView

from app.rules.plan import MonthCell
from app.services import plans
from ui.models.plan_columns import BAHT, COLUMN_OF, TITLE, TOTAL_BAHT, TOTAL_WORK, WORK, month_column
from ui.models.plan_grid_model import FINDING_TINT
from ui.plan_grid import PlanGridPanel

FY = 2569
MEETING = Decimal("1750")
MEETING_TITLE = "ประชุมเจ้าหน้าที่ส่งเสริมสหกรณ์"  # the template's row (๑) of the spending plan


def seven_meetings() -> tuple[MonthCell, ...]:
    """Seed 004's row (๑): seven meetings of 1,750 baht (Nov–Jan, Feb, Mar, May, Jul)."""
    cells = [MonthCell()] * 12
    for m in (1, 2, 3, 4, 5, 7, 9):
        cells[m] = MonthCell(1, MEETING)
    return tuple(cells)


def seed_document(stated_total: Decimal | None = None):
    """The template with the seed's meeting row filled in (optionally stating its total)."""
    doc = plans.template_document(FY, "กลุ่มส่งเสริมสหกรณ์ ๑")
    rows = tuple(replace(a, months=seven_meetings(), stated_total_baht=stated_total) if a.title == MEETING_TITLE
                 else a for a in doc.sheet.activities)
    return replace(doc, sheet=replace(doc.sheet, activities=rows))


def meeting_row(model) -> int:
    return next(i for i, a in enumerate(model.activities) if a.title == MEETING_TITLE)


def select(view, top: int, left: int, bottom: int, right: int) -> None:
    model = view.model()
    view.select_cell(top, left)
    view.selectionModel().select(QItemSelection(model.index(top, left), model.index(bottom, right)),
                                 QItemSelectionModel.SelectionFlag.Select)


@pytest.fixture
def panel(qtbot):
    panel = PlanGridPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 600)
    panel.load(seed_document(), read_only=False)
    panel.show()
    return panel


def cell(model, row: int, column: int) -> str:
    return model.index(row, column).data()


def test_typing_thai_and_arabic_digits_updates_row_month_and_year_totals(qtbot, panel):
    view, model = panel.view, panel.model
    row, totals = 3, model.totals_row
    year_before = model.shown_value(totals, COLUMN_OF[TOTAL_BAHT])
    index = model.index(row, month_column(0, BAHT))
    view.select_cell(row, index.column())
    view.edit(index)
    editor = view.indexWidget(index)
    editor.setText("๑,๗๕๐")  # as typed on a Thai keyboard (QTest cannot type Thai)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell(model, row, index.column()) == "1,750")
    assert cell(model, row, COLUMN_OF[TOTAL_BAHT]) == "1,750"
    assert cell(model, totals, month_column(0, BAHT)) == "1,750"
    assert model.shown_value(totals, COLUMN_OF[TOTAL_BAHT]) == year_before + 1750
    assert view.currentIndex().row() == row + 1  # Enter goes down, like a spreadsheet

    work = model.index(row, month_column(1, WORK))
    view.select_cell(row, work.column())
    QTest.keyClick(view, "1")  # typing on a cell starts editing it …
    QTest.keyClicks(view.focusWidget(), "2")  # … and the editor takes the rest
    QTest.keyClick(view.focusWidget(), Qt.Key.Key_Tab)
    assert cell(model, row, work.column()) == "12"
    assert cell(model, row, COLUMN_OF[TOTAL_WORK]) == "12"
    assert view.currentIndex().column() == work.column() + 1  # Tab goes right
    assert view.state() != QAbstractItemView.State.EditingState


def test_text_that_is_not_a_number_is_refused_and_the_old_value_kept(panel):
    model, row = panel.model, 3
    index = model.index(row, month_column(2, BAHT))
    assert model.setData(index, "2,500")
    assert not model.setData(index, "๒๕๐๐ บาท")
    assert cell(model, row, index.column()) == "2,500"
    assert "๒๕๐๐ บาท" in panel.status_label.text() and "ค่าเดิม" in panel.status_label.text()
    assert not model.setData(model.index(row, month_column(2, WORK)), "1.5")  # work is a count
    assert not model.setData(index, "10.005")  # satang has two places
    assert model.undo_stack.count() == 1


def test_delete_clears_the_selection_and_undo_redo_restore_it(qtbot, panel):
    view, model, row = panel.view, panel.model, 3
    first, last = month_column(0, WORK), month_column(1, BAHT)
    assert model.paste(row, first, "1\t100\t2\t200\n") == (4, [])
    select(view, row, first, row, last)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert [cell(model, row, c) for c in range(first, last + 1)] == ["", "", "", ""]
    assert cell(model, row, COLUMN_OF[TOTAL_BAHT]) == ""
    panel.undo_action.trigger()
    assert [cell(model, row, c) for c in range(first, last + 1)] == ["1", "100", "2", "200"]
    assert cell(model, row, COLUMN_OF[TOTAL_BAHT]) == "300"
    panel.redo_action.trigger()
    assert cell(model, row, first) == ""
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the shortcut too
    assert cell(model, row, first) == "1"


def test_a_block_pasted_from_a_spreadsheet_fills_cells_as_one_undo_step(panel):
    view, model, row = panel.view, panel.model, 3
    first = month_column(0, WORK)
    QGuiApplication.clipboard().setText("๑\t๑,๗๕๐\t-\t2,500\r\n2\t300\t1\t-\r\n")  # 2 × 4 as Excel copies it
    view.select_cell(row, first)
    steps = model.undo_stack.count()
    view.paste()
    assert [cell(model, row, c) for c in range(first, first + 4)] == ["1", "1,750", "", "2,500"]
    assert [cell(model, row + 1, c) for c in range(first, first + 4)] == ["2", "300", "1", ""]
    assert model.undo_stack.count() == steps + 1
    assert "6" in panel.status_label.text() or "๖" in panel.status_label.text()
    model.undo_stack.undo()
    assert [cell(model, r, c) for r in (row, row + 1) for c in range(first, first + 4)] == [""] * 8
    model.undo_stack.redo()
    select(view, row, first, row + 1, first + 3)
    view.copy()  # and back out, as plain numbers a spreadsheet reads
    assert QGuiApplication.clipboard().text() == "1\t1750\t\t2500\n2\t300\t1\t\n"


def test_a_cell_with_a_finding_is_tinted_with_the_reason_as_its_tooltip(qtbot, panel):
    model = panel.model
    panel.load(seed_document(stated_total=Decimal("13650")), read_only=False)  # the seed's slip: 7 × 1,750
    row = meeting_row(model)
    index = model.index(row, COLUMN_OF[TOTAL_BAHT])
    assert index.data(Qt.ItemDataRole.BackgroundRole) == FINDING_TINT
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "13,650.00" in tip and "12,250.00" in tip
    assert panel.findings_table.isVisibleTo(panel) and panel.findings_model.rowCount() == 1
    # One more meeting makes the months add up to what the sheet stated: the tint goes,
    # after the checks' short pause.
    model.setData(model.index(row, month_column(10, BAHT)), "1,400")
    qtbot.waitUntil(lambda: index.data(Qt.ItemDataRole.BackgroundRole) != FINDING_TINT, timeout=2000)
    assert model.findings == [] and not panel.findings_table.isVisibleTo(panel)


def test_rows_are_added_indented_moved_and_removed_with_undo(panel):
    model = panel.model
    count = len(model.activities)
    panel.view.select_cell(3, COLUMN_OF[TITLE])
    panel.add_row()
    assert len(model.activities) == count + 1 and panel.view.currentIndex().row() == 4
    model.setData(model.index(4, COLUMN_OF[TITLE]), "ประชุมใหม่")
    depth = model.depth(4)  # an unnumbered row sits under ๑.๑ above it
    model.shift_level([4], -1)
    assert model.depth(4) == depth - 1
    model.shift_level([4], 1)
    model.shift_level([4], 1)  # refused: not two levels below the row above
    assert model.depth(4) == depth
    assert "ไม่เกินหนึ่งระดับ" in panel.status_label.text()
    assert model.move(4, 4, -1) and model.activities[3].title == "ประชุมใหม่"
    model.remove([3])
    assert len(model.activities) == count
    for _step in range(4):  # remove, move, indent, outdent
        model.undo_stack.undo()
    assert model.activities[4].title == "ประชุมใหม่" and model.depth(4) == depth
    panel.add_heading()
    assert model.activities[panel.view.currentIndex().row()].is_heading


def test_a_locked_plan_refuses_every_edit(panel):
    panel.load(seed_document(), read_only=True, banner="อนุมัติแล้ว")
    model, index = panel.model, panel.model.index(3, month_column(0, BAHT))
    assert not index.flags() & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(index, "100")
    assert model.paste(3, index.column(), "1\t2\n") == (0, [])
    assert model.clear([(3, index.column())]) == 0
    assert model.undo_stack.count() == 0
    assert panel.banner.isVisibleTo(panel) and not panel.toolbar.isVisibleTo(panel)


def test_indenting_then_renumbering_gives_the_sheets_numbers(panel):
    model = panel.model
    numbers = lambda: [a.number for a in model.activities[2:6]]  # noqa: E731
    assert numbers() == ["๑", "๑.๑", "๑.๒", "๒"]
    model.shift_level([4], 1)  # ๑.๒ goes under ๑.๑
    assert model.renumber() >= 1  # (the template also skips a ๓ further down, as seed 004 does)
    assert numbers() == ["๑", "๑.๑", "๑.๑.๑", "๒"]
    model.undo_stack.undo()
    assert numbers() == ["๑", "๑.๑", "๑.๒", "๒"]


def test_a_title_under_the_frozen_columns_is_edited_in_place(qtbot, panel):
    view, model = panel.view, panel.model
    title = COLUMN_OF[TITLE]
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    view.select_cell(3, title)
    QTest.keyClick(view, Qt.Key.Key_F2)
    editor = view.indexWidget(model.index(3, title))
    assert editor is not None and view.cover.isHidden() and view.horizontalScrollBar().value() == 0
    editor.setText("ร่วมกับกลุ่มงานวิชาการวิเคราะห์ผล")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.cover.isHidden())
    assert model.activities[3].title == "ร่วมกับกลุ่มงานวิชาการวิเคราะห์ผล"
