"""Demo action plans: each promotion group's plan built from the template with plausible
monthly work and money, in the states an office really has at once — last year's plan
approved with a year of actuals, and this year's plans approved, waiting for approval,
and still a draft with a slip the checks catch (like seed 004's 13,650 for 7 × 1,750)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from app.models import User
from app.rules.plan import EMPTY_MONTHS, MONTHS, MonthCell, PlanActivity, content_fingerprint, is_leaf, row_totals, subtotal
from app.rules.plan.document import BudgetLine, KpiLine, Person, PlanDocument, TargetLine
from app.services import plans, users
from app.thai import fiscal_months, fiscal_year, to_thai_digits

SPENDING_HEADING = "แผนการใช้จ่ายงบประมาณ"
MEETING_BAHT = Decimal("1750")
KPI_TARGETS = ("ร้อยละ ๖๕", "ร้อยละ ๑", "ร้อยละ ๕๑", "ร้อยละ ๑๐", "ร้อยละ ๕๐", "ร้อยละ ๕๐", "ร้อยละ ๑๐๐", "ร้อยละ ๑๐๐")


def _months(rng: random.Random, work_months: list[int], work: int = 1, baht: Decimal = Decimal(0)) -> tuple:
    cells = [MonthCell()] * MONTHS
    for m in work_months:
        cells[m] = MonthCell(work, baht)
    return tuple(cells)


def _fill_rows(rng: random.Random, doc: PlanDocument, institutions: int) -> tuple[PlanActivity, ...]:
    rows, spending = [], False
    for a in doc.sheet.activities:
        if a.is_heading:
            spending = a.title == SPENDING_HEADING
            rows.append(a)
            continue
        if not a.unit:  # step headings such as "๑ การวางแผนการปฏิบัติงาน" carry no figures
            rows.append(a)
            continue
        if spending and a.number == "(๑)":
            months = _months(rng, [1, 2, 3, 4, 5, 7, 9], 1, MEETING_BAHT)
        elif spending and a.number == "(๒)":
            months = tuple(MonthCell(rng.randint(3, 6), Decimal(rng.choice((4000, 4500, 5000, 5500))))
                           for _ in range(MONTHS))
        elif spending:
            months = tuple(MonthCell(1, Decimal(rng.choice((800, 1000, 1200)))) for _ in range(MONTHS))
        elif a.unit == "แห่ง":
            per_month = max(1, institutions // MONTHS)
            months = tuple(MonthCell(per_month + (1 if m < institutions % MONTHS else 0)) for m in range(MONTHS))
        else:
            months = _months(rng, sorted(rng.sample(range(MONTHS), rng.randint(1, 4))))
        rows.append(replace(a, months=months))
    # Figures sit on the leaf rows, as on the official sheet; a parent row's target is what
    # its rows below add up to (the rules compare a target with the whole subtree).
    sheet = replace(doc.sheet, activities=tuple(rows))
    leaves_only = replace(sheet, activities=tuple(
        a if is_leaf(sheet, a.key) else replace(a, months=EMPTY_MONTHS) for a in rows))
    return tuple(replace(a, target_quantity=subtotal(leaves_only, a.key).work) if a.unit else a
                 for a in leaves_only.activities)


def _document(rng: random.Random, fy: int, group, director: User, officers: list[User], head: User,
              institutions: int) -> PlanDocument:
    doc = plans.template_document(fy, group.name)
    rows = _fill_rows(rng, doc, institutions)
    spending_total = sum((row_totals(a).baht for a in rows), Decimal(0))
    header = replace(
        doc.header,
        responsible=Person(director.full_name, director.position),
        practitioners=tuple(Person(o.full_name, o.position) for o in officers),
        targets=(TargetLine("สหกรณ์", max(1, institutions * 2 // 3), "แห่ง"),
                 TargetLine("กลุ่มเกษตรกร", max(1, institutions // 3), "แห่ง")),
        budget_lines=(BudgetLine("งบบุคลากร", None), BudgetLine("งบดำเนินงาน", spending_total)),
        kpis=tuple(KpiLine(k.indicator, t) for k, t in zip(doc.header.kpis, KPI_TARGETS, strict=True)),
        proposer=Person(officers[0].full_name, officers[0].position),
        lead=Person(director.full_name, director.position),
        approver=Person(head.full_name, head.position),
    )
    sheet = replace(doc.sheet, activities=rows, budget_total=spending_total)
    return PlanDocument(header, sheet, revision_label=f"แผนปฏิบัติงานประจำปีงบประมาณ พ.ศ. {to_thai_digits(fy)}")


def add_demo_plans(s: Session, people: dict[str, User], seed: int, today: date,
                   institutions_per_group: dict[str, int]) -> int:
    """Write the demo plans through the plan service; returns how many plans were made."""
    rng = random.Random(f"{seed}/plans")
    head = people["head"]
    groups = users.list_groups(s)[:3]
    fy = fiscal_year(today)
    made = 0

    def make(group, year: int, state: str, *, slip: bool = False, actual_months: int = 0) -> None:
        nonlocal made
        director = next(u for u in people.values() if u.group_id == group.id and "director" in u.roles)
        officers = [u for u in people.values() if u.group_id == group.id and "officer" in u.roles]
        owner = officers[0]
        doc = _document(rng, year, group, director, officers, head, institutions_per_group.get(group.id, 10))
        if slip:  # the seed's slip: 7 meetings × 1,750 stated as 13,650
            rows = tuple(replace(a, stated_total_baht=Decimal("13650")) if a.number == "(๑)"
                         and a.months[1].baht == MEETING_BAHT else a for a in doc.sheet.activities)
            doc = replace(doc, sheet=replace(doc.sheet, activities=rows))
        plan = plans.create_plan(s, owner, group_id=group.id, fiscal_year=year, document=doc,
                                 revision_label=doc.revision_label)
        made += 1
        if state in ("submitted", "approved"):
            plans.submit_plan(s, owner, plan.id, acknowledge_findings=True)
        if state == "approved":
            plans.approve_plan(s, head, plan.id, reviewed_hash=content_fingerprint(plans.document_of(s, head, plan.id).sheet))
        activities = plans.document_of(s, owner, plan.id).sheet.activities if actual_months else ()
        for a in activities:
            for m in range(actual_months):
                planned = a.months[m]
                if planned.work or planned.baht:
                    done = max(0, planned.work - rng.choice((0, 0, 0, 1)))
                    spent = (planned.baht * Decimal(rng.choice(("1", "1", "0.9", "0.95")))).quantize(Decimal("1"))
                    plans.save_actual(s, owner, plan.id, a.key, m, work_done=done, baht_disbursed=spent)

    elapsed = sum(1 for first in fiscal_months(fy) if first <= today.replace(day=1)) - 1
    make(groups[0], fy - 1, "approved", actual_months=MONTHS)
    make(groups[0], fy, "approved", actual_months=elapsed)
    make(groups[1], fy, "submitted")
    make(groups[2], fy, "draft", slip=True)
    return made
