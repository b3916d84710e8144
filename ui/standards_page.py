"""มาตรฐาน/ความเข้มแข็ง: for the working fiscal year and the user's scope, each institution's
standards result and strength class (computed and published), filtered by kind and by
"differences only"; double-click opens the assessment dialog. A second tab lists the
institutions seed 001's target rule selects (and those it cannot decide yet), with a button
that copies their names.

The list is loaded in a worker thread with its own session (ui.ops.run_op), as the registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from app.rules import strength
from app.rules.registry import KINDS, standards_label
from app.rules.targets import Selected
from app.services import assessments, registry, targets
from app.services.scope import scoped_institution_ids
from ui import errors, ops
from ui.context import AppContext
from ui.formatting import fiscal_year_label, ui_date, ui_digits
from ui.models.list_model import PAYLOAD_ROLE, ListModel
from ui.widgets.list_table import list_table

HEADERS = ("ชื่อสหกรณ์/กลุ่มเกษตรกร", "ประเภท", "ผลมาตรฐาน", "วันที่รายงานผล", "ชั้น (คำนวณ)", "ชั้น (ส่วนกลางประกาศ)",
           "ไม่จัดระดับชั้น")
COLUMN = {key: i for i, key in enumerate(("name", "kind", "standards", "reported_on", "computed", "published",
                                          "out_of_scope"))}
_WIDTHS = (300, 110, 140, 130, 100, 150, 100)


@dataclass(frozen=True)
class StandingLine:
    """One institution's standing for the year, as the table shows it."""

    id: str
    name: str
    kind: str
    standards_result: str | None
    reported_on: object  # date | None
    computed_class: int | None
    published_class: int | None
    out_of_scope: bool
    differs: bool

    def cells(self) -> tuple[str, ...]:
        def klass(n: int | None) -> str:
            return _(strength.CLASS_LABELS[n]) if n in strength.CLASS_LABELS else ""

        return (self.name, _(KINDS.get(self.kind, self.kind)),
                _(standards_label(self.kind, self.standards_result)) if self.standards_result else "",
                ui_date(self.reported_on, "short") if self.reported_on else "",
                klass(self.computed_class), klass(self.published_class),
                _("ไม่จัดระดับชั้น") if self.out_of_scope else "")


@dataclass(frozen=True)
class Loaded:
    lines: list[StandingLine]
    selected: list[Selected]
    undecided: list[Selected]


def load_standings(ctx: AppContext, fiscal_year: int) -> Loaded:
    """The year's standing of every institution in the user's scope; runs in a worker thread."""
    with ctx.db.session() as s:
        user = ctx.user
        in_scope = set(scoped_institution_ids(s, user))
        rows = [r for r in registry.list_institutions(s, user, fiscal_year=fiscal_year) if r.id in in_scope]
        differs = {d.institution_id for d in assessments.strength_differences(s, user, fiscal_year)
                   if d.kind == strength.DIFFERS}
        lines = []
        for r in rows:
            std = assessments.standards_of(s, user, r.id, fiscal_year)
            sth = assessments.strength_of(s, user, r.id, fiscal_year)
            lines.append(StandingLine(
                id=r.id, name=r.name, kind=r.kind,
                standards_result=std.result if std is not None else r.standards_result,
                reported_on=std.reported_on if std is not None else None,
                computed_class=sth.computed_class if sth is not None and not sth.out_of_scope else None,
                published_class=sth.published_class if sth is not None else None,
                out_of_scope=sth.out_of_scope if sth is not None else r.out_of_scope,
                differs=r.id in differs))
        selected = targets.select_targets(s, user, fiscal_year)
        undecided = targets.undecided(s, user, fiscal_year)
    return Loaded(lines, selected, undecided)


class StandingProxy(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.kind = ""
        self.differences_only = False

    def set_filter(self, kind: str, differences_only: bool) -> None:
        self.beginFilterChange()
        self.kind, self.differences_only = kind, differences_only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        line: StandingLine = self.sourceModel().index(row, 0, parent).data(PAYLOAD_ROLE)
        if self.kind and line.kind != self.kind:
            return False
        return not self.differences_only or line.differs

    def line(self, row: int) -> StandingLine:
        return self.index(row, 0).data(PAYLOAD_ROLE)


class StandardsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.loading: ops.Operation | None = None
        self.dialog = None  # the open AssessmentDialog (tests drive it)

        title = QLabel(_("มาตรฐาน/ความเข้มแข็ง"))
        title.setObjectName("pageTitle")
        self.year_label = QLabel()
        self.year_label.setObjectName("hint")

        self.kind_filter = QComboBox()
        self.kind_filter.addItem(_("ทุกประเภท"), "")
        for code, label in KINDS.items():
            self.kind_filter.addItem(_(label), code)
        self.differences_only = QCheckBox(_("เฉพาะที่ชั้นคำนวณต่างจากที่ส่วนกลางประกาศ"))
        self.kind_filter.currentIndexChanged.connect(self.apply_filter)
        self.differences_only.toggled.connect(self.apply_filter)
        self.open_button = QPushButton(_("บันทึกผล…"))
        self.open_button.clicked.connect(self.open_selected)

        self.model = ListModel([_(h) for h in HEADERS], self)
        self.proxy = StandingProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_table(self.proxy, _WIDTHS, selection=QAbstractItemView.SelectionMode.SingleSelection,
                                striped=True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMN["name"], Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.count_label = QLabel()

        standings = QWidget()
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("ประเภท")))
        filters.addWidget(self.kind_filter)
        filters.addSpacing(12)
        filters.addWidget(self.differences_only)
        filters.addStretch(1)
        filters.addWidget(self.open_button)
        box = QVBoxLayout(standings)
        box.addLayout(filters)
        box.addWidget(self.table, 1)
        box.addWidget(self.count_label)

        self.target_model = ListModel([_("ชื่อสหกรณ์/กลุ่มเกษตรกร"), _("เหตุผลที่เข้าเกณฑ์")], self)
        self.target_table = list_table(self.target_model, (320,))
        self.undecided_model = ListModel([_("ชื่อสหกรณ์/กลุ่มเกษตรกร"), _("ข้อมูลที่ยังขาด")], self)
        self.undecided_table = list_table(self.undecided_model, (320,))
        self.copy_button = QPushButton(_("คัดลอกรายชื่อ"))
        self.copy_button.clicked.connect(self.copy_names)
        self.target_count = QLabel()
        targets_tab = QWidget()
        tbox = QVBoxLayout(targets_tab)
        top = QHBoxLayout()
        top.addWidget(self.target_count)
        top.addStretch(1)
        top.addWidget(self.copy_button)
        tbox.addLayout(top)
        tbox.addWidget(self.target_table, 2)
        tbox.addWidget(QLabel(_("ยังตัดสินไม่ได้ (ข้อมูลยังไม่ครบ)")))
        tbox.addWidget(self.undecided_table, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(standings, _("ผลรายแห่ง"))
        self.tabs.addTab(targets_tab, _("กลุ่มเป้าหมาย (เกณฑ์ seed 001)"))

        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self.year_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 12)
        layout.addLayout(heading)
        layout.addWidget(self.tabs, 1)

        self.selected: list[Selected] = []
        ctx.fiscal_year_changed.connect(lambda _year: self.reload())
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        if self.loading is not None and not self.loading.done:
            self.loading.finished.connect(self.reload)
            return
        year = self.ctx.fiscal_year
        self.year_label.setText(fiscal_year_label(year))
        self.count_label.setText(_("กำลังโหลด…"))
        self.loading = ops.run_op(self, lambda _progress: load_standings(self.ctx, year), label="",
                                  on_success=self._loaded, cancellable=False, delay_ms=None)

    def _loaded(self, loaded: Loaded) -> None:
        self.model.set_rows([line.cells() for line in loaded.lines], loaded.lines)
        self.selected = loaded.selected
        self.target_model.set_rows([(t.name, " · ".join(t.reasons)) for t in loaded.selected], loaded.selected)
        self.undecided_model.set_rows([(t.name, " · ".join(t.reasons)) for t in loaded.undecided], loaded.undecided)
        self.target_count.setText(tr("เข้าเกณฑ์ {n} แห่ง", n=ui_digits(len(loaded.selected))))
        self.copy_button.setEnabled(bool(loaded.selected))
        self._update_count()

    # -- filtering -----------------------------------------------------------------------------

    def apply_filter(self) -> None:
        self.proxy.set_filter(self.kind_filter.currentData() or "", self.differences_only.isChecked())
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(tr("แสดง {shown} จาก {total} แห่ง", shown=ui_digits(self.proxy.rowCount()),
                                    total=ui_digits(self.model.rowCount())))

    def visible_lines(self) -> list[StandingLine]:
        return [self.proxy.line(r) for r in range(self.proxy.rowCount())]

    # -- actions -------------------------------------------------------------------------------

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_row(rows[0].row())

    def open_row(self, row: int) -> None:
        if 0 <= row < self.proxy.rowCount():
            self.open_assessment(self.proxy.line(row).id)

    def make_dialog(self, institution_id: str):
        from ui.assessment_dialog import AssessmentDialog

        return AssessmentDialog(self.ctx, institution_id, self.ctx.fiscal_year, self)

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

    def copy_names(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(t.name for t in self.selected))
