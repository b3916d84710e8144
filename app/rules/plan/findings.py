"""Validation of a plan: what does not add up, stated next to what the sheet said.

Findings warn; they never stop saving. A plan with findings can only be submitted with an
explicit acknowledgement (app.rules.approval), which is recorded with the submission.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from app.i18n import _, tr
from app.rules.plan.model import (
    BAHT,
    TARGET,
    TOTAL,
    WORK,
    PlanActivity,
    PlanSheet,
    RawCell,
)
from app.rules.plan.outline import activity_number_parts
from app.rules.plan.totals import Total, month_totals, row_totals, year_total
from app.thai import FISCAL_MONTH_ORDER, THAI_MONTHS_ABBR, format_number

UNPARSED_CELL = "unparsed_cell"
NEGATIVE_VALUE = "negative_value"
ROW_TOTAL_MISMATCH = "row_total_mismatch"
TARGET_MISMATCH = "target_mismatch"
MONTH_TOTAL_MISMATCH = "month_total_mismatch"
BUDGET_TOTAL_MISMATCH = "budget_total_mismatch"
FINDING_KINDS = (
    UNPARSED_CELL, NEGATIVE_VALUE, ROW_TOTAL_MISMATCH, TARGET_MISMATCH, MONTH_TOTAL_MISMATCH,
    BUDGET_TOTAL_MISMATCH,
)  # fmt: skip
KIND_LABELS = {
    UNPARSED_CELL: "อ่านค่าในช่องไม่ได้",
    NEGATIVE_VALUE: "มีค่าติดลบ",
    ROW_TOTAL_MISMATCH: "ยอดรวมของกิจกรรมไม่ตรงกับผลรวมรายเดือน",
    TARGET_MISMATCH: "เป้าหมายไม่ตรงกับผลรวมงานรายเดือน",
    MONTH_TOTAL_MISMATCH: "ยอดรวมรายเดือนไม่ตรงกับผลรวมของกิจกรรม",
    BUDGET_TOTAL_MISMATCH: "งบประมาณรวมไม่ตรงกับยอดรวมของแผน",
}

# Units counted one per work unit: for these, target quantity must equal the sum of the
# monthly work. Units like "เดือน" (a 12-month task with no work units) are not compared.
DEFAULT_TARGET_UNITS = frozenset({"ครั้ง", "แห่ง", "ราย", "กลุ่ม", "สหกรณ์", "คน", "เรื่อง"})
UnitRule = frozenset[str] | set[str] | Callable[[str], bool]

Number = int | Decimal


@dataclass(frozen=True)
class Finding:
    """One thing that does not add up.

    `where` is the place in words ("กิจกรรม ๒.๓.๑ เดือน ม.ค. (งบ)"); the machine place is
    activity_key (None for the header and the totals row), month (0 = ต.ค., None = the
    whole year) and column (see model.COLUMNS). `stated` is what the sheet said, `computed`
    what the cells add up to (None where there is nothing to compute); `text` is the
    unreadable text of an unparsed cell.
    """

    kind: str
    where: str
    activity_key: str | None
    month: int | None
    column: str
    stated: Number | None = None
    computed: Number | None = None
    text: str = ""

    def message(self) -> str:
        """One Thai sentence for the findings list."""
        n = _number_text(self.column)
        if self.kind == UNPARSED_CELL:
            return tr("{where}: อ่านค่า “{text}” เป็นตัวเลขไม่ได้", where=self.where, text=self.text)
        if self.kind == NEGATIVE_VALUE:
            return tr("{where}: มีค่าติดลบ {value}", where=self.where, value=n(self.stated))
        templates = {
            ROW_TOTAL_MISMATCH: "{where}: ระบุไว้ {stated} แต่รวมรายเดือนได้ {computed}",
            TARGET_MISMATCH: "{where}: เป้าหมาย {stated} แต่รวมงานรายเดือนได้ {computed}",
            MONTH_TOTAL_MISMATCH: "{where}: ระบุไว้ {stated} แต่รวมทุกกิจกรรมได้ {computed}",
            BUDGET_TOTAL_MISMATCH: "{where}: ระบุไว้ {stated} บาท แต่รวมทั้งแผนได้ {computed} บาท",
        }
        return tr(templates[self.kind], where=self.where, stated=n(self.stated), computed=n(self.computed))


def _number_text(column: str) -> Callable[[Number | None], str]:
    decimals = 2 if column in (BAHT, TOTAL) else 0
    return lambda v: "" if v is None else format_number(v, decimals=decimals)


# --- places in words --------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _short(title: str, limit: int = 40) -> str:
    t = _SPACES.sub(" ", title).strip()
    if len(t) <= limit:
        return t
    cut = limit - 1
    while cut > 0 and unicodedata.category(t[cut]) == "Mn":  # keep Thai vowel/tone marks on their letter
        cut -= 1
    return t[:cut].rstrip() + "…"


def _row_name(sheet: PlanSheet, index: int) -> str:
    a = sheet.activities[index]
    number = _SPACES.sub("", a.number)
    if a.is_heading:
        return tr("หัวข้อ “{title}”", title=_short(a.title))
    if activity_number_parts(number):
        return tr("กิจกรรม {number}", number=number)
    if number:  # a bullet such as "(๑)": "(๑)" alone is ambiguous, so name its dotted parent
        dotted = next((sheet.activities[p].number.strip() for p in sheet.outline.ancestors(index)
                       if activity_number_parts(sheet.activities[p].number)), None)
        if dotted:
            return tr("กิจกรรม {parent} {number}", parent=dotted, number=number)
        return tr("กิจกรรม {number} “{title}”", number=number, title=_short(a.title))
    return tr("กิจกรรม “{title}”", title=_short(a.title))


def _cell_name(month: int | None, column: str) -> str:
    if column == TARGET:
        return _("(เป้าหมาย)")
    if month is None:
        return _("(รวมงาน)") if column == WORK else _("(รวมงบ)")
    label = _("(งาน)") if column == WORK else _("(งบ)")
    return tr("เดือน {month} {column}", month=THAI_MONTHS_ABBR[FISCAL_MONTH_ORDER[month]], column=label)


def _place(row: str, month: int | None, column: str) -> str:
    return f"{row} {_cell_name(month, column)}"


def _header_place() -> str:
    return _("ส่วนหัว (งบประมาณรวมทั้งสิ้น)")


def _totals_row() -> str:
    return _("แถวรวม")


# --- checks -----------------------------------------------------------------------------


def _unit_matches(rule: UnitRule, unit: str) -> bool:
    unit = _SPACES.sub(" ", unit or "").strip()
    if not unit:
        return False
    return rule(unit) if callable(rule) else unit in rule


def _subtree_totals(sheet: PlanSheet) -> list[Total]:
    """Each row's own cells plus its descendants', in one pass from the bottom up."""
    totals = [row_totals(a) for a in sheet.activities]
    parents = sheet.outline.parents
    for i in range(len(totals) - 1, -1, -1):
        if parents[i] is not None:
            totals[parents[i]] += totals[i]
    return totals


def _raw(raw: RawCell, key: str | None, row: str) -> Finding:
    where = _header_place() if raw.column == TOTAL else _place(row, raw.month, raw.column)
    return Finding(UNPARSED_CELL, where, key, raw.month, raw.column, text=raw.text)


def _negative(value: Number | None, key: str | None, where: str, month: int | None, column: str):
    if value is not None and value < 0:
        yield Finding(NEGATIVE_VALUE, where, key, month, column, stated=value)


def _mismatch(kind: str, stated: Number | None, computed: Number, key: str | None, where: str,
              month: int | None, column: str):
    if stated is not None and stated != computed:
        yield Finding(kind, where, key, month, column, stated=stated, computed=computed)


def _activity_findings(sheet: PlanSheet, index: int, subtree: Total, units: UnitRule) -> Iterator[Finding]:
    a: PlanActivity = sheet.activities[index]
    row = _row_name(sheet, index)
    key = a.key
    for raw in a.unparsed:
        yield _raw(raw, key, row)
    yield from _negative(a.target_quantity, key, _place(row, None, TARGET), None, TARGET)
    yield from _negative(a.stated_total_work, key, _place(row, None, WORK), None, WORK)
    yield from _negative(a.stated_total_baht, key, _place(row, None, BAHT), None, BAHT)
    for m, cell in enumerate(a.months):
        yield from _negative(cell.work, key, _place(row, m, WORK), m, WORK)
        yield from _negative(cell.baht, key, _place(row, m, BAHT), m, BAHT)
    # A row's stated figures cover its section: for a leaf that is its own months.
    yield from _mismatch(ROW_TOTAL_MISMATCH, a.stated_total_work, subtree.work, key,
                         _place(row, None, WORK), None, WORK)
    yield from _mismatch(ROW_TOTAL_MISMATCH, a.stated_total_baht, subtree.baht, key,
                         _place(row, None, BAHT), None, BAHT)
    if _unit_matches(units, a.unit):
        yield from _mismatch(TARGET_MISMATCH, a.target_quantity, subtree.work, key,
                             _place(row, None, TARGET), None, TARGET)


def _sheet_findings(sheet: PlanSheet) -> Iterator[Finding]:
    row = _totals_row()
    for raw in sheet.unparsed:
        yield _raw(raw, None, row)
    total = year_total(sheet)
    header = _header_place()
    yield from _negative(sheet.budget_total, None, header, None, TOTAL)
    yield from _mismatch(BUDGET_TOTAL_MISMATCH, sheet.budget_total, total.baht, None, header, None, TOTAL)
    if sheet.stated_month_totals is not None:
        for m, (stated, computed) in enumerate(zip(sheet.stated_month_totals, month_totals(sheet))):
            for column, s, c in ((WORK, stated.work, computed.work), (BAHT, stated.baht, computed.baht)):
                where = _place(row, m, column)
                yield from _negative(s, None, where, m, column)
                yield from _mismatch(MONTH_TOTAL_MISMATCH, s, c, None, where, m, column)
    if sheet.stated_total is not None:
        for column, s, c in ((WORK, sheet.stated_total.work, total.work),
                             (BAHT, sheet.stated_total.baht, total.baht)):
            where = _place(row, None, column)
            yield from _negative(s, None, where, None, column)
            yield from _mismatch(MONTH_TOTAL_MISMATCH, s, c, None, where, None, column)


_COLUMN_ORDER = {TARGET: 0, WORK: 1, BAHT: 2, TOTAL: 3}
_KIND_ORDER = {k: i for i, k in enumerate(FINDING_KINDS)}


def _order(sheet: PlanSheet, f: Finding) -> tuple[int, int, int, int]:
    """Top to bottom, left to right as the sheet is printed: the header, the rows, then the
    totals row; in a row the target and total columns come before the months."""
    if f.activity_key is not None:
        row = sheet.index_of(f.activity_key)
    else:
        row = -1 if f.column == TOTAL else len(sheet.activities)
    month = -1 if f.month is None else f.month
    return row, month, _COLUMN_ORDER[f.column], _KIND_ORDER[f.kind]


def validate(sheet: PlanSheet, *, target_units_matching: UnitRule = DEFAULT_TARGET_UNITS) -> list[Finding]:
    """Every finding of the sheet, in a fixed order (header, rows in order, totals row;
    within a row: target, totals, then months ต.ค. → ก.ย.).

    target_units_matching: the units whose target must equal the sum of the monthly work,
    as a set of unit names or a predicate over the (whitespace-squeezed) unit.
    """
    subtree = _subtree_totals(sheet)
    found = [f for i in range(len(sheet.activities))
             for f in _activity_findings(sheet, i, subtree[i], target_units_matching)]
    found.extend(_sheet_findings(sheet))
    return sorted(found, key=lambda f: _order(sheet, f))  # stable: equal keys keep input order


def finding_summary(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each kind, in FINDING_KINDS order (for a banner or a report)."""
    counts = {k: 0 for k in FINDING_KINDS}
    for f in findings:
        counts[f.kind] += 1
    return {k: n for k, n in counts.items() if n}

