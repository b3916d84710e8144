"""Hypothesis strategies for plans: exact two-place baht, Thai or Arabic numbering, headings.

Cells are drawn sparsely (a list of (row, month, work, satang) entries) because most cells
of a real plan are blank, and because drawing 12 × rows cells one by one is slow.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st

from app.rules.plan import MonthCell, PlanActivity, PlanSheet
from app.thai import to_thai_digits

MAX_SATANG = 5_000_000_00


def _cells(non_negative: bool):
    work = st.integers(0 if non_negative else -20, 500)
    satang = st.integers(0 if non_negative else -MAX_SATANG, MAX_SATANG)
    return st.lists(st.tuples(st.integers(0, 99), st.integers(0, 11), work, satang), max_size=30)


CELLS_ANY, CELLS_NON_NEGATIVE = _cells(False), _cells(True)

dotted = st.lists(st.integers(1, 12), min_size=1, max_size=4).map(lambda p: ".".join(map(str, p)))
labels = st.one_of(dotted, dotted.map(to_thai_digits), st.sampled_from(["", "(๑)", "(๒)", "ก."]))
# None = a heading row
row_kinds = st.one_of(st.none(), labels)


@st.composite
def plan_rows(draw, min_size: int = 0, max_size: int = 14, non_negative: bool = False):
    kinds = draw(st.lists(row_kinds, min_size=min_size, max_size=max_size))
    grid = [[MonthCell()] * 12 for _ in kinds]
    for r, m, w, s in draw(CELLS_NON_NEGATIVE if non_negative else CELLS_ANY) if kinds else ():
        grid[r % len(kinds)][m] = MonthCell(w, Decimal(s).scaleb(-2))
    return [
        PlanActivity(key=f"k{i}", title=f"หัวข้อ {i}", is_heading=True, months=tuple(grid[i])) if kind is None
        else PlanActivity(key=f"k{i}", number=kind, title=f"กิจกรรม {i}", months=tuple(grid[i]))
        for i, kind in enumerate(kinds)
    ]


def sheets(**kw):
    return plan_rows(**kw).map(lambda rows: PlanSheet(tuple(rows)))


# Sheets are built row by row in Python; 40 examples keep the whole folder well under 5 s.
FAST = settings(max_examples=40, deadline=None)
