"""Activity numbers and the outline tree (headings without numbers, ๒.๓.๑, bullets (๑))."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.plan import (
    PlanSheet,
    activity_number_parts,
    children_of,
    depth_of,
    descendants_of,
    is_leaf,
    leaves,
    level_of,
    parent_of,
    roots,
    split_numbered_title,
)
from app.thai import to_thai_digits
from tests.rules.helpers import heading, row
from tests.rules.strategies import FAST


@pytest.mark.parametrize(
    ("label", "parts"),
    [
        ("๒.๓.๑", (2, 3, 1)),
        ("2.3.1", (2, 3, 1)),
        ("๑", (1,)),
        ("๑.", (1,)),
        ("2.3.1.", (2, 3, 1)),
        (" ๒.๓ ", (2, 3)),
        ("๒. ๓", (2, 3)),
        ("๑๐.๒", (10, 2)),
        ("๒.3.๑", (2, 3, 1)),  # mixed digits, as pasted text sometimes is
        ("", ()),
        ("(๑)", ()),
        ("ก.", ()),
        ("1..2", ()),
        (".1", ()),
    ],
)
def test_activity_number_parts(label, parts):
    assert activity_number_parts(label) == parts


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("๒.๓.๑ วิทยากรระดับชั้นความเข้มแข็ง", ("๒.๓.๑", "วิทยากรระดับชั้นความเข้มแข็ง")),
        ("๑ การวางแผนการปฏิบัติงาน", ("๑", "การวางแผนการปฏิบัติงาน")),
        ("(๑) สหกรณ์ภาคการเกษตร", ("(๑)", "สหกรณ์ภาคการเกษตร")),
        ("๔.๑  วิเคราะห์ผลสำเร็จ", ("๔.๑", "วิเคราะห์ผลสำเร็จ")),
        ("แผนงานด้านการส่งเสริมและพัฒนาองค์กร", ("", "แผนงานด้านการส่งเสริมและพัฒนาองค์กร")),
        ("๒๕๖๖", ("", "๒๕๖๖")),  # a number alone is not a label with a title
    ],
)
def test_split_numbered_title(cell, expected):
    assert split_numbered_title(cell) == expected


def test_level_of():
    assert level_of("๒.๓.๑") == 3
    assert level_of("(๑)") == 0
    assert level_of(row("a", "๑.๒")) == 2
    assert level_of(heading("h", "หัวข้อ")) == 0
    assert level_of(row("a", "๑.๒", level=5)) == 5


def seed_004_outline() -> PlanSheet:
    """The body of seed 004 (titles shortened): two heading levels, numbering restarting
    under each sub-heading, bullets (๑) (๒) under ๒.๓.๑, then the spending plan."""
    return PlanSheet((
        heading("h0", "แผนงานด้านการส่งเสริมและพัฒนาองค์กร"),
        heading("h1", "การส่งเสริมสหกรณ์/กลุ่มเกษตรกรผ่านมาตรฐาน"),
        row("a1", "๑"), row("a11", "๑.๑"), row("a12", "๑.๒"),
        row("a2", "๒"), row("a21", "๒.๑"),
        row("a4", "๔"), row("a41", "๔.๑"),
        heading("h2", "การส่งเสริมให้สหกรณ์มีระดับความเข้มแข็งในระดับ ๑ และระดับ ๒"),
        row("b1", "๑"), row("b2", "๒"), row("b23", "๒.๓"),
        row("b231", "๒.๓.๑"), row("b231x", "(๑)"), row("b231y", "(๒)"),
        row("b232", "๒.๓.๒"), row("b232x", "(๑)"),
        heading("s0", "แผนการใช้จ่ายงบประมาณ", level=0),
        heading("s1", "กสส.๓"),
        row("s1x", "(๑)"), row("s1y", "(๒)"), row("s1z", "(๓)"),
    ))  # fmt: skip


EXPECTED_PARENTS = {
    "h0": None, "h1": "h0", "a1": "h1", "a11": "a1", "a12": "a1", "a2": "h1", "a21": "a2",
    "a4": "h1", "a41": "a4", "h2": "h0", "b1": "h2", "b2": "h2", "b23": "b2", "b231": "b23",
    "b231x": "b231", "b231y": "b231", "b232": "b23", "b232x": "b232",
    "s0": None, "s1": "s0", "s1x": "s1", "s1y": "s1", "s1z": "s1",
}  # fmt: skip


def test_seed_004_outline_parents():
    sheet = seed_004_outline()
    got = {a.key: (p.key if (p := parent_of(sheet, a.key)) else None) for a in sheet.activities}
    assert got == EXPECTED_PARENTS


def test_seed_004_outline_helpers():
    sheet = seed_004_outline()
    assert [a.key for a in children_of(sheet, "b23")] == ["b231", "b232"]
    assert [a.key for a in descendants_of(sheet, "b23")] == ["b231", "b231x", "b231y", "b232", "b232x"]
    assert [a.key for a in roots(sheet)] == ["h0", "s0"]
    assert is_leaf(sheet, "b231x") and not is_leaf(sheet, "b231") and not is_leaf(sheet, "h1")
    assert "a12" in {a.key for a in leaves(sheet)}
    assert [depth_of(sheet, k) for k in ("h0", "h1", "a1", "a11", "h2", "b231", "b231x", "s1x")] == [
        0, 1, 2, 3, 1, 4, 5, 2,
    ]


def test_explicit_level_overrides_the_number():
    sheet = PlanSheet((row("a", "๑"), row("b", "๒", level=1), row("c", "๓")))
    assert parent_of(sheet, "b").key == "a"
    assert parent_of(sheet, "c") is None


def test_missing_intermediate_number_hangs_on_the_nearest_ancestor():
    sheet = PlanSheet((row("a", "๒"), row("b", "๒.๒"), row("c", "๒.๓.๑")))
    assert parent_of(sheet, "c").key == "a"


def test_unknown_key_is_a_key_error():
    with pytest.raises(KeyError):
        parent_of(PlanSheet(), "nope")


def test_duplicate_keys_are_refused():
    with pytest.raises(ValueError):
        PlanSheet((row("a", "๑"), row("a", "๒")))


@st.composite
def outline_numbers(draw) -> list[tuple[int, ...]]:
    """A well-formed numbering: each row is a child, a sibling or an uncle of the previous."""
    numbers = [(1,)]
    for _ in range(draw(st.integers(0, 25))):
        last = numbers[-1]
        move = draw(st.sampled_from(["child", "sibling", "up"]))
        if move == "child" and len(last) < 4:
            numbers.append((*last, 1))
        elif move == "up" and len(last) > 1:
            up = last[:-1]
            numbers.append((*up[:-1], up[-1] + 1))
        else:
            numbers.append((*last[:-1], last[-1] + 1))
    return numbers


@FAST
@given(outline_numbers(), st.booleans(), st.booleans())
def test_dotted_parent_is_the_row_numbered_by_the_prefix(numbers, thai, under_heading):
    def label(parts):
        text = ".".join(map(str, parts))
        return to_thai_digits(text) if thai else text

    rows = [row(f"r{i}", label(p)) for i, p in enumerate(numbers)]
    if under_heading:
        rows.insert(0, heading("h", "หัวข้อ"))
    sheet = PlanSheet(tuple(rows))
    by_number = {p: f"r{i}" for i, p in enumerate(numbers)}
    for i, parts in enumerate(numbers):
        parent = parent_of(sheet, f"r{i}")
        if len(parts) == 1:
            assert parent is None if not under_heading else parent.key == "h"
        else:
            assert parent.key == by_number[parts[:-1]]
    outline = sheet.outline
    for i, p in enumerate(outline.parents):
        assert p is None or (p < i and outline.depths[p] < outline.depths[i])
