"""Standards and strength assessments: record how an institution's yearly result was
reached, compute it with the year's data (criteria set, rule table) and keep the registry's
yearly row (InstitutionYear), which the rest of the app reads, in step.

- Standards: every criterion answered (or "not assessed" with a reason); the result is
  app.rules.standards.evaluate's, never typed.
- Strength: the four scores and the basic conditions; the class is app.rules.strength's
  for the year's table. The registry shows the central office's published class when it is
  known (it is the official one) and the computed class otherwise; differences between the
  two are listed by `strength_differences`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.i18n import _
from app.models import Institution, InstitutionYear, StandardsAssessment, StrengthAssessment, User
from app.rules import standards, strength
from app.rules.permissions import Action
from app.services import audit
from app.services.context import authorize, get_live
from app.services.registry import target_of


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


def save_strength(session: Session, user: User, institution_id: str, fiscal_year: int, scores: strength.Scores, *,
                  published_class: int | None = None, source: str = "entered") -> StrengthResult:
    """Record the scores, compute the class with the year's rule table, and set the
    registry's yearly class (the published one when known, else the computed one)."""
    inst = _institution(session, user, institution_id, Action.YEARLY_EDIT)
    _check_year(fiscal_year)
    if published_class is not None and published_class not in (1, 2, 3, 4):
        raise ValidationError(_("ระดับชั้นที่ส่วนกลางประกาศต้องเป็น 1 ถึง 4"), field="published_class")
    if source not in ("entered", "imported"):
        raise ValueError(f"unknown source {source!r}")
    table = strength.table_for_year(fiscal_year)
    found = strength.classify(scores, sector=strength.sector_of(inst.kind, inst.coop_type), table=table,
                              status=inst.status)
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
