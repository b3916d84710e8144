"""An action plan as the rules see it: plain frozen values, independent of the ORM.

The services map database rows onto these classes; the importer builds them from a sheet.
Month tuples are always in plan column order ต.ค. → ก.ย. (index 0 = October), the order of
`app.thai.FISCAL_MONTH_ORDER`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.rules.plan.outline import Outline

MONTHS = 12
QUARTERS = 4

# Where a value sits on the sheet (also used by findings):
#   "work" / "baht"  with a month index: that month's cell; without: the row's stated total
#                    of that quantity (on the totals row: the stated grand total);
#   "target"         the target quantity (เป้าหมาย) of a row;
#   "total"          the header's budget total (รวมงบประมาณทั้งสิ้น).
WORK, BAHT, TARGET, TOTAL = "work", "baht", "target", "total"
COLUMNS = (TARGET, WORK, BAHT, TOTAL)


def as_work(value: object) -> int:
    """Work units are whole numbers; bool is an int in Python but never a meant quantity."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"work units must be int, got {value!r}")
    return value


def as_baht(value: object) -> Decimal:
    """Money is Decimal; an int is accepted as exact, a float never (it is already rounded)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"baht must be Decimal or int, got {value!r}")
    d = Decimal(value)
    if not d.is_finite():
        raise ValueError(f"baht must be finite, got {value!r}")
    return d


def _optional(convert, value):
    return None if value is None else convert(value)


def _check_month(month: int | None) -> None:
    if month is not None and not (isinstance(month, int) and 0 <= month < MONTHS):
        raise ValueError(f"month index must be 0..11 (ต.ค.=0) or None, got {month!r}")


@dataclass(frozen=True)
class MonthCell:
    """One month of one row: งาน (work units) and งบ (baht). Blank cells are zero."""

    work: int = 0
    baht: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "work", as_work(self.work))
        object.__setattr__(self, "baht", as_baht(self.baht))


EMPTY_MONTHS: tuple[MonthCell, ...] = (MonthCell(),) * MONTHS


@dataclass(frozen=True)
class StatedCell:
    """A figure a sheet states (a total it printed), either half possibly absent."""

    work: int | None = None
    baht: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "work", _optional(as_work, self.work))
        object.__setattr__(self, "baht", _optional(as_baht, self.baht))


@dataclass(frozen=True)
class RawCell:
    """A cell the importer could not read as a number; kept so the user sees what it said."""

    column: str
    text: str
    month: int | None = None

    def __post_init__(self) -> None:
        if self.column not in COLUMNS:
            raise ValueError(f"column must be one of {COLUMNS}, got {self.column!r}")
        _check_month(self.month)


@dataclass(frozen=True)
class PlanActivity:
    """One row of the plan body: a numbered activity, a bullet like "(๑)", or a heading.

    `number` is the label as written ("๒.๓.๑", "(๑)", or "" for headings); `level`, when
    given, overrides the depth derived from the number (see outline.py). Stated totals and
    the target are what the sheet printed; the rules compare them with the month cells.
    """

    key: str
    title: str = ""
    number: str = ""
    is_heading: bool = False
    level: int | None = None
    target_quantity: int | None = None
    unit: str = ""
    stated_total_work: int | None = None
    stated_total_baht: Decimal | None = None
    months: tuple[MonthCell, ...] = EMPTY_MONTHS
    responsible: str = ""
    unparsed: tuple[RawCell, ...] = ()

    def __post_init__(self) -> None:
        months = tuple(self.months)
        if len(months) != MONTHS or not all(isinstance(m, MonthCell) for m in months):
            raise ValueError(f"activity {self.key!r} needs 12 MonthCell values (ต.ค. → ก.ย.)")
        object.__setattr__(self, "months", months)
        object.__setattr__(self, "unparsed", tuple(self.unparsed))
        object.__setattr__(self, "target_quantity", _optional(as_work, self.target_quantity))
        object.__setattr__(self, "stated_total_work", _optional(as_work, self.stated_total_work))
        object.__setattr__(self, "stated_total_baht", _optional(as_baht, self.stated_total_baht))
        if self.level is not None and (isinstance(self.level, bool) or not isinstance(self.level, int)
                                       or self.level < 0):
            raise ValueError(f"level must be a non-negative int or None, got {self.level!r}")


@dataclass(frozen=True)
class PlanSheet:
    """A whole action plan (or one revision of it) as the rules see it.

    `budget_total` is the header's รวมงบประมาณทั้งสิ้น; `stated_month_totals` the printed
    monthly total row (12 cells, ต.ค. → ก.ย.) and `stated_total` that row's grand total.
    `header` holds the other printed header fields as (label, value) pairs so that the
    content fingerprint covers them too. `unparsed` holds unreadable cells of the header
    (column "total") or of the totals row.
    """

    activities: tuple[PlanActivity, ...] = ()
    budget_total: Decimal | None = None
    stated_month_totals: tuple[StatedCell, ...] | None = None
    stated_total: StatedCell | None = None
    title: str = ""
    fiscal_year: int | None = None
    header: tuple[tuple[str, str], ...] = ()
    unparsed: tuple[RawCell, ...] = field(default=())

    def __post_init__(self) -> None:
        activities = tuple(self.activities)
        seen: set[str] = set()
        for a in activities:
            if a.key in seen:
                raise ValueError(f"duplicate activity key {a.key!r}")
            seen.add(a.key)
        object.__setattr__(self, "activities", activities)
        object.__setattr__(self, "budget_total", _optional(as_baht, self.budget_total))
        object.__setattr__(self, "header", tuple((str(k), str(v)) for k, v in self.header))
        object.__setattr__(self, "unparsed", tuple(self.unparsed))
        if self.stated_month_totals is not None:
            stated = tuple(self.stated_month_totals)
            if len(stated) != MONTHS or not all(isinstance(s, StatedCell) for s in stated):
                raise ValueError("stated_month_totals needs 12 StatedCell values (ต.ค. → ก.ย.)")
            object.__setattr__(self, "stated_month_totals", stated)

    def index_of(self, key: str) -> int:
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"no activity with key {key!r}") from None

    def activity(self, key: str) -> PlanActivity:
        return self.activities[self.index_of(key)]

    # Derived once per (immutable) sheet; cached_property writes the instance __dict__
    # directly, so it works on a frozen dataclass and is not part of eq/hash.
    @cached_property
    def _index(self) -> dict[str, int]:
        return {a.key: i for i, a in enumerate(self.activities)}

    @cached_property
    def outline(self) -> Outline:
        from app.rules.plan.outline import build_outline

        return build_outline(self.activities)
