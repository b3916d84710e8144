from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.thai import HolidayCalendar, add_working_days, configure_special_days, default_calendar

SPECIAL = "วันหยุดพิเศษ (เพิ่มเติม)"


@pytest.fixture(scope="module")
def cal():
    return HolidayCalendar()


@pytest.mark.parametrize("d", [date(2023, 5, 5), date(2023, 7, 31), date(2023, 12, 29)])
def test_cabinet_special_days_2566(cal, d):
    assert cal.holiday_name(d) == SPECIAL
    assert not cal.is_working_day(d)


def test_thai_names_and_categories(cal):
    assert cal.holiday_name(date(2024, 1, 1)) == "วันขึ้นปีใหม่"
    assert cal.holiday_name(date(2024, 4, 13)) == "วันสงกรานต์"
    assert cal.holiday_name(date(2024, 4, 16)) == "ชดเชยวันสงกรานต์"
    assert cal.holiday_name(date(2023, 5, 17)) == "วันพืชมงคล"  # government category only
    # "workday" category observances are not days off
    assert cal.holiday_name(date(2023, 11, 27)) is None  # วันลอยกระทง
    assert cal.is_working_day(date(2023, 11, 27))
    assert cal.holiday_name(date(2024, 4, 17)) is None
    assert cal.is_holiday(datetime(2024, 4, 13, 9, 0))


def test_weekends_are_not_working_days(cal):
    assert not cal.is_working_day(date(2024, 3, 2))  # Saturday
    assert not cal.is_working_day(date(2024, 3, 3))  # Sunday
    assert not cal.is_holiday(date(2024, 3, 2))
    assert cal.is_working_day(date(2024, 3, 4))


def test_holidays_between(cal):
    assert cal.holidays_between(date(2024, 4, 1), date(2024, 4, 30)) == [
        (date(2024, 4, 6), "วันพระบาทสมเด็จพระพุทธยอดฟ้าจุฬาโลกมหาราช และวันที่ระลึกมหาจักรีบรมราชวงศ์"),
        (date(2024, 4, 8), "ชดเชยวันพระบาทสมเด็จพระพุทธยอดฟ้าจุฬาโลกมหาราช และวันที่ระลึกมหาจักรีบรมราชวงศ์"),
        (date(2024, 4, 12), SPECIAL),
        (date(2024, 4, 13), "วันสงกรานต์"),
        (date(2024, 4, 14), "วันสงกรานต์"),
        (date(2024, 4, 15), "วันสงกรานต์"),
        (date(2024, 4, 16), "ชดเชยวันสงกรานต์"),
    ]
    across_year = cal.holidays_between(date(2023, 12, 29), date(2024, 1, 1))
    assert [d for d, _ in across_year] == [date(2023, 12, 29), date(2023, 12, 31), date(2024, 1, 1)]
    assert cal.holidays_between(date(2024, 4, 13), date(2024, 4, 13)) == [(date(2024, 4, 13), "วันสงกรานต์")]
    assert cal.holidays_between(date(2024, 4, 30), date(2024, 4, 1)) == []


def test_special_days_added_and_removed():
    added_day, worked_day = date(2024, 1, 2), date(2024, 12, 30)
    cal = HolidayCalendar(added={added_day: "วันหยุดราชการจังหวัด"}, removed=[worked_day, date(2024, 1, 3)])
    assert cal.holiday_name(added_day) == "วันหยุดราชการจังหวัด"
    assert not cal.is_working_day(added_day)
    assert cal.holiday_name(worked_day) is None  # package special day the office works
    assert cal.is_working_day(worked_day)
    assert cal.is_working_day(date(2024, 1, 3))  # removing an ordinary day changes nothing
    dates = [d for d, _ in cal.holidays_between(date(2023, 12, 25), date(2024, 12, 31))]
    assert added_day in dates and worked_day not in dates and date(2024, 1, 1) in dates
    assert add_working_days(date(2023, 12, 28), 1, cal) == date(2024, 1, 3)


def test_added_wins_over_removed_and_replacement():
    d = date(2024, 4, 12)
    cal = HolidayCalendar(added={d: "ชื่อของสำนักงาน"}, removed=[d])
    assert cal.holiday_name(d) == "ชื่อของสำนักงาน"
    cal.set_special_days({}, [d])
    assert cal.holiday_name(d) is None
    cal.set_special_days({}, [])
    assert cal.holiday_name(d) == SPECIAL


def test_configure_default_calendar():
    d = date(2024, 6, 7)  # an ordinary Friday
    try:
        configure_special_days({d: "วันหยุดพิเศษ"}, [date(2024, 4, 12)])
        assert default_calendar().holiday_name(d) == "วันหยุดพิเศษ"
        assert add_working_days(date(2024, 6, 6), 1) == date(2024, 6, 10)
        assert default_calendar().is_working_day(date(2024, 4, 12))
    finally:
        configure_special_days({}, [])
    assert default_calendar().is_working_day(d)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 4, 11), 2, date(2024, 4, 18)),  # AGM Thu; 12 Apr special day + Songkran 13-16
        (date(2024, 4, 11), 1, date(2024, 4, 17)),
        (date(2024, 4, 18), -2, date(2024, 4, 11)),
        (date(2024, 3, 1), 1, date(2024, 3, 4)),  # Fri -> Mon
        (date(2024, 3, 4), -1, date(2024, 3, 1)),  # Mon -> Fri
        (date(2024, 3, 4), 5, date(2024, 3, 11)),
        (date(2023, 12, 28), 1, date(2024, 1, 2)),  # special 29 Dec, weekend, New Year
        (date(2024, 1, 2), -1, date(2023, 12, 28)),
        (date(2024, 3, 5), 0, date(2024, 3, 5)),  # n=0 on a working day: that day
        (date(2024, 4, 13), 0, date(2024, 4, 17)),  # n=0 on a holiday: the next working day
        (date(2024, 3, 2), 0, date(2024, 3, 4)),  # n=0 on Saturday
        (date(2024, 4, 13), 1, date(2024, 4, 17)),  # from a holiday: the 1st working day after it
        (date(2024, 3, 2), 2, date(2024, 3, 5)),  # AGM on a Saturday: Mon is 1, Tue is 2
        (date(2024, 4, 13), -1, date(2024, 4, 11)),
    ],
)
def test_add_working_days(cal, start, n, expected):
    assert add_working_days(start, n, cal) == expected


def test_add_working_days_default_calendar_and_datetime():
    assert add_working_days(date(2024, 4, 11), 2) == date(2024, 4, 18)
    assert add_working_days(datetime(2024, 4, 11, 16, 0), 2) == date(2024, 4, 18)


def _working_days(cal, first, last):
    """Working days from first to last inclusive."""
    return sum(cal.is_working_day(first + timedelta(days=i)) for i in range((last - first).days + 1))


@settings(max_examples=60)
@given(st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 31)), st.integers(-30, 30))
def test_add_working_days_counts(d, n):
    cal = HolidayCalendar()
    result = add_working_days(d, n, cal)
    assert cal.is_working_day(result)
    one = timedelta(days=1)
    if n > 0:
        assert _working_days(cal, d + one, result) == n
    elif n < 0:
        assert _working_days(cal, result, d - one) == -n
    else:
        assert result >= d and _working_days(cal, d, result - one) == 0
    if cal.is_working_day(d):
        assert add_working_days(result, -n, cal) == d
