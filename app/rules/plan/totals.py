"""Plan arithmetic: totals per row, month, quarter and year, and subtree subtotals.

The rollup rule (why no row is ever counted twice):
    Every row's own month cells count exactly once in every total, whatever its place in
    the outline. A parent or heading is never replaced by, nor added to, the sum of its
    children: its own cells are its own spending (in seed 004 they are empty, the amounts
    sit on the leaves). So the plan total = the leaf rows + any non-leaf row's own cells,
    which is simply the sum over all rows. `subtotal()` is the one place where a row and
    its descendants are added up, for showing a section's total next to its heading.
    A sheet that repeats its children's sums in a parent row must be imported with those
    figures as the parent's stated totals, not as month cells, or they are counted twice.

Work totals add units as the sheets do (ครั้ง and แห่ง alike); they are counts of work.
All sums are Decimal (exact); nothing is rounded here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.rules.plan.model import MONTHS, QUARTERS, MonthCell, PlanActivity, PlanSheet

MONTHS_PER_QUARTER = MONTHS // QUARTERS


@dataclass(frozen=True)
class Total:
    """Work units and baht added up; unpacks as `work, baht = total`."""

    work: int = 0
    baht: Decimal = Decimal(0)

    def __add__(self, other: Total | MonthCell) -> Total:
        return Total(self.work + other.work, self.baht + other.baht)

    def __iter__(self):
        yield self.work
        yield self.baht


ZERO = Total()


def add_up(cells: Iterable[Total | MonthCell]) -> Total:
    work, baht = 0, Decimal(0)
    for c in cells:
        work += c.work
        baht += c.baht
    return Total(work, baht)


def quarter_of(month_index: int) -> int:
    """0-based quarter of a 0-based fiscal month index: ต.ค.–ธ.ค. → 0 … ก.ค.–ก.ย. → 3."""
    return month_index // MONTHS_PER_QUARTER


def row_totals(activity: PlanActivity) -> Total:
    """The row's own twelve months (never its children's)."""
    return add_up(activity.months)


def month_totals(sheet: PlanSheet) -> tuple[Total, ...]:
    """Twelve totals ต.ค. → ก.ย. over every row's own cells."""
    return tuple(add_up(a.months[m] for a in sheet.activities) for m in range(MONTHS))


def quarter_totals(sheet: PlanSheet) -> tuple[Total, ...]:
    """Four totals: ต.ค.–ธ.ค., ม.ค.–มี.ค., เม.ย.–มิ.ย., ก.ค.–ก.ย."""
    months = month_totals(sheet)
    q = MONTHS_PER_QUARTER
    return tuple(add_up(months[i * q:(i + 1) * q]) for i in range(QUARTERS))


def year_total(sheet: PlanSheet) -> Total:
    return add_up(row_totals(a) for a in sheet.activities)


def subtotal(sheet: PlanSheet, key: str) -> Total:
    """A row's own cells plus those of every row below it in the outline (a section total)."""
    i = sheet.index_of(key)
    rows = (i, *sheet.outline.descendants(i))
    return add_up(row_totals(sheet.activities[r]) for r in rows)


def subtotal_months(sheet: PlanSheet, key: str) -> tuple[Total, ...]:
    """Twelve section totals of a row and its descendants (for a heading's total line)."""
    i = sheet.index_of(key)
    rows = [sheet.activities[r] for r in (i, *sheet.outline.descendants(i))]
    return tuple(add_up(a.months[m] for a in rows) for m in range(MONTHS))
