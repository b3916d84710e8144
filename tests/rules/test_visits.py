"""CPS visit rules: suggestion ranking on constructed cases, suggested days, conflicts,
follow-up carry-over and the resolve / drop rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import ValidationError
from app.rules.visits import (
    AGM_DUE,
    FOLLOWUPS_DUE,
    HOLIDAY,
    METHODS,
    NOT_VISITED,
    OVER_TARGET,
    OVERLAP,
    PLAN_TARGET,
    WEAK,
    ActivityTarget,
    FollowUp,
    FollowUpFact,
    InstitutionFacts,
    PlannedVisit,
    agm_deadline,
    carry_over,
    conflicts,
    drop,
    resolve,
    schedule,
    suggest_visits,
    year_end_in,
)

TODAY = date(2026, 3, 2)  # a Monday
MARCH = date(2026, 3, 1)
NO_HOLIDAYS: frozenset[date] = frozenset()


def inst(id: str, name: str | None = None, *, visited_days_ago: int | None = 10, **kw) -> InstitutionFacts:
    last = None if visited_days_ago is None else TODAY - timedelta(days=visited_days_ago)
    return InstitutionFacts(id=id, name=name or f"สหกรณ์{id}", last_visit_date=last, **kw)


def visit(id: str, institution_id: str = "x", day: date = TODAY, **kw) -> PlannedVisit:
    kw.setdefault("officer_id", "u1")
    return PlannedVisit(id=id, institution_id=institution_id, day=day, **kw)


def suggest(institutions, *, visits=(), targets=(), holidays=NO_HOLIDAYS, today=TODAY, month=MARCH, **kw):
    return suggest_visits(
        institutions, today=today, month=month, visits_this_month=visits,
        activity_targets=targets, holidays=holidays, **kw,
    )  # fmt: skip


def kinds(s) -> list[str]:
    return [r.kind for r in s.reasons]


# --- vocabulary ----------------------------------------------------------------------------


def test_methods_are_the_five_cps_methods_plus_other():
    assert list(METHODS) == [
        "board_meeting", "member_meeting", "inspection", "training", "discussion", "other",
    ]  # fmt: skip
    assert METHODS["board_meeting"] == "เข้าร่วมประชุมคณะกรรมการ"


def test_planned_visit_checks_method_and_time():
    with pytest.raises(ValidationError):
        visit("v", method="picnic")
    with pytest.raises(ValidationError):
        visit("v", time="9.30")
    assert visit("v", time="09:30").minutes() == (570, 690)


# --- ranking -------------------------------------------------------------------------------


def test_weak_with_overdue_followups_outranks_merely_not_visited():
    weak = inst(
        "weak", "สหกรณ์ข", strength_class=3,
        open_followups=(FollowUpFact("f1", "ยังไม่ตรวจนับเงินสด", date(2026, 2, 1)),),
    )  # fmt: skip
    stale = inst("stale", "สหกรณ์ก", visited_days_ago=100)
    out = suggest([stale, weak])
    assert [s.institution_id for s in out] == ["weak", "stale"]
    assert kinds(out[0]) == [FOLLOWUPS_DUE, WEAK]
    assert out[0].reasons[0].text_th == "ข้อสังเกตค้าง 1 เรื่อง (เกินกำหนด 1)"
    assert out[0].reasons[1].text_th == "ระดับชั้น 3"
    assert out[1].reasons[0].text_th == "ไม่ได้เยี่ยมมา 100 วัน"
    assert out[0].followup_ids == ("f1",)


def test_never_visited_ranks_high_and_weight_grows_with_days():
    out = suggest([
        inst("a", visited_days_ago=95), inst("b", visited_days_ago=200), inst("never", visited_days_ago=None),
    ])
    assert [s.institution_id for s in out] == ["never", "b", "a"]
    assert out[0].reasons[0].text_th == "ยังไม่เคยเยี่ยม"
    assert out[0].score >= out[1].score > out[2].score


def test_recently_visited_healthy_institution_is_not_suggested():
    assert suggest([inst("ok", visited_days_ago=30, strength_class=1, standards_result="pass")]) == []


def test_not_visited_threshold_is_a_parameter():
    out = suggest([inst("a", visited_days_ago=40)], not_visited_days=30)
    assert kinds(out[0]) == [NOT_VISITED]


def test_equal_scores_sort_by_thai_dictionary_order():
    # Code-point order would put เ after ข; dictionary order reads เกษตร under ก.
    names = ["สหกรณ์ข", "สหกรณ์เกษตร", "สหกรณ์ค"]
    out = suggest([inst(str(i), n, visited_days_ago=None) for i, n in enumerate(names)])
    assert [s.name for s in out] == ["สหกรณ์เกษตร", "สหกรณ์ข", "สหกรณ์ค"]


def test_followups_due_counts_items_due_by_month_end_only():
    fus = (
        FollowUpFact("late", "ก", date(2026, 2, 20)),
        FollowUpFact("this_month", "ข", date(2026, 3, 31)),
        FollowUpFact("next_month", "ค", date(2026, 4, 1)),
        FollowUpFact("no_date", "ง", None),
    )
    (s,) = suggest([inst("a", open_followups=fus)])
    assert s.reasons[0].text_th == "ข้อสังเกตค้าง 2 เรื่อง (เกินกำหนด 1)"
    assert s.followup_ids == ("late", "this_month")
    (s2,) = suggest([inst("b", open_followups=fus[1:2])])
    assert s2.reasons[0].text_th == "ข้อสังเกตครบกำหนดเดือนนี้ 1 เรื่อง"
    assert s.score > s2.score  # overdue weighs more


def test_standards_fail_is_weak_with_kind_specific_wording():
    (coop,) = suggest([inst("c", standards_result="fail")])
    (group,) = suggest([inst("g", kind="farmer_group", standards_result="fail")])
    (both,) = suggest([inst("b", strength_class=3, standards_result="fail")])
    assert coop.reasons[0].text_th == "ไม่ผ่านมาตรฐาน"
    assert group.reasons[0].text_th == "ต่ำกว่ามาตรฐาน"
    assert kinds(both) == [WEAK] and both.score > coop.score


def test_already_planned_this_month_is_excluded():
    out = suggest(
        [inst("a", visited_days_ago=None), inst("b", visited_days_ago=None)],
        visits=[visit("v", "a", date(2026, 3, 20)), visit("old", "b", date(2026, 2, 20))],
    )
    assert [s.institution_id for s in out] == ["b"]  # February's visit does not count for March


def test_dissolving_gets_only_followups():
    fu = (FollowUpFact("f", "ติดตามการชำระบัญชี", date(2026, 2, 1)),)
    common = {"visited_days_ago": None, "strength_class": 3, "acct_year_end": (12, 31)}
    assert suggest([inst("d", status="dissolving", **common)]) == []
    assert suggest([inst("s", status="struck_off", **common)]) == []
    targets = [ActivityTarget("1.1", "ตรวจเยี่ยม", 3)]
    (s,) = suggest([inst("d", status="dissolving", open_followups=fu, **common)], targets=targets)
    assert kinds(s) == [FOLLOWUPS_DUE]
    # Suspended institutions are still promoted.
    (sus,) = suggest([inst("p", status="suspended", **common)])
    assert WEAK in kinds(sus) and NOT_VISITED in kinds(sus)


def test_plan_target_reason_for_unplanned_institutions():
    targets = [ActivityTarget("2.1", "ตรวจเยี่ยมสหกรณ์", 3), ActivityTarget("2.2", "ประชุมกรรมการ", 1)]
    visits = [
        visit("v1", "a", date(2026, 3, 10), activity_key="2.1"),
        visit("v2", "a", date(2026, 3, 11), activity_key="2.2"),
    ]
    out = suggest([inst("a"), inst("b")], visits=visits, targets=targets)
    assert [s.institution_id for s in out] == ["b"]
    assert kinds(out[0]) == [PLAN_TARGET]
    assert out[0].reasons[0].text_th == "เป้าหมายแผนเดือนนี้ยังไม่ครบ: ตรวจเยี่ยมสหกรณ์ ขาดอีก 2 ครั้ง"
    assert out[0].activity_key == "2.1"
    # Once the plan is covered, the reason goes away.
    more = [*visits, *(visit(f"w{d}", "c", date(2026, 3, d), activity_key="2.1") for d in (12, 13))]
    assert suggest([inst("b")], visits=more, targets=targets) == []


def test_schedule_turns_a_suggestion_into_a_visit():
    (s,) = suggest([inst("a", visited_days_ago=None)], targets=[ActivityTarget("2.1", "ตรวจเยี่ยม", 1)])
    v = schedule(s, visit_id="new", officer_id="u1", time="09:00")
    assert (v.institution_id, v.day, v.activity_key, v.method) == ("a", TODAY, "2.1", "inspection")
    assert "ยังไม่เคยเยี่ยม" in v.purpose


# --- AGM due -------------------------------------------------------------------------------


def agm(month: date, *, today: date | None = None, **kw):
    out = suggest([inst("a", **kw)], month=month, today=today or month)
    return [r for s in out for r in s.reasons if r.kind == AGM_DUE]


def test_agm_31_march_year_end():
    # 31 Mar 2026 + 150 days = 28 Aug 2026.
    assert agm_deadline(date(2026, 8, 1), (3, 31)) == (date(2026, 3, 31), date(2026, 8, 28))
    (r,) = agm(date(2026, 8, 1), acct_year_end=(3, 31), last_agm_date=date(2025, 7, 15))
    assert r.text_th == "ยังไม่ได้ประชุมใหญ่ ครบกำหนด 28 สิงหาคม 2569"
    # In July the 2026 deadline is still ahead; the 2025 one was met by the July 2025 AGM.
    assert agm(date(2026, 7, 1), acct_year_end=(3, 31), last_agm_date=date(2025, 7, 15)) == []
    # Held in time: nothing to say.
    assert agm(date(2026, 8, 1), acct_year_end=(3, 31), last_agm_date=date(2026, 6, 20)) == []


def test_agm_overdue_weighs_more_and_says_so():
    (due,) = agm(date(2026, 5, 1), acct_year_end=(12, 31))
    (late,) = agm(date(2026, 6, 1), acct_year_end=(12, 31))
    assert due.text_th == "ยังไม่ได้ประชุมใหญ่ ครบกำหนด 30 พฤษภาคม 2569"
    assert late.text_th == "ยังไม่ได้ประชุมใหญ่ เกินกำหนด 30 พฤษภาคม 2569"
    assert late.weight > due.weight


def test_agm_31_december_year_end_across_a_leap_february():
    # 31 Dec 2027 + 150 days crosses 29 Feb 2028: 29 May, not 30 May as in common years.
    assert agm_deadline(date(2028, 5, 1), (12, 31))[1] == date(2028, 5, 29)
    assert agm_deadline(date(2027, 5, 1), (12, 31))[1] == date(2027, 5, 30)
    # In April 2028 the due year end is still 31 Dec 2026 (deadline 30 May 2027).
    assert agm_deadline(date(2028, 4, 1), (12, 31)) == (date(2026, 12, 31), date(2027, 5, 30))


def test_agm_29_february_year_end():
    assert year_end_in(2027, (2, 29)) == date(2027, 2, 28)
    assert year_end_in(2028, (2, 29)) == date(2028, 2, 29)
    assert agm_deadline(date(2027, 7, 1), (2, 29)) == (date(2027, 2, 28), date(2027, 7, 28))
    assert agm_deadline(date(2028, 7, 1), (2, 29)) == (date(2028, 2, 29), date(2028, 7, 28))
    # AGM on 1 Mar 2028 is after the 29 Feb 2028 year end: held.
    assert agm(date(2028, 7, 1), acct_year_end=(2, 29), last_agm_date=date(2028, 3, 1)) == []
    # AGM on the year-end day itself belongs to the year before.
    assert len(agm(date(2028, 7, 1), acct_year_end=(2, 29), last_agm_date=date(2028, 2, 29))) == 1


def test_unknown_year_end_gives_no_agm_reason():
    assert agm(date(2026, 8, 1), acct_year_end=None) == []


@settings(max_examples=150, deadline=None)
@given(
    month=st.dates(date(2020, 1, 1), date(2035, 12, 1)).map(lambda d: d.replace(day=1)),
    year_end=st.sampled_from([(12, 31), (3, 31), (6, 30), (9, 30), (2, 29), (2, 28), (4, 30)]),
)
def test_agm_deadline_is_the_latest_deadline_within_the_month(month, year_end):
    end, deadline = agm_deadline(month, year_end)
    month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    assert deadline == end + timedelta(days=150) <= month_end
    nxt = year_end_in(end.year + 1, year_end)
    assert nxt + timedelta(days=150) > month_end  # the following year end is not yet due


# --- suggested day -------------------------------------------------------------------------


def test_suggested_day_skips_weekends_and_holidays_and_spreads_load():
    # Fri 6 Mar: today. Sat 7, Sun 8 are weekend; Mon 9 a (made-up) holiday; Tue 10 busy.
    today = date(2026, 3, 6)
    visits = [visit(f"v{i}", f"p{i}", day) for i, day in enumerate([today, date(2026, 3, 10)])]
    out = suggest(
        [inst(c, visited_days_ago=None) for c in "abcd"],
        today=today, visits=visits, holidays={date(2026, 3, 9)},
    )  # fmt: skip
    days = [s.suggested_day for s in out]
    # Least busy first (11, 12, 13 Mar are free), then the load evens out.
    assert days == [date(2026, 3, 11), date(2026, 3, 12), date(2026, 3, 13), date(2026, 3, 16)]


def test_suggested_day_accepts_a_predicate_and_counts_only_the_officers_visits():
    colleague = [visit("c1", "p", TODAY, officer_id="u2")]
    (s,) = suggest(
        [inst("a", visited_days_ago=None)], visits=colleague, holidays=lambda d: False, officer_id="u1"
    )
    assert s.suggested_day == TODAY


def test_no_working_day_left_gives_none():
    (s,) = suggest([inst("a", visited_days_ago=None)], today=date(2026, 3, 28))  # Sat; 29 Sun, 30-31 Mon-Tue
    assert s.suggested_day == date(2026, 3, 30)
    (s,) = suggest([inst("a", visited_days_ago=None)], today=date(2026, 4, 1))
    assert s.suggested_day is None
    with pytest.raises(ValidationError):
        schedule(s, visit_id="v", officer_id="u1")


def test_future_month_starts_at_its_first_working_day():
    (s,) = suggest([inst("a", visited_days_ago=None)], month=date(2026, 8, 1))  # 1 Aug 2026 is a Saturday
    assert s.suggested_day == date(2026, 8, 3)


@settings(max_examples=60, deadline=None)
@given(
    today=st.dates(date(2026, 2, 20), date(2026, 3, 31)),
    n=st.integers(0, 25),
    planned=st.lists(st.tuples(st.integers(0, 30), st.integers(1, 31)), max_size=20),
    holiday_days=st.sets(st.integers(1, 31), max_size=6),
)
def test_suggestions_are_sorted_unplanned_and_on_working_days(today, n, planned, holiday_days):
    insts = [inst(str(i), f"สหกรณ์{i}", visited_days_ago=(None if i % 3 == 0 else 30 * i)) for i in range(n)]
    visits = [visit(f"v{k}", str(i), date(2026, 3, d)) for k, (i, d) in enumerate(planned)]
    holidays = {date(2026, 3, d) for d in holiday_days}
    out = suggest(insts, today=today, visits=visits, holidays=holidays)
    planned_ids = {v.institution_id for v in visits}
    assert not planned_ids & {s.institution_id for s in out}
    assert [s.score for s in out] == sorted((s.score for s in out), reverse=True)
    for s in out:
        assert s.reasons and s.score == sum(r.weight for r in s.reasons)
        d = s.suggested_day
        if d is None:  # only when the month has no working day left
            left = [today + timedelta(days=k) for k in range((date(2026, 3, 31) - today).days + 1)]
            assert all(x.weekday() >= 5 or x in holidays for x in left)
        else:
            assert d >= today and d.month == 3 and d.weekday() < 5 and d not in holidays


# --- conflicts -----------------------------------------------------------------------------


def test_timed_overlap_of_one_officer_is_a_conflict():
    day = date(2026, 3, 10)
    vs = [
        visit("a", day=day, time="09:00"),  # 09:00-11:00
        visit("b", day=day, time="10:30", duration_min=30),
        visit("c", day=day, time="11:00"),  # starts as a ends: fine
        visit("d", day=day, time="10:00", officer_id="u2"),  # another officer
        visit("e", day=day),
        visit("f", day=day),  # two untimed visits: fine
    ]
    out = conflicts(vs, holidays=NO_HOLIDAYS)
    assert [(c.kind, c.visit_ids) for c in out] == [(OVERLAP, ("a", "b"))]
    assert out[0].text_th == "นัดเยี่ยมเวลาซ้อนกัน วันที่ 10 มีนาคม 2569 เวลา 09:00 น. และ 10:30 น."


def test_co_officer_overlap_and_pairs_reported_once():
    day = date(2026, 3, 10)
    vs = [
        visit("a", day=day, time="09:00", co_officer_ids=("u2",)),
        visit("b", day=day, time="09:30", officer_id="u2", co_officer_ids=("u1",)),
    ]
    assert [c.visit_ids for c in conflicts(vs, holidays=NO_HOLIDAYS)] == [("a", "b")]


def test_visit_on_weekend_or_holiday():
    vs = [visit(id, day=date(2026, 3, d)) for id, d in (("sat", 7), ("hol", 9), ("ok", 10))]
    out = conflicts(vs, holidays={date(2026, 3, 9)})
    assert [(c.kind, c.visit_ids) for c in out] == [(HOLIDAY, ("sat",)), (HOLIDAY, ("hol",))]
    assert "วันหยุดสุดสัปดาห์" in out[0].text_th and "วันหยุดราชการ" in out[1].text_th


def test_more_visits_than_the_months_work_units():
    targets = [ActivityTarget("2.1", "ตรวจเยี่ยม", 2, month=MARCH), ActivityTarget("2.2", "อบรม", 1)]
    vs = [
        visit("a", day=date(2026, 3, 12), activity_key="2.1"),
        visit("b", day=date(2026, 3, 10), activity_key="2.1"),
        visit("c", day=date(2026, 3, 11), activity_key="2.1"),
        visit("apr", day=date(2026, 4, 1), activity_key="2.1"),  # another month
        visit("t", day=date(2026, 3, 11), activity_key="2.2"),
    ]
    out = conflicts(vs, holidays=NO_HOLIDAYS, activity_targets=targets)
    assert [(c.kind, c.visit_ids) for c in out] == [(OVER_TARGET, ("b", "c", "a"))]
    assert out[0].text_th == "นัดเยี่ยมตามกิจกรรม ตรวจเยี่ยม 3 ครั้ง เกินแผนของเดือน (2 ครั้ง)"


# --- follow-ups ----------------------------------------------------------------------------


def fu(id: str, due: date | None, status: str = "open", **kw) -> FollowUp:
    return FollowUp(
        id=id, institution_id="a", raised_in_visit_id="v0", description=f"เรื่อง {id}",
        due_date=due, status=status, **kw,
    )  # fmt: skip


def test_carry_over_orders_overdue_first_then_by_due_date():
    day = date(2026, 3, 10)
    items = [
        fu("later", date(2026, 4, 30)),
        fu("none", None),
        fu("late_a_bit", date(2026, 3, 5)),
        fu("soon", date(2026, 3, 10)),  # due on the visit day: not overdue
        fu("done", date(2026, 1, 1), status="resolved", resolved_in_visit_id="v1"),
        fu("very_late", date(2026, 1, 10)),
    ]
    prep = carry_over(items, visit_day=day)
    assert [p.followup_id for p in prep] == ["very_late", "late_a_bit", "soon", "later", "none"]
    assert [p.overdue for p in prep] == [True, True, False, False, False]
    assert prep[1].text_th == "เรื่อง late_a_bit (เกินกำหนด 5 วัน)"
    assert prep[2].text_th == "เรื่อง soon (กำหนด 10 มีนาคม 2569)"
    assert prep[4].text_th == "เรื่อง none"


def test_carry_over_accepts_institution_facts():
    fus = (FollowUpFact("x", "ข", date(2026, 5, 1)), FollowUpFact("y", "ก", date(2026, 1, 1)))
    facts = inst("a", open_followups=fus)
    assert [p.followup_id for p in carry_over(facts.open_followups, visit_day=TODAY)] == ["y", "x"]


@settings(max_examples=80, deadline=None)
@given(dues=st.lists(st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2027, 1, 1))), max_size=12))
def test_carry_over_keeps_every_open_item_in_order(dues):
    prep = carry_over([fu(str(i), d) for i, d in enumerate(dues)], visit_day=TODAY)
    assert sorted(p.followup_id for p in prep) == sorted(str(i) for i in range(len(dues)))
    keys = [(not p.overdue, p.due_date is None, p.due_date or date.max) for p in prep]
    assert keys == sorted(keys)


def test_resolve_and_drop_return_new_values():
    item = fu("a", date(2026, 3, 1))
    done = resolve(item, "v9")
    assert (done.status, done.resolved_in_visit_id, item.status) == ("resolved", "v9", "open")
    dropped = drop(item, "  สหกรณ์ยื่น  ขอเลิกแล้ว ")
    assert (dropped.status, dropped.drop_reason) == ("dropped", "สหกรณ์ยื่น ขอเลิกแล้ว")
    assert carry_over([done, dropped], visit_day=TODAY) == ()


def test_drop_requires_a_reason_and_only_open_items_change():
    item = fu("a", None)
    with pytest.raises(ValidationError) as err:
        drop(item, "   ")
    assert err.value.field == "reason" and "เหตุผล" in str(err.value)
    with pytest.raises(ValidationError):
        resolve(item, "")
    for closed in (resolve(item, "v1"), drop(item, "ซ้ำกับเรื่องอื่น")):
        with pytest.raises(ValidationError):
            resolve(closed, "v2")
        with pytest.raises(ValidationError):
            drop(closed, "เหตุผล")


def test_follow_up_needs_a_description_and_a_known_status():
    with pytest.raises(ValidationError):
        FollowUp(id="a", institution_id="i", raised_in_visit_id="v", description="  ")
    with pytest.raises(ValidationError):
        fu("a", None, status="closed")
