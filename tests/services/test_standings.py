"""The standards page's bulk read (assessments.standings): a constant number of queries
whatever the number of institutions, the same figures as the per-row functions, the user's
scope, and the standards report's deadline — 2 working days after the general meeting —
marked late or overdue against an injected "today"."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event

from app.rules import standards, strength
from app.rules.registry import InstitutionData, YearData
from app.services import assessments, registry
from app.thai import add_working_days, default_calendar

FY = 2569
AGM = date(2026, 3, 16)  # a Monday, for the accounting year ended 31 Dec 2025
CLASS_2 = strength.Scores(Decimal("25"), Decimal("15"), Decimal("15"), Decimal("24.50"),
                          accounts_closed=True, agm_held=True, statements_presented=True)


@pytest.fixture
def team(db, admin, make_user):
    return {"officer": make_user("off1", "officer", group=0), "outsider": make_user("off9", "officer", group=1),
            "head": make_user("head", "provincial_head", group=None)}


def add(db, admin, officer, name, n, *, status="operating", kind="coop") -> str:
    with db.transaction(admin.id) as s:
        return registry.create_institution(s, admin, InstitutionData(
            reg_no=f"กพ {n:06d}", name=name, kind=kind, coop_type="agriculture" if kind == "coop" else None,
            district_code="6201", status=status, officer_id=officer.id, group_id=officer.group_id,
            acct_year_end_month=12, acct_year_end_day=31)).id


def all_met(inst_id, kind="coop"):
    n = 7 if kind == "coop" else 5
    return standards.Assessment(inst_id, kind, FY, True, tuple(standards.CriterionAnswer(str(i), True)
                                                              for i in range(1, n + 1)))


def populate(db, admin, officer, count, start=0) -> list[str]:
    """`count` cooperatives with a meeting, a standards assessment and strength scores."""
    ids = []
    for n in range(start, start + count):
        inst = add(db, admin, officer, f"สหกรณ์ทดสอบที่ {n} จำกัด", n + 1)
        with db.transaction(admin.id) as s:
            registry.save_year(s, admin, inst, FY, YearData(agm_date=AGM, accounts_closed_date=date(2026, 1, 20)))
        with db.transaction(officer.id) as s:
            assessments.save_standards(s, officer, inst, FY, all_met(inst), reported_on=AGM)
            assessments.save_strength(s, officer, inst, FY, CLASS_2, published_class=1 if n % 2 else None)
        ids.append(inst)
    return ids


@contextmanager
def counting(db):
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.mark.parametrize("who", ["officer", "head"])
def test_the_number_of_queries_does_not_grow_with_the_institutions(db, admin, team, who):
    user = team[who]
    populate(db, admin, team["officer"], 3)
    with db.session() as s, counting(db) as few:
        assert len(assessments.standings(s, user, FY)) == 3
    populate(db, admin, team["officer"], 12, start=3)
    with db.session() as s, counting(db) as many:
        assert len(assessments.standings(s, user, FY)) == 15
    assert len(many) == len(few) <= 2


def test_the_bulk_read_agrees_with_the_per_row_functions(db, admin, team):
    officer = team["officer"]
    ids = populate(db, admin, officer, 4)
    # One without any assessment but with the registry's result, one out of scope.
    imported = add(db, admin, officer, "สหกรณ์ผลจากส่วนกลาง จำกัด", 50)
    young = add(db, admin, officer, "สหกรณ์ตั้งใหม่ จำกัด", 51)
    with db.transaction(admin.id) as s:
        registry.save_year(s, admin, imported, FY, YearData(standards_result="fail", strength_class=3))
    with db.transaction(officer.id) as s:
        assessments.save_strength(s, officer, young, FY, strength.Scores(out_of_scope=True,
                                                                        out_of_scope_reason="ตั้งไม่ถึงปี"))
    with db.session() as s:
        found = {x.institution_id: x for x in assessments.standings(s, officer, FY)}
        rows = {r.id: r for r in registry.list_institutions(s, officer, fiscal_year=FY)}
        differs = {d.institution_id for d in assessments.strength_differences(s, officer, FY)
                   if d.kind == strength.DIFFERS}
        assert set(found) == {*ids, imported, young}
        for iid, x in found.items():
            std = assessments.standards_of(s, officer, iid, FY)
            sth = assessments.strength_of(s, officer, iid, FY)
            assert x.standards_result == (std.result if std else rows[iid].standards_result)
            assert x.reported_on == (std.reported_on if std else None)
            assert x.computed_class == (sth.computed_class if sth and not sth.out_of_scope else None)
            assert x.published_class == (sth.published_class if sth else None)
            assert x.out_of_scope == (sth.out_of_scope if sth else rows[iid].out_of_scope)
            assert x.differs == (iid in differs)
    assert found[imported].standards_result == "fail" and found[imported].report is None
    assert found[young].out_of_scope and found[young].computed_class is None
    assert sum(x.differs for x in found.values()) == 2  # computed 2, published 1


def test_only_the_users_scope_is_read(db, admin, team):
    populate(db, admin, team["officer"], 2)
    add(db, admin, team["outsider"], "สหกรณ์กลุ่มอื่น จำกัด", 90)
    with db.session() as s:
        assert len(assessments.standings(s, team["officer"], FY)) == 2
        assert [x.name for x in assessments.standings(s, team["outsider"], FY)] == ["สหกรณ์กลุ่มอื่น จำกัด"]
        assert len(assessments.standings(s, team["head"], FY)) == 3


def test_late_and_overdue_reports_are_marked_in_working_days(db, admin, team):
    officer = team["officer"]
    cal = default_calendar()
    due = standards.standards_due(AGM, cal)  # the rule's due day, not recomputed here
    on_time, late, unreported, none_yet, wound_up, early = (
        add(db, admin, officer, name, n, status="dissolving" if n == 5 else "operating")
        for n, name in enumerate(("ก ทันกำหนด", "ข ส่งช้า", "ค ยังไม่ส่ง", "ง ยังไม่บันทึก", "จ ชำระบัญชี",
                                  "ฉ วันที่ผิด"), start=1))
    with db.transaction(admin.id) as s:
        for inst in (on_time, late, unreported, none_yet, wound_up, early):
            registry.save_year(s, admin, inst, FY, YearData(agm_date=AGM, accounts_closed_date=date(2026, 1, 20)))
    with db.transaction(officer.id) as s:
        assessments.save_standards(s, officer, on_time, FY, all_met(on_time), reported_on=due)
        assessments.save_standards(s, officer, late, FY, all_met(late), reported_on=add_working_days(due, 3, cal))
        assessments.save_standards(s, officer, unreported, FY, all_met(unreported))
        assessments.save_standards(s, officer, early, FY, all_met(early), reported_on=date(2026, 3, 1))
    with db.session() as s:
        before = {x.name: x for x in assessments.standings(s, officer, FY, today=due)}
        after = {x.name: x for x in assessments.standings(s, officer, FY, today=add_working_days(due, 5, cal))}
    assert before["ก ทันกำหนด"].report.code == standards.ON_TIME and not before["ก ทันกำหนด"].late
    assert (before["ข ส่งช้า"].report.code, before["ข ส่งช้า"].report.working_days) == (standards.LATE, 3)
    assert before["ข ส่งช้า"].late
    # Not reported: due today is not late yet; five working days on it is overdue by five.
    assert before["ค ยังไม่ส่ง"].report.code == standards.DUE_SOON and not before["ค ยังไม่ส่ง"].late
    assert (after["ค ยังไม่ส่ง"].report.code, after["ค ยังไม่ส่ง"].report.working_days) == (standards.OVERDUE, 5)
    assert after["ง ยังไม่บันทึก"].late and after["ง ยังไม่บันทึก"].report.code == standards.OVERDUE
    assert after["จ ชำระบัญชี"].report is None and not after["จ ชำระบัญชี"].late  # wound up: no deadline
    assert after["ฉ วันที่ผิด"].report is None and "ก่อนวันประชุมใหญ่" in after["ฉ วันที่ผิด"].report_problem
    assert after["ก ทันกำหนด"].agm_date == AGM


def test_a_meeting_before_the_years_accounts_end_is_not_this_years(db, admin, team):
    """A meeting dated on or before 31 Dec 2025 in FY 2569's row was 2024's accounts' meeting:
    there is no deadline to count for 2569 from it."""
    officer = team["officer"]
    inst = add(db, admin, officer, "สหกรณ์ประชุมปลายปี จำกัด", 1)
    with db.transaction(admin.id) as s:
        registry.save_year(s, admin, inst, FY, YearData(agm_date=date(2025, 11, 5),
                                                        accounts_closed_date=date(2025, 1, 20)))
    with db.session() as s:
        (x,) = assessments.standings(s, officer, FY, today=date(2026, 11, 23))
    assert x.agm_date is None and x.report is None


def test_the_years_offered_are_those_with_data_in_scope(db, admin, team):
    officer = team["officer"]
    populate(db, admin, officer, 1)
    other = add(db, admin, team["outsider"], "สหกรณ์กลุ่มอื่น จำกัด", 90)
    with db.transaction(admin.id) as s:
        registry.save_year(s, admin, other, 2567, YearData(strength_class=2))
    inst = add(db, admin, officer, "สหกรณ์ปีเก่า จำกัด", 91)
    with db.transaction(officer.id) as s:
        assessments.save_strength(s, officer, inst, 2568, CLASS_2)
    with db.session() as s:
        assert assessments.assessment_years(s, officer) == [2568, 2569]
        assert assessments.assessment_years(s, team["head"]) == [2567, 2568, 2569]
