"""Action plans: create, edit (as a whole document), check, submit/approve/return, revise,
record actuals and compare them with the plan.

The editor and the importers hand over a whole PlanDocument; `save_document` writes it in the
caller's transaction, matching activity rows by key (the row's lineage id, stable across
revisions), so an edit bumps only the rows that changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import LockedError, NotFound, ValidationError
from app.i18n import _, tr
from app.models import ApprovalEvent, Plan, PlanActivityRow, PlanActual, PlanMonth, User, WorkGroup, tombstone
from app.models.base import new_id
from app.models.types import utcnow
from app.paths import data_dir
from app.rules import approval
from app.rules.permissions import Action, Target
from app.rules.plan import MONTHS, Finding, MonthCell, PlanActivity, PlanSheet, StatedCell, content_fingerprint, validate
from app.rules.plan.document import Approval, BudgetLine, KpiLine, Person, PlanDocument, PlanHeader, TargetLine
from app.services import audit
from app.services.context import actor_of, authorize, check_same_office, get_live
from app.thai import to_thai_digits

WORKFLOW = approval.ACTION_PLAN


@dataclass(frozen=True)
class PlanSummary:
    id: str
    group_id: str
    group_name: str
    fiscal_year: int
    revision: int
    revision_label: str
    state: str
    title: str
    owner_name: str
    budget_total: Decimal | None
    updated_at: datetime
    is_latest: bool


def target_of(plan: Plan) -> Target:
    return Target(officer_id=plan.owner_id, group_id=plan.group_id)


# -- reading -------------------------------------------------------------------------------

def list_plans(session: Session, user: User, *, fiscal_year: int | None = None) -> list[PlanSummary]:
    authorize(session, user, Action.PLAN_VIEW)
    q = select(Plan).where(Plan.deleted_at.is_(None)).order_by(Plan.fiscal_year.desc(), Plan.group_id, Plan.revision)
    if fiscal_year is not None:
        q = q.where(Plan.fiscal_year == fiscal_year)
    plans = list(session.scalars(q))
    latest: dict[tuple[str, int], int] = {}
    for p in plans:
        latest[(p.group_id, p.fiscal_year)] = max(latest.get((p.group_id, p.fiscal_year), 0), p.revision)
    return [
        PlanSummary(p.id, p.group_id, p.group.name, p.fiscal_year, p.revision, p.revision_label, p.state,
                    p.title, p.owner.full_name, p.budget_total, p.updated_at,
                    latest[(p.group_id, p.fiscal_year)] == p.revision)
        for p in plans
    ]


def get_plan(session: Session, user: User, plan_id: str) -> Plan:
    authorize(session, user, Action.PLAN_VIEW)
    return get_live(session, Plan, plan_id, _("ไม่พบแผนปฏิบัติงานที่ต้องการ"))


def latest_plan(session: Session, user: User, group_id: str, fiscal_year: int) -> Plan | None:
    authorize(session, user, Action.PLAN_VIEW)
    q = (select(Plan).where(Plan.group_id == group_id, Plan.fiscal_year == fiscal_year, Plan.deleted_at.is_(None))
         .order_by(Plan.revision.desc()).limit(1))
    return session.scalar(q)


def _person(d: dict | None) -> Person:
    d = d or {}
    return Person(d.get("name", ""), d.get("position", ""))


def _person_json(p: Person) -> dict:
    return {"name": p.name, "position": p.position}


def _money(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _money_json(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def document_of(session: Session, user: User, plan_id: str) -> PlanDocument:
    """The stored plan as the rules, the exporters and the editor see it."""
    return _document(get_plan(session, user, plan_id))


def _document(plan: Plan) -> PlanDocument:
    sig = plan.signatories or {}
    header = PlanHeader(
        office_name=plan.office.name, unit_name=plan.unit_name, project=plan.project, program=plan.program,
        output=plan.output, main_activity=plan.main_activity, sub_activity=plan.sub_activity,
        objective=plan.objective, responsible=_person(plan.responsible),
        practitioners=tuple(_person(p) for p in plan.practitioners),
        targets=tuple(TargetLine(t["label"], t.get("quantity"), t.get("unit", "")) for t in plan.targets),
        budget_lines=tuple(BudgetLine(b["category"], _money(b.get("amount"))) for b in plan.budget_lines),
        kpis=tuple(KpiLine(k["indicator"], k.get("target", "")) for k in plan.kpis),
        proposer=_person(sig.get("proposer")), lead=_person(sig.get("lead")), approver=_person(sig.get("approver")),
    )
    activities = tuple(
        PlanActivity(
            key=row.lineage, title=row.title, number=row.number, is_heading=row.is_heading, level=row.level,
            target_quantity=row.target_quantity, unit=row.unit, stated_total_work=row.stated_total_work,
            stated_total_baht=row.stated_total_baht, responsible=row.responsible,
            months=tuple(MonthCell(m.work, m.baht) for m in row.months),
        )
        for row in plan.activities
    )
    stated_months = None
    if plan.stated_month_totals is not None:
        stated_months = tuple(StatedCell(c.get("work"), _money(c.get("baht"))) for c in plan.stated_month_totals)
    stated_total = None
    if plan.stated_total is not None:
        stated_total = StatedCell(plan.stated_total.get("work"), _money(plan.stated_total.get("baht")))
    sheet = PlanSheet(activities=activities, budget_total=plan.budget_total, stated_month_totals=stated_months,
                      stated_total=stated_total, title=plan.title, fiscal_year=plan.fiscal_year)
    stamp = None
    if plan.state == approval.State.APPROVED and plan.approved_at is not None:
        who = plan.approver_user
        stamp = Approval(Person(who.full_name, who.position), plan.approved_at, (plan.approved_hash or "")[:12])
    return PlanDocument(header, sheet, plan.revision, plan.revision_label, plan.state, stamp)


def findings_of(session: Session, user: User, plan_id: str) -> list[Finding]:
    return validate(document_of(session, user, plan_id).sheet)


def fingerprint_of(session: Session, user: User, plan_id: str) -> str:
    return content_fingerprint(document_of(session, user, plan_id).sheet)


def history(session: Session, user: User, plan_id: str) -> list[ApprovalEvent]:
    get_plan(session, user, plan_id)
    q = (select(ApprovalEvent).where(ApprovalEvent.item_id == plan_id, ApprovalEvent.workflow == WORKFLOW.name)
         .order_by(ApprovalEvent.at, ApprovalEvent.change_seq))
    return list(session.scalars(q))


# -- writing -------------------------------------------------------------------------------

def _editable(session: Session, user: User, plan: Plan) -> None:
    authorize(session, user, Action.PLAN_EDIT, target_of(plan))
    if approval.is_locked(plan.state):
        if plan.state == approval.State.APPROVED:
            raise LockedError(_("แผนฉบับนี้อนุมัติแล้วจึงแก้ไขไม่ได้ ให้ใช้ \"ปรับแผน\" เพื่อจัดทำฉบับปรับปรุง"))
        raise LockedError(_("แผนฉบับนี้อยู่ระหว่างรออนุมัติจึงแก้ไขไม่ได้ ให้ถอนเรื่องกลับก่อนแก้ไข"))


def create_plan(session: Session, user: User, *, group_id: str, fiscal_year: int,
                document: PlanDocument | None = None, revision_label: str = "") -> Plan:
    """A new plan (revision 1) for a group and fiscal year, empty or from a document
    (a template, last year's plan, or an imported sheet)."""
    group = get_live(session, WorkGroup, group_id, _("ไม่พบกลุ่มงานของแผน"))
    authorize(session, user, Action.PLAN_EDIT, Target(officer_id=user.id, group_id=group_id))
    if not 2500 <= fiscal_year <= 2700:  # a CE year (2024) would make a plan for the 1400s
        raise ValidationError(tr("ปีงบประมาณ {fy} ต้องเป็นปี พ.ศ. เช่น 2568", fy=fiscal_year), field="fiscal_year")
    if latest_plan(session, user, group_id, fiscal_year) is not None:
        raise ValidationError(tr("{group} มีแผนปฏิบัติงานปีงบประมาณ {fy} อยู่แล้ว ให้เปิดแผนเดิมหรือปรับแผน",
                                 group=group.name, fy=fiscal_year), field="fiscal_year")
    plan = Plan(office_id=group.office_id, group_id=group_id, fiscal_year=fiscal_year, revision=1,
                revision_label=revision_label, owner_id=user.id, state=approval.State.DRAFT, unit_name=group.name)
    session.add(plan)
    session.flush()
    doc = document or PlanDocument(PlanHeader(unit_name=group.name), PlanSheet(fiscal_year=fiscal_year))
    _write(session, plan, doc)
    audit.record(session, user, "plan.create", "plan", plan.id, after=_audit_view(plan))
    return plan


def save_document(session: Session, user: User, plan_id: str, doc: PlanDocument) -> Plan:
    """Store an edited plan. Findings do not stop saving; locked plans refuse."""
    plan = get_plan(session, user, plan_id)
    _editable(session, user, plan)
    before = _audit_view(plan)
    _write(session, plan, doc)
    effect = approval.after_edit(plan.state, WORKFLOW)
    if plan.state != effect.state:
        plan.state = effect.state
    session.flush()
    after = _audit_view(plan)
    if before != after:
        audit.record(session, user, "plan.save", "plan", plan.id, before, after)
    return plan


def _audit_view(plan: Plan) -> dict:
    """What the audit log keeps of a plan: its state and a fingerprint of its content."""
    return {"state": plan.state, "revision": plan.revision, "fingerprint": content_fingerprint(_document(plan).sheet)}


def _write(session: Session, plan: Plan, doc: PlanDocument) -> None:
    h, sheet = doc.header, doc.sheet
    plan.title = sheet.title
    plan.revision_label = doc.revision_label or plan.revision_label
    for attr in ("project", "program", "output", "main_activity", "sub_activity", "objective"):
        setattr(plan, attr, getattr(h, attr))
    plan.unit_name = h.unit_name or plan.unit_name
    plan.budget_total = sheet.budget_total
    _set_json(plan, "responsible", _person_json(h.responsible))
    _set_json(plan, "practitioners", [_person_json(p) for p in h.practitioners])
    _set_json(plan, "targets", [{"label": t.label, "quantity": t.quantity, "unit": t.unit} for t in h.targets])
    _set_json(plan, "budget_lines", [{"category": b.category, "amount": _money_json(b.amount)} for b in h.budget_lines])
    _set_json(plan, "kpis", [{"indicator": k.indicator, "target": k.target} for k in h.kpis])
    _set_json(plan, "signatories", {"proposer": _person_json(h.proposer), "lead": _person_json(h.lead),
                                    "approver": _person_json(h.approver)})
    _set_json(plan, "stated_month_totals", None if sheet.stated_month_totals is None else
              [{"work": c.work, "baht": _money_json(c.baht)} for c in sheet.stated_month_totals])
    _set_json(plan, "stated_total", None if sheet.stated_total is None else
              {"work": sheet.stated_total.work, "baht": _money_json(sheet.stated_total.baht)})
    _write_activities(session, plan, sheet.activities)


def _set_json(obj, attr: str, value) -> None:
    # JSON columns compare by value so that re-saving the same content changes nothing.
    if json.dumps(getattr(obj, attr), sort_keys=True) != json.dumps(value, sort_keys=True):
        setattr(obj, attr, value)


def _write_activities(session: Session, plan: Plan, activities: tuple[PlanActivity, ...]) -> None:
    existing = {row.lineage: row for row in plan.activities}
    for position, a in enumerate(activities):
        values = {"position": position, "number": a.number, "title": a.title, "is_heading": a.is_heading,
                  "level": a.level, "target_quantity": a.target_quantity, "unit": a.unit,
                  "responsible": a.responsible, "stated_total_work": a.stated_total_work,
                  "stated_total_baht": a.stated_total_baht}
        row = existing.pop(a.key, None)
        if row is None:
            # Keys from the editor or an importer may be anything unique; rows get a UUID lineage.
            row = PlanActivityRow(plan_id=plan.id, lineage=a.key if _is_uuid(a.key) else new_id(), **values)
            session.add(row)
            session.flush()
            session.add_all(PlanMonth(activity_id=row.id, month=m, work=c.work, baht=c.baht)
                            for m, c in enumerate(a.months))
            continue
        for attr, value in values.items():
            if getattr(row, attr) != value:
                setattr(row, attr, value)
        for cell, month_row in zip(a.months, row.months, strict=True):
            if month_row.work != cell.work:
                month_row.work = cell.work
            if month_row.baht != cell.baht:
                month_row.baht = cell.baht
    for row in existing.values():
        tombstone(row)
        for month_row in row.months:
            tombstone(month_row)
    session.flush()
    session.expire(plan, ["activities"])


def _is_uuid(text: str) -> bool:
    return len(text) == 36 and text.count("-") == 4


# -- the approval workflow -----------------------------------------------------------------

def _record(session: Session, plan: Plan, rec: approval.ApprovalRecord) -> None:
    ack = rec.acknowledgement
    session.add(ApprovalEvent(
        workflow=WORKFLOW.name, item_id=plan.id, step=rec.step, from_state=rec.from_state, to_state=rec.to_state,
        actor_id=rec.actor_id, at=rec.at, content_hash=rec.content_hash, comment=rec.comment,
        acknowledgement=None if ack is None else {
            "actor_id": ack.actor_id, "at": ack.at.isoformat(), "content_hash": ack.content_hash,
            "finding_count": ack.finding_count, "kinds": list(ack.kinds)},
    ))
    plan.state = rec.to_state


def _step(session: Session, user: User, plan: Plan, step: approval.Step) -> str:
    """Check who may take the step and return the hash of the plan's content now."""
    authorize(session, user, Action.PLAN_VIEW)
    check_same_office(session, user, plan.group_id)
    approval.check_actor(actor_of(user), step, WORKFLOW, owner_id=plan.owner_id, owner_group_id=plan.group_id)
    return content_fingerprint(_document(plan).sheet)


def submit_plan(session: Session, user: User, plan_id: str, *, acknowledge_findings: bool = False) -> Plan:
    """Send for approval. A plan with findings needs the submitter's explicit acknowledgement."""
    plan = get_plan(session, user, plan_id)
    digest = _step(session, user, plan, approval.Step.SUBMIT)
    findings = validate(_document(plan).sheet)
    now = utcnow()
    ack = approval.acknowledge(findings, actor_id=user.id, at=now, content_hash=digest) \
        if acknowledge_findings and findings else None
    rec = approval.submit(plan.state, actor_id=user.id, at=now, content_hash=digest, findings=findings,
                          acknowledgement=ack)
    _record(session, plan, rec)
    audit.record(session, user, "plan.submit", "plan", plan.id, after={"hash": digest, "findings": len(findings)})
    return plan


def approve_plan(session: Session, user: User, plan_id: str, *, reviewed_hash: str) -> Plan:
    """Approve what the approver saw (its fingerprint); an edit meanwhile refuses."""
    plan = get_plan(session, user, plan_id)
    digest = _step(session, user, plan, approval.Step.APPROVE)
    now = utcnow()
    rec = approval.approve(plan.state, actor_id=user.id, at=now, reviewed_hash=reviewed_hash, current_hash=digest)
    _record(session, plan, rec)
    plan.approved_by, plan.approved_at, plan.approved_hash = user.id, now, digest
    audit.record(session, user, "plan.approve", "plan", plan.id, after={"hash": digest})
    return plan


def return_plan(session: Session, user: User, plan_id: str, *, comment: str) -> Plan:
    plan = get_plan(session, user, plan_id)
    digest = _step(session, user, plan, approval.Step.RETURN)
    rec = approval.return_to_owner(plan.state, actor_id=user.id, at=utcnow(), content_hash=digest, comment=comment)
    _record(session, plan, rec)
    audit.record(session, user, "plan.return", "plan", plan.id, after={"comment": rec.comment})
    return plan


def withdraw_plan(session: Session, user: User, plan_id: str) -> Plan:
    plan = get_plan(session, user, plan_id)
    digest = _step(session, user, plan, approval.Step.WITHDRAW)
    _record(session, plan, approval.withdraw(plan.state, actor_id=user.id, at=utcnow(), content_hash=digest))
    audit.record(session, user, "plan.withdraw", "plan", plan.id)
    return plan


def reopen_plan(session: Session, user: User, plan_id: str) -> Plan:
    """A returned plan back to draft, to be corrected and submitted again (the owner)."""
    plan = get_plan(session, user, plan_id)
    digest = _step(session, user, plan, approval.Step.REOPEN)
    _record(session, plan, approval.reopen(plan.state, actor_id=user.id, at=utcnow(), content_hash=digest))
    audit.record(session, user, "plan.reopen", "plan", plan.id)
    return plan


def revise_plan(session: Session, user: User, plan_id: str, *, revision_label: str = "") -> Plan:
    """A new draft revision copied from an approved plan; the approved one stays as it was."""
    plan = get_plan(session, user, plan_id)
    authorize(session, user, Action.PLAN_EDIT, target_of(plan))
    if plan.state != approval.State.APPROVED:
        raise ValidationError(_("ปรับแผนได้เฉพาะแผนที่อนุมัติแล้ว แผนที่ยังไม่อนุมัติให้แก้ไขได้โดยตรง"))
    newest = latest_plan(session, user, plan.group_id, plan.fiscal_year)
    if newest is not None and newest.id != plan.id:
        raise ValidationError(tr("มีแผนฉบับปรับปรุงที่ {n} อยู่แล้ว ให้แก้ไขฉบับนั้น", n=newest.revision))
    doc = _document(plan)
    new = Plan(office_id=plan.office_id, group_id=plan.group_id, fiscal_year=plan.fiscal_year,
               revision=plan.revision + 1, revision_label=revision_label, previous_id=plan.id,
               owner_id=user.id, state=approval.State.DRAFT, unit_name=plan.unit_name)
    session.add(new)
    session.flush()
    _write(session, new, replace(doc, revision_label=revision_label))
    audit.record(session, user, "plan.revise", "plan", new.id, after={"from": plan.id, "revision": new.revision})
    return new


# -- actuals and progress ------------------------------------------------------------------

def save_actual(session: Session, user: User, plan_id: str, key: str, month: int, *,
                work_done: int, baht_disbursed: Decimal, note: str = "") -> PlanActual:
    """Work done and money disbursed by hand for one activity in one month (0 = ต.ค.)."""
    plan = get_plan(session, user, plan_id)
    authorize(session, user, Action.PLAN_ACTUALS, target_of(plan))
    if not 0 <= month < MONTHS:
        raise ValidationError(_("เดือนต้องอยู่ในปีงบประมาณ (ต.ค. ถึง ก.ย.)"), field="month")
    if isinstance(baht_disbursed, float) or isinstance(work_done, float):
        raise ValidationError(_("จำนวนเงินต้องเป็นทศนิยมแบบตรงตัว (Decimal) ไม่ใช่ float"), field="baht_disbursed")
    if work_done < 0 or baht_disbursed < 0:
        raise ValidationError(_("ผลการปฏิบัติงานและการเบิกจ่ายต้องไม่ติดลบ"), field="work_done")
    if key not in {a.lineage for a in plan.activities}:
        raise NotFound(_("ไม่พบกิจกรรมนี้ในแผน"))
    row = session.scalar(select(PlanActual).where(
        PlanActual.group_id == plan.group_id, PlanActual.fiscal_year == plan.fiscal_year,
        PlanActual.lineage == key, PlanActual.month == month))
    before = None if row is None else audit.snapshot(row)
    if row is None:
        row = PlanActual(group_id=plan.group_id, fiscal_year=plan.fiscal_year, lineage=key, month=month)
        session.add(row)
    row.deleted_at = None
    row.work_done, row.baht_disbursed, row.note = work_done, Decimal(baht_disbursed), note.strip()
    session.flush()
    audit.record(session, user, "plan.actual", "plan_actual", row.id, before, audit.snapshot(row))
    return row


@dataclass(frozen=True)
class ActivityProgress:
    key: str
    number: str
    title: str
    is_heading: bool
    planned: tuple[MonthCell, ...]
    actual: tuple[MonthCell, ...]  # work: recorded by hand plus approved visit reports
    visits: tuple[int, ...] = (0,) * MONTHS  # approved visit reports counted in `actual`


@dataclass(frozen=True)
class PlanProgress:
    activities: tuple[ActivityProgress, ...]
    planned_baht_cumulative: tuple[Decimal, ...]  # the S-curve, ต.ค. → ก.ย.
    disbursed_baht_cumulative: tuple[Decimal, ...]


def progress(session: Session, user: User, plan_id: str) -> PlanProgress:
    """Planned against actual per activity and month. Actual work is what was recorded by
    hand plus the approved CPS visit reports counted toward the activity (issue 4)."""
    from app.services.visit_views import approved_visit_counts

    plan = get_plan(session, user, plan_id)
    actual_rows = session.scalars(select(PlanActual).where(
        PlanActual.group_id == plan.group_id, PlanActual.fiscal_year == plan.fiscal_year,
        PlanActual.deleted_at.is_(None)))
    actuals: dict[str, list[MonthCell]] = {}
    for r in actual_rows:
        cells = actuals.setdefault(r.lineage, [MonthCell()] * MONTHS)
        cells[r.month] = MonthCell(r.work_done, r.baht_disbursed)
    visits = approved_visit_counts(session, plan.group_id, plan.fiscal_year)
    items = tuple(
        ActivityProgress(row.lineage, row.number, row.title, row.is_heading,
                         tuple(MonthCell(m.work, m.baht) for m in row.months),
                         _with_visits(actuals.get(row.lineage, [MonthCell()] * MONTHS), visits.get(row.lineage)),
                         tuple(visits.get(row.lineage, (0,) * MONTHS)))
        for row in plan.activities
    )
    planned, disbursed = _cumulative(i.planned for i in items), _cumulative(i.actual for i in items)
    return PlanProgress(items, planned, disbursed)


def _with_visits(cells: list[MonthCell], visits: list[int] | None) -> tuple[MonthCell, ...]:
    if not visits:
        return tuple(cells)
    return tuple(MonthCell(c.work + n, c.baht) for c, n in zip(cells, visits, strict=True))


def _cumulative(rows) -> tuple[Decimal, ...]:
    per_month = [Decimal(0)] * MONTHS
    for cells in rows:
        for i, c in enumerate(cells):
            per_month[i] += c.baht
    out, running = [], Decimal(0)
    for amount in per_month:
        running += amount
        out.append(running)
    return tuple(out)


# -- templates -----------------------------------------------------------------------------

def template_document(fiscal_year: int, unit_name: str = "") -> PlanDocument:
    """A new plan shaped like the official sheet (seed 004), from data/plans/template.json."""
    raw = json.loads((data_dir() / "plans" / "template.json").read_text(encoding="utf-8"))
    header = PlanHeader(
        unit_name=unit_name, project=raw["project"], program=raw["program"], output=raw["output"],
        main_activity=raw["main_activity"], sub_activity=raw["sub_activity"], objective=raw["objective"],
        targets=tuple(TargetLine(t["label"], t.get("quantity"), t.get("unit", "")) for t in raw["targets"]),
        budget_lines=tuple(BudgetLine(b) for b in raw["budget_categories"]),
        kpis=tuple(KpiLine(k["indicator"], k.get("target", "")) for k in raw["kpis"]),
    )
    activities = tuple(
        PlanActivity(key=new_id(), number=a.get("number", ""), title=a["title"], is_heading=a.get("heading", False),
                     unit=a.get("unit", ""))
        for a in raw["activities"]
    )
    title = raw["title"].format(fy=fiscal_year)
    return PlanDocument(header, PlanSheet(activities=activities, title=title, fiscal_year=fiscal_year))


def copy_for_year(doc: PlanDocument, fiscal_year: int) -> PlanDocument:
    """Last year's plan as the start of this year's: same rows and figures, new keys."""
    activities = tuple(replace(a, key=new_id()) for a in doc.sheet.activities)
    title = doc.sheet.title
    if doc.sheet.fiscal_year:
        for convert in (str, to_thai_digits):
            title = title.replace(convert(doc.sheet.fiscal_year), convert(fiscal_year))
    sheet = replace(doc.sheet, activities=activities, fiscal_year=fiscal_year, title=title,
                    stated_month_totals=None, stated_total=None)
    return PlanDocument(doc.header, sheet)


def resolve_group(session: Session, user: User, unit: str | None) -> WorkGroup:
    """The work group a command means: by name, by its number ("1", "๑"), else the user's own."""
    from app.rules.registry import squeeze
    from app.services.users import list_groups
    from app.thai import to_arabic_digits

    groups = list_groups(session)
    if not unit:
        if user.group_id is not None:
            return session.get(WorkGroup, user.group_id)
        raise ValidationError(_("ต้องระบุกลุ่มงานด้วย --unit เพราะบัญชีของคุณไม่ได้สังกัดกลุ่ม"), field="unit")
    wanted = to_arabic_digits(squeeze(unit))
    for g in groups:
        name = to_arabic_digits(g.name)
        if wanted == name or (wanted.isdigit() and name.split()[-1] == wanted and "ส่งเสริมสหกรณ์" in name):
            return g
    raise ValidationError(tr("ไม่พบกลุ่มงาน \"{unit}\" (มี: {names})", unit=unit, names=", ".join(g.name for g in groups)),
                          field="unit")


def plan_for(session: Session, user: User, fiscal_year: int, unit: str | None, revision: int | None = None) -> Plan:
    """A group's plan for a fiscal year — the given revision, else the latest — or NotFound."""
    group = resolve_group(session, user, unit)
    if revision is None:
        plan = latest_plan(session, user, group.id, fiscal_year)
    else:
        plan = session.scalar(select(Plan).where(Plan.group_id == group.id, Plan.fiscal_year == fiscal_year,
                                                 Plan.revision == revision, Plan.deleted_at.is_(None)))
    if plan is None:
        which = "" if revision is None else tr(" ฉบับที่ {n}", n=revision)
        raise NotFound(tr("{group} ยังไม่มีแผนปฏิบัติงานปีงบประมาณ {fy}{which}", group=group.name, fy=fiscal_year,
                          which=which))
    return plan
