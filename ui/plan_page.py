"""แผนปฏิบัติงาน: the office's action plans (every group, year and revision) on the left with
the open plan's approval history; the open plan on the right as a grid, its header and
its progress against actuals, with the approval steps and the file actions.

The list and the open plan are read in a worker thread (ui.plan_loading). Saving (Ctrl+S)
writes the whole document with plans.save_document in one transaction; approval steps
are in ui.plan_workflow and files in ui.plan_files. Unsaved edits are asked about
before another plan opens and before the window closes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from app.rules import approval
from app.rules.approval import STATE_LABELS, STEP_LABELS, State, Step
from app.rules.permissions import Action, Target
from app.rules.plan import MonthCell
from app.rules.plan.document import PlanDocument
from app.services import plans
from app.services.plans import PlanSummary
from ui import errors, ops, plan_files
from ui.context import AppContext
from ui.formatting import ui_digits, when_text
from ui.models.list_model import PAYLOAD_ROLE, ListModel
from ui.plan_grid import PlanGridPanel
from ui.plan_header_editor import PlanHeaderEditor
from ui.plan_loading import OpenPlan, load_plan, load_summaries
from ui.plan_progress import PlanProgressView
from ui.plan_workflow import PlanWorkflow
from ui.widgets.list_table import list_table

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
LIST_WIDTH = 330


class PlanPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.current: OpenPlan | None = None
        self.summaries: list[PlanSummary] = []
        self.loading: ops.Operation | None = None
        self.opening: ops.Operation | None = None
        self.workflow = PlanWorkflow(self)
        self._first_load = True

        title = QLabel(_("แผนปฏิบัติงาน"))
        title.setObjectName("pageTitle")
        self.plan_title = QLabel(_("เลือกแผนทางซ้ายแล้วกด เปิด หรือกด แผนใหม่…"))
        self.plan_title.setObjectName("sectionTitle")
        self.new_button = QPushButton(_("แผนใหม่…"))
        self.import_button = QPushButton(_("นำเข้า Excel…"))
        self.export_button = QPushButton(_("ส่งออก Excel…"))
        self.print_button = QPushButton(_("พิมพ์ PDF…"))
        self.new_button.clicked.connect(self.workflow.new_plan)
        self.import_button.clicked.connect(lambda: plan_files.import_excel(self))
        self.export_button.clicked.connect(lambda: plan_files.export_excel(self))
        self.print_button.clicked.connect(lambda: plan_files.print_pdf(self))
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addSpacing(16)
        heading.addWidget(self.plan_title, 1)
        for button in (self.new_button, self.import_button, self.export_button, self.print_button):
            heading.addWidget(button)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._left_panel())
        splitter.addWidget(self._right_panel())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([LIST_WIDTH, 1000])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 8)
        layout.addLayout(heading)
        layout.addWidget(splitter, 1)

        self.save_action = QAction(_("บันทึก"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)
        self.grid.model.undo_stack.cleanChanged.connect(self._edited)
        self.header.changed.connect(self._header_changed)
        self._update_buttons()
        self.reload()

    def _left_panel(self) -> QWidget:
        self.list_model = ListModel([_("ปีงบฯ"), _("กลุ่มงาน"), _("ฉบับ"), _("สถานะ")], self)
        self.plan_list = list_table(self.list_model, (58, 140, 46))
        self.plan_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.plan_list.doubleClicked.connect(lambda _index: self.open_selected())
        self.plan_list.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.open_button = QPushButton(_("เปิด"))
        self.open_button.clicked.connect(self.open_selected)
        self.list_status = QLabel()
        self.list_status.setObjectName("hint")

        history_title = QLabel(_("ประวัติการอนุมัติ"))
        history_title.setObjectName("sectionTitle")
        self.history_model = ListModel([_("เมื่อ"), _("รายการ")], self)
        self.history_table = list_table(self.history_model, (150,))

        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self.plan_list, 3)
        row = QHBoxLayout()
        row.addWidget(self.list_status, 1)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        layout.addWidget(history_title)
        layout.addWidget(self.history_table, 2)
        return panel

    def _right_panel(self) -> QWidget:
        self.save_button = QPushButton(_("บันทึก"))
        self.submit_button = QPushButton(_("ส่งขออนุมัติ…"))
        self.approve_button = QPushButton(_("อนุมัติ…"))
        self.return_button = QPushButton(_("ส่งคืน…"))
        self.withdraw_button = QPushButton(_("ถอนเรื่อง"))
        self.revise_button = QPushButton(_("ปรับแผน…"))
        self.save_button.clicked.connect(self.save)
        self.submit_button.clicked.connect(self.workflow.submit)
        self.approve_button.clicked.connect(self.workflow.approve)
        self.return_button.clicked.connect(self.workflow.send_back)
        self.withdraw_button.clicked.connect(self.workflow.withdraw)
        self.revise_button.clicked.connect(self.workflow.revise)
        steps = QHBoxLayout()
        for button in (self.save_button, self.submit_button, self.approve_button, self.return_button,
                       self.withdraw_button, self.revise_button):
            steps.addWidget(button)
        steps.addStretch(1)

        self.grid = PlanGridPanel()
        self.header = PlanHeaderEditor()
        self.progress = PlanProgressView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.grid, _("ตารางแผน"))
        self.tabs.addTab(self.header, _("ส่วนหัวและผู้ลงนาม"))
        self.tabs.addTab(self.progress, _("ผลเทียบแผน"))
        self.tabs.setEnabled(False)

        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addLayout(steps)
        layout.addWidget(self.tabs, 1)
        return panel

    # -- the list ------------------------------------------------------------------------------

    def reload(self, open_id: str | None = None, open_match: tuple[str, int, int] | None = None) -> None:
        """Read the list again; then open `open_id` (or the plan matching (group, year, revision))."""
        if self.loading is not None and not self.loading.done:
            self.loading.finished.connect(lambda: self.reload(open_id, open_match))
            return
        self.list_status.setText(_("กำลังโหลดรายการแผน…"))
        self.loading = ops.run_op(self, lambda _progress: load_summaries(self.ctx), label="",
                                  on_success=lambda rows: self._listed(rows, open_id, open_match),
                                  cancellable=False, delay_ms=None)

    def _listed(self, rows: list[PlanSummary], open_id: str | None, open_match) -> None:
        self.summaries = rows
        def state(p: PlanSummary) -> str:
            label = _(STATE_LABELS.get(p.state, p.state))
            return label if p.is_latest else tr("{state} (ฉบับเดิม)", state=label)

        self.list_model.set_rows([(ui_digits(p.fiscal_year), p.group_name, ui_digits(p.revision), state(p))
                                  for p in rows], rows)
        self.list_status.setText(tr("แผน {n} ฉบับ", n=ui_digits(len(rows))) if rows else _("ยังไม่มีแผน"))
        if open_match is not None:
            open_id = next((p.id for p in rows if (p.group_name, p.fiscal_year, p.revision) == open_match), None)
        if open_id is None and self._first_load:
            open_id = self._first_plan_to_show(rows)
        self._first_load = False
        if open_id is not None:
            self.open_plan(open_id)
        elif self.current is not None:
            self._select_in_list(self.current.id)

    def _first_plan_to_show(self, rows: list[PlanSummary]) -> str | None:
        """On arrival: the user's own group's latest plan of the working year, else one
        waiting for the user's approval."""
        own = next((p for p in rows if p.group_id == self.ctx.user.group_id and p.fiscal_year == self.ctx.fiscal_year
                    and p.is_latest), None)
        if own is not None:
            return own.id
        # owner_id "": the list does not say who wrote a plan, and here only the approver's
        # role and group matter (the approve button still checks the real owner).
        waiting = next((p for p in rows if p.state == State.SUBMITTED and approval.may(
            self.ctx.actor, Step.APPROVE, approval.ACTION_PLAN, owner_id="", owner_group_id=p.group_id)), None)
        return waiting.id if waiting else None

    def _select_in_list(self, plan_id: str) -> None:
        row = next((i for i, p in enumerate(self.summaries) if p.id == plan_id), -1)
        if row >= 0:
            self.plan_list.selectRow(row)

    def selected_summary(self) -> PlanSummary | None:
        rows = self.plan_list.selectionModel().selectedRows()
        return rows[0].data(PAYLOAD_ROLE) if rows else None

    # -- opening a plan ------------------------------------------------------------------------

    def open_selected(self) -> None:
        summary = self.selected_summary()
        if summary is not None and (self.current is None or summary.id != self.current.id) and self.may_leave():
            self.open_plan(summary.id)

    def open_plan(self, plan_id: str) -> None:
        self.opening = ops.run_op(self, lambda _progress: load_plan(self.ctx, plan_id), label="",
                                  on_success=self.show_plan, cancellable=False, delay_ms=None)

    def show_plan(self, plan: OpenPlan) -> None:
        self.current = plan
        editable = self.editable()
        self.header.load(plan.doc, read_only=not editable)
        banner, button, action = self._banner()
        self.grid.load(plan.doc, read_only=not editable, banner=banner, button=button, action=action)
        self.progress.load(plan.progress, fiscal_year=plan.fiscal_year, save_actual=self.save_actual,
                           can_edit=self.ctx.can(Action.PLAN_ACTUALS, self._target()))
        self._show_history()
        self.tabs.setEnabled(True)
        self._select_in_list(plan.id)
        self._edited()

    def _target(self) -> Target:
        return Target(officer_id=self.current.owner_id, group_id=self.current.group_id)

    def editable(self) -> bool:
        plan = self.current
        return (plan is not None and plan.is_latest and not approval.is_locked(plan.state)
                and self.ctx.can(Action.PLAN_EDIT, self._target()))

    def _banner(self):
        """Why the plan cannot be edited, and the button that leads on (text, button, action)."""
        plan = self.current
        if not plan.is_latest:
            text = tr("ฉบับที่ {n} นี้มีฉบับปรับปรุงที่ใหม่กว่าแล้ว จึงเปิดดูได้อย่างเดียว", n=ui_digits(plan.revision))
            return text, "", None
        if plan.state == State.APPROVED:
            stamp = plan.doc.approval
            text = tr("ฉบับนี้อนุมัติแล้วเมื่อ {when} โดย {who} (รหัสตรวจสอบ {code}) จึงแก้ไขไม่ได้ "
                      "ถ้าต้องเปลี่ยนแผนให้กด ปรับแผน เพื่อจัดทำฉบับปรับปรุงแล้วขออนุมัติใหม่",
                      when=when_text(stamp.at if stamp else None), who=stamp.by.name if stamp else "",
                      code=stamp.fingerprint if stamp else "")
            return (text, _("ปรับแผน…"), self.workflow.revise) if self.workflow.may_revise() else (text, "", None)
        if plan.state == State.SUBMITTED:
            sent = next((h for h in reversed(plan.history) if h.step == Step.SUBMIT), None)
            text = tr("ฉบับนี้ส่งขออนุมัติแล้วเมื่อ {when} ระหว่างรอผู้อนุมัติพิจารณาจึงแก้ไขไม่ได้ "
                      "ถ้าต้องแก้ไขให้ถอนเรื่องกลับก่อน", when=when_text(sent.at if sent else None))
            return (text, _("ถอนเรื่อง"), self.workflow.withdraw) if self.workflow.may(Step.WITHDRAW) \
                else (text, "", None)
        if not self.ctx.can(Action.PLAN_EDIT, self._target()):
            return _("คุณเปิดดูแผนนี้ได้ แต่แก้ไขได้เฉพาะแผนของกลุ่มงานของคุณ"), "", None
        if plan.state == State.RETURNED:
            back = next((h for h in reversed(plan.history) if h.step == Step.RETURN), None)
            text = tr("ผู้อนุมัติส่งคืนให้แก้ไข: “{comment}” แก้ไขแล้วกดบันทึก จากนั้นส่งขออนุมัติอีกครั้ง",
                      comment=back.comment if back else "")
            return (text, _("นำกลับมาเป็นร่าง"), self.workflow.reopen) if self.workflow.may(Step.REOPEN) \
                else (text, "", None)
        return "", "", None

    def _show_history(self) -> None:
        rows = []
        for h in self.current.history:
            comment = h.comment
            if h.acknowledged_findings:
                ack = tr("รับทราบข้อสังเกต {n} รายการ", n=ui_digits(h.acknowledged_findings))
                comment = f"{comment} ({ack})" if comment else ack
            what = tr("{step} โดย {who}", step=_(STEP_LABELS.get(h.step, h.step)), who=h.who)
            rows.append((when_text(h.at), f"{what}: {comment}" if comment else what))
        self.history_model.set_rows(rows)

    # -- editing and saving --------------------------------------------------------------------

    def finish_editing(self) -> None:
        self.grid.view.finish_editing()
        self.header.commit()

    def is_dirty(self) -> bool:
        return self.current is not None and (not self.grid.model.undo_stack.isClean() or self.header.is_dirty())

    def document(self) -> PlanDocument:
        """The open plan as on screen: the grid's rows under the header tab's fields."""
        values = self.header.values()
        doc = self.grid.model.document()
        sheet = replace(doc.sheet, title=values.title, budget_total=values.budget_total)
        return replace(doc, header=values.header, sheet=sheet, revision_label=values.revision_label)

    def save(self) -> bool:
        """Write the whole document in one transaction; True when saved (or nothing to save)."""
        self.finish_editing()
        if not self.is_dirty():
            return True
        if not self.editable():
            return False
        plan, doc = self.current, self.document()
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                plans.save_document(s, self.ctx.user, plan.id, doc)
            reloaded = load_plan(self.ctx, plan.id)
        except Exception as exc:
            errors.show_error(self, exc)
            return False
        self.current = reloaded
        self.grid.model.set_base(reloaded.doc)
        self.grid.model.undo_stack.setClean()
        self.header.mark_saved()
        self.grid.set_banner(*self._banner())
        self.grid.status_label.setText(tr("บันทึกแล้วเมื่อ {when}", when=when_text(datetime.now().astimezone())))
        self._show_history()
        self._edited()
        self.reload()
        return True

    def save_actual(self, key: str, month: int, cell: MonthCell) -> bool:
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                plans.save_actual(s, self.ctx.user, self.current.id, key, month, work_done=cell.work,
                                  baht_disbursed=Decimal(cell.baht))
        except Exception as exc:
            errors.show_error(self, exc)
            return False
        return True

    def _header_changed(self) -> None:
        values = self.header.values()
        self.grid.model.set_sheet_fields(title=values.title, budget_total=values.budget_total)
        self._edited()

    def _edited(self, *_args) -> None:
        plan = self.current
        if plan is not None:
            self.plan_title.setText(tr("{group} ปีงบประมาณ {year} ฉบับที่ {revision} ({state})",
                                       group=plan.group_name, year=ui_digits(plan.fiscal_year),
                                       revision=ui_digits(plan.revision), state=_(STATE_LABELS.get(plan.state, plan.state)))
                                    + (_(" — ยังไม่บันทึก") if self.is_dirty() else ""))
        self._update_buttons()

    def ask_unsaved(self) -> str:
        """Save, discard or cancel: the three answers a close or a switch needs."""
        box = QMessageBox(QMessageBox.Icon.Question, "CoopDesk",
                          _("แผนที่เปิดอยู่มีการแก้ไขที่ยังไม่ได้บันทึก จะบันทึกก่อนหรือไม่"),
                          QMessageBox.StandardButton.NoButton, self)
        save = box.addButton(_("บันทึก"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(_("ไม่บันทึก"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(_("ยกเลิก"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        return SAVE if box.clickedButton() is save else DISCARD if box.clickedButton() is discard else CANCEL

    def may_leave(self) -> bool:
        """True when nothing unsaved would be lost (after saving, if the user wants to)."""
        self.finish_editing()
        if not self.is_dirty():
            return True
        answer = self.ask_unsaved()
        if answer == SAVE:
            return self.save()
        if answer == DISCARD:
            self.grid.model.undo_stack.setClean()
            self.header.mark_saved()
            return True
        return False

    # -- buttons ---------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        plan, flow = self.current, self.workflow
        selected = self.selected_summary()
        self.open_button.setEnabled(selected is not None and (plan is None or selected.id != plan.id))
        self.new_button.setEnabled(self.ctx.can(Action.PLAN_EDIT))
        self.import_button.setEnabled(self.ctx.can(Action.PLAN_EDIT))
        for button in (self.export_button, self.print_button):
            # Any revision on screen: the approved one stays printable while a newer draft is made.
            button.setEnabled(plan is not None)
        self.save_button.setEnabled(self.editable() and self.is_dirty())
        self.save_action.setEnabled(self.editable())
        self.submit_button.setEnabled(plan is not None and plan.is_latest and flow.may(Step.SUBMIT))
        self.approve_button.setEnabled(flow.may(Step.APPROVE))
        self.return_button.setEnabled(flow.may(Step.RETURN))
        self.withdraw_button.setEnabled(flow.may(Step.WITHDRAW))
        self.revise_button.setEnabled(flow.may_revise())
