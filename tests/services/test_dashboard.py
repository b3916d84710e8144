"""The dashboard's numbers on a real SQLite file, each checked against the same figures
counted here by hand from the rows this test writes (registry, yearly rows, visits, a plan
with actuals), for an officer, a director and the provincial head."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.rules.kpi import percent
from app.rules.plan import MonthCell
from app.rules.registry import InstitutionData, YearData
from app.services import deadline_views, plans, registry, users
from app.services import visits as svc
from app.services.dashboard import CLASS_SLOTS, dashboard
from app.thai import thai_sort_key

FY = 2569  # 1 Oct 2025 – 30 Sep 2026
YEARS = (2567, 2568, 2569)
TODAY = date(2026, 3, 16)


@pytest.fixture
def team(db, admin, make_user):
    return {
        "officer": make_user("off1", "officer", group=0),
        "colleague": make_user("off2", "officer", group=0),
        "director": make_user("dir1", "director", group=0),
        "other_director": make_user("dir2", "director", group=1),
        "outsider": make_user("off9", "officer", group=1),
        "head": make_user("head", "provincial_head", group=None),
    }


def year_row(rng: random.Random, kind: str) -> YearData:
    roll = rng.random()
    if roll < 0.1:
        return YearData(out_of_scope=True, standards_result=rng.choice(["pass", "fail", "not_assessed", None]))
    return YearData(strength_class=rng.choice([1, 2, 2, 3, 3, 4, None]),
                    standards_result=rng.choice(["pass", "pass", "fail", "not_assessed", None]))


@pytest.fixture
def office(db, admin, team):
    """Institutions of three officers in two groups with three years of rows (seeded, so the
    same every run); `rows[id][fy]` is exactly what was written."""
    rng = random.Random(20250)
    owners = [("officer", "coop", 5), ("officer", "farmer_group", 3), ("colleague", "coop", 3),
              ("outsider", "coop", 3), ("outsider", "farmer_group", 2)]
    insts: dict[str, dict] = {}
    rows: dict[str, dict[int, YearData]] = {}
    n = 0
    with db.transaction(admin.id) as s:
        for who, kind, count in owners:
            officer = team[who]
            for _i in range(count):
                n += 1
                name = (f"สหกรณ์การเกษตรทดสอบที่ {n} จำกัด" if kind == "coop" else f"กลุ่มเกษตรกรทำนาทดสอบที่ {n}")
                inst = registry.create_institution(s, admin, InstitutionData(
                    reg_no=f"กพ {n:06d}", name=name, kind=kind, coop_type="agriculture" if kind == "coop" else None,
                    district_code="6201", officer_id=officer.id, group_id=officer.group_id))
                insts[inst.id] = {"name": name, "kind": kind, "officer": who, "group": officer.group_id}
                rows[inst.id] = {}
                for fy in YEARS:
                    if rng.random() < 0.15:
                        continue  # nothing recorded for that year
                    data = year_row(rng, kind)
                    registry.save_year(s, admin, inst.id, fy, data)
                    rows[inst.id][fy] = data
        # Registered in FY 2568 with no row for 2567: not part of the 2567 bar at all.
        late = registry.create_institution(s, admin, InstitutionData(
            reg_no="กพ 000099", name="สหกรณ์ผู้ใช้น้ำทดสอบใหม่ จำกัด", kind="coop", coop_type="agriculture",
            district_code="6201", officer_id=team["officer"].id, group_id=team["officer"].group_id,
            registered_on=date(2025, 1, 15), acct_year_end_month=12, acct_year_end_day=31))
        insts[late.id] = {"name": "สหกรณ์ผู้ใช้น้ำทดสอบใหม่ จำกัด", "kind": "coop", "officer": "officer",
                          "group": team["officer"].group_id, "registered_on": date(2025, 1, 15)}
        rows[late.id] = {2569: YearData(strength_class=1, standards_result="pass")}
        registry.save_year(s, admin, late.id, 2569, rows[late.id][2569])
    return {"insts": insts, "rows": rows, "late": late.id}


def in_scope(office, team, who: str) -> set[str]:
    user = team[who]
    insts = office["insts"]
    if who == "head":
        return set(insts)
    if "director" in who:
        return {i for i, v in insts.items() if v["group"] == user.group_id}
    return {i for i, v in insts.items() if v["officer"] == who}


def existed(office, inst_id: str, fy: int) -> bool:
    reg = office["insts"][inst_id].get("registered_on")
    return fy in office["rows"][inst_id] or reg is None or reg <= date(fy - 543, 9, 30)  # the FY's last day


def by_name(office, ids) -> tuple[str, ...]:
    return tuple(sorted(ids, key=lambda i: (thai_sort_key(office["insts"][i]["name"]), i)))


@pytest.mark.parametrize("who", ["officer", "director", "head"])
def test_scope_strength_and_standards_match_the_rows(db, team, office, who):
    user = team[who]
    with db.session() as s:
        dash = dashboard(s, user, FY, today=TODAY)
    mine = in_scope(office, team, who)
    assert set(dash.institution_ids) == mine
    assert dash.institution_ids == by_name(office, mine)
    assert dict(dash.kinds) == {k: n for k in ("coop", "farmer_group")
                                if (n := sum(office["insts"][i]["kind"] == k for i in mine))}
    assert dash.years == YEARS
    for year in dash.strength:
        fy = year.fiscal_year
        expected = {slot: set() for slot in CLASS_SLOTS}
        for i in mine:
            if not existed(office, i, fy):
                continue
            row = office["rows"][i].get(fy)
            if row is not None and row.out_of_scope:
                expected["out_of_scope"].add(i)
            elif row is None or row.strength_class is None:
                expected["none"].add(i)
            else:
                expected[str(row.strength_class)].add(i)
        assert {slot: set(ids) for slot, ids in year.ids.items()} == expected, fy
        assert year.total == sum(len(v) for v in expected.values())
        for kind in ("coop", "farmer_group"):
            sy = dash.standards_of(fy, kind)
            results = {i: office["rows"][i].get(fy, YearData()).standards_result
                       for i in mine if office["insts"][i]["kind"] == kind and existed(office, i, fy)}
            passed = {i for i, r in results.items() if r == "pass"}
            failed = {i for i, r in results.items() if r == "fail"}
            assert set(sy.passed_ids) == passed and set(sy.failed_ids) == failed
            assert set(sy.not_assessed_ids) == {i for i, r in results.items() if r == "not_assessed"}
            assert set(sy.missing_ids) == {i for i, r in results.items() if r is None}
            assert sy.rate == percent(len(passed), len(passed) + len(failed))
            if passed or failed:
                assert sy.rate == (Decimal(100 * len(passed)) / (len(passed) + len(failed))).quantize(Decimal("0.01"))
    # The KPI cards' standards figure is this year's bar, and the ids behind it are named.
    coop = dash.kpi("standards_coop")
    sy = dash.standards_of(FY, "coop")
    assert (coop.numerator, coop.denominator) == (len(sy.passed_ids), sy.assessed)
    assert set(coop.numerator_ids) == set(sy.passed_ids)
    assert coop.value == sy.rate
    strength = dash.kpi("strength_coop_1_2")
    this_year = {i: office["rows"][i].get(FY) for i in mine if office["insts"][i]["kind"] == "coop"}
    classified = {i for i, r in this_year.items() if r and not r.out_of_scope and r.strength_class in (1, 2, 3)}
    assert strength.denominator == len(classified)
    assert strength.numerator == sum(this_year[i].strength_class in (1, 2) for i in classified)
    for r in dash.kpis:
        assert {*r.numerator_ids, *r.denominator_ids, *r.excluded_ids, *r.missing_ids} <= set(dash.institutions)


def test_the_new_institution_is_left_out_of_the_year_before_it_was_registered(db, team, office):
    with db.session() as s:
        dash = dashboard(s, team["officer"], FY, today=TODAY)
    late = office["late"]
    y2567, _y2568, y2569 = dash.strength
    assert all(late not in ids for ids in y2567.ids.values())
    assert late in y2569.ids["1"]


def plan_visit(s, officer, inst, day, *, done=False, cancelled=False):
    v = svc.create_visit(s, officer, officer.id, svc.VisitPlan(inst, day, "09:00"))
    if done:
        svc.save_report(s, officer, v.id, svc.VisitReport(actual_date=day, findings="ตรวจเยี่ยมแล้ว"), today=TODAY)
    if cancelled:
        svc.cancel_visit(s, officer, v.id, "ฝนตกหนัก น้ำท่วมทาง")
    return v


def test_visits_per_month_count_planned_and_made_in_scope(db, team, office):
    officer, colleague, outsider = team["officer"], team["colleague"], team["outsider"]
    mine = sorted(in_scope(office, team, "officer"))
    theirs = sorted(in_scope(office, team, "colleague"))
    other_group = sorted(in_scope(office, team, "outsider"))
    with db.transaction(officer.id) as s:
        plan_visit(s, officer, mine[0], date(2025, 11, 5), done=True)
        plan_visit(s, officer, mine[0], date(2025, 11, 20))  # planned, not reported
        plan_visit(s, officer, mine[1], date(2025, 11, 12), done=True)
        plan_visit(s, officer, mine[2], date(2026, 1, 8), cancelled=True)
        plan_visit(s, officer, mine[1], date(2026, 3, 20))
        plan_visit(s, officer, mine[1], date(2026, 10, 2))  # next fiscal year
    with db.transaction(colleague.id) as s:
        plan_visit(s, colleague, theirs[0], date(2025, 11, 6), done=True)
    with db.transaction(outsider.id) as s:
        plan_visit(s, outsider, other_group[0], date(2025, 12, 3), done=True)

    with db.session() as s:
        mine_dash = dashboard(s, officer, FY, today=TODAY)
        group_dash = dashboard(s, team["director"], FY, today=TODAY)
        head_dash = dashboard(s, team["head"], FY, today=TODAY)
    months = [v.month for v in mine_dash.visits]
    assert months[0] == date(2025, 10, 1) and months[-1] == date(2026, 9, 1) and len(months) == 12
    counts = {v.month: (v.planned, v.done) for v in mine_dash.visits if v.planned or v.done}
    assert counts == {date(2025, 11, 1): (3, 2), date(2026, 1, 1): (1, 0), date(2026, 3, 1): (1, 0)}
    nov = mine_dash.visits[1]
    assert set(nov.planned_ids) == {mine[0], mine[1]} and set(nov.done_ids) == {mine[0], mine[1]}
    assert nov.planned_days[mine[0]] == (date(2025, 11, 5), date(2025, 11, 20))
    assert nov.done_days[mine[0]] == (date(2025, 11, 5),)
    assert group_dash.visits[1].planned == 4 and group_dash.visits[1].done == 3
    assert group_dash.visits[2].planned == 0  # the other group's December visit
    assert head_dash.visits[2].done == 1 and set(head_dash.visits[2].done_ids) == {other_group[0]}


def with_months(doc, number, months):
    rows, done = [], False
    for a in doc.sheet.activities:
        if not done and a.number == number and not a.is_heading:
            a, done = replace(a, months=tuple(months)), True
        rows.append(a)
    assert done
    return replace(doc, sheet=replace(doc.sheet, activities=tuple(rows)))


def test_budget_is_the_groups_plan_cumulative(db, team, office):
    officer = team["officer"]
    planned = [MonthCell()] * 12
    for m in (1, 2, 4, 7):
        planned[m] = MonthCell(1, Decimal(1750))
    with db.transaction(officer.id) as s:
        group = users.list_groups(s)[0]
        doc = with_months(plans.template_document(FY, group.name), "(๑)", planned)
        plan = plans.create_plan(s, officer, group_id=group.id, fiscal_year=FY, document=doc)
        key = next(a.key for a in plans.document_of(s, officer, plan.id).sheet.activities if a.number == "(๑)")
        plans.save_actual(s, officer, plan.id, key, 1, work_done=1, baht_disbursed=Decimal(1700))
        plans.save_actual(s, officer, plan.id, key, 2, work_done=1, baht_disbursed=Decimal(1800))
    with db.session() as s:
        mine = dashboard(s, officer, FY, today=TODAY).budget
        head = dashboard(s, team["head"], FY, today=TODAY).budget
        other = dashboard(s, team["other_director"], FY, today=TODAY).budget
    expected_planned, running = [], Decimal(0)
    for cell in planned:
        running += cell.baht
        expected_planned.append(running)
    assert list(mine.planned_cumulative) == expected_planned
    assert mine.disbursed_cumulative[:4] == (Decimal(0), Decimal(1700), Decimal(3500), Decimal(3500))
    assert mine.months_reported == 3 and mine.plan_count == 1 and mine.group_names == (group.name,)
    assert head == mine  # only the first group has a plan for the year
    assert other.plan_count == 0 and set(other.planned_cumulative) == {Decimal(0)}


def test_deadlines_are_the_open_ones_overdue_first(db, team, office):
    late = office["late"]  # accounting year ends 31 Dec; nothing recorded for 2568
    with db.session() as s:
        dash = dashboard(s, team["officer"], FY, today=TODAY)
        expected = deadline_views.deadlines_for(s, team["officer"], today=TODAY, only_open=True)
        close_days = deadline_views.accounts_close_days(s)
    assert list(dash.deadlines) == expected and dash.within_days == 30
    assert all(d.status in ("overdue", "due_soon") for d in dash.deadlines)
    statuses = [d.status for d in dash.deadlines]
    assert statuses == sorted(statuses, key=lambda st: st != "overdue")
    accounts = [d for d in dash.deadlines if d.institution_id == late and d.kind == "accounts"]
    due = date(2025, 12, 31) + timedelta(days=close_days)
    assert any(d.year_end == date(2025, 12, 31) and d.due == due for d in accounts)
    for d in dash.deadlines:
        assert d.institution_id in dash.institutions
        assert (d.status == "overdue") == (d.due < TODAY)


def test_a_user_without_a_scope_sees_nothing_and_an_empty_office_is_fine(db, admin, make_user):
    lone = make_user("dir0", "director", group=None)
    with db.session() as s:
        empty = dashboard(s, lone, FY, today=TODAY)
        office = dashboard(s, admin, FY, today=TODAY)
    for dash in (empty, office):
        assert dash.institution_ids == () and all(y.total == 0 for y in dash.strength)
        assert all(v.planned == 0 for v in dash.visits) and dash.deadlines == ()
    assert office.scope_kind == "all" and empty.scope_kind == "none"


def test_a_year_without_results_yet_shows_the_latest_years_indicators(db, team, office):
    with db.session() as s:
        current = dashboard(s, team["head"], FY, today=TODAY)
        early = dashboard(s, team["head"], FY + 1, today=TODAY)  # nothing recorded for 2570
    assert current.kpi_year == FY
    assert early.kpi_year == FY and early.fiscal_year == FY + 1
    assert [(k.key, k.numerator, k.denominator) for k in early.kpis] == \
        [(k.key, k.numerator, k.denominator) for k in current.kpis]
