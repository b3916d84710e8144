"""Activity numbers (๑, ๑.๑, ๒.๓.๑, (๑)) and the outline tree they form.

A sheet's rows are an outline read top to bottom, as a person reads it:
- a heading (no number) groups the rows after it, up to the next heading of the same or a
  higher level; a heading that directly follows another heading is nested in it (seed 004:
  "แผนงานด้าน…" then "การส่งเสริมสหกรณ์…ผ่านมาตรฐาน"), otherwise it is a sibling of the
  previous heading. Numbering restarts under each heading, so numbers are not unique;
- a dotted number sits one level per part below its heading: ๒.๓.๑ is a child of ๒.๓ and a
  grandchild of ๒ (with no ๒.๓ written, ๒.๓.๑ is a child of ๒, not of a ๒.๒ above it);
- a bullet ("(๑)", "ก.", or a row with no number that is not a heading) is a child of the
  nearest dotted row above it in the same section, else of the heading;
- an explicit `level` on a row overrides all of the above (the importer or the ORM knows).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.rules.plan.model import PlanActivity, PlanSheet
from app.thai import to_arabic_digits

_SPACES = re.compile(r"[\s\u200b\ufeff]+")
_DOTTED = re.compile(r"\d+(?:\.\d+)*")
# A label at the start of a cell: a dotted number ("๒.๓.๑", "๑."), or a bullet "(๑)", "๑)", "(ก)".
_LEADING_LABEL = re.compile(r"\s*((?:[0-9๐-๙]+(?:\s*\.\s*[0-9๐-๙]+)*\.?)|(?:\(\s*[0-9๐-๙ก-ฮ]{1,3}\s*\))|"
                            r"(?:[0-9๐-๙]{1,3}\)))(?=\s|$)\s*")


def activity_number_parts(label: str) -> tuple[int, ...]:
    """The outline parts of a dotted number: "๒.๓.๑" → (2, 3, 1), "1.2." → (1, 2).

    Thai or Arabic digits; spaces and trailing dots are ignored. Anything that is not a
    dotted number ("", "(๑)", "ก.") gives () — such rows are headings or bullets.
    """
    text = _SPACES.sub("", to_arabic_digits(label or "")).rstrip(".")
    if not _DOTTED.fullmatch(text):
        return ()
    return tuple(int(p) for p in text.split("."))


def split_numbered_title(text: str) -> tuple[str, str]:
    """Split a cell such as "๒.๓.๑ วิทยากร…" into ("๒.๓.๑", "วิทยากร…").

    Bullets are recognised too ("(๑) สหกรณ์…" → ("(๑)", "สหกรณ์…")); a cell with no
    leading label gives ("", text). The label keeps the digits as written.
    """
    text = (text or "").strip()
    m = _LEADING_LABEL.match(text)
    if not m or not text[m.end():].strip():
        return "", text
    return _SPACES.sub("", m.group(1)), text[m.end():].strip()


def level_of(item: PlanActivity | str) -> int:
    """The level a row shows by itself: its given level, else the parts of its number.

    "๒.๓.๑" → 3; headings and bullets → 0 (their depth depends on the rows around them:
    see `Outline.depths`).
    """
    if isinstance(item, PlanActivity):
        if item.level is not None:
            return item.level
        return 0 if item.is_heading else len(activity_number_parts(item.number))
    return len(activity_number_parts(item))


@dataclass(frozen=True)
class Outline:
    """The tree of a sheet's rows, by index into `sheet.activities`."""

    depths: tuple[int, ...]
    parents: tuple[int | None, ...]
    children: tuple[tuple[int, ...], ...]

    def is_leaf(self, index: int) -> bool:
        return not self.children[index]

    def descendants(self, index: int) -> tuple[int, ...]:
        """Every row below `index`, in sheet order (they follow it contiguously)."""
        end = index + 1
        while end < len(self.depths) and self._inside(end, index):
            end += 1
        return tuple(range(index + 1, end))

    def _inside(self, i: int, ancestor: int) -> bool:
        p = self.parents[i]
        while p is not None and p > ancestor:
            p = self.parents[p]
        return p == ancestor

    def ancestors(self, index: int) -> tuple[int, ...]:
        """Parent first, root last."""
        out = []
        p = self.parents[index]
        while p is not None:
            out.append(p)
            p = self.parents[p]
        return tuple(out)


def _depths(activities: Sequence[PlanActivity]) -> list[int]:
    depths: list[int] = []
    heading = -1  # depth of the current heading; -1 before the first one
    dotted: int | None = None  # depth of the last dotted row under that heading
    previous_was_heading = False
    for a in activities:
        parts = () if a.is_heading else activity_number_parts(a.number)
        if a.level is not None:
            depth = a.level
        elif a.is_heading:
            depth = heading + 1 if previous_was_heading else max(heading, 0)
        elif parts:
            depth = heading + len(parts)
        else:  # a bullet or an unnumbered row
            depth = (dotted if dotted is not None else heading) + 1
        if a.is_heading:
            heading, dotted = depth, None
        elif parts:
            dotted = depth
        previous_was_heading = a.is_heading
        depths.append(depth)
    return depths


def _numbered(a: PlanActivity) -> tuple[int, ...]:
    """Parts of a dotted row whose place comes from its number (no explicit level)."""
    return () if a.is_heading or a.level is not None else activity_number_parts(a.number)


def build_outline(activities: Sequence[PlanActivity]) -> Outline:
    depths = _depths(activities)
    numbers = [_numbered(a) for a in activities]
    parents: list[int | None] = []
    children: list[list[int]] = [[] for _ in activities]
    stack: list[int] = []
    for i, depth in enumerate(depths):
        # Shallower rows above are ancestors, except a dotted row whose number is not a
        # prefix of this one: ๒.๓.๑ under ๒.๒ (no ๒.๓ written) belongs to ๒, not to ๒.๒.
        while stack and (depths[stack[-1]] >= depth or _not_prefix(numbers[stack[-1]], numbers[i])):
            stack.pop()
        parent = stack[-1] if stack else None
        parents.append(parent)
        if parent is not None:
            children[parent].append(i)
        stack.append(i)
    return Outline(tuple(depths), tuple(parents), tuple(tuple(c) for c in children))


def _not_prefix(above: tuple[int, ...], here: tuple[int, ...]) -> bool:
    return bool(above and here) and here[: len(above)] != above


# Key-based helpers for callers that hold a sheet (the outline is cached on it).


def parent_of(sheet: PlanSheet, key: str) -> PlanActivity | None:
    p = sheet.outline.parents[sheet.index_of(key)]
    return None if p is None else sheet.activities[p]


def children_of(sheet: PlanSheet, key: str) -> tuple[PlanActivity, ...]:
    return tuple(sheet.activities[c] for c in sheet.outline.children[sheet.index_of(key)])


def descendants_of(sheet: PlanSheet, key: str) -> tuple[PlanActivity, ...]:
    return tuple(sheet.activities[d] for d in sheet.outline.descendants(sheet.index_of(key)))


def is_leaf(sheet: PlanSheet, key: str) -> bool:
    return sheet.outline.is_leaf(sheet.index_of(key))


def leaves(sheet: PlanSheet) -> tuple[PlanActivity, ...]:
    return tuple(a for i, a in enumerate(sheet.activities) if sheet.outline.is_leaf(i))


def roots(sheet: PlanSheet) -> tuple[PlanActivity, ...]:
    return tuple(a for i, a in enumerate(sheet.activities) if sheet.outline.parents[i] is None)


def depth_of(sheet: PlanSheet, key: str) -> int:
    """Indentation depth of a row in the sheet's outline (0 = top)."""
    return sheet.outline.depths[sheet.index_of(key)]
