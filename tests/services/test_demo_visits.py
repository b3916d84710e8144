"""The demo's CPS visits: a year of field work in every state an office has at once, approved
by the right people, counted in the action plan, the same every time; and the bulk history
used for performance work."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from app.bootstrap import open_app_database
from app.models import (
    ApprovalEvent,
    FollowUpItem,
    Institution,
    Plan,
    SyncCounter,
    TravelPlan,
    User,
    Visit,
)
from app.services import demo, plans
from app.services import visit_views as views
from app.services import visits as svc
from app.services.demo_visits import OFFICERS, add_months, add_visit_history
from app.thai import default_calendar, fiscal_year, fiscal_year_bounds

SEED = 2567
TODAY = date.today()
THIS_MONTH = TODAY.replace(day=1)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo_visits") / "demo.sqlite3"
    summary = demo.create_demo_database(path, seed=SEED, today=TODAY)
    db = open_app_database(path)
    yield db, summary
    db.dispose()


def _people(s) -> dict[str, User]:
    return {u.login: u for u in s.scalars(select(User))}


def test_summary_counts_every_state(made):
    _, summary = made
    v = summary["visits"]
    assert 200 <= v["visits"] <= 400
    assert {"approved", "submitted", "returned", "draft", "needs_reapproval"} <= set(v["travel_plans"])
    assert v["travel_plans"]["returned"] == 1 and v["travel_plans"]["needs_reapproval"] == 1
    assert {"approved", "submitted", "returned", "draft", "needs_reapproval"} <= set(v["reports"])
    assert v["reports"]["approved"] > v["visits"] / 2  # most past reports are approved
    assert v["by_status"]["cancelled"] > 0 and v["by_status"]["done"] > v["visits"] / 2
    assert v["by_status"]["planned"] > 0  # the rest of this month and next month
    assert all(v["followups"].get(k) for k in ("open", "resolved", "dropped"))
    assert v["overdue_followups"] > 0
    assert v["counted_toward_plan"] > 0


def test_a_year_of_months_on_working_days(made):
    db, _ = made
    cal = default_calendar()
    with db.session() as s:
        people = _people(s)
        officers = {people[login].id for login in OFFICERS}
        rows = s.scalars(select(Visit)).all()
        assert {v.officer_id for v in rows} == officers
        months = {v.planned_date.replace(day=1) for v in rows}
        assert months == {add_months(THIS_MONTH, k) for k in range(-11, 2)}
        assert all(cal.is_working_day(v.planned_date) for v in rows)
        assert all(cal.is_working_day(v.actual_date) for v in rows if v.actual_date)
        assert all(v.actual_date <= TODAY for v in rows if v.actual_date)
        assert all(v.status == "planned" for v in rows if v.planned_date > TODAY)
        assert all(v.report_state == "draft" for v in rows if v.status == "planned")
        methods = Counter(v.method for v in rows)
        assert methods.most_common(2)[0][0] in ("inspection", "board_meeting")
        assert methods["inspection"] + methods["board_meeting"] > len(rows) / 2
        done = [v for v in rows if v.status == "done"]
        assert all(v.findings and v.advice and v.response and v.next_step for v in done)
        assert len({v.findings for v in done}) > len(done) / 2  # varied, not one sentence
        cancelled = [v for v in rows if v.status == "cancelled"]
        assert cancelled and all(v.cancel_reason and v.actual_date is None for v in cancelled)


def test_travel_plans_in_every_state(made):
    db, _ = made
    with db.session() as s:
        people = _people(s)
        logins = {u.id: u.login for u in people.values()}
        tps = s.scalars(select(TravelPlan)).all()
        past = [p for p in tps if p.month < THIS_MONTH]
        assert past and all(p.state == "approved" for p in past)
        now = {logins[p.officer_id]: p.state for p in tps if p.month == THIS_MONTH}
        assert now == {"officer1": "needs_reapproval", "officer2": "submitted", "officer3": "returned",
                       "officer4": "submitted", "officer5": "approved"}
        nxt = Counter(p.state for p in tps if p.month == add_months(THIS_MONTH, 1))
        assert nxt == {"draft": 2, "submitted": 2, "approved": 1}
        officer3 = people["officer3"]
        view = views.month_view(s, officer3, officer3.id, THIS_MONTH)
        assert view.travel_state == "returned" and view.returned_comment
        assert [i.kind for i in views.returned_items(s, officer3)].count("travel_plan") == 1
        # the moved visit is what the earlier approval no longer covers
        officer1 = people["officer1"]
        plan = next(p for p in tps if p.officer_id == officer1.id and p.month == THIS_MONTH)
        assert plan.approved_hash and plan.approved_hash != svc.travel_plan_hash(s, plan)
        assert sum(1 for v in svc.plan_visits(s, plan) if v.travel_approved_at is None) == 1


def test_reports_in_every_state_and_returns_carry_a_comment(made):
    db, _ = made
    with db.session() as s:
        people = _people(s)
        reported = s.scalars(select(Visit).where(Visit.status != "planned")).all()
        states = Counter(v.report_state for v in reported)
        assert all(states[k] for k in ("approved", "submitted", "returned", "needs_reapproval", "draft"))
        for v in reported:
            if v.report_state == "approved":
                assert v.report_approved_hash == svc.report_hash(s, v)
            if v.report_state == "needs_reapproval":
                assert v.report_approved_hash and v.report_approved_hash != svc.report_hash(s, v)
            if v.report_state == "returned":
                assert svc.last_comment(s, v.id)
        officer1 = people["officer1"]
        assert any(i.kind == "cps_report" and i.comment for i in views.returned_items(s, officer1))
        # a director's inbox holds the group's submitted items, the head's everything submitted
        inbox = views.inbox(s, people["head"])
        assert {i.kind for i in inbox} == {"travel_plan", "cps_report"}
        mine = views.inbox(s, people["director1"])
        group = {people["officer1"].id, people["officer2"].id}
        assert mine and {i.owner_id for i in mine} <= group


def test_approvals_are_by_the_officers_director_or_the_head(made):
    db, _ = made
    with db.session() as s:
        people = _people(s)
        by_id = {u.id: u for u in people.values()}
        owners = {p.id: p.officer_id for p in s.scalars(select(TravelPlan))}
        owners |= {v.id: v.officer_id for v in s.scalars(select(Visit))}
        events = s.scalars(select(ApprovalEvent).where(ApprovalEvent.workflow.in_(("travel_plan", "cps_report")))).all()
        who = Counter()
        for e in events:
            actor, owner = by_id[e.actor_id], by_id[owners[e.item_id]]
            if e.step in ("approve", "return"):
                assert actor.login == "head" or ("director" in actor.roles and actor.group_id == owner.group_id)
                who[actor.login] += 1
            else:  # submit, reopen, withdraw: the officer's own
                assert actor is owner
        assert who["head"] > 0 and all(who[f"director{i}"] for i in (1, 2, 3))
        assert who["head"] < sum(who.values()) / 4  # the head stands in now and then


def test_follow_ups_are_carried_resolved_dropped_or_still_open(made):
    db, _ = made
    with db.session() as s:
        items = s.scalars(select(FollowUpItem)).all()
        raised_on = {v.id: v.actual_date for v in s.scalars(select(Visit))}
        for f in items:
            if f.status == "open":
                assert f.closed_in_visit_id is None
            else:  # closed in a later visit to the same institution
                closer = s.get(Visit, f.closed_in_visit_id)
                assert closer.institution_id == f.institution_id
                assert closer.actual_date > raised_on[f.raised_in_visit_id]
                assert (f.status == "dropped") == bool(f.drop_reason)
        overdue = [f for f in items if f.status == "open" and f.due_date < TODAY]
        assert overdue
        # carried over: an item stayed open through a later visit before it was closed
        visits_to = {}
        for v in s.scalars(select(Visit).where(Visit.status == "done")):
            visits_to.setdefault(v.institution_id, []).append(v.actual_date)
        carried = [f for f in items if any(raised_on[f.raised_in_visit_id] < d < (f.closed_on or TODAY)
                                           for d in visits_to[f.institution_id])]
        assert carried
        # the visit that carries an open item names it in its purpose
        assert s.scalar(select(func.count()).select_from(Visit).where(Visit.purpose.like("%ข้อสังเกตค้าง%")))


def test_approved_visits_count_in_the_action_plan(made):
    db, _ = made
    fy = fiscal_year(TODAY)
    with db.session() as s:
        people = _people(s)
        head = people["head"]
        group = people["officer1"].group_id
        total = 0
        for year in (fy - 1, fy):
            plan = s.scalar(select(Plan).where(Plan.group_id == group, Plan.fiscal_year == year,
                                               Plan.state == "approved"))
            progress = plans.progress(s, head, plan.id)
            counted = sum(sum(a.visits) for a in progress.activities)
            start, end = fiscal_year_bounds(year)
            expected = s.scalar(select(func.count()).select_from(Visit).where(
                Visit.group_id == group, Visit.report_state == "approved", Visit.status == "done",
                Visit.actual_date.between(start, end),
                Visit.activity_lineage.in_([a.key for a in progress.activities])))
            assert counted == expected
            total += counted
            units = {a.lineage: a.unit for a in plan.activities}
            tied = s.scalars(select(Visit.activity_lineage).where(Visit.activity_lineage.in_(units))).all()
            assert {units[t] for t in tied} <= {"แห่ง"}
        assert total > 10
        # ties never take a group beyond the plan's units for a month: no over-target warnings
        for login in OFFICERS:
            officer = people[login]
            for k in range(-11, 2):
                view = views.month_view(s, officer, officer.id, add_months(THIS_MONTH, k))
                assert not [c for c in view.conflicts if c.kind in ("over_target", "holiday")]


def _visit_content(path):
    db = open_app_database(path)
    with db.session() as s:
        logins = {u.id: u.login for u in s.scalars(select(User))}
        names = {i.id: i.name for i in s.scalars(select(Institution))}
        visits = sorted(
            (logins[v.officer_id], names[v.institution_id], v.planned_date, v.planned_time, v.method, v.purpose,
             v.status, v.actual_date, v.findings, v.advice, v.response, v.next_step, v.cancel_reason,
             v.report_state, v.activity_lineage is not None, logins.get(v.report_approved_by))
            for v in s.scalars(select(Visit)))
        items = sorted((names[f.institution_id], f.description, f.due_date, f.status, f.closed_on, f.drop_reason)
                       for f in s.scalars(select(FollowUpItem)))
        travel = sorted((logins[p.officer_id], p.month, p.state) for p in s.scalars(select(TravelPlan)))
    db.dispose()
    return visits, items, travel


def test_the_same_seed_and_day_give_the_same_visits(made, tmp_path):
    db, summary = made
    again = tmp_path / "again.sqlite3"
    assert demo.create_demo_database(again, seed=SEED, today=TODAY)["visits"] == summary["visits"]
    assert _visit_content(again) == _visit_content(db.path)


def test_history_adds_ten_thousand_visits_the_month_view_reads(made, tmp_path):
    db, _ = made
    path = tmp_path / "history.sqlite3"
    copy = sqlite3.connect(db.path)  # a copy of the demo to add history to
    copy.execute("VACUUM INTO ?", (str(path),))
    copy.close()
    hist = open_app_database(path)
    hist.office_code = "62"
    with hist.session() as s:
        before = s.scalar(select(func.max(Visit.change_seq)))
        first_demo_month = s.scalar(select(func.min(TravelPlan.month)))
    with hist.transaction() as s:
        made_rows = add_visit_history(s, years=5)
    assert made_rows["visits"] == 10_000 and made_rows["travel_plans"] == 5 * 12 * 5
    assert made_rows["last_month"] == add_months(first_demo_month, -1).isoformat()
    with hist.session() as s:
        people = _people(s)
        rows = s.scalars(select(Visit).where(Visit.change_seq > before)).all()
        assert len(rows) == 10_000
        # stamped as the sync hook stamps new rows: unique change_seq above the old ones
        assert len({v.change_seq for v in rows}) == 10_000
        assert {(v.rev, v.origin_office) for v in rows} == {(1, "62")}
        assert all(v.updated_by == v.officer_id for v in rows)
        assert s.scalar(select(SyncCounter.value)) >= max(v.change_seq for v in rows)
        for v in rows[::500]:  # the hashes are what the services compute
            assert v.report_approved_hash == svc.report_hash(s, v)
            assert v.travel_plan.approved_hash == svc.travel_plan_hash(s, v.travel_plan)
        statuses = Counter(f.status for f in s.scalars(select(FollowUpItem).where(FollowUpItem.change_seq > before)))
        assert statuses["resolved"] > statuses["dropped"] > 0 and statuses["open"] > 0
        officer = people["officer1"]
        month = date.fromisoformat(made_rows["last_month"])
        view = views.month_view(s, officer, officer.id, month)
        assert len(view.visits) > 20 and all(v.report_state == "approved" for v in view.visits)
        assert view.travel_state == "approved" and view.conflicts == ()
        assert all(i.last_visit is not None for i in view.institutions)
        assert sum(i.planned_this_month for i in view.institutions) == len(view.visits)
        assert views.month_view(s, officer, officer.id, THIS_MONTH).visits  # the demo's own months still read
    hist.dispose()


def test_the_approval_history_is_dated_like_an_offices(made):
    """Steps are dated from the item (a report the day after its visit, a travel plan before
    its month) and in order, not all at the moment the demo was made."""
    from app.models import ApprovalEvent, TravelPlan, Visit

    db, _ = made
    with db.session() as s:
        for v in s.scalars(select(Visit).where(Visit.report_approved_at.is_not(None))):
            assert 0 <= (v.report_approved_at.date() - (v.actual_date or v.planned_date)).days <= 10, v.id
        for p in s.scalars(select(TravelPlan).where(TravelPlan.approved_at.is_not(None))):
            assert (p.approved_at.date() - p.month).days <= 10, p.id
        events = s.scalars(select(ApprovalEvent).where(ApprovalEvent.workflow.in_(("travel_plan", "cps_report")))
                           .order_by(ApprovalEvent.item_id, ApprovalEvent.at)).all()
        # In time order each step starts where the last ended, or where an edit took it
        # (approved → needs_reapproval, returned → draft: edits are not approval steps).
        edited = {("approved", "needs_reapproval"), ("returned", "draft")}
        for a, b in zip(events, events[1:]):
            if a.item_id == b.item_id:
                assert a.at < b.at
                assert b.from_state == a.to_state or (a.to_state, b.from_state) in edited
