"""The dashboard (the first page after login): everything it shows for the user's scope
and a fiscal year, gathered in one call as frozen plain data, so the page can load it in a
worker thread and only draw on the GUI thread.

Where each number comes from:
- Scope: app.services.scope (officer: their institutions; director: the group; provincial
  head, clerk, admin: the office). Its Thai label names the page's header.
- KPI cards: app.services.kpis.kpi_report for the fiscal year (every defined KPI, its
  numerator / denominator, target and the ids behind both).
- Strength classes over three fiscal years (fy-2, fy-1, fy): the institutions the KPI
  service counts for each year (kpis.year_facts: in scope, live, registered by the end of
  that year), split by app.rules.kpi.by_class — classes 1–4, out of scope, and "none"
  (no class recorded for the year), so each bar's height is the institutions of the year.
- Standards pass rate per year and kind: pass / (pass + fail) of those facts, as the KPI
  counts it ("not assessed" and no result are left out and kept to be listed).
- Visits per month of the fiscal year, of the institutions in scope: planned = visits
  whose planned day falls in the month (cancelled ones included: they were planned);
  done = visits reported as made (status done) whose actual day falls in the month.
- Budget planned vs disbursed, cumulative (the S-curve): the action plans the KPI report
  links for the scope (each group's newest approved revision, else the newest; the head
  sees the sum over the groups), through app.services.plans.progress.
- Deadlines: app.services.deadline_views.deadlines_for(only_open=True) — overdue first,
  then those due within `within_days` days.
- The top of the page: the user's returned travel plans / reports and today's visits
  (app.services.visit_views), as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.models import District, Institution, User, Visit
from app.rules import kpi as kpi_rules
from app.rules.deadlines import DEFAULT_WITHIN_DAYS, Deadline
from app.rules.kpi import KpiResult, YearFacts, percent
from app.rules.registry import KINDS, type_label
from app.services import kpis, plans, visit_views
from app.services import visits as visit_svc
from app.services.deadline_views import deadlines_for
from app.services.scope import institution_scope, scoped
from app.thai import fiscal_months, thai_sort_key

YEARS_SHOWN = 3
CLASS_SLOTS = ("1", "2", "3", "4", "out_of_scope", "none")  # app.rules.kpi.by_class's keys
MONTHS = 12


@dataclass(frozen=True)
class InstitutionRef:
    """What the list behind a number shows of one institution."""

    id: str
    reg_no: str
    name: str
    kind: str
    type_label: str
    district_name: str
    officer_name: str
    status: str


@dataclass(frozen=True)
class StrengthYear:
    fiscal_year: int
    ids: Mapping[str, tuple[str, ...]]  # CLASS_SLOTS -> institution ids (by Thai name)

    def count(self, slot: str) -> int:
        return len(self.ids.get(slot, ()))

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.ids.values())


@dataclass(frozen=True)
class StandardsYear:
    """One kind's standards results of one fiscal year (ids by Thai name)."""

    fiscal_year: int
    kind: str  # coop | farmer_group
    passed_ids: tuple[str, ...]
    failed_ids: tuple[str, ...]
    not_assessed_ids: tuple[str, ...]
    missing_ids: tuple[str, ...]  # no result recorded yet

    @property
    def assessed(self) -> int:
        return len(self.passed_ids) + len(self.failed_ids)

    @property
    def rate(self) -> Decimal | None:
        """Percent passing of those assessed (2 places, half up), None when none were."""
        return percent(len(self.passed_ids), self.assessed)


@dataclass(frozen=True)
class VisitMonth:
    month: date  # first day
    planned: int  # visits planned in the month
    done: int  # visits made in the month
    planned_ids: tuple[str, ...]  # institutions, distinct, by Thai name
    done_ids: tuple[str, ...]
    planned_days: Mapping[str, tuple[date, ...]]  # institution -> planned days in the month
    done_days: Mapping[str, tuple[date, ...]]


@dataclass(frozen=True)
class BudgetCurve:
    planned_cumulative: tuple[Decimal, ...]  # ต.ค. → ก.ย.; all zero when there is no plan
    disbursed_cumulative: tuple[Decimal, ...]
    months_reported: int  # months from ต.ค. with anything recorded (work or money)
    plan_count: int  # how many groups' plans are summed
    group_names: tuple[str, ...]


@dataclass(frozen=True)
class Dashboard:
    fiscal_year: int
    today: date
    scope_label: str
    scope_kind: str  # all | group | own | none
    institution_ids: tuple[str, ...]  # live institutions in scope, by Thai name
    kinds: Mapping[str, int]  # live institutions in scope by kind
    kpis: tuple[KpiResult, ...]
    kpi_year: int  # the year of the KPI cards: fiscal_year, or the one before while it has no results
    strength: tuple[StrengthYear, ...]  # oldest year first
    standards: tuple[StandardsYear, ...]  # per year (oldest first), coop then farmer group
    visits: tuple[VisitMonth, ...]  # the 12 months of the fiscal year
    budget: BudgetCurve
    deadlines: tuple[Deadline, ...]  # overdue first, then due within `within_days`
    within_days: int
    institutions: Mapping[str, InstitutionRef]  # every id named anywhere above
    returned: tuple[visit_views.ReturnedItem, ...] = ()
    today_visits: tuple[visit_views.VisitRow, ...] = ()

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(y.fiscal_year for y in self.strength)

    def kpi(self, key: str) -> KpiResult | None:
        return next((k for k in self.kpis if k.key == key), None)

    def standards_of(self, fiscal_year: int, kind: str) -> StandardsYear | None:
        return next((s for s in self.standards if s.fiscal_year == fiscal_year and s.kind == kind), None)

    def named(self, ids) -> list[InstitutionRef]:
        """The institutions of the ids in their order (unknown ids left out)."""
        return [self.institutions[i] for i in ids if i in self.institutions]


# -- the parts ---------------------------------------------------------------------------------

def _refs(session: Session, user: User) -> dict[str, InstitutionRef]:
    scope = institution_scope(session, user)
    q = scoped(select(Institution.id, Institution.reg_no, Institution.name, Institution.kind, Institution.coop_type,
                      District.name_th, District.kind, User.full_name, Institution.status)
               .outerjoin(District, District.code == Institution.district_code)
               .outerjoin(User, User.id == Institution.officer_id)
               .where(Institution.deleted_at.is_(None)), scope)
    out = {}
    for r in session.execute(q):
        district = "" if r[5] is None else ("เขต" if r[6] == "khet" else "อ.") + r[5]
        out[r[0]] = InstitutionRef(r[0], r[1], r[2], r[3], type_label(r[3], r[4]), district, r[7] or "", r[8])
    return out


def _by_name(ids, refs: Mapping[str, InstitutionRef]) -> tuple[str, ...]:
    return tuple(sorted(set(ids), key=lambda i: (thai_sort_key(refs[i].name) if i in refs else ("", "", ""), i)))


def _standards(fy: int, facts: list[YearFacts]) -> list[StandardsYear]:
    out = []
    for kind in KINDS:
        mine = [f for f in facts if f.kind == kind]  # facts come sorted by Thai name
        pick = {r: tuple(f.id for f in mine if f.standards_result == r) for r in ("pass", "fail", "not_assessed")}
        out.append(StandardsYear(fy, kind, pick["pass"], pick["fail"], pick["not_assessed"],
                                 tuple(f.id for f in mine if f.standards_result is None)))
    return out


def _visits(session: Session, user: User, fy: int, refs: Mapping[str, InstitutionRef]) -> list[VisitMonth]:
    months = fiscal_months(fy)
    first, last = months[0], fiscal_months(fy + 1)[0] - timedelta(days=1)
    scope = institution_scope(session, user)
    q = scoped(select(Visit.institution_id, Visit.planned_date, Visit.actual_date, Visit.status)
               .join(Institution, Institution.id == Visit.institution_id)
               .where(Visit.deleted_at.is_(None), Institution.deleted_at.is_(None),
                      or_(Visit.planned_date.between(first, last),
                          and_(Visit.status == visit_svc.DONE, Visit.actual_date.between(first, last)))), scope)
    planned: list[dict[str, list[date]]] = [{} for _m in months]
    done: list[dict[str, list[date]]] = [{} for _m in months]
    for inst_id, planned_day, actual_day, status in session.execute(q):
        if first <= planned_day <= last:
            planned[months.index(planned_day.replace(day=1))].setdefault(inst_id, []).append(planned_day)
        if status == visit_svc.DONE and actual_day is not None and first <= actual_day <= last:
            done[months.index(actual_day.replace(day=1))].setdefault(inst_id, []).append(actual_day)
    out = []
    for m, month in enumerate(months):
        out.append(VisitMonth(
            month, sum(len(v) for v in planned[m].values()), sum(len(v) for v in done[m].values()),
            _by_name(planned[m], refs), _by_name(done[m], refs),
            MappingProxyType({k: tuple(sorted(v)) for k, v in planned[m].items()}),
            MappingProxyType({k: tuple(sorted(v)) for k, v in done[m].items()})))
    return out


def _budget(session: Session, user: User, report: kpis.KpiReport) -> BudgetCurve:
    planned = [Decimal(0)] * MONTHS
    disbursed = [Decimal(0)] * MONTHS
    reported = 0
    for p in report.plans:
        progress = plans.progress(session, user, p.plan_id)
        for m in range(MONTHS):
            planned[m] += progress.planned_baht_cumulative[m]
            disbursed[m] += progress.disbursed_baht_cumulative[m]
        for a in progress.activities:
            for m, cell in enumerate(a.actual):
                if (cell.work or cell.baht) and m + 1 > reported:
                    reported = m + 1
    return BudgetCurve(tuple(planned), tuple(disbursed), reported, len(report.plans),
                       tuple(p.group_name for p in report.plans))


def _today_visits(session: Session, user: User, today: date) -> list[visit_views.VisitRow]:
    return [v for v in visit_views.list_visits(session, user, today, officer_id=user.id)
            if v.planned_date == today and v.status == visit_svc.PLANNED]


# -- the one call ------------------------------------------------------------------------------

def dashboard(session: Session, user: User, fiscal_year: int, *, today: date | None = None,
              within_days: int = DEFAULT_WITHIN_DAYS) -> Dashboard:
    """Everything the dashboard shows for the user's scope and the fiscal year (BE)."""
    kpis.check_fiscal_year(fiscal_year)
    today = today or date.today()
    scope = institution_scope(session, user)
    refs = _refs(session, user)
    report = kpis.kpi_report(session, user, fiscal_year, today=today)
    strength, standards = [], []
    assessed = False  # has the fiscal year any standards or strength result yet?
    for fy in range(fiscal_year - YEARS_SHOWN + 1, fiscal_year + 1):
        facts = kpis.year_facts(session, user, fy)
        if fy == fiscal_year:
            # Class 4 and "not assessed" follow from a status, not from an assessment.
            assessed = any(f.standards_result in ("pass", "fail") or f.strength_class in (1, 2, 3) for f in facts)
        slots = kpi_rules.by_class(facts)
        strength.append(StrengthYear(fy, MappingProxyType({k: slots.get(k, ()) for k in CLASS_SLOTS})))
        standards.extend(_standards(fy, facts))
    # Early in a fiscal year (before the AGMs) nothing is assessed yet: the cards show the
    # latest year with results and say so, rather than a page of "0 จาก 0".
    shown = report if assessed else kpis.kpi_report(session, user, fiscal_year - 1, today=today)
    deadlines = deadlines_for(session, user, today=today, within_days=within_days, only_open=True)
    ordered = _by_name(refs, refs)
    return Dashboard(
        fiscal_year=fiscal_year, today=today, scope_label=scope.label_th, scope_kind=scope.kind,
        institution_ids=ordered, kinds=MappingProxyType(dict(Counter(refs[i].kind for i in ordered))),
        kpis=shown.results, kpi_year=shown.fiscal_year, strength=tuple(strength), standards=tuple(standards),
        visits=tuple(_visits(session, user, fiscal_year, refs)), budget=_budget(session, user, report),
        deadlines=tuple(deadlines), within_days=within_days, institutions=MappingProxyType(refs),
        returned=tuple(visit_views.returned_items(session, user)), today_visits=tuple(_today_visits(session, user, today)),
    )
