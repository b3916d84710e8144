"""หน้าหลัก, the dashboard: the start of the day on top — what was returned to the user
with the approver's comment (it needs doing first) and today's visits — then the numbers
of the user's scope (officer: their institutions; director: the group; provincial head:
the province) for the working fiscal year: KPI cards against their targets, the strength
classes over three years, the standards pass rate, visits planned against made per month,
the budget S-curve, and the deadlines overdue or due within 30 days.

Every number opens the list of institutions behind it (ui.dashboard_lists); every chart
saves as PNG. Nothing is read on the GUI thread: the page paints first, then loads it all
in one background op (app.services.dashboard), again when the fiscal year changes and when
the user comes back to the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from app.rules.registry import KINDS
from app.thai import FISCAL_MONTH_ORDER, THAI_MONTHS_ABBR
from ui import ops
from ui.context import AppContext
from ui.formatting import fiscal_year_label, ui_date, ui_digits

if TYPE_CHECKING:
    from app.rules.kpi import KpiResult
    from app.services.dashboard import Dashboard
    from ui.widgets.bar_chart import BarChartData
    from ui.widgets.s_curve import SCurveData

# What the page needs before its first paint is imported above; the charts, the tables and
# the list dialog (and what they import) come after it (_build_body), as does the data.

# The class colours read as a traffic light (1 best), out of scope grey, no result pale.
CLASS_SERIES = (
    ("1", "ชั้น 1", "#1b7f3b"),
    ("2", "ชั้น 2", "#7cb342"),
    ("3", "ชั้น 3", "#f2b705"),
    ("4", "ชั้น 4", "#d84315"),
    ("out_of_scope", "ไม่อยู่ในเกณฑ์จัดชั้น", "#8d99ae"),
    ("none", "ยังไม่มีผล", "#dde3ea"),
)
PLANNED_COLOR, ACTUAL_COLOR = "#1f5fa8", "#e07b00"  # the S-curve's: planned blue, actual orange
KIND_COLORS = {"coop": PLANNED_COLOR, "farmer_group": ACTUAL_COLOR}
MET_STYLE = {  # KPI card: (background, border, text of the verdict)
    True: ("#eaf6ec", "#2e7d32", "#1b5e20"),
    False: ("#fdecea", "#c62828", "#b71c1c"),
    None: ("#ffffff", "#d5dbe5", "#555555"),
}
CHART_HEIGHT = 330
DEADLINE_ROWS = 12  # rows the deadline table shows before it scrolls


def _month_label(month: int) -> str:
    """ต.ค. … ก.ย. for the fiscal month 0 … 11 (as the plan's columns say them)."""
    return THAI_MONTHS_ABBR[FISCAL_MONTH_ORDER[month]]


def count_text(n: int) -> str:
    return tr("{n} แห่ง", n=f"{n:,}")


def percent_text(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:,.2f}%"


def kpi_value_text(r: KpiResult) -> str:
    return count_text(r.numerator) if r.unit == "count" else percent_text(r.value)


def kpi_count_text(r: KpiResult) -> str:
    """numerator / denominator, the way the cards and the list say it."""
    if r.unit == "count":
        return tr("จากทั้งหมด {d} แห่ง", d=f"{r.denominator:,}")
    return tr("{n} จาก {d} แห่ง", n=f"{r.numerator:,}", d=f"{r.denominator:,}")


def kpi_target_text(r: KpiResult) -> str:
    if r.target is None:
        return _("ไม่ได้กำหนดเป้าหมาย")
    if (r.target_unit or r.unit) == "count":
        return tr("เป้าหมาย {n} แห่ง", n=f"{r.target.normalize():,f}")
    return tr("เป้าหมายร้อยละ {n}", n=f"{r.target.normalize():f}")


def kpi_verdict(r: KpiResult) -> str:
    if r.met is True:
        return _("ถึงเป้าหมาย")
    if r.met is False:
        return _("ยังไม่ถึงเป้าหมาย")
    return _("ยังไม่มีข้อมูลที่นับได้") if r.denominator == 0 else ""


def load_dashboard(ctx: AppContext, fiscal_year: int, today: date) -> tuple[Dashboard, dict[str, str]]:
    """The dashboard and its long Thai texts word-broken for wrapping (worker thread: the
    word-break dictionary takes half a second to load)."""
    from app.services import dashboard
    from app.thai import insert_zwsp

    with ctx.db.session() as s:
        dash = dashboard.dashboard(s, ctx.user, fiscal_year, today=today)
    texts = {t for r in dash.kpis for t in (_(r.label_th), r.note_th) if t}
    return dash, {t: insert_zwsp(t) for t in texts}


class ClickableFrame(QFrame):
    """A card that opens something: click, Enter or Space."""

    clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class StatCard(ClickableFrame):
    """A count of institutions (by kind, or a count KPI); click for the list."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("statCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.value = QLabel("…")
        self.value.setObjectName("statValue")
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.hint)


class KpiCard(ClickableFrame):
    """One KPI: label, actual (percent, or the count), numerator / denominator, target, and
    met (green) / not met (red) / nothing to judge (plain)."""

    def __init__(self, result: KpiResult, wrapped: Callable[[str], str]) -> None:
        super().__init__()
        self.result = result
        self.setObjectName("kpiCard")
        self.label = QLabel(wrapped(_(result.label_th)))
        self.label.setWordWrap(True)
        self.label.setMinimumHeight(self.label.fontMetrics().height() * 2 + 4)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.value_label = QLabel(kpi_value_text(result))
        self.value_label.setObjectName("kpiValue")
        self.count_label = QLabel(kpi_count_text(result))
        self.target_label = QLabel(kpi_target_text(result))
        self.verdict_label = QLabel(kpi_verdict(result))
        self.verdict_label.setObjectName("kpiVerdict")
        background, border, verdict = MET_STYLE[result.met]
        self.setStyleSheet(
            f"QFrame#kpiCard {{ background: {background}; border: 1px solid {border};"
            f" border-left: 5px solid {border}; border-radius: 6px; }}"
            f" QFrame#kpiCard:focus {{ border: 2px solid #1f3a5f; border-left: 5px solid {border}; }}"
            f" QLabel#kpiValue {{ font-size: 20pt; font-weight: 600; color: #1f3a5f; }}"
            f" QLabel#kpiVerdict {{ color: {verdict}; font-weight: 600; }}")
        numbers = QHBoxLayout()
        numbers.addWidget(self.value_label)
        numbers.addStretch(1)
        numbers.addWidget(self.verdict_label, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addLayout(numbers)
        layout.addWidget(self.count_label)
        layout.addWidget(self.target_label)
        self.setToolTip(wrapped(result.note_th) if result.note_th else "")


class ChartPanel(QFrame):
    """A chart with its "บันทึกเป็น PNG" button and the line saying where it went."""

    def __init__(self, chart: QWidget, file_stem: Callable[[], str]) -> None:
        super().__init__()
        self.setObjectName("chartPanel")
        self.chart = chart
        self.file_stem = file_stem
        chart.setMinimumHeight(CHART_HEIGHT)
        self.save_button = QPushButton(_("บันทึกเป็น PNG"))
        self.save_button.clicked.connect(self.ask_and_save)
        self.status = QLabel()
        self.status.setObjectName("hint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(chart, 1)
        layout.addLayout(buttons)

    def save_png(self, path: Path) -> bool:
        return self.chart.grab().save(str(path), "PNG")

    def ask_and_save(self) -> None:
        default = str(Path.home() / f"{self.file_stem()}.png")
        path, _filter = QFileDialog.getSaveFileName(self, _("บันทึกกราฟเป็นภาพ"), default, _("ภาพ PNG (*.png)"))
        if not path:
            return
        target = Path(path) if path.lower().endswith(".png") else Path(path + ".png")
        if self.save_png(target):
            self.status.setText(tr("บันทึกภาพไว้ที่ {path} แล้ว", path=target))
        else:
            self.status.setText(tr("บันทึกภาพที่ {path} ไม่ได้ โปรดเลือกโฟลเดอร์อื่น", path=target))


class HomePage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.dash: Dashboard | None = None
        self._wrapped: dict[str, str] = {}
        self.list_dialog = None  # the list behind the number clicked last
        self.loading: ops.Operation | None = None
        self._count_scheduled = False
        self._reload_pending = False
        self._body_built = False
        # Not "คุณ{name}": stored names carry their title (นาย, นางสาว), and คุณนาย means "madam".
        greeting = QLabel(tr("สวัสดี {name}", name=ctx.user.full_name))
        greeting.setObjectName("pageTitle")
        self.today_label = QLabel(ui_date(date.today(), "full"))
        self.where = QLabel()
        self.where.setObjectName("hint")
        self.scope_label = QLabel(_("กำลังโหลดข้อมูล…"))
        self.scope_label.setObjectName("sectionTitle")
        self._fiscal_year_changed(ctx.fiscal_year, reload=False)
        ctx.fiscal_year_changed.connect(self._fiscal_year_changed)

        # Returned items and today's visits: filled in once loaded, hidden when there are none.
        self.returned_box = QLabel()
        self.returned_box.setObjectName("returnedBanner")
        self.returned_box.setWordWrap(True)
        self.returned_box.setTextFormat(Qt.TextFormat.RichText)
        self.returned_box.hide()
        self.visits_box = QLabel()
        self.visits_box.setWordWrap(True)
        self.visits_box.setTextFormat(Qt.TextFormat.RichText)
        self.visits_box.hide()

        self.cards = {kind: StatCard(_(label)) for kind, label in KINDS.items()}
        self.cards["total"] = StatCard(_("รวมทั้งหมด"))
        for kind, card in self.cards.items():
            card.clicked.connect(lambda kind=kind: self.open_kind(kind))
        cards = QHBoxLayout()
        for card in self.cards.values():
            card.setMinimumWidth(170)
            cards.addWidget(card)
        cards.addStretch(1)

        content = QWidget()
        content.setObjectName("dashboard")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.addWidget(greeting)
        layout.addWidget(self.today_label)
        layout.addWidget(self.where)
        layout.addSpacing(12)
        layout.addWidget(self.returned_box)
        layout.addWidget(self.visits_box)
        layout.addSpacing(6)
        layout.addWidget(self.scope_label)
        layout.addLayout(cards)
        layout.addSpacing(14)
        self.body = QVBoxLayout()  # KPIs, charts and deadlines: built after the first paint
        self.body.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.body)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        content.installEventFilter(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.scroll = scroll


    # -- loading ----------------------------------------------------------------------------

    def _build_body(self) -> None:
        """The KPI cards' place, the charts and the deadline table (once, after the first
        paint: they and their modules are not needed to show the page)."""
        if self._body_built:
            return
        self._body_built = True
        from ui.dashboard_lists import DeadlineFilter, DeadlineModel
        from ui.widgets.bar_chart import BarChart
        from ui.widgets.list_table import list_table
        from ui.widgets.s_curve import SCurveChart

        self.kpi_title = QLabel()
        self.kpi_title.setObjectName("sectionTitle")
        self.kpi_hint = QLabel(_("คลิกที่การ์ดเพื่อดูรายชื่อสหกรณ์/กลุ่มเกษตรกรที่อยู่เบื้องหลังตัวเลข"))
        self.kpi_hint.setObjectName("hint")
        self.kpi_grid = QGridLayout()
        self.kpi_grid.setSpacing(10)
        self.kpi_cards: dict[str, KpiCard] = {}
        self.count_row = QHBoxLayout()
        self.count_cards: dict[str, StatCard] = {}

        self.strength_chart = BarChart()
        self.standards_chart = BarChart()
        self.visits_chart = BarChart()
        self.budget_chart = SCurveChart()
        self.strength_chart.bar_clicked.connect(self.open_strength)
        self.standards_chart.bar_clicked.connect(self.open_standards)
        self.visits_chart.bar_clicked.connect(self.open_visits)
        fy = lambda: self.ctx.fiscal_year  # noqa: E731 - the file names follow the year shown
        self.panels = {
            "strength": ChartPanel(self.strength_chart, lambda: tr("ระดับชั้น-{year}", year=fy())),
            "standards": ChartPanel(self.standards_chart, lambda: tr("มาตรฐาน-{year}", year=fy())),
            "visits": ChartPanel(self.visits_chart, lambda: tr("การเยี่ยม-{year}", year=fy())),
            "budget": ChartPanel(self.budget_chart, lambda: tr("งบประมาณ-{year}", year=fy())),
        }
        charts = QGridLayout()
        charts.setSpacing(10)
        for i, panel in enumerate(self.panels.values()):
            charts.addWidget(panel, i // 2, i % 2)
        charts.setColumnStretch(0, 1)
        charts.setColumnStretch(1, 1)

        deadlines_title = QLabel(_("กำหนดการตามกฎหมายที่เกินกำหนดและครบกำหนดใน 30 วัน"))
        deadlines_title.setObjectName("sectionTitle")
        self.deadline_status = QComboBox()
        self.deadline_status.addItem(_("ทั้งหมด"), None)
        self.deadline_status.addItem(_("เกินกำหนด"), "overdue")
        self.deadline_status.addItem(_("ครบกำหนดใน 30 วัน"), "due_soon")
        self.deadline_search = QLineEdit()
        self.deadline_search.setPlaceholderText(_("ค้นหาชื่อหรือผู้รับผิดชอบ"))
        self.deadline_search.setClearButtonEnabled(True)
        self.deadline_count = QLabel()
        self.deadline_count.setObjectName("hint")
        self.deadline_model = DeadlineModel(
            [_("สถานะ"), _("ครบกำหนด"), _("สหกรณ์/กลุ่มเกษตรกร"), _("งานที่ต้องทำ"), _("ปีบัญชีสิ้นสุด"),
             _("ผู้รับผิดชอบ")], self)
        self.deadline_proxy = DeadlineFilter(self)
        self.deadline_proxy.setSourceModel(self.deadline_model)
        self.deadline_table = list_table(self.deadline_proxy, (130, 110, 330, 190, 110, 200), striped=True,
                                         selection=QAbstractItemView.SelectionMode.SingleSelection)
        self.deadline_table.activated.connect(self.open_deadline)
        self.deadline_table.clicked.connect(self.open_deadline)
        self.deadline_status.currentIndexChanged.connect(self._refilter_deadlines)
        self.deadline_search.textChanged.connect(self._refilter_deadlines)
        deadline_bar = QHBoxLayout()
        deadline_bar.addWidget(QLabel(_("แสดง")))
        deadline_bar.addWidget(self.deadline_status)
        deadline_bar.addWidget(self.deadline_search, 1)
        deadline_bar.addWidget(self.deadline_count)

        layout = self.body
        layout.addWidget(self.kpi_title)
        layout.addWidget(self.kpi_hint)
        layout.addLayout(self.kpi_grid)
        layout.addLayout(self.count_row)
        layout.addSpacing(14)
        layout.addLayout(charts)
        layout.addSpacing(14)
        layout.addWidget(deadlines_title)
        layout.addLayout(deadline_bar)
        layout.addWidget(self.deadline_table)
        self._show_loading_charts()


    def _fiscal_year_changed(self, year: int, reload: bool = True) -> None:
        self.where.setText(f"{self.ctx.office_name}  ·  {fiscal_year_label(year)}")
        if reload and self._count_scheduled:
            self._count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and not self._count_scheduled:
            # Loaded once the page is on screen: at start-up the window paints before a
            # worker thread starts competing with it for the interpreter. (The page itself
            # is covered by its scroll area, so it is the content's paint that tells.)
            self._count_scheduled = True
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._count)
        return False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.loading is not None and self.loading.done:
            self._count()  # back from another page: the registry may have changed

    def _count(self) -> None:
        self._build_body()
        if self.loading is not None and not self.loading.done:
            self._reload_pending = True  # one more load once this one is delivered
            return
        today, year = date.today(), self.ctx.fiscal_year
        self.loading = ops.run_op(self, lambda _progress: load_dashboard(self.ctx, year, today), label="",
                                  on_success=self._show, cancellable=False, delay_ms=None)
        self.loading.finished.connect(self._after_load)

    def _after_load(self) -> None:
        if self._reload_pending:
            self._reload_pending = False
            self._count()

    def _show(self, loaded: tuple[Dashboard, dict[str, str]]) -> None:
        dash, wrapped = loaded
        if dash.fiscal_year != self.ctx.fiscal_year:
            return  # the year changed while loading; the next load shows the right one
        self.dash, self._wrapped = dash, wrapped
        self._show_returned(dash.returned)
        self._show_visits(dash.today_visits)
        self._show_scope(dash)
        self._show_kpis(dash)
        self._show_charts(dash)
        self._show_deadlines(dash)

    def wrapped(self, text: str) -> str:
        return self._wrapped.get(text, text)

    # -- the top of the day ------------------------------------------------------------------

    def _show_returned(self, items: Sequence) -> None:
        if not items:
            self.returned_box.hide()
            return
        rows = "".join(
            f"<li><b>{escape(i.title)}</b> — {escape(i.returned_by)}: “{escape(i.comment)}”</li>" for i in items)
        title = tr("ส่งคืนให้แก้ไข {n} รายการ (แก้ไขได้ที่หน้า เยี่ยม/CPS)", n=ui_digits(len(items)))
        self.returned_box.setText(f"<b>{escape(title)}</b><ul style='margin:4px 0'>{rows}</ul>")
        self.returned_box.show()

    def _show_visits(self, visits: Sequence) -> None:
        if not visits:
            self.visits_box.hide()
            return
        rows = "".join(f"<li>{escape(v.planned_time or '')} {escape(v.institution_name)} — {escape(v.method_label)}</li>"
                       for v in visits)
        title = tr("นัดเยี่ยมวันนี้ {n} แห่ง", n=ui_digits(len(visits)))
        self.visits_box.setText(f"<b>{escape(title)}</b><ul style='margin:4px 0'>{rows}</ul>")
        self.visits_box.show()

    def _show_scope(self, dash: Dashboard) -> None:
        self.scope_label.setText(tr("ขอบเขตข้อมูล: {scope}", scope=dash.scope_label))
        for kind, card in self.cards.items():
            n = len(dash.institution_ids) if kind == "total" else dash.kinds.get(kind, 0)
            card.value.setText(count_text(n))

    # -- KPI cards ---------------------------------------------------------------------------

    def _show_kpis(self, dash: Dashboard) -> None:
        if dash.kpi_year == dash.fiscal_year:
            self.kpi_title.setText(tr("ตัวชี้วัด {year}", year=fiscal_year_label(dash.fiscal_year)))
        else:
            self.kpi_title.setText(tr("ตัวชี้วัด {year} (ปีงบประมาณ {current} ยังไม่มีผลการประเมิน)",
                                      year=fiscal_year_label(dash.kpi_year), current=ui_digits(dash.fiscal_year)))
        for widget in [*self.kpi_cards.values(), *self.count_cards.values()]:
            widget.setParent(None)
            widget.deleteLater()
        self.kpi_cards, self.count_cards = {}, {}
        while self.count_row.count():
            self.count_row.takeAt(0)
        kind_sets = {frozenset(i for i in dash.institution_ids if dash.institutions[i].kind == k) for k in KINDS}
        kind_sets.add(frozenset(dash.institution_ids))
        columns = 4
        for r in dash.kpis:
            if r.unit != "count":
                card = KpiCard(r, self.wrapped)
                card.clicked.connect(lambda key=r.key: self.open_kpi(key))
                self.kpi_grid.addWidget(card, len(self.kpi_cards) // columns, len(self.kpi_cards) % columns)
                self.kpi_cards[r.key] = card
            elif r.target is None and frozenset(r.numerator_ids) in kind_sets:
                continue  # the same number as a card at the top
            else:
                card = StatCard(self.wrapped(_(r.label_th)))
                card.title.setWordWrap(True)
                card.value.setText(count_text(r.numerator))
                if r.target is not None:
                    card.hint.setText(kpi_target_text(r) + ("" if r.met is None else " · " + kpi_verdict(r)))
                    card.hint.show()
                card.clicked.connect(lambda key=r.key: self.open_kpi(key))
                card.setMaximumWidth(260)
                self.count_row.addWidget(card)
                self.count_cards[r.key] = card
        self.count_row.addStretch(1)
        for c in range(columns):
            self.kpi_grid.setColumnStretch(c, 1)

    # -- charts ------------------------------------------------------------------------------

    def _show_loading_charts(self) -> None:
        from ui.widgets.bar_chart import BarChartData

        for chart in (self.strength_chart, self.standards_chart, self.visits_chart):
            chart.set_data(BarChartData(empty_text=_("กำลังโหลดข้อมูล…")))

    def _show_charts(self, dash: Dashboard) -> None:
        self.strength_chart.set_data(self.strength_data(dash))
        self.standards_chart.set_data(self.standards_data(dash))
        self.visits_chart.set_data(self.visits_data(dash))
        self.budget_chart.set_data(self.budget_data(dash))

    def strength_data(self, dash: Dashboard) -> BarChartData:
        from ui.widgets.bar_chart import BarChartData, BarSeries

        years = dash.strength
        values = [[y.count(slot) for slot, _label, _color in CLASS_SERIES] for y in years]

        def tooltip(c: int, s: int) -> str:
            return tr("{label} ปีงบประมาณ {year}: {n} (คลิกเพื่อดูรายชื่อ)", label=_(CLASS_SERIES[s][1]),
                      year=ui_digits(years[c].fiscal_year), n=count_text(values[c][s]))

        return BarChartData(
            title=_("สหกรณ์และกลุ่มเกษตรกรจำแนกตามระดับชั้นความเข้มแข็ง"),
            subtitle=_("จำนวนแห่ง ต่อปีงบประมาณ (ระดับชั้น 1 ดีที่สุด)"),
            categories=[ui_digits(y.fiscal_year) for y in years],
            series=[BarSeries(_(label), color) for _slot, label, color in CLASS_SERIES],
            values=values, stacked=True, empty_text=_("ยังไม่มีสหกรณ์/กลุ่มเกษตรกรในขอบเขตนี้"),
            value_text=lambda v: f"{v:,}", tooltip=tooltip)

    def standards_data(self, dash: Dashboard) -> BarChartData:
        from ui.widgets.bar_chart import BarChartData, BarSeries

        years = dash.years
        kinds = list(KINDS)
        rows = [[dash.standards_of(y, k) for k in kinds] for y in years]
        targets = {r.target for r in dash.kpis if r.key.startswith("standards") and r.target is not None}
        target = targets.pop() if len(targets) == 1 else None

        def tooltip(c: int, s: int) -> str:
            sy = rows[c][s]
            return tr("{kind} ปีงบประมาณ {year}: ผ่าน {n} จาก {d} แห่งที่จัดมาตรฐาน ({rate}) คลิกเพื่อดูรายชื่อ",
                      kind=_(KINDS[sy.kind]), year=ui_digits(sy.fiscal_year), n=f"{len(sy.passed_ids):,}",
                      d=f"{sy.assessed:,}", rate=percent_text(sy.rate))

        return BarChartData(
            title=_("อัตราการผ่านเกณฑ์มาตรฐาน"),
            subtitle=_("ร้อยละของที่นำมาจัดมาตรฐาน ต่อปีงบประมาณ"),
            categories=[ui_digits(y) for y in years],
            series=[BarSeries(_(KINDS[k]), KIND_COLORS[k]) for k in kinds],
            values=[[None if sy is None or sy.rate is None else sy.rate for sy in row] for row in rows],
            axis_max=100, integer_axis=False, target=target,
            target_text=tr("เป้าหมาย {n}%", n=f"{target.normalize():f}") if target is not None else "",
            empty_text=_("ยังไม่มีผลการจัดมาตรฐานในสามปีนี้"), missing_text=_("ยังไม่มีผล"),
            value_text=lambda v: f"{v}%" if isinstance(v, int) else f"{v:.1f}%",
            tooltip=tooltip)

    def visits_data(self, dash: Dashboard) -> BarChartData:
        from ui.widgets.bar_chart import BarChartData, BarSeries

        this_month = dash.today.replace(day=1)
        values: list[list[int | None]] = []
        for v in dash.visits:
            ahead = v.month > this_month
            values.append([None if ahead and not v.planned else v.planned, None if ahead else v.done])
        if not any(v.planned or v.done for v in dash.visits):
            values = [[None, None] for _v in dash.visits]  # say "no visits" rather than draw zeros
        def tooltip(c: int, s: int) -> str:
            v = dash.visits[c]
            return tr("{month}: วางแผน {p} ครั้ง ไปแล้ว {d} ครั้ง (คลิกเพื่อดูรายชื่อ)",
                      month=ui_date(v.month, "month"), p=f"{v.planned:,}", d=f"{v.done:,}")

        return BarChartData(
            title=_("การเยี่ยมสหกรณ์/กลุ่มเกษตรกร: แผนเทียบกับที่ไปจริง"),
            subtitle=tr("จำนวนครั้งต่อเดือน {year}", year=fiscal_year_label(dash.fiscal_year)),
            categories=[_month_label(m) for m in range(len(dash.visits))],
            series=[BarSeries(_("วางแผน"), PLANNED_COLOR), BarSeries(_("ไปแล้ว"), ACTUAL_COLOR)],
            values=values, empty_text=_("ยังไม่มีแผนการเยี่ยมในปีงบประมาณนี้"),
            value_text=lambda v: f"{v:,}", tooltip=tooltip)

    def budget_data(self, dash: Dashboard) -> SCurveData:
        from ui.widgets.s_curve import SCurveData

        b = dash.budget
        planned = list(b.planned_cumulative)
        disbursed = list(b.disbursed_cumulative[:b.months_reported])
        if not b.plan_count:
            subtitle = _("ยังไม่มีแผนปฏิบัติงานของปีงบประมาณนี้")
        elif disbursed:
            target = planned[len(disbursed) - 1]
            share = f"{disbursed[-1] * 100 / target:,.1f}" if target else "-"
            subtitle = tr("เบิกจ่ายสะสมถึงสิ้น {month} {actual} บาท จากแผน {planned} บาท (ร้อยละ {share})",
                          month=_month_label(len(disbursed) - 1), actual=f"{disbursed[-1]:,.0f}",
                          planned=f"{target:,.0f}", share=share)
        else:
            subtitle = _("ยังไม่มีการบันทึกผลการเบิกจ่าย")
        title = _("งบประมาณสะสม: แผนเทียบกับเบิกจ่ายจริง")
        if b.plan_count > 1:
            title = tr("{title} (รวม {n} กลุ่ม)", title=title, n=ui_digits(b.plan_count))
        elif b.plan_count == 1:
            title = f"{title} ({b.group_names[0]})"
        return SCurveData(
            title=title,
            subtitle=subtitle, labels=[_month_label(m) for m in range(len(planned))] if b.plan_count else [],
            planned=planned,
            actual=disbursed, planned_name=_("แผนการใช้จ่ายสะสม"), actual_name=_("เบิกจ่ายจริงสะสม"),
            value_text=lambda v: f"{v:,.0f}")

    # -- deadlines ---------------------------------------------------------------------------

    def _show_deadlines(self, dash: Dashboard) -> None:
        from ui.dashboard_lists import deadline_status_text

        rows = [(deadline_status_text(d), ui_date(d.due, "short"), d.institution_name, d.kind_label,
                 ui_date(d.year_end, "short"), d.officer_name or _("ยังไม่กำหนด")) for d in dash.deadlines]
        self.deadline_model.set_rows(rows, list(dash.deadlines))
        overdue = sum(d.status == "overdue" for d in dash.deadlines)
        self.deadline_count.setText(tr("เกินกำหนด {o} รายการ · ครบกำหนดใน {days} วัน {s} รายการ", o=f"{overdue:,}",
                                       days=dash.within_days, s=f"{len(dash.deadlines) - overdue:,}"))
        self._refilter_deadlines()

    def _refilter_deadlines(self) -> None:
        self.deadline_proxy.set_filter(self.deadline_status.currentData(), self.deadline_search.text())
        # As tall as its rows, up to DEADLINE_ROWS (then it scrolls), never a tall empty box.
        table = self.deadline_table
        rows = min(max(self.deadline_proxy.rowCount(), 2), DEADLINE_ROWS)
        table.setFixedHeight(table.horizontalHeader().height() + rows * table.verticalHeader().defaultSectionSize()
                             + 2 * table.frameWidth() + 2)

    # -- the lists behind the numbers -------------------------------------------------------

    def open_list(self, title: str, groups, *, subtitle: str = "", details=None, detail_header: str = ""):
        from ui.dashboard_lists import InstitutionListDialog

        assert self.dash is not None
        dialog = InstitutionListDialog(self, title, groups, self.dash.institutions, subtitle=subtitle,
                                       details=details, detail_header=detail_header)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.list_dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: setattr(self, "list_dialog", None)
                                if self.list_dialog is d else None)
        dialog.open()
        return dialog

    def open_kind(self, kind: str):
        from ui.dashboard_lists import ListGroup

        if self.dash is None:
            return None
        dash = self.dash
        ids = dash.institution_ids if kind == "total" else tuple(
            i for i in dash.institution_ids if dash.institutions[i].kind == kind)
        label = _("สหกรณ์และกลุ่มเกษตรกรทั้งหมด") if kind == "total" else _(KINDS[kind])
        return self.open_list(tr("{label} — {scope} ({n})", label=label, scope=dash.scope_label, n=count_text(len(ids))),
                              [ListGroup(label, ids)])

    def open_kpi(self, key: str):
        from ui.dashboard_lists import ListGroup

        if self.dash is None or (r := self.dash.kpi(key)) is None:
            return None
        met = set(r.numerator_ids)
        if r.unit == "count":
            groups = [ListGroup(_("นับในตัวเลขนี้"), r.numerator_ids),
                      ListGroup(_("ไม่นับในตัวเลขนี้"), tuple(i for i in r.denominator_ids if i not in met))]
        else:
            groups = [ListGroup(_("ผ่านเกณฑ์ (ตัวตั้ง)"), r.numerator_ids),
                      ListGroup(_("ไม่ผ่านเกณฑ์"), tuple(i for i in r.denominator_ids if i not in met))]
        groups += [ListGroup(_("ไม่นับรวม"), r.excluded_ids), ListGroup(_("ยังไม่มีข้อมูล"), r.missing_ids)]
        groups = [g for g in groups if g.ids]
        subtitle = " · ".join(t for t in (kpi_value_text(r), kpi_count_text(r), kpi_target_text(r),
                                          self.wrapped(r.note_th)) if t)
        return self.open_list(self.wrapped(_(r.label_th)), groups, subtitle=subtitle)

    def open_strength(self, category: int, series: int):
        from ui.dashboard_lists import ListGroup

        if self.dash is None:
            return None
        year = self.dash.strength[category]
        slot, label, _color = CLASS_SERIES[series]
        ids = year.ids[slot]
        title = tr("{label} ปีงบประมาณ {year} ({n})", label=_(label), year=ui_digits(year.fiscal_year),
                   n=count_text(len(ids)))
        return self.open_list(title, [ListGroup(_(label), ids)])

    def open_standards(self, category: int, series: int):
        from app.rules.registry import standards_label
        from ui.dashboard_lists import ListGroup

        if self.dash is None:
            return None
        fy, kind = self.dash.years[category], list(KINDS)[series]
        sy = self.dash.standards_of(fy, kind)
        if sy is None:
            return None
        groups = [ListGroup(_(standards_label(kind, "pass")), sy.passed_ids),
                  ListGroup(_(standards_label(kind, "fail")), sy.failed_ids),
                  ListGroup(_(standards_label(kind, "not_assessed")), sy.not_assessed_ids),
                  ListGroup(_("ยังไม่มีผลการจัดมาตรฐาน"), sy.missing_ids)]
        title = tr("ผลการจัดมาตรฐาน{kind} ปีงบประมาณ {year}", kind=_(KINDS[kind]), year=ui_digits(fy))
        subtitle = tr("ผ่าน {n} จาก {d} แห่งที่นำมาจัดมาตรฐาน ({rate})", n=f"{len(sy.passed_ids):,}",
                      d=f"{sy.assessed:,}", rate=percent_text(sy.rate))
        dialog = self.open_list(title, [g for g in groups if g.ids], subtitle=subtitle)
        return dialog

    def open_visits(self, category: int, series: int):
        from ui.dashboard_lists import ListGroup

        if self.dash is None:
            return None
        v = self.dash.visits[category]
        ids, days = (v.planned_ids, v.planned_days) if series == 0 else (v.done_ids, v.done_days)
        label = _("วางแผนเยี่ยม") if series == 0 else _("ไปเยี่ยมแล้ว")
        month = ui_date(v.month, "month")
        count = v.planned if series == 0 else v.done
        title = tr("{label} {month}: {n} ครั้ง {places}", label=label, month=month, n=f"{count:,}",
                   places=count_text(len(ids)))
        details = {i: ", ".join(ui_date(d, "short") for d in days.get(i, ())) for i in ids}
        return self.open_list(title, [ListGroup(label, ids)], details=details, detail_header=_("วันที่"))

    def open_deadline(self, index):
        from ui.dashboard_lists import ListGroup
        from ui.models.list_model import PAYLOAD_ROLE

        if self.dash is None or not index.isValid():
            return None
        if self.list_dialog is not None and self.list_dialog.isVisible():
            return None  # a double click (clicked, then activated) opens one list, not two
        d = self.deadline_proxy.index(index.row(), 0).data(PAYLOAD_ROLE)
        # The institution, with every deadline of it still open (the one clicked first).
        mine = [d, *(x for x in self.dash.deadlines if x.institution_id == d.institution_id and x != d)]
        return self.open_list(d.institution_name, [ListGroup(d.kind_label, (d.institution_id,))],
                              subtitle="\n".join(f"• {x.text_th}" for x in mine))
