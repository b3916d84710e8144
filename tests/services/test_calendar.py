"""Special days change the working-day calendar only when the change is committed."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import calendar
from app.thai import add_working_days, default_calendar


class Boom(Exception):
    pass


def test_a_special_day_counts_after_commit_and_not_after_rollback(db, admin):
    day = date(2031, 3, 4)  # a Tuesday with no holiday
    assert default_calendar().is_working_day(day)
    with pytest.raises(Boom), db.transaction(admin.id) as s:
        calendar.add_special_day(s, admin, day, "วันหยุดที่ยกเลิก")
        raise Boom
    assert default_calendar().is_working_day(day)  # the rolled-back holiday never applied
    with db.transaction(admin.id) as s:
        row = calendar.add_special_day(s, admin, day, "วันหยุดพิเศษทดสอบ")
    assert not default_calendar().is_working_day(day)
    assert add_working_days(date(2031, 3, 3), 1) == date(2031, 3, 5)
    with db.transaction(admin.id) as s:
        calendar.remove_special_day(s, admin, row.id)
    assert default_calendar().is_working_day(day)
