"""The deadline calendar of the institutions in the user's scope (`coopdesk deadlines`, the
dashboard): the registry and the yearly records mapped onto app.rules.deadlines' facts.

Which accounting year a recorded date belongs to:
- A yearly row (InstitutionYear, and StandardsAssessment, named the same way) describes the
  accounting year ending within its fiscal year (deadlines.year_end_of_fiscal_year), which
  is how the registry, the importer and the demo data fill it: FY 2569 with a 31 Dec year
  end holds the books closed and the meeting held for the year ending 31 Dec 2025.
- A date on or before that year end cannot be for it (no meeting is held for a year not
  yet over): it was typed into the row of the fiscal year in which it happened, so it goes
  to the accounting year ending before it (deadlines.year_end_before) — unless that year
  has its own date recorded, which wins.
- A standards result that is only on the yearly row (standards_result with no assessment
  recorded here, e.g. imported from the central office's sheet) shows no standards
  deadline for that year: the office has the result, so it is not overdue, and no date is
  invented to call it on time or late. An assessment recorded here without a report date
  has not been reported yet: its deadline shows (due soon, or overdue).
- Accounts closing days: the office setting `accounts_close_days` (app.settings, default 30).
- The working-day calendar of the standards deadline: app.thai.default_calendar(), which
  already carries the office's special days.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Institution, InstitutionYear, StandardsAssessment, User
from app.rules import deadlines as rules
from app.rules.deadlines import AccountingYearFacts, Deadline, InstitutionDeadlineFacts
from app.services import settings
from app.services.scope import institution_scope, scoped
from app.thai import default_calendar

ACCOUNTS_CLOSE_DAYS_SETTING = "accounts_close_days"


def accounts_close_days(session: Session) -> int:
    """The office's days to close the books after the accounting year end."""
    return int(settings.get(session, ACCOUNTS_CLOSE_DAYS_SETTING))


def _attach(found: dict[date, dict[str, date]], own: set[tuple[date, str]], acct: tuple[int, int], fy: int,
            field: str, day: date | None) -> None:
    """Put a recorded date on the accounting year it belongs to (see the module docstring)."""
    if day is None:
        return
    end = rules.year_end_of_fiscal_year(fy, acct)
    if day > end:
        found[end][field] = day  # the row's own year: always wins
        own.add((end, field))
        return
    earlier = rules.year_end_before(day, acct)
    if (earlier, field) not in own:
        found[earlier].setdefault(field, day)


def _moved(record: tuple[int, str, date | None], acct: tuple[int, int]) -> bool:
    """Whether a recorded (fiscal year, field, date) is not for its row's own accounting year."""
    fy, _field, day = record
    return day is None or day <= rules.year_end_of_fiscal_year(fy, acct)


def _deadline_facts(session: Session, user: User) -> tuple[list[InstitutionDeadlineFacts], set[tuple[str, int]]]:
    """(facts, (institution id, calendar year of the year end) of the accounting years whose
    standards result is recorded without a report date)."""
    scope = institution_scope(session, user)
    insts = session.execute(scoped(
        select(Institution.id, Institution.name, Institution.kind, Institution.status, Institution.officer_id,
               User.full_name, Institution.acct_year_end_month, Institution.acct_year_end_day,
               Institution.registered_on)
        .outerjoin(User, User.id == Institution.officer_id)
        .where(Institution.deleted_at.is_(None)), scope)).all()
    # The scope as a subquery (not a list of ids: thousands of bound parameters).
    ids = scoped(select(Institution.id).where(Institution.deleted_at.is_(None)), scope)
    rows: dict[str, list[tuple[int, str, date | None]]] = defaultdict(list)
    results: set[tuple[str, int]] = set()  # (id, fiscal year) with a standards result recorded
    assessed: set[tuple[str, int]] = set()  # (id, fiscal year) with an assessment recorded here
    if insts:
        for r in session.execute(select(InstitutionYear.institution_id, InstitutionYear.fiscal_year,
                                        InstitutionYear.accounts_closed_date, InstitutionYear.agm_date,
                                        InstitutionYear.standards_result)
                                 .where(InstitutionYear.institution_id.in_(ids),
                                        InstitutionYear.deleted_at.is_(None))):
            rows[r[0]].append((r[1], "accounts", r[2]))
            rows[r[0]].append((r[1], "agm", r[3]))
            if r[4] is not None:
                results.add((r[0], r[1]))
        for r in session.execute(select(StandardsAssessment.institution_id, StandardsAssessment.fiscal_year,
                                        StandardsAssessment.reported_on)
                                 .where(StandardsAssessment.institution_id.in_(ids),
                                        StandardsAssessment.deleted_at.is_(None))):
            rows[r[0]].append((r[1], "standards", r[2]))
            assessed.add((r[0], r[1]))
    acct_of = {i.id: (i.acct_year_end_month, i.acct_year_end_day) for i in insts
               if i.acct_year_end_month and i.acct_year_end_day}
    undated = {(iid, rules.year_end_of_fiscal_year(fy, acct_of[iid]).year)
               for iid, fy in results - assessed if iid in acct_of}
    out = []
    for i in insts:
        acct = (i.acct_year_end_month, i.acct_year_end_day) if i.acct_year_end_month and i.acct_year_end_day else None
        years: tuple[AccountingYearFacts, ...] = ()
        if acct is not None:
            found: dict[date, dict[str, date]] = defaultdict(dict)
            own: set[tuple[date, str]] = set()
            # Own-year dates first, so a date moved from another row never overrides one.
            recorded = sorted(rows.get(i.id, ()), key=lambda r, acct=acct: (_moved(r, acct), r[0]))
            for fy, field, day in recorded:
                _attach(found, own, acct, fy, field, day)
            years = tuple(
                AccountingYearFacts(end, accounts_closed_on=v.get("accounts"), agm_held_on=v.get("agm"),
                                    standards_reported_on=v.get("standards"))
                for end, v in sorted(found.items()))
        out.append(InstitutionDeadlineFacts(
            id=i.id, name=i.name, kind=i.kind, status=i.status, officer_id=i.officer_id,
            officer_name=i.full_name or "", acct_year_end=acct, years=years, registered_on=i.registered_on))
    return out, undated


def deadlines_for(session: Session, user: User, *, today: date, within_days: int = rules.DEFAULT_WITHIN_DAYS,
                  only_open: bool = False) -> list[Deadline]:
    """Every deadline of the accounting years in view (rules.deadlines) for the user's scope,
    overdue first, then by due date.

    only_open: just what still needs doing now — overdue and due within `within_days` days
    (rules.upcoming; the dashboard's list and `coopdesk deadlines`). Done ones and those
    further ahead are left out."""
    facts, undated = _deadline_facts(session, user)
    run = rules.upcoming if only_open else rules.deadlines
    found = run(facts, today=today, within_days=within_days, calendar=default_calendar(),
                accounts_close_days=accounts_close_days(session))
    return [d for d in found
            if not (d.kind == rules.STANDARDS and d.done_on is None and (d.institution_id, d.year_end.year) in undated)]
