"""Deadline calendar: accounts closed, AGM within 150 days, standards result 2 working days
after the AGM, on constructed institutions and dates."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import ValidationError
from app.rules.deadlines import (
    ACCOUNTS,
    ACCOUNTS_CLOSE_DAYS,
    AGM,
    DONE_LATE,
    DONE_ON_TIME,
    DUE_SOON,
    KINDS,
    OVERDUE,
    STANDARDS,
    STATUSES,
    UPCOMING,
    AccountingYearFacts,
    Deadline,
    InstitutionDeadlineFacts,
    deadlines,
    due_dates,
    upcoming,
    year_end_before,
    year_end_of_fiscal_year,
    year_ends_to_check,
)
from app.rules.visits import agm_deadline, year_end_in
from app.thai import HolidayCalendar

DEC31, MAR31, JUN30, FEB29 = (12, 31), (3, 31), (6, 30), (2, 29)
OFFICE_DAY = "วันหยุดพิเศษของสำนักงาน"


@pytest.fixture(scope="module")
def cal() -> HolidayCalendar:
    # A fresh calendar (package holidays only): tests elsewhere reconfigure the default one.
    return HolidayCalendar()


def facts(id: str = "c1", name: str = "สหกรณ์การเกษตรบ้านนา", *, year_end=DEC31, years=(), **kw):
    kw.setdefault("officer_id", "u1")
    kw.setdefault("officer_name", "สมหญิง ใจดี")
    return InstitutionDeadlineFacts(id=id, name=name, acct_year_end=year_end, years=tuple(years), **kw)


def year(end: date, closed=None, agm=None, reported=None) -> AccountingYearFacts:
    return AccountingYearFacts(end, accounts_closed_on=closed, agm_held_on=agm, standards_reported_on=reported)


def run(items, *, today, cal, **kw) -> list[Deadline]:
    return deadlines(items if isinstance(items, list) else [items], today=today, calendar=cal, **kw)


def one(found: list[Deadline], kind: str, year_end: date) -> Deadline:
    (d,) = [d for d in found if d.kind == kind and d.year_end == year_end]
    return d


def table(found: list[Deadline]) -> list[tuple]:
    return [(d.kind, d.year_end, d.due, d.status, d.days) for d in found]


# --- vocabulary ----------------------------------------------------------------------------


def test_vocabulary():
    assert list(KINDS) == [ACCOUNTS, AGM, STANDARDS]
    assert KINDS[AGM] == "ประชุมใหญ่สามัญประจำปี"
    assert set(STATUSES) == {OVERDUE, DUE_SOON, UPCOMING, DONE_LATE, DONE_ON_TIME}
    assert ACCOUNTS_CLOSE_DAYS == 30


# --- which accounting years ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "year_end", "expected"),
    [
        (date(2026, 1, 15), DEC31, (date(2024, 12, 31), date(2025, 12, 31))),
        (date(2025, 12, 31), DEC31, (date(2024, 12, 31), date(2025, 12, 31))),  # the year end itself counts
        (date(2025, 12, 30), DEC31, (date(2023, 12, 31), date(2024, 12, 31))),
        (date(2026, 6, 1), MAR31, (date(2025, 3, 31), date(2026, 3, 31))),
        (date(2026, 3, 30), MAR31, (date(2024, 3, 31), date(2025, 3, 31))),
        (date(2026, 1, 15), JUN30, (date(2024, 6, 30), date(2025, 6, 30))),
        (date(2025, 3, 1), FEB29, (date(2024, 2, 29), date(2025, 2, 28))),
        (date(2025, 2, 28), FEB29, (date(2024, 2, 29), date(2025, 2, 28))),
        (date(2025, 2, 27), FEB29, (date(2023, 2, 28), date(2024, 2, 29))),
        (date(2024, 2, 28), FEB29, (date(2022, 2, 28), date(2023, 2, 28))),
        (date(2024, 2, 29), FEB29, (date(2023, 2, 28), date(2024, 2, 29))),
    ],
)
def test_year_ends_to_check(today, year_end, expected):
    assert year_ends_to_check(today, year_end) == expected


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    month_day=st.sampled_from([DEC31, MAR31, JUN30, FEB29, (9, 30), (4, 30), (1, 31), (10, 1)]),
)
@settings(max_examples=200, deadline=None)
def test_year_ends_are_the_latest_two_on_or_before_today(today, month_day):
    older, latest = year_ends_to_check(today, month_day)
    assert older < latest <= today
    assert latest.year - older.year == 1
    assert year_end_in(latest.year + 1, month_day) > today  # nothing later has passed
    assert {older, latest} <= {year_end_in(y, month_day) for y in range(today.year - 2, today.year + 1)}


def test_year_end_helpers_for_the_services():
    # A registry row describes the accounting year that ends within its fiscal year.
    assert year_end_of_fiscal_year(2569, DEC31) == date(2025, 12, 31)
    assert year_end_of_fiscal_year(2569, (9, 30)) == date(2026, 9, 30)
    assert year_end_of_fiscal_year(2569, (10, 31)) == date(2025, 10, 31)
    assert year_end_of_fiscal_year(2569, MAR31) == date(2026, 3, 31)
    assert year_end_of_fiscal_year(2568, FEB29) == date(2025, 2, 28)
    assert year_end_of_fiscal_year(2567, FEB29) == date(2024, 2, 29)
    # An AGM (or a closing) belongs to the latest year end strictly before it.
    assert year_end_before(date(2026, 4, 20), DEC31) == date(2025, 12, 31)
    assert year_end_before(date(2026, 1, 1), DEC31) == date(2025, 12, 31)
    assert year_end_before(date(2025, 12, 31), DEC31) == date(2024, 12, 31)
    assert year_end_before(date(2025, 7, 1), FEB29) == date(2025, 2, 28)


# --- 31 Dec year end through the year ------------------------------------------------------


def test_dec31_seen_in_january(cal):
    last = year(date(2024, 12, 31), closed=date(2025, 1, 20), agm=date(2025, 4, 20), reported=date(2025, 4, 22))
    found = run(facts(years=[last]), today=date(2026, 1, 15), cal=cal)
    assert table(found) == [  # nothing overdue: by due date
        (ACCOUNTS, date(2024, 12, 31), date(2025, 1, 30), DONE_ON_TIME, 10),
        # AGM held Sunday 20 Apr 2025: Mon 21 is one working day, Tue 22 two
        (STANDARDS, date(2024, 12, 31), date(2025, 4, 22), DONE_ON_TIME, 0),
        (AGM, date(2024, 12, 31), date(2025, 5, 30), DONE_ON_TIME, 40),
        # 2025's accounts are due 30 Jan: 15 days left, within the default 30
        (ACCOUNTS, date(2025, 12, 31), date(2026, 1, 30), DUE_SOON, 15),
        (AGM, date(2025, 12, 31), date(2026, 5, 30), UPCOMING, 135),
    ]  # no standards deadline for 2025: its AGM date is not known yet


@pytest.mark.parametrize(
    ("today", "status", "days"),
    [
        (date(2026, 5, 1), DUE_SOON, 29),
        (date(2026, 5, 30), DUE_SOON, 0),  # the 150th day is still in time
        (date(2026, 5, 31), OVERDUE, 1),
        (date(2026, 6, 15), OVERDUE, 16),
    ],
)
def test_dec31_agm_due_30_may_overdue_from_31_may(cal, today, status, days):
    d = one(run(facts(), today=today, cal=cal), AGM, date(2025, 12, 31))
    assert (d.due, d.status, d.days) == (date(2026, 5, 30), status, days)


def test_agm_deadline_in_a_leap_year_is_29_may(cal):
    d = one(run(facts(), today=date(2024, 3, 1), cal=cal), AGM, date(2023, 12, 31))
    assert d.due == date(2024, 5, 29)


def test_agm_due_dates_agree_with_the_visit_rules(cal):
    cases = [(DEC31, date(2026, 6, 1)), (MAR31, date(2026, 9, 1)), (JUN30, date(2026, 1, 1)),
             (FEB29, date(2025, 8, 1)), (FEB29, date(2024, 8, 1))]  # fmt: skip
    for month_day, today in cases:
        d = one(run(facts(year_end=month_day), today=today, cal=cal), AGM, year_ends_to_check(today, month_day)[1])
        assert agm_deadline(d.due, month_day) == (d.year_end, d.due)


def test_sentences_have_buddhist_era_dates(cal):
    last = year(date(2024, 12, 31), closed=date(2025, 2, 3), agm=date(2025, 4, 20))
    found = run(facts(years=[last]), today=date(2026, 5, 31), cal=cal)
    texts = {(d.kind, d.year_end.year): d.text_th for d in found}
    assert texts[(AGM, 2025)] == (
        "สหกรณ์การเกษตรบ้านนา ยังไม่ได้ประชุมใหญ่สามัญประจำปีของปีบัญชีสิ้นสุด 31 ธันวาคม 2568 "
        "เกินกำหนด 30 พฤษภาคม 2569 มาแล้ว 1 วัน"
    )
    assert texts[(AGM, 2024)] == (
        "สหกรณ์การเกษตรบ้านนา ประชุมใหญ่สามัญประจำปีของปีบัญชีสิ้นสุด 31 ธันวาคม 2567 "
        "แล้วเมื่อ 20 เมษายน 2568 ทันกำหนด 30 พฤษภาคม 2568"
    )
    assert texts[(ACCOUNTS, 2024)] == (
        "สหกรณ์การเกษตรบ้านนา ปิดบัญชีของปีบัญชีสิ้นสุด 31 ธันวาคม 2567 "
        "แล้วเมื่อ 3 กุมภาพันธ์ 2568 ช้ากว่ากำหนด 30 มกราคม 2568 4 วัน"
    )
    assert texts[(STANDARDS, 2024)] == (
        "สหกรณ์การเกษตรบ้านนา ยังไม่ได้รายงานผลการจัดมาตรฐานของปีบัญชีสิ้นสุด 31 ธันวาคม 2567 "
        "เกินกำหนด 22 เมษายน 2568 มาแล้ว 404 วัน"
    )


def test_due_soon_and_upcoming_sentences(cal):
    found = run(facts(), today=date(2026, 1, 30), cal=cal)
    assert one(found, ACCOUNTS, date(2025, 12, 31)).text_th == (
        "สหกรณ์การเกษตรบ้านนา ต้องปิดบัญชีของปีบัญชีสิ้นสุด 31 ธันวาคม 2568 ภายในวันนี้ (30 มกราคม 2569)"
    )
    assert one(found, AGM, date(2025, 12, 31)).text_th == (
        "สหกรณ์การเกษตรบ้านนา ต้องประชุมใหญ่สามัญประจำปีของปีบัญชีสิ้นสุด 31 ธันวาคม 2568 ภายใน 30 พฤษภาคม 2569"
    )
    soon = one(run(facts(), today=date(2026, 1, 20), cal=cal), ACCOUNTS, date(2025, 12, 31))
    assert soon.text_th.endswith("ภายใน 30 มกราคม 2569 (อีก 10 วัน)")


# --- other year ends -----------------------------------------------------------------------


def test_mar31_year_end(cal):
    found = run(facts(year_end=MAR31), today=date(2026, 6, 1), cal=cal)
    this = [d for d in found if d.year_end == date(2026, 3, 31)]
    assert [(d.kind, d.due, d.status, d.days) for d in this] == [
        (ACCOUNTS, date(2026, 4, 30), OVERDUE, 32),
        (AGM, date(2026, 8, 28), UPCOMING, 88),
    ]
    assert one(found, AGM, date(2025, 3, 31)).due == date(2025, 8, 28)


def test_jun30_year_end(cal):
    found = run(facts(year_end=JUN30), today=date(2025, 11, 1), cal=cal)
    agm = one(found, AGM, date(2025, 6, 30))
    assert (agm.due, agm.status, agm.days) == (date(2025, 11, 27), DUE_SOON, 26)
    assert one(found, ACCOUNTS, date(2025, 6, 30)).due == date(2025, 7, 30)
    assert one(found, AGM, date(2024, 6, 30)).due == date(2024, 11, 27)


def test_feb29_year_end_in_common_and_leap_years(cal):
    records = [
        year(date(2024, 2, 29), closed=date(2024, 3, 20), agm=date(2024, 7, 29)),  # one day late
        year(date(2025, 2, 28), closed=date(2025, 3, 30)),  # recorded on 28 Feb: same year
    ]
    found = run(facts(year_end=FEB29, years=records), today=date(2025, 3, 1), cal=cal)
    leap_agm = one(found, AGM, date(2024, 2, 29))
    assert (leap_agm.due, leap_agm.status, leap_agm.days) == (date(2024, 7, 28), DONE_LATE, 1)
    common = [d for d in found if d.year_end == date(2025, 2, 28)]
    assert [(d.kind, d.due, d.status) for d in common] == [
        (ACCOUNTS, date(2025, 3, 30), DONE_ON_TIME),
        (AGM, date(2025, 7, 28), UPCOMING),
    ]
    # A 29 Feb record is still found when the year end is seen from a leap year.
    found = run(facts(year_end=FEB29, years=records), today=date(2024, 3, 1), cal=cal)
    assert one(found, ACCOUNTS, date(2024, 2, 29)).status == DONE_ON_TIME


# --- done on time / late -------------------------------------------------------------------


def test_agm_held_late_and_on_time(cal):
    end = date(2024, 12, 31)
    on_time = one(run(facts(years=[year(end, agm=date(2025, 5, 30))]), today=date(2025, 7, 1), cal=cal), AGM, end)
    late = one(run(facts(years=[year(end, agm=date(2025, 6, 9))]), today=date(2025, 7, 1), cal=cal), AGM, end)
    assert (on_time.status, on_time.days, on_time.done_on) == (DONE_ON_TIME, 0, date(2025, 5, 30))
    assert (late.status, late.days, late.done_on) == (DONE_LATE, 10, date(2025, 6, 9))
    assert not on_time.is_open and not late.is_open
    assert late.status_label == "ดำเนินการแล้ว (ล่าช้า)"


def test_a_later_agm_does_not_settle_an_earlier_missing_one(cal):
    records = [year(date(2025, 12, 31), closed=date(2026, 1, 10), agm=date(2026, 3, 1))]
    found = run(facts(years=records), today=date(2026, 3, 2), cal=cal)
    old = one(found, AGM, date(2024, 12, 31))
    assert (old.status, old.days) == (OVERDUE, 276)
    assert one(found, AGM, date(2025, 12, 31)).status == DONE_ON_TIME


def test_accounts_close_days_is_a_parameter(cal):
    found = run(facts(), today=date(2026, 1, 15), cal=cal, accounts_close_days=150)
    acc = one(found, ACCOUNTS, date(2025, 12, 31))
    assert acc.due == one(found, AGM, date(2025, 12, 31)).due == date(2026, 5, 30)
    # equal due dates: accounts before the AGM
    assert [d.kind for d in found if d.year_end == date(2025, 12, 31)] == [ACCOUNTS, AGM]


# --- standards: working days ---------------------------------------------------------------


def standards_due(agm: date, cal: HolidayCalendar, **kw) -> date:
    return due_dates(year_end_before(agm, DEC31), agm_held_on=agm, calendar=cal, **kw)[STANDARDS]


def test_no_standards_deadline_before_the_agm_is_known(cal):
    found = run(facts(years=[year(date(2025, 12, 31), reported=date(2026, 4, 1))]), today=date(2026, 4, 2), cal=cal)
    assert STANDARDS not in {d.kind for d in found}
    assert set(due_dates(date(2025, 12, 31), agm_held_on=None, calendar=cal)) == {ACCOUNTS, AGM}


@pytest.mark.parametrize(
    ("agm", "due"),
    [
        (date(2026, 3, 4), date(2026, 3, 6)),  # Wed -> Fri
        (date(2026, 3, 5), date(2026, 3, 9)),  # Thu -> Fri, Mon
        (date(2026, 3, 6), date(2026, 3, 10)),  # Fri -> Mon, Tue
        (date(2026, 3, 7), date(2026, 3, 10)),  # a Saturday meeting: Mon is one, Tue two
        (date(2026, 3, 2), date(2026, 3, 5)),  # Mon; Tue 3 Mar is Makha Bucha
    ],
)
def test_standards_due_across_weekends(cal, agm, due):
    assert standards_due(agm, cal) == due


def test_the_calendar_has_songkran_where_the_tests_expect_it(cal):
    for d in (date(2025, 4, 13), date(2025, 4, 14), date(2025, 4, 15), date(2026, 4, 13), date(2026, 4, 14),
              date(2026, 4, 15)):  # fmt: skip
        assert cal.holiday_name(d) == "วันสงกรานต์"
    assert cal.holiday_name(date(2025, 4, 16)) == "ชดเชยวันสงกรานต์"  # 13 Apr 2025 was a Sunday
    assert cal.is_working_day(date(2026, 4, 16)) and cal.is_working_day(date(2025, 4, 17))


@pytest.mark.parametrize(
    ("agm", "due"),
    [
        (date(2026, 4, 9), date(2026, 4, 16)),  # Thu: Fri 10 is one; 11-15 weekend + Songkran; Thu 16 two
        (date(2026, 4, 10), date(2026, 4, 17)),  # Fri just before Songkran: Thu 16, Fri 17
        (date(2026, 4, 14), date(2026, 4, 17)),  # during Songkran
        (date(2025, 4, 11), date(2025, 4, 18)),  # Fri; 2025's substitute day Wed 16 Apr too
        (date(2026, 4, 3), date(2026, 4, 8)),  # Fri; Mon 6 Apr is Chakri Day
    ],
)
def test_standards_due_around_songkran(cal, agm, due):
    assert standards_due(agm, cal) == due


def test_standards_due_with_an_office_special_day():
    office = HolidayCalendar(added={date(2026, 4, 16): OFFICE_DAY, date(2026, 3, 10): OFFICE_DAY})
    assert standards_due(date(2026, 4, 10), office) == date(2026, 4, 20)  # Fri 17, Mon 20
    assert standards_due(date(2026, 3, 9), office) == date(2026, 3, 12)  # Wed 11, Thu 12
    # a package holiday the office works counts as a working day
    working = HolidayCalendar(removed=[date(2026, 4, 15)])
    assert standards_due(date(2026, 4, 10), working) == date(2026, 4, 16)


def test_standards_deadline_in_the_calendar(cal):
    end = date(2025, 12, 31)
    pending = year(end, closed=date(2026, 1, 20), agm=date(2026, 4, 10))
    d = one(run(facts(years=[pending]), today=date(2026, 4, 12), cal=cal), STANDARDS, end)
    assert (d.due, d.status, d.days) == (date(2026, 4, 17), DUE_SOON, 5)
    late = year(end, closed=date(2026, 1, 20), agm=date(2026, 4, 10), reported=date(2026, 4, 20))
    d = one(run(facts(years=[late]), today=date(2026, 5, 1), cal=cal), STANDARDS, end)
    assert (d.status, d.days) == (DONE_LATE, 3)  # calendar days after the due day
    d = one(run(facts(years=[pending]), today=date(2026, 4, 18), cal=cal), STANDARDS, end)
    assert (d.status, d.days) == (OVERDUE, 1)
    assert standards_due(date(2026, 4, 10), cal, standards_working_days=1) == date(2026, 4, 16)


# --- due-soon boundaries -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("within", "status"),
    [(30, DUE_SOON), (29, UPCOMING), (31, DUE_SOON), (0, UPCOMING)],
)
def test_due_soon_boundary(cal, within, status):
    # seen on the year end itself: accounts due 30 Jan, exactly 30 days ahead
    d = one(run(facts(), today=date(2025, 12, 31), cal=cal, within_days=within), ACCOUNTS, date(2025, 12, 31))
    assert (d.due, d.status, d.days) == (date(2026, 1, 30), status, 30)


def test_due_today_with_zero_within_days_is_due_soon(cal):
    d = one(run(facts(), today=date(2026, 1, 30), cal=cal, within_days=0), ACCOUNTS, date(2025, 12, 31))
    assert (d.status, d.days) == (DUE_SOON, 0)


def test_upcoming_keeps_overdue_and_due_soon_only(cal):
    records = [year(date(2024, 12, 31), closed=date(2025, 1, 5), agm=date(2025, 4, 1), reported=date(2025, 4, 2))]
    b_years = [year(date(2024, 6, 30), closed=date(2024, 7, 1), agm=date(2024, 9, 2), reported=date(2024, 9, 3)),
               year(date(2025, 6, 30), closed=date(2025, 7, 10))]  # fmt: skip
    items = [facts("a", years=records), facts("b", "สหกรณ์ออมทรัพย์ครู", year_end=JUN30, years=b_years)]
    today = date(2026, 1, 15)
    everything = run(items, today=today, cal=cal)
    due = upcoming(items, today=today, calendar=cal, within_days=15)
    assert [(d.institution_id, d.kind, d.status) for d in due] == [
        ("b", AGM, OVERDUE),  # 30 Jun 2025 + 150 = 27 Nov 2025
        ("a", ACCOUNTS, DUE_SOON),  # 30 Jan 2026: exactly 15 days
    ]
    assert due == [d for d in run(items, today=today, cal=cal, within_days=15) if d.status in (OVERDUE, DUE_SOON)]
    assert upcoming(items, today=today, calendar=cal, within_days=14) == [due[0]]
    assert len(everything) > len(due)


def test_negative_parameters_are_refused(cal):
    with pytest.raises(ValidationError) as e:
        run(facts(), today=date(2026, 1, 1), cal=cal, within_days=-1)
    assert e.value.field == "within_days"
    with pytest.raises(ValidationError):
        upcoming([facts()], today=date(2026, 1, 1), calendar=cal, accounts_close_days=-5)


# --- which institutions --------------------------------------------------------------------


@pytest.mark.parametrize("status", ["dissolving", "struck_off"])
def test_wound_up_institutions_have_no_deadlines(cal, status):
    assert run(facts(status=status), today=date(2026, 6, 1), cal=cal) == []


def test_suspended_institutions_keep_every_deadline(cal):
    found = run(facts(status="suspended"), today=date(2026, 6, 1), cal=cal)
    assert {(d.kind, d.year_end.year) for d in found} == {(ACCOUNTS, 2024), (AGM, 2024), (ACCOUNTS, 2025), (AGM, 2025)}


def test_not_started_institutions(cal):
    today = date(2026, 1, 15)
    assert run(facts(status="not_started"), today=today, cal=cal) == []  # no registration date: no guess
    registered_2025 = run(facts(status="not_started", registered_on=date(2025, 3, 1)), today=today, cal=cal)
    assert {d.year_end for d in registered_2025} == {date(2025, 12, 31)}
    assert run(facts(status="not_started", registered_on=date(2026, 1, 5)), today=today, cal=cal) == []
    # the first year end counts only after registration, whatever the status
    operating = run(facts(registered_on=date(2025, 12, 31)), today=today, cal=cal)
    assert operating == []
    operating = run(facts(registered_on=date(2025, 6, 1)), today=today, cal=cal)
    assert {d.year_end for d in operating} == {date(2025, 12, 31)}


def test_unknown_year_end_has_no_deadlines(cal):
    assert run(facts(year_end=None), today=date(2026, 6, 1), cal=cal) == []


def test_responsible_officer_is_carried(cal):
    found = run(facts(officer_id="u9", officer_name="สมชาย ขยัน"), today=date(2026, 1, 15), cal=cal)
    assert {(d.officer_id, d.officer_name) for d in found} == {("u9", "สมชาย ขยัน")}
    unassigned = run(facts(officer_id=None, officer_name=""), today=date(2026, 1, 15), cal=cal)
    assert {(d.officer_id, d.officer_name) for d in unassigned} == {(None, "")}


def test_later_record_of_the_same_year_wins(cal):
    end = date(2025, 12, 31)
    f = facts(years=[year(end), year(end, closed=date(2026, 1, 10))])
    assert one(run(f, today=date(2026, 1, 15), cal=cal), ACCOUNTS, end).status == DONE_ON_TIME


# --- sorting -------------------------------------------------------------------------------


def test_sorting_on_a_small_constructed_list(cal):
    today = date(2026, 6, 10)
    items = [
        facts("k", "สหกรณ์ข", years=[year(date(2024, 12, 31), closed=date(2025, 1, 5), agm=date(2025, 4, 1),
                                          reported=date(2025, 4, 2)),
                                     year(date(2025, 12, 31), closed=date(2026, 1, 5))]),
        facts("g", "สหกรณ์เกษตร", years=[year(date(2024, 12, 31), closed=date(2025, 1, 5), agm=date(2025, 4, 1),
                                               reported=date(2025, 4, 2)),
                                          year(date(2025, 12, 31), closed=date(2026, 1, 5))]),
        facts("m", "สหกรณ์มีนา", year_end=MAR31,
              years=[year(date(2025, 3, 31), closed=date(2025, 4, 1), agm=date(2025, 6, 2), reported=date(2025, 6, 4))]),
        facts("j", "สหกรณ์ก", year_end=(5, 31),
              years=[year(date(2025, 5, 31), closed=date(2025, 6, 10), agm=date(2025, 8, 1),
                          reported=date(2025, 8, 4))]),
    ]  # fmt: skip
    found = upcoming(items, today=today, calendar=cal)
    assert [(d.institution_name, d.kind, d.due, d.status, d.days) for d in found] == [
        ("สหกรณ์มีนา", ACCOUNTS, date(2026, 4, 30), OVERDUE, 41),  # most overdue on top
        ("สหกรณ์เกษตร", AGM, date(2026, 5, 30), OVERDUE, 11),  # same due day: Thai dictionary order,
        ("สหกรณ์ข", AGM, date(2026, 5, 30), OVERDUE, 11),  # เกษตร reads under ก, before ข
        ("สหกรณ์ก", ACCOUNTS, date(2026, 6, 30), DUE_SOON, 20),  # year end 31 May 2026 + 30 days
    ]
    everything = deadlines(items, today=today, calendar=cal)
    first_open = next(i for i, d in enumerate(everything) if d.status != OVERDUE)
    assert all(d.status == OVERDUE for d in everything[:first_open])
    rest = everything[first_open:]
    assert [d.due for d in rest] == sorted(d.due for d in rest)


# --- JSON ----------------------------------------------------------------------------------


def test_json_shape(cal):
    records = [year(date(2024, 12, 31), closed=date(2025, 1, 20), agm=date(2025, 4, 20), reported=date(2025, 4, 24))]
    found = run(facts(years=records), today=date(2026, 1, 15), cal=cal)
    keys = ["institution_id", "institution_name", "kind", "year_end", "due", "done_on", "status", "days",
            "officer_id", "officer_name", "text_th"]  # fmt: skip
    for d in found:
        assert list(d.as_json()) == keys
    late = one(found, STANDARDS, date(2024, 12, 31)).as_json()
    assert late == {
        "institution_id": "c1",
        "institution_name": "สหกรณ์การเกษตรบ้านนา",
        "kind": "standards",
        "year_end": "2024-12-31",
        "due": "2025-04-22",
        "done_on": "2025-04-24",
        "status": "done_late",
        "days": 2,
        "officer_id": "u1",
        "officer_name": "สมหญิง ใจดี",
        "text_th": "สหกรณ์การเกษตรบ้านนา รายงานผลการจัดมาตรฐานของปีบัญชีสิ้นสุด 31 ธันวาคม 2567 "
        "แล้วเมื่อ 24 เมษายน 2568 ช้ากว่ากำหนด 22 เมษายน 2568 2 วัน",
    }
    pending = one(found, AGM, date(2025, 12, 31)).as_json()
    assert pending["done_on"] is None and pending["status"] == "upcoming"
    text = json.dumps([d.as_json() for d in found], ensure_ascii=False)
    assert json.loads(text)[0] == found[0].as_json()


def test_labels(cal):
    d = one(run(facts(), today=date(2026, 6, 1), cal=cal), AGM, date(2025, 12, 31))
    assert (d.kind_label, d.status_label, d.is_open) == ("ประชุมใหญ่สามัญประจำปี", "เกินกำหนด", True)
