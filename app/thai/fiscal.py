"""Thai government fiscal year (ปีงบประมาณ): 1 Oct - 30 Sep, named by the later BE year.

FY 2567 = 1 Oct 2566 - 30 Sep 2567 (CE 2023-10-01 - 2024-09-30).
"""

from __future__ import annotations

from datetime import date

from app.thai.dates import BE_OFFSET

# Month numbers in plan column order, ต.ค. ... ก.ย.
FISCAL_MONTH_ORDER: tuple[int, ...] = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)


def fiscal_year(d: date) -> int:
    """BE fiscal year containing d: 2023-10-01 -> 2567, 2024-09-30 -> 2567."""
    return d.year + BE_OFFSET + (d.month >= 10)


def _start_year_ce(fy: int) -> int:
    # A CE year here (e.g. 2024) would silently give dates in the 1400s.
    if fy <= 2400:
        raise ValueError(f"fiscal year must be Buddhist era (e.g. 2567), got {fy}")
    return fy - BE_OFFSET - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day (inclusive) of BE fiscal year fy."""
    start = _start_year_ce(fy)
    return date(start, 10, 1), date(start + 1, 9, 30)


def fiscal_months(fy: int) -> list[date]:
    """First day of each month of fy, ต.ค. ... ก.ย. (12 Gregorian dates)."""
    start = _start_year_ce(fy)
    return [date(start + (m < 10), m, 1) for m in FISCAL_MONTH_ORDER]


def fiscal_quarter(d: date) -> int:
    """1 for ต.ค.-ธ.ค., 2 for ม.ค.-มี.ค., 3 for เม.ย.-มิ.ย., 4 for ก.ค.-ก.ย."""
    return (d.month - 10) % 12 // 3 + 1
