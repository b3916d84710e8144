"""The plan grid: a spreadsheet over PlanGridModel, with the row tools above it, a banner
when the plan cannot be edited, the findings below it and a one-line status.

Keyboard, as in Excel and LibreOffice: arrows move; typing replaces the cell (Thai or
Arabic digits, commas, "-" for zero); Enter commits and goes down, Tab right, Shift
for the other way; F2 edits in place; Delete clears the selection; Ctrl+C / Ctrl+V copy
and paste tab-separated blocks; Ctrl+Z / Ctrl+Y undo and redo; Ctrl+Insert adds a row,
Ctrl+Delete removes rows, Alt+Shift+→/← indent/outdent, Alt+Shift+↑/↓ move rows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from ui.formatting import ui_digits
from ui.models.list_model import PAYLOAD_ROLE, ListModel
from ui.models.plan_columns import COLUMN_OF, COLUMNS, NUMERIC_FIELDS, TITLE, header_groups, plain_text
from ui.models.plan_grid_commands import KEEP_COLUMN
from ui.models.plan_grid_model import DEPTH_ROLE, PlanGridModel, parse_block
from ui.widgets.frozen_table import FrozenColumnsTable
from ui.widgets.grouped_header import GroupedHeader
from ui.widgets.list_table import ROW_HEIGHT as LIST_ROW_HEIGHT
from ui.widgets.list_table import list_table

INDENT = 14  # pixels per outline level in the title column
ROW_HEIGHT = 30
FINDINGS_SHOWN = 3  # rows of findings in sight below the grid (the rest scroll)
FROZEN_COLUMNS = COLUMN_OF[TITLE] + 1  # เลขที่ and กิจกรรม stay in sight
BANNER_STYLE = ("QFrame#planBanner { background: #fff4d6; border: 1px solid #e0b44a; border-radius: 4px; }"
                "QFrame#planBanner QLabel { color: #5a4300; }")
_Hint = QAbstractItemDelegate.EndEditHint


class PlanCellDelegate(QStyledItemDelegate):
    """Numbers are edited right-aligned; titles are indented by their outline depth."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if COLUMNS[index.column()].field in NUMERIC_FIELDS:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        depth = index.data(DEPTH_ROLE) if index.column() == COLUMN_OF[TITLE] else 0
        if not depth:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        opt.rect.adjust(depth * INDENT, 0, 0, 0)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)


class PlanGridView(FrozenColumnsTable):
    status = Signal(str)  # one sentence for the status line (what was pasted, what was refused)

    def __init__(self, model: PlanGridModel, parent: QWidget | None = None) -> None:
        super().__init__(FROZEN_COLUMNS, parent)
        self.plan_model = model
        self.setHorizontalHeader(GroupedHeader(header_groups()))
        self.setModel(model)
        self.set_cover_header(GroupedHeader(header_groups()))
        self.setItemDelegate(PlanCellDelegate(self))
        self.verticalHeader().hide()
        self.set_row_height(ROW_HEIGHT)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        for column, spec in enumerate(COLUMNS):
            self.setColumnWidth(column, spec.width)
        self._refused = False
        model.refused.connect(self._on_refused)
        model.focus_requested.connect(self._focus)

    # -- moving like a spreadsheet ---------------------------------------------------------------

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
        elif not editing and event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif not editing and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.clear_selected()
        elif not editing and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1, 0)
        else:
            super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: _Hint) -> None:  # noqa: N802 - Qt override
        # After Enter go down, after Tab go right (Shift+Tab left), without opening the next
        # cell's editor; a refused value keeps the cursor where the refusal is.
        move = {_Hint.SubmitModelCache: (1, 0), _Hint.EditNextItem: (0, 1),
                _Hint.EditPreviousItem: (0, -1)}.get(hint)
        super().closeEditor(editor, _Hint.NoHint if move else hint)
        if move and not self._refused:
            self.step(*move)
        self._refused = False

    def step(self, rows: int, columns: int) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        row = min(max(current.row() + rows, 0), self.model().rowCount() - 1)
        column = min(max(current.column() + columns, 0), self.model().columnCount() - 1)
        self.select_cell(row, column)

    def _focus(self, row: int, column: int) -> None:
        if column == KEEP_COLUMN:
            column = max(self.currentIndex().column(), 0)
        self.select_cell(min(row, self.model().rowCount() - 1), column)

    def _on_refused(self, message: str) -> None:
        self._refused = self.state() == QAbstractItemView.State.EditingState
        self.status.emit(message)

    def finish_editing(self) -> None:
        """Commit the cell being typed in (before saving: Ctrl+S does not leave the cell)."""
        editor = self.indexWidget(self.currentIndex())
        if self.state() == QAbstractItemView.State.EditingState and editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, _Hint.NoHint)

    # -- the selection ------------------------------------------------------------------------

    def selected_cells(self) -> list[tuple[int, int]]:
        return sorted((i.row(), i.column()) for i in self.selectionModel().selectedIndexes())

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.selectionModel().selectedIndexes()}
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(r for r in rows if r < self.plan_model.totals_row)

    def clear_selected(self) -> None:
        if self.plan_model.clear(self.selected_cells() or [(self.currentIndex().row(), self.currentIndex().column())]):
            self.status.emit("")

    def copy(self) -> None:
        cells = self.selected_cells()
        if not cells:
            return
        rows = range(min(r for r, _c in cells), max(r for r, _c in cells) + 1)
        columns = range(min(c for _r, c in cells), max(c for _r, c in cells) + 1)
        m = self.plan_model
        text = "\n".join("\t".join(plain_text(COLUMNS[c].field, m.shown_value(r, c)) for c in columns) for r in rows)
        QApplication.clipboard().setText(text + "\n")
        self.status.emit(tr("คัดลอก {n} ช่องแล้ว", n=ui_digits(len(rows) * len(columns))))

    def paste(self) -> None:
        text = QApplication.clipboard().text()
        cells = self.selected_cells()
        if not text or not (cells or self.currentIndex().isValid()):
            return
        block = parse_block(text)
        if len(block) == 1 and len(block[0]) == 1 and len(cells) > 1:
            count, problems = self.plan_model.fill(cells, block[0][0])
        else:
            if cells:
                top, left = min(r for r, _c in cells), min(c for _r, c in cells)
            else:
                top, left = self.currentIndex().row(), self.currentIndex().column()
            count, problems = self.plan_model.paste(top, left, text)
        if problems:
            self.status.emit(tr("วางแล้ว {n} ช่อง ส่วนที่อ่านไม่ได้ยังเป็นค่าเดิม: {reason}",
                                n=ui_digits(count), reason=problems[0]))
        elif count:
            self.status.emit(tr("วางแล้ว {n} ช่อง", n=ui_digits(count)))


class PlanGridPanel(QWidget):
    """The grid tab: row tools, the banner, the grid, its findings and the status line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PlanGridModel(self)
        self.view = PlanGridView(self.model)

        self.banner = QFrame()
        self.banner.setObjectName("planBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.banner_button = QPushButton()
        self.banner_button.hide()
        self._banner_action: Callable[[], None] | None = None
        self.banner_button.clicked.connect(lambda: self._banner_action and self._banner_action())
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(10, 6, 10, 6)
        banner_layout.addWidget(self.banner_label, 1)
        banner_layout.addWidget(self.banner_button)
        self.banner.hide()

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.row_actions = [
            self._action(_("เพิ่มกิจกรรม"), "Ctrl+Ins", self.add_row),
            self._action(_("เพิ่มหัวข้อ"), "", self.add_heading),
            self._action(_("ลบแถว"), "Ctrl+Del", lambda: self.model.remove(self.view.selected_rows())),
            self._action(_("เลื่อนขวา"), "Alt+Shift+Right", lambda: self.model.shift_level(self.view.selected_rows(), 1)),
            self._action(_("เลื่อนซ้าย"), "Alt+Shift+Left", lambda: self.model.shift_level(self.view.selected_rows(), -1)),
            self._action(_("ย้ายขึ้น"), "Alt+Shift+Up", lambda: self.move_rows(-1)),
            self._action(_("ย้ายลง"), "Alt+Shift+Down", lambda: self.move_rows(1)),
            self._action(_("เรียงเลขที่ใหม่"), "", self.model.renumber),
        ]
        self.toolbar.addSeparator()
        self.undo_action = self.model.undo_stack.createUndoAction(self, _("เลิกทำ"))
        self.redo_action = self.model.undo_stack.createRedoAction(self, _("ทำซ้ำ"))
        for action, keys in ((self.undo_action, QKeySequence.StandardKey.Undo),
                             (self.redo_action, QKeySequence.StandardKey.Redo)):
            action.setShortcuts(QKeySequence.keyBindings(keys) + ([QKeySequence("Ctrl+Y")]
                                                                  if keys == QKeySequence.StandardKey.Redo else []))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            self.toolbar.addAction(action)

        self.findings_title = QLabel()
        self.findings_title.setObjectName("sectionTitle")
        self.findings_model = ListModel([_("ข้อสังเกต (ยังบันทึกได้ แต่ต้องยืนยันรับทราบเมื่อส่งขออนุมัติ)")], self)
        self.findings_table = list_table(self.findings_model)
        self.findings_table.clicked.connect(self._go_to_finding)
        self.status_label = QLabel()
        self.status_label.setObjectName("hint")
        self.view.status.connect(self.status_label.setText)
        self.model.findings_changed.connect(self._show_findings)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.findings_table)
        layout.addWidget(self.status_label)
        self._show_findings()

    def _action(self, text: str, keys: str, slot) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setToolTip(f"{text} ({QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)})")
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        self.toolbar.addAction(action)
        return action

    # -- loading ---------------------------------------------------------------------------

    def load(self, doc, *, read_only: bool, banner: str = "", button: str = "",
             action: Callable[[], None] | None = None) -> None:
        """Show a document; read-only with a banner saying why (and what to do instead)."""
        self.model.set_document(doc, read_only=read_only)
        for row_action in self.row_actions:
            row_action.setEnabled(not read_only)
        self.toolbar.setVisible(not read_only)
        self.set_banner(banner, button, action)
        self.status_label.clear()
        if self.model.rowCount() > 1:  # the cursor on the first title, nothing selected yet
            self.view.selectionModel().setCurrentIndex(self.model.index(0, COLUMN_OF[TITLE]),
                                                       QItemSelectionModel.SelectionFlag.Clear)

    def set_banner(self, text: str, button: str = "", action: Callable[[], None] | None = None) -> None:
        self.banner_label.setText(text)
        self.banner.setVisible(bool(text))
        self._banner_action = action
        self.banner_button.setText(button)
        self.banner_button.setVisible(bool(button and action))

    # -- row tools -------------------------------------------------------------------------

    def _below_current(self) -> int:
        row = self.view.currentIndex().row()
        return self.model.totals_row if row < 0 else min(row + 1, self.model.totals_row)

    def add_row(self) -> None:
        row = self.model.insert(self._below_current())
        if row >= 0:
            self.view.select_cell(row, COLUMN_OF[TITLE])
            self.view.setFocus()

    def add_heading(self) -> None:
        row = self.model.insert(self._below_current(), heading=True)
        if row >= 0:
            self.view.select_cell(row, COLUMN_OF[TITLE])
            self.view.setFocus()

    def move_rows(self, delta: int) -> None:
        rows = self.view.selected_rows()
        if not rows:
            return
        first, last = rows[0], rows[-1]
        column = max(self.view.currentIndex().column(), 0)
        if self.model.move(first, last, delta):
            top = self.model.index(first + delta, 0)
            bottom = self.model.index(last + delta, self.model.columnCount() - 1)
            self.view.select_cell(first + delta, column)
            self.view.selectionModel().select(QItemSelection(top, bottom), QItemSelectionModel.SelectionFlag.Select)

    # -- findings --------------------------------------------------------------------------

    def _show_findings(self) -> None:
        findings = self.model.findings
        self.findings_model.set_rows([(f.message(),) for f in findings], findings)
        self.findings_table.setVisible(bool(findings))
        shown = min(len(findings), FINDINGS_SHOWN)
        self.findings_table.setFixedHeight(self.findings_table.horizontalHeader().sizeHint().height()
                                           + LIST_ROW_HEIGHT * shown + 2 * self.findings_table.frameWidth())

    def _go_to_finding(self, index: QModelIndex | QPersistentModelIndex) -> None:
        cell = self.model.cell_of(index.data(PAYLOAD_ROLE))
        if cell is not None:
            self.view.select_cell(*cell)
            self.view.setFocus()

