"""What the CPS screens, the approval inbox and the monthly report read: plain frozen rows
built with Core queries (the month view is opened often over years of history, so it
does not load ORM objects it would only copy)."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, Select, and_, bindparam, func, select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.i18n import _, language, tr
from app.models import (
    ApprovalEvent,
    FollowUpItem,
    Institution,
    InstitutionYear,
    Plan,
    PlanActivityRow,
    PlanMonth,
    TravelPlan,
    User,
    Visit,
    WorkGroup,
)
from app.rules import approval
from app.rules import visits as rules
from app.rules.visits import month_bounds
from app.rules.permissions import Action, Scope, Target, allowed, scope_for
from app.services import visits as svc
from app.services.context import actor_of, authorize, get_live, same_office
from app.thai import (
    default_calendar,
    fiscal_months,
    fiscal_year,
    format_date,
    thai_sort_key,
)

NEIGHBOUR_DAYS = timedelta(days=7)
# Activities a visit can count toward are the plan's leaf rows counted in places visited.
VISIT_UNITS = ("แห่ง",)


# -- rows ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VisitRow:
    id: str
    travel_plan_id: str
    institution_id: str
    institution_name: str
    officer_id: str
    officer_name: str
    group_id: str | None
    planned_date: date
    planned_time: str | None
    duration_min: int
    method: str
    purpose: str
    activity_lineage: str | None
    co_officer_ids: tuple[str, ...]
    status: str
    actual_date: date | None
    report_state: str
    findings: str = ""
    advice: str = ""
    response: str = ""
    next_step: str = ""
    cancel_reason: str = ""
    attendees: tuple[int | None, int | None, int | None] = (None, None, None)  # committee, staff, members

    @property
    def day(self) -> date:
        return self.actual_date or self.planned_date

    @property
    def method_label(self) -> str:
        return _(rules.METHODS.get(self.method, self.method))

    def as_planned(self) -> rules.PlannedVisit:
        return rules.PlannedVisit(self.id, self.institution_id, self.officer_id, self.planned_date, self.planned_time,
                                  self.duration_min, self.method, self.activity_lineage, self.co_officer_ids,
                                  self.purpose)


@dataclass(frozen=True)
class InstitutionRow:
    id: str
    name: str
    kind: str
    status: str
    last_visit: date | None
    open_followups: int
    planned_this_month: int


@dataclass(frozen=True)
class ActivityChoice:
    lineage: str
    number: str
    title: str
    unit: str
    month_work: int  # the plan's units for the month (0 if none)

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass(frozen=True)
class MonthView:
    officer_id: str
    officer_name: str
    month: date
    travel_plan_id: str | None
    travel_state: str  # "draft" when there is no plan yet
    returned_comment: str
    visits: tuple[VisitRow, ...]
    institutions: tuple[InstitutionRow, ...]
    holidays: dict[date, str]
    conflicts: tuple[rules.Conflict, ...]
    activities: tuple[ActivityChoice, ...]
    can_edit: bool
    # Visits on the days of the neighbouring months that a calendar grid or a week shows
    # (up to NEIGHBOUR_DAYS either side): shown, not part of this month's plan.
    neighbours: tuple[VisitRow, ...] = ()


def _visit_columns():
    return (Visit.id, Visit.travel_plan_id, Visit.institution_id, Institution.name, Visit.officer_id, User.full_name,
            Visit.group_id, Visit.planned_date, Visit.planned_time, Visit.duration_min, Visit.method, Visit.purpose,
            Visit.activity_lineage, Visit.co_officer_ids, Visit.status, Visit.actual_date, Visit.report_state,
            Visit.findings, Visit.advice, Visit.response, Visit.next_step, Visit.cancel_reason,
            Visit.attendees_committee, Visit.attendees_staff, Visit.attendees_members)


def _visit_query():
    return (select(*_visit_columns()).join(Institution, Institution.id == Visit.institution_id)
            .join(User, User.id == Visit.officer_id).where(Visit.deleted_at.is_(None)))


def _row(r) -> VisitRow:
    return VisitRow(*r[:13], tuple(r[13] or ()), *r[14:22], attendees=(r[22], r[23], r[24]))


def _sorted(rows) -> list[VisitRow]:
    return sorted((_row(r) for r in rows), key=lambda v: (v.planned_date, v.planned_time or "", v.id))


# -- the month view --------------------------------------------------------------------------
# The month view is opened on every page turn over years of history (bench/month_view.py).
# Its statements are built once with bound parameters: building a select and computing
# its cache key cost several times more than running it. They run on the session's
# connection (plain columns: the ORM layer would only add time), and the institution list
# uses correlated subqueries that each read a few index entries instead of grouping every
# visit of the officer's institutions.

def _connection(session: Session) -> Connection:
    """The session's connection for column-only selects, after the flush that
    session.execute would do, so pending changes are seen as they would be."""
    if session.autoflush:
        session.flush()
    return session.connection()


@dataclass(frozen=True)
class _MonthStatements:
    officer: Select  # with the month's travel plan, if any
    visits: Select
    activities: Select
    group_planned: Select
    institutions: Select


@functools.cache
def _month_statements() -> _MonthStatements:
    officer, first, last = bindparam("officer"), bindparam("first"), bindparam("last")
    # The group's plan for the fiscal year: the newest approved revision, else the newest.
    plan = (select(Plan.id).where(Plan.group_id == bindparam("group"), Plan.fiscal_year == bindparam("fy"),
                                  Plan.deleted_at.is_(None))
            .order_by(Plan.state != approval.State.APPROVED, Plan.revision.desc()).limit(1).scalar_subquery())
    # The latest done visit: ix_visit_institution_day read backwards, stopping at the first.
    last_visit = (select(Visit.actual_date)
                  .where(Visit.institution_id == Institution.id, Visit.status == svc.DONE,
                         Visit.deleted_at.is_(None), Visit.actual_date.is_not(None))
                  .order_by(Visit.actual_date.desc()).limit(1).scalar_subquery())
    open_items = (select(func.count()).select_from(FollowUpItem)
                  .where(FollowUpItem.institution_id == Institution.id, FollowUpItem.status == rules.OPEN,
                         FollowUpItem.deleted_at.is_(None)).scalar_subquery())
    planned = (select(func.count()).select_from(Visit)
               .where(Visit.institution_id == Institution.id, Visit.officer_id == officer,
                      Visit.planned_date.between(first, last), Visit.deleted_at.is_(None)).scalar_subquery())
    return _MonthStatements(
        officer=select(User.id, User.full_name, User.group_id, TravelPlan.id, TravelPlan.state)
        .outerjoin(TravelPlan, and_(TravelPlan.officer_id == User.id, TravelPlan.month == first,
                                    TravelPlan.deleted_at.is_(None)))
        .where(User.id == officer, User.deleted_at.is_(None)),
        visits=_visit_query().where(Visit.planned_date.between(first, last), Visit.officer_id == officer),
        activities=(
            select(PlanActivityRow.lineage, PlanActivityRow.number, PlanActivityRow.title, PlanActivityRow.unit,
                   func.coalesce(PlanMonth.work, 0))
            .outerjoin(PlanMonth, and_(PlanMonth.activity_id == PlanActivityRow.id,
                                       PlanMonth.month == bindparam("index"), PlanMonth.deleted_at.is_(None)))
            .where(PlanActivityRow.plan_id == plan, PlanActivityRow.deleted_at.is_(None),
                   PlanActivityRow.is_heading.is_(False), PlanActivityRow.unit != "")
            .order_by(PlanActivityRow.position)),
        group_planned=select(Visit.id, Visit.institution_id, Visit.officer_id, Visit.planned_date,
                             Visit.activity_lineage, Visit.method).where(
            Visit.group_id == bindparam("group"), Visit.planned_date.between(first, last),
            Visit.deleted_at.is_(None), Visit.status != svc.CANCELLED, Visit.activity_lineage.is_not(None)),
        institutions=select(Institution.id, Institution.name, Institution.kind, Institution.status, last_visit,
                            open_items, planned).where(
            Institution.officer_id == officer, Institution.deleted_at.is_(None)),
    )


def month_view(session: Session, user: User, officer_id: str, month: date) -> MonthView:
    """Everything the officer's month calendar shows, in a handful of indexed queries."""
    q = _month_statements()
    conn = _connection(session)
    first, last = month_bounds(month)
    params = {"officer": officer_id, "first": first, "last": last}
    officer = conn.execute(q.officer, params).first()
    if officer is None:
        raise NotFound(_("ไม่พบเจ้าหน้าที่ที่ต้องการ"))
    officer_id, officer_name, group_id, plan_id, plan_state = officer
    target = Target(officer_id=officer_id, group_id=group_id)
    actor = authorize(session, user, Action.VISIT_VIEW, target)
    around = {**params, "first": first - NEIGHBOUR_DAYS, "last": last + NEIGHBOUR_DAYS}
    shown = _sorted(conn.execute(q.visits, around).all())  # .all(): one fetch, not one per row
    visits = [v for v in shown if first <= v.planned_date <= last]
    activities = _activity_choices(conn, group_id, first)
    targets = [rules.ActivityTarget(a.lineage, a.label, a.month_work, first)
               for a in activities if a.unit in VISIT_UNITS and a.month_work > 0]
    cal = default_calendar()
    holidays = dict(cal.holidays_between(first, last))
    found = rules.conflicts([v.as_planned() for v in visits if v.status != svc.CANCELLED], holidays=cal)
    if targets:  # the plan's units are the group's: count the whole group's visits
        group_visits = _group_month_planned(session, group_id, first, last)
        found += [c for c in rules.conflicts(group_visits, holidays=(), activity_targets=targets)
                  if c.kind == rules.OVER_TARGET]
    returned = plan_state == approval.State.RETURNED
    return MonthView(
        officer_id=officer_id, officer_name=officer_name, month=first,
        travel_plan_id=plan_id, travel_state=plan_state or approval.State.DRAFT,
        returned_comment=svc.last_comment(session, plan_id) if returned else "",
        visits=tuple(visits), institutions=tuple(_institution_rows(conn, params)),
        holidays=holidays, conflicts=tuple(found), activities=tuple(activities),
        can_edit=allowed(actor, Action.VISIT_EDIT, target),
        neighbours=tuple(v for v in shown if not first <= v.planned_date <= last),
    )


def _group_month_planned(session: Session, group_id: str | None, first: date, last: date) -> list[rules.PlannedVisit]:
    if group_id is None:
        return []
    rows = _connection(session).execute(_month_statements().group_planned,
                                        {"group": group_id, "first": first, "last": last}).all()
    return [rules.PlannedVisit(id=r[0], institution_id=r[1], officer_id=r[2], day=r[3], activity_key=r[4],
                               method=r[5]) for r in rows]


# The same few hundred names are sorted on every page turn; their keys cost more than the query.
_name_key = functools.lru_cache(maxsize=8192)(thai_sort_key)


def officer_institutions(session: Session, officer_id: str, first: date, last: date) -> list[InstitutionRow]:
    """The officer's institutions with their last visit, open follow-ups and visits this month."""
    return _institution_rows(_connection(session), {"officer": officer_id, "first": first, "last": last})


def _institution_rows(conn: Connection, params: dict) -> list[InstitutionRow]:
    rows = conn.execute(_month_statements().institutions, params).all()
    return sorted((InstitutionRow(*r) for r in rows), key=lambda i: _name_key(i.name))


def activity_choices(session: Session, group_id: str | None, month: date) -> list[ActivityChoice]:
    """Leaf activities of the group's plan for the month's fiscal year (the approved
    revision if there is one, else the newest) with their units for that month."""
    if group_id is None:
        return []
    return _activity_choices(_connection(session), group_id, month)


def _activity_choices(conn: Connection, group_id: str | None, month: date) -> list[ActivityChoice]:
    if group_id is None:
        return []
    fy = fiscal_year(month)
    index = fiscal_months(fy).index(month.replace(day=1))
    rows = conn.execute(_month_statements().activities, {"group": group_id, "fy": fy, "index": index}).all()
    return [ActivityChoice(*r) for r in rows]


# -- suggestions -----------------------------------------------------------------------------

def suggestions(session: Session, user: User, officer_id: str, month: date, *, today: date | None = None,
                not_visited_days: int = 90) -> list[rules.Suggestion]:
    """This month's visits worth adding for the officer, ranked, with reasons."""
    view = month_view(session, user, officer_id, month)
    today = today or date.today()
    facts = institution_facts(session, [i.id for i in view.institutions], today)
    targets = [rules.ActivityTarget(a.lineage, a.label, a.month_work, view.month)
               for a in view.activities if a.unit in VISIT_UNITS and a.month_work > 0]
    first, last = month_bounds(view.month)
    group = _group_month_planned(session, view_group(session, officer_id), first, last)
    planned = [v.as_planned() for v in view.visits if v.status != svc.CANCELLED]
    counted = {v.id for v in planned}
    return rules.suggest_visits(facts, today=today, month=view.month,
                                visits_this_month=planned + [g for g in group if g.id not in counted],
                                activity_targets=targets, holidays=default_calendar(),
                                not_visited_days=not_visited_days, officer_id=officer_id)


def plan_for_suggestion(suggestion: rules.Suggestion, *, day: date | None = None, time: str | None = None,
                        method: str = "inspection") -> svc.VisitPlan:
    """The visit "one click" on a suggestion plans: its day, its reasons as the ประเด็น."""
    v = rules.schedule(suggestion, visit_id="-", officer_id="-", day=day, time=time, method=method)
    return svc.VisitPlan(v.institution_id, v.day, v.time, v.duration_min, v.method, v.purpose, v.activity_key)


def view_group(session: Session, officer_id: str) -> str | None:
    return session.scalar(select(User.group_id).where(User.id == officer_id))


def institution_facts(session: Session, ids: list[str], today: date) -> list[rules.InstitutionFacts]:
    if not ids:
        return []
    insts = session.execute(select(Institution.id, Institution.name, Institution.kind, Institution.status,
                                   Institution.acct_year_end_month, Institution.acct_year_end_day)
                            .where(Institution.id.in_(ids))).all()
    years: dict[str, list] = defaultdict(list)
    for r in session.execute(select(InstitutionYear.institution_id, InstitutionYear.fiscal_year,
                                    InstitutionYear.strength_class, InstitutionYear.standards_result,
                                    InstitutionYear.agm_date)
                             .where(InstitutionYear.institution_id.in_(ids), InstitutionYear.deleted_at.is_(None))
                             .order_by(InstitutionYear.fiscal_year)):
        years[r[0]].append(r)
    last_visits = dict(session.execute(
        select(Visit.institution_id, func.max(Visit.actual_date))
        .where(Visit.institution_id.in_(ids), Visit.status == svc.DONE, Visit.deleted_at.is_(None))
        .group_by(Visit.institution_id)).all())
    followups: dict[str, list[rules.FollowUpFact]] = defaultdict(list)
    for f in session.execute(select(FollowUpItem.institution_id, FollowUpItem.id, FollowUpItem.description,
                                    FollowUpItem.due_date)
                             .where(FollowUpItem.institution_id.in_(ids), FollowUpItem.status == rules.OPEN,
                                    FollowUpItem.deleted_at.is_(None))):
        followups[f[0]].append(rules.FollowUpFact(f[1], f[2], f[3]))
    out = []
    for i in insts:
        ys = years.get(i[0], [])
        strength = next((y[2] for y in reversed(ys) if y[2] is not None), None)
        standards = next((y[3] for y in reversed(ys) if y[3] is not None), None)
        agm = max((y[4] for y in ys if y[4] is not None), default=None)
        year_end = (i[4], i[5]) if i[4] and i[5] else None
        out.append(rules.InstitutionFacts(
            id=i[0], name=i[1], kind=i[2], status=i[3], strength_class=strength, standards_result=standards,
            acct_year_end=year_end, last_agm_date=agm, last_visit_date=last_visits.get(i[0]),
            open_followups=tuple(followups.get(i[0], ()))))
    return out


# -- an institution's recent history (beside the report form) ---------------------------------

@dataclass(frozen=True)
class YearLine:
    fiscal_year: int
    strength_class: int | None
    standards_result: str | None
    agm_date: date | None


@dataclass(frozen=True)
class InstitutionHistory:
    institution_id: str
    name: str
    recent_visits: tuple[VisitRow, ...]
    open_followups: tuple[rules.PrepItem, ...]
    years: tuple[YearLine, ...]


def institution_history(session: Session, user: User, institution_id: str, *, on: date | None = None,
                        exclude_visit_id: str | None = None, limit: int = 5) -> InstitutionHistory:
    inst = get_live(session, Institution, institution_id, _("ไม่พบสหกรณ์/กลุ่มเกษตรกรที่ต้องการ"))
    authorize(session, user, Action.REGISTRY_VIEW)
    actor = authorize(session, user, Action.VISIT_VIEW)
    q = (_visit_query().where(Visit.institution_id == institution_id, Visit.status == svc.DONE)
         .order_by(Visit.actual_date.desc()).limit(limit + 1))
    recent = [_row(r) for r in session.execute(_in_scope(q, actor, user)) if r[0] != exclude_visit_id][:limit]
    seen = set(session.scalars(_in_scope(select(Visit.id).where(Visit.institution_id == institution_id), actor, user)))
    items = [svc.rule_followup(f) for f in svc.open_followups(session, institution_id)
             if f.raised_in_visit_id != exclude_visit_id and f.raised_in_visit_id in seen]
    years = session.execute(select(InstitutionYear.fiscal_year, InstitutionYear.strength_class,
                                   InstitutionYear.standards_result, InstitutionYear.agm_date)
                            .where(InstitutionYear.institution_id == institution_id,
                                   InstitutionYear.deleted_at.is_(None))
                            .order_by(InstitutionYear.fiscal_year.desc()).limit(3))
    return InstitutionHistory(inst.id, inst.name, tuple(recent),
                              rules.carry_over(items, visit_day=on or date.today()),
                              tuple(YearLine(*y) for y in years))


# -- lists and the inbox ---------------------------------------------------------------------

def list_visits(session: Session, user: User, month: date, *, officer_id: str | None = None,
                group_id: str | None = None) -> list[VisitRow]:
    """Visits planned in the month that the user may see, optionally one officer's or group's."""
    actor = authorize(session, user, Action.VISIT_VIEW)
    first, last = month_bounds(month)
    q = _visit_query().where(Visit.planned_date.between(first, last))
    if officer_id:
        q = q.where(Visit.officer_id == officer_id)
    if group_id:
        q = q.where(Visit.group_id == group_id)
    return _sorted(session.execute(_in_scope(q, actor, user)))


def _in_scope(q, actor, user: User):
    """Only the visits the user may see (VISIT_VIEW's scope): the group's, or their own."""
    scope = scope_for(actor, Action.VISIT_VIEW)
    if scope is Scope.GROUP:
        return q.where(Visit.group_id == user.group_id)
    if scope is Scope.OWN:
        return q.where(Visit.officer_id == user.id)
    return q


@dataclass(frozen=True)
class InboxItem:
    kind: str  # approval workflow name: travel_plan | cps_report
    id: str
    owner_id: str
    owner_name: str
    title: str
    submitted_at: datetime | None
    content_hash: str  # what the approver is shown; approving passes it back as reviewed_hash
    lines: tuple[str, ...]  # a preview, one line per visit / section

    @property
    def kind_label(self) -> str:
        return _(approval.WORKFLOWS[self.kind].label)


def _submitted_at(session: Session, item_ids: list[str]) -> dict[str, datetime]:
    if not item_ids:
        return {}
    rows = session.execute(select(ApprovalEvent.item_id, func.max(ApprovalEvent.at))
                           .where(ApprovalEvent.item_id.in_(item_ids), ApprovalEvent.step == approval.Step.SUBMIT)
                           .group_by(ApprovalEvent.item_id))
    return dict(rows.all())


def _screen_thai() -> bool:
    # Titles and preview lines are shown on screen, where dates carry Thai digits in Thai.
    return language() == "th"


def _day(d: date | None) -> str:
    return format_date(d, "short", thai_digits=_screen_thai()) if d else ""


def inbox(session: Session, user: User) -> list[InboxItem]:
    """Submitted travel plans and visit reports the user may approve, oldest first."""
    actor = actor_of(user)
    out: list[InboxItem] = []
    plans = session.scalars(select(TravelPlan).where(TravelPlan.state == approval.State.SUBMITTED,
                                                     TravelPlan.deleted_at.is_(None)))
    for p in plans:
        if not approval.may(actor, approval.Step.APPROVE, svc.TRAVEL, owner_id=p.officer_id,
                            owner_group_id=p.group_id) or not same_office(session, user, p.group_id):
            continue
        vs = svc.plan_visits(session, p)
        lines = tuple(travel_line(session, v) for v in vs)
        title = tr("แผนการเดินทาง {month} ({n} นัด)", month=format_date(p.month, "month", thai_digits=_screen_thai()),
                   n=len(vs))
        out.append(InboxItem(svc.TRAVEL.name, p.id, p.officer_id, p.officer.full_name, title, None,
                             svc.travel_plan_hash(session, p), lines))
    reports = session.scalars(select(Visit).where(Visit.report_state == approval.State.SUBMITTED,
                                                  Visit.deleted_at.is_(None)))
    for v in reports:
        if not approval.may(actor, approval.Step.APPROVE, svc.REPORT, owner_id=v.officer_id,
                            owner_group_id=v.group_id) or not same_office(session, user, v.group_id):
            continue
        out.append(InboxItem(svc.REPORT.name, v.id, v.officer_id, v.officer.full_name,
                             tr("รายงานการเยี่ยม {name} {day}", name=v.institution.name,
                                day=_day(v.actual_date or v.planned_date)),
                             None, svc.report_hash(session, v), report_lines(session, v)))
    when = _submitted_at(session, [i.id for i in out])
    out = [InboxItem(**{**i.__dict__, "submitted_at": when.get(i.id)}) for i in out]
    return sorted(out, key=lambda i: (i.submitted_at or datetime.max.replace(tzinfo=UTC), i.title))


def travel_line(session: Session, v: Visit) -> str:
    """One visit of a travel plan as the approver reads it: everything the approval covers
    (day, time and length, where, how, why, with whom, toward which plan activity)."""
    if v.planned_time:
        hours, minutes = map(int, v.planned_time.split(":"))
        end = hours * 60 + minutes + v.duration_min
        when = f"{v.planned_time}–{end // 60 % 24:02d}:{end % 60:02d} น."
    else:
        when = tr("ทั้งวัน ({h} ชม.)", h=f"{v.duration_min / 60:g}")
    parts = [f"{_day(v.planned_date)} {when} {v.institution.name} — {_(rules.METHODS[v.method])}"]
    if v.purpose:
        parts.append(tr("ประเด็น: {p}", p=" ".join(v.purpose.split())))
    if v.co_officer_ids:
        names = session.scalars(select(User.full_name).where(User.id.in_(v.co_officer_ids)))
        parts.append(tr("ผู้ร่วมเดินทาง: {names}", names=", ".join(names)))
    if v.activity_lineage:
        row = session.scalar(select(PlanActivityRow).where(PlanActivityRow.lineage == v.activity_lineage).limit(1))
        if row is not None:
            parts.append(tr("นับตามแผน: {a}", a=f"{row.number} {row.title}".strip()))
    return "; ".join(parts)


def report_lines(session: Session, v: Visit) -> tuple[str, ...]:
    if v.status == svc.CANCELLED:
        return (tr("ไม่ได้ไปเยี่ยม: {reason}", reason=v.cancel_reason),)
    lines = [tr("วิธีการ: {m}", m=_(rules.METHODS[v.method]))]
    counts = [(label, n) for label, n in ((_("กรรมการ"), v.attendees_committee), (_("เจ้าหน้าที่"), v.attendees_staff),
                                          (_("สมาชิก"), v.attendees_members)) if n]
    if counts:
        lines.append(tr("ผู้เข้าร่วม: {who}", who=", ".join(f"{label} {n}" for label, n in counts)))
    for label, text in ((_("สิ่งที่พบ"), v.findings), (_("คำแนะนำ"), v.advice), (_("การตอบรับ"), v.response),
                        (_("ขั้นต่อไป"), v.next_step)):
        if text:
            lines.append(f"{label}: {text}")
    for f in svc.raised_in(session, v):
        lines.append(tr("ข้อสังเกตใหม่: {d} (กำหนด {due})", d=f.description, due=_day(f.due_date) or "-"))
    for f in svc.closed_in(session, v):
        verb = _("แก้ไขแล้ว") if f.status == rules.RESOLVED else tr("ยกเลิกการติดตาม ({r})", r=f.drop_reason)
        lines.append(f"{verb}: {f.description}")
    return tuple(lines)


@dataclass(frozen=True)
class ReturnedItem:
    kind: str
    id: str
    title: str
    comment: str
    returned_at: datetime | None
    returned_by: str
    month: date  # the month the item belongs to, to open it


def returned_items(session: Session, user: User) -> list[ReturnedItem]:
    """The user's own travel plans and reports that were returned, newest return first."""
    out = []
    for p in session.scalars(select(TravelPlan).where(TravelPlan.officer_id == user.id,
                                                      TravelPlan.state == approval.State.RETURNED,
                                                      TravelPlan.deleted_at.is_(None))):
        title = tr("แผนการเดินทาง {month}", month=format_date(p.month, "month", thai_digits=_screen_thai()))
        out.append((svc.TRAVEL.name, p.id, title, p.month))
    for v in session.scalars(select(Visit).where(Visit.officer_id == user.id,
                                                 Visit.report_state == approval.State.RETURNED,
                                                 Visit.deleted_at.is_(None))):
        title = tr("รายงานการเยี่ยม {name} {day}", name=v.institution.name, day=_day(v.actual_date or v.planned_date))
        out.append((svc.REPORT.name, v.id, title, v.planned_date.replace(day=1)))
    items = []
    for kind, item_id, title, month in out:
        ev = session.scalar(select(ApprovalEvent).where(ApprovalEvent.item_id == item_id,
                                                        ApprovalEvent.step == approval.Step.RETURN)
                            .order_by(ApprovalEvent.at.desc(), ApprovalEvent.change_seq.desc()).limit(1))
        items.append(ReturnedItem(kind, item_id, title, ev.comment if ev else "", ev.at if ev else None,
                                  ev.actor.full_name if ev else "", month))
    return sorted(items, key=lambda i: i.returned_at or datetime.min, reverse=True)


# -- counting approved visits toward the action plan ------------------------------------------

def approved_visit_counts(session: Session, group_id: str, fy: int) -> dict[str, list[int]]:
    """Approved visit reports per plan activity lineage and fiscal month (0 = ต.ค.)."""
    first = fiscal_months(fy)[0]
    last = fiscal_months(fy + 1)[0] - timedelta(days=1)
    rows = session.execute(select(Visit.activity_lineage, Visit.actual_date)
                           .where(Visit.group_id == group_id, Visit.activity_lineage.is_not(None),
                                  Visit.status == svc.DONE, Visit.report_state == approval.State.APPROVED,
                                  Visit.actual_date.between(first, last), Visit.deleted_at.is_(None)))
    counts: dict[str, list[int]] = {}
    months = fiscal_months(fy)
    for lineage, day in rows:
        counts.setdefault(lineage, [0] * 12)[months.index(day.replace(day=1))] += 1
    return counts


# -- the monthly CPS report -------------------------------------------------------------------

@dataclass(frozen=True)
class PlanLine:
    lineage: str
    label: str
    unit: str
    planned: int  # the plan's units for the month
    approved_visits: int  # approved reports counted toward it in the month


@dataclass(frozen=True)
class MonthlyReport:
    month: date
    office_name: str
    scope_label: str  # the officer's or group's name, or the office
    visits: tuple[VisitRow, ...]
    institutions_visited: int
    by_method: tuple[tuple[str, int], ...]  # (method key, visits done)
    by_state: tuple[tuple[str, int], ...]  # report state → count
    followups_opened: tuple[tuple[str, str, date | None], ...]  # (institution, description, due)
    followups_closed: tuple[tuple[str, str, str], ...]  # (institution, description, status)
    plan_lines: tuple[PlanLine, ...]

    @property
    def done(self) -> tuple[VisitRow, ...]:
        return tuple(v for v in self.visits if v.status == svc.DONE)


def monthly_report(session: Session, user: User, month: date, *, officer_id: str | None = None,
                   group_id: str | None = None) -> MonthlyReport:
    """The monthly CPS report: visits, institutions, methods, findings, follow-ups and plan
    vs actual, for one officer, one group or everything the user may see."""
    first, last = month_bounds(month)
    rows = list_visits(session, user, first, officer_id=officer_id, group_id=group_id)
    done = [v for v in rows if v.status == svc.DONE]
    ids = [v.id for v in rows]
    opened, closed = [], []
    if ids:
        names = {v.institution_id: v.institution_name for v in rows}
        for f in session.scalars(select(FollowUpItem).where(FollowUpItem.raised_in_visit_id.in_(ids),
                                                            FollowUpItem.deleted_at.is_(None))
                                 .order_by(FollowUpItem.due_date)):
            opened.append((names.get(f.institution_id, ""), f.description, f.due_date))
        for f in session.scalars(select(FollowUpItem).where(FollowUpItem.closed_in_visit_id.in_(ids),
                                                            FollowUpItem.deleted_at.is_(None))):
            closed.append((names.get(f.institution_id, ""), f.description, f.status))
    office = session.scalar(select(User).where(User.id == user.id)).office.name
    if officer_id:
        scope_label = svc.live_officer(session, officer_id).full_name
    elif group_id:
        scope_label = get_live(session, WorkGroup, group_id, _("ไม่พบกลุ่มงาน")).name
    else:
        scope_label = office
    plan_group = group_id or (svc.live_officer(session, officer_id).group_id if officer_id else None)
    return MonthlyReport(
        month=first, office_name=office, scope_label=scope_label, visits=tuple(rows),
        institutions_visited=len({v.institution_id for v in done}),
        by_method=tuple((m, n) for m in rules.METHODS if (n := sum(1 for v in done if v.method == m))),
        by_state=tuple(sorted(Counter(v.report_state for v in rows if v.status != svc.PLANNED).items())),
        followups_opened=tuple(opened), followups_closed=tuple(closed),
        plan_lines=tuple(_plan_lines(session, plan_group, first, rows)),
    )


def _plan_lines(session: Session, group_id: str | None, first: date, rows: list[VisitRow]) -> list[PlanLine]:
    if group_id is None:
        return []
    counted = Counter(v.activity_lineage for v in rows
                      if v.status == svc.DONE and v.report_state == approval.State.APPROVED and v.activity_lineage)
    return [PlanLine(a.lineage, a.label, a.unit, a.month_work, counted.get(a.lineage, 0))
            for a in activity_choices(session, group_id, first) if a.month_work or counted.get(a.lineage)]
