"""The painted month calendar on its own: where chips go, "+N" when a day overflows,
dragging a chip to another day (and refusing chips that may not move), double-clicks and
the keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt

from ui.widgets import month_calendar as mc
from ui.widgets.month_calendar import (
    CalendarChip,
    MonthCalendar,
    compact_time,
    month_title,
    week_title,
)

TODAY = date(2026, 11, 23)
NOV = date(2026, 11, 1)


@pytest.fixture
def cal(qtbot):
    widget = MonthCalendar(today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(980, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_data([
        CalendarChip("a", date(2026, 11, 10), "สกก.เมืองกำแพงเพชร", "09:30"),
        CalendarChip("b", date(2026, 11, 10), "สกก.คลองขลุง", "13:00", state=mc.DONE, movable=False),
        CalendarChip("c", date(2026, 11, 12), "สอ.ครูกำแพงเพชร", warning="นัดเยี่ยมตรงกับวันหยุด"),
    ], {date(2026, 11, 24): "วันหยุดทดสอบ"})
    return widget


def test_titles_are_thai_with_the_buddhist_era():
    assert month_title(NOV) == "พฤศจิกายน ๒๕๖๙"
    assert week_title(date(2026, 11, 9)) == "๙ – ๑๕ พฤศจิกายน ๒๕๖๙"
    assert week_title(date(2026, 10, 26)) == "๒๖ ต.ค. – ๑ พ.ย. ๒๕๖๙"
    assert week_title(date(2026, 12, 28)) == "๒๘ ธ.ค. ๒๕๖๙ – ๓ ม.ค. ๒๕๗๐"
    assert compact_time("09:30") == "๙.๓๐"


def test_chips_sit_in_their_days_and_weeks_start_on_monday(cal):
    assert cal.first_shown() == date(2026, 10, 26) and cal.first_shown().weekday() == 0
    assert cal.last_shown() == date(2026, 12, 6)
    day = cal.day_rect(date(2026, 11, 10))
    assert day.contains(cal.chip_rect("a")) and day.contains(cal.chip_rect("b"))
    assert cal.chip_rect("a").top() < cal.chip_rect("b").top()  # by time
    assert cal.day_at(cal.chip_rect("c").center()) == date(2026, 11, 12)
    # weekends are narrower: visits there are the exception
    assert cal.day_rect(date(2026, 11, 14)).width() < cal.day_rect(date(2026, 11, 13)).width()
    cal.set_first_weekday(6)
    assert cal.first_shown() == date(2026, 11, 1) and cal.first_shown().weekday() == 6


def test_a_full_day_says_how_many_more_and_opens_in_the_week_view(qtbot, cal):
    many = [CalendarChip(f"v{i}", date(2026, 11, 17), f"สหกรณ์ที่ {i}", f"{8 + i:02d}:00") for i in range(9)]
    cal.set_data(many)
    day = date(2026, 11, 17)
    hidden = cal.hidden_count(day)
    assert hidden > 0
    assert sum(1 for c in many if not cal.chip_rect(c.id).isEmpty()) == 9 - hidden
    assert cal.day_rect(day).contains(cal.more_rect(day))
    qtbot.mouseClick(cal, Qt.MouseButton.LeftButton, pos=cal.more_rect(day).center())
    assert cal.mode == mc.WEEK and cal.selected_date == day
    assert cal.visible_days()[0] == date(2026, 11, 16)
    assert all(not cal.chip_rect(c.id).isEmpty() for c in many[:4])  # taller columns show more


def test_dragging_a_chip_to_another_day_asks_to_move_it(qtbot, cal):
    moved, refused = [], []
    cal.visit_moved.connect(lambda visit_id, day: moved.append((visit_id, day)))
    cal.drag_refused.connect(refused.append)
    start = cal.chip_rect("a").center()
    target = cal.day_rect(date(2026, 11, 18)).center()
    qtbot.mousePress(cal, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(cal, pos=start + QPoint(20, 12))
    qtbot.mouseMove(cal, pos=target)
    qtbot.mouseRelease(cal, Qt.MouseButton.LeftButton, pos=target)
    assert moved == [("a", date(2026, 11, 18))] and refused == []

    # a done visit refuses, and a short wiggle is a click, not a drag
    start = cal.chip_rect("b").center()
    qtbot.mousePress(cal, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(cal, pos=target)
    qtbot.mouseRelease(cal, Qt.MouseButton.LeftButton, pos=target)
    start = cal.chip_rect("c").center()
    qtbot.mousePress(cal, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(cal, pos=start + QPoint(2, 1))
    qtbot.mouseRelease(cal, Qt.MouseButton.LeftButton, pos=start + QPoint(2, 1))
    assert moved == [("a", date(2026, 11, 18))] and refused == ["b"]
    assert cal.selected_visit == "c"


def test_double_clicks_open_a_visit_or_plan_on_an_empty_day(qtbot, cal):
    opened, days = [], []
    cal.visit_activated.connect(opened.append)
    cal.day_activated.connect(days.append)
    qtbot.mouseDClick(cal, Qt.MouseButton.LeftButton, pos=cal.chip_rect("c").center())
    empty = cal.day_rect(date(2026, 11, 19))
    qtbot.mouseDClick(cal, Qt.MouseButton.LeftButton, pos=empty.center())
    assert opened == ["c"] and days == [date(2026, 11, 19)]


def test_the_keyboard_moves_the_day_opens_and_changes_month(qtbot, cal):
    opened, days, months = [], [], []
    cal.visit_activated.connect(opened.append)
    cal.day_activated.connect(days.append)
    cal.month_changed.connect(months.append)
    cal.setFocus()
    cal.select_date(date(2026, 11, 9))
    qtbot.keyClick(cal, Qt.Key.Key_Right)
    assert cal.selected_date == date(2026, 11, 10)
    qtbot.keyClick(cal, Qt.Key.Key_Space)  # the day's first visit
    assert cal.selected_visit == "a"
    qtbot.keyClick(cal, Qt.Key.Key_Space)
    assert cal.selected_visit == "b"
    qtbot.keyClick(cal, Qt.Key.Key_Return)
    assert opened == ["b"]
    qtbot.keyClick(cal, Qt.Key.Key_Space)  # past the last visit: the day itself
    qtbot.keyClick(cal, Qt.Key.Key_Enter)
    assert days == [date(2026, 11, 10)]
    qtbot.keyClick(cal, Qt.Key.Key_Down)
    assert cal.selected_date == date(2026, 11, 17)
    qtbot.keyClick(cal, Qt.Key.Key_PageDown)
    assert cal.month == date(2026, 12, 1) and cal.selected_date == date(2026, 12, 17)
    qtbot.keyClick(cal, Qt.Key.Key_PageUp)
    qtbot.keyClick(cal, Qt.Key.Key_Up)
    qtbot.keyClick(cal, Qt.Key.Key_Up)
    qtbot.keyClick(cal, Qt.Key.Key_Up)  # 27 Oct: arrows cross into the month before
    assert cal.selected_date == date(2026, 10, 27) and cal.month == date(2026, 10, 1)
    assert months == [date(2026, 12, 1), NOV, date(2026, 10, 1)]
    qtbot.keyClick(cal, Qt.Key.Key_Home)
    assert cal.selected_date == TODAY and cal.month == NOV


def test_the_week_view_paints_without_error_and_grabs(qtbot, cal):
    cal.select_date(date(2026, 11, 10))
    cal.set_mode(mc.WEEK)
    assert cal.visible_days() == [date(2026, 11, 9 + i) for i in range(7)]
    assert cal.chip_rect("a").height() > cal.chip_height() * 2
    assert not cal.grab().isNull()
