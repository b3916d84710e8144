"""Standards and strength assessments: record how an institution's yearly result was
reached, compute it with the year's data (criteria set, rule table) and keep the registry's
yearly row (InstitutionYear), which the rest of the app reads, in step.

- Standards: every criterion answered (or "not assessed" with a reason); the result is
  app.rules.standards.evaluate's, never typed.
- Strength: the four scores and the basic conditions; the class is app.rules.strength's
  for the year's table. The registry shows the central office's published class when it is
  known (it is the official one) and the computed class otherwise; differences between the
  two are listed by `strength_differences`.
- The status a strength class is computed with is the institution's status *in that
  fiscal year* (`status_in_year`), so saving a past year of an institution that has
  stopped since does not turn that year into class 4 (see its docstring for how the year's
  status is found: the registry keeps only the present status).
- `standings` reads the year's standing of every institution in the user's scope in a
  constant number of queries (the standards page's table), with where the standards
  report stands against its deadline (app.rules.standards.report_status: 2 working days
  after the general meeting).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import and_, select, union
from sqlalchemy.orm import Session, aliased

from app.errors import ValidationError
from app.i18n import _
from app.models import AuditEntry, Institution, InstitutionYear, StandardsAssessment, StrengthAssessment, User
from app.rules import deadlines, standards, strength
from app.rules.permissions import Action
from app.services import audit
from app.services.context import authorize, get_live
from app.services.registry import target_of
from app.services.scope import institution_scope, scoped
from app.thai import THAI_TIME, HolidayCalendar, default_calendar, fiscal_year_bounds, thai_sort_key


def _institution(session: Session, user: User, institution_id: str, action: Action) -> Institution:
    inst = get_live(session, Institution, institution_id, _("ไม่พบสหกรณ์/กลุ่มเกษตรกรที่ต้องการ"))
    authorize(session, user, action, target_of(inst) if action is not Action.REGISTRY_VIEW else None)
    return inst


def _check_year(fiscal_year: int) -> None:
    if not 2500 <= fiscal_year <= 2700:
        raise ValidationError(_("ปีต้องเป็นปี พ.ศ. เช่น 2568"), field="fiscal_year")


def _yearly_row(session: Session, institution_id: str, fiscal_year: int) -> InstitutionYear:
    row = session.scalar(select(InstitutionYear).where(InstitutionYear.institution_id == institution_id,
                                                       InstitutionYear.fiscal_year == fiscal_year))
    if row is None:
        row = InstitutionYear(institution_id=institution_id, fiscal_year=fiscal_year)
        session.add(row)
    row.deleted_at = None
    return row


def _row(session: Session, model, institution_id: str, fiscal_year: int):
    return session.scalar(select(model).where(model.institution_id == institution_id,
                                              model.fiscal_year == fiscal_year))


def _stored(session: Session, user: User, model, institution_id: str, fiscal_year: int):
    """The institution's live assessment of this kind for the year, or None."""
    _institution(session, user, institution_id, Action.REGISTRY_VIEW)
    row = _row(session, model, institution_id, fiscal_year)
    return None if row is None or row.deleted_at is not None else row


# -- standards -------------------------------------------------------------------------------

def standards_of(session: Session, user: User, institution_id: str, fiscal_year: int) -> StandardsAssessment | None:
    return _stored(session, user, StandardsAssessment, institution_id, fiscal_year)


def assessment_of(row: StandardsAssessment) -> standards.Assessment:
    """The stored assessment as the rules (and the form) see it."""
    return standards.Assessment(
        institution_id=row.institution_id, kind=row.institution.kind, year=row.fiscal_year, assessed=row.assessed,
        answers=tuple(standards.CriterionAnswer(a["code"], a["met"], a.get("note", "")) for a in row.answers),
        reason=row.not_assessed_reason, reason_note=row.reason_note, assessed_by=row.assessed_by,
        assessed_on=row.assessed_on)


def save_standards(session: Session, user: User, institution_id: str, fiscal_year: int,
                   assessment: standards.Assessment, *, reported_on: date | None = None) -> StandardsAssessment:
    """Record (or correct) a standards assessment; the result is computed, and the
    registry's yearly standards result follows it."""
    inst = _institution(session, user, institution_id, Action.YEARLY_EDIT)
    _check_year(fiscal_year)
    if assessment.institution_id != inst.id or assessment.year != fiscal_year or assessment.kind != inst.kind:
        raise ValueError("the assessment is for another institution, year or kind")
    # Who assessed (or decided not to) and when default to the person recording it, today.
    assessment = replace(assessment, assessed_by=assessment.assessed_by or user.id,
                             assessed_on=assessment.assessed_on or date.today())
    criteria = standards.load_criteria_set(inst.kind, fiscal_year)
    outcome = standards.evaluate(assessment, criteria)  # ValidationError naming the criterion
    row = _row(session, StandardsAssessment, inst.id, fiscal_year)
    before = None if row is None else audit.snapshot(row)
    if row is None:
        row = StandardsAssessment(institution_id=inst.id, fiscal_year=fiscal_year)
        session.add(row)
    values = {
        "deleted_at": None, "criteria_year": outcome.criteria_year, "assessed": assessment.assessed,
        "not_assessed_reason": assessment.reason, "reason_note": assessment.reason_note.strip(),
        "answers": [{"code": a.code, "met": a.met, "note": a.note.strip()} for a in assessment.answers],
        "result": outcome.result, "assessed_by": assessment.assessed_by,
        "assessed_on": assessment.assessed_on, "reported_on": reported_on,
    }
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    yearly = _yearly_row(session, inst.id, fiscal_year)
    if yearly.standards_result != outcome.result:
        yearly.standards_result = outcome.result
    session.flush()
    after = audit.snapshot(row)
    if before != after:
        audit.record(session, user, "standards.save", "standards_assessment", row.id, before, after)
    return row


# -- strength --------------------------------------------------------------------------------

@dataclass(frozen=True)
class StrengthResult:
    row: StrengthAssessment
    classification: strength.Classification


def strength_of(session: Session, user: User, institution_id: str, fiscal_year: int) -> StrengthAssessment | None:
    return _stored(session, user, StrengthAssessment, institution_id, fiscal_year)


def scores_of(row: StrengthAssessment) -> strength.Scores:
    return strength.Scores(
        member_service=row.member_service, business=row.business, organisation=row.organisation,
        administration=row.administration, accounts_closed=row.accounts_closed, agm_held=row.agm_held,
        statements_presented=row.statements_presented, extra=dict(row.extra or {}),
        out_of_scope=row.out_of_scope, out_of_scope_reason=row.out_of_scope_reason)


# Statuses of an institution that is not at work (class 4 by status, where the table says so).
STOPPED_STATUSES = frozenset({"suspended", "dissolving", "struck_off"})
_STATUS_ACTIONS = ("institution.create", "institution.update")


def _status_changes(session: Session, institution_id: str) -> list[tuple[date, str, str]]:
    """(Thai calendar day, status before, status after) of every status change this office
    recorded for the institution (the audit log of the registry's edits), oldest first."""
    q = (select(AuditEntry.at, AuditEntry.before_json, AuditEntry.after_json)
         .where(AuditEntry.entity == "institution", AuditEntry.entity_id == institution_id,
                AuditEntry.action.in_(_STATUS_ACTIONS))
         .order_by(AuditEntry.at, AuditEntry.seq))
    out = []
    for at, before_json, after_json in session.execute(q):
        before = (json.loads(before_json) or {}).get("status") if before_json else None
        after = (json.loads(after_json) or {}).get("status") if after_json else None
        if before and after and before != after:
            out.append((at.astimezone(THAI_TIME).date(), before, after))
    return out


def at_work(year: InstitutionYear | None) -> bool:
    """Whether the year's registry row shows the institution at work in that year: books
    closed, a general meeting held, or assessed for standards (pass or fail — stopped and
    wound-up institutions are "not assessed")."""
    return year is not None and year.deleted_at is None and (
        year.accounts_closed_date is not None or year.agm_date is not None
        or year.standards_result in (standards.PASS, standards.FAIL))


def _status_in_year(session: Session, inst: Institution, fiscal_year: int, today: date) -> str:
    year_end = fiscal_year_bounds(fiscal_year)[1]
    changes = _status_changes(session, inst.id)
    later = [c for c in changes if c[0] > year_end]
    # Changed after the year's end: the status then is what the first such change replaced.
    status = later[0][1] if later else inst.status
    known = any(c[0] <= year_end for c in changes)  # the status at the year's end was set on a known day
    if status in STOPPED_STATUSES and not known and year_end < today:
        # When it stopped is not recorded: a year already over whose own record shows
        # the institution at work was a working year.
        if at_work(_row(session, InstitutionYear, inst.id, fiscal_year)):
            return "operating"
    return status


def status_in_year(session: Session, user: User, institution_id: str, fiscal_year: int, *,
                   today: date | None = None) -> str:
    """The institution's registry status as it stood in the fiscal year (the status a
    strength class of that year is computed with).

    The registry keeps the present status only, so:
    - a status change this office recorded (the audit log of registry edits) after the
      fiscal year's end does not apply to the year: the year gets the status that the first
      such change replaced;
    - otherwise the present status applies — except that a stopped status (suspended,
      dissolving, struck off) whose start is not recorded does not apply to a year already
      over (ended before `today`) whose own registry row shows the institution at work
      (books closed, a meeting held, or a pass/fail standards result): that year is
      classified as an operating one.
    The current fiscal year always takes the present status (a change made in it is in it)."""
    inst = _institution(session, user, institution_id, Action.REGISTRY_VIEW)
    _check_year(fiscal_year)
    return _status_in_year(session, inst, fiscal_year, today or date.today())


def save_strength(session: Session, user: User, institution_id: str, fiscal_year: int, scores: strength.Scores, *,
                  published_class: int | None = None, source: str = "entered",
                  today: date | None = None) -> StrengthResult:
    """Record the scores, compute the class with the year's rule table (and the
    institution's status in that year, see status_in_year), and set the registry's yearly
    class (the published one when known, else the computed one)."""
    inst = _institution(session, user, institution_id, Action.YEARLY_EDIT)
    _check_year(fiscal_year)
    if published_class is not None and published_class not in (1, 2, 3, 4):
        raise ValidationError(_("ระดับชั้นที่ส่วนกลางประกาศต้องเป็น 1 ถึง 4"), field="published_class")
    if source not in ("entered", "imported"):
        raise ValueError(f"unknown source {source!r}")
    table = strength.table_for_year(fiscal_year)
    status = _status_in_year(session, inst, fiscal_year, today or date.today())
    found = strength.classify(scores, sector=strength.sector_of(inst.kind, inst.coop_type), table=table,
                              status=status)
    row = _row(session, StrengthAssessment, inst.id, fiscal_year)
    before = None if row is None else audit.snapshot(row)
    if row is None:
        row = StrengthAssessment(institution_id=inst.id, fiscal_year=fiscal_year)
        session.add(row)
    values = {
        "deleted_at": None, "member_service": scores.member_service, "business": scores.business,
        "organisation": scores.organisation, "administration": scores.administration,
        "accounts_closed": scores.accounts_closed, "agm_held": scores.agm_held,
        "statements_presented": scores.statements_presented, "extra": dict(scores.extra),
        "out_of_scope": scores.out_of_scope, "out_of_scope_reason": scores.out_of_scope_reason.strip(),
        "computed_class": found.strength_class, "table_year": found.table_year,
        "published_class": published_class, "source": source, "entered_by": user.id,
    }
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    yearly = _yearly_row(session, inst.id, fiscal_year)
    shown = published_class if published_class is not None else found.strength_class
    if scores.out_of_scope:
        shown = None
    if (yearly.strength_class, yearly.out_of_scope) != (shown, scores.out_of_scope):
        yearly.strength_class, yearly.out_of_scope = shown, scores.out_of_scope
    session.flush()
    after = audit.snapshot(row)
    if before != after:
        audit.record(session, user, "strength.save", "strength_assessment", row.id, before, after)
    return StrengthResult(row, found)


def strength_differences(session: Session, user: User, fiscal_year: int) -> list[strength.Difference]:
    """Institutions whose computed class differs from the class the central office published."""
    authorize(session, user, Action.REGISTRY_VIEW)
    rows = session.execute(
        select(StrengthAssessment.institution_id, StrengthAssessment.computed_class, StrengthAssessment.out_of_scope,
               StrengthAssessment.published_class, Institution.name)
        .join(Institution, Institution.id == StrengthAssessment.institution_id)
        .where(StrengthAssessment.fiscal_year == fiscal_year, StrengthAssessment.deleted_at.is_(None))).all()
    # The stored class is what classify() gave when the scores were saved (out of scope: None).
    computed = {r[0]: strength.Classification(None if r[2] else r[1], None, "stored", ()) for r in rows}
    published = {r[0]: r[3] for r in rows if r[3] is not None}
    return strength.compare_with_published(computed, published, names={r[0]: r[4] for r in rows})


# -- the year's standings (the standards page) ---------------------------------------------------

@dataclass(frozen=True)
class Standing:
    """One institution's standards result and strength class for a fiscal year, and where
    its standards report stands against the deadline.

    standards_result: the assessment's result, else the registry's yearly one (imported);
    computed_class: None when out of scope or not computed; out_of_scope: the assessment's,
    else the yearly row's; differs: the computed class differs from the published one.
    report: app.rules.standards.ReportStatus of the standards report on `today`, None when
    there is no deadline (no meeting date for the year, a wound-up institution, or a result
    known only from the yearly row); report_problem: why the dates do not add up (a report
    dated before the meeting), with report None."""

    institution_id: str
    reg_no: str
    name: str
    kind: str
    status: str
    standards_result: str | None
    assessed_here: bool
    reported_on: date | None
    computed_class: int | None
    published_class: int | None
    out_of_scope: bool
    differs: bool
    agm_date: date | None
    report: standards.ReportStatus | None = None
    report_problem: str = ""

    @property
    def late(self) -> bool:
        """Reported after the due day, or not reported and the due day has passed."""
        return self.report is not None and self.report.is_late


def _meeting_of_year(agm: date | None, fiscal_year: int, month: int | None, day: int | None) -> date | None:
    """The general meeting the year's standards report counts from: the yearly row's, unless
    it lies on or before the accounting year end within the fiscal year (then it was last
    year's meeting, typed into the row of the year it happened in; app.services.deadline_views)."""
    if agm is None or not (month and day):
        return agm
    return agm if agm > deadlines.year_end_of_fiscal_year(fiscal_year, (month, day)) else None


def _report(status: str, agm: date | None, reported_on: date | None, today: date,
            calendar: HolidayCalendar) -> tuple[standards.ReportStatus | None, str]:
    if agm is None or status in deadlines.NO_DEADLINE_STATUSES:
        return None, ""
    try:
        return standards.report_status(agm, reported_on, today, calendar), ""
    except ValidationError as exc:  # reported before the meeting: a typing mistake to check
        return None, exc.message


def standings(session: Session, user: User, fiscal_year: int, *, today: date | None = None,
              calendar: HolidayCalendar | None = None) -> list[Standing]:
    """The year's standing of every live institution in the user's scope, by Thai name, in
    one query (plus the scope's), however many institutions there are.

    An institution with no standards assessment recorded here but a result on its yearly
    row has no report status: the office has the result, so it is not overdue, and no date
    is invented to call it on time or late (as the deadline calendar does). One with
    neither, whose meeting is known and whose due day has passed, is overdue."""
    _check_year(fiscal_year)
    scope = institution_scope(session, user)
    today = today or date.today()
    calendar = calendar or default_calendar()
    yr, sa, st = aliased(InstitutionYear), aliased(StandardsAssessment), aliased(StrengthAssessment)
    q = scoped(
        select(Institution.id, Institution.reg_no, Institution.name, Institution.kind, Institution.status,
               Institution.acct_year_end_month, Institution.acct_year_end_day,
               yr.standards_result, yr.out_of_scope, yr.agm_date,
               sa.id, sa.result, sa.reported_on,
               st.id, st.computed_class, st.published_class, st.out_of_scope)
        .outerjoin(yr, and_(yr.institution_id == Institution.id, yr.fiscal_year == fiscal_year,
                            yr.deleted_at.is_(None)))
        .outerjoin(sa, and_(sa.institution_id == Institution.id, sa.fiscal_year == fiscal_year,
                            sa.deleted_at.is_(None)))
        .outerjoin(st, and_(st.institution_id == Institution.id, st.fiscal_year == fiscal_year,
                            st.deleted_at.is_(None)))
        .where(Institution.deleted_at.is_(None)), scope)
    rows = session.execute(q).all()
    # Differences as strength_differences finds them (the stored class; out of scope: None).
    computed = {r[0]: strength.Classification(None if r[16] else r[14], None, "stored", ())
                for r in rows if r[13] is not None}
    published = {r[0]: r[15] for r in rows if r[13] is not None and r[15] is not None}
    differs = {d.institution_id for d in strength.compare_with_published(computed, published)
               if d.kind == strength.DIFFERS}
    out = []
    for (iid, reg_no, name, kind, status, month, day, y_result, y_oos, agm, sa_id, sa_result, reported_on,
         st_id, computed_class, published_class, st_oos) in rows:
        assessed_here = sa_id is not None
        meeting = _meeting_of_year(agm, fiscal_year, month, day)
        if not assessed_here and y_result is not None:
            report, problem = None, ""  # known from the yearly row only: nothing to call late
        else:
            report, problem = _report(status, meeting, reported_on, today, calendar)
        out_of_scope = bool(st_oos) if st_id is not None else bool(y_oos)
        out.append(Standing(
            institution_id=iid, reg_no=reg_no, name=name, kind=kind, status=status,
            standards_result=sa_result if assessed_here else y_result, assessed_here=assessed_here,
            reported_on=reported_on, computed_class=computed_class if st_id is not None and not st_oos else None,
            published_class=published_class if st_id is not None else None, out_of_scope=out_of_scope,
            differs=iid in differs, agm_date=meeting, report=report, report_problem=problem))
    return sorted(out, key=lambda x: (thai_sort_key(x.name), x.institution_id))


def assessment_years(session: Session, user: User) -> list[int]:
    """The fiscal years (BE, ascending) with any yearly row or assessment of an institution
    in the user's scope: the years the standards page offers."""
    scope = institution_scope(session, user)
    live = scoped(select(Institution.id).where(Institution.deleted_at.is_(None)), scope)
    parts = [select(m.fiscal_year).where(m.deleted_at.is_(None), m.institution_id.in_(live))
             for m in (InstitutionYear, StandardsAssessment, StrengthAssessment)]
    return sorted(session.scalars(union(*parts)))
