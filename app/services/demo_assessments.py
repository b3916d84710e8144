"""Demo standards and strength assessments: the detail behind every yearly result the demo
registry holds, written through app.services.assessments (so the result and the class are
computed by the rules, and the yearly row follows them, as in an office).

For each yearly row that says the institution was dealt with (a standards result, a class
or out of scope):
  - standards: every criterion of the year's set answered. A fail names what was not met,
    with a Thai note, taken first from the row's own figures — a loss this year (and, for
    cooperatives, last year), books not closed, a meeting held more than 150 days after the
    year end — and otherwise from what the registry does not show (the auditor's findings,
    a fraud case, no annual plan, low member participation). Not assessed gets its reason
    from the status and age: not started (too young, or not yet doing business), stopped,
    being wound up. Assessed a day or two after the general meeting, reported within the
    2 working days for most, a few days late for some, not yet for a few recent meetings.
  - strength: four dimension scores (within 30/20/20/30, varied, an institution's total
    drifting a little from year to year) whose total gives, under the year's rule table for
    its sector, the class of the row; books not closed fail the basic conditions. Stopped
    and wound-up institutions get class 4 by status, not-started ones are out of scope with
    a reason. The central office's published class equals the computed one except for a
    few (three in the latest year, one the year before), close to a threshold, so the
    comparison has something to list.

The story over the years: the demo's yearly figures are drawn independently each year,
so the pass rate and the share in class 1+2 may stay flat. Before anything is written the
results are moved a little where the figures leave room — a fail with no visible cause
becomes a pass in a later year, a pass an auditor's finding in an earlier one, a class 3
a class 2 (and back) by its scores — until each kind's rate rises by TREND_STEP points a
year (TOTAL_STEP over both kinds) across the years with at least MIN_TREND_ROWS results.
Losses, meetings held late and books not closed are never explained away.

The years before a now-stopped institution stopped (class 1–3 then) are recorded like any
other: the service classifies a year with the institution's status in that year
(assessments.status_in_year), and those years' rows show it at work — assessed pass or fail,
books closed, a meeting held — so a year already over gets its class by the scores, not
class 4 by today's status.

Limits:
  - A year before the first rule table in data/strength (2568) cannot be classified by the
    service: its rows keep the registry's class without strength detail.
  - Very large registries (performance databases) get no assessments (ASSESSMENT_LIMIT).

Reproducibility: every choice comes from `random.Random(f"{seed}/assessments")`, rows are
taken in registration-number and year order, and dates are laid out relative to `today`
(working days of app.thai.default_calendar()); the same seed on the same day gives the
same assessments (ids and timestamps aside).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Institution, InstitutionYear, User
from app.rules import standards, strength
from app.rules.visits import AGM_DEADLINE_DAYS, year_end_in
from app.services import assessments
from app.thai import (
    add_working_days,
    default_calendar,
    fiscal_year_bounds,
    format_date,
    format_number,
)

ASSESSMENT_LIMIT = 1000  # institutions; above this the demo is a performance database
MIN_TREND_ROWS = 10  # results of a kind in a year before its rate is part of the story
TREND_STEP = Fraction(3)  # percentage points a year, per kind
TOTAL_STEP = Fraction(1)  # percentage points a year, both kinds together
LATE_REPORT_CHANCE = 0.08  # reported a few working days after the due date (more if failed)
RECENT_DAYS = 14  # a meeting this recent may not be reported yet
NOT_YET_CHANCE = 0.5
DIFFERS_LATEST, DIFFERS_BEFORE = 3, 1  # published ≠ computed, in the latest year and the one before

# What an auditor, an inspector or the officer finds that the registry's figures do not show.
_HIDDEN = {
    "coop": (
        ("5", 40, ("ผู้สอบบัญชีมีข้อสังเกตเรื่องลูกหนี้เงินกู้ค้างนานไม่มีหลักประกัน ยังไม่ได้แก้ไข",
                   "ผู้สอบบัญชีพบว่าการควบคุมเงินสดไม่รัดกุม เงินสดในมือเกินวงเงินที่ระเบียบกำหนด",
                   "ผู้สอบบัญชีแสดงความเห็นอย่างมีเงื่อนไข เพราะตรวจนับสินค้าคงเหลือไม่ได้")),
        ("7", 20, ("ไม่ได้จัดสรรกำไรสุทธิเป็นทุนสำรองไม่น้อยกว่าร้อยละ 10 ตามกฎหมาย",
                   "สมาชิกมีส่วนร่วมทำธุรกิจกับสหกรณ์เพียงร้อยละ {pct}")),
        ("6", 15, ("ไม่ได้เสนอแผนการดำเนินงานประจำปีต่อที่ประชุมใหญ่",
                   "มีแผนงานประจำปีแต่ไม่ได้ดำเนินการตามแผนเกินครึ่ง")),
        ("2", 10, ("พบการทุจริตของเจ้าหน้าที่การเงิน ความเสียหาย {amount} บาท อยู่ระหว่างดำเนินคดี",
                   "พบเจ้าหน้าที่ยักยอกเงินค่าหุ้นของสมาชิก {amount} บาท")),
        ("4", 15, ("ยังไม่ได้แก้ไขข้อบกพร่องตามคำสั่งนายทะเบียนสหกรณ์",
                   "ไม่ได้แก้ไขข้อบังคับให้เป็นไปตามกฎหมายที่แก้ไขใหม่ตามที่นายทะเบียนแจ้ง")),
    ),
    "farmer_group": (
        ("2", 70, ("ผู้สอบบัญชีมีข้อสังเกตเรื่องลูกหนี้ค้างชำระและเอกสารการจ่ายเงินไม่ครบถ้วน",
                   "ผู้สอบบัญชีพบว่าไม่ได้บันทึกบัญชีเป็นปัจจุบัน เงินสดไม่ตรงกับสมุดเงินสด")),
        ("5", 30, ("จัดสรรกำไรสุทธิไม่เป็นไปตามข้อบังคับ ไม่ได้จัดสรรเป็นทุนสำรอง",)),
    ),
}
_LAST_YEAR_LOSS = "ปีบัญชีก่อนขาดทุนสุทธิตามงบการเงินที่ผู้สอบบัญชีรับรอง"
STANDARDS, STRENGTH = "standards", "strength"  # the two things moved for the story


def _day(d: date) -> str:
    return format_date(d, "long", thai_digits=False)


def _baht(amount: Decimal) -> str:
    return format_number(abs(amount), 2)


# -- what is planned for each yearly row, before anything is written ------------------------------

@dataclass(eq=False)
class _Row:
    inst: Institution
    year: InstitutionYear
    year_end: date
    prev: InstitutionYear | None  # last fiscal year's row (None: not recorded)
    visible: dict[str, str] = field(default_factory=dict)  # criteria the figures show unmet
    hidden: dict[str, str] = field(default_factory=dict)  # criteria unmet for unrecorded causes
    result: str | None = None  # pass | fail | not_assessed
    klass: int | None = None  # the class the scores must give (None: out of scope / no detail)
    published: int | None = None
    with_strength: bool = False
    near_threshold: bool = False  # published differs: the total lies close to a threshold
    moved: set[str] = field(default_factory=set)  # what was moved for the story: standards, strength

    @property
    def fy(self) -> int:
        return self.year.fiscal_year

    @property
    def kind(self) -> str:
        return self.inst.kind

    @property
    def closed(self) -> bool:
        return self.year.accounts_closed_date is not None

    @property
    def shown_class(self) -> int | None:
        return self.published if self.published is not None else self.klass


def _year_end(fy: int, inst: Institution) -> date:
    start, _ = fiscal_year_bounds(fy)
    month, day = inst.acct_year_end_month, inst.acct_year_end_day
    return year_end_in(start.year + (month < 10), (month, day))


def _visible_unmet(r: _Row) -> dict[str, str]:
    """The criteria the row's own figures show were not met, with the note an officer writes."""
    y, coop = r.year, r.kind == "coop"
    if not r.closed:  # the books were never closed: no statements, no meeting
        if coop:
            return {"1": "ยังไม่มีงบการเงินของปีบัญชีนี้ จึงรับรองไม่ได้ว่าไม่ขาดทุน",
                    "3": "ปิดบัญชีไม่ได้ งบการเงินยังไม่เสร็จ ไม่ได้ส่งผู้สอบบัญชีและไม่ได้เสนอที่ประชุมใหญ่",
                    "4": "ไม่ได้ประชุมใหญ่ภายใน 150 วันนับแต่วันสิ้นปีบัญชีตามที่กฎหมายกำหนด"}
        return {"1": "ปิดบัญชีไม่ได้ ไม่ได้ส่งงบการเงินให้ผู้สอบบัญชีภายใน 150 วัน",
                "4": "ยังไม่ได้ประชุมใหญ่ภายใน 150 วันนับแต่วันสิ้นปีบัญชี",
                "5": "ไม่มีงบการเงินแสดงกำไรสุทธิ จึงจัดสรรกำไรไม่ได้"}
    out: dict[str, str] = {}
    losses = []
    if y.net_profit is not None and y.net_profit < 0:
        losses.append(f"ปีบัญชีสิ้นสุด {_day(r.year_end)} ขาดทุนสุทธิ {_baht(y.net_profit)} บาท")
        if not coop:
            out["5"] = f"ขาดทุนสุทธิ {_baht(y.net_profit)} บาท ไม่มีกำไรสุทธิให้จัดสรร"
    if coop and r.prev is not None and r.prev.net_profit is not None and r.prev.net_profit < 0:
        losses.insert(0, f"ปีบัญชีก่อนขาดทุนสุทธิ {_baht(r.prev.net_profit)} บาท")
    if coop and losses:
        out["1"] = " และ".join(losses)
    if y.agm_date is not None and (y.agm_date - r.year_end).days > AGM_DEADLINE_DAYS:
        days = (y.agm_date - r.year_end).days
        out["4"] = f"ประชุมใหญ่เมื่อ {_day(y.agm_date)} เกิน 150 วันนับแต่วันสิ้นปีบัญชี ({days} วัน)"
    return out


def _hidden_cause(rng: random.Random, r: _Row) -> dict[str, str]:
    """A cause of failing the registry does not show, with its note."""
    options = list(_HIDDEN[r.kind])
    if r.kind == "coop" and r.prev is None:
        options.append(("1", 30, (_LAST_YEAR_LOSS,)))  # last year is not in the registry
    code, _w, notes = rng.choices(options, [w for _c, w, _n in options])[0]
    volume = r.year.business_volume or Decimal(1_000_000)
    amount = _baht((volume * Decimal(rng.randint(2, 30)) / 1000).quantize(Decimal(1000)))
    pct = r.year.member_participation_pct or Decimal(40)
    note = rng.choice([n for n in notes if "{pct}" not in n or pct < 60])
    return {code: note.format(amount=amount, pct=format_number(pct, 2))}


def _table(fy: int) -> strength.RuleTable | None:
    """The year's rule table; None before the first table data/strength holds."""
    try:
        return strength.table_for_year(fy)
    except ValidationError:
        return None


def _plan_rows(s: Session, years: list[int], tables: dict[int, strength.RuleTable | None],
               today: date) -> list[_Row]:
    insts = list(s.scalars(select(Institution).where(Institution.deleted_at.is_(None))
                           .order_by(Institution.reg_no, Institution.name)))
    by_inst: dict[str, dict[int, InstitutionYear]] = {}
    for y in s.scalars(select(InstitutionYear).where(InstitutionYear.deleted_at.is_(None),
                                                     InstitutionYear.fiscal_year.in_(years))):
        by_inst.setdefault(y.institution_id, {})[y.fiscal_year] = y
    rows = []
    for inst in insts:
        own = by_inst.get(inst.id, {})
        for fy in years:
            y = own.get(fy)
            if y is None or (y.standards_result is None and y.strength_class is None and not y.out_of_scope):
                continue  # nothing has happened yet for this year
            r = _Row(inst, y, _year_end(fy, inst), own.get(fy - 1))
            r.result = y.standards_result
            r.klass = y.strength_class
            # A now-stopped institution's working years are classified by their scores
            # (assessments.status_in_year): years already over whose row shows it at work.
            working_year = fiscal_year_bounds(fy)[1] < today and assessments.at_work(y)
            stopped = inst.status in assessments.STOPPED_STATUSES and not working_year
            r.with_strength = tables[fy] is not None and (y.out_of_scope or y.strength_class == 4 or (
                y.strength_class is not None and not stopped))
            if r.result in (standards.PASS, standards.FAIL):
                r.visible = _visible_unmet(r)
            rows.append(r)
    return rows


# -- the story: rates that rise a little year on year ----------------------------------------------

def _rate(rows: list[_Row], value) -> Fraction | None:
    values = [v for v in map(value, rows) if v is not None]
    return Fraction(100 * sum(values), len(values)) if values else None


def _std_value(r: _Row) -> int | None:
    return {standards.PASS: 1, standards.FAIL: 0}.get(r.result)


def _class_value(r: _Row) -> int | None:
    c = r.shown_class
    return None if c not in (1, 2, 3) else int(c in (1, 2))


@dataclass(frozen=True)
class _Lever:
    name: str
    value: Callable[[_Row], int | None]  # 1 counts for the rate, 0 against it, None not at all
    can_raise: Callable[[_Row], bool]
    can_lower: Callable[[_Row], bool]
    raise_: Callable[[_Row], None]
    lower: Callable[[_Row], None]


def _rise(rng: random.Random, rows: list[_Row], years: list[int], lever: _Lever) -> None:
    """Move a few results so that each kind's rate, then both kinds', rises year on year."""
    def of(kinds, fy):
        return [r for r in rows if r.fy == fy and r.kind in kinds]

    def counted(kinds, fy):
        return sum(lever.value(r) is not None for r in of(kinds, fy))

    def flip(candidates, how, n):
        for r in rng.sample(candidates, min(n, len(candidates))):
            how(r)
            r.moved.add(lever.name)

    for kinds, step in ((("coop",), TREND_STEP), (("farmer_group",), TREND_STEP),
                        (("coop", "farmer_group"), TOTAL_STEP)):
        shown = [fy for fy in years if counted(kinds, fy) >= MIN_TREND_ROWS]
        pairs = list(pairwise(shown))
        if len(kinds) == 1:  # raise the later year half the way where the figures allow
            for a, b in pairs:
                later = of(kinds, b)
                target = (_rate(of(kinds, a), lever.value) + step) * counted(kinds, b) / 100
                need = -(-(target - sum(lever.value(r) or 0 for r in later)) // 1)
                if need > 0:
                    flip([r for r in later if lever.can_raise(r)], lever.raise_, int(-(-need // 2)))
        for a, b in reversed(pairs):  # then lower the earlier year until it is step below
            while _rate(of(kinds, a), lever.value) > _rate(of(kinds, b), lever.value) - step:
                candidates = [r for r in of(kinds, a) if lever.can_lower(r)]
                if not candidates:
                    break
                flip(candidates, lever.lower, 1)


def _standards_lever(rng: random.Random) -> _Lever:
    def can_raise(r: _Row) -> bool:  # failed only for causes the registry does not show
        return r.result == standards.FAIL and not r.visible and r.closed and STANDARDS not in r.moved

    def raise_(r: _Row) -> None:
        r.result, r.hidden = standards.PASS, {}

    def can_lower(r: _Row) -> bool:
        return r.result == standards.PASS and STANDARDS not in r.moved

    def lower(r: _Row) -> None:
        r.result = standards.FAIL
        r.hidden = _hidden_cause(rng, r)

    return _Lever(STANDARDS, _std_value, can_raise, can_lower, raise_, lower)


def _strength_lever() -> _Lever:
    def can_raise(r: _Row) -> bool:  # a class 3 by score alone
        return r.with_strength and r.klass == 3 and r.closed and STRENGTH not in r.moved

    def raise_(r: _Row) -> None:
        r.klass = 2

    def can_lower(r: _Row) -> bool:
        return r.with_strength and r.klass == 2 and STRENGTH not in r.moved

    def lower(r: _Row) -> None:
        r.klass = 3

    return _Lever(STRENGTH, _class_value, can_raise, can_lower, raise_, lower)


def _published(rng: random.Random, rows: list[_Row], years: list[int]) -> None:
    """The central office's class: the computed one, except for a few close to a threshold.
    The differences do not move the share in class 1+2 of any year but the latest, where
    one class 3 is published as class 2."""
    for r in rows:
        if r.with_strength and r.klass is not None:
            r.published = r.klass
    classified = [fy for fy in years
                  if sum(r.klass in (1, 2, 3) for r in rows if r.fy == fy and r.with_strength) >= MIN_TREND_ROWS]
    plans = []
    if classified:
        plans.append((classified[-1], ((1, 2), (3, 2), (2, 1))[:DIFFERS_LATEST]))
    if len(classified) > 1:
        plans.append((classified[-2], ((2, 1),)[:DIFFERS_BEFORE]))
    taken: set[str] = set()
    for fy, changes in plans:
        for computed, published in changes:
            candidates = [r for r in rows if r.fy == fy and r.with_strength and r.klass == computed and r.closed
                          and STRENGTH not in r.moved and r.inst.id not in taken]
            if candidates:
                r = rng.choice(candidates)
                r.published, r.near_threshold = published, True
                taken.add(r.inst.id)


def _results_after_trend(rng: random.Random, rows: list[_Row]) -> None:
    """Every fail has at least one unmet criterion: the figures' causes, else a hidden one."""
    for r in rows:
        if r.result == standards.FAIL and not r.visible and not r.hidden:
            r.hidden = _hidden_cause(rng, r)


# -- scores --------------------------------------------------------------------------------------

_MAXIMA = [int(mx * 100) for _label, mx in strength.DIMENSIONS.values()]  # hundredths


def _total_range(r: _Row, t1: int, t2: int) -> tuple[int, int]:
    """(lowest, highest) total in hundredths that gives the row's class (and, when the
    published class differs, lies close to the threshold between the two)."""
    if r.klass == 1:
        return (t1, t1 + 150) if r.near_threshold else (t1, min(t1 + 1600, 9700))
    if r.klass == 2:
        return (t1 - 150, t1 - 1) if r.near_threshold and r.published == 1 else (t2, t1 - 1)
    if r.near_threshold:  # class 3 published as class 2
        return t2 - 150, t2 - 1
    return (2500, t2 - 500) if not r.closed else (max(2000, t2 - 2500), t2 - 1)


def _split(rng: random.Random, total: int) -> list[int]:
    """Four dimension scores in hundredths, each within its maximum, adding up to total."""
    share = total / sum(_MAXIMA)
    raw = [mx * min(1.0, max(0.15, rng.gauss(share, 0.08))) for mx in _MAXIMA]
    scale = total / sum(raw)
    out = [min(mx, round(x * scale)) for x, mx in zip(raw, _MAXIMA, strict=True)]
    left = total - sum(out)
    while left:
        step = 1 if left > 0 else -1
        room = [i for i, v in enumerate(out) if (v < _MAXIMA[i] if step > 0 else v > 0)]
        i = rng.choice(room)
        amount = min(abs(left), _MAXIMA[i] - out[i] if step > 0 else out[i], 100)
        out[i] += step * amount
        left -= step * amount
    return out


def _scores(rng: random.Random, r: _Row, table: strength.RuleTable, last_total: dict[str, int]) -> strength.Scores:
    if r.year.out_of_scope:
        return strength.Scores(out_of_scope=True, out_of_scope_reason=_out_of_scope_reason(r))
    if r.klass == 4:  # stopped or wound up: class 4 by status, nothing to score
        return strength.Scores()
    rule = table.sector(strength.sector_of(r.kind, r.inst.coop_type))
    t1, t2 = int(rule.class1.min_total * 100), int(rule.class2.min_total * 100)
    low, high = _total_range(r, t1, t2)
    before = last_total.get(r.inst.id)
    total = None if before is None or r.near_threshold else round(before + rng.gauss(0, 350))
    if total is None or not low <= total <= high:  # a new class: start near last year's side
        band = min(400, high - low)
        total = (low + rng.randint(0, band) if before is not None and before < low
                 else high - rng.randint(0, band) if before is not None and before > high
                 else rng.randint(low, high))
    last_total[r.inst.id] = total
    dims = [Decimal(v) / 100 for v in _split(rng, total)]
    return strength.Scores(*dims, accounts_closed=r.closed, agm_held=r.year.agm_date is not None,
                           statements_presented=r.year.agm_date is not None)


# -- not assessed, and dates -------------------------------------------------------------------

def _not_assessed_reason(r: _Row) -> tuple[str, str]:
    status = r.inst.status
    if status == "dissolving":
        return standards.DISSOLVING, "อยู่ระหว่างการชำระบัญชี"
    if status == "suspended":
        return standards.NOT_OPERATING, "หยุดดำเนินธุรกิจ คณะกรรมการไม่ได้ประชุมตามข้อบังคับ"
    if r.year_end < r.inst.registered_on + timedelta(days=365):
        return standards.TOO_YOUNG, f"จดทะเบียนเมื่อ {_day(r.inst.registered_on)}"
    return standards.NOT_OPERATING, "จดทะเบียนแล้วแต่ยังไม่ได้เริ่มดำเนินธุรกิจ"


def _out_of_scope_reason(r: _Row) -> str:
    reason, _note = _not_assessed_reason(r)
    if reason == standards.TOO_YOUNG:
        return "จัดตั้งไม่ครบ 1 ปี ยังไม่ครบรอบปีบัญชีแรก"
    return "ยังไม่ได้เริ่มดำเนินธุรกิจ"


def _dates(rng: random.Random, r: _Row, today: date, calendar) -> tuple[date, date | None, str]:
    """(assessed on, reported on, report state) of the row."""
    agm = r.year.agm_date
    if r.result == standards.NOT_ASSESSED or agm is None:
        if r.year_end <= today:  # decided once the year is over (books never closed: past the AGM deadline)
            wait = AGM_DEADLINE_DAYS + rng.randint(3, 25) if r.result == standards.FAIL else rng.randint(30, 120)
            decided = r.year_end + timedelta(days=wait)
        else:  # a year not yet over: decided early, the institution is not running
            decided = fiscal_year_bounds(r.fy)[0] + timedelta(days=rng.randint(14, 45))
        decided = min(today, max(decided, r.inst.registered_on + timedelta(days=14)))
        return decided, min(today, decided + timedelta(days=rng.randint(0, 2))), "none_due"
    assessed = min(today, agm + timedelta(days=rng.choice((0, 0, 1, 1, 2))))
    due = standards.standards_due(agm, calendar)
    if rng.random() < LATE_REPORT_CHANCE + (0.07 if r.result == standards.FAIL else 0):
        reported = add_working_days(due, rng.randint(1, 6), calendar)
        state = "late"
    else:
        reported = max(assessed, add_working_days(agm, rng.choice((1, 1, 2, 2, 2)), calendar))
        state = "on_time"
    if reported > today or (due >= today - timedelta(days=RECENT_DAYS) and rng.random() < NOT_YET_CHANCE):
        return assessed, None, "not_yet"
    return assessed, reported, state


# -- writing -------------------------------------------------------------------------------------

def _answers(r: _Row, criteria: standards.CriteriaSet) -> tuple[standards.CriterionAnswer, ...]:
    unmet = {**r.hidden, **r.visible} if r.result == standards.FAIL else {}
    return tuple(standards.CriterionAnswer(c.code, c.code not in unmet, unmet.get(c.code, ""))
                 for c in criteria.criteria)


def add_demo_assessments(s: Session, people: dict[str, User], seed: int, today: date, years: list[int]) -> dict:
    """Write the standards and strength assessments of the demo registry's yearly rows for
    `years` (the covered fiscal years); returns counts and the yearly figures."""
    rng = random.Random(f"{seed}/assessments")
    if s.scalar(select(Institution.id).offset(ASSESSMENT_LIMIT).limit(1)) is not None:
        return {"skipped": True}
    tables = {fy: _table(fy) for fy in years}
    rows = _plan_rows(s, years, tables, today)
    _rise(rng, rows, years, _standards_lever(rng))
    _rise(rng, rows, years, _strength_lever())
    _results_after_trend(rng, rows)
    _published(rng, rows, years)

    by_id = {u.id: u for u in people.values()}
    calendar = default_calendar()
    criteria = {(kind, fy): standards.load_criteria_set(kind, fy) for kind in ("coop", "farmer_group") for fy in years}
    last_total: dict[str, int] = {}
    reports: Counter[str] = Counter()
    differs = 0
    with s.no_autoflush:  # each save flushes once itself; the queries need not flush again
        for r in rows:
            officer = by_id[r.inst.officer_id]
            if r.result is not None:
                assessed_on, reported_on, state = _dates(rng, r, today, calendar)
                reports[state] += 1
                if r.result == standards.NOT_ASSESSED:
                    reason, note = _not_assessed_reason(r)
                    a = standards.Assessment(r.inst.id, r.kind, r.fy, False, reason=reason, reason_note=note,
                                             assessed_by=officer.id, assessed_on=assessed_on)
                else:
                    a = standards.Assessment(r.inst.id, r.kind, r.fy, True, _answers(r, criteria[r.kind, r.fy]),
                                             assessed_by=officer.id, assessed_on=assessed_on)
                row = assessments.save_standards(s, officer, r.inst.id, r.fy, a, reported_on=reported_on)
                if row.result != r.result:
                    raise AssertionError(f"demo standards of {r.inst.name} {r.fy}: {row.result} ≠ {r.result}")
            if r.with_strength:
                scores = _scores(rng, r, tables[r.fy], last_total)
                source = "entered" if r.fy == years[-1] or r.year.out_of_scope or r.klass == 4 else "imported"
                found = assessments.save_strength(s, officer, r.inst.id, r.fy, scores, published_class=r.published,
                                                  source=source, today=today)
                if found.classification.strength_class != r.klass:
                    raise AssertionError(f"demo class of {r.inst.name} {r.fy}: "
                                         f"{found.classification.strength_class} ≠ {r.klass}")
                differs += r.published is not None and r.published != r.klass
    return _summary(rows, years, reports, differs)


def _pct(rate: Fraction | None) -> str | None:
    return None if rate is None else f"{float(rate):.2f}"


def _summary(rows: list[_Row], years: list[int], reports: Counter[str], differs: int) -> dict:
    results = Counter(r.result for r in rows if r.result is not None)
    classes = Counter("out_of_scope" if r.year.out_of_scope else str(r.klass) for r in rows if r.with_strength)
    by_year = {}
    for fy in years:
        these = [r for r in rows if r.fy == fy]
        by_year[str(fy)] = {
            "standards_pass_pct": {k: _pct(_rate([r for r in these if r.kind == k], _std_value))
                                   for k in ("coop", "farmer_group")},
            "class_1_2_pct": {k: _pct(_rate([r for r in these if r.kind == k], _class_value))
                              for k in ("coop", "farmer_group")},
        }
    return {
        "standards": {k: results[k] for k in (standards.PASS, standards.FAIL, standards.NOT_ASSESSED)},
        "reports": {k: reports[k] for k in ("on_time", "late", "not_yet")},
        "strength": {k: classes[k] for k in ("1", "2", "3", "4", "out_of_scope")},
        "strength_without_detail": sum(1 for r in rows if r.klass is not None and not r.with_strength),
        "published_differs": differs,
        "moved_for_trend": {k: sum(k in r.moved for r in rows) for k in (STANDARDS, STRENGTH)},
        "by_year": by_year,
    }

