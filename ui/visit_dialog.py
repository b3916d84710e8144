"""One visit: its plan (where, when, how, why) and its report (what was found and advised,
and the follow-ups carried in, closed and raised), with the institution's recent history
beside the form.

Saving (Ctrl+S) writes what changed in one transaction: the plan through
services.visits.create_visit/update_visit, the report through save_report. A refused field
is shown under itself in one Thai sentence and nothing typed is lost; Esc asks before
unsaved edits are thrown away. Sides that may not change (another officer's visit, a
submitted travel plan or report, a visit already recorded) are read-only; an approved
report may be corrected, with a warning that it goes back for approval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import escape
from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.i18n import _, tr
from app.rules import approval
from app.rules import visits as rules
from app.models import Visit
from app.rules.approval import STATE_LABELS, State, Step
from app.rules.permissions import Action, Target
from app.rules.registry import standards_label
from app.services import users, visit_views
from app.services import visits as svc
from app.services.visit_views import ActivityChoice
from app.services.visits import NewFollowUp, VisitPlan, VisitReport
from app.thai import to_arabic_digits
from ui import errors, messages
from ui.context import AppContext
from ui.formatting import ui_date, ui_digits
from ui.plan_dialogs import TextDialog
from ui.widgets.field_errors import FieldErrors
from ui.widgets.search_combo import SearchCombo
from ui.widgets.thai_date_edit import ThaiDateEdit

KEEP, RESOLVE, DROP = "open", "resolved", "dropped"
NOT_GIVEN = -1  # a spin box has no empty state: -1 shows "ไม่ระบุ"
MAX_COUNT = svc.MAX_ATTENDEES
_TIME_RE = re.compile(r"(\d{1,2})\s*[:.]\s*(\d{2})(?:\s*น\.?)?")
VISIT_STATUS_LABELS = svc.VISIT_STATUSES  # translated where shown


def parse_time(text: str) -> str | None:
    """"9:30", "09.30", "๐๙:๓๐ น." → "09:30"; empty → None; anything else is returned as
    typed so the rules refuse it with their own sentence."""
    plain = to_arabic_digits(text or "").strip()
    if not plain:
        return None
    m = _TIME_RE.fullmatch(plain)
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else plain


def _read_date(widget: ThaiDateEdit, field: str) -> date | None:
    try:
        return widget.date()
    except ValueError as exc:
        raise ValidationError(str(exc), field=field) from None


def _count(spin: QSpinBox) -> int | None:
    return None if spin.value() == NOT_GIVEN else spin.value()


def _wrapped(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


def _text_edit(height: int = 64) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab goes to the next field, as in every other box
    edit.setFixedHeight(height)
    edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return edit


def _narrow(combo: QComboBox, chars: int = 24) -> QComboBox:
    """Long names (plan activities run to a hundred characters) must not widen the dialog."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


# Read-only boxes look like the disabled ones beside them.
DIALOG_STYLE = """
QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"], QSpinBox[readOnly="true"] { background: #f1f3f6; color: #333; }
"""


# -- what the dialog reads ---------------------------------------------------------------------

@dataclass(frozen=True)
class CarriedLine:
    """An open item of the institution, or one this visit already closed."""

    id: str
    text: str
    status: str  # as this visit leaves it: open, resolved or dropped
    reason: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class RaisedLine:
    id: str
    description: str
    due_date: date | None
    status: str  # open, unless a later visit closed it


@dataclass(frozen=True)
class VisitFacts:
    id: str | None
    officer_id: str
    officer_name: str
    group_id: str | None
    travel_plan_id: str | None
    travel_state: str
    plan: VisitPlan | None
    status: str = svc.PLANNED
    report_state: str = State.DRAFT
    actual_date: date | None = None
    attendees: tuple[int | None, int | None, int | None] = (None, None, None)
    findings: str = ""
    advice: str = ""
    response: str = ""
    next_step: str = ""
    cancel_reason: str = ""
    returned_comment: str = ""
    carried: tuple[CarriedLine, ...] = ()
    raised: tuple[RaisedLine, ...] = ()


@dataclass(frozen=True)
class FormChoices:
    institutions: tuple[tuple[str, str, str], ...]  # (id, name, kind)
    activities: tuple[ActivityChoice, ...]
    people: tuple[tuple[str, str], ...]  # possible co-officers (id, name)
    may_edit: bool


def load_visit(ctx: AppContext, visit_id: str) -> VisitFacts:
    with ctx.db.session() as s:
        v = svc.get_visit(s, ctx.user, visit_id)
        plan = v.travel_plan
        carried = [CarriedLine(p.followup_id, p.text_th or p.description, KEEP, overdue=p.overdue)
                   for p in svc.preparation(s, ctx.user, visit_id)]
        carried += [CarriedLine(f.id, f.description, f.status, f.drop_reason) for f in svc.closed_in(s, v)]
        raised = tuple(RaisedLine(f.id, f.description, f.due_date, f.status) for f in svc.raised_in(s, v))
        return VisitFacts(
            id=v.id, officer_id=v.officer_id, officer_name=v.officer.full_name, group_id=v.group_id,
            travel_plan_id=plan.id, travel_state=plan.state, plan=svc.plan_of(v), status=v.status,
            report_state=v.report_state, actual_date=v.actual_date,
            attendees=(v.attendees_committee, v.attendees_staff, v.attendees_members), findings=v.findings,
            advice=v.advice, response=v.response, next_step=v.next_step, cancel_reason=v.cancel_reason,
            returned_comment=svc.last_comment(s, v.id) if v.report_state == State.RETURNED else "",
            carried=tuple(carried), raised=raised,
        )


def new_visit_facts(ctx: AppContext, officer_id: str, day: date) -> VisitFacts:
    with ctx.db.session() as s:
        officer = svc.live_officer(s, officer_id)
        plan = svc.travel_plan_of(s, ctx.user, officer_id, day)
        return VisitFacts(id=None, officer_id=officer.id, officer_name=officer.full_name, group_id=officer.group_id,
                          travel_plan_id=plan.id if plan else None,
                          travel_state=plan.state if plan else State.DRAFT, plan=None)


def load_choices(ctx: AppContext, facts: VisitFacts, month: date) -> FormChoices:
    with ctx.db.session() as s:
        first, last = visit_views.month_bounds(month)
        institutions = [(i.id, i.name, i.kind)
                        for i in visit_views.officer_institutions(s, facts.officer_id, first, last)]
        if facts.plan is not None and all(i[0] != facts.plan.institution_id for i in institutions):
            # moved to another officer since: still shown, as it is
            inst = visit_views.institution_history(s, ctx.user, facts.plan.institution_id, limit=0)
            institutions.append((inst.institution_id, inst.name, "coop"))
        activities = tuple(visit_views.activity_choices(s, facts.group_id, first))
        people = tuple((u.id, u.full_name) for u in users.list_users(s, ctx.user)
                       if u.id != facts.officer_id and u.roles & {"officer", "director"})
    may_edit = ctx.can(Action.VISIT_EDIT, Target(officer_id=facts.officer_id, group_id=facts.group_id))
    return FormChoices(tuple(institutions), activities, people, may_edit)


def history_html(ctx: AppContext, institution_id: str | None, on: date | None, exclude: str | None,
                 kind: str = "coop") -> str:
    """The institution's last visits with findings, its open follow-ups and its recent years."""
    if not institution_id:
        return "<p>" + escape(_("เลือกสหกรณ์/กลุ่มเกษตรกรเพื่อดูประวัติ")) + "</p>"
    with ctx.db.session() as s:
        h = visit_views.institution_history(s, ctx.user, institution_id, on=on, exclude_visit_id=exclude)
    out = [f"<h3>{escape(h.name)}</h3>", f"<h4>{escape(_('การเยี่ยมครั้งก่อน'))}</h4>"]
    if not h.recent_visits:
        out.append(f"<p>{escape(_('ยังไม่เคยบันทึกการเยี่ยม'))}</p>")
    for v in h.recent_visits:
        out.append(f"<p><b>{escape(ui_date(v.actual_date, 'short'))}</b> — {escape(v.method_label)}"
                   f" ({escape(v.officer_name)})")
        for label, text in ((_("สิ่งที่พบ"), v.findings), (_("คำแนะนำ"), v.advice), (_("ขั้นต่อไป"), v.next_step)):
            if text:
                out.append(f"<br>{escape(label)}: {escape(text)}")
        out.append("</p>")
    out.append(f"<h4>{escape(_('ข้อสังเกตที่ยังติดตามอยู่'))}</h4>")
    if not h.open_followups:
        out.append(f"<p>{escape(_('ไม่มี'))}</p>")
    else:
        late = ' style="color:#b3261e"'
        items = "".join(f"<li{late if p.overdue else ''}>{escape(p.text_th or p.description)}</li>"
                        for p in h.open_followups)
        out.append(f"<ul>{items}</ul>")
    out.append(f"<h4>{escape(_('ผลประเมินรายปี'))}</h4>")
    if not h.years:
        out.append(f"<p>{escape(_('ยังไม่มีข้อมูลรายปี'))}</p>")
    for y in h.years:
        parts = [tr("ปีงบประมาณ {year}", year=ui_digits(y.fiscal_year))]
        if y.strength_class is not None:
            parts.append(tr("ชั้น {n}", n=ui_digits(y.strength_class)))
        if y.standards_result:
            parts.append(_(standards_label(kind, y.standards_result)))
        if y.agm_date:
            parts.append(tr("ประชุมใหญ่ {day}", day=ui_date(y.agm_date, "short")))
        out.append(f"<p>{escape(' · '.join(parts))}</p>")
    return "".join(out)


# -- follow-up rows ------------------------------------------------------------------------------

class CarriedRow(QFrame):
    """An open item carried into this visit: keep following it, resolved, or dropped (why)."""

    def __init__(self, line: CarriedLine) -> None:
        super().__init__()
        self.line = line
        self.text = _wrapped(line.text)
        if line.overdue:
            self.text.setStyleSheet("color: #b3261e;")
        self.choice = _narrow(QComboBox(), 14)
        self.choice.addItem(_("ยังติดตามต่อ"), KEEP)
        self.choice.addItem(_("แก้ไขแล้ว"), RESOLVE)
        self.choice.addItem(_("ยกเลิกการติดตาม"), DROP)
        self.choice.setCurrentIndex(max(0, self.choice.findData(line.status)))
        self.choice.setAccessibleName(line.text)
        self.reason = QLineEdit(line.reason)
        self.reason.setPlaceholderText(_("เหตุผลที่ยกเลิกการติดตาม"))
        self.choice.currentIndexChanged.connect(self._refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 6)
        layout.addWidget(self.text)
        self.choice.setMaximumWidth(240)
        row = QHBoxLayout()
        row.addWidget(self.choice)
        row.addWidget(self.reason, 1)
        row.addStretch(0)
        layout.addLayout(row)
        self._refresh()

    def _refresh(self) -> None:
        self.reason.setVisible(self.choice.currentData() == DROP)

    def state(self) -> tuple[str, str]:
        return self.choice.currentData(), self.reason.text().strip() if self.choice.currentData() == DROP else ""

    def set_read_only(self, read_only: bool) -> None:
        self.choice.setEnabled(not read_only)
        self.reason.setReadOnly(read_only)


class RaisedRow(QWidget):
    """A new item this visit raises: what, and by when."""

    removed = Signal(object)

    def __init__(self, line: RaisedLine | None = None) -> None:
        super().__init__()
        self.item_id = line.id if line else None
        self.closed = line is not None and line.status != rules.OPEN  # closed in a later visit
        self.description = QLineEdit(line.description if line else "")
        self.description.setPlaceholderText(_("ข้อสังเกตที่ต้องติดตาม"))
        self.due = ThaiDateEdit()
        self.due.edit.setPlaceholderText(_("กำหนดติดตาม"))
        self.due.set_date(line.due_date if line else None)
        self.remove = QToolButton()
        self.remove.setText(_("ลบ"))
        self.remove.setToolTip(_("ลบข้อสังเกตนี้"))
        self.remove.clicked.connect(lambda: self.removed.emit(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.description, 3)
        layout.addWidget(self.due, 2)
        layout.addWidget(self.remove)
        if self.closed:
            status = _(rules.FOLLOWUP_STATUSES.get(line.status, line.status))
            self.description.setToolTip(tr("ปิดแล้วในการเยี่ยมครั้งหลัง ({status}) จึงแก้ไขไม่ได้", status=status))
            self.set_read_only(True)

    def state(self) -> tuple[str, str]:
        return self.description.text().strip(), self.due.text().strip()

    def is_blank(self) -> bool:
        return self.state() == ("", "")

    def set_read_only(self, read_only: bool) -> None:
        read_only = read_only or self.closed
        self.description.setReadOnly(read_only)
        self.due.edit.setReadOnly(read_only)
        self.remove.setEnabled(not read_only)


# -- the dialog ----------------------------------------------------------------------------------

class VisitDialog(QDialog):
    saved = Signal(str)  # the visit's id, after each successful write

    def __init__(self, ctx: AppContext, *, visit_id: str | None = None, officer_id: str | None = None,
                 day: date | None = None, institution_id: str | None = None, purpose: str = "",
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.changed = False  # something was written (the page reloads its month)
        self.plan_errors = FieldErrors()
        self.report_errors = FieldErrors()
        self.raised_rows: list[RaisedRow] = []
        self.carried_rows: list[CarriedRow] = []
        if visit_id is not None:
            self.facts = load_visit(ctx, visit_id)
            month = self.facts.plan.planned_date
        else:
            day = day or self.today
            self.facts = new_visit_facts(ctx, officer_id or ctx.user.id, day)
            month = day
        self.choices = load_choices(ctx, self.facts, month)
        self.resize(1180, 780)
        self.setStyleSheet(DIALOG_STYLE)

        self.notice = _wrapped(name="hint")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._plan_tab(), _("แผนการเยี่ยม"))
        self.tabs.addTab(self._report_tab(), _("รายงานผลการเยี่ยม"))
        self.history = QTextBrowser()
        self.history.setOpenLinks(False)
        self.history.setMinimumWidth(300)
        self.history.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab stays in the form
        history_box = QWidget()
        hl = QVBoxLayout(history_box)
        hl.setContentsMargins(0, 0, 0, 0)
        history_title = QLabel(_("ประวัติของสหกรณ์/กลุ่มเกษตรกร"))
        history_title.setObjectName("sectionTitle")
        hl.addWidget(history_title)
        hl.addWidget(self.history, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(history_box)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([800, 360])

        self.status = QLabel()
        self.status.setObjectName("hint")
        self.delete_button = QPushButton(_("ลบนัดนี้…"))
        self.cancel_visit_button = QPushButton(_("ไม่ได้ไปตามนัด…"))
        self.submit_button = QPushButton(_("ส่งรายงานขออนุมัติ…"))
        self.withdraw_button = QPushButton(_("ถอนเรื่อง"))
        self.reopen_button = QPushButton(_("นำกลับมาแก้ไข"))
        self.save_button = QPushButton(_("บันทึก"))
        self.save_close_button = QPushButton(_("บันทึกและปิด"))
        self.close_button = QPushButton(_("ปิด"))
        self.save_button.setToolTip(_("บันทึก (Ctrl+S)"))
        self.save_close_button.setDefault(True)
        self.delete_button.clicked.connect(self.delete_visit)
        self.cancel_visit_button.clicked.connect(self.cancel_visit)
        self.submit_button.clicked.connect(self.submit_report)
        self.withdraw_button.clicked.connect(self.withdraw_report)
        self.reopen_button.clicked.connect(self.reopen_report)
        self.save_button.clicked.connect(self.save)
        self.save_close_button.clicked.connect(self.save_and_close)
        self.close_button.clicked.connect(self.reject)
        for b in (self.delete_button, self.cancel_visit_button, self.submit_button, self.withdraw_button,
                  self.reopen_button, self.close_button):
            b.setAutoDefault(False)
        bottom = QHBoxLayout()
        for b in (self.delete_button, self.cancel_visit_button, self.submit_button, self.withdraw_button,
                  self.reopen_button):
            bottom.addWidget(b)
        bottom.addStretch(1)
        bottom.addWidget(self.status)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.save_close_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.activated.connect(self.save)
        self.institution.currentIndexChanged.connect(lambda _i: self._show_history())

        self._fill(institution_id=institution_id, day=day, purpose=purpose)
        self._set_tab_order()
        f = self.facts
        if f.id is not None and (f.status != svc.PLANNED or f.plan.planned_date <= self.today):
            self.tabs.setCurrentIndex(1)  # it has happened (or should have): the report is the work
        self.tabs.currentWidget().setFocus()

    # -- building the form -------------------------------------------------------------------

    def _plan_tab(self) -> QWidget:
        e = self.plan_errors
        self.plan_notice = _wrapped(name="hint")
        self.institution = _narrow(SearchCombo(_("พิมพ์ชื่อเพื่อค้นหา")))
        for inst_id, name, _kind in self.choices.institutions:
            self.institution.addItem(name, inst_id)
        self.institution.setCurrentIndex(-1)
        self.planned_date = ThaiDateEdit()
        self.time = QLineEdit()
        self.time.setPlaceholderText(_("เช่น 09:30 (ไม่บังคับ)"))
        self.time.setFixedWidth(150)
        self.duration = QSpinBox()
        self.duration.setRange(1, 24 * 60)
        self.duration.setSingleStep(30)
        self.duration.setSuffix(_(" นาที"))
        self.duration.setFixedWidth(150)
        when = QWidget()
        wl = QHBoxLayout(when)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.addWidget(e.wrap("time", self.time))
        wl.addWidget(QLabel(_("ระยะเวลา")))
        wl.addWidget(e.wrap("duration_min", self.duration))
        wl.addStretch(1)
        self.method = _narrow(QComboBox(), 20)
        for key, label in rules.METHODS.items():
            self.method.addItem(_(label), key)
        self.purpose = _text_edit(90)
        self.activity = _narrow(QComboBox())
        self.activity.addItem(_("— ไม่นับเป็นกิจกรรมในแผน —"), None)
        for a in self.choices.activities:
            self.activity.addItem(a.label, a.lineage)
        self.co_model = QStandardItemModel(self)
        for person_id, name in self.choices.people:
            item = QStandardItem(name)
            item.setData(person_id, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            self.co_model.appendRow(item)
        self.co_officers = QListView()
        self.co_officers.setModel(self.co_model)
        self.co_officers.setMaximumHeight(120)
        self.co_officers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.plan_notice)
        form = QFormLayout()
        form.addRow(_("สหกรณ์/กลุ่มเกษตรกร"), e.wrap("institution_id", self.institution))
        form.addRow(_("วันนัดเยี่ยม"), e.wrap("planned_date", self.planned_date, "day"))
        form.addRow(_("เวลา"), when)
        form.addRow(_("วิธีการ"), e.wrap("method", self.method))
        form.addRow(_("ประเด็น"), e.wrap("purpose", self.purpose))
        form.addRow(_("กิจกรรมตามแผน"), e.wrap("activity_lineage", self.activity))
        form.addRow(_("ผู้ร่วมเดินทาง"), e.wrap("co_officer_ids", self.co_officers))
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _report_tab(self) -> QWidget:
        e = self.report_errors
        self.report_notice = _wrapped(name="hint")
        self.report_state_label = QLabel()
        self.report_state_label.setObjectName("sectionTitle")
        self.actual_date = ThaiDateEdit()
        self.committee, self.staff, self.members = (QSpinBox(), QSpinBox(), QSpinBox())
        counts = QWidget()
        cl = QHBoxLayout(counts)
        cl.setContentsMargins(0, 0, 0, 0)
        for label, spin in ((_("กรรมการ"), self.committee), (_("เจ้าหน้าที่"), self.staff),
                            (_("สมาชิก"), self.members)):
            spin.setRange(NOT_GIVEN, MAX_COUNT)
            spin.setSpecialValueText(_("ไม่ระบุ"))
            spin.setFixedWidth(110)
            spin.setAccessibleName(label)
            cl.addWidget(QLabel(label))
            cl.addWidget(spin)
        cl.addStretch(1)
        self.findings = _text_edit(96)
        self.advice = _text_edit(96)
        self.response = _text_edit(60)
        self.next_step = _text_edit(60)

        self.carried_box = QVBoxLayout()
        self.carried_box.setSpacing(0)
        self.carried_empty = _wrapped(_("ไม่มีข้อสังเกตค้างจากการเยี่ยมครั้งก่อน"), "hint")
        carried = QWidget()
        carried_layout = QVBoxLayout(carried)
        carried_layout.setContentsMargins(0, 0, 0, 0)
        carried_layout.addWidget(self.carried_empty)
        carried_layout.addLayout(self.carried_box)

        self.raised_box = QVBoxLayout()
        self.add_raised_button = QPushButton(_("เพิ่มข้อสังเกต"))
        self.add_raised_button.setAutoDefault(False)
        self.add_raised_button.clicked.connect(lambda: self.add_raised_row(focus=True))
        raised = QWidget()
        raised_layout = QVBoxLayout(raised)
        raised_layout.setContentsMargins(0, 0, 0, 0)
        raised_layout.addLayout(self.raised_box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_raised_button)
        add_row.addStretch(1)
        raised_layout.addLayout(add_row)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(e.wrap("status", self.report_state_label, "travel_plan", "cancel_reason"))
        layout.addWidget(self.report_notice)
        form = QFormLayout()
        form.addRow(_("วันที่ไปเยี่ยม"), e.wrap("actual_date", self.actual_date))
        form.addRow(_("ผู้เข้าร่วม (คน)"), e.wrap("attendees", counts))
        form.addRow(_("สิ่งที่พบ/ข้อสังเกต"), e.wrap("findings", self.findings))
        form.addRow(_("คำแนะนำ"), e.wrap("advice", self.advice))
        form.addRow(_("การตอบรับของสหกรณ์"), e.wrap("response", self.response))
        form.addRow(_("ขั้นต่อไป"), e.wrap("next_step", self.next_step))
        layout.addLayout(form)
        carried_title = QLabel(_("ข้อสังเกตที่ติดตามจากครั้งก่อน"))
        carried_title.setObjectName("sectionTitle")
        layout.addWidget(carried_title)
        layout.addWidget(e.wrap("resolved_ids", carried, "dropped", "reason"))
        raised_title = QLabel(_("ข้อสังเกตใหม่ที่ต้องติดตาม"))
        raised_title.setObjectName("sectionTitle")
        layout.addWidget(raised_title)
        layout.addWidget(e.wrap("raised", raised))
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        self.report_page = page
        return scroll

    def _set_tab_order(self) -> None:
        chain = [self.institution, self.planned_date.edit, self.time, self.duration, self.method, self.purpose,
                 self.activity, self.co_officers, self.actual_date.edit, self.committee, self.staff, self.members,
                 self.findings, self.advice, self.response, self.next_step]
        for row in self.carried_rows:
            chain += [row.choice, row.reason]
        for row in self.raised_rows:
            chain += [row.description, row.due.edit, row.remove]
        chain += [self.add_raised_button]
        for a, b in pairwise(chain):
            QWidget.setTabOrder(a, b)

    # -- filling ---------------------------------------------------------------------------------

    def _fill(self, *, institution_id: str | None = None, day: date | None = None, purpose: str = "") -> None:
        f = self.facts
        plan = f.plan
        if plan is not None:
            self.setWindowTitle(tr("การเยี่ยม {name} {day}", name=self._institution_name(plan.institution_id),
                                   day=ui_date(plan.planned_date, "long")))
            self.institution.select_data(plan.institution_id)
            self.planned_date.set_date(plan.planned_date)
            self.time.setText(plan.planned_time or "")
            self.duration.setValue(plan.duration_min)
            self.method.setCurrentIndex(max(0, self.method.findData(plan.method)))
            self.purpose.setPlainText(plan.purpose)
            self._select_activity(plan.activity_lineage)
            chosen = set(plan.co_officer_ids)
        else:
            self.setWindowTitle(tr("นัดเยี่ยมใหม่ — {officer}", officer=f.officer_name))
            if institution_id:
                self.institution.select_data(institution_id)
            self.planned_date.set_date(day or self.today)
            self.duration.setValue(rules.DEFAULT_DURATION_MIN)
            self.method.setCurrentIndex(max(0, self.method.findData("inspection")))
            self.purpose.setPlainText(purpose)
            chosen = set()
        for row in range(self.co_model.rowCount()):
            item = self.co_model.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

        # the report
        if f.actual_date is not None:
            self.actual_date.set_date(f.actual_date)
        elif plan is not None and f.status == svc.PLANNED and plan.planned_date <= self.today:
            self.actual_date.set_date(plan.planned_date)  # the usual case: it went as planned
        else:
            self.actual_date.set_date(None)
        for spin, value in zip((self.committee, self.staff, self.members), f.attendees, strict=True):
            spin.setValue(NOT_GIVEN if value is None else value)
        self.findings.setPlainText(f.findings)
        self.advice.setPlainText(f.advice)
        self.response.setPlainText(f.response)
        self.next_step.setPlainText(f.next_step)
        for row in self.carried_rows:
            row.setParent(None)
            row.deleteLater()
        self.carried_rows = [CarriedRow(line) for line in f.carried]
        for row in self.carried_rows:
            self.carried_box.addWidget(row)
        self.carried_empty.setVisible(not self.carried_rows)
        for row in list(self.raised_rows):
            self._drop_raised_row(row)
        for line in f.raised:
            self.add_raised_row(line)

        self._apply_locks()
        self._show_history()
        self._mark_saved()

    def _institution_name(self, institution_id: str) -> str:
        return next((n for i, n, _k in self.choices.institutions if i == institution_id), "")

    def _select_activity(self, lineage: str | None) -> None:
        index = self.activity.findData(lineage)
        if index < 0 and lineage:
            self.activity.addItem(_("กิจกรรมที่ไม่อยู่ในแผนเดือนนี้"), lineage)
            index = self.activity.count() - 1
        self.activity.setCurrentIndex(max(0, index))

    def add_raised_row(self, line: RaisedLine | None = None, *, focus: bool = False) -> RaisedRow:
        row = RaisedRow(line)
        row.removed.connect(self._drop_raised_row)
        row.set_read_only(not self.report_editable if hasattr(self, "report_editable") else False)
        self.raised_rows.append(row)
        self.raised_box.addWidget(row)
        row.show()  # now, not when the layout gets round to it: Tab and focus need it visible
        self._set_tab_order()
        if focus:
            row.description.setFocus()
        return row

    def _drop_raised_row(self, row: RaisedRow) -> None:
        if row in self.raised_rows:
            self.raised_rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._set_tab_order()

    def _show_history(self) -> None:
        inst = self.institution.selected_data()
        kind = next((k for i, _n, k in self.choices.institutions if i == inst), "coop")
        try:
            html = history_html(self.ctx, inst, self.facts.plan.planned_date if self.facts.plan else None,
                                self.facts.id, kind)
        except Exception as exc:  # history is a help beside the form; the form still works
            html = f"<p>{escape(str(exc))}</p>"
        self.history.setHtml(html)

    # -- what may change ---------------------------------------------------------------------

    def _may(self, step: Step) -> bool:
        f = self.facts
        return (f.id is not None and approval.can(f.report_state, step)
                and approval.may(self.ctx.actor, step, approval.CPS_REPORT, owner_id=f.officer_id,
                                 owner_group_id=f.group_id))

    def _apply_locks(self) -> None:
        f, may_edit = self.facts, self.choices.may_edit
        travel_locked = f.travel_state == State.SUBMITTED
        self.plan_editable = may_edit and (f.id is None or f.status == svc.PLANNED) and not travel_locked
        self.report_editable = may_edit and f.id is not None and f.report_state != State.SUBMITTED
        notices = []
        if not may_edit:
            notices.append(_("คุณเปิดดูการเยี่ยมนี้ได้ แต่แก้ไขได้เฉพาะการเยี่ยมของคุณเอง "
                             "(ผู้อำนวยการกลุ่มแก้ไขได้ทุกคนในกลุ่ม)"))
        self.notice.setText("\n".join(notices))
        self.notice.setVisible(bool(notices))

        plan_notice = ""
        if may_edit and f.id is not None and f.status != svc.PLANNED:
            plan_notice = _("บันทึกผลการเยี่ยมแล้ว จึงเปลี่ยนนัดไม่ได้ ถ้าวันที่ไปจริงต่างจากนัด ให้แก้ไขในรายงานผล")
        elif may_edit and travel_locked:
            plan_notice = _("แผนการเดินทางเดือนนี้รออนุมัติอยู่ จึงเปลี่ยนนัดไม่ได้ ถ้าต้องเปลี่ยนให้ถอนเรื่องกลับก่อน")
        elif self.plan_editable and f.travel_state == State.APPROVED:
            plan_notice = _("แผนการเดินทางเดือนนี้อนุมัติแล้ว ถ้าเปลี่ยนนัด แผนจะต้องส่งขออนุมัติใหม่")
        self.plan_notice.setText(plan_notice)
        self.plan_notice.setVisible(bool(plan_notice))

        state = _(STATE_LABELS.get(f.report_state, f.report_state))
        visit_state = _(VISIT_STATUS_LABELS.get(f.status, f.status))
        self.report_state_label.setText(tr("การเยี่ยม: {visit}   ·   รายงาน: {state}", visit=visit_state, state=state)
                                        if f.id is not None else _("บันทึกนัดก่อน แล้วจึงบันทึกผลการเยี่ยม"))
        report_notice = []
        if f.status == svc.CANCELLED:
            report_notice.append(tr("บันทึกไว้ว่าไม่ได้ไปเยี่ยม: {reason} (ถ้าได้ไปแล้ว บันทึกผลแทนได้)",
                                    reason=f.cancel_reason))
        if f.returned_comment:
            report_notice.append(tr("ผู้อนุมัติส่งคืนให้แก้ไข: “{comment}”", comment=f.returned_comment))
        if may_edit and f.report_state == State.SUBMITTED:
            report_notice.append(_("รายงานนี้ส่งขออนุมัติแล้ว แก้ไขไม่ได้จนกว่าจะถอนเรื่องกลับหรือถูกส่งคืน"))
        elif self.report_editable and f.report_state == State.APPROVED:
            report_notice.append(_("รายงานนี้อนุมัติแล้ว ถ้าแก้ไขและบันทึก รายงานจะต้องส่งขออนุมัติใหม่"))
        self.report_notice.setText("\n".join(report_notice))
        self.report_notice.setVisible(bool(report_notice))
        if f.returned_comment or (self.report_editable and f.report_state == State.APPROVED):
            self.report_notice.setStyleSheet("color: #b3261e;")
        else:
            self.report_notice.setStyleSheet("")

        for w in (self.institution, self.method, self.activity, self.duration):
            w.setEnabled(self.plan_editable)
        for edit in (self.time, self.planned_date.edit):
            edit.setReadOnly(not self.plan_editable)
        self.purpose.setReadOnly(not self.plan_editable)
        self.co_officers.setEnabled(self.plan_editable or bool(self.co_model.rowCount()))
        for row in range(self.co_model.rowCount()):
            item = self.co_model.item(row)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if self.plan_editable:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)

        ro = not self.report_editable
        self.actual_date.edit.setReadOnly(ro)
        for spin in (self.committee, self.staff, self.members):
            spin.setReadOnly(ro)
            spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons if ro else QSpinBox.ButtonSymbols.UpDownArrows)
        for edit in (self.findings, self.advice, self.response, self.next_step):
            edit.setReadOnly(ro)
        for row in self.carried_rows:
            row.set_read_only(ro)
        for row in self.raised_rows:
            row.set_read_only(ro)
        self.add_raised_button.setEnabled(not ro)
        self.tabs.setTabEnabled(1, f.id is not None)

        self.save_button.setEnabled(self.plan_editable or self.report_editable)
        self.save_close_button.setEnabled(self.plan_editable or self.report_editable)
        self.save_shortcut.setEnabled(self.plan_editable or self.report_editable)
        self.delete_button.setVisible(f.id is not None)
        self.delete_button.setEnabled(self.plan_editable and f.id is not None)
        self.cancel_visit_button.setVisible(f.id is not None)
        self.cancel_visit_button.setEnabled(self.report_editable and f.status != svc.CANCELLED)
        for button, step in ((self.submit_button, Step.SUBMIT), (self.withdraw_button, Step.WITHDRAW),
                             (self.reopen_button, Step.REOPEN)):
            button.setVisible(f.id is not None)
            button.setEnabled(self._may(step))

    # -- reading the form --------------------------------------------------------------------

    def _plan_state(self) -> tuple:
        return (self.institution.currentText().strip(), self.planned_date.text().strip(), self.time.text().strip(),
                self.duration.value(), self.method.currentData(), self.purpose.toPlainText().strip(),
                self.activity.currentData(), tuple(sorted(self._co_officer_ids())))

    def _report_state(self) -> tuple:
        return (self.actual_date.text().strip(), self.committee.value(), self.staff.value(), self.members.value(),
                self.findings.toPlainText().strip(), self.advice.toPlainText().strip(),
                self.response.toPlainText().strip(), self.next_step.toPlainText().strip(),
                tuple(r.state() for r in self.carried_rows),
                tuple((r.item_id, *r.state()) for r in self.raised_rows if not r.is_blank() or r.item_id))

    def _mark_saved(self) -> None:
        self._plan_saved = self._plan_state()
        self._report_saved = self._report_state()

    def plan_dirty(self) -> bool:
        return self.plan_editable and (self.facts.id is None or self._plan_state() != self._plan_saved)

    def report_dirty(self) -> bool:
        return self.report_editable and self._report_state() != self._report_saved

    def is_dirty(self) -> bool:
        if self.facts.id is None:
            return self.plan_editable and self._plan_state() != self._plan_saved
        return self.plan_dirty() or self.report_dirty()

    def _co_officer_ids(self) -> list[str]:
        return [self.co_model.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.co_model.rowCount())
                if self.co_model.item(r).checkState() == Qt.CheckState.Checked]

    def plan_data(self) -> VisitPlan:
        inst = self.institution.selected_data()
        if inst is None:
            raise ValidationError(_("กรุณาเลือกสหกรณ์/กลุ่มเกษตรกรที่จะเยี่ยมจากรายการ"), field="institution_id")
        day = _read_date(self.planned_date, "planned_date")
        if day is None:
            raise ValidationError(_("กรุณาระบุวันนัดเยี่ยม"), field="planned_date")
        return VisitPlan(institution_id=inst, planned_date=day, planned_time=parse_time(self.time.text()),
                         duration_min=self.duration.value(), method=self.method.currentData(),
                         purpose=self.purpose.toPlainText().strip(), activity_lineage=self.activity.currentData(),
                         co_officer_ids=tuple(self._co_officer_ids()))

    def report_data(self) -> VisitReport:
        actual = _read_date(self.actual_date, "actual_date")
        if actual is None:
            raise ValidationError(_("กรุณาระบุวันที่ไปเยี่ยม"), field="actual_date")
        raised = []
        for row in self.raised_rows:
            if row.is_blank() and row.item_id is None:
                continue  # an empty line added and never used
            due = _read_date(row.due, "raised")
            raised.append(NewFollowUp(row.description.text().strip(), due, id=row.item_id))
        resolved, dropped = [], []
        for row in self.carried_rows:
            choice, reason = row.state()
            if choice == RESOLVE:
                resolved.append(row.line.id)
            elif choice == DROP:
                dropped.append((row.line.id, reason))
        return VisitReport(
            actual_date=actual, findings=self.findings.toPlainText().strip(), advice=self.advice.toPlainText().strip(),
            response=self.response.toPlainText().strip(), next_step=self.next_step.toPlainText().strip(),
            attendees_committee=_count(self.committee), attendees_staff=_count(self.staff),
            attendees_members=_count(self.members), raised=tuple(raised), resolved_ids=tuple(resolved),
            dropped=tuple(dropped))

    # -- writing -------------------------------------------------------------------------------

    def _clear_errors(self) -> None:
        self.plan_errors.clear()
        self.report_errors.clear()

    def _show_problem(self, exc: BaseException) -> None:
        """Under its field (switching to that field's tab), else the error dialog."""
        for tab, field_errors in enumerate((self.plan_errors, self.report_errors)):
            if isinstance(exc, ValidationError) and field_errors.has(exc.field):
                self.tabs.setCurrentIndex(tab)
                field_errors.show_validation(exc)
                return
        errors.show_error(self, exc)

    def _gather(self) -> tuple[VisitPlan | None, VisitReport | None] | None:
        """What to write, after asking about re-approvals; None when the user said no."""
        plan = self.plan_data() if self.plan_dirty() else None
        report = self.report_data() if self.report_dirty() else None
        if plan is not None and self.facts.travel_state == State.APPROVED:
            if self.facts.id is None:
                asked = messages.confirm(self, _("แผนการเดินทางเดือนนี้อนุมัติแล้ว ถ้าเพิ่มนัด แผนจะต้องส่งขออนุมัติใหม่ "
                                                 "จะเพิ่มนัดหรือไม่"), _("เพิ่มนัด"))
            else:
                asked = messages.confirm(self, _("แผนการเดินทางเดือนนี้อนุมัติแล้ว ถ้าเปลี่ยนนัด แผนจะต้องส่งขออนุมัติใหม่ "
                                                 "จะเปลี่ยนนัดหรือไม่"), _("เปลี่ยนนัด"))
            if not asked:
                return None
        if report is not None and self.facts.report_state == State.APPROVED:
            if not messages.confirm(self, _("รายงานนี้อนุมัติแล้ว ถ้าบันทึกการแก้ไข รายงานจะต้องส่งขออนุมัติใหม่ "
                                            "จะบันทึกหรือไม่"), _("บันทึกการแก้ไข")):
                return None
        return plan, report

    def _write(self, s, plan: VisitPlan | None, report: VisitReport | None) -> str:
        user = self.ctx.user
        if self.facts.id is None:
            visit_id = svc.create_visit(s, user, self.facts.officer_id, plan).id
        else:
            visit_id = self.facts.id
            if plan is not None:
                svc.update_visit(s, user, visit_id, plan)
        if report is not None:
            svc.save_report(s, user, visit_id, report, today=self.today)
        return visit_id

    def _after_write(self, visit_id: str, message: str) -> None:
        self.changed = True
        keep_tab = self.tabs.currentIndex()
        self.facts = load_visit(self.ctx, visit_id)
        self._fill()
        self._set_tab_order()
        self.tabs.setCurrentIndex(keep_tab if self.tabs.isTabEnabled(keep_tab) else 0)
        self.status.setText(message)
        self.saved.emit(visit_id)

    def save(self) -> bool:
        """Write what changed (Ctrl+S); True when nothing is left unsaved."""
        self._clear_errors()
        if not self.is_dirty():
            return True
        try:
            todo = self._gather()
            if todo is None:
                return False
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                visit_id = self._write(s, *todo)
        except Exception as exc:
            self._show_problem(exc)
            return False
        self._after_write(visit_id, _("บันทึกแล้ว"))
        return True

    def save_and_close(self) -> None:
        if self.save():
            self.accept()

    def _step(self, question: str | None, ok_text: str, step) -> None:
        """A report step (after writing pending edits, in the same transaction)."""
        self._clear_errors()
        if question is not None and not messages.confirm(self, question, ok_text):
            return
        try:
            todo = self._gather() if self.is_dirty() else (None, None)
            if todo is None:
                return
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                visit_id = self._write(s, *todo)
                # Saving an edit of a returned report already took it back to draft.
                if not (step is svc.reopen_report and s.get(Visit, visit_id).report_state != State.RETURNED):
                    step(s, self.ctx.user, visit_id)
        except Exception as exc:
            self._show_problem(exc)
            return
        self._after_write(visit_id, _("บันทึกแล้ว"))

    def submit_report(self) -> None:
        self._step(_("ส่งรายงานการเยี่ยมนี้ขออนุมัติ? ระหว่างรออนุมัติจะแก้ไขรายงานไม่ได้"), _("ส่งขออนุมัติ"),
                   svc.submit_report)

    def withdraw_report(self) -> None:
        self._step(_("ถอนรายงานกลับมาแก้ไข? รายงานจะกลับเป็นร่าง และต้องส่งขออนุมัติใหม่"), _("ถอนเรื่อง"),
                   svc.withdraw_report)

    def reopen_report(self) -> None:
        self._step(None, "", svc.reopen_report)

    def cancel_visit(self) -> None:
        """ไม่ได้ไปตามนัด: the reason is the report."""
        if self.facts.id is None:
            return
        if self.is_dirty() and not messages.confirm(
                self, _("มีข้อความที่พิมพ์ไว้แต่ยังไม่ได้บันทึก ถ้าบันทึกว่าไม่ได้ไปตามนัด ข้อความนั้นจะไม่ถูกบันทึก ทำต่อหรือไม่?"),
                _("ทำต่อโดยไม่บันทึก")):
            return
        dialog = TextDialog(_("ไม่ได้ไปตามนัด"), _("บันทึกว่าไม่ได้ไปเยี่ยมตามนัดนี้ เหตุผลจะเป็นรายงานของการเยี่ยมครั้งนี้ "
                                                   "และส่งขออนุมัติเหมือนรายงานทั่วไป"),
                            _("เหตุผล (จำเป็น)"), _("บันทึก"), required=True, multiline=True, parent=self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        reason = dialog.text()
        dialog.deleteLater()
        if not accepted:
            return
        self._clear_errors()
        visit_id = self.facts.id
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                svc.cancel_visit(s, self.ctx.user, visit_id, reason)
        except Exception as exc:
            self._show_problem(exc)
            return
        self._after_write(visit_id, _("บันทึกแล้วว่าไม่ได้ไป"))

    def delete_visit(self) -> None:
        if self.facts.id is None or not messages.confirm(
                self, _("ลบนัดเยี่ยมนี้ออกจากแผนการเดินทาง?"), _("ลบนัด")):
            return
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                svc.delete_visit(s, self.ctx.user, self.facts.id)
        except Exception as exc:
            errors.show_error(self, exc)
            return
        self.changed = True
        self._mark_saved()
        self.saved.emit(self.facts.id)
        self.accept()

    # -- leaving -------------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc / ปิด: ask before unsaved edits are thrown away."""
        if self.is_dirty() and not messages.confirm(
                self, _("มีการแก้ไขที่ยังไม่ได้บันทึก จะปิดโดยไม่บันทึกหรือไม่"), _("ปิดโดยไม่บันทึก")):
            return
        super().reject()
