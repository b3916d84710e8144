"""เยี่ยม/CPS: the officer's month of field visits.

On top, what the approver returned (with the comment; a click opens it). Then the month
and the officer (directors and the provincial head pick an officer; an officer sees their
own), the travel plan's state with its steps (submit, withdraw, reopen, print as PDF). In
the middle the calendar (ui.widgets.month_calendar): drag a visit to another day, double-
click to open it or to plan one on an empty day. On the right the officer's institutions
(last visit, open follow-ups; drag one onto a day or double-click it to plan a visit),
this month's suggestions with their reasons (one click plans one), and the conflicts.

The month is read in a worker thread (ui.ops.run_op, its own session) and read again after
every change, keeping the selection. Every change is one transaction through
app.services.visits; a refusal reaches the user as its one sentence and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTextBoundaryFinder,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from app.rules import approval
from app.rules import visits as rules
from app.rules.approval import STATE_LABELS, State, Step
from app.rules.permissions import Action, Target
from app.services import users, visit_views
from app.services import visits as svc
from app.services.visit_views import InstitutionRow, MonthView, ReturnedItem, VisitRow
from app.thai import THAI_MONTHS, default_calendar, format_date
from ui import errors, messages, ops
from ui.context import AppContext
from ui.formatting import ui_date, ui_digits
from ui.models.list_model import PAYLOAD_ROLE, ListModel
from ui.visit_dialog import VisitDialog
from ui.widgets import month_calendar as mc
from ui.widgets.month_calendar import (
    MIME_INSTITUTION,
    CalendarChip,
    MonthCalendar,
    add_months,
)

RIGHT_PANEL_WIDTH = 340
CONFLICT_KIND_LABELS = {rules.OVERLAP: "เวลาซ้อน", rules.HOLIDAY: "วันหยุด", rules.OVER_TARGET: "เกินแผน"}


# -- what the page reads (in a worker thread) ----------------------------------------------------

@dataclass(frozen=True)
class Officer:
    id: str
    name: str
    group_id: str | None


@dataclass(frozen=True)
class MonthData:
    officer_id: str
    month: date
    view: MonthView
    returned: tuple[ReturnedItem, ...]
    holidays: dict[date, str]  # of every day the grid may show, the neighbouring months' too


def load_month(ctx: AppContext, officer_id: str, month: date) -> MonthData:
    with ctx.db.session() as s:
        view = visit_views.month_view(s, ctx.user, officer_id, month)
        returned = tuple(visit_views.returned_items(s, ctx.user))
    first, last = visit_views.month_bounds(month)
    holidays = dict(default_calendar().holidays_between(first - timedelta(days=14), last + timedelta(days=14)))
    return MonthData(officer_id, first, view, returned, holidays)


def officer_choices(ctx: AppContext) -> list[Officer]:
    """The officers whose visits the user may see: themself if an officer, else every officer
    in the user's scope (a director's group, the whole office for the head)."""
    user = ctx.user
    if user.roles <= {"officer"}:
        return [Officer(user.id, user.full_name, user.group_id)]
    with ctx.db.session() as s:
        people = users.list_users(s, user)
    found = [Officer(u.id, u.full_name, u.group_id) for u in people
             if "officer" in u.roles and ctx.can(Action.VISIT_VIEW, Target(officer_id=u.id, group_id=u.group_id))]
    if "officer" in user.roles and all(o.id != user.id for o in found):
        found.insert(0, Officer(user.id, user.full_name, user.group_id))
    return found


_SHORT_PREFIXES = (("สหกรณ์การเกษตร", "สกก."), ("สหกรณ์ออมทรัพย์", "สอ."), ("กลุ่มเกษตรกร", "กลุ่มฯ "))


def short_name(name: str) -> str:
    """What fits on a chip: the usual abbreviations, without "จำกัด"."""
    text = name.strip()
    if text.endswith("จำกัด"):
        text = text[: -len("จำกัด")].rstrip()
    for long, short in _SHORT_PREFIXES:
        if text.startswith(long):
            return (short + text[len(long):].lstrip()).strip()
    return text


def chip_state(v: VisitRow) -> str:
    if v.status == svc.CANCELLED:
        return mc.CANCELLED
    if v.status == svc.PLANNED:
        return mc.PLANNED
    return {State.SUBMITTED: mc.SUBMITTED, State.APPROVED: mc.APPROVED,
            State.RETURNED: mc.RETURNED}.get(v.report_state, mc.DONE)


def end_time(start: str | None, minutes: int) -> str | None:
    if not start:
        return None
    hours, mins = (int(x) for x in start.split(":"))
    total = hours * 60 + mins + minutes
    return f"{total // 60:02d}:{total % 60:02d}" if total < 24 * 60 else None


def movable(view: MonthView, v: VisitRow) -> bool:
    return view.can_edit and v.status == svc.PLANNED and view.travel_state != State.SUBMITTED


def chips_for(view: MonthView) -> list[CalendarChip]:
    warnings: dict[str, list[str]] = {}
    for c in view.conflicts:
        for visit_id in c.visit_ids:
            warnings.setdefault(visit_id, []).append(c.text_th)
    first, last = visit_views.month_bounds(view.month)
    out = []
    for v in (*view.visits, *view.neighbours):
        day = v.day if first - timedelta(days=7) <= v.day <= last + timedelta(days=7) else v.planned_date
        state = chip_state(v)
        when = tr("{time} น.", time=ui_digits(v.planned_time)) if v.planned_time else _("ไม่ระบุเวลา")
        lines = [v.institution_name, f"{ui_date(day, 'long')} {when}", v.method_label,
                 _(mc.CHIP_STATE_LABELS[state])]
        if v.purpose:
            lines.append(tr("ประเด็น: {text}", text=v.purpose.splitlines()[0]))
        out.append(CalendarChip(id=v.id, day=day, title=short_name(v.institution_name), time=v.planned_time,
                                end_time=end_time(v.planned_time, v.duration_min), state=state,
                                movable=movable(view, v) and first <= v.planned_date <= last, warning="\n".join(warnings.get(v.id, [])),
                                detail=v.method_label, tooltip="\n".join(lines)))
    return out


# -- the institutions list (drag source) ---------------------------------------------------------

class InstitutionModel(QAbstractTableModel):
    HEADERS = ("ชื่อ", "เยี่ยมล่าสุด", "ค้าง", "นัด")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[InstitutionRow] = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return r.name
            if col == 1:
                return ui_date(r.last_visit, "short") if r.last_visit else _("ยังไม่เคย")
            if col == 2:
                return ui_digits(r.open_followups) if r.open_followups else ""
            return ui_digits(r.planned_this_month) if r.planned_this_month else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            last = (tr("เยี่ยมล่าสุด {day}", day=ui_date(r.last_visit, "long")) if r.last_visit
                    else _("ยังไม่เคยเยี่ยม"))
            return "\n".join((r.name, last, tr("ข้อสังเกตค้าง {n} เรื่อง", n=ui_digits(r.open_followups)),
                              tr("นัดเดือนนี้ {n} ครั้ง", n=ui_digits(r.planned_this_month)),
                              _("ลากไปวางบนวันในปฏิทิน หรือดับเบิลคลิก เพื่อนัดเยี่ยม")))
        if role == Qt.ItemDataRole.ForegroundRole and col == 2 and r.open_followups:
            return QColor("#b3261e")
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == PAYLOAD_ROLE:
            return r
        return None

    def flags(self, index):
        return super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME_INSTITUTION]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802
        data = QMimeData()
        if indexes:
            row = self.rows[indexes[0].row()]
            data.setData(MIME_INSTITUTION, QByteArray(row.id.encode("utf-8")))
            data.setText(row.name)
        return data

    def supportedDragActions(self):  # noqa: N802
        return Qt.DropAction.CopyAction


# -- one suggestion --------------------------------------------------------------------------------

def _shorten(text: str, limit: int = 90) -> str:
    """At most about `limit` characters, cut between Thai words (never inside a syllable)."""
    if len(text) <= limit:
        return text
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
    cut, pos = 0, finder.toNextBoundary()
    while 0 < pos <= limit:
        cut, pos = pos, finder.toNextBoundary()
    return text[: cut or limit].rstrip(" ,") + "…"


class SuggestionRow(QFrame):
    def __init__(self, suggestion: rules.Suggestion, rank: int, can_plan: bool, on_plan) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.setObjectName("suggestion")
        self.setStyleSheet("QFrame#suggestion { background: white; border: 1px solid #d5dbe5; border-radius: 6px; }")
        name = QLabel(f"{ui_digits(rank)}. {suggestion.name}")
        name.setObjectName("sectionTitle")
        name.setWordWrap(True)
        # A plan-target reason lists every short activity and can run to a paragraph: shown
        # shortened, in full in the tooltip.
        reasons = QLabel("\n".join(f"• {_shorten(r.text_th)}" for r in suggestion.reasons))
        reasons.setWordWrap(True)
        reasons.setTextFormat(Qt.TextFormat.PlainText)
        reasons.setToolTip("\n".join(r.text_th for r in suggestion.reasons))
        day = suggestion.suggested_day
        when = QLabel(tr("วันที่แนะนำ: {day}", day=ui_date(day, "full")) if day else
                      _("เดือนนี้ไม่มีวันทำการเหลือ"))
        when.setObjectName("hint")
        when.setWordWrap(True)
        self.button = QPushButton(_("นัดเยี่ยม"))
        self.button.setEnabled(can_plan and day is not None)
        self.button.setAccessibleName(tr("นัดเยี่ยม {name}", name=suggestion.name))
        self.button.clicked.connect(lambda: on_plan(self))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(3)
        layout.addWidget(name)
        layout.addWidget(reasons)
        bottom = QHBoxLayout()
        bottom.addWidget(when, 1)
        bottom.addWidget(self.button)
        layout.addLayout(bottom)

    def mark_planned(self) -> None:
        self.button.setEnabled(False)
        self.button.setText(_("นัดแล้ว"))


# -- the page ------------------------------------------------------------------------------------------

class CpsPage(QWidget):
    def __init__(self, ctx: AppContext, *, today: date | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = today or date.today()
        self.data: MonthData | None = None
        self.loading: ops.Operation | None = None
        self.suggesting: ops.Operation | None = None
        self.printing: ops.Operation | None = None
        self.visit_dialog: VisitDialog | None = None
        self.suggestion_rows: list[SuggestionRow] = []
        self._open_after_load: str | None = None
        self._reload_pending: tuple[str | None] | None = None
        self.officers = officer_choices(ctx)
        self.officer_id = self._first_officer()

        self.returned_banner = self._build_banner()
        self.calendar = MonthCalendar(today=self.today)
        top = self._build_top()
        travel = self._build_travel_bar()

        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(0, 0, 8, 0)
        cl.addWidget(self.calendar, 1)
        cl.addLayout(self._build_legend())
        self.hint = QLabel(_("ลากนัดไปวันอื่นเพื่อเลื่อนนัด · ดับเบิลคลิกเพื่อเปิด · แป้นลูกศร Space Enter "
                             "PageUp/PageDown ใช้แทนเมาส์ได้"))
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        cl.addWidget(self.hint)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(centre)
        splitter.addWidget(self._build_right_panel())
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([1000, RIGHT_PANEL_WIDTH])
        splitter.setCollapsible(0, False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 6)
        layout.addWidget(self.returned_banner)
        layout.addLayout(top)
        layout.addLayout(travel)
        layout.addWidget(splitter, 1)

        cal = self.calendar
        cal.month_changed.connect(lambda _m: self._month_changed())
        cal.mode_changed.connect(self._mode_changed)
        cal.visit_moved.connect(self.move_visit)
        cal.visit_activated.connect(self.open_visit)
        cal.day_activated.connect(self.new_visit)
        cal.drag_refused.connect(self._drag_refused)
        cal.delete_requested.connect(self.delete_visit)
        cal.institution_dropped.connect(lambda inst, day: self.new_visit(day, institution_id=inst))
        cal.context_requested.connect(self._context_menu)
        self.new_shortcut = QShortcut(QKeySequence("Ctrl+N"), self)
        self.new_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_shortcut.activated.connect(lambda: self.new_visit(self.calendar.selected_date))
        self._update_buttons()
        self.reload()

    def _first_officer(self) -> str | None:
        if any(o.id == self.ctx.user.id for o in self.officers):
            return self.ctx.user.id
        same_group = next((o for o in self.officers if o.group_id == self.ctx.user.group_id), None)
        chosen = same_group or (self.officers[0] if self.officers else None)
        return chosen.id if chosen else None

    # -- building ------------------------------------------------------------------------------

    def _build_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("returnedBanner")
        banner.setStyleSheet("QFrame#returnedBanner { background: #fdecea; border: 1px solid #f1b5b0; "
                             "border-left: 5px solid #c62828; border-radius: 4px; }")
        self.banner_title = QLabel()
        self.banner_title.setObjectName("sectionTitle")
        self.banner_lines = QVBoxLayout()
        self.banner_lines.setSpacing(2)
        layout = QVBoxLayout(banner)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.addWidget(self.banner_title)
        layout.addLayout(self.banner_lines)
        self.banner_labels: list[QLabel] = []
        banner.hide()
        return banner

    def _build_top(self) -> QHBoxLayout:
        title = QLabel(_("เยี่ยม/CPS"))
        title.setObjectName("pageTitle")
        self.officer_combo = QComboBox()
        self.officer_combo.setMinimumWidth(240)
        for o in self.officers:
            self.officer_combo.addItem(o.name, o.id)
        self.officer_combo.setCurrentIndex(max(0, self.officer_combo.findData(self.officer_id)))
        self.officer_combo.currentIndexChanged.connect(self._officer_changed)
        self.officer_label = QLabel(_("เจ้าหน้าที่"))
        only_self = self.ctx.user.roles <= {"officer"}
        self.officer_combo.setVisible(not only_self)
        self.officer_label.setVisible(not only_self)

        style = self.style()
        self.prev_button = QToolButton()
        self.prev_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowLeft))
        self.prev_button.setToolTip(_("ก่อนหน้า (PageUp)"))
        self.prev_button.setAccessibleName(_("ก่อนหน้า"))
        self.next_button = QToolButton()
        self.next_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowRight))
        self.next_button.setToolTip(_("ถัดไป (PageDown)"))
        self.next_button.setAccessibleName(_("ถัดไป"))
        self.today_button = QPushButton(_("วันนี้"))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_today)
        self.month_button = QToolButton()
        self.month_button.setText(_("เดือน"))
        self.week_button = QToolButton()
        self.week_button.setText(_("สัปดาห์"))
        self.mode_group = QButtonGroup(self)
        for button, mode in ((self.month_button, mc.MONTH), (self.week_button, mc.WEEK)):
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumWidth(72)
            self.mode_group.addButton(button)
            button.clicked.connect(lambda _c=False, m=mode: self.calendar.set_mode(m))
        self.month_button.setChecked(True)

        row = QHBoxLayout()
        row.addWidget(title)
        row.addSpacing(16)
        row.addWidget(self.officer_label)
        row.addWidget(self.officer_combo)
        row.addStretch(1)
        row.addWidget(self.prev_button)
        row.addWidget(self.today_button)
        row.addWidget(self.next_button)
        row.addSpacing(12)
        row.addWidget(self.month_button)
        row.addWidget(self.week_button)
        return row

    def _build_travel_bar(self) -> QHBoxLayout:
        self.travel_label = QLabel()
        self.travel_label.setObjectName("sectionTitle")
        self.travel_label.setTextFormat(Qt.TextFormat.PlainText)
        self.travel_label.setWordWrap(True)  # a director's view adds the officer's name
        self.submit_button = QPushButton(_("ส่งแผนขออนุมัติ…"))
        self.withdraw_button = QPushButton(_("ถอนเรื่อง"))
        self.reopen_button = QPushButton(_("นำกลับมาแก้ไข"))
        self.print_button = QPushButton(_("พิมพ์แผนการเดินทาง (PDF)"))
        self.new_button = QPushButton(_("นัดเยี่ยม…"))
        self.new_button.setToolTip(_("นัดเยี่ยมในวันที่เลือก (Ctrl+N)"))
        self.submit_button.clicked.connect(self.submit_travel_plan)
        self.withdraw_button.clicked.connect(self.withdraw_travel_plan)
        self.reopen_button.clicked.connect(self.reopen_travel_plan)
        self.print_button.clicked.connect(self.print_travel_plan)
        self.new_button.clicked.connect(lambda: self.new_visit(self.calendar.selected_date,
                                                               institution_id=self.selected_institution_id()))
        row = QHBoxLayout()
        row.addWidget(self.travel_label, 1)
        for b in (self.submit_button, self.withdraw_button, self.reopen_button, self.print_button):
            row.addWidget(b)
        row.addSpacing(12)
        row.addWidget(self.new_button)
        return row

    def _build_legend(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(4)
        for state, label in mc.CHIP_STATE_LABELS.items():
            style = mc.CHIP_STYLES[state]
            swatch = QLabel()
            swatch.setFixedSize(18, 14)
            swatch.setStyleSheet(f"background: {style.fill}; border-left: 4px solid {style.stripe};")
            row.addWidget(swatch)
            text = QLabel(_(label))
            text.setObjectName("hint")
            row.addWidget(text)
            row.addSpacing(6)
        warn = QLabel(_("⚠ มีข้อควรระวัง"))
        warn.setStyleSheet("color: #d35400;")
        row.addWidget(warn)
        row.addStretch(1)
        self.load_status = QLabel()
        self.load_status.setObjectName("hint")
        row.addWidget(self.load_status)
        return row

    def _build_right_panel(self) -> QWidget:
        # the officer's institutions
        self.inst_model = InstitutionModel(self)
        self.inst_proxy = QSortFilterProxyModel(self)
        self.inst_proxy.setSourceModel(self.inst_model)
        self.inst_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.inst_proxy.setFilterKeyColumn(0)
        self.inst_filter = QLineEdit()
        self.inst_filter.setPlaceholderText(_("ค้นหาชื่อ"))
        self.inst_filter.setClearButtonEnabled(True)
        self.inst_filter.textChanged.connect(self.inst_proxy.setFilterFixedString)
        self.inst_table = QTableView()
        self.inst_table.setModel(self.inst_proxy)
        self.inst_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.inst_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.inst_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.inst_table.setWordWrap(False)
        self.inst_table.verticalHeader().hide()
        self.inst_table.verticalHeader().setDefaultSectionSize(28)
        self.inst_table.setDragEnabled(True)
        self.inst_table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        header = self.inst_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.inst_table.doubleClicked.connect(lambda _i: self.new_visit(self.calendar.selected_date,
                                                                        institution_id=self.selected_institution_id()))
        self.inst_hint = QLabel(_("ลากชื่อไปวางบนวันในปฏิทิน หรือดับเบิลคลิก เพื่อนัดเยี่ยมวันที่เลือก"))
        self.inst_hint.setObjectName("hint")
        self.inst_hint.setWordWrap(True)
        inst_page = QWidget()
        il = QVBoxLayout(inst_page)
        il.setContentsMargins(4, 6, 4, 4)
        il.addWidget(self.inst_filter)
        il.addWidget(self.inst_table, 1)
        il.addWidget(self.inst_hint)

        # suggestions
        self.suggest_button = QPushButton(_("แนะนำการเยี่ยมเดือนนี้"))
        self.suggest_button.clicked.connect(self.load_suggestions)
        self.suggest_status = QLabel(_("กดปุ่มเพื่อดูว่าเดือนนี้ควรเยี่ยมที่ใด และเพราะอะไร"))
        self.suggest_status.setObjectName("hint")
        self.suggest_status.setWordWrap(True)
        self.suggest_list = QVBoxLayout()
        self.suggest_list.setSpacing(6)
        holder = QWidget()
        hl = QVBoxLayout(holder)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addLayout(self.suggest_list)
        hl.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        suggest_page = QWidget()
        sl = QVBoxLayout(suggest_page)
        sl.setContentsMargins(4, 6, 4, 4)
        sl.addWidget(self.suggest_button)
        sl.addWidget(self.suggest_status)
        sl.addWidget(scroll, 1)

        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(inst_page, _("สหกรณ์ที่รับผิดชอบ"))
        self.side_tabs.addTab(suggest_page, _("แนะนำเดือนนี้"))

        # conflicts
        self.conflicts_title = QLabel()
        self.conflicts_title.setObjectName("sectionTitle")
        self.conflict_model = ListModel([_("ข้อควรระวัง")], self)
        self.conflict_list = QListView()
        self.conflict_list.setModel(self.conflict_model)
        self.conflict_list.setWordWrap(True)
        self.conflict_list.setUniformItemSizes(False)
        self.conflict_list.setSpacing(2)
        self.conflict_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflict_list.setMaximumHeight(170)
        self.conflict_list.clicked.connect(self.select_conflict)
        self.conflict_list.activated.connect(self.select_conflict)

        panel = QWidget()
        panel.setMinimumWidth(300)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.side_tabs, 1)
        layout.addWidget(self.conflicts_title)
        layout.addWidget(self.conflict_list)
        return panel

    # -- loading -------------------------------------------------------------------------------

    def current_officer(self) -> Officer | None:
        return next((o for o in self.officers if o.id == self.officer_id), None)

    def reload(self, select_visit: str | None = None) -> None:
        """Read the month again in the background; then select `select_visit` (or keep the selection)."""
        if self.officer_id is None:
            self.travel_label.setText(_("ไม่มีเจ้าหน้าที่ที่คุณดูแผนการเยี่ยมได้"))
            return
        keep = select_visit or self.calendar.selected_visit
        if self.loading is not None and not self.loading.done:
            # one more load once this one is in, however often we were asked meanwhile
            if self._reload_pending is None:
                self.loading.finished.connect(self._reload_again)
            self._reload_pending = (keep,)
            return
        officer_id, month = self.officer_id, self.calendar.month
        self.load_status.setText(_("กำลังโหลด…"))
        self.loading = ops.run_op(self, lambda _p: load_month(self.ctx, officer_id, month), label="",
                                  on_success=lambda data: self._loaded(data, keep), cancellable=False,
                                  delay_ms=None)

    def _reload_again(self) -> None:
        pending, self._reload_pending = self._reload_pending, None
        if pending is not None:
            self.reload(pending[0])

    def _loaded(self, data: MonthData, keep: str | None) -> None:
        if (data.officer_id, data.month) != (self.officer_id, self.calendar.month):
            return  # the user moved on while it loaded; the newer load follows
        self.data = data
        self.load_status.setText("")
        view = data.view
        self.calendar.accept_drops_of_institutions = self._plannable()
        self.calendar.set_data(chips_for(view), data.holidays)
        if keep is not None:
            self.calendar.select_visit(keep)
        self.inst_model.set_rows(view.institutions)
        self._show_conflicts(view)
        self._show_returned(data.returned)
        self._show_travel_state(view)
        self._update_buttons()
        if self._open_after_load is not None:
            visit_id, self._open_after_load = self._open_after_load, None
            self.open_visit(visit_id)

    def _month_changed(self) -> None:
        self._clear_suggestions(_("กดปุ่มเพื่อดูว่าเดือนนี้ควรเยี่ยมที่ใด และเพราะอะไร"))
        self.reload()

    def _officer_changed(self) -> None:
        self.officer_id = self.officer_combo.currentData()
        self._clear_suggestions(_("กดปุ่มเพื่อดูว่าเดือนนี้ควรเยี่ยมที่ใด และเพราะอะไร"))
        self.reload()

    def show_month(self, month: date) -> None:
        self.calendar.set_month(month)

    def step(self, n: int) -> None:
        """◀ / ▶: a month in the month view, a week in the week view."""
        cal = self.calendar
        if cal.mode == mc.WEEK:
            cal.select_date(cal.selected_date + timedelta(days=7 * n))
        else:
            cal.set_month(add_months(cal.month, n))

    def go_today(self) -> None:
        self.calendar.set_month(self.today)
        self.calendar.select_date(self.today)
        self.calendar.setFocus()

    def _mode_changed(self, mode: str) -> None:
        (self.week_button if mode == mc.WEEK else self.month_button).setChecked(True)

    # -- showing ---------------------------------------------------------------------------------

    def _show_travel_state(self, view: MonthView) -> None:
        month = f"{THAI_MONTHS[view.month.month]} {ui_digits(view.month.year + 543)}"
        live = [v for v in view.visits if v.status != svc.CANCELLED]
        if view.travel_plan_id is None:
            text = tr("แผนการเดินทาง {month}: ยังไม่มีนัด", month=month)
        else:
            text = tr("แผนการเดินทาง {month}: {state} · {n} นัด", month=month,
                      state=_(STATE_LABELS.get(view.travel_state, view.travel_state)), n=ui_digits(len(live)))
        if view.officer_id != self.ctx.user.id:
            text = f"{view.officer_name} — {text}"
        self.travel_label.setText(text)
        self.travel_label.setToolTip(tr("ผู้อนุมัติส่งคืนให้แก้ไข: “{comment}”", comment=view.returned_comment)
                                     if view.returned_comment else "")
        color = {State.APPROVED: "#2e7d32", State.SUBMITTED: "#7647b8", State.RETURNED: "#c62828",
                 State.NEEDS_REAPPROVAL: "#c58a00"}.get(view.travel_state, "#1f3a5f")
        self.travel_label.setStyleSheet(f"color: {color};")

    def _show_conflicts(self, view: MonthView) -> None:
        conflicts = list(view.conflicts)
        self.conflict_model.set_rows([(f"⚠ {_(CONFLICT_KIND_LABELS.get(c.kind, c.kind))}: {c.text_th}",)
                                      for c in conflicts], conflicts)
        self.conflicts_title.setText(tr("ข้อควรระวัง ({n})", n=ui_digits(len(conflicts))) if conflicts
                                     else _("ข้อควรระวัง: ไม่มี"))
        self.conflict_list.setVisible(bool(conflicts))

    def _show_returned(self, items: tuple[ReturnedItem, ...]) -> None:
        for label in self.banner_labels:
            label.setParent(None)
            label.deleteLater()
        self.banner_labels = []
        if not items:
            self.returned_banner.hide()
            return
        self.banner_title.setText(tr("ผู้อนุมัติส่งคืนให้แก้ไข {n} รายการ — คลิกเพื่อเปิด", n=ui_digits(len(items))))
        for item in items:
            who = f" ({escape(item.returned_by)})" if item.returned_by else ""
            label = QLabel(f"<a href='{item.kind}:{item.id}'>{escape(item.title)}</a>{who}: "
                           f"“{escape(item.comment)}”")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            label.linkActivated.connect(self._returned_link)
            self.banner_lines.addWidget(label)
            self.banner_labels.append(label)
        self.returned_banner.show()

    def _returned_link(self, href: str) -> None:
        kind, _sep, item_id = href.partition(":")
        self.open_returned(kind, item_id)

    def open_returned(self, kind: str, item_id: str) -> None:
        """Go to the returned item's month (the user's own); a report opens its visit."""
        item = next((i for i in (self.data.returned if self.data else ()) if i.id == item_id), None)
        if item is None:
            return
        if self.officer_id != self.ctx.user.id and any(o.id == self.ctx.user.id for o in self.officers):
            self.officer_combo.setCurrentIndex(self.officer_combo.findData(self.ctx.user.id))
        if kind == svc.REPORT.name:
            if self.calendar.month == item.month and self.officer_id == self.ctx.user.id:
                self.open_visit(item_id)
            else:
                self._open_after_load = item_id
        if self.calendar.month != item.month:
            self.calendar.set_month(item.month)

    # -- what may be done ------------------------------------------------------------------------

    def _plannable(self) -> bool:
        """Visits may be added or moved in the month on screen."""
        view = self.data.view if self.data else None
        return view is not None and view.can_edit and view.travel_state != State.SUBMITTED

    def _may(self, step: Step) -> bool:
        view = self.data.view if self.data else None
        officer = self.current_officer()
        return (view is not None and officer is not None and view.travel_plan_id is not None
                and approval.can(view.travel_state, step)
                and approval.may(self.ctx.actor, step, approval.TRAVEL_PLAN, owner_id=officer.id,
                                 owner_group_id=officer.group_id))

    def _update_buttons(self) -> None:
        view = self.data.view if self.data else None
        self.submit_button.setEnabled(self._may(Step.SUBMIT))
        self.withdraw_button.setEnabled(self._may(Step.WITHDRAW))
        self.reopen_button.setEnabled(self._may(Step.REOPEN))
        self.print_button.setEnabled(view is not None and view.travel_plan_id is not None)
        self.new_button.setEnabled(self._plannable())
        self.new_shortcut.setEnabled(self._plannable())
        self.inst_hint.setVisible(self._plannable())
        for row in self.suggestion_rows:
            if row.button.text() == _("นัดเยี่ยม"):
                row.button.setEnabled(self._plannable() and row.suggestion.suggested_day is not None)

    def selected_institution_id(self) -> str | None:
        rows = self.inst_table.selectionModel().selectedRows()
        return rows[0].data(PAYLOAD_ROLE).id if rows else None

    # -- changes -----------------------------------------------------------------------------------

    def _run(self, step) -> object | None:
        """A service call in one transaction; None (and the sentence shown) if it was refused."""
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                return step(s) or True
        except Exception as exc:
            errors.show_error(self, exc)
            return None

    def _approved_plan_ok(self, question: str, ok_text: str, also: date | None = None) -> bool:
        """Before changing an approved travel plan (this month's, or the month of `also`, a
        day a visit is dropped on): it will need approving again."""
        view = self.data.view if self.data else None
        if view is None:
            return True
        approved = view.travel_state == State.APPROVED
        if not approved and also is not None and also.replace(day=1) != view.month:
            with self.ctx.db.session() as s:
                plan = svc.travel_plan_of(s, self.ctx.user, view.officer_id, also)
                approved = plan is not None and plan.state == State.APPROVED
        return not approved or messages.confirm(self, question, ok_text)

    def move_visit(self, visit_id: str, day: date) -> None:
        """A chip dropped on another day: save its new date (same time)."""
        if not self._approved_plan_ok(_("แผนการเดินทางเดือนนี้อนุมัติแล้ว ถ้าเลื่อนนัด แผนจะต้องส่งขออนุมัติใหม่ "
                                        "จะเลื่อนนัดหรือไม่"), _("เลื่อนนัด"), also=day):
            return
        if self._run(lambda s: svc.move_visit(s, self.ctx.user, visit_id, day)):
            self.hint.setText(tr("เลื่อนนัดไปวันที่ {day} แล้ว", day=ui_date(day, "long")))
            self.reload(visit_id)

    def delete_visit(self, visit_id: str) -> None:
        chip = self.calendar.chip(visit_id)
        name = chip.tooltip.splitlines()[0] if chip and chip.tooltip else ""
        if not messages.confirm(self, tr("ลบนัดเยี่ยม {name} ออกจากแผนการเดินทาง?", name=name), _("ลบนัด")):
            return
        if not self._approved_plan_ok(_("แผนการเดินทางเดือนนี้อนุมัติแล้ว ถ้าลบนัด แผนจะต้องส่งขออนุมัติใหม่ "
                                        "จะลบนัดหรือไม่"), _("ลบนัด")):
            return
        if self._run(lambda s: svc.delete_visit(s, self.ctx.user, visit_id)):
            self.reload()

    def _drag_refused(self, visit_id: str) -> None:
        view = self.data.view if self.data else None
        row = next((v for v in view.visits if v.id == visit_id), None) if view else None
        if view is None or row is None:
            return
        if not view.can_edit:
            text = _("นัดนี้เป็นของเจ้าหน้าที่คนอื่น คุณเปิดดูได้แต่เลื่อนนัดไม่ได้")
        elif row.status != svc.PLANNED:
            text = _("การเยี่ยมนี้บันทึกผลแล้ว จึงเลื่อนนัดไม่ได้")
        else:
            text = _("แผนการเดินทางเดือนนี้รออนุมัติอยู่ จึงเลื่อนนัดไม่ได้ ถ้าต้องเลื่อนให้ถอนเรื่องกลับก่อน")
        self.hint.setText(text)

    def _open_dialog(self, dialog: VisitDialog) -> VisitDialog:
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.saved.connect(lambda visit_id: self.reload(visit_id))
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.visit_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: VisitDialog) -> None:
        if self.visit_dialog is dialog:
            self.visit_dialog = None
        dialog.deleteLater()
        self.calendar.setFocus()

    def open_visit(self, visit_id: str) -> VisitDialog | None:
        try:
            dialog = VisitDialog(self.ctx, visit_id=visit_id, parent=self, today=self.today)
        except Exception as exc:
            errors.show_error(self, exc)
            return None
        return self._open_dialog(dialog)

    def new_visit(self, day: date, *, institution_id: str | None = None, purpose: str = "") -> VisitDialog | None:
        """Plan a visit on `day` (a double-click on an empty day, a dropped institution, Ctrl+N)."""
        if not self._plannable() or self.officer_id is None:
            return None
        try:
            dialog = VisitDialog(self.ctx, officer_id=self.officer_id, day=day, institution_id=institution_id,
                                 purpose=purpose, parent=self, today=self.today)
        except Exception as exc:
            errors.show_error(self, exc)
            return None
        return self._open_dialog(dialog)

    def _context_menu(self, visit_id: str | None, day: date, pos) -> None:
        menu = QMenu(self)
        if visit_id is not None:
            menu.addAction(_("เปิด…"), lambda: self.open_visit(visit_id))
            chip = self.calendar.chip(visit_id)
            remove = menu.addAction(_("ลบนัด…"), lambda: self.delete_visit(visit_id))
            remove.setEnabled(bool(chip and chip.movable))
        add = menu.addAction(tr("นัดเยี่ยมวันที่ {day}…", day=ui_date(day, "short")), lambda: self.new_visit(day))
        add.setEnabled(self._plannable())
        menu.exec(pos)
        menu.deleteLater()

    def select_conflict(self, index: QModelIndex) -> None:
        conflict = index.data(PAYLOAD_ROLE)
        if conflict is None:
            return
        shown = next((i for i in conflict.visit_ids if self.calendar.chip(i) is not None), None)
        if shown is not None:
            self.calendar.select_visit(shown)

    # -- the travel plan's steps -------------------------------------------------------------------

    def _month_text(self) -> str:
        return format_date(self.data.view.month, "month", thai_digits=False) if self.data else ""

    def submit_travel_plan(self) -> None:
        view = self.data.view if self.data else None
        if view is None or view.travel_plan_id is None:
            return
        n = sum(1 for v in view.visits if v.status != svc.CANCELLED)
        question = tr("ส่งแผนการเดินทางเดือน{month} ({n} นัด) ขออนุมัติ? ระหว่างรออนุมัติจะเลื่อนหรือเพิ่มนัดไม่ได้",
                      month=self._month_text(), n=ui_digits(n))
        if len(view.conflicts):
            question += " " + tr("(มีข้อควรระวัง {n} รายการ)", n=ui_digits(len(view.conflicts)))
        if messages.confirm(self, question, _("ส่งขออนุมัติ")) and self._run(
                lambda s: svc.submit_travel_plan(s, self.ctx.user, view.travel_plan_id)):
            self.reload()

    def withdraw_travel_plan(self) -> None:
        view = self.data.view if self.data else None
        if view is None or not messages.confirm(
                self, _("ถอนแผนการเดินทางกลับมาแก้ไข? แผนจะกลับเป็นร่าง และต้องส่งขออนุมัติใหม่"), _("ถอนเรื่อง")):
            return
        if self._run(lambda s: svc.withdraw_travel_plan(s, self.ctx.user, view.travel_plan_id)):
            self.reload()

    def reopen_travel_plan(self) -> None:
        view = self.data.view if self.data else None
        if view is not None and self._run(lambda s: svc.reopen_travel_plan(s, self.ctx.user, view.travel_plan_id)):
            self.reload()

    def print_travel_plan(self) -> ops.Operation | None:
        view = self.data.view if self.data else None
        if view is None or view.travel_plan_id is None:
            return None
        stem = tr("แผนการเดินทาง-{officer}-{month}", officer=view.officer_name.replace(" ", ""),
                  month=format_date(view.month, "iso_be", thai_digits=False)[:7])
        path, _chosen = QFileDialog.getSaveFileName(self, _("พิมพ์แผนการเดินทางเป็น PDF"),
                                                    str(Path.home() / f"{stem}.pdf"), _("ไฟล์ PDF (*.pdf)"))
        if not path:
            return None
        target = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
        ctx, plan_id = self.ctx, view.travel_plan_id

        def work(_progress: ops.Progress):
            from app.services import visit_print  # reportlab: loaded when first used

            with ctx.db.session() as s:
                return visit_print.travel_plan_pdf(s, ctx.user, plan_id, target)

        self.printing = ops.run_op(self, work, label=_("กำลังจัดทำไฟล์ PDF…"), cancellable=False,
                                   on_success=lambda written: messages.inform(
                                       self, tr("บันทึกแผนการเดินทางลงไฟล์ {path} แล้ว พร้อมพิมพ์",
                                                path=written or target)))
        return self.printing

    # -- suggestions -------------------------------------------------------------------------------

    def _clear_suggestions(self, status: str) -> None:
        for row in self.suggestion_rows:
            row.setParent(None)
            row.deleteLater()
        self.suggestion_rows = []
        self.suggest_status.setText(status)

    def load_suggestions(self) -> ops.Operation | None:
        if self.officer_id is None:
            return None
        officer_id, month, today = self.officer_id, self.calendar.month, self.today
        self._clear_suggestions(_("กำลังหาสหกรณ์ที่ควรเยี่ยม…"))
        self.suggest_button.setEnabled(False)

        def work(_progress):
            with self.ctx.db.session() as s:
                return visit_views.suggestions(s, self.ctx.user, officer_id, month, today=today)

        def done(found: list[rules.Suggestion]) -> None:
            self.suggest_button.setEnabled(True)
            if (officer_id, month) != (self.officer_id, self.calendar.month):
                self._clear_suggestions(_("กดปุ่มเพื่อดูว่าเดือนนี้ควรเยี่ยมที่ใด และเพราะอะไร"))
                return
            self._show_suggestions(found)

        def failed(exc: BaseException) -> bool:
            self.suggest_button.setEnabled(True)
            self.suggest_status.setText("")
            return False

        self.side_tabs.setCurrentIndex(1)
        self.suggesting = ops.run_op(self, work, label="", on_success=done, on_failure=failed,
                                     cancellable=False, delay_ms=None)
        return self.suggesting

    def _show_suggestions(self, found: list[rules.Suggestion]) -> None:
        self._clear_suggestions(tr("แนะนำ {n} แห่ง เรียงจากควรเยี่ยมก่อน", n=ui_digits(len(found))) if found
                                else _("เดือนนี้ไม่มีสหกรณ์ที่ต้องเยี่ยมเพิ่ม"))
        for rank, s in enumerate(found, start=1):
            row = SuggestionRow(s, rank, self._plannable(), self.schedule_suggestion)
            self.suggest_list.addWidget(row)
            self.suggestion_rows.append(row)

    def schedule_suggestion(self, row: SuggestionRow) -> None:
        """One click: the suggested day, its reasons as the ประเด็น."""
        if self.officer_id is None or not self._approved_plan_ok(
                _("แผนการเดินทางเดือนนี้อนุมัติแล้ว ถ้าเพิ่มนัด แผนจะต้องส่งขออนุมัติใหม่ จะเพิ่มนัดหรือไม่"), _("เพิ่มนัด")):
            return
        officer_id = self.officer_id
        created = self._run(lambda s: svc.create_visit(
            s, self.ctx.user, officer_id, visit_views.plan_for_suggestion(row.suggestion)).id)
        if created:
            row.mark_planned()
            self.hint.setText(tr("นัดเยี่ยม {name} วันที่ {day} แล้ว", name=row.suggestion.name,
                                 day=ui_date(row.suggestion.suggested_day, "long")))
            self.reload(created)
