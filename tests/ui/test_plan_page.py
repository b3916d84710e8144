"""The plan page with a real database: save and reopen, locked plans, submitting with an
acknowledgement of findings, approving what is on screen (and who may), returning with a
comment, revising, new plans, and asking before unsaved edits are lost."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.errors import PermissionDenied
from app.rules.plan import content_fingerprint
from app.services import plans, users
from tests.ui.test_plan_grid import MEETING_TITLE, seed_document
from ui import plan_page
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.plan_columns import BAHT, COLUMN_OF, TITLE, WORK, month_column
from ui.plan_dialogs import ApproveDialog, NewPlanDialog, SubmitDialog, TextDialog
from ui.plan_page import PlanPage

FY = 2569
ACCEPTED = QDialog.DialogCode.Accepted


@pytest.fixture
def team(db, admin, make_user):
    return {"officer": make_user("off1", "officer", group=0), "director": make_user("dir1", "director", group=0),
            "other_director": make_user("dir2", "director", group=1)}


def create(db, user, fiscal_year=FY, stated_total=None) -> str:
    with db.transaction(user.id) as s:
        group = users.list_groups(s)[0]
        return plans.create_plan(s, user, group_id=group.id, fiscal_year=fiscal_year,
                                 document=seed_document(stated_total)).id


@pytest.fixture
def plan_id(db, team):
    """Group 1's draft with the seed's slip: 13,650 stated for 7 × 1,750."""
    return create(db, team["officer"], stated_total=Decimal("13650"))


def open_page(qtbot, db, user, plan_id=None) -> PlanPage:
    page = PlanPage(AppContext(db, user))
    qtbot.addWidget(page)
    page.resize(1300, 720)
    page.show()
    qtbot.waitUntil(lambda: page.loading.done and (page.opening is None or page.opening.done), timeout=5000)
    if plan_id is not None:
        page.open_plan(plan_id)
        qtbot.waitUntil(lambda: page.opening.done and page.current is not None and page.current.id == plan_id,
                        timeout=5000)
    return page


def state_of(db, user, plan_id) -> str:
    with db.session() as s:
        return plans.get_plan(s, user, plan_id).state


def submit(db, user, plan_id) -> None:
    with db.transaction(user.id) as s:
        plans.submit_plan(s, user, plan_id, acknowledge_findings=True)


def test_saving_writes_the_document_and_reopening_shows_the_same(qtbot, db, team, plan_id, monkeypatch):
    officer = team["officer"]
    page = open_page(qtbot, db, officer, plan_id)
    model = page.grid.model
    assert page.editable() and not page.save_button.isEnabled()
    model.setData(model.index(3, month_column(0, WORK)), "๒")
    model.setData(model.index(3, month_column(0, BAHT)), "๑,๗๕๐.๕๐")
    page.header.title.setText("แผนปฏิบัติงานทดสอบ")
    page.header.budget_total.setText("90,000")
    page.header.budget_total.editingFinished.emit()
    assert page.is_dirty() and page.save_button.isEnabled() and "ยังไม่บันทึก" in page.plan_title.text()
    page.save_action.trigger()  # Ctrl+S
    assert not page.is_dirty() and "ยังไม่บันทึก" not in page.plan_title.text()
    with db.session() as s:
        stored = plans.document_of(s, officer, plan_id)
    on_screen = page.document()
    assert stored.sheet.activities == on_screen.sheet.activities
    assert stored.header == on_screen.header
    assert (stored.sheet.title, stored.sheet.budget_total) == ("แผนปฏิบัติงานทดสอบ", Decimal("90000"))
    assert stored.sheet.activities[3].months[0].baht == Decimal("1750.50")
    model.undo_stack.undo()  # undo still works after saving: it is an edit to save again
    assert page.is_dirty()
    model.undo_stack.redo()

    again = open_page(qtbot, db, officer, plan_id)
    assert again.grid.model.index(3, month_column(0, BAHT)).data() == "1,750.50"
    assert again.header.title.text() == "แผนปฏิบัติงานทดสอบ"

    model.setData(model.index(4, month_column(0, WORK)), "3")
    monkeypatch.setattr(page, "ask_unsaved", lambda: plan_page.CANCEL)
    assert not page.may_leave()
    monkeypatch.setattr(page, "ask_unsaved", lambda: plan_page.DISCARD)
    assert page.may_leave() and not page.is_dirty()


def test_the_main_window_asks_about_unsaved_edits_before_closing(qtbot, db, team, plan_id, monkeypatch):
    window = MainWindow(AppContext(db, team["officer"]))
    qtbot.addWidget(window)
    window.show()
    window.show_page("plan")
    page = window.page("plan")
    qtbot.waitUntil(lambda: page.loading.done, timeout=5000)
    page.open_plan(plan_id)
    qtbot.waitUntil(lambda: page.current is not None, timeout=5000)
    page.grid.model.setData(page.grid.model.index(3, COLUMN_OF[TITLE]), "แก้ชื่อกิจกรรม")
    asked = []
    monkeypatch.setattr(page, "ask_unsaved", lambda: asked.append(1) or plan_page.CANCEL)
    window.close()
    assert asked and window.isVisible()
    logged_out = []
    window.logout_requested.connect(lambda: logged_out.append(1))
    window.logout()  # cancelled at the prompt: no logout now, and none pending for later
    assert window.isVisible() and not logged_out and not window._leaving_for_login
    monkeypatch.setattr(page, "ask_unsaved", lambda: plan_page.SAVE)
    window.close()
    assert not window.isVisible()
    with db.session() as s:
        assert plans.document_of(s, team["officer"], plan_id).sheet.activities[3].title == "แก้ชื่อกิจกรรม"


def test_submitting_with_findings_needs_the_acknowledgement_and_records_it(qtbot, db, team, plan_id, monkeypatch):
    officer = team["officer"]
    page = open_page(qtbot, db, officer, plan_id)
    row = next(i for i, a in enumerate(page.grid.model.activities) if a.title == MEETING_TITLE)
    assert page.grid.model.marked(row, COLUMN_OF["total_baht"])  # the slip is tinted
    assert page.submit_button.isEnabled()
    shown = []

    def answer(tick: bool):
        def exec_(dialog):
            shown.append(dialog)
            assert not dialog.ok_button.isEnabled()  # the box is required
            dialog.acknowledge.setChecked(tick)
            assert dialog.ok_button.isEnabled() == tick
            return ACCEPTED  # even if the dialog were got past without ticking
        return exec_

    monkeypatch.setattr(SubmitDialog, "exec", answer(False))
    page.workflow.submit()
    assert state_of(db, officer, plan_id) == "draft"
    assert "13,650.00" in shown[0].model.index(0, 1).data()
    monkeypatch.setattr(SubmitDialog, "exec", answer(True))
    page.workflow.submit()
    qtbot.waitUntil(lambda: page.current.state == "submitted", timeout=5000)
    with db.session() as s:
        event = plans.history(s, officer, plan_id)[-1]
        assert event.step == "submit" and event.acknowledgement["finding_count"] == 1
    assert not page.grid.model.index(3, month_column(0, BAHT)).flags() & Qt.ItemFlag.ItemIsEditable
    assert page.grid.banner.isVisibleTo(page) and page.grid.banner_button.text() == "ถอนเรื่อง"
    assert page.history_model.rowCount() == 1 and "รับทราบข้อสังเกต" in page.history_model.index(0, 1).data()


def test_a_director_of_the_group_approves_what_is_on_screen_and_an_officer_cannot(qtbot, db, team, plan_id,
                                                                                     monkeypatch):
    officer, director = team["officer"], team["director"]
    submit(db, officer, plan_id)
    own = open_page(qtbot, db, officer, plan_id)
    assert not own.approve_button.isEnabled() and not own.return_button.isEnabled()
    assert not own.grid.model.setData(own.grid.model.index(3, month_column(0, WORK)), "1")  # locked
    with db.session() as s:
        digest = plans.fingerprint_of(s, officer, plan_id)
    with pytest.raises(PermissionDenied), db.transaction(officer.id) as s:
        plans.approve_plan(s, officer, plan_id, reviewed_hash=digest)
    other = open_page(qtbot, db, team["other_director"], plan_id)
    assert not other.approve_button.isEnabled()

    page = open_page(qtbot, db, director, plan_id)
    assert page.approve_button.isEnabled() and page.return_button.isEnabled()
    seen = []

    def approve(dialog):
        seen.append(dialog.fingerprint)
        return ACCEPTED

    monkeypatch.setattr(ApproveDialog, "exec", approve)
    page.approve_button.click()
    qtbot.waitUntil(lambda: page.current.state == "approved", timeout=5000)
    assert seen == [digest] == [content_fingerprint(page.current.doc.sheet)]
    assert "อนุมัติแล้ว" in page.grid.banner_label.text() and digest[:12] in page.grid.banner_label.text()
    assert page.grid.model.read_only and not page.approve_button.isEnabled()


def test_an_edit_after_opening_makes_the_approval_fail(qtbot, db, team, plan_id, monkeypatch, dialogs):
    officer, director = team["officer"], team["director"]
    submit(db, officer, plan_id)
    page = open_page(qtbot, db, director, plan_id)
    with db.transaction(officer.id) as s:  # withdrawn, changed and sent again meanwhile
        plans.withdraw_plan(s, officer, plan_id)
        doc = plans.document_of(s, officer, plan_id)
        shorter = replace(doc, sheet=replace(doc.sheet, activities=doc.sheet.activities[1:]))
        plans.save_document(s, officer, plan_id, shorter)
        plans.submit_plan(s, officer, plan_id, acknowledge_findings=True)
    monkeypatch.setattr(ApproveDialog, "exec", lambda dialog: ACCEPTED)
    page.workflow.approve()
    assert "แก้ไขหลังจากที่คุณเปิดตรวจ" in dialogs.take_warnings()[0]
    assert state_of(db, officer, plan_id) == "submitted"


def test_returning_needs_a_comment_that_the_owner_then_sees(qtbot, db, team, plan_id, monkeypatch):
    officer, director = team["officer"], team["director"]
    submit(db, officer, plan_id)
    page = open_page(qtbot, db, director, plan_id)

    def comment(dialog):
        assert not dialog.ok_button.isEnabled()
        dialog.set_text("ยอดรวมค่าประชุมไม่ตรง")
        assert dialog.ok_button.isEnabled()
        return ACCEPTED

    monkeypatch.setattr(TextDialog, "exec", comment)
    page.workflow.send_back()
    qtbot.waitUntil(lambda: page.current.state == "returned", timeout=5000)
    owner = open_page(qtbot, db, officer, plan_id)
    assert owner.editable() and "ยอดรวมค่าประชุมไม่ตรง" in owner.grid.banner_label.text()
    owner.workflow.reopen()  # back to draft as it is, to resubmit without an edit
    qtbot.waitUntil(lambda: owner.current.state == "draft", timeout=5000)


def test_revising_an_approved_plan_opens_a_new_draft_and_keeps_the_old_one_readable(qtbot, db, team, plan_id,
                                                                                     monkeypatch):
    officer, director = team["officer"], team["director"]
    submit(db, officer, plan_id)
    with db.transaction(director.id) as s:
        plans.approve_plan(s, director, plan_id, reviewed_hash=plans.fingerprint_of(s, director, plan_id))
    page = open_page(qtbot, db, officer, plan_id)
    assert page.grid.model.read_only and page.revise_button.isEnabled()
    assert page.grid.banner_button.text() == "ปรับแผน…"
    monkeypatch.setattr(TextDialog, "exec", lambda dialog: ACCEPTED)
    page.grid.banner_button.click()
    qtbot.waitUntil(lambda: page.current.revision == 2, timeout=5000)
    assert page.editable() and page.current.doc.revision_label == "แผนปฏิบัติงานครั้งที่ ๒"
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 2, timeout=5000)
    assert [p.revision for p in page.summaries] == [2, 1]  # the latest revision first
    page.plan_list.selectRow(1)
    page.open_selected()
    qtbot.waitUntil(lambda: page.current.revision == 1, timeout=5000)
    assert page.grid.model.read_only and "ใหม่กว่า" in page.grid.banner_label.text()
    assert not page.revise_button.isEnabled()


def test_a_new_plan_starts_from_last_years_plan(qtbot, db, team, plan_id, monkeypatch):
    officer = team["officer"]
    page = open_page(qtbot, db, officer)

    def choose(dialog):
        dialog.year.setCurrentIndex(dialog.year.findData(FY + 1))
        assert dialog.from_last_year.isEnabled()
        dialog.from_last_year.setChecked(True)
        return ACCEPTED

    monkeypatch.setattr(NewPlanDialog, "exec", choose)
    page.new_button.click()
    qtbot.waitUntil(lambda: page.current is not None and page.current.fiscal_year == FY + 1, timeout=5000)
    with db.session() as s:
        last_year = plans.document_of(s, officer, plan_id).sheet.activities
    assert [(a.title, a.months) for a in page.current.doc.sheet.activities] == [(a.title, a.months) for a in last_year]
