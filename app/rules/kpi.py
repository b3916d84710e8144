"""KPIs of the office (issue 5): the percentages the action plan's ตัวชี้วัด rows promise,
computed over plain per-institution, per-fiscal-year facts.

Pure rules over frozen values. The services map registry rows onto YearFacts (one per
institution for the fiscal year, and last year's where a KPI compares years), filtered to
the user's scope (officer / group / province) *before* calling: filtering is the caller's.
What is unconfirmed (labels, parameters, yearly targets, how a plan row is recognised) is
data in data/kpi/definitions.json, which the office may edit; the formulas are here.

Every KPI is a KpiResult: numerator / denominator, the value (percent, 2 places, half up;
None when nothing is counted), the target and whether it is met, and the institution ids
behind the numerator and the denominator (sorted by Thai name) so the UI can list them.
Ids left out of the denominator are kept too: `excluded_ids` (left out by the rule, e.g.
not assessed) and `missing_ids` (nothing recorded yet); `note_th` says both in Thai.

Decisions (see tests/rules/test_kpi.py for each):
- Standards pass % (REFERENCE §2): over the *assessed* only. "not_assessed"
  (ไม่นำมาจัดมาตรฐาน) is excluded; no result recorded yet is missing. Both are left out of
  the denominator and named in the note.
- Strength class 1+2 %: over the institutions that were classified. Out-of-scope (ไม่อยู่ใน
  เกณฑ์จัดระดับชั้น) is excluded and the note says so. Class 4 (commonly stopped or
  dissolving, *unconfirmed*) is excluded too by default — parameter `exclude_classes`,
  editable — because it plays the part the newer rules give to "out of scope".
- Business volume growth %: an institution counts when both years' volumes are recorded
  and last year's is above zero; growth = (this - last) / last × 100 ≥ X (X =
  `min_growth_pct`, compared exactly, not after rounding). No previous volume, or no
  volume this year, is missing; a previous volume of zero is excluded (growth from nothing
  is not a percentage). Seed 004 limits the KPI to "ที่มีสถานะดำเนินการ": the definition's
  statuses = ["operating"].
- Net profit %: net_profit > 0 over those with a net profit recorded (zero is not a profit).
- Accounts closed on time %: closed on or before acct_year_end + N days (N = `days`; the
  seed's plan row says "ภายใน ๑๐ วันนับแต่วันสิ้นปีทางบัญชี" and that figure is read out of
  the row; the file's default is 30). Unknown year end is missing. With `as_of`, an
  institution still open whose deadline is after as_of is excluded (not yet due); without
  it the year is judged as over.
- Member participation %: the share of institutions whose members' participation in
  business (member_participation_pct) is at least the threshold (`min_pct`, default 65) —
  not the average of the percentages. Seed 004 words its member KPI as a count of
  institutions meeting a per-institution bar: "จำนวนสหกรณ์และกลุ่มเกษตรกรที่มี…ของสมาชิก…
  ไม่น้อยกว่า ร้อยละ ๖๓", and the plan template says "ร้อยละของสหกรณ์และกลุ่มเกษตรกรที่มีการ
  มีส่วนร่วมของสมาชิกในการทำธุรกิจไม่น้อยกว่าร้อยละ ๖๕"; 65 is also seed 001's bar. No figure
  recorded is missing.
- Counts: value is the count itself (unit "count"), denominator the institutions in scope.
- A target is met when the exact ratio reaches it (numerator × 100 ≥ target × denominator):
  49.996 % shows as 50.00 but does not meet 50. A count target ("๕๕ แห่ง") is met when
  the numerator reaches it. No target, or nothing counted: met is None.
- Plan rows (KpiLine) are linked by the definitions' patterns (first rule in file order
  wins). Numbers that are parameters (the growth rate, the days, the participation bar)
  are read out of the row text first; the target is then, in order: a percentage in the
  target column, a percentage left in the indicator text, a count in the column, a count
  in the text (for count KPIs counts come first), and otherwise the file's yearly target.
  Seed 004's target column is shifted against its rows ("๓. สหกรณ์มีความเข้มแข็ง…ไม่น้อย
  กว่าร้อยละ ๕๑" beside "๑ แห่ง"), so a percentage in the text outranks a count beside it.
- The loader is the one place here that reads a file (the shipped definitions); everything
  else is pure. A malformed file raises FileFormatError with one Thai sentence naming the
  file and the key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from app.errors import FileFormatError
from app.i18n import _, tr
from app.rules.registry import KINDS, STANDARDS_RESULTS, STATUSES, STRENGTH_CLASSES
from app.thai import fiscal_year_bounds, thai_sort_key, to_arabic_digits

PERCENT, COUNT = "percent", "count"
UNITS = (PERCENT, COUNT)

FORMULAS: dict[str, str] = {
    "standards_pass": "ผ่านเกณฑ์มาตรฐาน (จากที่นำมาจัดมาตรฐาน)",
    "strength_1_2": "ระดับชั้น 1 และ 2 (จากที่จัดระดับชั้น)",
    "volume_growth": "ปริมาณธุรกิจเพิ่มขึ้นจากปีก่อน",
    "net_profit": "มีกำไรสุทธิ",
    "accounts_on_time": "ปิดบัญชีได้ภายในกำหนด",
    "participation": "สมาชิกมีส่วนร่วมในการทำธุรกิจไม่น้อยกว่าเกณฑ์",
    "count": "จำนวน",
}

# Parameters each formula takes, with the default used when the file leaves one out.
DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    "standards_pass": {},
    "strength_1_2": {"exclude_classes": (4,)},
    "volume_growth": {"min_growth_pct": Decimal(1)},
    "net_profit": {},
    "accounts_on_time": {"days": 30},
    "participation": {"min_pct": Decimal(65)},
    "count": {"classes": None, "out_of_scope": False},
}

DEFINITIONS_FILE = "data/kpi/definitions.json"

_MONEY_FIELDS = ("accumulated_loss", "member_participation_pct", "business_volume", "net_profit")


def _to_decimal(value: object, name: str) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool | float):
        raise TypeError(f"{name} must be Decimal (never float or bool), got {value!r}")
    if isinstance(value, int | str):
        return Decimal(value)
    raise TypeError(f"{name} must be Decimal, got {value!r}")


# --- inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearFacts:
    """What the registry knows of one institution for one fiscal year (Buddhist era).

    accumulated_loss is a positive amount (as the registry stores it); acct_year_end is the
    accounting year end whose accounts this year's figures come from (acct_year_end_in
    gives the one falling in the fiscal year). Amounts and percentages are Decimal; ints
    and strings are converted, floats are refused.
    """

    id: str
    name: str
    fiscal_year: int | None = None
    kind: str = "coop"  # KINDS
    coop_type: str | None = None  # COOP_TYPES
    status: str = "operating"  # STATUSES
    officer_id: str | None = None
    group_id: str | None = None
    strength_class: int | None = None  # 1..4
    out_of_scope: bool = False
    standards_result: str | None = None  # pass | fail | not_assessed
    accumulated_loss: Decimal | None = None
    member_participation_pct: Decimal | None = None
    business_volume: Decimal | None = None
    net_profit: Decimal | None = None
    agm_date: date | None = None
    accounts_closed_date: date | None = None
    acct_year_end: date | None = None

    def __post_init__(self) -> None:
        for name in _MONEY_FIELDS:
            object.__setattr__(self, name, _to_decimal(getattr(self, name), name))
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.standards_result is not None and self.standards_result not in STANDARDS_RESULTS:
            raise ValueError(f"unknown standards result {self.standards_result!r}")
        if self.strength_class is not None and self.strength_class not in STRENGTH_CLASSES:
            raise ValueError(f"strength class must be 1..4, got {self.strength_class!r}")


def acct_year_end_in(fy: int, month: int, day: int) -> date:
    """The accounting year end (month, day) that falls in BE fiscal year fy; 29 Feb becomes
    28 Feb in a common year."""
    start, _end = fiscal_year_bounds(fy)
    year = start.year if month >= 10 else start.year + 1
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day, (first_next - timedelta(days=1)).day))


# --- outputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    value: Decimal
    unit: str = PERCENT  # percent | count

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _to_decimal(self.value, "target"))
        if self.unit not in UNITS:
            raise ValueError(f"unknown target unit {self.unit!r}")


@dataclass(frozen=True)
class KpiResult:
    key: str
    label_th: str
    numerator: int
    denominator: int
    value: Decimal | None  # percent, 2 places half up (count KPIs: the count)
    target: Decimal | None
    met: bool | None
    numerator_ids: tuple[str, ...]
    denominator_ids: tuple[str, ...]
    unit: str = PERCENT
    target_unit: str | None = None
    excluded_ids: tuple[str, ...] = ()  # left out of the denominator by the rule
    missing_ids: tuple[str, ...] = ()  # left out because nothing is recorded yet
    note_th: str = ""
    params: tuple[tuple[str, Any], ...] = ()


def percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator × 100, two places, rounded half up; None when denominator is 0.

    Integer arithmetic, so a value exactly on a half (1/8 = 12.5 → 12.50, 1/32 → 3.13)
    rounds up and nothing is lost to binary or context precision."""
    if denominator == 0:
        return None
    if numerator < 0 or denominator < 0:
        raise ValueError("counts cannot be negative")
    hundredths = (numerator * 20000 + denominator) // (2 * denominator)
    return Decimal(hundredths).scaleb(-2)


def _met(numerator: int, denominator: int, target: Target | None) -> bool | None:
    if target is None or denominator == 0:
        return None
    if target.unit == COUNT:
        return Decimal(numerator) >= target.value
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(numerator) * 100 >= target.value * denominator


# --- formulas -------------------------------------------------------------------------------


@dataclass
class _Tally:
    numerator: list[YearFacts] = field(default_factory=list)
    denominator: list[YearFacts] = field(default_factory=list)
    excluded: list[YearFacts] = field(default_factory=list)
    missing: list[YearFacts] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the denominator is made (always)
    counted: list[str] = field(default_factory=list)  # what was left out (when any)


def _sorted(facts: Iterable[YearFacts]) -> list[YearFacts]:
    facts = list(facts)
    ids = [f.id for f in facts]
    if len(set(ids)) != len(ids):
        raise ValueError("an institution appears twice in one year's facts")
    return sorted(facts, key=lambda f: (thai_sort_key(f.name), f.id))


def _left_out(tally: _Tally, group: list[YearFacts], text: str) -> None:
    """Name what was left out (text already says how many), when anything was."""
    if group:
        tally.counted.append(text)


def _tally_standards(facts: Sequence[YearFacts]) -> _Tally:
    t = _Tally(notes=[_("คิดจากที่นำมาจัดมาตรฐาน")])
    for f in facts:
        if f.standards_result in ("pass", "fail"):
            t.denominator.append(f)
            if f.standards_result == "pass":
                t.numerator.append(f)
        elif f.standards_result == "not_assessed":
            t.excluded.append(f)
        else:
            t.missing.append(f)
    _left_out(t, t.excluded, tr("ไม่นับรวมที่ไม่นำมาจัดมาตรฐาน {n} แห่ง", n=len(t.excluded)))
    _left_out(t, t.missing, tr("ยังไม่มีผลการจัดมาตรฐาน {n} แห่ง", n=len(t.missing)))
    return t


def _tally_strength(facts: Sequence[YearFacts], exclude_classes: Iterable[int]) -> _Tally:
    skip = frozenset(exclude_classes)
    t = _Tally(notes=[_("คิดจากที่จัดระดับชั้นแล้ว ไม่นับรวมที่ไม่อยู่ในเกณฑ์จัดระดับชั้น")])
    if skip:
        classes = " ".join(str(c) for c in sorted(skip))
        t.notes.append(tr("และไม่นับรวมชั้น {classes}", classes=classes))
    out_of_scope: list[YearFacts] = []
    skipped: list[YearFacts] = []
    for f in facts:
        if f.out_of_scope:
            out_of_scope.append(f)
        elif f.strength_class is None:
            t.missing.append(f)
        elif f.strength_class in skip:
            skipped.append(f)
        else:
            t.denominator.append(f)
            if f.strength_class in (1, 2):
                t.numerator.append(f)
    t.excluded = _sorted(out_of_scope + skipped)
    _left_out(t, out_of_scope, tr("ไม่อยู่ในเกณฑ์จัดระดับชั้น {n} แห่ง", n=len(out_of_scope)))
    _left_out(t, skipped, tr("ระดับชั้น {classes} จำนวน {n} แห่ง", classes=" ".join(str(c) for c in sorted(skip)),
                             n=len(skipped)))
    _left_out(t, t.missing, tr("ยังไม่มีระดับชั้น {n} แห่ง", n=len(t.missing)))
    return t


def _tally_growth(facts: Sequence[YearFacts], previous: Mapping[str, YearFacts], min_growth_pct: Decimal) -> _Tally:
    t = _Tally(notes=[tr("คิดจากที่มีปริมาณธุรกิจทั้งปีนี้และปีก่อน เพิ่มขึ้นไม่น้อยกว่าร้อยละ {x}",
                         x=_plain(min_growth_pct))])
    with localcontext() as ctx:
        ctx.prec = 60  # products of 14-digit amounts stay exact
        for f in facts:
            before = previous.get(f.id)
            last = None if before is None else before.business_volume
            now = f.business_volume
            if last is None or now is None:
                t.missing.append(f)
            elif last <= 0:
                t.excluded.append(f)
            else:
                t.denominator.append(f)
                if (now - last) * 100 >= min_growth_pct * last:
                    t.numerator.append(f)
    _left_out(t, t.missing, tr("ไม่มีปริมาณธุรกิจครบทั้งสองปี {n} แห่ง", n=len(t.missing)))
    _left_out(t, t.excluded, tr("ปีก่อนไม่มีปริมาณธุรกิจ {n} แห่ง", n=len(t.excluded)))
    return t


def _tally_profit(facts: Sequence[YearFacts]) -> _Tally:
    t = _Tally(notes=[_("คิดจากที่มีตัวเลขกำไร (ขาดทุน) สุทธิ")])
    for f in facts:
        if f.net_profit is None:
            t.missing.append(f)
        else:
            t.denominator.append(f)
            if f.net_profit > 0:
                t.numerator.append(f)
    _left_out(t, t.missing, tr("ยังไม่มีตัวเลขกำไรสุทธิ {n} แห่ง", n=len(t.missing)))
    return t


def _tally_accounts(facts: Sequence[YearFacts], days: int, as_of: date | None) -> _Tally:
    t = _Tally(notes=[tr("ปิดบัญชีภายใน {days} วันนับแต่วันสิ้นปีทางบัญชี", days=days)])
    for f in facts:
        if f.acct_year_end is None:
            t.missing.append(f)
            continue
        deadline = f.acct_year_end + timedelta(days=days)
        closed = f.accounts_closed_date
        on_time = closed is not None and closed <= deadline
        if not on_time and closed is None and as_of is not None and as_of <= deadline:
            t.excluded.append(f)  # still open, but not yet due
            continue
        t.denominator.append(f)
        if on_time:
            t.numerator.append(f)
    _left_out(t, t.excluded, tr("ยังไม่ครบกำหนดปิดบัญชี {n} แห่ง", n=len(t.excluded)))
    _left_out(t, t.missing, tr("ไม่ทราบวันสิ้นปีทางบัญชี {n} แห่ง", n=len(t.missing)))
    return t


def _tally_participation(facts: Sequence[YearFacts], min_pct: Decimal) -> _Tally:
    t = _Tally(notes=[tr("นับแห่งที่สมาชิกมีส่วนร่วมในการทำธุรกิจไม่น้อยกว่าร้อยละ {x}", x=_plain(min_pct))])
    for f in facts:
        pct = f.member_participation_pct
        if pct is None:
            t.missing.append(f)
        else:
            t.denominator.append(f)
            if pct >= min_pct:
                t.numerator.append(f)
    _left_out(t, t.missing, tr("ยังไม่มีข้อมูลการมีส่วนร่วมของสมาชิก {n} แห่ง", n=len(t.missing)))
    return t


def _tally_count(facts: Sequence[YearFacts], classes: Iterable[int] | None, out_of_scope: bool) -> _Tally:
    t = _Tally(denominator=list(facts))
    wanted = None if classes is None else frozenset(classes)
    for f in facts:
        if out_of_scope:
            hit = f.out_of_scope
        elif wanted is not None:
            hit = not f.out_of_scope and f.strength_class in wanted
        else:
            hit = True
        if hit:
            t.numerator.append(f)
    return t


def _plain(d: Decimal | int) -> str:
    """65 not 65.00, 2.5 as 2.5: a threshold as people write it."""
    return f"{Decimal(d).normalize():f}"


def _result(key: str, label_th: str, tally: _Tally, *, unit: str, target: Target | Decimal | None,
            params: Mapping[str, Any]) -> KpiResult:
    if isinstance(target, Decimal | int) and not isinstance(target, bool):
        target = Target(Decimal(target), PERCENT if unit == PERCENT else COUNT)
    num, den = len(tally.numerator), len(tally.denominator)
    value = Decimal(num) if unit == COUNT else percent(num, den)
    note = " ".join(tally.notes)
    if tally.counted:
        note = f"{note} ({', '.join(tally.counted)})" if note else ", ".join(tally.counted)

    def ids(group: list[YearFacts]) -> tuple[str, ...]:
        return tuple(f.id for f in group)

    return KpiResult(
        key=key, label_th=label_th, numerator=num, denominator=den, value=value,
        target=None if target is None else target.value, met=_met(num, den, target),
        numerator_ids=ids(tally.numerator), denominator_ids=ids(tally.denominator), unit=unit,
        target_unit=None if target is None else target.unit, excluded_ids=ids(tally.excluded),
        missing_ids=ids(tally.missing), note_th=note, params=tuple(sorted(params.items())),
    )


def standards_pass_rate(facts: Iterable[YearFacts], *, target: Target | Decimal | None = None,
                        key: str = "standards", label_th: str = "") -> KpiResult:
    """% passing the standards among those assessed (pass or fail)."""
    tally = _tally_standards(_sorted(facts))
    return _result(key, label_th or _("ร้อยละที่ผ่านเกณฑ์มาตรฐาน"), tally, unit=PERCENT, target=target, params={})


def strength_rate(facts: Iterable[YearFacts], *, exclude_classes: Iterable[int] = (4,),
                  target: Target | Decimal | None = None, key: str = "strength_1_2", label_th: str = "") -> KpiResult:
    """% in strength class 1 or 2 among those classified; out-of-scope and exclude_classes
    are left out of the denominator."""
    exclude = tuple(sorted(set(exclude_classes)))
    tally = _tally_strength(_sorted(facts), exclude)
    return _result(key, label_th or _("ร้อยละที่มีความเข้มแข็งระดับชั้น 1 และ 2"), tally, unit=PERCENT,
                   target=target, params={"exclude_classes": exclude})


def volume_growth_rate(facts: Iterable[YearFacts], previous: Iterable[YearFacts], *,
                       min_growth_pct: Decimal | int = 1, target: Target | Decimal | None = None,
                       key: str = "volume_growth", label_th: str = "") -> KpiResult:
    """% whose business volume grew by at least min_growth_pct % over last year."""
    x = _to_decimal(min_growth_pct, "min_growth_pct")
    assert x is not None
    prev = {f.id: f for f in _sorted(previous)}
    tally = _tally_growth(_sorted(facts), prev, x)
    return _result(key, label_th or _("ร้อยละที่มีปริมาณธุรกิจเพิ่มขึ้นจากปีก่อน"), tally, unit=PERCENT,
                   target=target, params={"min_growth_pct": x})


def net_profit_rate(facts: Iterable[YearFacts], *, target: Target | Decimal | None = None,
                    key: str = "net_profit", label_th: str = "") -> KpiResult:
    """% with a net profit above zero among those with a figure recorded."""
    tally = _tally_profit(_sorted(facts))
    return _result(key, label_th or _("ร้อยละที่มีกำไรประจำปี"), tally, unit=PERCENT, target=target, params={})


def accounts_on_time_rate(facts: Iterable[YearFacts], *, days: int = 30, as_of: date | None = None,
                          target: Target | Decimal | None = None, key: str = "accounts_on_time",
                          label_th: str = "") -> KpiResult:
    """% closing the accounts within `days` days of the accounting year end."""
    if days < 0:
        raise ValueError("days cannot be negative")
    tally = _tally_accounts(_sorted(facts), days, as_of)
    return _result(key, label_th or _("ร้อยละที่ปิดบัญชีได้ภายในกำหนด"), tally, unit=PERCENT, target=target,
                   params={"days": days})


def participation_rate(facts: Iterable[YearFacts], *, min_pct: Decimal | int = 65,
                       target: Target | Decimal | None = None, key: str = "member_participation",
                       label_th: str = "") -> KpiResult:
    """% of institutions whose member participation in business is at least min_pct %."""
    x = _to_decimal(min_pct, "min_pct")
    assert x is not None
    tally = _tally_participation(_sorted(facts), x)
    return _result(key, label_th or _("ร้อยละที่สมาชิกมีส่วนร่วมในการทำธุรกิจไม่น้อยกว่าเกณฑ์"), tally,
                   unit=PERCENT, target=target, params={"min_pct": x})


def count_rate(facts: Iterable[YearFacts], *, classes: Iterable[int] | None = None, out_of_scope: bool = False,
               target: Target | Decimal | None = None, key: str = "count", label_th: str = "") -> KpiResult:
    """A plain count: all given, those in `classes` (out-of-scope never in a class), or the
    out-of-scope ones. Denominator: all given."""
    cls = None if classes is None else tuple(sorted(set(classes)))
    tally = _tally_count(_sorted(facts), cls, out_of_scope)
    return _result(key, label_th or _("จำนวน"), tally, unit=COUNT, target=target,
                   params={"classes": cls, "out_of_scope": out_of_scope})


def by_kind(facts: Iterable[YearFacts]) -> dict[str, tuple[str, ...]]:
    """Ids per kind (every kind present as a key), sorted by Thai name."""
    out: dict[str, list[str]] = {k: [] for k in KINDS}
    for f in _sorted(facts):
        out[f.kind].append(f.id)
    return {k: tuple(v) for k, v in out.items()}


def by_class(facts: Iterable[YearFacts]) -> dict[str, tuple[str, ...]]:
    """Ids per strength class: "1".."4", "out_of_scope" and "none" (not classified)."""
    out: dict[str, list[str]] = {**{str(c): [] for c in STRENGTH_CLASSES}, "out_of_scope": [], "none": []}
    for f in _sorted(facts):
        slot = "out_of_scope" if f.out_of_scope else ("none" if f.strength_class is None else str(f.strength_class))
        out[slot].append(f.id)
    return {k: tuple(v) for k, v in out.items()}


# --- definitions (data/kpi/definitions.json) ---------------------------------------------


@dataclass(frozen=True)
class KpiDefinition:
    key: str
    formula: str
    label_th: str
    kinds: frozenset[str] | None = None  # None: every kind
    statuses: frozenset[str] | None = None  # None: every status
    params: tuple[tuple[str, Any], ...] = ()  # complete: the file's values over DEFAULT_PARAMS
    targets: tuple[tuple[str, Decimal], ...] = ()  # ("2566", 50), ("default", 50)
    match_all: tuple[re.Pattern[str], ...] = ()
    match_none: tuple[re.Pattern[str], ...] = ()
    text_params: tuple[tuple[str, re.Pattern[str]], ...] = ()

    @property
    def unit(self) -> str:
        return COUNT if self.formula == "count" else PERCENT

    @property
    def param_map(self) -> dict[str, Any]:
        return dict(self.params)

    def target_for(self, fy: int) -> Target | None:
        by_year = dict(self.targets)
        value = by_year.get(str(fy), by_year.get("default"))
        return None if value is None else Target(value, self.unit)

    def in_scope(self, f: YearFacts) -> bool:
        return (self.kinds is None or f.kind in self.kinds) and (self.statuses is None or f.status in self.statuses)

    def matches(self, normalized_text: str) -> bool:
        if not self.match_all:
            return False  # no rule: never linked to a plan row
        return all(p.search(normalized_text) for p in self.match_all) and not any(
            p.search(normalized_text) for p in self.match_none)


@dataclass(frozen=True)
class KpiDefinitions:
    kpis: tuple[KpiDefinition, ...]
    source: str = DEFINITIONS_FILE

    def __iter__(self):
        return iter(self.kpis)

    def __len__(self) -> int:
        return len(self.kpis)

    def get(self, key: str) -> KpiDefinition:
        for d in self.kpis:
            if d.key == key:
                return d
        raise KeyError(key)

    def keys(self) -> list[str]:
        return [d.key for d in self.kpis]


class _Bad(Exception):
    def __init__(self, where: str, problem: str):
        super().__init__(where)
        self.where, self.problem = where, problem


def _number(value: object, where: str, *, integer: bool = False, low: Decimal | None = None,
            high: Decimal | None = None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _Bad(where, _("ต้องเป็นตัวเลข"))
    d = Decimal(value)
    if not d.is_finite():
        raise _Bad(where, _("ต้องเป็นตัวเลข"))
    if integer and d != d.to_integral_value():
        raise _Bad(where, _("ต้องเป็นจำนวนเต็ม"))
    if low is not None and d < low:
        raise _Bad(where, tr("ต้องไม่น้อยกว่า {low}", low=_plain(low)))
    if high is not None and d > high:
        raise _Bad(where, tr("ต้องไม่เกิน {high}", high=_plain(high)))
    return d


def _class_list(value: object, where: str) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise _Bad(where, _("ต้องเป็นรายการระดับชั้น เช่น [4]"))
    out = []
    for i, v in enumerate(value):
        d = _number(v, f"{where}[{i}]", integer=True)
        if int(d) not in STRENGTH_CLASSES:
            raise _Bad(f"{where}[{i}]", _("ระดับชั้นต้องเป็น 1 ถึง 4"))
        out.append(int(d))
    return tuple(sorted(set(out)))


def _param(formula: str, name: str, value: object, where: str) -> Any:
    if name == "exclude_classes" or (name == "classes" and value is not None):
        return _class_list(value, where)
    if name == "classes":
        return None
    if name == "out_of_scope":
        if not isinstance(value, bool):
            raise _Bad(where, _("ต้องเป็น true หรือ false"))
        return value
    if name == "days":
        return int(_number(value, where, integer=True, low=Decimal(0)))
    if name == "min_pct":
        return _number(value, where, low=Decimal(0), high=Decimal(100))
    if name == "min_growth_pct":
        return _number(value, where)
    raise _Bad(where, tr("สูตร {formula} ไม่มีค่าตั้งนี้", formula=formula))  # pragma: no cover


def _regex(value: object, where: str) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise _Bad(where, _("ต้องเป็นข้อความรูปแบบ (regex) ที่ไม่ว่าง"))
    try:
        return re.compile(to_arabic_digits(value).replace(" ", ""))
    except re.error as e:
        raise _Bad(where, tr("รูปแบบข้อความผิด ({error})", error=e)) from None


def _codes(value: object, where: str, allowed: Mapping[str, str]) -> frozenset[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise _Bad(where, _("ต้องเป็นรายการที่ไม่ว่าง หรือ null"))
    for i, v in enumerate(value):
        if v not in allowed:
            raise _Bad(f"{where}[{i}]", tr("ไม่รู้จักค่า '{value}'", value=v))
    return frozenset(value)


def _definition(raw: object, where: str, seen: set[str]) -> KpiDefinition:
    if not isinstance(raw, dict):
        raise _Bad(where, _("ต้องเป็นออบเจกต์"))
    known = {"key", "formula", "label_th", "kinds", "statuses", "params", "targets", "match", "text_params", "_comment"}
    for name in raw:
        if name not in known:
            raise _Bad(f"{where}.{name}", _("ไม่รู้จักช่องนี้"))
    key = raw.get("key")
    if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", key):
        raise _Bad(f"{where}.key", _("ต้องเป็นรหัสภาษาอังกฤษตัวเล็ก เช่น standards_coop"))
    if key in seen:
        raise _Bad(f"{where}.key", tr("รหัส {key} ซ้ำ", key=key))
    seen.add(key)
    at = f"kpis[{key}]"
    formula = raw.get("formula")
    if formula not in FORMULAS:
        raise _Bad(f"{at}.formula", tr("ต้องเป็นหนึ่งใน {names}", names=", ".join(FORMULAS)))
    label = raw.get("label_th")
    if not isinstance(label, str) or not label.strip():
        raise _Bad(f"{at}.label_th", _("ต้องมีชื่อตัวชี้วัดภาษาไทย"))
    kinds = _codes(raw.get("kinds"), f"{at}.kinds", KINDS)
    statuses = _codes(raw.get("statuses"), f"{at}.statuses", STATUSES)

    raw_params = raw.get("params") or {}
    if not isinstance(raw_params, dict):
        raise _Bad(f"{at}.params", _("ต้องเป็นออบเจกต์"))
    params = dict(DEFAULT_PARAMS[formula])
    for name, value in raw_params.items():
        if name not in params:
            raise _Bad(f"{at}.params.{name}", tr("สูตร {formula} ไม่มีค่าตั้งนี้", formula=formula))
        params[name] = _param(formula, name, value, f"{at}.params.{name}")

    raw_targets = raw.get("targets") or {}
    if not isinstance(raw_targets, dict):
        raise _Bad(f"{at}.targets", _("ต้องเป็นออบเจกต์ ปี พ.ศ. → ค่าเป้าหมาย"))
    targets = []
    for year, value in raw_targets.items():
        if year != "default" and not (re.fullmatch(r"\d{4}", year) and 2500 <= int(year) <= 2700):
            raise _Bad(f"{at}.targets.{year}", _("ต้องเป็นปีงบประมาณ พ.ศ. หรือ default"))
        high = Decimal(100) if formula != "count" else None
        targets.append((year, _number(value, f"{at}.targets.{year}", low=Decimal(0), high=high)))

    match = raw.get("match")
    match_all: tuple[re.Pattern[str], ...] = ()
    match_none: tuple[re.Pattern[str], ...] = ()
    if match is not None:
        if not isinstance(match, dict) or set(match) - {"all", "none"} or not isinstance(match.get("all"), list) \
                or not match["all"] or not isinstance(match.get("none", []), list):
            raise _Bad(f"{at}.match", _("ต้องเป็น {\"all\": [...], \"none\": [...]} หรือ null"))
        match_all = tuple(_regex(p, f"{at}.match.all[{i}]") for i, p in enumerate(match["all"]))
        match_none = tuple(_regex(p, f"{at}.match.none[{i}]") for i, p in enumerate(match.get("none", [])))

    raw_text = raw.get("text_params") or {}
    if not isinstance(raw_text, dict):
        raise _Bad(f"{at}.text_params", _("ต้องเป็นออบเจกต์"))
    text_params = []
    for name, pattern in raw_text.items():
        if name not in params or name in ("exclude_classes", "classes", "out_of_scope"):
            raise _Bad(f"{at}.text_params.{name}", _("อ่านค่าตั้งนี้จากข้อความไม่ได้"))
        rx = _regex(pattern, f"{at}.text_params.{name}")
        if "n" not in rx.groupindex:
            raise _Bad(f"{at}.text_params.{name}", _("รูปแบบต้องมีกลุ่มชื่อ n ที่จับตัวเลข"))
        text_params.append((name, rx))

    return KpiDefinition(
        key=key, formula=formula, label_th=label.strip(), kinds=kinds, statuses=statuses,
        params=tuple(params.items()), targets=tuple(targets), match_all=match_all, match_none=match_none,
        text_params=tuple(text_params),
    )


def parse_definitions(data: str | Mapping[str, Any], source: str = DEFINITIONS_FILE) -> KpiDefinitions:
    """Check and read the definitions (the file's text or its parsed JSON). Numbers are read
    as Decimal. Raises FileFormatError with one Thai sentence naming the file and the key."""
    try:
        if isinstance(data, str):
            try:
                data = json.loads(data, parse_float=Decimal)
            except json.JSONDecodeError as e:
                raise _Bad(tr("บรรทัด {line}", line=e.lineno), _("ไม่ใช่ JSON ที่ถูกต้อง")) from None
        if not isinstance(data, Mapping):
            raise _Bad("(ทั้งไฟล์)", _("ต้องเป็นออบเจกต์ JSON"))
        if data.get("version") != 1:
            raise _Bad("version", _("ต้องเป็น 1"))
        raw_kpis = data.get("kpis")
        if not isinstance(raw_kpis, list) or not raw_kpis:
            raise _Bad("kpis", _("ต้องเป็นรายการตัวชี้วัดที่ไม่ว่าง"))
        seen: set[str] = set()
        kpis = tuple(_definition(raw, f"kpis[{i}]", seen) for i, raw in enumerate(raw_kpis))
    except _Bad as bad:
        raise FileFormatError(tr("ไฟล์ {file} ไม่ถูกต้องที่ {key}: {problem} กรุณาแก้ไฟล์แล้วเปิดใหม่",
                                 file=source, key=bad.where, problem=bad.problem)) from None
    return KpiDefinitions(kpis, source)


def load_definitions(path: str | Path | None = None) -> KpiDefinitions:
    """Read data/kpi/definitions.json (or `path`)."""
    if path is None:
        from app.paths import data_dir

        path = data_dir() / "kpi" / "definitions.json"
    path = Path(path)
    source = DEFINITIONS_FILE if path.parts[-3:] == ("data", "kpi", "definitions.json") else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise FileFormatError(tr("เปิดไฟล์ {file} ไม่ได้ กรุณาตรวจว่ามีไฟล์อยู่", file=source)) from None
    return parse_definitions(text, source)


# --- computing by definition ------------------------------------------------------------


def _check_year(facts: Sequence[YearFacts], fy: int, what: str) -> None:
    wrong = [f.id for f in facts if f.fiscal_year is not None and f.fiscal_year != fy]
    if wrong:
        raise ValueError(f"{what} facts of another fiscal year than {fy}: {wrong[:3]}")


def compute(definition: KpiDefinition, facts: Iterable[YearFacts], *, previous: Iterable[YearFacts] = (),
            target: Target | None = None, params: Mapping[str, Any] | None = None,
            as_of: date | None = None) -> KpiResult:
    """One KPI over the facts in the definition's scope (kinds, statuses). params override
    the definition's (e.g. read from a plan row); target None means no target."""
    p = {**definition.param_map, **(params or {})}
    scoped = [f for f in facts if definition.in_scope(f)]
    common = {"target": target, "key": definition.key, "label_th": definition.label_th}
    match definition.formula:
        case "standards_pass":
            return standards_pass_rate(scoped, **common)
        case "strength_1_2":
            return strength_rate(scoped, exclude_classes=p["exclude_classes"], **common)
        case "volume_growth":
            return volume_growth_rate(scoped, previous, min_growth_pct=p["min_growth_pct"], **common)
        case "net_profit":
            return net_profit_rate(scoped, **common)
        case "accounts_on_time":
            return accounts_on_time_rate(scoped, days=p["days"], as_of=as_of, **common)
        case "participation":
            return participation_rate(scoped, min_pct=p["min_pct"], **common)
        case "count":
            return count_rate(scoped, classes=p["classes"], out_of_scope=p["out_of_scope"], **common)
    raise ValueError(f"unknown formula {definition.formula!r}")


def compute_kpis(facts: Iterable[YearFacts], fy: int, *, previous: Iterable[YearFacts] = (),
                 definitions: KpiDefinitions | None = None, as_of: date | None = None,
                 keys: Iterable[str] | None = None) -> list[KpiResult]:
    """Every defined KPI (or those in `keys`) for fiscal year fy, in the file's order, with
    the file's target for fy. previous: last year's facts (fiscal year fy - 1)."""
    defs = definitions or load_definitions()
    facts, previous = list(facts), list(previous)
    _check_year(facts, fy, "this year's")
    _check_year(previous, fy - 1, "last year's")
    wanted = None if keys is None else set(keys)
    return [compute(d, facts, previous=previous, target=d.target_for(fy), as_of=as_of)
            for d in defs if wanted is None or d.key in wanted]


# --- plan rows (ตัวชี้วัด) → KPI ---------------------------------------------------------------

_INVISIBLE = re.compile(r"[\s\u200b\u00a0\ufeff]+")
_ROW_NUMBER = re.compile(r"^\(?\d+(?:\.\d+)*[.)]")
_NUM = r"\d[\d,]*(?:\.\d+)?"
_PERCENT_RX = re.compile(rf"ร้อยละ(?:ไม่น้อยกว่า|ไม่ต่ำกว่า|อย่างน้อย)?(?P<n>{_NUM})|(?P<m>{_NUM})%")
_COUNT_RX = re.compile(rf"(?P<n>{_NUM})(?:แห่ง|กลุ่ม|สหกรณ์|ราย)")
_BARE_RX = re.compile(rf"(?:ไม่น้อยกว่า|ไม่ต่ำกว่า|อย่างน้อย)?(?P<n>{_NUM})")


def normalize_kpi_text(text: str) -> str:
    """What the patterns see: Arabic digits, no white space, no leading row number."""
    t = _INVISIBLE.sub("", to_arabic_digits(text or ""))
    return _ROW_NUMBER.sub("", t, count=1)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _last_percent(text: str) -> Decimal | None:
    found = list(_PERCENT_RX.finditer(text))
    if not found:
        return None
    m = found[-1]
    return _dec(m.group("n") or m.group("m"))


def _last_count(text: str) -> Decimal | None:
    found = list(_COUNT_RX.finditer(text))
    return _dec(found[-1].group("n")) if found else None


def parse_target_spec(text: str) -> Target | None:
    """A target as printed: "ร้อยละ ๖๕", "ไม่น้อยกว่า ร้อยละ ๖๓", "65%" → percent;
    "๕๕ แห่ง" → count; a bare number → percent; nothing readable → None."""
    t = _INVISIBLE.sub("", to_arabic_digits(text or ""))
    pct = _last_percent(t)
    if pct is not None:
        return Target(pct, PERCENT)
    cnt = _last_count(t)
    if cnt is not None:
        return Target(cnt, COUNT)
    bare = _BARE_RX.fullmatch(t)
    return Target(_dec(bare.group("n")), PERCENT) if bare else None


def parse_target(text: str) -> Decimal | None:
    """The number of a printed target: parse_target("ร้อยละ ๖๕") == Decimal("65")."""
    spec = parse_target_spec(text)
    return None if spec is None else spec.value


@dataclass(frozen=True)
class KpiLink:
    """How a plan row maps to a KPI: the key, parameters read out of the row, and the
    row's target (None: the row states none; the file's yearly target applies)."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()
    target: Target | None = None
    target_source: str = ""  # "column" | "text" | ""


def link_kpi_line(indicator: str, target_text: str = "", definitions: KpiDefinitions | None = None) -> KpiLink | None:
    """The KPI a plan row (ตัวชี้วัด, เป้าหมาย) stands for, or None when no rule matches."""
    defs = definitions or load_definitions()
    text = normalize_kpi_text(indicator)
    for d in defs:
        if d.matches(text):
            break
    else:
        return None
    params: dict[str, Any] = {}
    rest = text
    for name, rx in d.text_params:
        m = rx.search(rest)
        if m is None:
            continue
        value = _dec(m.group("n"))
        params[name] = int(value) if name == "days" else value
        rest = rest[:m.start()] + " " + rest[m.end():]  # read numbers are not targets
    column = _INVISIBLE.sub("", to_arabic_digits(target_text or ""))
    col_pct, txt_pct = _last_percent(column), _last_percent(rest)
    col_cnt, txt_cnt = _last_count(column), _last_count(rest)
    bare = _BARE_RX.fullmatch(column) if col_pct is None and col_cnt is None else None
    if bare:  # a bare number in the column is in the KPI's own unit
        if d.unit == PERCENT:
            col_pct = _dec(bare.group("n"))
        else:
            col_cnt = _dec(bare.group("n"))
    candidates = [(col_pct, PERCENT, "column"), (txt_pct, PERCENT, "text"),
                  (col_cnt, COUNT, "column"), (txt_cnt, COUNT, "text")]
    if d.unit == COUNT:
        candidates = candidates[2:] + candidates[:2]
    for value, unit, source in candidates:
        if value is not None:
            return KpiLink(d.key, tuple(params.items()), Target(value, unit), source)
    return KpiLink(d.key, tuple(params.items()))


def link_kpi_lines(lines: Iterable[Any], definitions: KpiDefinitions | None = None) -> list[KpiLink | None]:
    """link_kpi_line for each KpiLine (anything with .indicator and .target)."""
    defs = definitions or load_definitions()
    return [link_kpi_line(line.indicator, line.target, defs) for line in lines]


@dataclass(frozen=True)
class PlanKpi:
    line: Any  # the plan's KpiLine
    link: KpiLink | None
    result: KpiResult | None  # None: the row is not computed from the registry


def plan_kpis(lines: Iterable[Any], facts: Iterable[YearFacts], fy: int, *, previous: Iterable[YearFacts] = (),
              definitions: KpiDefinitions | None = None, as_of: date | None = None) -> list[PlanKpi]:
    """The plan's KPI rows with their actual figures: parameters from the row's text, the
    row's target (or the file's target for fy when the row states none)."""
    defs = definitions or load_definitions()
    facts, previous = list(facts), list(previous)
    _check_year(facts, fy, "this year's")
    _check_year(previous, fy - 1, "last year's")
    out = []
    for line in lines:
        link = link_kpi_line(line.indicator, line.target, defs)
        if link is None:
            out.append(PlanKpi(line, None, None))
            continue
        d = defs.get(link.key)
        target = link.target or d.target_for(fy)
        result = compute(d, facts, previous=previous, target=target, params=dict(link.params), as_of=as_of)
        out.append(PlanKpi(line, link, result))
    return out
