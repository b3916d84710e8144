"""CPS visits through the services on a real SQLite file: travel plans and reports through
the approval machine, who may do what, hashes that edits invalidate, follow-ups carried
from visit to visit, and approved visits counted as the action plan's actual work."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import LockedError, PermissionDenied, ValidationError
from app.models import ApprovalEvent, AuditEntry, FollowUpItem, TravelPlan, Visit
from app.rules import visits as rules
from app.rules.plan import MonthCell
from app.rules.registry import InstitutionData, YearData
from app.services import plans, registry, users
from app.services import visit_views as views
from app.services import visits as svc
from app.services.visits import NewFollowUp, VisitPlan, VisitReport

NOV = date(2026, 11, 1)  # FY 2570
TODAY = date(2026, 11, 30)


@pytest.fixture
def team(db, admin, make_user):
    return {
        "officer": make_user("off1", "officer", group=0),
        "colleague": make_user("off2", "officer", group=0),
        "director": make_user("dir1", "director", group=0),
        "other_director": make_user("dir2", "director", group=1),
        "head": make_user("head", "provincial_head", group=None),
        "outsider": make_user("off9", "officer", group=1),
        "clerk": make_user("clerk", "clerk", group=None),
    }


def add_institution(db, admin, name, officer, *, reg_no=None, year_end=(12, 31), years=()):
    with db.transaction(admin.id) as s:
        inst = registry.create_institution(s, admin, InstitutionData(
            reg_no=reg_no or f"กพ {abs(hash(name)) % 10**6:06d}", name=name, kind="coop", coop_type="agriculture",
            district_code="6201", officer_id=officer.id, group_id=officer.group_id,
            acct_year_end_month=year_end[0], acct_year_end_day=year_end[1]))
        for fy, data in years:
            registry.save_year(s, admin, inst.id, fy, data)
        return inst.id


@pytest.fixture
def coops(db, admin, team):
    o = team["officer"]
    return {
        "a": add_institution(db, admin, "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", o, reg_no="กพ 000001"),
        "b": add_institution(db, admin, "สหกรณ์การเกษตรคลองขลุง จำกัด", o, reg_no="กพ 000002"),
        "c": add_institution(db, admin, "สหกรณ์การเกษตรพรานกระต่าย จำกัด", team["colleague"], reg_no="กพ 000003"),
    }


def plan_visit(db, user, officer, inst, day=date(2026, 11, 10), **kw):
    with db.transaction(user.id) as s:
        return svc.create_visit(s, user, officer.id, VisitPlan(inst, day, **kw)).id


def travel_plan_id(db, visit_id):
    with db.session() as s:
        return s.get(Visit, visit_id).travel_plan_id


def approve_trip(db, director, plan_id):
    with db.transaction(director.id) as s:
        digest = svc.travel_plan_hash(s, s.get(TravelPlan, plan_id))
        svc.approve_travel_plan(s, director, plan_id, reviewed_hash=digest)


def submit_trip(db, officer, plan_id):
    with db.transaction(officer.id) as s:
        svc.submit_travel_plan(s, officer, plan_id)


def record(db, user, visit_id, **kw):
    report = VisitReport(actual_date=kw.pop("actual_date", date(2026, 11, 10)),
                         findings=kw.pop("findings", "งบการเงินยังไม่ปิด"), advice=kw.pop("advice", "เร่งปิดบัญชี"), **kw)
    with db.transaction(user.id) as s:
        return svc.save_report(s, user, visit_id, report, today=TODAY).id


def state_of(db, model, item_id, attr):
    with db.session() as s:
        return getattr(s.get(model, item_id), attr)


def counts(db):
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Visit, TravelPlan, FollowUpItem,
                                                                            ApprovalEvent, AuditEntry))


# -- planning --------------------------------------------------------------------------------

def test_first_visit_of_a_month_makes_the_officers_travel_plan(db, team, coops):
    o = team["officer"]
    v1 = plan_visit(db, o, o, coops["a"])
    v2 = plan_visit(db, o, o, coops["b"], day=date(2026, 11, 12), planned_time="13:30", method="board_meeting",
                    purpose="ติดตามการปิดบัญชี")
    assert travel_plan_id(db, v1) == travel_plan_id(db, v2)
    with db.session() as s:
        plan = s.get(TravelPlan, travel_plan_id(db, v1))
        assert (plan.officer_id, plan.month, plan.state, plan.group_id) == (o.id, NOV, "draft", o.group_id)
        assert [v.planned_time for v in svc.plan_visits(s, plan)] == [None, "13:30"]


def test_who_may_plan_whose_visits(db, team, coops):
    o, colleague, director = team["officer"], team["colleague"], team["director"]
    before = counts(db)
    for user, officer in ((colleague, o), (team["other_director"], o), (team["head"], o), (team["clerk"], o),
                          (team["outsider"], o)):
        with pytest.raises(PermissionDenied):
            with db.transaction(user.id) as s:
                svc.create_visit(s, user, officer.id, VisitPlan(coops["a"], date(2026, 11, 10)))
    assert counts(db) == before
    plan_visit(db, director, o, coops["a"])  # a director plans for the group's officers


def test_bad_plans_are_refused_with_one_sentence(db, team, coops):
    o = team["officer"]
    before = counts(db)
    for kw, fragment in (({"planned_time": "9.30"}, "ชม.:นาที"), ({"method": "party"}, "วิธีการ"),
                         ({"duration_min": 0}, "ระยะเวลา"), ({"co_officer_ids": (o.id,)}, "ผู้ร่วมเดินทาง")):
        with pytest.raises(ValidationError, match=fragment):
            plan_visit(db, o, o, coops["a"], **kw)
    with pytest.raises(Exception, match="ไม่พบสหกรณ์"):
        plan_visit(db, o, o, "no-such-id")
    assert counts(db) == before


# -- the travel plan's approval --------------------------------------------------------------

def test_travel_plan_state_machine_and_who_approves(db, team, coops):
    o, director = team["officer"], team["director"]
    v = plan_visit(db, o, o, coops["a"])
    plan = travel_plan_id(db, v)
    with pytest.raises(PermissionDenied):  # only the owner submits
        submit_trip(db, director, plan)
    submit_trip(db, o, plan)
    for user in (o, team["colleague"], team["other_director"], team["outsider"], team["clerk"]):
        with pytest.raises(PermissionDenied):
            approve_trip(db, user, plan)
    assert state_of(db, TravelPlan, plan, "state") == "submitted"
    approve_trip(db, director, plan)
    with db.session() as s:
        p = s.get(TravelPlan, plan)
        assert (p.state, p.approved_by) == ("approved", director.id)
        assert p.approved_hash == svc.travel_plan_hash(s, p)
        assert [e.step for e in svc.history(s, o, plan)] == ["submit", "approve"]


def test_the_provincial_head_approves_any_group(db, team, coops):
    o = team["officer"]
    plan = travel_plan_id(db, plan_visit(db, o, o, coops["a"]))
    submit_trip(db, o, plan)
    approve_trip(db, team["head"], plan)
    assert state_of(db, TravelPlan, plan, "state") == "approved"


def test_approval_refused_when_the_plan_changed_after_it_was_opened(db, team, coops):
    o, director = team["officer"], team["director"]
    v = plan_visit(db, o, o, coops["a"])
    plan = travel_plan_id(db, v)
    with db.session() as s:
        seen = svc.travel_plan_hash(s, s.get(TravelPlan, plan))
    with db.transaction(o.id) as s:
        svc.move_visit(s, o, v, date(2026, 11, 11))
    submit_trip(db, o, plan)
    with pytest.raises(ValidationError, match="แก้ไขหลังจากที่คุณเปิดตรวจ"):
        with db.transaction(director.id) as s:
            svc.approve_travel_plan(s, director, plan, reviewed_hash=seen)
    assert state_of(db, TravelPlan, plan, "state") == "submitted"


def test_submitted_plan_is_locked_and_approved_plan_needs_reapproval_after_an_edit(db, team, coops):
    o, director = team["officer"], team["director"]
    v = plan_visit(db, o, o, coops["a"])
    plan = travel_plan_id(db, v)
    submit_trip(db, o, plan)
    before = counts(db)
    with pytest.raises(LockedError, match="รออนุมัติ"):
        with db.transaction(o.id) as s:
            svc.move_visit(s, o, v, date(2026, 11, 13))
    with pytest.raises(LockedError):
        plan_visit(db, o, o, coops["b"])
    assert counts(db) == before
    approve_trip(db, director, plan)
    with db.session() as s:
        approved_hash = s.get(TravelPlan, plan).approved_hash
    with db.transaction(o.id) as s:
        svc.move_visit(s, o, v, date(2026, 11, 13))
    with db.session() as s:
        p = s.get(TravelPlan, plan)
        assert p.state == "needs_reapproval"
        assert svc.travel_plan_hash(s, p) != approved_hash  # the approval no longer covers it
    submit_trip(db, o, plan)
    approve_trip(db, director, plan)
    assert state_of(db, TravelPlan, plan, "state") == "approved"


def test_returned_plan_carries_the_comment_to_the_officer(db, team, coops):
    o, director = team["officer"], team["director"]
    plan = travel_plan_id(db, plan_visit(db, o, o, coops["a"]))
    submit_trip(db, o, plan)
    with pytest.raises(ValidationError, match="เหตุผล"):
        with db.transaction(director.id) as s:
            svc.return_travel_plan(s, director, plan, comment="  ")
    with db.transaction(director.id) as s:
        svc.return_travel_plan(s, director, plan, comment="ขอให้รวมการเยี่ยมอำเภอเดียวกันไว้วันเดียว")
    with db.session() as s:
        items = views.returned_items(s, s.merge(o))
        assert [(i.kind, i.id, i.comment, i.returned_by) for i in items] == [
            ("travel_plan", plan, "ขอให้รวมการเยี่ยมอำเภอเดียวกันไว้วันเดียว", director.full_name)]
        assert views.month_view(s, o, o.id, NOV).returned_comment.startswith("ขอให้รวม")
    with db.transaction(o.id) as s:  # an edit takes it back to draft
        svc.move_visit(s, o, plan_visits_ids(db, plan)[0], date(2026, 11, 16))
    assert state_of(db, TravelPlan, plan, "state") == "draft"
    with db.session() as s:
        assert views.returned_items(s, o) == []


def plan_visits_ids(db, plan_id):
    with db.session() as s:
        return [v.id for v in svc.plan_visits(s, s.get(TravelPlan, plan_id))]


def test_an_empty_plan_cannot_be_submitted(db, team, coops):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"])
    with db.transaction(o.id) as s:
        svc.delete_visit(s, o, v)
    with pytest.raises(ValidationError, match="ยังไม่มีนัดเยี่ยม"):
        submit_trip(db, o, travel_plan_id(db, v))


def test_moving_a_visit_to_another_month_moves_it_to_that_months_plan(db, team, coops):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"])
    nov_plan = travel_plan_id(db, v)
    with db.transaction(o.id) as s:
        svc.move_visit(s, o, v, date(2026, 12, 2))
    dec_plan = travel_plan_id(db, v)
    assert dec_plan != nov_plan
    assert state_of(db, TravelPlan, dec_plan, "month") == date(2026, 12, 1)
    assert plan_visits_ids(db, nov_plan) == []


# -- reports -------------------------------------------------------------------------------

def test_report_needs_the_visit_to_have_happened_and_the_trip_approved(db, team, coops):
    o, director = team["officer"], team["director"]
    v = plan_visit(db, o, o, coops["a"])
    with pytest.raises(ValidationError, match="ยังไม่ได้บันทึกผล"):
        with db.transaction(o.id) as s:
            svc.submit_report(s, o, v)
    with pytest.raises(ValidationError, match="ยังมาไม่ถึง"):
        record(db, o, v, actual_date=date(2026, 12, 5))
    with pytest.raises(ValidationError, match="จำนวนเต็ม"):
        record(db, o, v, attendees_members=-3)
    record(db, o, v, attendees_committee=9, attendees_staff=2)
    with pytest.raises(ValidationError, match="ยังไม่ได้รับอนุมัติ"):
        with db.transaction(o.id) as s:
            svc.submit_report(s, o, v)
    plan = travel_plan_id(db, v)
    submit_trip(db, o, plan)
    approve_trip(db, director, plan)
    with db.transaction(o.id) as s:
        svc.submit_report(s, o, v)
    assert state_of(db, Visit, v, "report_state") == "submitted"


def test_telephone_follow_up_needs_no_travel_approval(db, team, coops):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"], method="other")
    record(db, o, v)
    with db.transaction(o.id) as s:
        svc.submit_report(s, o, v)


def approved_trip_with_report(db, team, coop, **kw):
    o, director = team["officer"], team["director"]
    v = plan_visit(db, o, o, coop, **kw)
    plan = travel_plan_id(db, v)
    submit_trip(db, o, plan)
    approve_trip(db, director, plan)
    record(db, o, v)
    return v


def approve_report(db, user, visit_id):
    with db.transaction(user.id) as s:
        digest = svc.report_hash(s, s.get(Visit, visit_id))
        svc.approve_report(s, user, visit_id, reviewed_hash=digest)


def test_report_approval_hash_is_invalidated_by_an_edit(db, team, coops):
    o, director = team["officer"], team["director"]
    v = approved_trip_with_report(db, team, coops["a"])
    with db.transaction(o.id) as s:
        svc.submit_report(s, o, v)
    for user in (o, team["other_director"], team["colleague"]):
        with pytest.raises(PermissionDenied):
            approve_report(db, user, v)
    with pytest.raises(LockedError, match="ส่งขออนุมัติแล้ว"):
        record(db, o, v, findings="แก้ระหว่างรออนุมัติ")
    approve_report(db, director, v)
    with db.session() as s:
        visit = s.get(Visit, v)
        assert visit.report_state == "approved" and visit.report_approved_hash == svc.report_hash(s, visit)
        approved = visit.report_approved_hash
    record(db, o, v)  # the same content again is not an edit
    assert state_of(db, Visit, v, "report_state") == "approved"
    record(db, o, v, findings="งบการเงินปิดแล้ว แต่ยังไม่ส่งผู้สอบบัญชี")
    with db.session() as s:
        visit = s.get(Visit, v)
        assert visit.report_state == "needs_reapproval"
        assert svc.report_hash(s, visit) != approved
    with db.transaction(o.id) as s:
        svc.submit_report(s, o, v)
    with pytest.raises(ValidationError, match="แก้ไขหลังจากที่คุณเปิดตรวจ"):
        with db.transaction(director.id) as s:
            svc.approve_report(s, director, v, reviewed_hash=approved)


def test_a_visit_that_did_not_happen_is_reported_with_a_reason(db, team, coops):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"])
    with pytest.raises(ValidationError, match="เหตุผล"):
        with db.transaction(o.id) as s:
            svc.cancel_visit(s, o, v, "  ")
    with db.transaction(o.id) as s:
        svc.cancel_visit(s, o, v, "สหกรณ์เลื่อนการประชุมคณะกรรมการ")
        svc.submit_report(s, o, v)
    assert (state_of(db, Visit, v, "status"), state_of(db, Visit, v, "report_state")) == ("cancelled", "submitted")


# -- follow-ups ------------------------------------------------------------------------------

def test_open_items_carry_into_the_next_visit_and_close_there(db, team, coops):
    o, director = team["officer"], team["director"]
    first = approved_trip_with_report(db, team, coops["a"])
    record(db, o, first, raised=(NewFollowUp("ยังไม่ได้ปิดบัญชีประจำปี", date(2026, 11, 20)),
                                 NewFollowUp("ทะเบียนสมาชิกไม่เป็นปัจจุบัน")))
    second = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 27))
    with db.session() as s:
        prep = svc.preparation(s, o, second)
        # overdue first, then those without a due date
        assert [p.description for p in prep] == ["ยังไม่ได้ปิดบัญชีประจำปี", "ทะเบียนสมาชิกไม่เป็นปัจจุบัน"]
        assert prep[0].days_overdue == 7 and "เกินกำหนด 7 วัน" in prep[0].text_th
        assert svc.preparation(s, o, first) == ()  # its own items are not its preparation
        ids = {f.description: f.id for f in svc.open_followups(s, coops["a"])}
        kept = tuple(NewFollowUp(f.description, f.due_date, id=f.id) for f in svc.open_followups(s, coops["a"]))
    # items raised in a visit cannot be closed in that same visit
    with pytest.raises(ValidationError, match="ครั้งต่อไป"):
        record(db, o, first, raised=kept, resolved_ids=(ids["ยังไม่ได้ปิดบัญชีประจำปี"],))
    with pytest.raises(ValidationError, match="เหตุผล"):
        record(db, o, second, actual_date=date(2026, 11, 27), dropped=((ids["ทะเบียนสมาชิกไม่เป็นปัจจุบัน"], " "),))
    record(db, o, second, actual_date=date(2026, 11, 27), resolved_ids=(ids["ยังไม่ได้ปิดบัญชีประจำปี"],),
           dropped=((ids["ทะเบียนสมาชิกไม่เป็นปัจจุบัน"], "สหกรณ์ย้ายระบบทะเบียนไปที่กรมแล้ว"),))
    with db.session() as s:
        items = {f.description: f for f in s.scalars(select(FollowUpItem))}
        assert items["ยังไม่ได้ปิดบัญชีประจำปี"].status == "resolved"
        assert items["ยังไม่ได้ปิดบัญชีประจำปี"].closed_in_visit_id == second
        assert items["ทะเบียนสมาชิกไม่เป็นปัจจุบัน"].drop_reason == "สหกรณ์ย้ายระบบทะเบียนไปที่กรมแล้ว"
        assert svc.open_followups(s, coops["a"]) == []
    # the first report raised them; closing them later does not disturb its approval
    record(db, o, first, raised=kept)  # saving the first report again keeps its items as they are
    with db.transaction(o.id) as s:
        svc.submit_report(s, o, first)
    approve_report(db, director, first)
    with db.session() as s:
        before = svc.report_hash(s, s.get(Visit, first))
    record(db, o, second, actual_date=date(2026, 11, 27))  # second no longer closes anything
    with db.session() as s:
        assert svc.report_hash(s, s.get(Visit, first)) == before
        assert len(svc.open_followups(s, coops["a"])) == 2  # open again, carried again


def test_a_closed_item_cannot_be_closed_twice(db, team, coops):
    o = team["officer"]
    first = approved_trip_with_report(db, team, coops["a"])
    record(db, o, first, raised=(NewFollowUp("ยังไม่ได้ปิดบัญชีประจำปี"),))
    with db.session() as s:
        item = svc.open_followups(s, coops["a"])[0].id
    b, c = (plan_visit(db, o, o, coops["a"], day=date(2026, 11, d)) for d in (20, 24))
    record(db, o, b, actual_date=date(2026, 11, 20), resolved_ids=(item,))
    with pytest.raises(ValidationError, match="แก้ไขแล้ว"):
        record(db, o, c, actual_date=date(2026, 11, 24), resolved_ids=(item,))


# -- the action plan's actuals ----------------------------------------------------------------

def test_approved_visits_count_as_the_plans_actual_work(db, team, coops):
    o, director = team["officer"], team["director"]
    with db.transaction(director.id) as s:
        group = users.list_groups(s)[0]
        plan = plans.create_plan(s, director, group_id=group.id, fiscal_year=2570,
                                 document=plans.template_document(2570, group.name))
        row = next(a for a in plan.activities if a.unit == "แห่ง")
        lineage, plan_id = row.lineage, plan.id
    v = approved_trip_with_report(db, team, coops["a"], activity_lineage=lineage)
    nov = 1  # ต.ค. = 0

    def actual():
        with db.session() as s:
            p = next(a for a in plans.progress(s, director, plan_id).activities if a.key == lineage)
            return p.actual[nov], p.visits[nov]

    assert actual() == (MonthCell(0), 0)  # a draft report counts for nothing
    with db.transaction(o.id) as s:
        svc.submit_report(s, o, v)
    assert actual() == (MonthCell(0), 0)
    approve_report(db, director, v)
    assert actual() == (MonthCell(1), 1)
    with db.transaction(director.id) as s:  # hand-recorded work adds to it
        plans.save_actual(s, director, plan_id, lineage, nov, work_done=2, baht_disbursed=0)
    assert actual() == (MonthCell(3), 1)
    record(db, o, v, findings="แก้ไขรายงาน")  # back to needs re-approval: no longer counted
    assert actual() == (MonthCell(2), 0)


# -- the inbox ---------------------------------------------------------------------------------

def test_inbox_shows_each_approver_what_they_may_approve(db, team, coops, make_user):
    o, director = team["officer"], team["director"]
    mine = travel_plan_id(db, plan_visit(db, o, o, coops["a"]))
    submit_trip(db, o, mine)
    with db.session() as s:
        assert [i.id for i in views.inbox(s, director)] == [mine]
        assert views.inbox(s, team["other_director"]) == []
        assert [i.id for i in views.inbox(s, team["head"])] == [mine]
        assert views.inbox(s, o) == []  # nobody approves their own
        item = views.inbox(s, director)[0]
        assert item.kind == "travel_plan" and item.owner_name == o.full_name and item.submitted_at is not None
        assert "สหกรณ์การเกษตรเมืองกำแพงเพชร" in item.lines[0]


def test_month_view_flags_holidays_and_overlaps(db, team, coops):
    o = team["officer"]
    plan_visit(db, o, o, coops["a"], day=date(2026, 12, 5), planned_time="09:00")  # Saturday, Father's day
    plan_visit(db, o, o, coops["a"], day=date(2026, 12, 10), planned_time="09:00")  # Constitution Day
    plan_visit(db, o, o, coops["a"], day=date(2026, 12, 8), planned_time="09:00")
    plan_visit(db, o, o, coops["b"], day=date(2026, 12, 8), planned_time="10:00")
    with db.session() as s:
        view = views.month_view(s, o, o.id, date(2026, 12, 1))
        kinds = sorted(c.kind for c in view.conflicts)
        assert kinds == ["holiday", "holiday", "overlap"]
        assert date(2026, 12, 10) in view.holidays and view.can_edit
        assert sorted(i.planned_this_month for i in view.institutions) == [1, 3]
        assert not views.month_view(s, team["colleague"], o.id, date(2026, 12, 1)).can_edit
    with pytest.raises(PermissionDenied):
        with db.session() as s:
            views.month_view(s, team["outsider"], o.id, date(2026, 12, 1))


def test_suggestions_rank_weak_institutions_with_overdue_items_first(db, admin, team, coops):
    o = team["officer"]
    weak = add_institution(db, admin, "สหกรณ์ผู้ใช้น้ำบึงทับแรต จำกัด", o, reg_no="กพ 000010",
                           years=[(2569, YearData(strength_class=3, standards_result="fail"))])
    v = approved_trip_with_report(db, team, weak, day=date(2026, 11, 3))
    record(db, o, v, actual_date=date(2026, 11, 3), raised=(NewFollowUp("ค้างชำระหนี้เงินกู้กองทุน", date(2026, 11, 20)),))
    with db.session() as s:
        ranked = views.suggestions(s, o, o.id, date(2026, 12, 1), today=date(2026, 12, 1))
    assert ranked[0].institution_id == weak
    kinds = [r.kind for r in ranked[0].reasons]
    assert kinds[:2] == [rules.FOLLOWUPS_DUE, rules.WEAK]
    assert ranked[0].followup_ids and ranked[0].suggested_day.month == 12
    never = [s for s in ranked if s.institution_id in (coops["a"], coops["b"])]
    assert len(never) == 2 and all(rules.NOT_VISITED in [r.kind for r in s.reasons] for s in never)
    assert all(s.score < ranked[0].score for s in never)
    # one click schedules it; it is then no longer suggested
    with db.transaction(o.id) as s:
        made = svc.create_visit(s, o, o.id, views.plan_for_suggestion(ranked[0]))
        assert "ข้อสังเกตค้าง" in made.purpose
    with db.session() as s:
        again = views.suggestions(s, o, o.id, date(2026, 12, 1), today=date(2026, 12, 1))
    assert weak not in [x.institution_id for x in again]


def test_every_change_is_audited(db, team, coops):
    v = approved_trip_with_report(db, team, coops["a"])
    with db.session() as s:
        actions = [a for (a,) in s.execute(select(AuditEntry.action).where(AuditEntry.action.like("%visit%")
                                                                             | AuditEntry.action.like("travel%")))]
    assert {"travel_plan.create", "visit.create", "travel_plan.submit", "travel_plan.approve",
            "visit.report"} <= set(actions)
    assert v


def test_a_visit_added_after_approval_waits_for_reapproval_but_the_approved_ones_do_not(db, team, coops):
    o, director = team["officer"], team["director"]
    first = approved_trip_with_report(db, team, coops["a"])
    late = plan_visit(db, o, o, coops["b"], day=date(2026, 11, 12))
    plan = travel_plan_id(db, first)
    assert state_of(db, TravelPlan, plan, "state") == "needs_reapproval"
    record(db, o, late, actual_date=date(2026, 11, 12))
    with pytest.raises(ValidationError, match="ยังไม่ได้รับอนุมัติ"):
        with db.transaction(o.id) as s:
            svc.submit_report(s, o, late)
    with db.transaction(o.id) as s:
        svc.submit_report(s, o, first)  # its trip was approved as planned
    submit_trip(db, o, plan)
    approve_trip(db, director, plan)
    with db.transaction(o.id) as s:
        svc.submit_report(s, o, late)


def test_bulk_approval_is_all_or_nothing(db, team, coops):
    o, director = team["officer"], team["director"]
    a = travel_plan_id(db, plan_visit(db, o, o, coops["a"]))
    b = travel_plan_id(db, plan_visit(db, o, o, coops["b"], day=date(2026, 12, 3)))
    submit_trip(db, o, a)
    submit_trip(db, o, b)
    with db.session() as s:
        items = [(i.kind, i.id, i.content_hash) for i in views.inbox(s, director)]
    assert {i[1] for i in items} == {a, b}
    stale = [items[0], (items[1][0], items[1][1], "0" * 64)]
    with pytest.raises(ValidationError, match=f"^แผนการเดินทางเดือน.* ของ{o.full_name}: เนื้อหาถูกแก้ไข"):
        with db.transaction(director.id) as s:
            svc.approve_items(s, director, stale)
    assert {state_of(db, TravelPlan, x, "state") for x in (a, b)} == {"submitted"}
    with db.transaction(director.id) as s:
        assert svc.approve_items(s, director, items) == 2
    assert {state_of(db, TravelPlan, x, "state") for x in (a, b)} == {"approved"}


# -- review findings, each first shown failing ------------------------------------------------

def test_the_visit_is_reported_in_the_month_its_trip_was_approved_for(db, team, coops):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 30))
    with pytest.raises(ValidationError, match="ต้องอยู่ในเดือนพฤศจิกายน 2569"):
        with db.transaction(o.id) as s:
            svc.save_report(s, o, v, VisitReport(date(2026, 12, 1), findings="x"), today=date(2026, 12, 2))
    with pytest.raises(ValidationError, match="ต้องอยู่ในเดือน"):
        record(db, o, v, actual_date=date(2026, 10, 30))


def test_a_director_who_wrote_the_report_does_not_approve_it(db, team, coops):
    o, director = team["officer"], team["director"]
    v = approved_trip_with_report(db, team, coops["a"])
    record(db, director, v, findings="ผู้อำนวยการเขียนแทน")
    with db.transaction(o.id) as s:
        svc.submit_report(s, o, v)
    with pytest.raises(PermissionDenied, match="แก้ไขรายงานการเยี่ยมนี้เอง"):
        approve_report(db, director, v)
    approve_report(db, team["head"], v)


def test_an_item_cannot_be_closed_in_a_visit_before_the_one_that_raised_it(db, team, coops):
    o = team["officer"]
    early = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 3))
    late = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 20))
    record(db, o, late, actual_date=date(2026, 11, 20), raised=(NewFollowUp("ผู้จัดการยังไม่คืนเงินยืม"),))
    with db.session() as s:
        item = svc.open_followups(s, coops["a"])[0].id
        assert svc.preparation(s, o, early) == ()  # not known yet on 3 Nov
    with pytest.raises(ValidationError, match="พบหลังการเยี่ยมครั้งนี้"):
        record(db, o, early, actual_date=date(2026, 11, 3), resolved_ids=(item,))


def test_an_institutions_history_shows_only_visits_the_user_may_see(db, admin, team, coops):
    o = team["officer"]
    record(db, o, plan_visit(db, o, o, coops["a"]), raised=(NewFollowUp("ผู้จัดการยักยอกเงิน"),))
    with db.session() as s:
        mine = views.institution_history(s, o, coops["a"])
        theirs = views.institution_history(s, team["outsider"], coops["a"])
        assert len(mine.recent_visits) == 1 and len(mine.open_followups) == 1
        assert theirs.recent_visits == () and theirs.open_followups == ()
        assert len(views.institution_history(s, team["head"], coops["a"]).recent_visits) == 1
    with pytest.raises(PermissionDenied):
        with db.session() as s:
            svc.history(s, team["outsider"], travel_plan_id(db, mine.recent_visits[0].id))


def test_the_inbox_shows_everything_the_travel_approval_covers(db, team, coops):
    o, director = team["officer"], team["director"]
    plan = travel_plan_id(db, plan_visit(db, o, o, coops["a"], planned_time="09:30", duration_min=180,
                                         purpose="ติดตามการปิดบัญชี", co_officer_ids=(team["colleague"].id,)))
    submit_trip(db, o, plan)
    with db.session() as s:
        line = views.inbox(s, director)[0].lines[0]
    assert "09:30–12:30" in line and "ประเด็น: ติดตามการปิดบัญชี" in line
    assert f"ผู้ร่วมเดินทาง: {team['colleague'].full_name}" in line


def test_the_month_view_also_brings_the_visits_of_the_neighbouring_weeks(db, team, coops):
    o = team["officer"]
    plan_visit(db, o, o, coops["a"], day=date(2026, 11, 30))
    early_dec = plan_visit(db, o, o, coops["b"], day=date(2026, 12, 2))
    plan_visit(db, o, o, coops["b"], day=date(2026, 12, 15))  # beyond a week: not shown with November
    with db.session() as s:
        view = views.month_view(s, o, o.id, NOV)
    assert [v.planned_date for v in view.visits] == [date(2026, 11, 30)]
    assert [v.id for v in view.neighbours] == [early_dec]
