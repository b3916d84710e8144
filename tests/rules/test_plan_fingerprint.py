"""The content fingerprint that approvals sign and printed sheets show."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.approval import canonical_json, content_hash, short_hash
from app.rules.plan import (
    MonthCell,
    PlanSheet,
    RawCell,
    StatedCell,
    canonical_content,
    content_fingerprint,
    short_fingerprint,
)
from tests.rules.helpers import heading, months, row
from tests.rules.strategies import FAST, plan_rows


def small_plan(**kw) -> PlanSheet:
    return PlanSheet((
        heading("h", "กสส.๓"),
        row("r1", "(๑)", "ประชุมผู้ส่งเสริมสหกรณ์", target_quantity=7, unit="ครั้ง",
            stated_total_baht=Decimal(13650), months=months({"พ.ย.": (1, "๑,๗๕๐")})),
    ), budget_total=Decimal(50200), fiscal_year=2566, title="แผนปฏิบัติงานครั้งที่ ๑", **kw)  # fmt: skip


def test_golden_fingerprint():
    # Stored approvals hold this hash: if the canonical form must change, bump
    # fingerprint.FORMAT and migrate stored hashes instead of editing this value.
    assert content_fingerprint(small_plan()) == "b181081e0bcc7833fa315ecfbd9f4b1463a7b7bad2dc4b4f6f854810d6d576d4"
    text = canonical_json(canonical_content(small_plan()))
    assert '"format":"coopdesk.action_plan/1"' in text and '[1,"1750"]' in text and '"r1"' not in text


def test_shape_and_short_form():
    fp = content_fingerprint(small_plan())
    assert re.fullmatch(r"[0-9a-f]{64}", fp)
    assert short_fingerprint(small_plan()) == fp[:12] == short_hash(fp)


def test_same_amount_in_another_scale_and_other_keys_hash_the_same():
    a = small_plan()
    rows = tuple(replace(x, key=x.key + "-rev2") for x in a.activities)
    b = replace(a, activities=rows, budget_total=Decimal("50200.00"))
    c = replace(a, unparsed=(RawCell("total", "?"),))
    assert content_fingerprint(a) == content_fingerprint(b) == content_fingerprint(c)


@pytest.mark.parametrize(
    "change",
    [
        lambda s: replace(s, title="แผนปฏิบัติงานครั้งที่ ๒"),
        lambda s: replace(s, budget_total=Decimal("50200.01")),
        lambda s: replace(s, budget_total=None),
        lambda s: replace(s, header=(("ผู้รับผิดชอบ", "นางสาวอนมร"),)),
        lambda s: replace(s, stated_total=StatedCell(baht=Decimal(1))),
        lambda s: replace(s, activities=s.activities[::-1]),
        lambda s: replace(s, activities=(s.activities[0], replace(s.activities[1], responsible="ดลิตา"))),
        lambda s: replace(s, activities=(s.activities[0], replace(s.activities[1], unit="แห่ง"))),
    ],
)
def test_any_printed_change_changes_the_fingerprint(change):
    assert content_fingerprint(change(small_plan())) != content_fingerprint(small_plan())


@FAST
@given(plan_rows(min_size=1), st.data())
def test_changing_one_cell_changes_the_fingerprint(rows, data):
    sheet = PlanSheet(tuple(rows))
    i = data.draw(st.integers(0, len(rows) - 1))
    m = data.draw(st.integers(0, 11))
    delta = data.draw(st.sampled_from([Decimal("0.01"), Decimal(1), Decimal(-1)]))
    cells = list(rows[i].months)
    cells[m] = MonthCell(cells[m].work, cells[m].baht + delta)
    changed = replace(sheet, activities=tuple(replace(a, months=tuple(cells)) if j == i else a
                                              for j, a in enumerate(sheet.activities)))
    assert content_fingerprint(changed) != content_fingerprint(sheet)
    assert content_fingerprint(sheet) == content_fingerprint(PlanSheet(tuple(rows)))


def test_canonical_json_rules():
    assert canonical_json({"b": 1, "a": [Decimal("1.50"), date(2023, 10, 1)]}) == '{"a":["1.5","2023-10-01"],"b":1}'
    assert canonical_json({"s": frozenset({"ข", "ก"})}) == '{"s":["ก","ข"]}'
    assert canonical_json(datetime(2023, 10, 1, 3, tzinfo=UTC)) == '"2023-10-01T03:00:00+00:00"'
    assert canonical_json(Decimal("-0.00")) == '"0"'
    assert content_hash({"a": 1, "b": 2}) == content_hash({"b": 2, "a": 1})
    with pytest.raises(TypeError):
        content_hash({"x": 0.1})
    with pytest.raises(TypeError):
        content_hash({1: "x"})
    with pytest.raises(ValueError):
        content_hash(Decimal("NaN"))


def test_budget_amounts_are_fingerprinted_in_canonical_form():
    from decimal import Decimal

    from app.rules.plan import PlanSheet, content_fingerprint
    from app.rules.plan.document import BudgetLine, PlanDocument, PlanHeader

    def doc(amount):
        return PlanDocument(PlanHeader(budget_lines=(BudgetLine("งบดำเนินงาน", amount),)), PlanSheet())

    assert content_fingerprint(doc(Decimal("50200")).sheet) == content_fingerprint(doc(Decimal("50200.00")).sheet)
    assert content_fingerprint(doc(Decimal("50200")).sheet) != content_fingerprint(doc(Decimal("50200.01")).sheet)


def test_kpi_targets_read_as_value_and_unit():
    from decimal import Decimal

    from app.rules.plan.document import KpiLine

    cases = {
        "ร้อยละ ๑๐๐": (Decimal(100), "ร้อยละ"),
        "๕๕ แห่ง": (Decimal(55), "แห่ง"),
        "ไม่น้อยกว่า ร้อยละ ๖๓": (Decimal(63), "ร้อยละ"),
        "1,250 ราย": (Decimal(1250), "ราย"),
        "65.5%": (Decimal("65.5"), "ร้อยละ"),
        "": (None, ""),
    }
    for text, expected in cases.items():
        line = KpiLine("ตัวชี้วัด", text)
        assert (line.target_value, line.unit) == expected, text
