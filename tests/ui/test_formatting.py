"""How dates and times read on screen."""

from __future__ import annotations

from datetime import UTC, datetime

from ui.formatting import when_text


def test_times_on_screen_are_office_time_whatever_the_machines_zone():
    assert when_text(datetime(2026, 11, 23, 2, 30, tzinfo=UTC)) == "๒๓ พ.ย. ๖๙ ๐๙:๓๐"
    assert when_text(datetime(2026, 12, 31, 18, 0, tzinfo=UTC)) == "๑ ม.ค. ๗๐ ๐๑:๐๐"  # the next day in Thailand
