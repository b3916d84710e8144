"""มาตรฐาน/ความเข้มแข็ง: for a chosen fiscal year (default: the app's working year) and the
user's scope, each institution's standards result, where its report stands against the
deadline (2 working days after the general meeting; late and overdue ones marked) and its
strength class (computed and published), filtered by kind, "differences only" and "late
only"; double-click opens the assessment dialog. A second tab lists the institutions a
target-selection filter picks (seed 001's by default, or a saved one; editable in
ui.target_filter_dialog) and those it cannot decide yet, with a button that copies their names.

Everything is loaded in a worker thread with its own session (ui.ops.run_op), as the
registry: the table comes from one bulk query (app.services.assessments.standings).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from app.rules import standards, strength
from app.rules.registry import KINDS, standards_label
from app.rules.targets import Selected, TargetFilter
from app.services import assessments, targets
from app.services.assessments import Standing
from app.services.targets import SavedTargetFilter
from app.thai import thai_sort_key
from ui import errors, messages, ops
from ui.context import AppContext
from ui.formatting import fiscal_year_label, ui_date, ui_digits
from ui.models.list_model import PAYLOAD_ROLE, ListModel
from ui.widgets.list_table import list_table

HEADERS = ("ชื่อสหกรณ์/กลุ่มเกษตรกร", "ประเภท", "ผลมาตรฐาน", "วันที่รายงานผล", "การส่งผลมาตรฐาน",
           "ชั้น (คำนวณ)", "ชั้น (ส่วนกลางประกาศ)")
COLUMN = {key: i for i, key in enumerate(("name", "kind", "standards", "reported_on", "report", "computed",
                                          "published"))}
_WIDTHS = (300, 95, 135, 105, 160, 95, 150)  # the name column takes what is left

# The dashboard's deadline colours (ui.dashboard_lists), with a light tint behind late cells.
LATE_COLOR, DUE_SOON_COLOR = QColor("#b71c1c"), QColor("#8a5a00")
LATE_TINT = QBrush(QColor("#fdecea"))
DIFFERS_TINT = QBrush(QColor("#fff4e5"))  # the theme's returned-banner amber, for a differing class

DEFAULT_FILTER = ""  # the filter combo's data for seed 001's rule
EDITED_FILTER = "*edited*"  # … for a filter edited but not saved


def report_text(line: Standing) -> str:
    """The report column: late/overdue by how many working days, on time, or when it is due."""
    r = line.report
    if r is None:
        return _("ตรวจสอบวันที่") if line.report_problem else ""
    n = ui_digits(r.working_days)
    if r.code == standards.LATE:
        return tr("ส่งช้า {n} วันทำการ", n=n)
    if r.code == standards.OVERDUE:
        return tr("เกินกำหนด {n} วันทำการ", n=n)
    if r.code == standards.ON_TIME:
        return _("ทันกำหนด")
    if r.code == standards.DUE_SOON:
        return tr("ครบกำหนด {due}", due=ui_date(r.due, "short"))
    return tr("กำหนดส่ง {due}", due=ui_date(r.due, "short"))


def cells(line: Standing) -> tuple[str, ...]:
    def klass(n: int | None) -> str:
        return ui_digits(_(strength.CLASS_LABELS[n])) if n in strength.CLASS_LABELS else ""

    computed = _("ไม่จัดระดับชั้น") if line.out_of_scope else klass(line.computed_class)
    return (line.name, _(KINDS.get(line.kind, line.kind)),
            _(standards_label(line.kind, line.standards_result)) if line.standards_result else "",
            ui_date(line.reported_on, "short") if line.reported_on else "",
            report_text(line), computed, klass(line.published_class))


@dataclass(frozen=True)
class Loaded:
    year: int
    lines: list[Standing]
    years: list[int]
    filters: list[SavedTargetFilter]
    target_filter: TargetFilter | None  # the filter the lists were computed with (None: it does not read)
    filter_problem: str
    selected: list[Selected]
    undecided: list[Selected]


def load_page(ctx: AppContext, fiscal_year: int, choice: str | TargetFilter, today: date | None = None) -> Loaded:
    """Everything the page shows for the year; runs in a worker thread.

    choice: DEFAULT_FILTER, a saved filter's id (read afresh here), or an edited TargetFilter."""
    with ctx.db.session() as s:
        user = ctx.user
        lines = assessments.standings(s, user, fiscal_year, today=today)
        years = assessments.assessment_years(s, user)
        filters = targets.list_filters(s, user)
        problem = ""
        if isinstance(choice, TargetFilter):
            flt: TargetFilter | None = choice
        elif choice == DEFAULT_FILTER:
            flt = targets.default_filter()
        else:
            saved = next((f for f in filters if f.id == choice), None)
            flt = saved.filter if saved is not None else targets.default_filter()
            if saved is not None and saved.filter is None:
                problem = saved.problem
        selected, undecided = targets.selection(s, user, fiscal_year, flt) if flt is not None else ([], [])
    return Loaded(fiscal_year, lines, years, filters, flt, problem, selected, undecided)


class StandingModel(ListModel):
    """The results table: late and overdue reports in red on a light red tint, a computed
    class that differs from the published one on amber; the report cell's tooltip says why."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            line: Standing = super().data(index, PAYLOAD_ROLE)
            col = index.column()
            if col == COLUMN["report"]:
                r = line.report
                if role == Qt.ItemDataRole.ToolTipRole:
                    return r.text_th if r is not None else line.report_problem or None
                if r is not None and r.is_late:
                    return LATE_COLOR if role == Qt.ItemDataRole.ForegroundRole else LATE_TINT
                if r is not None and r.code == standards.DUE_SOON and role == Qt.ItemDataRole.ForegroundRole:
                    return DUE_SOON_COLOR
                if line.report_problem and role == Qt.ItemDataRole.ForegroundRole:
                    return LATE_COLOR
                return None
            if line.differs and col in (COLUMN["computed"], COLUMN["published"]):
                if role == Qt.ItemDataRole.BackgroundRole:
                    return DIFFERS_TINT
                if role == Qt.ItemDataRole.ToolTipRole:
                    return _("ชั้นที่คำนวณได้ต่างจากที่ส่วนกลางประกาศ")
        return super().data(index, role)


class StandingProxy(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.kind = ""
        self.differences_only = False
        self.late_only = False

    def set_filter(self, kind: str, differences_only: bool, late_only: bool = False) -> None:
        self.beginFilterChange()
        self.kind, self.differences_only, self.late_only = kind, differences_only, late_only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        line: Standing = self.sourceModel().index(row, 0, parent).data(PAYLOAD_ROLE)
        if self.kind and line.kind != self.kind:
            return False
        if self.late_only and not line.late:
            return False
        return not self.differences_only or line.differs

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,  # noqa: N802
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        a: Standing = left.data(PAYLOAD_ROLE)
        b: Standing = right.data(PAYLOAD_ROLE)
        col = left.column()
        if col == COLUMN["reported_on"]:
            return (a.reported_on or date.max, thai_sort_key(a.name)) < (b.reported_on or date.max,
                                                                         thai_sort_key(b.name))
        if col == COLUMN["report"]:
            return _report_key(a) < _report_key(b)
        if col == COLUMN["name"]:
            return (thai_sort_key(a.name), a.institution_id) < (thai_sort_key(b.name), b.institution_id)
        return super().lessThan(left, right)

    def line(self, row: int) -> Standing:
        return self.index(row, 0).data(PAYLOAD_ROLE)


_REPORT_ORDER = {standards.OVERDUE: 0, standards.LATE: 1, standards.DUE_SOON: 2, standards.NOT_DUE: 3,
                 standards.ON_TIME: 4}


def _report_key(line: Standing) -> tuple:
    """Most pressing first: overdue (most days on top), late, due soon, not due, on time, none."""
    r = line.report
    if r is None:
        return (5 if not line.report_problem else -1, 0, thai_sort_key(line.name))
    return (_REPORT_ORDER[r.code], -r.working_days if r.is_late else r.due.toordinal(), thai_sort_key(line.name))


class StandardsPage(QWidget):
    def __init__(self, ctx: AppContext, *, today: Callable[[], date] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = today  # None: the real today at each load (tests pass a fixed day)
        self.year = ctx.fiscal_year
        self.loading: ops.Operation | None = None
        self._again = False
        self.dialog = None  # the open AssessmentDialog / TargetFilterDialog (tests drive it)
        self.filter_choice: str | TargetFilter = DEFAULT_FILTER
        self.filters: list[SavedTargetFilter] = []
        self.target_filter: TargetFilter | None = targets.default_filter()
        self.selected: list[Selected] = []
        self.lines: list[Standing] = []

        title = QLabel(_("มาตรฐาน/ความเข้มแข็ง"))
        title.setObjectName("pageTitle")
        self.year_combo = QComboBox()
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._set_years([])
        self.year_combo.activated.connect(self._year_chosen)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._results_tab(), _("ผลรายแห่ง"))
        self.tabs.addTab(self._targets_tab(), _("กลุ่มเป้าหมาย"))

        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self.year_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 12)
        layout.addLayout(heading)
        layout.addWidget(self.tabs, 1)

        ctx.fiscal_year_changed.connect(self._working_year_changed)
        self.reload()

    # -- building ------------------------------------------------------------------------------

    def _results_tab(self) -> QWidget:
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(_("ทุกประเภท"), "")
        for code, label in KINDS.items():
            self.kind_filter.addItem(_(label), code)
        self.differences_only = QCheckBox(_("เฉพาะที่ชั้นคำนวณต่างจากที่ส่วนกลางประกาศ"))
        self.late_only = QCheckBox(_("เฉพาะที่ส่งช้า/เกินกำหนด"))
        self.kind_filter.currentIndexChanged.connect(self.apply_filter)
        self.differences_only.toggled.connect(self.apply_filter)
        self.late_only.toggled.connect(self.apply_filter)
        self.import_button = QPushButton(_("นำเข้าผลความเข้มแข็ง (Excel)…"))
        self.import_button.clicked.connect(self.import_strength)
        self.open_button = QPushButton(_("บันทึกผล…"))
        self.open_button.clicked.connect(self.open_selected)

        self.model = StandingModel([_(h) for h in HEADERS], self)
        self.proxy = StandingProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_table(self.proxy, _WIDTHS, selection=QAbstractItemView.SelectionMode.SingleSelection,
                                striped=True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COLUMN["name"], QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(80)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMN["name"], Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.count_label = QLabel()

        page = QWidget()
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("ประเภท")))
        filters.addWidget(self.kind_filter)
        filters.addSpacing(12)
        filters.addWidget(self.differences_only)
        filters.addSpacing(12)
        filters.addWidget(self.late_only)
        filters.addStretch(1)
        filters.addWidget(self.import_button)
        filters.addWidget(self.open_button)
        box = QVBoxLayout(page)
        box.addLayout(filters)
        box.addWidget(self.table, 1)
        box.addWidget(self.count_label)
        return page

    def _targets_tab(self) -> QWidget:
        self.filter_combo = QComboBox()
        self.filter_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.filter_combo.setMinimumContentsLength(36)
        self.filter_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.filter_combo.activated.connect(self._filter_chosen)
        self.edit_filter_button = QPushButton(_("แก้ไขเงื่อนไข…"))
        self.edit_filter_button.clicked.connect(self.edit_filter)
        self.delete_filter_button = QPushButton(_("ลบเกณฑ์นี้"))
        self.delete_filter_button.clicked.connect(self.delete_filter)
        self.filter_description = QLabel()
        self.filter_description.setObjectName("hint")
        self.filter_description.setWordWrap(True)

        self.target_model = ListModel([_("ชื่อสหกรณ์/กลุ่มเกษตรกร"), _("เหตุผลที่เข้าเกณฑ์")], self)
        self.target_table = list_table(self.target_model, (340,))
        self.undecided_model = ListModel([_("ชื่อสหกรณ์/กลุ่มเกษตรกร"), _("ข้อมูลที่ยังขาด")], self)
        self.undecided_table = list_table(self.undecided_model, (340,))
        self.copy_button = QPushButton(_("คัดลอกรายชื่อ"))
        self.copy_button.clicked.connect(self.copy_names)
        self.target_count = QLabel()
        self.target_count.setObjectName("sectionTitle")
        self.undecided_count = QLabel()
        self.undecided_count.setObjectName("sectionTitle")

        page = QWidget()
        box = QVBoxLayout(page)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(_("เกณฑ์คัดเลือก")))
        chooser.addWidget(self.filter_combo, 1)
        chooser.addWidget(self.edit_filter_button)
        chooser.addWidget(self.delete_filter_button)
        box.addLayout(chooser)
        box.addWidget(self.filter_description)
        top = QHBoxLayout()
        top.addWidget(self.target_count)
        top.addStretch(1)
        top.addWidget(self.copy_button)
        box.addLayout(top)
        box.addWidget(self.target_table, 2)
        box.addWidget(self.undecided_count)
        box.addWidget(self.undecided_table, 1)
        return page

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        if self.loading is not None and not self.loading.done:
            self._again = True  # once the running load has delivered
            return
        year, choice = self.year, self.filter_choice
        today = self.today() if self.today is not None else None
        self.count_label.setText(_("กำลังโหลด…"))
        self.loading = ops.run_op(self, lambda _progress: load_page(self.ctx, year, choice, today), label="",
                                  on_success=self._loaded, cancellable=False, delay_ms=None)
        self.loading.finished.connect(self._load_finished)

    def _load_finished(self) -> None:
        if self._again:
            self._again = False
            self.reload()

    def _loaded(self, loaded: Loaded) -> None:
        if self._again:
            return  # the year or the filter changed meanwhile: the next load shows it
        self.lines = loaded.lines
        self.model.set_rows([cells(line) for line in loaded.lines], loaded.lines)
        self._set_years(loaded.years)
        self.filters = loaded.filters
        self.target_filter = loaded.target_filter
        if (isinstance(self.filter_choice, str) and self.filter_choice != DEFAULT_FILTER
                and all(f.id != self.filter_choice for f in loaded.filters)):
            self.filter_choice = DEFAULT_FILTER  # deleted meanwhile (the lists used seed 001's)
        self._set_filters()
        self.selected = loaded.selected
        self.target_model.set_rows([(t.name, " · ".join(t.reasons)) for t in loaded.selected], loaded.selected)
        self.undecided_model.set_rows([(t.name, " · ".join(t.reasons)) for t in loaded.undecided],
                                      loaded.undecided)
        self.target_count.setText(tr("เข้าเกณฑ์ {n} แห่ง", n=ui_digits(len(loaded.selected))))
        self.undecided_count.setText(tr("ยังตัดสินไม่ได้ (ข้อมูลยังไม่ครบ) {n} แห่ง",
                                        n=ui_digits(len(loaded.undecided))))
        if loaded.target_filter is not None:
            self.filter_description.setText(tr("เงื่อนไข: {rule}", rule=loaded.target_filter.describe()))
        else:
            self.filter_description.setText(loaded.filter_problem)
        self.copy_button.setEnabled(bool(loaded.selected))
        self._update_count()

    def _set_years(self, years: list[int]) -> None:
        shown = sorted({*years, self.ctx.fiscal_year, self.year}, reverse=True)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in shown:
            label = fiscal_year_label(y)
            if y == self.ctx.fiscal_year:
                label = tr("{year} (ปีปัจจุบัน)", year=label)
            self.year_combo.addItem(label, y)
        self.year_combo.setCurrentIndex(self.year_combo.findData(self.year))
        self.year_combo.blockSignals(False)

    def _set_filters(self) -> None:
        combo = self.filter_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(tr("{name} (ค่าเริ่มต้น)", name=targets.default_filter().name_th), DEFAULT_FILTER)
        for f in self.filters:
            combo.addItem(f.name if f.filter is not None else tr("{name} (อ่านไม่ได้)", name=f.name), f.id)
        if isinstance(self.filter_choice, TargetFilter):
            combo.addItem(tr("{name} (ยังไม่บันทึก)", name=self.filter_choice.name_th), EDITED_FILTER)
            combo.setCurrentIndex(combo.count() - 1)
        else:
            combo.setCurrentIndex(max(0, combo.findData(self.filter_choice)))
        combo.setToolTip(combo.currentText())
        combo.blockSignals(False)
        saved = self.chosen_saved()
        self.delete_filter_button.setEnabled(saved is not None and targets.can_edit_filters(self.ctx.user))
        self.edit_filter_button.setEnabled(self.target_filter is not None or saved is not None)

    # -- choices -------------------------------------------------------------------------------

    def _year_chosen(self, index: int) -> None:
        year = self.year_combo.itemData(index)
        if year is not None and year != self.year:
            self.set_year(year)

    def set_year(self, year: int) -> None:
        self.year = year
        self.reload()

    def _working_year_changed(self, year: int) -> None:
        self.set_year(year)

    def _filter_chosen(self, index: int) -> None:
        data = self.filter_combo.itemData(index)
        if data == EDITED_FILTER:
            return
        self.choose_filter(data)

    def choose_filter(self, choice: str | TargetFilter) -> None:
        self.filter_choice = choice
        self.reload()

    def chosen_saved(self) -> SavedTargetFilter | None:
        if isinstance(self.filter_choice, str):
            return next((f for f in self.filters if f.id == self.filter_choice), None)
        return None

    # -- filtering -----------------------------------------------------------------------------

    def apply_filter(self) -> None:
        self.proxy.set_filter(self.kind_filter.currentData() or "", self.differences_only.isChecked(),
                              self.late_only.isChecked())
        self._update_count()

    def _update_count(self) -> None:
        late = sum(1 for line in self.lines if line.late)
        text = tr("แสดง {shown} จาก {total} แห่ง", shown=ui_digits(self.proxy.rowCount()),
                  total=ui_digits(self.model.rowCount()))
        if late:
            text += "  ·  " + tr("ส่งผลมาตรฐานช้าหรือเกินกำหนด {n} แห่ง", n=ui_digits(late))
        self.count_label.setText(text)

    def visible_lines(self) -> list[Standing]:
        return [self.proxy.line(r) for r in range(self.proxy.rowCount())]

    # -- actions -------------------------------------------------------------------------------

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_row(rows[0].row())

    def open_row(self, row: int) -> None:
        if 0 <= row < self.proxy.rowCount():
            self.open_assessment(self.proxy.line(row).institution_id)

    def make_dialog(self, institution_id: str):
        from ui.assessment_dialog import AssessmentDialog

        return AssessmentDialog(self.ctx, institution_id, self.year, self)

    def open_assessment(self, institution_id: str) -> None:
        try:
            self.dialog = self.make_dialog(institution_id)
        except Exception as exc:  # noqa: BLE001 - deleted meanwhile, a criteria file that does not read
            errors.show_error(self, exc)
            return
        if self.dialog.exec():
            self.reload()
        self.dialog.deleteLater()
        self.dialog = None

    def import_strength(self) -> None:
        from ui.strength_import import import_strength_file

        import_strength_file(self, self.ctx)  # reloads this page when the import has run

    def copy_names(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(t.name for t in self.selected))

    # -- target filters ------------------------------------------------------------------------

    def make_filter_dialog(self):
        from ui.target_filter_dialog import TargetFilterDialog

        saved = self.chosen_saved()
        flt = self.target_filter if self.target_filter is not None else targets.default_filter()
        return TargetFilterDialog(self.ctx, flt, saved, self)

    def edit_filter(self) -> None:
        self.dialog = self.make_filter_dialog()
        if self.dialog.exec():
            self.filter_done(self.dialog)
        self.dialog.deleteLater()
        self.dialog = None

    def filter_done(self, dialog) -> None:
        """After the filter dialog was accepted: use what it saved, or the edit unsaved."""
        if dialog.saved is not None:
            self.choose_filter(dialog.saved.id)
        elif dialog.result_filter is not None:
            self.choose_filter(dialog.result_filter)

    def delete_filter(self) -> None:
        saved = self.chosen_saved()
        if saved is None:
            return
        question = tr("ลบเกณฑ์คัดเลือก \u201c{name}\u201d หรือไม่? ทุกคนในสำนักงานจะใช้เกณฑ์นี้ไม่ได้อีก", name=saved.name)
        if not messages.confirm(self, question, _("ลบ")):
            return
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                targets.delete_filter(s, self.ctx.user, saved.id)
        except Exception as exc:  # noqa: BLE001 - permission, deleted meanwhile: one sentence
            errors.show_error(self, exc)
            return
        self.choose_filter(DEFAULT_FILTER)
