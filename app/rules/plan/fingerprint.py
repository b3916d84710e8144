"""A fingerprint of a plan's content: what an approval signs and a printed sheet shows.

Only what a reader of the sheet sees goes in: header, budget, stated totals, and the rows
in order with their numbers, titles, targets and month cells. Row keys (database ids) and
the importer's unreadable cells do not, so a copy made for a new revision has the same
fingerprint until someone changes it, and 13650 hashes like 13650.00.
"""

from __future__ import annotations

from app.rules.approval import content_hash, short_hash
from app.rules.plan.model import PlanActivity, PlanSheet, StatedCell

FORMAT = "coopdesk.action_plan/1"  # bump when the canonical form changes


def _stated(cell: StatedCell | None):
    return None if cell is None else [cell.work, cell.baht]


def _activity(a: PlanActivity) -> dict[str, object]:
    return {
        "number": a.number,
        "title": a.title,
        "heading": a.is_heading,
        "level": a.level,
        "target": a.target_quantity,
        "unit": a.unit,
        "total_work": a.stated_total_work,
        "total_baht": a.stated_total_baht,
        "responsible": a.responsible,
        "months": [[m.work, m.baht] for m in a.months],
    }


def canonical_content(sheet: PlanSheet) -> dict[str, object]:
    return {
        "format": FORMAT,
        "title": sheet.title,
        "fiscal_year": sheet.fiscal_year,
        "header": [list(pair) for pair in sheet.header],
        "budget_total": sheet.budget_total,
        "stated_month_totals": (None if sheet.stated_month_totals is None
                                else [_stated(c) for c in sheet.stated_month_totals]),
        "stated_total": _stated(sheet.stated_total),
        "activities": [_activity(a) for a in sheet.activities],
    }


def content_fingerprint(sheet: PlanSheet) -> str:
    """sha256 (64 hex) of the plan's canonical JSON; `short_fingerprint` for printing."""
    return content_hash(canonical_content(sheet))


def short_fingerprint(sheet: PlanSheet) -> str:
    """First 12 hex digits of the fingerprint, for the footer of a printed sheet."""
    return short_hash(content_fingerprint(sheet))
