"""Standards and strength assessments through the services on a real SQLite file: the result
is computed from the year's data, the registry's yearly row follows it, permissions hold and
a refused assessment changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.errors import PermissionDenied, ValidationError
from app.models import InstitutionYear, StandardsAssessment, StrengthAssessment
from app.rules import standards, strength
from app.rules.registry import InstitutionData
from app.services import assessments, registry
from app.thai import fiscal_year

FY = 2569


@pytest.fixture
def team(db, admin, make_user):
    return {"officer": make_user("off1", "officer", group=0), "outsider": make_user("off9", "officer", group=1),
            "head": make_user("head", "provincial_head", group=None)}


def add(db, admin, officer, name, reg_no, *, kind="coop", coop_type="agriculture"):
    with db.transaction(admin.id) as s:
        return registry.create_institution(s, admin, InstitutionData(
            reg_no=reg_no, name=name, kind=kind, coop_type=coop_type if kind == "coop" else None,
            district_code="6201", officer_id=officer.id, group_id=officer.group_id,
            acct_year_end_month=12, acct_year_end_day=31)).id


@pytest.fixture
def coop(db, admin, team):
    return add(db, admin, team["officer"], "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "กพ 000001")


def answers(*unmet, n=7):
    return tuple(standards.CriterionAnswer(str(i), str(i) not in unmet, "ขาดทุนสะสม" if str(i) in unmet else "")
                 for i in range(1, n + 1))


def yearly(db, inst_id):
    with db.session() as s:
        return s.scalar(select(InstitutionYear).where(InstitutionYear.institution_id == inst_id,
                                                      InstitutionYear.fiscal_year == FY))


def count(db, model):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_cooperative_passes_only_when_it_meets_every_criterion(db, team, coop):
    o = team["officer"]
    with db.transaction(o.id) as s:
        row = assessments.save_standards(s, o, coop, FY, standards.Assessment(
            coop, "coop", FY, True, answers(), assessed_on=date(2026, 3, 2)), reported_on=date(2026, 3, 3))
        assert (row.result, row.criteria_year, row.assessed_by) == ("pass", 2564, o.id)
    assert yearly(db, coop).standards_result == "pass"
    with db.transaction(o.id) as s:
        assessments.save_standards(s, o, coop, FY, standards.Assessment(coop, "coop", FY, True, answers("1")))
    assert yearly(db, coop).standards_result == "fail"
    with db.session() as s:
        stored = assessments.assessment_of(assessments.standards_of(s, o, coop, FY))
        assert stored.answer("1").met is False and stored.answer("1").note == "ขาดทุนสะสม"


def test_not_assessed_needs_a_reason_and_a_half_answered_form_is_refused(db, team, coop):
    o = team["officer"]
    before = count(db, StandardsAssessment)
    with pytest.raises(ValidationError):
        with db.transaction(o.id) as s:
            assessments.save_standards(s, o, coop, FY, standards.Assessment(coop, "coop", FY, False))
    with pytest.raises(ValidationError):
        with db.transaction(o.id) as s:
            assessments.save_standards(s, o, coop, FY, standards.Assessment(coop, "coop", FY, True, answers()[:5]))
    assert count(db, StandardsAssessment) == before and yearly(db, coop) is None
    with db.transaction(o.id) as s:
        row = assessments.save_standards(s, o, coop, FY, standards.Assessment(
            coop, "coop", FY, False, reason=standards.NOT_OPERATING))
        assert row.result == "not_assessed"


def test_farmer_groups_use_their_own_five_criteria(db, admin, team):
    o = team["officer"]
    group = add(db, admin, o, "กลุ่มเกษตรกรทำนาโกสัมพี", "กพ 000002", kind="farmer_group")
    with db.transaction(o.id) as s:
        row = assessments.save_standards(s, o, group, FY, standards.Assessment(
            group, "farmer_group", FY, True, answers(n=5)))
        assert row.result == "pass" and len(row.answers) == 5


def test_strength_class_is_computed_and_the_published_class_wins_in_the_registry(db, team, coop):
    o = team["officer"]
    scores = strength.Scores(Decimal("25"), Decimal("15"), Decimal("15"), Decimal("24.50"),
                             accounts_closed=True, agm_held=True, statements_presented=True)  # 79.50
    with db.transaction(o.id) as s:
        done = assessments.save_strength(s, o, coop, FY, scores)
        assert (done.classification.strength_class, done.row.computed_class, done.row.table_year) == (2, 2, 2568)
    assert yearly(db, coop).strength_class == 2
    with db.transaction(o.id) as s:
        assessments.save_strength(s, o, coop, FY, scores, published_class=1, source="imported")
    assert yearly(db, coop).strength_class == 1
    with db.session() as s:
        diffs = assessments.strength_differences(s, o, FY)
        assert [(d.computed, d.published, d.kind) for d in diffs] == [(2, 1, strength.DIFFERS)]
        assert "สหกรณ์การเกษตรเมืองกำแพงเพชร" in diffs[0].text_th


def test_out_of_scope_is_recorded_apart_from_class_3(db, team, coop):
    o = team["officer"]
    with db.transaction(o.id) as s:
        assessments.save_strength(s, o, coop, FY, strength.Scores(out_of_scope=True,
                                                                 out_of_scope_reason="จัดตั้งไม่ถึงหนึ่งปีบัญชี"))
    row = yearly(db, coop)
    assert (row.strength_class, row.out_of_scope) == (None, True)


def test_only_the_institutions_officer_records_its_assessments(db, team, coop):
    before = (count(db, StandardsAssessment), count(db, StrengthAssessment))
    for user in (team["outsider"], team["head"]):
        with pytest.raises(PermissionDenied):
            with db.transaction(user.id) as s:
                assessments.save_standards(s, user, coop, FY, standards.Assessment(coop, "coop", FY, True, answers()))
        with pytest.raises(PermissionDenied):
            with db.transaction(user.id) as s:
                assessments.save_strength(s, user, coop, FY, strength.Scores(out_of_scope=True,
                                                                            out_of_scope_reason="x"))
    assert (count(db, StandardsAssessment), count(db, StrengthAssessment)) == before


# -- the status a year is classified with ------------------------------------------------------

CLASS_2 = strength.Scores(Decimal("25"), Decimal("15"), Decimal("15"), Decimal("24.50"),
                          accounts_closed=True, agm_held=True, statements_presented=True)  # 79.50: class 2
PAST = 2568  # ended 30 Sep 2025, before any day these tests run on


def _at_work_in(db, admin, inst_id, fy):
    """The year's registry row shows the institution at work: books closed, meeting held."""
    from app.rules.registry import YearData

    with db.transaction(admin.id) as s:
        registry.save_year(s, admin, inst_id, fy, YearData(accounts_closed_date=date(2025, 1, 20),
                                                           agm_date=date(2025, 3, 15)))


def _set_status(db, admin, inst_id, status):
    with db.transaction(admin.id) as s:
        data = registry.data_of(registry.get_institution(s, admin, inst_id))
        data.status = status
        registry.update_institution(s, admin, inst_id, data)


def test_a_past_year_is_classified_with_the_status_of_that_year_not_todays(db, admin, team, coop):
    """Saving 2568's scores after the cooperative stopped: the stop (recorded today, after
    2568 ended) does not make 2568 class 4; the current year is class 4 by status."""
    o = team["officer"]
    _set_status(db, admin, coop, "suspended")
    current = fiscal_year(date.today())
    with db.session() as s:
        assert assessments.status_in_year(s, o, coop, PAST) == "operating"
        assert assessments.status_in_year(s, o, coop, current) == "suspended"
    with db.transaction(o.id) as s:
        past = assessments.save_strength(s, o, coop, PAST, CLASS_2)
        now = assessments.save_strength(s, o, coop, current, CLASS_2)
    assert (past.row.computed_class, now.row.computed_class) == (2, 4)


def test_a_status_set_when_recorded_applies_unless_the_years_own_row_shows_work(db, admin, team):
    """Registered already suspended (when it stopped is not known): a past year whose row
    shows it at work is classified by its scores; a past year without, and the current
    year, are class 4 by status."""
    o = team["officer"]
    with db.transaction(admin.id) as s:
        stopped = registry.create_institution(s, admin, InstitutionData(
            reg_no="กพ 000009", name="สหกรณ์หยุดดำเนินการ จำกัด", kind="coop", coop_type="agriculture",
            district_code="6201", status="suspended", officer_id=o.id, group_id=o.group_id,
            acct_year_end_month=12, acct_year_end_day=31)).id
    _at_work_in(db, admin, stopped, PAST)
    with db.session() as s:
        assert assessments.status_in_year(s, o, stopped, PAST) == "operating"
        assert assessments.status_in_year(s, o, stopped, PAST - 1) == "suspended"  # no row: nothing shows work
        assert assessments.status_in_year(s, o, stopped, fiscal_year(date.today())) == "suspended"
        # "Today" decides which years are over: on a day within 2568, 2568 takes the present status.
        assert assessments.status_in_year(s, o, stopped, PAST, today=date(2025, 9, 1)) == "suspended"
    with db.transaction(o.id) as s:
        assert assessments.save_strength(s, o, stopped, PAST, CLASS_2).row.computed_class == 2
        # 2569 is over too, but nothing recorded for it shows the cooperative at work.
        assert assessments.save_strength(s, o, stopped, PAST + 1, CLASS_2).row.computed_class == 4


def test_a_stop_recorded_before_the_years_end_applies_to_it(db, admin, team, coop):
    """A status change the audit log dates within 2568 holds for 2568, whatever its row says."""
    import json
    from datetime import UTC, datetime

    from app.models import AuditEntry, Institution

    o = team["officer"]
    _at_work_in(db, admin, coop, PAST)
    with db.transaction(admin.id) as s:  # stopped in June 2025, as the audit log has it
        s.get(Institution, coop).status = "suspended"
        s.add(AuditEntry(at=datetime(2025, 6, 1, 3, 0, tzinfo=UTC), user_login="admin", action="institution.update",
                         entity="institution", entity_id=coop, before_json=json.dumps({"status": "operating"}),
                         after_json=json.dumps({"status": "suspended"})))
    with db.session() as s:
        assert assessments.status_in_year(s, o, coop, PAST - 1) == "operating"  # ended 30 Sep 2024
        assert assessments.status_in_year(s, o, coop, PAST) == "suspended"
    with db.transaction(o.id) as s:
        assert assessments.save_strength(s, o, coop, PAST, CLASS_2).row.computed_class == 4
