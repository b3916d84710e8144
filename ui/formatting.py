"""How numbers and dates read on screen: Thai digits in dates and years when the screen is
Thai (as on the office's own papers), Arabic digits when it is English."""

from __future__ import annotations

from datetime import date, datetime

from app.i18n import language, tr
from app.thai import THAI_TIME, format_date, to_thai_digits


def ui_digits(value: object) -> str:
    return to_thai_digits(value) if language() == "th" else str(value)


def ui_date(d: date | None, style: str = "long") -> str:
    return format_date(d, style, thai_digits=language() == "th")


def fiscal_year_label(year: int) -> str:
    return tr("ปีงบประมาณ {year}", year=ui_digits(year))


def when_text(at: datetime | None) -> str:
    """A stored UTC time as the office reads it: Thai date (BE) and Thai time, whatever
    time zone the machine is set to (printed sheets say the same)."""
    if at is None:
        return ""
    local = at.astimezone(THAI_TIME)
    return f"{ui_date(local.date(), 'short')} {ui_digits(local.strftime('%H:%M'))}"
