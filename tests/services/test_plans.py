"""Action plans through the services: edit as a document, approve, lock, revise, actuals."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.errors import LockedError, PermissionDenied, ValidationError
from app.models import ApprovalEvent, Plan, PlanActivityRow, PlanMonth
from app.rules.plan import MonthCell, content_fingerprint
from app.services import plans, users

FY = 2569


def with_months(doc, number, months):
    """The document with the first activity numbered `number` given these months."""
    done = False
    rows = []
    for a in doc.sheet.activities:
        if not done and a.number == number and not a.is_heading:
            a, done = replace(a, months=tuple(months)), True
        rows.append(a)
    assert done, number
    return replace(doc, sheet=replace(doc.sheet, activities=tuple(rows)))


def seven_meetings():
    # Seed 004's row (๑): 7 meetings of 1,750 baht in Nov–Jan, Feb, Mar, May, Jul.
    m = [MonthCell()] * 12
    for i in (1, 2, 3, 4, 5, 7, 9):
        m[i] = MonthCell(1, Decimal("1750"))
    return m


@pytest.fixture
def team(db, admin, make_user):
    return {
        "officer": make_user("off1", "officer", group=0),
        "director": make_user("dir1", "director", group=0),
        "other_director": make_user("dir2", "director", group=1),
        "head": make_user("head", "provincial_head", group=None),
        "outsider": make_user("off9", "officer", group=1),
    }


@pytest.fixture
def plan_id(db, team):
    officer = team["officer"]
    with db.transaction(officer.id) as s:
        group = users.list_groups(s)[0]
        doc = plans.template_document(FY, group.name)
        doc = with_months(doc, "(๑)", seven_meetings())
        plan = plans.create_plan(s, officer, group_id=group.id, fiscal_year=FY, document=doc,
                                 revision_label="แผนปฏิบัติงานครั้งที่ ๑")
        return plan.id


def test_template_plan_round_trips_through_the_database(db, team, plan_id):
    with db.session() as s:
        doc = plans.document_of(s, team["officer"], plan_id)
    assert doc.sheet.title == f"แผนปฏิบัติงานและงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. {FY}"
    assert [a.number for a in doc.sheet.activities[:4]] == ["", "", "๑", "๑.๑"]
    row = next(a for a in doc.sheet.activities if a.number == "(๑)")
    assert sum(c.baht for c in row.months) == Decimal("12250")
    assert doc.state == "draft" and doc.revision == 1


def test_saving_the_same_document_changes_nothing(db, team, plan_id):
    officer = team["officer"]
    with db.session() as s:
        doc = plans.document_of(s, officer, plan_id)
        seqs = sorted(s.scalars(select(PlanMonth.change_seq)))
    with db.transaction(officer.id) as s:
        plans.save_document(s, officer, plan_id, doc)
    with db.session() as s:
        assert sorted(s.scalars(select(PlanMonth.change_seq))) == seqs


def test_an_edit_touches_only_the_changed_cells(db, team, plan_id):
    officer = team["officer"]
    with db.session() as s:
        doc = plans.document_of(s, officer, plan_id)
    months = list(next(a for a in doc.sheet.activities if a.number == "(๑)").months)
    months[0] = MonthCell(2, Decimal("3500.50"))
    with db.transaction(officer.id) as s:
        before = s.scalar(select(func.max(PlanMonth.change_seq)))
        plans.save_document(s, officer, plan_id, with_months(doc, "(๑)", months))
    with db.session() as s:
        changed = s.scalars(select(PlanMonth).where(PlanMonth.change_seq > before)).all()
        assert [(m.month, m.work, m.baht) for m in changed] == [(0, 2, Decimal("3500.50"))]


def test_removed_rows_are_tombstoned(db, team, plan_id):
    officer = team["officer"]
    with db.session() as s:
        doc = plans.document_of(s, officer, plan_id)
    shorter = replace(doc, sheet=replace(doc.sheet, activities=doc.sheet.activities[:-1]))
    with db.transaction(officer.id) as s:
        plans.save_document(s, officer, plan_id, shorter)
    with db.session() as s:
        assert len(plans.document_of(s, officer, plan_id).sheet.activities) == len(doc.sheet.activities) - 1
        assert s.scalar(select(func.count()).select_from(PlanActivityRow).where(
            PlanActivityRow.deleted_at.is_not(None))) == 1


def test_submit_needs_acknowledgement_of_findings_then_approval_locks(db, team, plan_id):
    officer, director = team["officer"], team["director"]
    with db.session() as s:
        doc = plans.document_of(s, officer, plan_id)
    # state a wrong row total, like the seed's 13,650 for 7 × 1,750
    rows = tuple(replace(a, stated_total_baht=Decimal("13650")) if a.number == "(๑)" else a for a in doc.sheet.activities)
    with db.transaction(officer.id) as s:
        plans.save_document(s, officer, plan_id, replace(doc, sheet=replace(doc.sheet, activities=rows)))
    with db.session() as s:
        kinds = [f.kind for f in plans.findings_of(s, officer, plan_id)]
    assert "row_total_mismatch" in kinds
    with pytest.raises(ValidationError, match="ข้อสังเกต"), db.transaction(officer.id) as s:
        plans.submit_plan(s, officer, plan_id)
    with db.transaction(officer.id) as s:
        plans.submit_plan(s, officer, plan_id, acknowledge_findings=True)
    with db.session() as s:
        digest = plans.fingerprint_of(s, director, plan_id)
        event = s.scalar(select(ApprovalEvent).where(ApprovalEvent.step == "submit"))
        assert event.acknowledgement["kinds"] == sorted(set(kinds))
    with pytest.raises(LockedError), db.transaction(officer.id) as s:
        plans.save_document(s, officer, plan_id, doc)
    with db.transaction(director.id) as s:
        plans.approve_plan(s, director, plan_id, reviewed_hash=digest)
    with db.session() as s:
        approved = plans.document_of(s, officer, plan_id)
        assert approved.state == "approved"
        assert approved.approval.fingerprint == digest[:12] == content_fingerprint(approved.sheet)[:12]
    with pytest.raises(LockedError, match="ปรับแผน"), db.transaction(officer.id) as s:
        plans.save_document(s, officer, plan_id, doc)


def test_who_may_approve(db, team, plan_id):
    officer = team["officer"]
    with db.transaction(officer.id) as s:
        plans.submit_plan(s, officer, plan_id)
    with db.session() as s:
        digest = plans.fingerprint_of(s, officer, plan_id)
    for who in ("officer", "other_director", "outsider"):
        with pytest.raises(PermissionDenied), db.transaction(team[who].id) as s:
            plans.approve_plan(s, team[who], plan_id, reviewed_hash=digest)
    with pytest.raises(ValidationError, match="เหตุผล"), db.transaction(team["head"].id) as s:
        plans.return_plan(s, team["head"], plan_id, comment="  ")
    with db.transaction(team["head"].id) as s:
        plans.return_plan(s, team["head"], plan_id, comment="งบเดือน ธ.ค. ไม่ตรงกับยอดรวม")
    with db.session() as s:
        assert s.get(Plan, plan_id).state == "returned"
    with pytest.raises(PermissionDenied), db.transaction(team["head"].id) as s:
        plans.reopen_plan(s, team["head"], plan_id)  # only the owner takes it back
    with db.transaction(officer.id) as s:
        plans.reopen_plan(s, officer, plan_id)
    with db.session() as s:
        assert s.get(Plan, plan_id).state == "draft"
        assert [e.step for e in plans.history(s, officer, plan_id)] == ["submit", "return", "reopen"]


def test_approval_of_a_stale_view_is_refused(db, team, plan_id):
    officer, head = team["officer"], team["head"]
    with db.session() as s:
        stale = plans.fingerprint_of(s, head, plan_id)
        doc = plans.document_of(s, officer, plan_id)
    with db.transaction(officer.id) as s:
        plans.save_document(s, officer, plan_id, with_months(doc, "(๑)", [MonthCell(1, Decimal(1))] * 12))
        plans.submit_plan(s, officer, plan_id, acknowledge_findings=True)
    with pytest.raises(ValidationError, match="แก้ไขหลังจากที่คุณเปิดตรวจ"), db.transaction(head.id) as s:
        plans.approve_plan(s, head, plan_id, reviewed_hash=stale)


def test_revise_makes_a_new_draft_and_keeps_the_approved_revision(db, team, plan_id):
    officer, head = team["officer"], team["head"]
    with db.transaction(officer.id) as s:
        plans.submit_plan(s, officer, plan_id)
    with db.transaction(head.id) as s:
        plans.approve_plan(s, head, plan_id, reviewed_hash=plans.fingerprint_of(s, head, plan_id))
    with db.transaction(officer.id) as s:
        new = plans.revise_plan(s, officer, plan_id, revision_label="แผนปฏิบัติงานครั้งที่ ๒ (ปรับแผน)")
        new_id = new.id
    with db.session() as s:
        old_doc, new_doc = plans.document_of(s, officer, plan_id), plans.document_of(s, officer, new_id)
        assert (old_doc.state, new_doc.state, new_doc.revision) == ("approved", "draft", 2)
        assert [a.key for a in new_doc.sheet.activities] == [a.key for a in old_doc.sheet.activities]
        assert new_doc.sheet.activities == old_doc.sheet.activities
        summaries = plans.list_plans(s, officer, fiscal_year=FY)
        assert [(p.revision, p.is_latest) for p in summaries] == [(1, False), (2, True)]
    with pytest.raises(ValidationError), db.transaction(officer.id) as s:
        plans.revise_plan(s, officer, plan_id)


def test_outsiders_cannot_edit_and_nothing_changes(db, team, plan_id):
    outsider = team["outsider"]
    with db.session() as s:
        doc = plans.document_of(s, outsider, plan_id)
    with pytest.raises(PermissionDenied), db.transaction(outsider.id) as s:
        plans.save_document(s, outsider, plan_id, replace(doc, revision_label="x"))
    with pytest.raises(PermissionDenied), db.transaction(outsider.id) as s:
        plans.save_actual(s, outsider, plan_id, doc.sheet.activities[3].key, 0, work_done=1, baht_disbursed=Decimal(0))


def test_actuals_feed_progress_and_the_s_curve(db, team, plan_id):
    officer = team["officer"]
    with db.session() as s:
        doc = plans.document_of(s, officer, plan_id)
    key = next(a.key for a in doc.sheet.activities if a.number == "(๑)")
    with db.transaction(officer.id) as s:
        plans.save_actual(s, officer, plan_id, key, 1, work_done=1, baht_disbursed=Decimal("1700"))
        plans.save_actual(s, officer, plan_id, key, 2, work_done=1, baht_disbursed=Decimal("1750"))
        plans.save_actual(s, officer, plan_id, key, 2, work_done=1, baht_disbursed=Decimal("1800"))  # corrected
    with db.session() as s:
        prog = plans.progress(s, officer, plan_id)
    assert prog.planned_baht_cumulative[-1] == Decimal("12250")
    assert prog.planned_baht_cumulative[:3] == (Decimal(0), Decimal(1750), Decimal(3500))
    assert prog.disbursed_baht_cumulative[:4] == (Decimal(0), Decimal(1700), Decimal(3500), Decimal(3500))
    row = next(a for a in prog.activities if a.key == key)
    assert [c.work for c in row.actual[:3]] == [0, 1, 1]
    with pytest.raises(ValidationError), db.transaction(officer.id) as s:
        plans.save_actual(s, officer, plan_id, key, 12, work_done=1, baht_disbursed=Decimal(0))


def test_one_plan_per_group_and_year(db, team, plan_id):
    officer = team["officer"]
    with pytest.raises(ValidationError, match="มีแผนปฏิบัติงาน"), db.transaction(officer.id) as s:
        plans.create_plan(s, officer, group_id=users.list_groups(s)[0].id, fiscal_year=FY)
