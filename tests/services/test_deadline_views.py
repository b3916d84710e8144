"""The deadline calendar through the services on a real SQLite file: institutions and yearly
records made with the registry and assessment services, the scope rule (an officer sees only
theirs, a director the group, the head everything), an AGM overdue, a standards report late,
a report due across Songkran, dates typed into the row of the year they happened, and the
office's accounts-closing setting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.errors import PermissionDenied
from app.models import WorkGroup
from app.rules import deadlines as rules
from app.rules import standards
from app.rules.registry import InstitutionData, YearData
from app.services import assessments, deadline_views, registry, settings
from app.services.scope import institution_scope, scoped_institution_ids

TODAY = date(2026, 6, 15)  # FY 2569; latest 31 Dec year end 31 Dec 2025, the one before 31 Dec 2024
END, END_BEFORE = date(2025, 12, 31), date(2024, 12, 31)


@pytest.fixture
def team(db, admin, make_user):
    return {"off1": make_user("off1", "officer", group=0, name="นายหนึ่ง ส่งเสริม"),
            "off2": make_user("off2", "officer", group=0, name="นางสองร่วม กลุ่มเดียวกัน"),
            "off9": make_user("off9", "officer", group=1, name="นายเก้า ต่างกลุ่ม"),
            "dir1": make_user("dir1", "director", group=0),
            "head": make_user("head", "provincial_head", group=None),
            "clerk": make_user("clerk", "clerk", group=None)}


def add(db, admin, officer, name, reg_no, *, kind="coop", status="operating", year_end=(12, 31), registered_on=None):
    with db.transaction(admin.id) as s:
        return registry.create_institution(s, admin, InstitutionData(
            reg_no=reg_no, name=name, kind=kind, coop_type="agriculture" if kind == "coop" else None,
            district_code="6201", status=status, officer_id=officer.id, group_id=officer.group_id,
            acct_year_end_month=year_end[0] if year_end else None, acct_year_end_day=year_end[1] if year_end else None,
            registered_on=registered_on)).id


def year(db, admin, inst, fy, **values):
    with db.transaction(admin.id) as s:
        registry.save_year(s, admin, inst, fy, YearData(**values))


def report_standards(db, admin, inst, fy, reported_on, *, kind="coop"):
    n = 7 if kind == "coop" else 5
    answers = tuple(standards.CriterionAnswer(str(i), True) for i in range(1, n + 1))
    with db.transaction(admin.id) as s:
        assessments.save_standards(s, admin, inst, fy, standards.Assessment(inst, kind, fy, True, answers),
                                   reported_on=reported_on)


@pytest.fixture
def office(db, admin, team):
    """A: off1, books closed on time, AGM missing this year; last year's AGM just before
    Songkran with the result reported on the (holiday-shifted) due day.
    B: off1, AGM held, standards result reported late.
    C: off2 (same group), nothing recorded.
    D: off9 (other group), nothing recorded."""
    ids = {
        "A": add(db, admin, team["off1"], "สหกรณ์การเกษตรก้าวหน้า จำกัด", "กพ 100001"),
        "B": add(db, admin, team["off1"], "สหกรณ์การเกษตรบ้านใหม่ จำกัด", "กพ 100002"),
        "C": add(db, admin, team["off2"], "สหกรณ์การเกษตรคลองขลุง จำกัด", "กพ 100003"),
        "D": add(db, admin, team["off9"], "สหกรณ์การเกษตรพรานกระต่าย จำกัด", "กพ 100004"),
    }
    year(db, admin, ids["A"], 2569, accounts_closed_date=date(2026, 1, 20))
    year(db, admin, ids["A"], 2568, accounts_closed_date=date(2025, 1, 15), agm_date=date(2025, 4, 10))
    report_standards(db, admin, ids["A"], 2568, date(2025, 4, 17))
    for fy in (2568, 2569):
        end = date(2024 + fy - 2568, 12, 31)
        year(db, admin, ids["B"], fy, accounts_closed_date=end + timedelta(days=25),
             agm_date=end + timedelta(days=75))
    report_standards(db, admin, ids["B"], 2568, date(2025, 3, 20))
    report_standards(db, admin, ids["B"], 2569, date(2026, 3, 25))  # AGM Mon 16 Mar 2026: due Wed 18 Mar
    return ids


def mine(found, inst_id):
    return {(d.year_end, d.kind): d for d in found if d.institution_id == inst_id}


def test_scope_rule_officer_director_head(db, team, office):
    with db.session() as s:
        seen = {who: set(scoped_institution_ids(s, team[who])) for who in ("off1", "off2", "off9", "dir1", "head",
                                                                           "clerk")}
        label, where, kind = institution_scope(s, team["dir1"])
        assert kind == "group" and where is not None and label == s.get(WorkGroup, team["dir1"].group_id).name
        assert institution_scope(s, team["head"])[1:] == (None, "all")
    assert seen["off1"] == {office["A"], office["B"]}
    assert seen["off2"] == {office["C"]}
    assert seen["off9"] == {office["D"]}
    assert seen["dir1"] == {office["A"], office["B"], office["C"]}
    assert seen["head"] == seen["clerk"] == set(office.values())
    with db.session() as s:
        for who, expected in seen.items():
            found = deadline_views.deadlines_for(s, team[who], today=TODAY)
            assert {d.institution_id for d in found} == expected, who


def test_overdue_agm_and_on_time_accounts(db, team, office):
    with db.session() as s:
        found = deadline_views.deadlines_for(s, team["off1"], today=TODAY)
    a = mine(found, office["A"])
    agm = a[(END, rules.AGM)]
    assert (agm.due, agm.status, agm.days, agm.done_on) == (date(2026, 5, 30), rules.OVERDUE, 16, None)
    assert agm.officer_name == "นายหนึ่ง ส่งเสริม" and "เกินกำหนด" in agm.text_th and "2569" in agm.text_th
    accounts = a[(END, rules.ACCOUNTS)]
    assert (accounts.due, accounts.status, accounts.done_on) == (date(2026, 1, 30), rules.DONE_ON_TIME,
                                                                 date(2026, 1, 20))
    assert (END, rules.STANDARDS) not in a  # no AGM yet, nothing to count from
    # Overdue first, most overdue on top.
    statuses = [d.status for d in found]
    assert statuses.index(rules.OVERDUE) == 0 and rules.OVERDUE not in statuses[statuses.count(rules.OVERDUE):]


def test_standards_report_late_and_across_songkran(db, team, office):
    with db.session() as s:
        found = deadline_views.deadlines_for(s, team["dir1"], today=TODAY)
    late = mine(found, office["B"])[(END, rules.STANDARDS)]
    # AGM Monday 16 Mar 2026 + 2 working days = Wednesday 18 Mar; reported 25 Mar, 7 days late.
    assert (late.due, late.done_on, late.status, late.days) == (date(2026, 3, 18), date(2026, 3, 25),
                                                                rules.DONE_LATE, 7)
    # AGM Thursday 10 Apr 2025: Friday counts, the weekend and Songkran (14–16 Apr) do not.
    songkran = mine(found, office["A"])[(END_BEFORE, rules.STANDARDS)]
    assert (songkran.due, songkran.status) == (date(2025, 4, 17), rules.DONE_ON_TIME)


def test_only_open_lists_overdue_and_due_soon(db, team, office):
    with db.session() as s:
        everything = deadline_views.deadlines_for(s, team["head"], today=TODAY)
        open_now = deadline_views.deadlines_for(s, team["head"], today=TODAY, only_open=True)
        soon = deadline_views.deadlines_for(s, team["head"], today=date(2026, 5, 20), within_days=10, only_open=True)
    assert open_now == [d for d in everything if d.status in (rules.OVERDUE, rules.DUE_SOON)]
    assert {d.institution_id for d in open_now} == {office["A"], office["C"], office["D"]}  # B is all done
    due_soon = [d for d in soon if d.status == rules.DUE_SOON]
    assert {(d.institution_id, d.kind, d.due, d.days) for d in due_soon} == {
        (office["A"], rules.AGM, date(2026, 5, 30), 10), (office["C"], rules.AGM, date(2026, 5, 30), 10),
        (office["D"], rules.AGM, date(2026, 5, 30), 10)}
    assert all(d.as_json()["due"] == d.due.isoformat() for d in open_now)


def test_a_date_typed_into_the_year_it_happened_finds_its_accounting_year(db, admin, team):
    # 30 Sep year end: FY 2569's own year ends 30 Sep 2026 (after TODAY); the AGM held on
    # 20 Jan 2026 was typed into FY 2569's row although it is for the year ending 30 Sep 2025.
    inst = add(db, admin, team["off1"], "สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด", "กพ 100005", year_end=(9, 30))
    year(db, admin, inst, 2568, accounts_closed_date=date(2025, 10, 20))
    year(db, admin, inst, 2569, agm_date=date(2026, 1, 20))
    with db.session() as s:
        found = mine(deadline_views.deadlines_for(s, team["off1"], today=TODAY), inst)
    agm = found[(date(2025, 9, 30), rules.AGM)]
    assert (agm.done_on, agm.status) == (date(2026, 1, 20), rules.DONE_ON_TIME)
    assert found[(date(2025, 9, 30), rules.ACCOUNTS)].status == rules.DONE_ON_TIME
    assert found[(date(2025, 9, 30), rules.STANDARDS)].status == rules.OVERDUE  # due 22 Jan 2026, not reported


def test_a_result_recorded_without_a_report_date_is_not_overdue(db, admin, team):
    inst = add(db, admin, team["off1"], "กลุ่มเกษตรกรทำนาวังยาง", "กพ 100006", kind="farmer_group")
    year(db, admin, inst, 2569, accounts_closed_date=date(2026, 1, 10), agm_date=date(2026, 2, 20),
         standards_result="pass")
    other = add(db, admin, team["off1"], "กลุ่มเกษตรกรทำสวนวังยาง", "กพ 100007", kind="farmer_group")
    year(db, admin, other, 2569, accounts_closed_date=date(2026, 1, 10), agm_date=date(2026, 2, 20))
    with db.session() as s:
        found = deadline_views.deadlines_for(s, team["off1"], today=TODAY)
    assert (END, rules.STANDARDS) not in mine(found, inst)
    assert mine(found, other)[(END, rules.STANDARDS)].status == rules.OVERDUE


def test_an_assessment_recorded_here_but_not_yet_reported_is_still_due(db, admin, team):
    inst = add(db, admin, team["off1"], "กลุ่มเกษตรกรทำไร่วังยาง", "กพ 100008", kind="farmer_group")
    year(db, admin, inst, 2569, accounts_closed_date=date(2026, 1, 10), agm_date=date(2026, 2, 20))
    report_standards(db, admin, inst, 2569, None, kind="farmer_group")  # assessed, not sent to the office
    with db.session() as s:
        found = deadline_views.deadlines_for(s, team["off1"], today=TODAY)
    assert mine(found, inst)[(END, rules.STANDARDS)].status == rules.OVERDUE


def test_no_deadlines_without_year_end_or_when_wound_up_or_registered_later(db, admin, team):
    unknown = add(db, admin, team["off1"], "สหกรณ์ไม่ทราบวันสิ้นปี จำกัด", "กพ 100008", year_end=None)
    wound = add(db, admin, team["off1"], "สหกรณ์เลิกแล้ว จำกัด", "กพ 100009", status="dissolving")
    young = add(db, admin, team["off1"], "สหกรณ์ตั้งใหม่ จำกัด", "กพ 100010", registered_on=date(2025, 3, 1))
    with db.session() as s:
        found = deadline_views.deadlines_for(s, team["off1"], today=TODAY)
    assert not mine(found, unknown) and not mine(found, wound)
    assert {y for y, _k in mine(found, young)} == {END}


def test_accounts_closing_days_is_the_office_setting(db, admin, team, office):
    with db.session() as s:
        assert deadline_views.accounts_close_days(s) == 30
    with db.transaction(admin.id) as s:
        settings.put(s, admin, "accounts_close_days", 60)
    with db.session() as s:
        found = mine(deadline_views.deadlines_for(s, team["off2"], today=TODAY), office["C"])
    assert found[(END, rules.ACCOUNTS)].due == date(2026, 3, 1)
    with pytest.raises(PermissionDenied), db.transaction(team["dir1"].id) as s:
        settings.put(s, team["dir1"], "accounts_close_days", 10)


def test_an_inactive_account_is_refused_and_a_director_without_a_group_sees_nothing(db, admin, team, office,
                                                                                     make_user):
    from app.services import users

    lone = make_user("lone", "director", group=None)
    with db.session() as s:
        assert deadline_views.deadlines_for(s, lone, today=TODAY) == []
        assert institution_scope(s, lone).kind == "none"
    with db.transaction(admin.id) as s:
        gone = users.update_user(s, admin, team["off1"].id, users.UserData(
            "off1", "นายหนึ่ง ส่งเสริม", group_id=team["off1"].group_id, active=False))
        s.flush()
        s.expunge(gone)
    with db.session() as s, pytest.raises(PermissionDenied):
        deadline_views.deadlines_for(s, gone, today=TODAY)
