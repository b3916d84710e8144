"""Legal and office deadlines of each institution's accounting year: accounts closed
(ปิดบัญชี), the annual general meeting (ประชุมใหญ่สามัญประจำปี) and the standards result
reported to the office (รายงานผลการจัดมาตรฐาน).

Pure rules over frozen values; the services map the registry (Institution, InstitutionYear)
onto InstitutionDeadlineFacts and show or print what comes back. Dates are Gregorian; the
Buddhist era appears only in the Thai sentences (app.thai.format_date).

Deadlines of the accounting year ending on E:
- accounts closed: E + ACCOUNTS_CLOSE_DAYS calendar days (default 30). *Unconfirmed*:
  REFERENCE gives no figure for cooperatives; 30 days is the usual office target
  ("ปิดบัญชีได้ภายใน 30 วัน", also what the demo data counts as on time), while the 150 days
  of the farmer-group standards criterion is the outer limit that the AGM deadline already
  stands for (a 150-day accounts deadline would fall on the AGM's day and warn nobody).
  The office sets its own figure (a per-office setting the services pass in as
  `accounts_close_days`).
- AGM: E + 150 calendar days (REFERENCE §2, visits.AGM_DEADLINE_DAYS). A meeting may be
  held on any day, so neither deadline moves off weekends or holidays. 31 Dec -> 30 May
  (29 May when February has 29 days); "within 150 days" means on or before that day.
- standards result: STANDARDS_WORKING_DAYS (2) working days after the AGM (seed 004),
  counted by app.thai.add_working_days with the calendar passed in (weekends, Thai
  government holidays, the office's special days). Only once the AGM date is known: before
  that there is no date to count from, so there is no standards deadline.

Decisions (see the tests for each):
- Which accounting years: the latest year end on or before today, and the one before it.
  The latest is the year being closed now (its deadlines are upcoming, due soon or, late in
  the year, overdue). The one before is kept because its AGM deadline (E + 150 days) passed
  less than a year ago, so a meeting missed last year still shows as overdue until another
  year end pushes it out of view; older years belong to the yearly records, not the
  calendar. A year end on today counts (its deadlines are simply ahead).
- Each accounting year stands alone: a later year's AGM does not settle an earlier year's
  missing one (visits.agm_reason, which only knows the last AGM date, must assume it does).
  Recorded dates are taken as they are; which year a recorded date belongs to is the
  services' business (see year_end_of_fiscal_year and year_end_before).
- Dissolving and struck-off institutions have no deadlines at all: the liquidator's steps
  replace the yearly cycle and they are not assessed for standards.
- Suspended institutions keep every deadline: they are still cooperatives under the law
  and the officer is expected to push them to close their books and meet.
- Not-started institutions have deadlines only for year ends after their registration
  (no first year end has passed for a new one); without a registration date nothing is
  shown rather than a guess. For other statuses a known registration date likewise drops
  year ends on or before it.
- An institution without a known accounting year end has no deadlines (nothing to say
  rather than a guess, as in visits).
- 29 Feb year ends fall on 28 Feb in common years (visits.year_end_in).
- Status: done on time (done on or before the due day), done late, overdue (not done, due
  day passed; overdue from the day after), due soon (not done, due within `within_days`
  days, today and exactly `within_days` days ahead included), upcoming (further ahead).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from app.errors import ValidationError
from app.i18n import _, tr
from app.rules.visits import AGM_DEADLINE_DAYS, WOUND_UP_STATUSES, year_end_in
from app.thai import HolidayCalendar, add_working_days, fiscal_year_bounds, format_date, thai_sort_key

# --- vocabulary -------------------------------------------------------------------------

ACCOUNTS, AGM, STANDARDS = "accounts", "agm", "standards"
# In the order they fall due, which is also the order of equal rows.
KINDS: dict[str, str] = {
    ACCOUNTS: "ปิดบัญชี",
    AGM: "ประชุมใหญ่สามัญประจำปี",
    STANDARDS: "รายงานผลการจัดมาตรฐาน",
}
_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}

OVERDUE, DUE_SOON, UPCOMING = "overdue", "due_soon", "upcoming"
DONE_ON_TIME, DONE_LATE = "done_on_time", "done_late"
STATUSES: dict[str, str] = {
    OVERDUE: "เกินกำหนด",
    DUE_SOON: "ใกล้ครบกำหนด",
    UPCOMING: "ยังไม่ถึงกำหนด",
    DONE_LATE: "ดำเนินการแล้ว (ล่าช้า)",
    DONE_ON_TIME: "ดำเนินการแล้วทันกำหนด",
}
OPEN_STATUSES = frozenset({OVERDUE, DUE_SOON, UPCOMING})

ACCOUNTS_CLOSE_DAYS = 30  # unconfirmed office target; see the module docstring
STANDARDS_WORKING_DAYS = 2  # seed 004: "ภายใน 2 วันทำการหลังการประชุมใหญ่"
DEFAULT_WITHIN_DAYS = 30  # the dashboard's "next 30 days"

NO_DEADLINE_STATUSES = WOUND_UP_STATUSES  # dissolving, struck_off
NOT_STARTED = "not_started"


# --- inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountingYearFacts:
    """What is recorded of one accounting year; None = not yet.

    year_end: the accounting year end the record belongs to. Records are matched to year
    ends by calendar year, so a 29 Feb year end stored as 28 Feb (or the other way round)
    still finds its record.
    """

    year_end: date
    accounts_closed_on: date | None = None
    agm_held_on: date | None = None
    standards_reported_on: date | None = None


@dataclass(frozen=True)
class InstitutionDeadlineFacts:
    id: str
    name: str
    kind: str = "coop"  # coop | farmer_group
    status: str = "operating"  # app.rules.registry.STATUSES
    officer_id: str | None = None
    officer_name: str = ""
    acct_year_end: tuple[int, int] | None = None  # (month, day)
    years: tuple[AccountingYearFacts, ...] = ()  # one per year end; a later one wins
    registered_on: date | None = None

    def year(self, year_end: date) -> AccountingYearFacts | None:
        """The record of the accounting year ending on year_end (matched by calendar year)."""
        found = None
        for record in self.years:
            if record.year_end.year == year_end.year:
                found = record
        return found


# --- outputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """One deadline of one institution's accounting year.

    days: overdue -> days past the due day; due soon / upcoming -> days left (0 = today);
    done late -> days late; done on time -> days to spare.
    """

    institution_id: str
    institution_name: str
    kind: str  # accounts | agm | standards
    year_end: date
    due: date
    done_on: date | None
    status: str
    days: int
    officer_id: str | None
    officer_name: str
    text_th: str

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def kind_label(self) -> str:
        return _(KINDS[self.kind])

    @property
    def status_label(self) -> str:
        return _(STATUSES[self.status])

    def as_json(self) -> dict[str, object]:
        """Plain values with stable keys and ISO dates (`coopdesk deadlines --json`)."""
        return {
            "institution_id": self.institution_id,
            "institution_name": self.institution_name,
            "kind": self.kind,
            "year_end": self.year_end.isoformat(),
            "due": self.due.isoformat(),
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "status": self.status,
            "days": self.days,
            "officer_id": self.officer_id,
            "officer_name": self.officer_name,
            "text_th": self.text_th,
        }


# --- year ends ----------------------------------------------------------------------------


def latest_year_end(today: date, acct_year_end: tuple[int, int]) -> date:
    """The latest accounting year end on or before today."""
    end = year_end_in(today.year, acct_year_end)
    return end if end <= today else year_end_in(today.year - 1, acct_year_end)


def year_ends_to_check(today: date, acct_year_end: tuple[int, int]) -> tuple[date, date]:
    """(the year end before the latest, the latest on or before today), oldest first."""
    latest = latest_year_end(today, acct_year_end)
    return year_end_in(latest.year - 1, acct_year_end), latest


def year_end_before(d: date, acct_year_end: tuple[int, int]) -> date:
    """The latest year end strictly before d: the accounting year an AGM held on d is for."""
    end = year_end_in(d.year, acct_year_end)
    return end if end < d else year_end_in(d.year - 1, acct_year_end)


def year_end_of_fiscal_year(fiscal_year_be: int, acct_year_end: tuple[int, int]) -> date:
    """The year end falling within the BE fiscal year (a yearly registry row describes the
    accounting year that ends within its fiscal year): FY 2569 with 31 Dec -> 31 Dec 2025."""
    start, _end = fiscal_year_bounds(fiscal_year_be)
    month = acct_year_end[0]
    return year_end_in(start.year + (month < 10), acct_year_end)


def applies(facts: InstitutionDeadlineFacts, year_end: date) -> bool:
    """Whether the institution has deadlines for the accounting year ending on year_end."""
    if facts.acct_year_end is None or facts.status in NO_DEADLINE_STATUSES:
        return False
    if facts.registered_on is None:
        return facts.status != NOT_STARTED
    return year_end > facts.registered_on


def due_dates(
    year_end: date,
    *,
    agm_held_on: date | None,
    calendar: HolidayCalendar,
    accounts_close_days: int = ACCOUNTS_CLOSE_DAYS,
    standards_working_days: int = STANDARDS_WORKING_DAYS,
) -> dict[str, date]:
    """Due day of each deadline of the year (no standards deadline before the AGM is known)."""
    out = {
        ACCOUNTS: year_end + timedelta(days=accounts_close_days),
        AGM: year_end + timedelta(days=AGM_DEADLINE_DAYS),
    }
    if agm_held_on is not None:
        out[STANDARDS] = add_working_days(agm_held_on, standards_working_days, calendar)
    return out


# --- status and sentence ------------------------------------------------------------------


def status_of(due: date, done_on: date | None, *, today: date, within_days: int) -> tuple[str, int]:
    """(status, days) as Deadline documents them."""
    if done_on is not None:
        late = (done_on - due).days
        return (DONE_LATE, late) if late > 0 else (DONE_ON_TIME, -late)
    left = (due - today).days
    if left < 0:
        return OVERDUE, -left
    if left <= within_days:
        return DUE_SOON, left
    return UPCOMING, left


def _day_text(d: date) -> str:
    # Arabic digits on screen; printed sheets convert with to_thai_digits if set so.
    return format_date(d, "long", thai_digits=False)


def _sentence(name: str, kind: str, year_end: date, due: date, done_on: date | None, status: str, days: int) -> str:
    values = {
        "name": name, "task": _(KINDS[kind]), "year_end": _day_text(year_end), "due": _day_text(due),
        "days": days, "done": _day_text(done_on) if done_on else "",
    }  # fmt: skip
    if status == OVERDUE:
        return tr("{name} ยังไม่ได้{task}ของปีบัญชีสิ้นสุด {year_end} เกินกำหนด {due} มาแล้ว {days} วัน", **values)
    if status == DUE_SOON and days == 0:
        return tr("{name} ต้อง{task}ของปีบัญชีสิ้นสุด {year_end} ภายในวันนี้ ({due})", **values)
    if status == DUE_SOON:
        return tr("{name} ต้อง{task}ของปีบัญชีสิ้นสุด {year_end} ภายใน {due} (อีก {days} วัน)", **values)
    if status == UPCOMING:
        return tr("{name} ต้อง{task}ของปีบัญชีสิ้นสุด {year_end} ภายใน {due}", **values)
    if status == DONE_LATE:
        return tr("{name} {task}ของปีบัญชีสิ้นสุด {year_end} แล้วเมื่อ {done} ช้ากว่ากำหนด {due} {days} วัน", **values)
    return tr("{name} {task}ของปีบัญชีสิ้นสุด {year_end} แล้วเมื่อ {done} ทันกำหนด {due}", **values)


# --- the calendar -------------------------------------------------------------------------


def _check(within_days: int, accounts_close_days: int, standards_working_days: int) -> None:
    if within_days < 0:
        raise ValidationError(_("จำนวนวันที่ใกล้ครบกำหนดต้องไม่ติดลบ"), field="within_days")
    if accounts_close_days < 0:
        raise ValidationError(_("จำนวนวันที่ต้องปิดบัญชีหลังวันสิ้นปีบัญชีต้องไม่ติดลบ"), field="accounts_close_days")
    if standards_working_days < 0:
        raise ValidationError(_("จำนวนวันทำการที่ต้องรายงานผลการจัดมาตรฐานต้องไม่ติดลบ"), field="standards_working_days")


def institution_deadlines(
    facts: InstitutionDeadlineFacts,
    *,
    today: date,
    within_days: int = DEFAULT_WITHIN_DAYS,
    calendar: HolidayCalendar,
    accounts_close_days: int = ACCOUNTS_CLOSE_DAYS,
    standards_working_days: int = STANDARDS_WORKING_DAYS,
) -> list[Deadline]:
    """One institution's deadlines of the accounting years in view, oldest year first."""
    if facts.acct_year_end is None:
        return []
    out: list[Deadline] = []
    for year_end in year_ends_to_check(today, facts.acct_year_end):
        if not applies(facts, year_end):
            continue
        record = facts.year(year_end) or AccountingYearFacts(year_end)
        done = {
            ACCOUNTS: record.accounts_closed_on,
            AGM: record.agm_held_on,
            STANDARDS: record.standards_reported_on,
        }
        dues = due_dates(
            year_end, agm_held_on=record.agm_held_on, calendar=calendar,
            accounts_close_days=accounts_close_days, standards_working_days=standards_working_days,
        )  # fmt: skip
        for kind, due in dues.items():
            status, days = status_of(due, done[kind], today=today, within_days=within_days)
            text = _sentence(facts.name, kind, year_end, due, done[kind], status, days)
            out.append(
                Deadline(
                    institution_id=facts.id, institution_name=facts.name, kind=kind, year_end=year_end,
                    due=due, done_on=done[kind], status=status, days=days,
                    officer_id=facts.officer_id, officer_name=facts.officer_name, text_th=text,
                )
            )
    return out


def _order(d: Deadline) -> tuple[bool, date, tuple[str, str, str], str, int, date]:
    # Overdue rows sort by due date too, which puts the most overdue on top.
    return d.status != OVERDUE, d.due, thai_sort_key(d.institution_name), d.institution_id, _KIND_ORDER[d.kind], d.year_end


def deadlines(
    facts: Iterable[InstitutionDeadlineFacts],
    *,
    today: date,
    within_days: int = DEFAULT_WITHIN_DAYS,
    calendar: HolidayCalendar,
    accounts_close_days: int = ACCOUNTS_CLOSE_DAYS,
    standards_working_days: int = STANDARDS_WORKING_DAYS,
) -> list[Deadline]:
    """Every deadline of the institutions' accounting years in view, done ones included:
    overdue first (most overdue on top), then by due date, then Thai name.

    within_days: how far ahead an open deadline counts as due soon (inclusive).
    calendar: counts the standards deadline's working days (office special days included).
    """
    _check(within_days, accounts_close_days, standards_working_days)
    out = [
        d
        for f in facts
        for d in institution_deadlines(
            f, today=today, within_days=within_days, calendar=calendar,
            accounts_close_days=accounts_close_days, standards_working_days=standards_working_days,
        )
    ]
    return sorted(out, key=_order)


def upcoming(
    facts: Iterable[InstitutionDeadlineFacts],
    *,
    today: date,
    within_days: int = DEFAULT_WITHIN_DAYS,
    calendar: HolidayCalendar,
    accounts_close_days: int = ACCOUNTS_CLOSE_DAYS,
    standards_working_days: int = STANDARDS_WORKING_DAYS,
) -> list[Deadline]:
    """What still needs doing: overdue deadlines and those due within `within_days` days,
    in the order of deadlines() (`coopdesk deadlines [--within DAYS]`, the dashboard)."""
    found = deadlines(
        facts, today=today, within_days=within_days, calendar=calendar,
        accounts_close_days=accounts_close_days, standards_working_days=standards_working_days,
    )  # fmt: skip
    return [d for d in found if d.status in (OVERDUE, DUE_SOON)]
