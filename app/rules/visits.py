"""CPS field visits: which institutions to visit this month, schedule conflicts, and the
follow-up items (ข้อสังเกต/ข้อบกพร่องที่ต้องติดตาม) carried from one visit to the next.

Pure rules over frozen values; the services map ORM rows onto InstitutionFacts, PlannedVisit
and FollowUp and store what comes back. Dates are Gregorian; the Buddhist era appears only in
the Thai sentences (app.thai.format_date).

Decisions (see the tests for each):
- An institution that already has a visit planned in the month is *not* suggested: the
  list is "what is still missing", and that visit's preparation already carries its
  follow-ups (carry_over).
- Dissolving / struck-off institutions are suggested for due follow-ups only (the
  liquidation still has issues to close); no other reason applies to them.
  "suspended" and "not_started" are still promoted, so every reason applies.
- An institution with no reason at all is not suggested.
- Suggested days spread the load: each suggestion, in rank order, takes the least busy
  working day, counting the visits already planned *and* the suggestions ranked above it.
- Conflicts: two visits of one officer overlap only when both have a time; a visit with
  no time is a "sometime that day" visit and never clashes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Protocol

from app.errors import ValidationError
from app.i18n import _, tr
from app.thai import format_date, thai_sort_key

# --- vocabulary -------------------------------------------------------------------------

# The five CPS methods (seed 003, §2.2), plus telephone / online / anything else.
METHODS: dict[str, str] = {
    "board_meeting": "เข้าร่วมประชุมคณะกรรมการ",
    "member_meeting": "ประชุมกลุ่มสมาชิก",
    "inspection": "ตรวจเยี่ยม/ตรวจการ",
    "training": "ฝึกอบรม/ให้ความรู้",
    "discussion": "ประชุมหารือ",
    "other": "โทรศัพท์/ออนไลน์/อื่น ๆ",
}

OPEN, RESOLVED, DROPPED = "open", "resolved", "dropped"
FOLLOWUP_STATUSES: dict[str, str] = {
    OPEN: "ติดตามอยู่",
    RESOLVED: "แก้ไขแล้ว",
    DROPPED: "ยกเลิกการติดตาม",
}

# Reason kinds of a suggestion, in the order they are shown.
NOT_VISITED = "not_visited"
FOLLOWUPS_DUE = "followups_due"
WEAK = "weak"
AGM_DUE = "agm_due"
PLAN_TARGET = "plan_target"
REASON_KINDS = (FOLLOWUPS_DUE, WEAK, AGM_DUE, NOT_VISITED, PLAN_TARGET)

# Conflict kinds.
OVERLAP = "overlap"
HOLIDAY = "holiday"
OVER_TARGET = "over_target"
CONFLICT_KINDS = (OVERLAP, HOLIDAY, OVER_TARGET)

# Institutions that are being wound up: only their open issues still need a visit.
WOUND_UP_STATUSES = frozenset({"dissolving", "struck_off"})

# The AGM must be held within 150 days after the accounting year end (REFERENCE §2).
AGM_DEADLINE_DAYS = 150

# Weights. The scale is what makes the ranking: a weak institution with an overdue item
# (20 + 8 + 7 = 35) must outrank one merely not visited for 100 days (~11), and "never
# visited" (the maximum, 30) must rank high on its own.
NOT_VISITED_BASE = 10  # at exactly not_visited_days
NOT_VISITED_MAX = 30  # never visited, or three times the threshold
FOLLOWUP_DUE_WEIGHT = 8  # per item due by the end of the month
FOLLOWUP_OVERDUE_EXTRA = 7  # per item already overdue today
FOLLOWUPS_MAX = 45
WEAK_CLASS3_WEIGHT = 20
WEAK_STANDARDS_WEIGHT = 15
WEAK_BOTH_WEIGHT = 30
AGM_DUE_WEIGHT = 20  # deadline falls later this month
AGM_OVERDUE_WEIGHT = 25  # deadline already passed
PLAN_TARGET_WEIGHT = 5  # per activity still short this month
PLAN_TARGET_MAX = 15

DEFAULT_DURATION_MIN = 120
_TIME_RE = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class _HasIsHoliday(Protocol):
    def is_holiday(self, d: date) -> bool: ...


# A predicate, a set of dates, or a HolidayCalendar (anything with is_holiday).
Holidays = Callable[[date], bool] | Container[date] | _HasIsHoliday


# --- inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpFact:
    """An open follow-up as the suggestion needs it."""

    id: str
    description: str
    due_date: date | None = None


@dataclass(frozen=True)
class InstitutionFacts:
    id: str
    name: str
    kind: str = "coop"  # coop | farmer_group (standards wording differs)
    status: str = "operating"  # app.rules.registry.STATUSES
    strength_class: int | None = None  # latest assessed
    standards_result: str | None = None  # latest: pass | fail | not_assessed
    acct_year_end: tuple[int, int] | None = None  # (month, day)
    last_agm_date: date | None = None
    last_visit_date: date | None = None
    open_followups: tuple[FollowUpFact, ...] = ()


@dataclass(frozen=True)
class PlannedVisit:
    id: str
    institution_id: str
    officer_id: str
    day: date
    time: str | None = None  # "HH:MM"; None = some time that day
    duration_min: int = DEFAULT_DURATION_MIN
    method: str = "inspection"
    activity_key: str | None = None  # the plan activity it counts toward
    co_officer_ids: tuple[str, ...] = ()  # other officers on the same trip
    purpose: str = ""  # ประเด็น: issues to raise

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValidationError(_("วิธีการปฏิบัติงานไม่ถูกต้อง กรุณาเลือกจากรายการ"), field="method")
        if self.time is not None and not _TIME_RE.fullmatch(self.time):
            raise ValidationError(_("เวลานัดต้องอยู่ในรูป ชม.:นาที เช่น 09:30"), field="time")
        if self.duration_min <= 0:
            raise ValidationError(_("ระยะเวลาปฏิบัติงานต้องมากกว่าศูนย์นาที"), field="duration_min")

    @property
    def officers(self) -> tuple[str, ...]:
        return (self.officer_id, *self.co_officer_ids)

    def minutes(self) -> tuple[int, int] | None:
        """(start, end) in minutes after midnight, or None without a time."""
        if self.time is None:
            return None
        hours, mins = self.time.split(":")
        start = int(hours) * 60 + int(mins)
        return start, start + self.duration_min


@dataclass(frozen=True)
class ActivityTarget:
    """Work units of one plan activity for one month (the plan's งาน column).

    month: first day of the month the units are for; None = whatever visits are passed.
    """

    activity_key: str
    title: str
    month_work_units: int
    month: date | None = None


# --- outputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    kind: str
    text_th: str
    weight: int


@dataclass(frozen=True)
class Suggestion:
    institution_id: str
    name: str
    score: int
    reasons: tuple[Reason, ...]
    suggested_day: date | None  # None when no working day is left in the month
    activity_key: str | None = None  # the short activity a visit here would count toward
    followup_ids: tuple[str, ...] = ()  # due items, to put on the visit's agenda


@dataclass(frozen=True)
class Conflict:
    kind: str
    visit_ids: tuple[str, ...]
    text_th: str


# --- small date helpers -------------------------------------------------------------------


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the month containing `month`."""
    first = month.replace(day=1)
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _is_holiday_fn(holidays: Holidays) -> Callable[[date], bool]:
    if hasattr(holidays, "is_holiday"):
        return holidays.is_holiday  # type: ignore[union-attr]
    if callable(holidays):
        return holidays
    return holidays.__contains__  # type: ignore[union-attr]


def is_working_day(d: date, is_holiday: Callable[[date], bool]) -> bool:
    return d.weekday() < 5 and not is_holiday(d)


def _day_text(d: date) -> str:
    # Arabic digits on screen; printed sheets convert with to_thai_digits if set so.
    return format_date(d, "long", thai_digits=False)


def year_end_in(year: int, month_day: tuple[int, int]) -> date:
    """The accounting year end falling in `year`; 29 Feb becomes 28 Feb in common years."""
    month, day = month_day
    last = month_bounds(date(year, month, 1))[1].day
    return date(year, month, min(day, last))


def agm_deadline(month: date, acct_year_end: tuple[int, int]) -> tuple[date, date]:
    """(year end, AGM deadline) of the latest year end whose deadline falls in or before
    the month. Only that one matters: an AGM held after it also settles the older ones,
    and a year end whose deadline is still ahead is not yet due."""
    month_end = month_bounds(month)[1]
    # A 31 Dec year end seen from January needs the year before last; 150 days < a year,
    # so three candidates always contain one.
    for year in (month_end.year, month_end.year - 1, month_end.year - 2):
        end = year_end_in(year, acct_year_end)
        deadline = end + timedelta(days=AGM_DEADLINE_DAYS)
        if deadline <= month_end:
            return end, deadline
    raise AssertionError("unreachable: a year end two years back is always due")


# --- reasons ------------------------------------------------------------------------------


def not_visited_reason(inst: InstitutionFacts, today: date, threshold_days: int) -> Reason | None:
    """Weight NOT_VISITED_BASE at the threshold, growing linearly to the maximum at three
    times it; never visited counts as the maximum."""
    if inst.last_visit_date is None:
        return Reason(NOT_VISITED, _("ยังไม่เคยเยี่ยม"), NOT_VISITED_MAX)
    days = (today - inst.last_visit_date).days
    if days < threshold_days:
        return None
    grown = NOT_VISITED_BASE + (days - threshold_days) * NOT_VISITED_BASE // max(threshold_days, 1)
    return Reason(NOT_VISITED, tr("ไม่ได้เยี่ยมมา {days} วัน", days=days), min(grown, NOT_VISITED_MAX))


def _due_followups(inst: InstitutionFacts, month_end: date) -> list[FollowUpFact]:
    # Items without a due date are carried into the next visit but do not make one urgent.
    return [f for f in inst.open_followups if f.due_date is not None and f.due_date <= month_end]


def followups_reason(due: Sequence[FollowUpFact], today: date) -> Reason | None:
    if not due:
        return None
    overdue = sum(1 for f in due if f.due_date is not None and f.due_date < today)
    weight = min(FOLLOWUP_DUE_WEIGHT * len(due) + FOLLOWUP_OVERDUE_EXTRA * overdue, FOLLOWUPS_MAX)
    if overdue:
        text = tr("ข้อสังเกตค้าง {n} เรื่อง (เกินกำหนด {overdue})", n=len(due), overdue=overdue)
    else:
        text = tr("ข้อสังเกตครบกำหนดเดือนนี้ {n} เรื่อง", n=len(due))
    return Reason(FOLLOWUPS_DUE, text, weight)


def weak_reason(inst: InstitutionFacts) -> Reason | None:
    class3 = inst.strength_class == 3
    failed = inst.standards_result == "fail"
    fail_text = _("ต่ำกว่ามาตรฐาน") if inst.kind == "farmer_group" else _("ไม่ผ่านมาตรฐาน")
    if class3 and failed:
        return Reason(WEAK, tr("ระดับชั้น 3 และ{fail}", fail=fail_text), WEAK_BOTH_WEIGHT)
    if class3:
        return Reason(WEAK, _("ระดับชั้น 3"), WEAK_CLASS3_WEIGHT)
    if failed:
        return Reason(WEAK, fail_text, WEAK_STANDARDS_WEIGHT)
    return None


def agm_reason(inst: InstitutionFacts, month: date, today: date) -> Reason | None:
    if inst.acct_year_end is None:
        return None  # unknown year end: nothing to say rather than a guess
    year_end, deadline = agm_deadline(month, inst.acct_year_end)
    if inst.last_agm_date is not None and inst.last_agm_date > year_end:
        return None
    if deadline < today:
        text = tr("ยังไม่ได้ประชุมใหญ่ เกินกำหนด {day}", day=_day_text(deadline))
        return Reason(AGM_DUE, text, AGM_OVERDUE_WEIGHT)
    return Reason(AGM_DUE, tr("ยังไม่ได้ประชุมใหญ่ ครบกำหนด {day}", day=_day_text(deadline)), AGM_DUE_WEIGHT)


def activity_shortfalls(
    activity_targets: Iterable[ActivityTarget], visits_in_month: Iterable[PlannedVisit]
) -> list[tuple[ActivityTarget, int]]:
    """(target, visits still missing) for each activity planned short this month, largest
    gap first."""
    counted = Counter(v.activity_key for v in visits_in_month if v.activity_key)
    gaps = [(t, t.month_work_units - counted[t.activity_key]) for t in activity_targets]
    return sorted(((t, gap) for t, gap in gaps if gap > 0), key=lambda tg: (-tg[1], tg[0].activity_key))


def plan_target_reason(shortfalls: Sequence[tuple[ActivityTarget, int]]) -> Reason | None:
    if not shortfalls:
        return None
    parts = [tr("{title} ขาดอีก {gap} ครั้ง", title=t.title, gap=gap) for t, gap in shortfalls]
    text = tr("เป้าหมายแผนเดือนนี้ยังไม่ครบ: {items}", items=", ".join(parts))
    return Reason(PLAN_TARGET, text, min(PLAN_TARGET_WEIGHT * len(shortfalls), PLAN_TARGET_MAX))


# --- suggestions --------------------------------------------------------------------------


def _in_month(visits: Iterable[PlannedVisit], first: date, last: date) -> list[PlannedVisit]:
    return [v for v in visits if first <= v.day <= last]


def _reasons_for(
    inst: InstitutionFacts,
    *,
    today: date,
    month: date,
    not_visited_days: int,
    plan_reason: Reason | None,
) -> tuple[Reason, ...]:
    due = _due_followups(inst, month_bounds(month)[1])
    found = [followups_reason(due, today)]
    if inst.status not in WOUND_UP_STATUSES:
        found += [
            weak_reason(inst),
            agm_reason(inst, month, today),
            not_visited_reason(inst, today, not_visited_days),
            plan_reason,
        ]
    return tuple(r for r in found if r is not None)


def working_days(first: date, last: date, is_holiday: Callable[[date], bool]) -> list[date]:
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return [d for d in days if is_working_day(d, is_holiday)]


def _least_busy(days: Sequence[date], load: Counter[date]) -> date | None:
    # min() keeps the first of equals, so the earliest of the least busy days wins.
    return min(days, key=lambda d: load[d]) if days else None


def suggest_visits(
    institutions: Iterable[InstitutionFacts],
    *,
    today: date,
    month: date,
    visits_this_month: Iterable[PlannedVisit],
    activity_targets: Iterable[ActivityTarget] = (),
    holidays: Holidays,
    not_visited_days: int = 90,
    officer_id: str | None = None,
) -> list[Suggestion]:
    """This month's visits worth adding, best first (score, then Thai name).

    institutions: the officer's institutions. visits_this_month: visits planned in the
    month (others are ignored); officer_id, when given, limits the day-load count to that
    officer's visits, since colleagues' trips do not make this officer's day busier.
    """
    first, last = month_bounds(month)
    is_holiday = _is_holiday_fn(holidays)
    planned = _in_month(visits_this_month, first, last)
    planned_ids = {v.institution_id for v in planned}
    shortfalls = activity_shortfalls(activity_targets, planned)
    plan_reason = plan_target_reason(shortfalls)

    scored: list[tuple[InstitutionFacts, tuple[Reason, ...]]] = []
    for inst in institutions:
        if inst.id in planned_ids:
            continue
        reasons = _reasons_for(
            inst, today=today, month=first, not_visited_days=not_visited_days, plan_reason=plan_reason
        )
        if reasons:
            scored.append((inst, reasons))
    scored.sort(key=lambda ir: (-sum(r.weight for r in ir[1]), thai_sort_key(ir[0].name), ir[0].id))

    days = working_days(max(first, today), last, is_holiday)
    load = Counter(v.day for v in planned if officer_id is None or officer_id in v.officers)
    short_key = shortfalls[0][0].activity_key if shortfalls else None
    out: list[Suggestion] = []
    for inst, reasons in scored:
        day = _least_busy(days, load)
        if day is not None:
            load[day] += 1  # the next suggestion sees this one, so the month spreads out
        due = _due_followups(inst, last)
        out.append(
            Suggestion(
                institution_id=inst.id,
                name=inst.name,
                score=sum(r.weight for r in reasons),
                reasons=tuple(sorted(reasons, key=lambda r: REASON_KINDS.index(r.kind))),
                suggested_day=day,
                activity_key=short_key if any(r.kind == PLAN_TARGET for r in reasons) else None,
                followup_ids=tuple(f.id for f in due),
            )
        )
    return out


def schedule(
    suggestion: Suggestion,
    *,
    visit_id: str,
    officer_id: str,
    day: date | None = None,
    time: str | None = None,
    method: str = "inspection",
) -> PlannedVisit:
    """The visit that "one click" on a suggestion creates; its reasons become the ประเด็น."""
    when = day or suggestion.suggested_day
    if when is None:
        raise ValidationError(_("เดือนนี้ไม่มีวันทำการเหลือ กรุณาเลือกวันนัดเยี่ยมเอง"), field="day")
    return PlannedVisit(
        id=visit_id,
        institution_id=suggestion.institution_id,
        officer_id=officer_id,
        day=when,
        time=time,
        method=method,
        activity_key=suggestion.activity_key,
        purpose="\n".join(r.text_th for r in suggestion.reasons),
    )


# --- conflicts ----------------------------------------------------------------------------


def _overlaps(visits: Sequence[PlannedVisit]) -> list[Conflict]:
    by_officer_day: dict[tuple[str, date], list[PlannedVisit]] = defaultdict(list)
    for v in visits:
        if v.time is not None:
            for officer in v.officers:
                by_officer_day[(officer, v.day)].append(v)
    seen: set[tuple[str, str]] = set()
    out: list[Conflict] = []
    for (_officer, day), group in sorted(by_officer_day.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        group.sort(key=lambda v: (v.time, v.id))
        for i, a in enumerate(group):
            _a_start, a_end = a.minutes()  # type: ignore[misc]
            for b in group[i + 1 :]:
                b_start, _b_end = b.minutes()  # type: ignore[misc]
                if b_start >= a_end:
                    break  # sorted by start: no later visit can overlap a
                pair = (a.id, b.id)
                if pair in seen:  # two officers on the same two trips: report once
                    continue
                seen.add(pair)
                text = tr(
                    "นัดเยี่ยมเวลาซ้อนกัน วันที่ {day} เวลา {a} น. และ {b} น.",
                    day=_day_text(day), a=a.time, b=b.time,
                )  # fmt: skip
                out.append(Conflict(OVERLAP, pair, text))
    return out


def _on_days_off(visits: Sequence[PlannedVisit], is_holiday: Callable[[date], bool]) -> list[Conflict]:
    out = []
    for v in sorted(visits, key=lambda v: (v.day, v.id)):
        day = format_date(v.day, "full", thai_digits=False)
        if v.day.weekday() >= 5:
            text = tr("นัดเยี่ยมตรงกับวันหยุดสุดสัปดาห์ ({day})", day=day)
        elif is_holiday(v.day):
            text = tr("นัดเยี่ยมตรงกับวันหยุดราชการ ({day})", day=day)
        else:
            continue
        out.append(Conflict(HOLIDAY, (v.id,), text))
    return out


def _over_targets(visits: Sequence[PlannedVisit], targets: Iterable[ActivityTarget]) -> list[Conflict]:
    out = []
    for t in targets:
        if t.month is None:
            counted = [v for v in visits if v.activity_key == t.activity_key]
        else:
            first, last = month_bounds(t.month)
            counted = [v for v in visits if v.activity_key == t.activity_key and first <= v.day <= last]
        if len(counted) > t.month_work_units:
            text = tr(
                "นัดเยี่ยมตามกิจกรรม {title} {n} ครั้ง เกินแผนของเดือน ({units} ครั้ง)",
                title=t.title, n=len(counted), units=t.month_work_units,
            )  # fmt: skip
            ids = tuple(v.id for v in sorted(counted, key=lambda v: (v.day, v.id)))
            out.append(Conflict(OVER_TARGET, ids, text))
    return out


def conflicts(
    visits: Iterable[PlannedVisit],
    *,
    holidays: Holidays,
    activity_targets: Iterable[ActivityTarget] = (),
) -> list[Conflict]:
    """Everything wrong with a set of planned visits: overlaps, then days off, then
    activities planned beyond the month's work units. Warnings: saving is never blocked."""
    visits = list(visits)
    return [
        *_overlaps(visits),
        *_on_days_off(visits, _is_holiday_fn(holidays)),
        *_over_targets(visits, activity_targets),
    ]


# --- follow-ups -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """A finding to follow until it is resolved in a later visit or dropped with a reason."""

    id: str
    institution_id: str
    raised_in_visit_id: str
    description: str
    due_date: date | None = None
    owner_id: str | None = None
    status: str = OPEN
    resolved_in_visit_id: str | None = None
    drop_reason: str = ""

    def __post_init__(self) -> None:
        if self.status not in FOLLOWUP_STATUSES:
            raise ValidationError(_("สถานะข้อสังเกตไม่ถูกต้อง"), field="status")
        if not self.description.strip():
            raise ValidationError(_("กรุณาระบุรายละเอียดข้อสังเกตที่ต้องติดตาม"), field="description")


@dataclass(frozen=True)
class PrepItem:
    """One line of the next visit's preparation (ประเด็นที่ต้องติดตาม)."""

    followup_id: str
    description: str
    due_date: date | None
    days_overdue: int  # 0 when not overdue
    text_th: str = field(default="")

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def _prep_text(description: str, due: date | None, days_overdue: int) -> str:
    if due is None:
        return description
    if days_overdue:
        return tr("{d} (เกินกำหนด {n} วัน)", d=description, n=days_overdue)
    return tr("{d} (กำหนด {day})", d=description, day=_day_text(due))


def carry_over(followups: Iterable[FollowUp | FollowUpFact], *, visit_day: date) -> tuple[PrepItem, ...]:
    """Open items of an institution as the next visit's preparation: overdue first (the
    longest overdue on top), then by due date, then those without a due date.

    Accepts FollowUp (closed ones are skipped) or FollowUpFact (open by definition).
    """
    items = []
    for f in followups:
        if getattr(f, "status", OPEN) != OPEN:
            continue
        late = max((visit_day - f.due_date).days, 0) if f.due_date else 0
        text = _prep_text(f.description, f.due_date, late)
        items.append(PrepItem(f.id, f.description, f.due_date, late, text))
    # Overdue items sort by due date too, which puts the longest overdue first.
    return tuple(sorted(items, key=_prep_order))


def _prep_order(p: PrepItem) -> tuple[bool, bool, date, str]:
    return not p.overdue, p.due_date is None, p.due_date or date.max, p.followup_id


def _require_open(item: FollowUp) -> None:
    if item.status == RESOLVED:
        raise ValidationError(_("ข้อสังเกตนี้แก้ไขแล้ว จึงเปลี่ยนสถานะไม่ได้"), field="status")
    if item.status == DROPPED:
        raise ValidationError(_("ข้อสังเกตนี้ยกเลิกการติดตามแล้ว จึงเปลี่ยนสถานะไม่ได้"), field="status")


def resolve(item: FollowUp, visit_id: str) -> FollowUp:
    """The item, resolved in visit `visit_id`."""
    _require_open(item)
    if not visit_id:
        raise ValidationError(_("กรุณาระบุการเยี่ยมที่แก้ไขข้อสังเกตนี้ได้"), field="visit_id")
    return replace(item, status=RESOLVED, resolved_in_visit_id=visit_id)


def drop(item: FollowUp, reason: str) -> FollowUp:
    """The item, no longer followed; a reason is required so the file says why."""
    _require_open(item)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("กรุณาระบุเหตุผลที่ยกเลิกการติดตามข้อสังเกตนี้"), field="reason")
    return replace(item, status=DROPPED, drop_reason=reason)
