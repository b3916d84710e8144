"""Validation findings: each of the six kinds, places in words and in fields, the order."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.plan import (
    BAHT,
    BUDGET_TOTAL_MISMATCH,
    FINDING_KINDS,
    KIND_LABELS,
    MONTH_TOTAL_MISMATCH,
    NEGATIVE_VALUE,
    ROW_TOTAL_MISMATCH,
    TARGET,
    TARGET_MISMATCH,
    TOTAL,
    UNPARSED_CELL,
    WORK,
    Finding,
    MonthCell,
    PlanSheet,
    RawCell,
    StatedCell,
    finding_summary,
    month_totals,
    subtotal,
    validate,
    year_total,
)
from app.thai import parse_number
from tests.rules.helpers import MONTH_ABBRS, heading, months, row
from tests.rules.strategies import FAST, plan_rows

N = parse_number  # figures are typed as printed on seed 004, in Thai digits


def seed_004_spending_plan(**sheet_fields) -> PlanSheet:
    """แผนการใช้จ่ายงบประมาณ of seed 004, rows (๑) and (๓) as printed."""
    meeting = {m: (1, "๑,๗๕๐") for m in ("พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "พ.ค.", "ก.ค.")}
    interest = {m: (0, "๑,๐๐๐") for m in MONTH_ABBRS} | {"มี.ค.": (0, "๑,๕๕๐")}
    return PlanSheet((
        heading("plan", "แผนการใช้จ่ายงบประมาณ"),
        heading("k3", "กสส.๓"),
        row("r1", "(๑)", "ประชุมผู้ส่งเสริมสหกรณ์", target_quantity=7, unit="ครั้ง",
            stated_total_baht=N("๑๓,๖๕๐"), months=months(meeting)),
        row("r3", "(๓)", "คำนวณเงินเชื่อหลัง", target_quantity=12, unit="เดือน",
            stated_total_baht=N("๑๒,๕๕๐"), months=months(interest)),
    ), **sheet_fields)  # fmt: skip


def test_seed_004_seven_meetings_do_not_make_13650():
    findings = validate(seed_004_spending_plan())
    assert findings == [
        Finding(ROW_TOTAL_MISMATCH, "กิจกรรม (๑) “ประชุมผู้ส่งเสริมสหกรณ์” (รวมงบ)", "r1", None, BAHT,
                stated=Decimal(13650), computed=Decimal(12250)),
    ]
    assert findings[0].message() == (
        "กิจกรรม (๑) “ประชุมผู้ส่งเสริมสหกรณ์” (รวมงบ): ระบุไว้ 13,650.00 แต่รวมรายเดือนได้ 12,250.00"
    )


def test_seed_004_header_budget_is_not_the_plan_total():
    sheet = seed_004_spending_plan(budget_total=N("๕๐,๒๐๐.๐๐"))
    budget = [f for f in validate(sheet) if f.kind == BUDGET_TOTAL_MISMATCH]
    assert budget == [Finding(BUDGET_TOTAL_MISMATCH, "ส่วนหัว (งบประมาณรวมทั้งสิ้น)", None, None, TOTAL,
                              stated=Decimal("50200.00"), computed=Decimal(24800))]
    assert "50,200.00 บาท" in budget[0].message()


def test_budget_equal_in_any_scale_is_no_finding():
    assert validate(seed_004_spending_plan(budget_total=Decimal("24800.00")))[1:] == []


def test_row_total_work_mismatch():
    sheet = PlanSheet((row("a", "๑.๒", stated_total_work=5, months=months({"ต.ค.": (4, 0)})),))
    assert [(f.kind, f.column, f.stated, f.computed, f.where) for f in validate(sheet)] == [
        (ROW_TOTAL_MISMATCH, WORK, 5, 4, "กิจกรรม ๑.๒ (รวมงาน)"),
    ]


def test_parent_stated_totals_cover_its_children_once():
    rows = (
        row("p", "๒.๓.๑", target_quantity=11, unit="แห่ง", stated_total_baht=Decimal(1100)),
        row("x", "(๑)", months=months({"ต.ค.": (6, 600)})),
        row("y", "(๒)", months=months({"พ.ย.": (5, 500)})),
    )
    assert validate(PlanSheet(rows)) == []
    short = PlanSheet((rows[0], rows[1], replace(rows[2], months=months({"พ.ย.": (4, 500)}))))
    assert [(f.kind, f.activity_key, f.stated, f.computed) for f in validate(short)] == [
        (TARGET_MISMATCH, "p", 11, 10),
    ]
    assert validate(short)[0].where == "กิจกรรม ๒.๓.๑ (เป้าหมาย)"


@pytest.mark.parametrize(
    ("unit", "rule", "expected"),
    [
        ("ครั้ง", None, True),
        (" แห่ง ", None, True),
        ("เดือน", None, False),  # seed 004 (๓): ๑๒ เดือน with no work units is fine
        ("", None, False),
        ("ราย", frozenset({"ครั้ง"}), False),
        ("ครั้ง/เดือน", lambda u: u.startswith("ครั้ง"), True),
    ],
)
def test_target_compared_only_for_counted_units(unit, rule, expected):
    sheet = PlanSheet((row("a", "๑", target_quantity=10, unit=unit, months=months({"ม.ค.": (9, 0)})),))
    kw = {} if rule is None else {"target_units_matching": rule}
    assert [f.kind for f in validate(sheet, **kw)] == ([TARGET_MISMATCH] if expected else [])


def test_month_total_mismatch_and_grand_total():
    sheet = seed_004_spending_plan()
    computed = month_totals(sheet)
    stated = [StatedCell(baht=t.baht) for t in computed]  # the seed's totals row states baht only
    stated[3] = StatedCell(baht=computed[3].baht + 1)
    stated[5] = StatedCell(work=99, baht=computed[5].baht)
    sheet = replace(sheet, stated_month_totals=tuple(stated), stated_total=StatedCell(baht=N("๘๐,๒๕๐")))
    found = [f for f in validate(sheet) if f.kind == MONTH_TOTAL_MISMATCH]
    assert [(f.where, f.month, f.column, f.stated, f.computed) for f in found] == [
        ("แถวรวม (รวมงบ)", None, BAHT, Decimal(80250), Decimal(24800)),  # printed left of the months
        ("แถวรวม เดือน ม.ค. (งบ)", 3, BAHT, Decimal(2751), Decimal(2750)),
        ("แถวรวม เดือน มี.ค. (งาน)", 5, WORK, 99, 1),
    ]
    assert all(f.activity_key is None for f in found)


def test_negative_values_anywhere():
    sheet = PlanSheet(
        (
            heading("h", "การส่งเสริมให้สหกรณ์มีระดับความเข้มแข็งในระดับ ๑ และระดับ ๒ ของจังหวัด"),
            row("a", "๒.๓.๑", target_quantity=-1, unit="เดือน", months=months({"ม.ค.": (0, "-100")})),
            row("b", "", "ติดตามผล", months=months({"ต.ค.": (-2, 0)})),
        ),
        budget_total=Decimal(-5),
        stated_month_totals=(StatedCell(),) * 11 + (StatedCell(work=-3),),
    )
    got = [(f.where, f.stated) for f in validate(sheet) if f.kind == NEGATIVE_VALUE]
    assert got == [
        ("ส่วนหัว (งบประมาณรวมทั้งสิ้น)", Decimal(-5)),
        ("กิจกรรม ๒.๓.๑ (เป้าหมาย)", -1),
        ("กิจกรรม ๒.๓.๑ เดือน ม.ค. (งบ)", Decimal(-100)),
        ("กิจกรรม “ติดตามผล” เดือน ต.ค. (งาน)", -2),
        ("แถวรวม เดือน ก.ย. (งาน)", -3),
    ]


def test_heading_and_bullet_places():
    sheet = PlanSheet((
        heading("h", "แผนงานด้านการส่งเสริมและพัฒนาองค์กรให้มีความเข้มแข็งตามศักยภาพ"),
        row("p", "๒.๓.๑"),
        row("x", "(๑)", months=months({"ก.ย.": (-1, 0)})),
    ))  # fmt: skip
    sheet = replace(sheet, activities=(replace(sheet.activities[0], months=months({"ต.ค.": (0, -1)})),
                                       *sheet.activities[1:]))
    assert [f.where for f in validate(sheet)] == [
        "หัวข้อ “แผนงานด้านการส่งเสริมและพัฒนาองค์กรให้…” เดือน ต.ค. (งบ)",
        "กิจกรรม ๒.๓.๑ (๑) เดือน ก.ย. (งาน)",
    ]


def test_unparsed_cells_from_the_importer():
    sheet = PlanSheet(
        (row("r2", "(๒)", "ออกพื้นที่แนะนำส่งเสริม", unparsed=(
            RawCell(BAHT, "๔,๘oo", month=1), RawCell(TARGET, "๕๐ แห่ง/๑ กลุ่ม"))),),
        unparsed=(RawCell(BAHT, "ดูหมายเหตุ", month=11), RawCell(TOTAL, "ห้าหมื่น")),
    )
    got = [(f.kind, f.where, f.activity_key, f.month, f.column, f.text) for f in validate(sheet)]
    assert got == [
        (UNPARSED_CELL, "ส่วนหัว (งบประมาณรวมทั้งสิ้น)", None, None, TOTAL, "ห้าหมื่น"),
        (UNPARSED_CELL, "กิจกรรม (๒) “ออกพื้นที่แนะนำส่งเสริม” (เป้าหมาย)", "r2", None, TARGET, "๕๐ แห่ง/๑ กลุ่ม"),
        (UNPARSED_CELL, "กิจกรรม (๒) “ออกพื้นที่แนะนำส่งเสริม” เดือน พ.ย. (งบ)", "r2", 1, BAHT, "๔,๘oo"),
        (UNPARSED_CELL, "แถวรวม เดือน ก.ย. (งบ)", None, 11, BAHT, "ดูหมายเหตุ"),
    ]
    assert validate(sheet)[1].message() == (
        "กิจกรรม (๒) “ออกพื้นที่แนะนำส่งเสริม” (เป้าหมาย): อ่านค่า “๕๐ แห่ง/๑ กลุ่ม” เป็นตัวเลขไม่ได้"
    )
    with pytest.raises(ValueError):
        RawCell("ผิด", "x")
    with pytest.raises(ValueError):
        RawCell(WORK, "x", month=12)


def test_order_is_sheet_order_then_months():
    sheet = PlanSheet(
        (
            row("b", "๒", months=months({"ก.ย.": (-1, 0), "ต.ค.": (0, -1)}), stated_total_work=7),
            row("a", "๑", unparsed=(RawCell(WORK, "?", month=4),), months=months({"ม.ค.": (-1, 0)})),
        ),
        budget_total=Decimal(1),
    )
    got = [(f.activity_key, f.month, f.column, f.kind) for f in validate(sheet)]
    assert got == [
        (None, None, TOTAL, BUDGET_TOTAL_MISMATCH),
        ("b", None, WORK, ROW_TOTAL_MISMATCH),
        ("b", 0, BAHT, NEGATIVE_VALUE),
        ("b", 11, WORK, NEGATIVE_VALUE),
        ("a", 3, WORK, NEGATIVE_VALUE),
        ("a", 4, WORK, UNPARSED_CELL),
    ]
    assert validate(sheet) == validate(sheet)
    assert finding_summary(validate(sheet)) == {
        UNPARSED_CELL: 1, NEGATIVE_VALUE: 3, ROW_TOTAL_MISMATCH: 1, BUDGET_TOTAL_MISMATCH: 1,
    }


def test_every_kind_is_a_distinct_string_with_a_thai_label():
    assert len(set(FINDING_KINDS)) == 6 and set(KIND_LABELS) == set(FINDING_KINDS)
    assert all(isinstance(k, str) for k in FINDING_KINDS)


def consistent(sheet: PlanSheet) -> PlanSheet:
    """The sheet with every stated figure equal to what its cells add up to."""
    rows = tuple(
        a if a.is_heading else replace(a, stated_total_work=(t := subtotal(sheet, a.key)).work,
                                       stated_total_baht=t.baht, target_quantity=t.work, unit="ครั้ง")
        for a in sheet.activities
    )
    sheet = replace(sheet, activities=rows)
    return replace(
        sheet,
        budget_total=year_total(sheet).baht,
        stated_month_totals=tuple(StatedCell(t.work, t.baht) for t in month_totals(sheet)),
        stated_total=StatedCell(year_total(sheet).work, year_total(sheet).baht),
    )


@FAST
@given(plan_rows(min_size=1, non_negative=True), st.data())
def test_a_sheet_that_adds_up_has_no_findings_and_one_slip_gives_one(rows, data):
    sheet = consistent(PlanSheet(tuple(rows)))
    assert validate(sheet) == []
    delta = data.draw(st.integers(1, 1000))
    slip = data.draw(st.sampled_from(["row", "target", "month", "total", "budget"]))
    numbered = [a for a in sheet.activities if not a.is_heading]
    if slip in ("row", "target") and numbered:
        a = data.draw(st.sampled_from(numbered))
        field, kind = (("stated_total_baht", ROW_TOTAL_MISMATCH) if slip == "row"
                       else ("target_quantity", TARGET_MISMATCH))
        changed = replace(a, **{field: getattr(a, field) + delta})
        bad = replace(sheet, activities=tuple(changed if x.key == a.key else x for x in sheet.activities))
        expected = (kind, a.key)
    elif slip == "month":
        m = data.draw(st.integers(0, 11))
        stated = list(sheet.stated_month_totals)
        stated[m] = StatedCell(stated[m].work + delta, stated[m].baht)
        bad = replace(sheet, stated_month_totals=tuple(stated))
        expected = (MONTH_TOTAL_MISMATCH, None)
    elif slip == "total":
        bad = replace(sheet, stated_total=StatedCell(sheet.stated_total.work, sheet.stated_total.baht + delta))
        expected = (MONTH_TOTAL_MISMATCH, None)
    else:
        bad = replace(sheet, budget_total=sheet.budget_total + Decimal(delta) / 100)
        expected = (BUDGET_TOTAL_MISMATCH, None)
    if slip in ("row", "target") and not numbered:
        return
    assert [(f.kind, f.activity_key) for f in validate(bad)] == [expected]


def test_month_cells_must_be_twelve_and_typed():
    with pytest.raises(ValueError):
        PlanSheet(stated_month_totals=(StatedCell(),) * 3)
    with pytest.raises(TypeError):
        StatedCell(baht=1.5)
    assert MonthCell(2, Decimal("1.10")).baht == Decimal("1.1")
