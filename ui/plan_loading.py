"""What the plan page shows, read through the plan service in a worker thread and handed
back as plain frozen values (ORM rows belong to the worker's session and thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.rules.plan.document import PlanDocument
from app.services import plans
from app.services.plans import PlanProgress, PlanSummary
from app.thai import thai_sort_key
from ui.context import AppContext


@dataclass(frozen=True)
class HistoryLine:
    step: str
    to_state: str
    who: str
    at: datetime
    comment: str
    acknowledged_findings: int | None  # a submission with findings: how many were acknowledged
    content_hash: str


@dataclass(frozen=True)
class OpenPlan:
    id: str
    group_id: str
    group_name: str
    fiscal_year: int
    revision: int
    state: str
    owner_id: str
    owner_name: str
    is_latest: bool
    doc: PlanDocument
    history: tuple[HistoryLine, ...]
    progress: PlanProgress


def load_summaries(ctx: AppContext) -> list[PlanSummary]:
    """Every plan, newest fiscal year first, groups in Thai order, latest revision first."""
    with ctx.db.session() as s:
        rows = plans.list_plans(s, ctx.user)
    return sorted(rows, key=lambda p: (-p.fiscal_year, thai_sort_key(p.group_name), -p.revision))


def load_plan(ctx: AppContext, plan_id: str) -> OpenPlan:
    with ctx.db.session() as s:
        plan = plans.get_plan(s, ctx.user, plan_id)
        latest = plans.latest_plan(s, ctx.user, plan.group_id, plan.fiscal_year)
        history = tuple(
            HistoryLine(e.step, e.to_state, e.actor.full_name, e.at, e.comment,
                        e.acknowledgement.get("finding_count") if e.acknowledgement else None, e.content_hash)
            for e in plans.history(s, ctx.user, plan_id)
        )
        return OpenPlan(
            id=plan.id, group_id=plan.group_id, group_name=plan.group.name, fiscal_year=plan.fiscal_year,
            revision=plan.revision, state=plan.state, owner_id=plan.owner_id, owner_name=plan.owner.full_name,
            is_latest=latest is not None and latest.id == plan.id, doc=plans.document_of(s, ctx.user, plan_id),
            history=history, progress=plans.progress(s, ctx.user, plan_id),
        )
