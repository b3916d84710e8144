"""Small builders shared by the plan tests (hand-written sheets read like the paper ones)."""

from __future__ import annotations

from decimal import Decimal

from app.rules.plan import MonthCell, PlanActivity
from app.thai import parse_number

MONTH_ABBRS = ("ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.")


def months(by_abbr: dict[str, tuple[int, str | int]] | None = None) -> tuple[MonthCell, ...]:
    """months({"พ.ย.": (1, "๑,๗๕๐")}): (work, baht as printed) by Thai month abbreviation."""
    out = [MonthCell()] * 12
    for abbr, (work, baht) in (by_abbr or {}).items():
        out[MONTH_ABBRS.index(abbr)] = MonthCell(work, parse_number(baht) if isinstance(baht, str) else Decimal(baht))
    return tuple(out)


def row(key: str, number: str = "", title: str = "", **kw) -> PlanActivity:
    return PlanActivity(key=key, number=number, title=title or f"กิจกรรม {key}", **kw)


def heading(key: str, title: str, **kw) -> PlanActivity:
    return PlanActivity(key=key, title=title, is_heading=True, **kw)
