"""The plan's way through approval, from the plan page: new plan, submit (acknowledging
findings), approve what is on screen, return with a comment, withdraw, revise.

Buttons are enabled from the same rules (approval.may, permissions) but the services
decide: each step runs in one transaction and a refusal reaches the user as its sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog

from app.i18n import _, tr
from app.rules import approval
from app.rules.permissions import Action, Target
from app.rules.plan import content_fingerprint, validate
from app.services import plans, users
from ui import errors, messages
from ui.formatting import ui_digits
from ui.plan_dialogs import FROM_LAST_YEAR, FROM_TEMPLATE, ApproveDialog, NewPlanDialog, SubmitDialog, TextDialog

if TYPE_CHECKING:
    from ui.plan_page import PlanPage

WORKFLOW = approval.ACTION_PLAN


def plan_name(group: str, fiscal_year: int, revision: int) -> str:
    return tr("แผนปฏิบัติงาน{group} ปีงบประมาณ {year} ฉบับที่ {revision}", group=group,
              year=ui_digits(fiscal_year), revision=ui_digits(revision))


class PlanWorkflow:
    def __init__(self, page: PlanPage) -> None:
        self.page = page
        self.ctx = page.ctx

    def _run(self, step: Callable[[Any], Any]):
        """Run a service call (given the session) in one transaction; None (and the error shown) if it refused."""
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                return step(s)
        except Exception as exc:
            errors.show_error(self.page, exc)
            return None

    def may(self, step: approval.Step) -> bool:
        plan = self.page.current
        return (plan is not None and approval.can(plan.state, step)
                and approval.may(self.ctx.actor, step, WORKFLOW, owner_id=plan.owner_id, owner_group_id=plan.group_id))

    def may_revise(self) -> bool:
        plan = self.page.current
        return (plan is not None and plan.is_latest and plan.state == approval.State.APPROVED
                and self.ctx.can(Action.PLAN_EDIT, Target(officer_id=plan.owner_id, group_id=plan.group_id)))

    # -- a new plan ----------------------------------------------------------------------------

    def new_plan(self) -> None:
        if not self.page.may_leave():
            return
        ctx = self.ctx
        with ctx.db.session() as s:
            groups = [(g.id, g.name) for g in users.list_groups(s)
                      if ctx.can(Action.PLAN_EDIT, Target(officer_id=ctx.user.id, group_id=g.id))]
        if not groups:
            errors.show_error(self.page, _("บัญชีของคุณจัดทำแผนปฏิบัติงานไม่ได้ "
                                           "ต้องเป็นเจ้าหน้าที่หรือผู้อำนวยการของกลุ่มงาน"))
            return
        year = ctx.fiscal_year
        dialog = NewPlanDialog(groups, ctx.user.group_id, [year + 1, year, year - 1], year, self._has_plan, self.page)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return
        group_id, fiscal_year, source = dialog.group_id(), dialog.fiscal_year(), dialog.source()
        group_name, label = dialog.group.currentText(), dialog.revision_label.text().strip()

        def create(s) -> str:
            doc = None
            if source == FROM_TEMPLATE:
                doc = plans.template_document(fiscal_year, group_name)
            elif source == FROM_LAST_YEAR:
                previous = plans.latest_plan(s, ctx.user, group_id, fiscal_year - 1)
                doc = plans.copy_for_year(plans.document_of(s, ctx.user, previous.id), fiscal_year)
            return plans.create_plan(s, ctx.user, group_id=group_id, fiscal_year=fiscal_year, document=doc,
                                     revision_label=label).id

        plan_id = self._run(create)
        if plan_id:
            self.page.reload(open_id=plan_id)

    def _has_plan(self, group_id: str, fiscal_year: int) -> bool:
        with self.ctx.db.session() as s:
            return plans.latest_plan(s, self.ctx.user, group_id, fiscal_year) is not None

    # -- approval steps ------------------------------------------------------------------------

    def submit(self) -> None:
        plan = self.page.current
        if plan is None or (self.page.is_dirty() and not self.page.save()):
            return
        findings = validate(self.page.document().sheet)
        if findings:
            dialog = SubmitDialog(findings, self.page)
            accepted = dialog.exec() == QDialog.DialogCode.Accepted and dialog.acknowledge.isChecked()
            dialog.deleteLater()
        else:
            accepted = messages.confirm(self.page, tr("ส่ง{plan} ขออนุมัติ? ระหว่างรออนุมัติจะแก้ไขแผนไม่ได้",
                                                      plan=plan_name(plan.group_name, plan.fiscal_year, plan.revision)),
                                        _("ส่งขออนุมัติ"))
        if accepted and self._run(lambda s: plans.submit_plan(s, self.ctx.user, plan.id,
                                                              acknowledge_findings=bool(findings))):
            self.page.reload(open_id=plan.id)

    def approve(self) -> None:
        plan = self.page.current
        if plan is None:
            return
        # What the approver has on screen: the plan as loaded (it is locked while submitted).
        on_screen = content_fingerprint(plan.doc.sheet)
        submitted = next((h for h in reversed(plan.history) if h.step == approval.Step.SUBMIT), None)
        dialog = ApproveDialog(plan_name(plan.group_name, plan.fiscal_year, plan.revision), on_screen,
                               submitted.acknowledged_findings if submitted else None, self.page)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted and self._run(lambda s: plans.approve_plan(s, self.ctx.user, plan.id, reviewed_hash=on_screen)):
            self.page.reload(open_id=plan.id)

    def send_back(self) -> None:
        plan = self.page.current
        if plan is None:
            return
        what = tr("ส่ง{plan} คืนให้ผู้จัดทำแก้ไข ความเห็นของคุณจะบันทึกไว้ในประวัติของแผน",
                  plan=plan_name(plan.group_name, plan.fiscal_year, plan.revision))
        dialog = TextDialog(_("ส่งคืนให้แก้ไข"), what,
                            _("สิ่งที่ต้องแก้ไข (จำเป็น)"), _("ส่งคืน"), required=True, multiline=True, parent=self.page)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        comment = dialog.text()
        dialog.deleteLater()
        if accepted and self._run(lambda s: plans.return_plan(s, self.ctx.user, plan.id, comment=comment)):
            self.page.reload(open_id=plan.id)

    def withdraw(self) -> None:
        plan = self.page.current
        if plan is None or not messages.confirm(
                self.page, _("ถอนเรื่องกลับมาแก้ไข? แผนจะกลับเป็นร่าง และต้องส่งขออนุมัติใหม่"), _("ถอนเรื่อง")):
            return
        if self._run(lambda s: plans.withdraw_plan(s, self.ctx.user, plan.id)):
            self.page.reload(open_id=plan.id)

    def reopen(self) -> None:
        """A returned plan back to draft without an edit (e.g. to resubmit it as it is)."""
        plan = self.page.current
        if plan is not None and self._run(lambda s: plans.reopen_plan(s, self.ctx.user, plan.id)):
            self.page.reload(open_id=plan.id)

    def revise(self) -> None:
        plan = self.page.current
        if plan is None or not self.page.may_leave():
            return
        dialog = TextDialog(_("ปรับแผน"), _("ฉบับที่อนุมัติแล้วจะเก็บไว้ให้ดูได้เหมือนเดิม ฉบับปรับปรุงจะเริ่มเป็นร่าง "
                                            "คัดลอกจากฉบับนี้ และต้องส่งขออนุมัติใหม่"),
                            _("ชื่อฉบับปรับปรุง (ไม่บังคับ)"), _("ปรับแผน"), required=False, multiline=False,
                            parent=self.page)
        dialog.set_text(tr("แผนปฏิบัติงานครั้งที่ {n}", n=ui_digits(plan.revision + 1)))
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        label = dialog.text()
        dialog.deleteLater()
        if not accepted:
            return
        new_id = self._run(lambda s: plans.revise_plan(s, self.ctx.user, plan.id, revision_label=label).id)
        if new_id:
            self.page.reload(open_id=new_id)
