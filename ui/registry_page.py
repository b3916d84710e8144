"""ทะเบียนสหกรณ์: the list of cooperatives and farmer groups, with search, filters, the
editor, and Excel import/export.

The list is loaded once per visit (and after each change) in a worker thread: 10,000 rows
take ~0.15 s to query and ~0.25 s to prepare, too long to hold the window. Searching,
filtering and sorting then run on the prepared rows in memory (see ui.models.registry_model).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from app.rules.permissions import Action
from app.rules.registry import COOP_TYPES, KINDS, STANDARDS_RESULTS, STRENGTH_CLASSES, standards_label
from app.services import registry
from app.services.registry import InstitutionRow, target_of
from app.thai import thai_sort_key
from ui import errors, messages, ops
from ui.context import AppContext
from ui.widgets.list_table import list_table
from ui.formatting import fiscal_year_label
from ui.institution_editor import InstitutionEditor
from ui.models.registry_model import COLUMN, RegistryFilter, RegistryLine, RegistryModel, RegistryProxy, build_lines

SEARCH_DELAY_MS = 200  # wait for a pause in typing before filtering 10,000 rows
YEARS_OFFERED = 3  # the working fiscal year and the two before it
_COLUMN_WIDTHS = {"reg_no": 115, "name": 300, "type": 140, "district": 125, "status": 115, "members": 70,
                  "strength": 75, "standards": 145, "officer": 170}


def load_lines(ctx: AppContext, fiscal_year: int) -> list[RegistryLine]:
    """The registry rows ready for the table; runs in a worker thread with its own session."""
    with ctx.db.session() as s:
        rows = registry.list_institutions(s, ctx.user, fiscal_year=fiscal_year)
    return build_lines(rows)


class RegistryPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.loading: ops.Operation | None = None
        self.import_flow = None  # the running ImportFlow, if any (tests follow it)
        self._select_after_load: str | None = None

        title = QLabel(_("ทะเบียนสหกรณ์และกลุ่มเกษตรกร"))
        title.setObjectName("pageTitle")
        self.year_label = QLabel(_("ระดับชั้นและมาตรฐานของ"))
        self.year_label.setObjectName("hint")
        # The page's own year: early in a fiscal year little is recorded for it yet, so the
        # user can look back a year or two without changing the office's working year.
        self.year_combo = QComboBox()
        self._fill_years()
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload())

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("ค้นหาชื่อหรือเลขทะเบียน"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)

        self.add_button = QPushButton(_("เพิ่ม"))
        self.edit_button = QPushButton(_("แก้ไข"))
        self.delete_button = QPushButton(_("ลบ"))
        self.import_button = QPushButton(_("นำเข้า Excel…"))
        self.export_button = QPushButton(_("ส่งออก Excel…"))
        self.add_button.clicked.connect(self.add_institution)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_excel)
        self.export_button.clicked.connect(self.export_excel)

        self.kind_filter = self._combo([(_("ทุกประเภท"), ""), (_("สหกรณ์ทุกประเภท"), "coop")]
                                       + [(_(f"สหกรณ์{label}"), f"coop:{code}") for code, label in COOP_TYPES.items()]
                                       + [(_(KINDS["farmer_group"]), "farmer_group")])
        self.district_filter = self._combo([(_("ทุกอำเภอ"), "")])
        self.strength_filter = self._combo(
            [(_("ทุกระดับชั้น"), "")] + [(tr("ชั้น {n}", n=n), str(n)) for n in STRENGTH_CLASSES]
            + [(_("ไม่อยู่ในเกณฑ์"), "out"), (_("ยังไม่มีผล"), RegistryFilter.NONE)]
        )
        self.standards_filter = self._combo(
            [(_("ทุกผลมาตรฐาน"), "")]
            + [(_(standards_label("coop", r)), r) for r in STANDARDS_RESULTS]
            + [(_("ยังไม่มีผล"), RegistryFilter.NONE)]
        )
        self.officer_filter = self._combo([(_("เจ้าหน้าที่ทุกคน"), "")])

        self.model = RegistryModel(self)
        self.proxy = RegistryProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_table(self.proxy, selection=QAbstractItemView.SelectionMode.SingleSelection, striped=True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for key, width in _COLUMN_WIDTHS.items():
            self.table.setColumnWidth(COLUMN[key], width)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMN["name"], Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.count_label = QLabel()

        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self.year_label)
        heading.addWidget(self.year_combo)
        actions = QHBoxLayout()
        actions.addWidget(self.search)
        actions.addStretch(1)
        for button in (self.add_button, self.edit_button, self.delete_button, self.import_button, self.export_button):
            actions.addWidget(button)
        filters = QHBoxLayout()
        for label, combo in ((_("ประเภท"), self.kind_filter), (_("อำเภอ"), self.district_filter),
                             (_("ระดับชั้น"), self.strength_filter), (_("มาตรฐาน"), self.standards_filter),
                             (_("เจ้าหน้าที่"), self.officer_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)
            filters.addSpacing(6)
        filters.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 12)
        layout.addLayout(heading)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.add_button.setEnabled(ctx.can(Action.REGISTRY_CREATE))
        self.import_button.setEnabled(ctx.can(Action.REGISTRY_IMPORT))
        self._update_buttons()
        ctx.fiscal_year_changed.connect(self._fiscal_year_changed)
        self.reload()

    def _combo(self, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self.apply_filter)
        return combo

    # -- loading -----------------------------------------------------------------------------

    def _fill_years(self) -> None:
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in range(self.ctx.fiscal_year, self.ctx.fiscal_year - YEARS_OFFERED, -1):
            self.year_combo.addItem(fiscal_year_label(year), year)
        self.year_combo.blockSignals(False)

    @property
    def fiscal_year(self) -> int:
        return self.year_combo.currentData()

    def _fiscal_year_changed(self, _year: int) -> None:
        self._fill_years()
        self.reload()

    def reload(self, select_id: str | None = None) -> None:
        """Load the list again (after a change, or for another fiscal year)."""
        if self.loading is not None and not self.loading.done:
            self.loading.finished.connect(lambda: self.reload(select_id))
            return
        self._select_after_load = select_id or self.selected_id()
        year = self.fiscal_year
        self.count_label.setText(_("กำลังโหลดทะเบียน…"))
        self.loading = ops.run_op(self, lambda _progress: load_lines(self.ctx, year), label="",
                                  on_success=self._loaded, cancellable=False, delay_ms=None)

    def _loaded(self, lines: list[RegistryLine]) -> None:
        header = self.table.horizontalHeader()
        self.model.set_lines(lines, header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._refill(self.district_filter, _("ทุกอำเภอ"),
                     {line.row.district_code: line.row.district_name for line in lines}, _("ไม่ระบุอำเภอ"))
        self._refill(self.officer_filter, _("เจ้าหน้าที่ทุกคน"),
                     {line.row.officer_id: line.row.officer_name for line in lines}, _("ไม่มีผู้รับผิดชอบ"))
        self._update_count()
        if self._select_after_load:
            self.select_id(self._select_after_load)

    def _refill(self, combo: QComboBox, all_text: str, choices: dict[str | None, str], none_text: str) -> None:
        """Offer the values present in the list (Thai order), keeping the current choice."""
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text, "")
        for value, text in sorted(((v, t) for v, t in choices.items() if v), key=lambda vt: thai_sort_key(vt[1])):
            combo.addItem(text, value)
        if None in choices:
            combo.addItem(none_text, RegistryFilter.NONE)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)
        self.apply_filter()

    # -- filtering ---------------------------------------------------------------------------

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.proxy.set_filter(RegistryFilter(
            text=self.search.text(), kind=self.kind_filter.currentData() or "",
            district=self.district_filter.currentData() or "", strength=self.strength_filter.currentData() or "",
            standards=self.standards_filter.currentData() or "", officer=self.officer_filter.currentData() or "",
        ))
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        self.count_label.setText(tr("แสดง {shown} จาก {total} แห่ง",
                                    shown=f"{self.proxy.rowCount():,}", total=f"{self.model.rowCount():,}"))

    # -- selection and permissions -----------------------------------------------------------

    def selected_row(self) -> InstitutionRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.line(rows[0].row()).row if rows else None

    def selected_id(self) -> str | None:
        row = self.selected_row()
        return row.id if row else None

    def select_id(self, institution_id: str) -> None:
        source_row = self.model.row_of(institution_id)
        if source_row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        target = target_of(row) if row else None
        self.edit_button.setEnabled(row is not None and (
            self.ctx.can(Action.REGISTRY_EDIT, target) or self.ctx.can(Action.YEARLY_EDIT, target)))
        self.delete_button.setEnabled(row is not None and self.ctx.can(Action.REGISTRY_DELETE, target))

    # -- actions -----------------------------------------------------------------------------

    def add_institution(self) -> None:
        self._open_editor(None)

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._open_editor(row.id)

    def _open_editor(self, institution_id: str | None) -> None:
        try:
            editor = InstitutionEditor(self.ctx, institution_id, self)
        except Exception as exc:  # e.g. someone else deleted it meanwhile
            errors.show_error(self, exc)
            return
        if editor.exec():
            self.reload(select_id=editor.institution_id)
        editor.deleteLater()

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        question = tr("ลบ {name} (เลขทะเบียน {reg}) ออกจากทะเบียน? ข้อมูลเดิมยังเก็บไว้ในประวัติ", name=row.name, reg=row.reg_no)
        if not messages.confirm(self, question, _("ลบ")):
            return
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                registry.delete_institution(s, self.ctx.user, row.id)
        except Exception as exc:
            errors.show_error(self, exc)
            return
        self.reload()

    def import_excel(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("นำเข้าทะเบียนจาก Excel"), "", _("ไฟล์ Excel (*.xlsx)"))
        if path:
            from ui.import_dialog import ImportFlow  # loads openpyxl: only when importing

            self.import_flow = ImportFlow(self, Path(path))
            self.import_flow.start()

    def export_excel(self) -> None:
        default = str(Path.home() / tr("ทะเบียนสหกรณ์-{year}.xlsx", year=self.fiscal_year))
        path, _filter = QFileDialog.getSaveFileName(self, _("ส่งออกทะเบียนเป็น Excel"), default, _("ไฟล์ Excel (*.xlsx)"))
        if not path:
            return
        target = Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx")
        ctx, year = self.ctx, self.fiscal_year

        def export(_progress: ops.Progress) -> int:
            from app.services import registry_export  # openpyxl: only when exporting

            with ctx.db.session() as s:
                return registry_export.export_file(s, ctx.user, target, fiscal_year=year)

        ops.run_op(self, export, label=_("กำลังบันทึกไฟล์ Excel…"), cancellable=False,
                   on_success=lambda n: messages.inform(self, tr("บันทึก {n} รายการลงไฟล์ {path} แล้ว",
                                                                 n=f"{n:,}", path=target)))
