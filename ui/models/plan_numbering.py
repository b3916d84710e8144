"""Renumbering a plan's activities from its outline, as the sheets number them: ๑, ๑.๑, ๑.๑.๑ …
starting again under each heading, and bullets (๑), (๒) … under their parent row, in Thai
digits. After indenting or outdenting, one click puts the numbers back in order.

Only rows that already carry a dotted number or a bullet are renumbered: an unnumbered
row and a heading keep what they have (a number there would be a guess)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.rules.plan import Outline, PlanActivity, activity_number_parts
from app.thai import to_thai_digits

_BULLET = re.compile(r"^\(\s*[0-9๐-๙]+\s*\)$")


def _dotted(counters: list[int], level: int) -> list[int]:
    """The counters for the next row at `level`: deeper ones dropped, missing ones 1."""
    if len(counters) >= level:
        counters = counters[:level]
    else:
        counters = counters + [1] * (level - len(counters) - 1) + [0]
    counters[-1] += 1
    return counters


def renumbered(activities: Sequence[PlanActivity], outline: Outline) -> list[str]:
    """The number each row should have, in row order."""
    numbers: list[str] = []
    heading_depth = -1
    counters: list[int] = []
    bullets: dict[int | None, int] = {}
    for i, a in enumerate(activities):
        depth = outline.depths[i]
        if a.is_heading:
            heading_depth, counters = depth, []
            numbers.append(a.number)
        elif activity_number_parts(a.number):
            counters = _dotted(counters, max(1, depth - heading_depth))
            numbers.append(".".join(to_thai_digits(n) for n in counters))
        elif _BULLET.match(a.number.strip()):
            parent = outline.parents[i]
            bullets[parent] = bullets.get(parent, 0) + 1
            numbers.append(f"({to_thai_digits(bullets[parent])})")
        else:
            numbers.append(a.number)
    return numbers
