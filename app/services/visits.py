"""CPS field visits: plan the month, record what was found and advised, follow up, approve.

Two items go through the approval machine (app/rules/approval.py):
- the travel plan (แผนการเดินทาง) — one per officer and month; its content is the planned
  side of its visits (where, when, how, why). Editing that side of an approved plan moves
  it to needs_reapproval; while it is submitted the planned side is locked.
- the visit report — one per visit; its content is what happened (date, attendees, findings,
  advice, response, next step) and the follow-ups it raised, resolved or dropped.

Every function takes the caller's session (one transaction per user action) and the acting
user, checks permissions first and writes an audit entry for each change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import LockedError, PermissionDenied, ValidationError
from app.i18n import _, tr
from app.models import ApprovalEvent, AuditEntry, FollowUpItem, Institution, TravelPlan, User, Visit, tombstone
from app.models.types import utcnow
from app.rules import approval
from app.rules import visits as rules
from app.rules.permissions import Action, Target
from app.services import audit
from app.services.context import actor_of, authorize, check_same_office, get_live
from app.thai import format_date

TRAVEL = approval.TRAVEL_PLAN
REPORT = approval.CPS_REPORT
PLANNED, DONE, CANCELLED = "planned", "done", "cancelled"
VISIT_STATUSES = {PLANNED: "ตามแผน", DONE: "ไปแล้ว", CANCELLED: "ไม่ได้ไป"}
MAX_ATTENDEES = 100_000


# -- inputs --------------------------------------------------------------------------------

@dataclass(frozen=True)
class VisitPlan:
    """The planned side of a visit, as the calendar and the visit form edit it."""

    institution_id: str
    planned_date: date
    planned_time: str | None = None
    duration_min: int = rules.DEFAULT_DURATION_MIN
    method: str = "inspection"
    purpose: str = ""
    activity_lineage: str | None = None
    co_officer_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewFollowUp:
    description: str
    due_date: date | None = None
    owner_id: str | None = None
    id: str | None = None  # set when editing an item this report raised earlier


@dataclass(frozen=True)
class VisitReport:
    """What happened, as the report form edits it. Follow-ups: items this visit raises, open
    items it resolves, and open items it drops (id → reason)."""

    actual_date: date
    findings: str = ""
    advice: str = ""
    response: str = ""
    next_step: str = ""
    attendees_committee: int | None = None
    attendees_staff: int | None = None
    attendees_members: int | None = None
    raised: tuple[NewFollowUp, ...] = ()
    resolved_ids: tuple[str, ...] = ()
    dropped: tuple[tuple[str, str], ...] = field(default=())


# -- targets, reading ----------------------------------------------------------------------

def target_of_visit(visit: Visit) -> Target:
    return Target(officer_id=visit.officer_id, group_id=visit.group_id)


def _target_of_officer(officer: User) -> Target:
    return Target(officer_id=officer.id, group_id=officer.group_id)


def get_visit(session: Session, user: User, visit_id: str) -> Visit:
    visit = get_live(session, Visit, visit_id, _("ไม่พบการเยี่ยมที่ต้องการ"))
    authorize(session, user, Action.VISIT_VIEW, target_of_visit(visit))
    return visit


def get_travel_plan(session: Session, user: User, plan_id: str) -> TravelPlan:
    plan = get_live(session, TravelPlan, plan_id, _("ไม่พบแผนการเดินทางที่ต้องการ"))
    authorize(session, user, Action.VISIT_VIEW, Target(officer_id=plan.officer_id, group_id=plan.group_id))
    return plan


def live_officer(session: Session, officer_id: str) -> User:
    """The officer with this id, or NotFound (no permission check: callers authorize)."""
    return get_live(session, User, officer_id, _("ไม่พบเจ้าหน้าที่ที่ต้องการ"))


def month_start(d: date) -> date:
    return d.replace(day=1)


def travel_plan_of(session: Session, user: User, officer_id: str, month: date) -> TravelPlan | None:
    """The officer's travel plan for the month containing `month`, if there is one."""
    officer = live_officer(session, officer_id)
    authorize(session, user, Action.VISIT_VIEW, _target_of_officer(officer))
    return session.scalar(select(TravelPlan).where(
        TravelPlan.officer_id == officer_id, TravelPlan.month == month_start(month), TravelPlan.deleted_at.is_(None)))


def plan_visits(session: Session, plan: TravelPlan) -> list[Visit]:
    q = (select(Visit).where(Visit.travel_plan_id == plan.id, Visit.deleted_at.is_(None))
         .order_by(Visit.planned_date, Visit.planned_time, Visit.id))
    return list(session.scalars(q))


def raised_in(session: Session, visit: Visit) -> list[FollowUpItem]:
    q = (select(FollowUpItem).where(FollowUpItem.raised_in_visit_id == visit.id, FollowUpItem.deleted_at.is_(None))
         .order_by(FollowUpItem.due_date, FollowUpItem.id))
    return list(session.scalars(q))


def closed_in(session: Session, visit: Visit) -> list[FollowUpItem]:
    q = (select(FollowUpItem).where(FollowUpItem.closed_in_visit_id == visit.id, FollowUpItem.deleted_at.is_(None))
         .order_by(FollowUpItem.id))
    return list(session.scalars(q))


def open_followups(session: Session, institution_id: str) -> list[FollowUpItem]:
    q = (select(FollowUpItem).where(FollowUpItem.institution_id == institution_id,
                                    FollowUpItem.status == rules.OPEN, FollowUpItem.deleted_at.is_(None))
         .order_by(FollowUpItem.due_date, FollowUpItem.id))
    return list(session.scalars(q))


def preparation(session: Session, user: User, visit_id: str) -> tuple[rules.PrepItem, ...]:
    """The open follow-ups of the visit's institution, carried into this visit's preparation
    (overdue first). Items raised in this very visit are not its own preparation."""
    visit = get_visit(session, user, visit_id)
    day = visit.actual_date or visit.planned_date
    items = [f for f in open_followups(session, visit.institution_id)
             if f.raised_in_visit_id != visit.id and _raised_on(session, f) <= day]
    return rules.carry_over((rule_followup(f) for f in items), visit_day=day)


def _raised_on(session: Session, f: FollowUpItem) -> date:
    raised = session.get(Visit, f.raised_in_visit_id)
    return raised.actual_date or raised.planned_date


def rule_followup(f: FollowUpItem) -> rules.FollowUp:
    return rules.FollowUp(
        id=f.id, institution_id=f.institution_id, raised_in_visit_id=f.raised_in_visit_id,
        description=f.description, due_date=f.due_date, owner_id=f.owner_id, status=f.status,
        resolved_in_visit_id=f.closed_in_visit_id if f.status == rules.RESOLVED else None,
        drop_reason=f.drop_reason,
    )


# -- content hashes ------------------------------------------------------------------------

def planned_content(v: Visit) -> dict:
    """What the travel plan's approval covers of one visit (hashed; the bulk history uses it too)."""
    return {"id": v.id, "institution": v.institution_id, "date": v.planned_date, "time": v.planned_time,
            "duration": v.duration_min, "method": v.method, "purpose": v.purpose,
            "activity": v.activity_lineage, "co_officers": sorted(v.co_officer_ids or [])}


def travel_plan_hash(session: Session, plan: TravelPlan) -> str:
    """sha256 of what a travel plan asks permission for: the month and its visits' plans."""
    return approval.content_hash({"officer": plan.officer_id, "month": plan.month, "note": plan.note,
                                  "visits": [planned_content(v) for v in plan_visits(session, plan)]})


def report_hash(session: Session, visit: Visit) -> str:
    """sha256 of a report's content. Raised items count by what they say, not by their later
    status: resolving an item in a later visit must not unsettle the report that raised it."""
    raised = [{"id": f.id, "description": f.description, "due": f.due_date, "owner": f.owner_id}
              for f in raised_in(session, visit)]
    closed = [{"id": f.id, "status": f.status, "reason": f.drop_reason} for f in closed_in(session, visit)]
    return approval.content_hash({
        "visit": visit.id, "institution": visit.institution_id, "status": visit.status,
        "actual_date": visit.actual_date, "committee": visit.attendees_committee, "staff": visit.attendees_staff,
        "members": visit.attendees_members, "findings": visit.findings, "advice": visit.advice,
        "response": visit.response, "next_step": visit.next_step, "cancel_reason": visit.cancel_reason,
        "raised": raised, "closed": closed,
    })


# -- planning ------------------------------------------------------------------------------

def _check_plan(session: Session, officer: User, data: VisitPlan) -> Institution:
    inst = get_live(session, Institution, data.institution_id, _("ไม่พบสหกรณ์/กลุ่มเกษตรกรที่จะเยี่ยม"))
    # The rules validate method, time and duration with their own sentences.
    rules.PlannedVisit(id="-", institution_id=inst.id, officer_id=officer.id, day=data.planned_date,
                       time=data.planned_time, duration_min=data.duration_min, method=data.method)
    if not 2400 <= data.planned_date.year + 543 <= 2700:
        raise ValidationError(_("วันนัดเยี่ยมไม่ถูกต้อง"), field="planned_date")
    for co in data.co_officer_ids:
        if co == officer.id:
            raise ValidationError(_("ผู้ร่วมเดินทางต้องไม่ใช่เจ้าหน้าที่เจ้าของการเยี่ยม"), field="co_officer_ids")
        live_officer(session, co)
    return inst


def _plan_for_month(session: Session, user: User, officer: User, month: date) -> TravelPlan:
    plan = session.scalar(select(TravelPlan).where(
        TravelPlan.officer_id == officer.id, TravelPlan.month == month_start(month), TravelPlan.deleted_at.is_(None)))
    if plan is None:
        plan = TravelPlan(office_id=officer.office_id, officer_id=officer.id, group_id=officer.group_id,
                          month=month_start(month), state=approval.State.DRAFT)
        session.add(plan)
        session.flush()
        audit.record(session, user, "travel_plan.create", "travel_plan", plan.id,
                     after={"officer": officer.login, "month": plan.month.isoformat()})
    return plan


def _plan_edited(session: Session, user: User, plan: TravelPlan) -> None:
    """Before changing the planned side of a plan's visits: refuse while submitted, and
    move an approved (or returned) plan to the state an edit leads to."""
    effect = approval.after_edit(plan.state, TRAVEL)
    if effect.state != plan.state:
        audit.record(session, user, "travel_plan.edited", "travel_plan", plan.id,
                     before={"state": plan.state}, after={"state": str(effect.state)})
        plan.state = effect.state


def _locked_plan_message(plan: TravelPlan) -> str:
    return tr("แผนการเดินทางเดือน{month} รออนุมัติอยู่ จึงแก้ไขนัดเยี่ยมไม่ได้ ให้ถอนเรื่องกลับก่อน",
              month=format_date(plan.month, "month", thai_digits=False))


def _require_plan_editable(session: Session, user: User, plan: TravelPlan) -> None:
    try:
        _plan_edited(session, user, plan)
    except LockedError:
        raise LockedError(_locked_plan_message(plan)) from None


def _visit_editable(session: Session, user: User, visit: Visit) -> None:
    authorize(session, user, Action.VISIT_EDIT, target_of_visit(visit))


def create_visit(session: Session, user: User, officer_id: str, data: VisitPlan) -> Visit:
    """A new visit in the officer's travel plan for that month (made when first needed)."""
    officer = live_officer(session, officer_id)
    authorize(session, user, Action.VISIT_EDIT, _target_of_officer(officer))
    _check_plan(session, officer, data)
    plan = _plan_for_month(session, user, officer, data.planned_date)
    _require_plan_editable(session, user, plan)
    visit = Visit(travel_plan_id=plan.id, officer_id=officer.id, group_id=officer.group_id,
                  report_state=approval.State.DRAFT, status=PLANNED, **_plan_values(data))
    session.add(visit)
    session.flush()
    audit.record(session, user, "visit.create", "visit", visit.id, after=audit.snapshot(visit))
    return visit


def _plan_values(data: VisitPlan) -> dict:
    return {"institution_id": data.institution_id, "planned_date": data.planned_date,
            "planned_time": data.planned_time, "duration_min": data.duration_min, "method": data.method,
            "purpose": data.purpose.strip(), "activity_lineage": data.activity_lineage,
            "co_officer_ids": list(data.co_officer_ids)}


def update_visit(session: Session, user: User, visit_id: str, data: VisitPlan) -> Visit:
    """Change the planned side of a visit (also how a drag to another day is saved). A visit
    moved to another month moves into that month's travel plan."""
    visit = get_visit(session, user, visit_id)
    _visit_editable(session, user, visit)
    if visit.status != PLANNED:
        raise LockedError(_("การเยี่ยมนี้บันทึกผลแล้ว จึงเปลี่ยนนัดไม่ได้ ให้แก้ไขในรายงานการเยี่ยม"))
    _check_plan(session, visit.officer, data)
    values = _plan_values(data)
    if all(getattr(visit, k) == v for k, v in values.items()):
        return visit
    before = audit.snapshot(visit)
    old_plan = visit.travel_plan
    _require_plan_editable(session, user, old_plan)
    if month_start(data.planned_date) != old_plan.month:
        new_plan = _plan_for_month(session, user, visit.officer, data.planned_date)
        _require_plan_editable(session, user, new_plan)
        visit.travel_plan_id = new_plan.id
    for k, v in values.items():
        if getattr(visit, k) != v:
            setattr(visit, k, v)
    visit.travel_approved_at = None  # re-planned: the earlier permission no longer covers it
    session.flush()
    session.expire(visit, ["travel_plan"])
    audit.record(session, user, "visit.update", "visit", visit.id, before, audit.snapshot(visit))
    return visit


def move_visit(session: Session, user: User, visit_id: str, day: date) -> Visit:
    """A visit dragged to another day, at the same time of day."""
    return update_visit(session, user, visit_id, replace(plan_of(get_visit(session, user, visit_id)), planned_date=day))


def plan_of(visit: Visit) -> VisitPlan:
    return VisitPlan(visit.institution_id, visit.planned_date, visit.planned_time, visit.duration_min, visit.method,
                     visit.purpose, visit.activity_lineage, tuple(visit.co_officer_ids or ()))


def delete_visit(session: Session, user: User, visit_id: str) -> None:
    """Remove a visit that has not happened from its (editable) travel plan."""
    visit = get_visit(session, user, visit_id)
    _visit_editable(session, user, visit)
    if visit.status != PLANNED:
        raise LockedError(_("การเยี่ยมนี้บันทึกผลแล้ว จึงลบไม่ได้"))
    _require_plan_editable(session, user, visit.travel_plan)
    tombstone(visit)
    session.flush()
    audit.record(session, user, "visit.delete", "visit", visit.id, before=audit.snapshot(visit))


# -- recording -----------------------------------------------------------------------------

def _report_edited(session: Session, user: User, visit: Visit) -> None:
    try:
        effect = approval.after_edit(visit.report_state, REPORT)
    except LockedError:
        raise LockedError(_("รายงานการเยี่ยมนี้ส่งขออนุมัติแล้ว แก้ไขไม่ได้จนกว่าจะถอนเรื่องกลับหรือถูกส่งคืน")) from None
    if effect.state != visit.report_state:
        visit.report_state = effect.state


def _count(value: int | None, label: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ATTENDEES:
        raise ValidationError(tr("จำนวน{label}ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป", label=label), field="attendees")
    return value


def _check_report(visit: Visit, report: VisitReport, today: date) -> None:
    if report.actual_date > today:
        raise ValidationError(
            tr("วันที่ไปเยี่ยม {day} ยังมาไม่ถึง บันทึกผลได้หลังจากไปเยี่ยมแล้ว",
               day=format_date(report.actual_date, "long", thai_digits=False)), field="actual_date")
    if month_start(report.actual_date) != month_start(visit.planned_date):
        # The permission to travel was for that month's plan, and the month's CPS report and
        # the action plan's actuals both count the visit in it.
        raise ValidationError(
            tr("วันที่ไปเยี่ยมต้องอยู่ในเดือน{month}ตามที่นัดไว้ ถ้าไปในเดือนอื่นให้เลื่อนนัดในปฏิทินก่อน",
               month=format_date(visit.planned_date, "month", thai_digits=False)), field="actual_date")
    _count(report.attendees_committee, _("กรรมการ"))
    _count(report.attendees_staff, _("เจ้าหน้าที่"))
    _count(report.attendees_members, _("สมาชิก"))
    for item in report.raised:
        if not item.description.strip():
            raise ValidationError(_("กรุณาระบุรายละเอียดข้อสังเกตที่ต้องติดตาม"), field="raised")
        if item.due_date is not None and item.due_date < report.actual_date:
            raise ValidationError(
                tr("กำหนดติดตาม “{d}” ต้องไม่ก่อนวันที่ไปเยี่ยม", d=item.description.strip()[:40]), field="raised")


def save_report(session: Session, user: User, visit_id: str, report: VisitReport, *,
                today: date | None = None) -> Visit:
    """Record (or correct) what happened. An approved report that changes goes back for
    re-approval; a submitted one is locked."""
    visit = get_visit(session, user, visit_id)
    _visit_editable(session, user, visit)
    today = today or date.today()
    _check_report(visit, report, today)
    digest_before = report_hash(session, visit)
    before = audit.snapshot(visit)
    if approval.is_locked(visit.report_state) and visit.report_state == approval.State.SUBMITTED:
        _report_edited(session, user, visit)  # raises: submitted content is frozen
    values = {"status": DONE, "actual_date": report.actual_date, "findings": report.findings.strip(),
              "advice": report.advice.strip(), "response": report.response.strip(),
              "next_step": report.next_step.strip(), "attendees_committee": report.attendees_committee,
              "attendees_staff": report.attendees_staff, "attendees_members": report.attendees_members,
              "cancel_reason": ""}
    for k, v in values.items():
        if getattr(visit, k) != v:
            setattr(visit, k, v)
    _write_followups(session, user, visit, report)
    session.flush()
    if report_hash(session, visit) != digest_before:
        _report_edited(session, user, visit)
        session.flush()
        audit.record(session, user, "visit.report", "visit", visit.id, before, audit.snapshot(visit))
    return visit


def cancel_visit(session: Session, user: User, visit_id: str, reason: str) -> Visit:
    """The visit did not take place; the reason is the report (approved like any report)."""
    visit = get_visit(session, user, visit_id)
    _visit_editable(session, user, visit)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("กรุณาระบุเหตุผลที่ไม่ได้ไปเยี่ยมตามนัด"), field="cancel_reason")
    if raised_in(session, visit) or closed_in(session, visit):
        raise ValidationError(_("การเยี่ยมนี้มีข้อสังเกตที่บันทึกไว้แล้ว จึงบันทึกว่าไม่ได้ไปไม่ได้"), field="cancel_reason")
    digest_before = report_hash(session, visit)
    before = audit.snapshot(visit)
    visit.status, visit.cancel_reason, visit.actual_date = CANCELLED, reason, None
    session.flush()
    if report_hash(session, visit) != digest_before:
        _report_edited(session, user, visit)
        audit.record(session, user, "visit.cancel", "visit", visit.id, before, audit.snapshot(visit))
    return visit


def _write_followups(session: Session, user: User, visit: Visit, report: VisitReport) -> None:
    existing = {f.id: f for f in raised_in(session, visit)}
    for item in report.raised:
        description = " ".join(item.description.split())
        f = existing.pop(item.id, None) if item.id else None
        if f is None:
            f = FollowUpItem(institution_id=visit.institution_id, raised_in_visit_id=visit.id,
                             description=description, status=rules.OPEN)
            session.add(f)
        if f.status != rules.OPEN and (f.description != description or f.due_date != item.due_date):
            raise LockedError(tr("ข้อสังเกต “{d}” ปิดไปแล้วในการเยี่ยมครั้งหลัง จึงแก้ไขไม่ได้", d=f.description[:40]))
        f.description, f.due_date, f.owner_id = description, item.due_date, item.owner_id or visit.officer_id
    for f in existing.values():  # removed from the report
        if f.status != rules.OPEN:
            raise LockedError(tr("ข้อสังเกต “{d}” ปิดไปแล้วในการเยี่ยมครั้งหลัง จึงลบไม่ได้", d=f.description[:40]))
        tombstone(f)
    _write_closures(session, visit, report)


def _write_closures(session: Session, visit: Visit, report: VisitReport) -> None:
    wanted: dict[str, tuple[str, str]] = {i: (rules.RESOLVED, "") for i in report.resolved_ids}
    for item_id, reason in report.dropped:
        if item_id in wanted:
            raise ValidationError(_("ข้อสังเกตเดียวกันจะทั้งแก้ไขแล้วและยกเลิกการติดตามไม่ได้"), field="dropped")
        wanted[item_id] = (rules.DROPPED, reason)
    # Start from "this report closes nothing", then close what it says. Setting a value back
    # to what it was is no change to SQLAlchemy, so unchanged closures bump nothing.
    for f in closed_in(session, visit):
        f.status, f.closed_in_visit_id, f.closed_on, f.drop_reason = rules.OPEN, None, None, ""
    for item_id, (status, reason) in wanted.items():
        f = get_live(session, FollowUpItem, item_id, _("ไม่พบข้อสังเกตที่ต้องการ"))
        if f.institution_id != visit.institution_id:
            raise ValidationError(_("ข้อสังเกตนี้เป็นของสหกรณ์/กลุ่มเกษตรกรอื่น"), field="resolved_ids")
        if f.raised_in_visit_id == visit.id:
            raise ValidationError(_("ข้อสังเกตที่เพิ่งพบในการเยี่ยมนี้ ต้องติดตามในการเยี่ยมครั้งต่อไป"),
                                  field="resolved_ids")
        if _raised_on(session, f) > visit.actual_date:
            raise ValidationError(
                tr("ข้อสังเกต “{d}” พบหลังการเยี่ยมครั้งนี้ จึงปิดในการเยี่ยมครั้งนี้ไม่ได้", d=f.description[:40]),
                field="resolved_ids")
        item = rule_followup(f)  # closed elsewhere: the rules refuse with their sentence
        done = rules.resolve(item, visit.id) if status == rules.RESOLVED else rules.drop(item, reason)
        f.status, f.drop_reason = done.status, done.drop_reason
        f.closed_in_visit_id, f.closed_on = visit.id, visit.actual_date


# -- the approval workflows ----------------------------------------------------------------

def _record(session: Session, workflow: approval.Workflow, item_id: str, rec: approval.ApprovalRecord) -> None:
    session.add(ApprovalEvent(workflow=workflow.name, item_id=item_id, step=rec.step, from_state=rec.from_state,
                              to_state=rec.to_state, actor_id=rec.actor_id, at=rec.at,
                              content_hash=rec.content_hash, comment=rec.comment))


def history(session: Session, user: User, item_id: str) -> list[ApprovalEvent]:
    """Approval steps of a travel plan or a visit report, oldest first."""
    if session.get(TravelPlan, item_id) is not None:
        get_travel_plan(session, user, item_id)
    else:
        get_visit(session, user, item_id)
    q = (select(ApprovalEvent).where(ApprovalEvent.item_id == item_id,
                                     ApprovalEvent.workflow.in_((TRAVEL.name, REPORT.name)))
         .order_by(ApprovalEvent.at, ApprovalEvent.change_seq))
    return list(session.scalars(q))


def last_comment(session: Session, item_id: str) -> str:
    """The comment of the latest return of an item ("" if none)."""
    q = (select(ApprovalEvent.comment).where(ApprovalEvent.item_id == item_id,
                                             ApprovalEvent.step == approval.Step.RETURN)
         .order_by(ApprovalEvent.at.desc(), ApprovalEvent.change_seq.desc()).limit(1))
    return session.scalar(q) or ""


def _travel_step(session: Session, user: User, plan_id: str, step: approval.Step) -> tuple[TravelPlan, str]:
    plan = get_travel_plan(session, user, plan_id)
    check_same_office(session, user, plan.group_id)
    approval.check_actor(actor_of(user), step, TRAVEL, owner_id=plan.officer_id, owner_group_id=plan.group_id)
    return plan, travel_plan_hash(session, plan)


def submit_travel_plan(session: Session, user: User, plan_id: str) -> TravelPlan:
    plan, digest = _travel_step(session, user, plan_id, approval.Step.SUBMIT)
    if not plan_visits(session, plan):
        raise ValidationError(_("แผนการเดินทางเดือนนี้ยังไม่มีนัดเยี่ยม จึงยังส่งขออนุมัติไม่ได้"))
    rec = approval.submit(plan.state, actor_id=user.id, at=utcnow(), content_hash=digest)
    return _travel_done(session, user, plan, rec, "travel_plan.submit")


def approve_travel_plan(session: Session, user: User, plan_id: str, *, reviewed_hash: str) -> TravelPlan:
    plan, digest = _travel_step(session, user, plan_id, approval.Step.APPROVE)
    now = utcnow()
    rec = approval.approve(plan.state, actor_id=user.id, at=now, reviewed_hash=reviewed_hash, current_hash=digest)
    plan.approved_by, plan.approved_at, plan.approved_hash = user.id, now, digest
    for v in plan_visits(session, plan):
        if v.travel_approved_at is None:
            v.travel_approved_at = now
    return _travel_done(session, user, plan, rec, "travel_plan.approve")


def return_travel_plan(session: Session, user: User, plan_id: str, *, comment: str) -> TravelPlan:
    plan, digest = _travel_step(session, user, plan_id, approval.Step.RETURN)
    rec = approval.return_to_owner(plan.state, actor_id=user.id, at=utcnow(), content_hash=digest, comment=comment)
    return _travel_done(session, user, plan, rec, "travel_plan.return")


def withdraw_travel_plan(session: Session, user: User, plan_id: str) -> TravelPlan:
    plan, digest = _travel_step(session, user, plan_id, approval.Step.WITHDRAW)
    return _travel_done(session, user, plan, approval.withdraw(plan.state, actor_id=user.id, at=utcnow(),
                                                               content_hash=digest), "travel_plan.withdraw")


def reopen_travel_plan(session: Session, user: User, plan_id: str) -> TravelPlan:
    plan, digest = _travel_step(session, user, plan_id, approval.Step.REOPEN)
    return _travel_done(session, user, plan, approval.reopen(plan.state, actor_id=user.id, at=utcnow(),
                                                             content_hash=digest), "travel_plan.reopen")


def _travel_done(session: Session, user: User, plan: TravelPlan, rec: approval.ApprovalRecord,
                 action: str) -> TravelPlan:
    _record(session, TRAVEL, plan.id, rec)
    plan.state = rec.to_state
    session.flush()
    audit.record(session, user, action, "travel_plan", plan.id,
                 after={"state": plan.state, "hash": rec.content_hash, "comment": rec.comment})
    return plan


def _report_step(session: Session, user: User, visit_id: str, step: approval.Step) -> tuple[Visit, str]:
    visit = get_visit(session, user, visit_id)
    check_same_office(session, user, visit.group_id)
    approval.check_actor(actor_of(user), step, REPORT, owner_id=visit.officer_id, owner_group_id=visit.group_id)
    return visit, report_hash(session, visit)


def submit_report(session: Session, user: User, visit_id: str) -> Visit:
    """Send a visit's report for approval: the visit has happened (or is recorded as not
    having happened), says what was found or advised, and its trip was approved."""
    visit, digest = _report_step(session, user, visit_id, approval.Step.SUBMIT)
    if visit.status == PLANNED:
        raise ValidationError(_("ยังไม่ได้บันทึกผลการเยี่ยม จึงส่งรายงานไม่ได้"), field="status")
    if visit.status == DONE and not (visit.findings.strip() or visit.advice.strip()):
        raise ValidationError(_("กรุณาบันทึกสิ่งที่พบหรือคำแนะนำก่อนส่งรายงาน"), field="findings")
    if visit.status == DONE and visit.method != "other" and visit.travel_approved_at is None:
        raise ValidationError(
            _("การเดินทางไปเยี่ยมครั้งนี้ยังไม่ได้รับอนุมัติในแผนการเดินทาง จึงยังส่งรายงานไม่ได้ "
              "(ยกเว้นการติดตามทางโทรศัพท์/ออนไลน์)"), field="travel_plan")
    rec = approval.submit(visit.report_state, actor_id=user.id, at=utcnow(), content_hash=digest)
    return _report_done(session, user, visit, rec, "visit.report.submit")


def approve_report(session: Session, user: User, visit_id: str, *, reviewed_hash: str) -> Visit:
    visit, digest = _report_step(session, user, visit_id, approval.Step.APPROVE)
    if _wrote_report(session, user, visit):
        raise PermissionDenied(_("คุณบันทึกหรือแก้ไขรายงานการเยี่ยมนี้เอง จึงอนุมัติไม่ได้ ต้องให้ผู้มีอำนาจอนุมัติคนอื่น"))
    now = utcnow()
    rec = approval.approve(visit.report_state, actor_id=user.id, at=now, reviewed_hash=reviewed_hash,
                           current_hash=digest)
    visit.report_approved_by, visit.report_approved_at, visit.report_approved_hash = user.id, now, digest
    return _report_done(session, user, visit, rec, "visit.report.approve")


def return_report(session: Session, user: User, visit_id: str, *, comment: str) -> Visit:
    visit, digest = _report_step(session, user, visit_id, approval.Step.RETURN)
    rec = approval.return_to_owner(visit.report_state, actor_id=user.id, at=utcnow(), content_hash=digest,
                                   comment=comment)
    return _report_done(session, user, visit, rec, "visit.report.return")


def withdraw_report(session: Session, user: User, visit_id: str) -> Visit:
    visit, digest = _report_step(session, user, visit_id, approval.Step.WITHDRAW)
    return _report_done(session, user, visit, approval.withdraw(visit.report_state, actor_id=user.id, at=utcnow(),
                                                                content_hash=digest), "visit.report.withdraw")


def reopen_report(session: Session, user: User, visit_id: str) -> Visit:
    visit, digest = _report_step(session, user, visit_id, approval.Step.REOPEN)
    return _report_done(session, user, visit, approval.reopen(visit.report_state, actor_id=user.id, at=utcnow(),
                                                              content_hash=digest), "visit.report.reopen")


def _wrote_report(session: Session, user: User, visit: Visit) -> bool:
    """True if the user recorded or changed this report's content (a director may write an
    officer's report for them, and then must not approve it too)."""
    q = select(AuditEntry.seq).where(AuditEntry.entity_id == visit.id, AuditEntry.user_id == user.id,
                                    AuditEntry.action.in_(("visit.report", "visit.cancel"))).limit(1)
    return session.scalar(q) is not None


def _report_done(session: Session, user: User, visit: Visit, rec: approval.ApprovalRecord, action: str) -> Visit:
    _record(session, REPORT, visit.id, rec)
    visit.report_state = rec.to_state
    session.flush()
    audit.record(session, user, action, "visit", visit.id,
                 after={"state": visit.report_state, "hash": rec.content_hash, "comment": rec.comment})
    return visit



def approve_items(session: Session, user: User, items: list[tuple[str, str, str]]) -> int:
    """Approve several inbox items, each (workflow name, id, reviewed hash), in the caller's
    one transaction: if any is refused none is approved, and the error says which."""
    steps = {TRAVEL.name: approve_travel_plan, REPORT.name: approve_report}
    for kind, item_id, reviewed in items:
        try:
            steps[kind](session, user, item_id, reviewed_hash=reviewed)
        except (ValidationError, PermissionDenied, LockedError) as exc:
            raise type(exc)(tr("{item}: {reason}", item=item_title(session, kind, item_id), reason=str(exc))) from exc
    return len(items)


def item_title(session: Session, kind: str, item_id: str) -> str:
    """How a travel plan or a report is named in messages: what, whose, when."""
    if kind == TRAVEL.name:
        plan = session.get(TravelPlan, item_id)
        return tr("แผนการเดินทางเดือน{month} ของ{officer}", month=format_date(plan.month, "month", thai_digits=False),
                  officer=plan.officer.full_name)
    visit = session.get(Visit, item_id)
    return tr("รายงานการเยี่ยม{name} ของ{officer}", name=visit.institution.name, officer=visit.officer.full_name)


def return_item(session: Session, user: User, kind: str, item_id: str, *, comment: str) -> None:
    """Return a travel plan or a report to its officer with a comment (required)."""
    {TRAVEL.name: return_travel_plan, REPORT.name: return_report}[kind](session, user, item_id, comment=comment)
