"""Plan arithmetic: row, month, quarter and year totals, and no double counting."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.rules.plan import (
    MonthCell,
    PlanActivity,
    PlanSheet,
    Total,
    month_totals,
    quarter_of,
    quarter_totals,
    roots,
    row_totals,
    subtotal,
    subtotal_months,
    year_total,
)
from tests.rules.helpers import heading, months, row
from tests.rules.strategies import FAST, plan_rows, sheets


def _sum(totals) -> Total:
    out = Total()
    for t in totals:
        out += t
    return out


@FAST
@given(sheets())
def test_rows_months_quarters_and_year_agree(sheet):
    year = year_total(sheet)
    assert _sum(row_totals(a) for a in sheet.activities) == year
    assert _sum(month_totals(sheet)) == year
    assert _sum(quarter_totals(sheet)) == year
    assert len(month_totals(sheet)) == 12 and len(quarter_totals(sheet)) == 4


@FAST
@given(sheets())
def test_quarters_are_oct_dec_jan_mar_apr_jun_jul_sep(sheet):
    m = month_totals(sheet)
    assert quarter_totals(sheet) == tuple(m[q * 3] + m[q * 3 + 1] + m[q * 3 + 2] for q in range(4))
    assert [quarter_of(i) for i in range(12)] == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]


@FAST
@given(plan_rows(), st.randoms(use_true_random=False))
def test_order_of_rows_does_not_change_totals(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    a, b = PlanSheet(tuple(rows)), PlanSheet(tuple(shuffled))
    assert month_totals(a) == month_totals(b)
    assert quarter_totals(a) == quarter_totals(b)
    assert year_total(a) == year_total(b)


@FAST
@given(sheets())
def test_decimal_sums_are_exact(sheet):
    # The same sum done in integer satang: no float, no rounding anywhere.
    satang = sum(int(c.baht * 100) for a in sheet.activities for c in a.months)
    assert year_total(sheet).baht == Decimal(satang).scaleb(-2)
    assert all(isinstance(t.baht, Decimal) for t in month_totals(sheet))


@FAST
@given(sheets())
def test_section_subtotals_count_every_row_once(sheet):
    assert _sum(subtotal(sheet, r.key) for r in roots(sheet)) == year_total(sheet)
    for a in sheet.activities:
        i = sheet.index_of(a.key)
        kids = sheet.outline.children[i]
        assert subtotal(sheet, a.key) == _sum([row_totals(a), *(subtotal(sheet, sheet.activities[k].key) for k in kids)])
        assert _sum(subtotal_months(sheet, a.key)) == subtotal(sheet, a.key)


def test_tenths_add_up_exactly():
    cells = tuple(MonthCell(0, Decimal("0.10")) for _ in range(12))
    sheet = PlanSheet(tuple(PlanActivity(key=str(i), months=cells) for i in range(10)))
    assert year_total(sheet).baht == Decimal("12.00")


def test_parent_and_heading_cells_are_not_double_counted():
    """Amounts on leaves (as in seed 004) plus a parent's own cell: each counted once."""
    sheet = PlanSheet((
        heading("h", "การส่งเสริมให้สหกรณ์มีระดับความเข้มแข็ง"),
        row("p", "๒.๓", months=months({"ต.ค.": (1, 100)})),  # the parent's own spending
        row("c1", "๒.๓.๑", months=months({"ต.ค.": (2, "๑,๐๐๐"), "ม.ค.": (1, 500)})),
        row("c1a", "(๑)", months=months({"ก.ย.": (3, 300)})),
        row("c2", "๒.๓.๒", months=months({"ธ.ค.": (4, 40)})),
    ))  # fmt: skip
    assert year_total(sheet) == Total(11, Decimal(1940))
    assert month_totals(sheet)[0] == Total(3, Decimal(1100))
    assert subtotal(sheet, "h") == year_total(sheet)
    assert subtotal(sheet, "p") == year_total(sheet)
    assert subtotal(sheet, "c1") == Total(6, Decimal(1800))
    assert row_totals(sheet.activity("p")) == Total(1, Decimal(100))
    assert row_totals(sheet.activity("h")) == Total()
    work, baht = row_totals(sheet.activity("c1"))
    assert (work, baht) == (3, Decimal(1500))


def test_empty_sheet_totals_are_zero():
    sheet = PlanSheet()
    assert year_total(sheet) == Total() and month_totals(sheet) == (Total(),) * 12


def test_money_must_not_be_float():
    import pytest

    with pytest.raises(TypeError):
        MonthCell(1, 0.1)
    with pytest.raises(TypeError):
        MonthCell(True, Decimal(1))
    with pytest.raises(ValueError):
        PlanActivity(key="a", months=(MonthCell(),) * 11)
    assert MonthCell(1, 5).baht == Decimal(5)
