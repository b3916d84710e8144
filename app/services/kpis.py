"""The office's KPIs for a fiscal year over the institutions in the user's scope (the
dashboard's cards, `coopdesk kpi`), and the action plan's KPI rows with their actual figures.

Facts (app.rules.kpi.YearFacts) are read from the registry with Core queries:
- the institutions in the user's scope (app.services.scope) that are live and have a
  yearly row for the year, or have none yet but were registered by the end of the fiscal
  year (unknown registration date: included) — their figures are "missing", which the KPI
  notes name. Struck-off institutions without a row for the year are left out: they are
  no longer part of that year. Status is the institution's present status (the registry
  keeps no status history).
- last year's figures of the same institutions (for the business-volume growth KPI).
- acct_year_end: the accounting year end falling within the fiscal year.

Parameters: the definitions file (data/kpi/definitions.json) with the office's setting
`accounts_close_days` (app.settings) taking the place of the file's `days` of every
accounts-on-time KPI, so the KPI and the deadline calendar count the same days. A plan row
that states its own days ("ภายใน ๑๐ วัน") still measures that row by them.

The plan link (KpiReport.plans): the KPI rows (Plan.kpis) of the action plan of each work
group the user's scope covers — the user's own group for an officer or a director, every
group with a plan for the year for the provincial head, the clerk and the admin. Of a
group's revisions the newest approved one is used, else the newest. Each plan's rows are
measured over the institutions *of that group* that the user sees (a group's targets are
about its own institutions): for a director the whole group, for an officer their own
institutions in the group, for the head each group in turn.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from app.errors import ValidationError
from app.i18n import tr
from app.models import Institution, InstitutionYear, Plan, User, WorkGroup
from app.rules import approval
from app.rules import kpi as rules
from app.rules.kpi import KpiDefinitions, KpiResult, PlanKpi, YearFacts
from app.rules.plan.document import KpiLine
from app.services.deadline_views import accounts_close_days
from app.services.scope import ALL, NONE, institution_scope, scoped
from app.thai import fiscal_year_bounds, thai_sort_key


def check_fiscal_year(fiscal_year: int) -> None:
    if isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int) or not 2500 <= fiscal_year <= 2700:
        raise ValidationError(tr("ปีงบประมาณ {fy} ต้องเป็นปี พ.ศ. เช่น 2568", fy=fiscal_year), field="fiscal_year")


# -- facts -------------------------------------------------------------------------------------

def _facts(session: Session, scope, fiscal_year: int, only_ids: set[str] | None = None) -> list[YearFacts]:
    yr = aliased(InstitutionYear)
    join = and_(yr.institution_id == Institution.id, yr.fiscal_year == fiscal_year, yr.deleted_at.is_(None))
    q = scoped(
        select(Institution.id, Institution.name, Institution.kind, Institution.coop_type, Institution.status,
               Institution.officer_id, Institution.group_id, Institution.registered_on,
               Institution.acct_year_end_month, Institution.acct_year_end_day,
               yr.id, yr.strength_class, yr.out_of_scope, yr.standards_result, yr.accumulated_loss,
               yr.member_participation_pct, yr.business_volume, yr.net_profit, yr.agm_date,
               yr.accounts_closed_date)
        .outerjoin(yr, join).where(Institution.deleted_at.is_(None)), scope)
    _start, fy_end = fiscal_year_bounds(fiscal_year)
    out = []
    for r in session.execute(q):
        if only_ids is not None and r[0] not in only_ids:
            continue
        has_row = r[10] is not None
        if not has_row and (r.status == "struck_off" or (r.registered_on is not None and r.registered_on > fy_end)):
            continue
        m, d = r.acct_year_end_month, r.acct_year_end_day
        out.append(YearFacts(
            id=r[0], name=r.name, fiscal_year=fiscal_year, kind=r.kind, coop_type=r.coop_type, status=r.status,
            officer_id=r.officer_id, group_id=r.group_id, strength_class=r[11], out_of_scope=bool(r[12]),
            standards_result=r[13], accumulated_loss=r[14], member_participation_pct=r[15], business_volume=r[16],
            net_profit=r[17], agm_date=r[18], accounts_closed_date=r[19],
            acct_year_end=rules.acct_year_end_in(fiscal_year, m, d) if m and d else None))
    out.sort(key=lambda f: (thai_sort_key(f.name), f.id))
    return out


def year_facts(session: Session, user: User, fiscal_year: int) -> list[YearFacts]:
    """The year's facts of the institutions in the user's scope, by Thai name."""
    check_fiscal_year(fiscal_year)
    return _facts(session, institution_scope(session, user), fiscal_year)


def definitions(session: Session) -> KpiDefinitions:
    """The definitions file with the office's accounts-closing days."""
    defs = rules.load_definitions()
    days = accounts_close_days(session)
    out = tuple(replace(d, params=tuple({**d.param_map, "days": days}.items())) if d.formula == "accounts_on_time"
                else d for d in defs)
    return KpiDefinitions(out, defs.source)


# -- the report ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanKpis:
    """One work group's plan for the year and its KPI rows with actual figures."""

    plan_id: str
    group_id: str
    group_name: str
    revision: int
    state: str
    rows: tuple[PlanKpi, ...]  # app.rules.kpi.PlanKpi: line (KpiLine), link, result (None: not computed)
    institution_ids: tuple[str, ...]  # the facts the rows are measured over


@dataclass(frozen=True)
class KpiReport:
    fiscal_year: int
    as_of: date
    scope_label: str
    scope_kind: str  # all | group | own | none (app.services.scope)
    institution_ids: tuple[str, ...]  # every institution counted, by Thai name
    results: tuple[KpiResult, ...]  # every defined KPI, in the definitions file's order
    plans: tuple[PlanKpis, ...]  # by group order; empty when no plan for the year
    accounts_close_days: int

    def result(self, key: str) -> KpiResult | None:
        return next((r for r in self.results if r.key == key), None)

    def as_json(self) -> dict[str, Any]:
        """Plain values (Decimals as strings, dates ISO) for `coopdesk kpi --json`."""
        return {
            "fiscal_year": self.fiscal_year, "as_of": self.as_of.isoformat(), "scope": self.scope_label,
            "scope_kind": self.scope_kind, "institutions": len(self.institution_ids),
            "accounts_close_days": self.accounts_close_days,
            "kpis": [result_json(r) for r in self.results],
            "plans": [{
                "plan_id": p.plan_id, "group_id": p.group_id, "group": p.group_name, "revision": p.revision,
                "state": p.state, "institutions": len(p.institution_ids),
                "rows": [{"indicator": row.line.indicator, "target_text": row.line.target,
                          "key": row.link.key if row.link else None,
                          "target_source": row.link.target_source if row.link else "",
                          "result": result_json(row.result) if row.result else None} for row in p.rows],
            } for p in self.plans],
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def result_json(r: KpiResult) -> dict[str, Any]:
    return {
        "key": r.key, "label_th": r.label_th, "unit": r.unit, "numerator": r.numerator,
        "denominator": r.denominator, "value": _plain(r.value), "target": _plain(r.target),
        "target_unit": r.target_unit, "met": r.met, "numerator_ids": list(r.numerator_ids),
        "denominator_ids": list(r.denominator_ids), "excluded_ids": list(r.excluded_ids),
        "missing_ids": list(r.missing_ids), "note_th": r.note_th,
        "params": {k: _plain(v) for k, v in r.params},
    }


def _plans(session: Session, user: User, fiscal_year: int, scope_kind: str) -> list[tuple[Plan, str]]:
    """(plan, group name) of each group in the scope: newest approved revision, else newest."""
    if scope_kind == NONE or (scope_kind != ALL and user.group_id is None):
        return []
    q = (select(Plan, WorkGroup.name, WorkGroup.sort_order).join(WorkGroup, WorkGroup.id == Plan.group_id)
         .where(Plan.fiscal_year == fiscal_year, Plan.deleted_at.is_(None)))
    if scope_kind != ALL:
        q = q.where(Plan.group_id == user.group_id)
    best: dict[str, tuple[tuple[bool, int], Plan, str, int]] = {}
    for plan, name, order in session.execute(q):
        rank = (plan.state == approval.State.APPROVED, plan.revision)
        if plan.group_id not in best or rank > best[plan.group_id][0]:
            best[plan.group_id] = (rank, plan, name, order)
    chosen = sorted(best.values(), key=lambda b: (b[3], thai_sort_key(b[2])))
    return [(plan, name) for _rank, plan, name, _order in chosen]


def kpi_report(session: Session, user: User, fiscal_year: int, *, today: date | None = None) -> KpiReport:
    """Every defined KPI for the fiscal year over the user's scope, and the plan rows linked.

    today: the day the year is judged on (accounts not yet due are left out of the
    accounts-on-time KPI); default the real today."""
    check_fiscal_year(fiscal_year)
    as_of = today or date.today()
    scope = institution_scope(session, user)
    facts = _facts(session, scope, fiscal_year)
    ids = {f.id for f in facts}
    previous = _facts(session, scope, fiscal_year - 1, ids)
    defs = definitions(session)
    results = rules.compute_kpis(facts, fiscal_year, previous=previous, definitions=defs, as_of=as_of)
    plans = []
    for plan, group_name in _plans(session, user, fiscal_year, scope.kind):
        mine = [f for f in facts if f.group_id == plan.group_id]
        mine_ids = {f.id for f in mine}
        lines = [KpiLine(k.get("indicator", ""), k.get("target", "") or "") for k in plan.kpis or ()]
        rows = rules.plan_kpis(lines, mine, fiscal_year, previous=[p for p in previous if p.id in mine_ids],
                               definitions=defs, as_of=as_of)
        plans.append(PlanKpis(plan.id, plan.group_id, group_name, plan.revision, plan.state, tuple(rows),
                              tuple(f.id for f in mine)))
    return KpiReport(fiscal_year, as_of, scope.label_th, scope.kind, tuple(f.id for f in facts), tuple(results),
                     tuple(plans), accounts_close_days(session))


# -- the list behind a number -----------------------------------------------------------------------

class NamedInstitution(NamedTuple):
    id: str
    name: str
    officer_name: str


def institutions_named(session: Session, user: User, ids) -> list[NamedInstitution]:
    """(id, name, officer's name) of the given institutions in the given order ("click to
    see the list"); ids outside the user's scope, unknown or deleted are left out."""
    wanted = list(dict.fromkeys(ids))
    scope = institution_scope(session, user)
    if not wanted:
        return []
    found = {}
    for chunk_start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
        chunk = wanted[chunk_start:chunk_start + 500]
        q = scoped(select(Institution.id, Institution.name, User.full_name)
                   .outerjoin(User, User.id == Institution.officer_id)
                   .where(Institution.id.in_(chunk), Institution.deleted_at.is_(None)), scope)
        for r in session.execute(q):
            found[r[0]] = NamedInstitution(r[0], r[1], r[2] or "")
    return [found[i] for i in wanted if i in found]
