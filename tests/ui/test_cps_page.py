"""The CPS page and the visit dialog on a real SQLite file built through the services:
dragging a visit to another day, scheduling a suggestion, conflicts, the report typed with
the keyboard, follow-ups carried and resolved, who may edit, the returned banner, and the
travel plan's steps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog

from app.errors import PermissionDenied
from app.models import FollowUpItem, TravelPlan, Visit
from app.rules.approval import State
from app.rules.registry import InstitutionData
from app.services import registry
from app.services import visits as svc
from app.services.visits import NewFollowUp, VisitPlan, VisitReport
from ui import ops
from ui.context import AppContext
from ui.cps_page import CpsPage, short_name
from ui.main_window import MainWindow
from ui.plan_dialogs import TextDialog
from ui.visit_dialog import DROP, RESOLVE, VisitDialog, parse_time
from ui.widgets.month_calendar import MIME_INSTITUTION

NOV = date(2026, 11, 1)
TODAY = date(2026, 11, 30)


@pytest.fixture
def team(db, admin, make_user):
    return {"officer": make_user("off1", "officer", group=0, name="นางสาวปิยะนุช จันทร์หอม"),
            "colleague": make_user("off2", "officer", group=0, name="นายวีระพงษ์ อินทร์แก้ว"),
            "director": make_user("dir1", "director", group=0, name="นางสาววรรณา แก้วมณี"),
            "head": make_user("head", "provincial_head", group=None)}


def add_institution(db, admin, name, officer, reg_no):
    with db.transaction(admin.id) as s:
        return registry.create_institution(s, admin, InstitutionData(
            reg_no=reg_no, name=name, kind="coop", coop_type="agriculture", district_code="6201",
            officer_id=officer.id, group_id=officer.group_id, acct_year_end_month=3, acct_year_end_day=31)).id


@pytest.fixture
def coops(db, admin, team):
    o = team["officer"]
    return {"a": add_institution(db, admin, "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", o, "กพ 000001"),
            "b": add_institution(db, admin, "สหกรณ์การเกษตรคลองขลุง จำกัด", o, "กพ 000002"),
            "c": add_institution(db, admin, "สหกรณ์การเกษตรพรานกระต่าย จำกัด", team["colleague"], "กพ 000003")}


def plan_visit(db, user, officer, inst, day=date(2026, 11, 10), **kw) -> str:
    with db.transaction(user.id) as s:
        return svc.create_visit(s, user, officer.id, VisitPlan(inst, day, **kw)).id


def visit(db, visit_id) -> Visit:
    with db.session() as s:
        v = s.get(Visit, visit_id)
        s.expunge(v)
        return v


def plan_state(db, visit_id) -> str:
    with db.session() as s:
        return s.get(Visit, visit_id).travel_plan.state


def approve_trip(db, officer, director, visit_id) -> None:
    with db.transaction(officer.id) as s:
        plan_id = s.get(Visit, visit_id).travel_plan_id
        svc.submit_travel_plan(s, officer, plan_id)
    with db.transaction(director.id) as s:
        plan = s.get(TravelPlan, plan_id)
        svc.approve_travel_plan(s, director, plan_id, reviewed_hash=svc.travel_plan_hash(s, plan))


def settle(qtbot, page: CpsPage) -> None:
    """Wait until every background read has been delivered."""
    qtbot.waitUntil(lambda: not ops.running() and page.loading is not None and page.loading.done
                    and page._reload_pending is None, timeout=8000)


def open_page(qtbot, db, user) -> CpsPage:
    page = CpsPage(AppContext(db, user), today=TODAY)
    qtbot.addWidget(page)
    page.resize(1300, 820)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, page)
    assert page.data is not None and page.data.month == NOV
    return page


def type_thai(widget, text: str) -> None:
    """Key presses carrying Thai text, as a Thai keyboard layout sends them (QTest.keyClicks
    only knows Latin-1 keys)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def open_dialog(qtbot, page: CpsPage, visit_id: str) -> VisitDialog:
    dialog = page.open_visit(visit_id)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


# -- the calendar --------------------------------------------------------------------------------

def test_dragging_a_visit_chip_saves_its_new_date(qtbot, db, team, coops):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"], planned_time="09:30")
    page = open_page(qtbot, db, o)
    cal = page.calendar
    start = cal.chip_rect(v).center()
    target = cal.day_rect(date(2026, 11, 18)).center()
    qtbot.mousePress(cal, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(cal, pos=start + QPoint(25, 10))
    qtbot.mouseMove(cal, pos=target)
    qtbot.mouseRelease(cal, Qt.MouseButton.LeftButton, pos=target)
    settle(qtbot, page)
    moved = visit(db, v)
    assert (moved.planned_date, moved.planned_time) == (date(2026, 11, 18), "09:30")
    assert cal.chip(v).day == date(2026, 11, 18) and cal.selected_visit == v  # selection kept
    assert cal.day_rect(date(2026, 11, 18)).contains(cal.chip_rect(v))


def test_moving_a_visit_of_an_approved_travel_plan_asks_and_sends_it_back_for_approval(qtbot, db, team, coops,
                                                                                      dialogs):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"])
    approve_trip(db, o, team["director"], v)
    page = open_page(qtbot, db, o)
    assert page.data.view.travel_state == State.APPROVED

    dialogs.answer = False  # the officer thinks again: nothing changes
    page.calendar.visit_moved.emit(v, date(2026, 11, 11))
    assert "ส่งขออนุมัติใหม่" in dialogs.questions[-1]
    assert visit(db, v).planned_date == date(2026, 11, 10) and plan_state(db, v) == State.APPROVED

    dialogs.answer = True
    page.calendar.visit_moved.emit(v, date(2026, 11, 11))
    settle(qtbot, page)
    assert visit(db, v).planned_date == date(2026, 11, 11)
    assert plan_state(db, v) == State.NEEDS_REAPPROVAL
    assert page.data.view.travel_state == State.NEEDS_REAPPROVAL
    assert "รออนุมัติใหม่" in page.travel_label.text()
    assert page.submit_button.isEnabled()


def test_chips_of_a_submitted_plan_and_of_recorded_visits_do_not_move(qtbot, db, team, coops):
    o = team["officer"]
    done = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 9))
    with db.transaction(o.id) as s:
        svc.save_report(s, o, done, VisitReport(actual_date=date(2026, 11, 9), findings="ปกติ"), today=TODAY)
    planned = plan_visit(db, o, o, coops["b"], day=date(2026, 11, 12))
    page = open_page(qtbot, db, o)
    assert not page.calendar.chip(done).movable and page.calendar.chip(planned).movable
    page.calendar.drag_refused.emit(done)
    assert "บันทึกผลแล้ว" in page.hint.text()
    with db.transaction(o.id) as s:
        svc.submit_travel_plan(s, o, visit(db, planned).travel_plan_id)
    page.reload()
    settle(qtbot, page)
    assert not page.calendar.chip(planned).movable
    assert not page.new_button.isEnabled() and page.withdraw_button.isEnabled()


def test_conflicts_are_listed_marked_on_the_chips_and_select_the_visit(qtbot, db, team, coops):
    o = team["officer"]
    first = plan_visit(db, o, o, coops["a"], planned_time="09:00")
    second = plan_visit(db, o, o, coops["b"], planned_time="10:00")
    weekend = plan_visit(db, o, o, coops["b"], day=date(2026, 11, 14))
    page = open_page(qtbot, db, o)
    texts = [page.conflict_model.index(r, 0).data() for r in range(page.conflict_model.rowCount())]
    assert len(texts) == 2 and "ซ้อนกัน" in texts[0] and "วันหยุดสุดสัปดาห์" in texts[1]
    assert page.calendar.chip(first).warning and page.calendar.chip(second).warning
    assert page.calendar.chip(weekend).warning
    assert "(๒)" in page.conflicts_title.text()
    page.select_conflict(page.conflict_model.index(1, 0))
    assert page.calendar.selected_visit == weekend and page.calendar.selected_date == date(2026, 11, 14)


def test_scheduling_a_suggestion_creates_the_visit_with_its_reasons(qtbot, db, team, coops):
    o = team["officer"]
    page = open_page(qtbot, db, o)
    op = page.load_suggestions()
    qtbot.waitUntil(lambda: op.done, timeout=8000)
    rows = page.suggestion_rows
    assert {r.suggestion.institution_id for r in rows} == {coops["a"], coops["b"]}  # never visited
    assert "ยังไม่เคยเยี่ยม" in rows[0].findChildren(type(page.hint))[1].text()
    row = rows[0]
    qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    with db.session() as s:
        created = s.query(Visit).filter(Visit.institution_id == row.suggestion.institution_id).one()
        assert created.planned_date == row.suggestion.suggested_day and created.officer_id == o.id
        assert "ยังไม่เคยเยี่ยม" in created.purpose
        created_id = created.id
    assert not row.button.isEnabled()
    assert page.calendar.chip(created_id) is not None and page.calendar.selected_visit == created_id


def test_a_planned_visit_from_an_empty_day(qtbot, db, team, coops):
    o = team["officer"]
    page = open_page(qtbot, db, o)
    page.calendar.day_activated.emit(date(2026, 11, 19))
    dialog = page.visit_dialog
    assert dialog is not None and dialog.planned_date.date() == date(2026, 11, 19)
    assert not dialog.tabs.isTabEnabled(1)  # the report comes once the visit exists
    dialog.institution.setFocus()
    type_thai(dialog.institution.lineEdit(), "สหกรณ์การเกษตรคลองขลุง จำกัด")
    type_thai(dialog.time, "๑๓.๓๐")  # Thai digits and a dot, as people write times
    dialog.save_and_close()
    settle(qtbot, page)
    with db.session() as s:
        v = s.query(Visit).one()
        assert (v.institution_id, v.planned_date, v.planned_time) == (coops["b"], date(2026, 11, 19), "13:30")
    assert page.calendar.chip(v.id) is not None


def test_an_institution_dropped_on_a_day_plans_a_visit_there(qtbot, db, team, coops):
    o = team["officer"]
    page = open_page(qtbot, db, o)
    names = [page.inst_model.rows[r].name for r in range(page.inst_model.rowCount())]
    assert names == ["สหกรณ์การเกษตรคลองขลุง จำกัด", "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด"]  # Thai order
    mime = page.inst_proxy.mimeData([page.inst_proxy.index(0, 0)])
    assert bytes(mime.data(MIME_INSTITUTION)).decode() == coops["b"]
    target = QPointF(page.calendar.day_rect(date(2026, 11, 24)).center())
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (QDragEnterEvent(target.toPoint(), Qt.DropAction.CopyAction, mime, buttons, keys),
                  QDragMoveEvent(target.toPoint(), Qt.DropAction.CopyAction, mime, buttons, keys),
                  QDropEvent(target, Qt.DropAction.CopyAction, mime, buttons, keys)):
        QApplication.sendEvent(page.calendar, event)
        assert event.isAccepted()
    dialog = page.visit_dialog
    assert dialog is not None and dialog.institution.selected_data() == coops["b"]
    assert dialog.planned_date.date() == date(2026, 11, 24)
    assert "คลองขลุง" in dialog.history.toPlainText()  # its history beside the form
    dialog.done(0)


def test_the_page_reads_in_english(qtbot, db, team, coops):
    from app import i18n

    o = team["officer"]
    plan_visit(db, o, o, coops["a"], planned_time="09:30")
    i18n.set_language("en")  # the conftest puts Thai back
    page = open_page(qtbot, db, o)
    assert page.travel_label.text().startswith("Travel plan")
    assert page.week_button.text() == "Week"
    page.calendar.set_mode("week")
    assert not page.grab().isNull()


def test_a_bad_time_is_shown_under_its_field_and_nothing_is_saved(qtbot, db, team, coops):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"], day=date(2026, 12, 3))
    page = open_page(qtbot, db, o)
    page.show_month(date(2026, 12, 1))
    settle(qtbot, page)
    dialog = open_dialog(qtbot, page, v)
    assert dialog.tabs.currentIndex() == 0  # not happened yet: the plan is the work
    dialog.time.setText("25:99")
    assert not dialog.save()
    assert "ชม.:นาที" in dialog.plan_errors.message("time")
    assert visit(db, v).planned_time is None
    assert parse_time("9.30") == "09:30" and parse_time("") is None


# -- the report ----------------------------------------------------------------------------------

def test_the_report_typed_with_the_keyboard_saves_findings_advice_and_new_followups(qtbot, db, team, coops):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 20))
    page = open_page(qtbot, db, o)
    dialog = open_dialog(qtbot, page, v)
    assert dialog.tabs.currentIndex() == 1  # the day has come: the report tab opens
    assert dialog.actual_date.date() == date(2026, 11, 20)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    dialog.findings.setFocus()
    type_thai(dialog.findings, "สมาชิกค้างชำระหนี้เงินกู้")
    qtbot.keyClick(dialog.findings, Qt.Key.Key_Tab)  # Tab leaves the box instead of typing a tab
    assert dialog.advice.hasFocus()
    type_thai(dialog.advice, "จัดทำแผนเร่งรัดหนี้")
    qtbot.mouseClick(dialog.add_raised_button, Qt.MouseButton.LeftButton)
    row = dialog.raised_rows[-1]
    assert row.description.hasFocus()
    type_thai(row.description, "ติดตามผลการเร่งรัดหนี้")
    qtbot.keyClick(row.description, Qt.Key.Key_Tab)
    assert row.due.edit.hasFocus()
    qtbot.keyClicks(row.due.edit, "31/12/2569")
    assert dialog.is_dirty()
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.status.text() != "", timeout=3000)
    saved = visit(db, v)
    assert (saved.status, saved.findings, saved.advice, saved.actual_date) == (
        "done", "สมาชิกค้างชำระหนี้เงินกู้", "จัดทำแผนเร่งรัดหนี้", date(2026, 11, 20))
    with db.session() as s:
        item = s.query(FollowUpItem).one()
        assert (item.description, item.due_date, item.status) == ("ติดตามผลการเร่งรัดหนี้", date(2026, 12, 31), "open")
    assert not dialog.is_dirty() and dialog.changed
    settle(qtbot, page)
    assert page.calendar.chip(v).state == "done"


def test_esc_asks_before_throwing_away_unsaved_edits(qtbot, db, team, coops, dialogs):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 20))
    page = open_page(qtbot, db, o)
    dialog = open_dialog(qtbot, page, v)
    dialog.findings.setPlainText("ยังไม่ได้บันทึก")
    dialogs.answer = False
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialogs.questions
    dialogs.answer = True
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert visit(db, v).findings == ""


def test_a_carried_over_item_is_resolved_in_the_next_visit(qtbot, db, team, coops):
    o = team["officer"]
    first = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 2))
    with db.transaction(o.id) as s:
        svc.save_report(s, o, first, VisitReport(actual_date=date(2026, 11, 2), findings="ไม่มีทะเบียนสมาชิก",
                                                  raised=(NewFollowUp("จัดทำทะเบียนสมาชิก", date(2026, 11, 15)),
                                                          NewFollowUp("ประชุมกรรมการทุกเดือน"))), today=TODAY)
    second = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 25))
    page = open_page(qtbot, db, o)
    dialog = open_dialog(qtbot, page, second)
    rows = {r.line.text.split(" (")[0]: r for r in dialog.carried_rows}
    assert set(rows) == {"จัดทำทะเบียนสมาชิก", "ประชุมกรรมการทุกเดือน"}
    assert "เกินกำหนด" in rows["จัดทำทะเบียนสมาชิก"].line.text  # overdue on the visit's day
    rows["จัดทำทะเบียนสมาชิก"].choice.setCurrentIndex(rows["จัดทำทะเบียนสมาชิก"].choice.findData(RESOLVE))
    drop = rows["ประชุมกรรมการทุกเดือน"]
    drop.choice.setCurrentIndex(drop.choice.findData(DROP))
    assert drop.reason.isVisibleTo(dialog)
    dialog.findings.setPlainText("จัดทำทะเบียนแล้ว")
    assert not dialog.save()  # dropped without a reason: refused under the follow-ups, nothing saved
    assert "เหตุผล" in dialog.report_errors.message("reason")
    with db.session() as s:
        assert {f.status for f in s.query(FollowUpItem)} == {"open"}
        assert s.get(Visit, second).findings == ""
    drop.reason.setText("สหกรณ์ประชุมครบแล้วตามข้อบังคับ")
    assert dialog.save()
    with db.session() as s:
        items = {f.description: f for f in s.query(FollowUpItem)}
        assert (items["จัดทำทะเบียนสมาชิก"].status, items["จัดทำทะเบียนสมาชิก"].closed_in_visit_id) == (
            "resolved", second)
        item = items["ประชุมกรรมการทุกเดือน"]
        assert (item.status, item.drop_reason) == ("dropped", "สหกรณ์ประชุมครบแล้วตามข้อบังคับ")
    # reopened, the dialog shows both as this visit left them (saving again keeps them closed)
    dialog.done(0)
    again = open_dialog(qtbot, page, second)
    assert sorted(r.state()[0] for r in again.carried_rows) == ["dropped", "resolved"]
    again.advice.setPlainText("ดีมาก")
    assert again.save()
    with db.session() as s:
        assert sorted(f.status for f in s.query(FollowUpItem)) == ["dropped", "resolved"]


def test_the_report_goes_for_approval_and_an_approved_one_warns_before_an_edit(qtbot, db, team, coops, dialogs):
    o, director = team["officer"], team["director"]
    v = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 20))
    approve_trip(db, o, director, v)
    page = open_page(qtbot, db, o)
    dialog = open_dialog(qtbot, page, v)
    dialog.findings.setPlainText("บัญชีเรียบร้อย")
    dialog.submit_report()  # saves and submits in one step
    assert visit(db, v).report_state == State.SUBMITTED
    assert dialog.findings.isReadOnly() and dialog.withdraw_button.isEnabled()
    with db.transaction(director.id) as s:
        svc.approve_report(s, director, v, reviewed_hash=svc.report_hash(s, s.get(Visit, v)))
    dialog.done(0)
    dialog = open_dialog(qtbot, page, v)
    assert not dialog.findings.isReadOnly() and "ขออนุมัติใหม่" in dialog.report_notice.text()
    dialog.findings.setPlainText("บัญชีเรียบร้อย ปิดงบแล้ว")
    dialogs.answer = False
    assert not dialog.save()
    assert visit(db, v).report_state == State.APPROVED
    dialogs.answer = True
    assert dialog.save()
    assert visit(db, v).report_state == State.NEEDS_REAPPROVAL


def test_not_visited_as_planned_records_the_reason(qtbot, db, team, coops, monkeypatch):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 20))
    page = open_page(qtbot, db, o)
    dialog = open_dialog(qtbot, page, v)

    def give_reason(text_dialog):
        text_dialog.set_text("สหกรณ์ขอเลื่อน")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TextDialog, "exec", give_reason)
    dialog.cancel_visit()
    saved = visit(db, v)
    assert (saved.status, saved.cancel_reason) == ("cancelled", "สหกรณ์ขอเลื่อน")
    assert "สหกรณ์ขอเลื่อน" in dialog.report_notice.text()
    settle(qtbot, page)
    assert page.calendar.chip(v).state == "cancelled"


# -- who may do what -------------------------------------------------------------------------------

def test_an_officer_cannot_edit_another_officers_visit(qtbot, db, team, coops):
    o, colleague = team["officer"], team["colleague"]
    v = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 20))
    dialog = VisitDialog(AppContext(db, colleague), visit_id=v, today=TODAY)
    qtbot.addWidget(dialog)
    assert not dialog.choices.may_edit and dialog.notice.isVisibleTo(dialog)
    assert dialog.findings.isReadOnly() and not dialog.institution.isEnabled() and dialog.time.isReadOnly()
    assert not dialog.save_button.isEnabled() and not dialog.cancel_visit_button.isEnabled()
    assert not dialog.submit_button.isEnabled()
    dialog.findings.setPlainText("แอบแก้")  # even typed into, nothing counts as an edit to save
    assert not dialog.is_dirty() and dialog.save()
    with pytest.raises(PermissionDenied):
        with db.transaction(colleague.id) as s:
            svc.save_report(s, colleague, v, VisitReport(actual_date=date(2026, 11, 20), findings="x"),
                            today=TODAY)
    assert visit(db, v).findings == ""


def test_officers_see_only_themselves_and_directors_pick_an_officer(qtbot, db, team, coops):
    o, director, head = team["officer"], team["director"], team["head"]
    v = plan_visit(db, o, o, coops["a"])
    page = open_page(qtbot, db, o)
    assert not page.officer_combo.isVisibleTo(page)
    boss = open_page(qtbot, db, director)
    assert boss.officer_combo.isVisibleTo(boss)
    names = [boss.officer_combo.itemText(i) for i in range(boss.officer_combo.count())]
    assert names == ["นางสาวปิยะนุช จันทร์หอม", "นายวีระพงษ์ อินทร์แก้ว"]  # Thai order, without titles
    boss.officer_combo.setCurrentIndex(0)
    settle(qtbot, boss)
    assert boss.data.officer_id == o.id and boss.calendar.chip(v).movable  # a director plans for the group
    assert "นางสาวปิยะนุช" in boss.travel_label.text()
    viewer = open_page(qtbot, db, head)
    viewer.officer_combo.setCurrentIndex(viewer.officer_combo.findData(o.id))
    settle(qtbot, viewer)
    assert viewer.calendar.chip(v) is not None and not viewer.calendar.chip(v).movable
    assert not viewer.new_button.isEnabled() and not viewer.submit_button.isEnabled()


# -- the travel plan and what was returned ---------------------------------------------------------

def test_submitting_the_travel_plan_from_the_page(qtbot, db, team, coops, dialogs):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"])
    page = open_page(qtbot, db, o)
    assert page.submit_button.isEnabled() and not page.withdraw_button.isEnabled()
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert "ขออนุมัติ" in dialogs.questions[-1]
    settle(qtbot, page)
    assert plan_state(db, v) == State.SUBMITTED
    assert "รออนุมัติ" in page.travel_label.text()
    assert not page.submit_button.isEnabled() and page.withdraw_button.isEnabled()
    qtbot.mouseClick(page.withdraw_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    assert plan_state(db, v) == State.DRAFT


def test_the_returned_banner_shows_the_comment_and_opens_the_item(qtbot, db, team, coops):
    o = team["officer"]
    v = returned_report(db, team, coops)
    page = open_page(qtbot, db, o)
    assert page.returned_banner.isVisibleTo(page)
    assert "ขอให้ระบุจำนวนผู้เข้าร่วมประชุม" in page.banner_labels[0].text()
    assert "นางสาววรรณา" in page.banner_labels[0].text()
    page.banner_labels[0].linkActivated.emit(f"cps_report:{v}")
    dialog = page.visit_dialog
    assert dialog is not None and dialog.facts.id == v
    assert "ขอให้ระบุจำนวนผู้เข้าร่วมประชุม" in dialog.report_notice.text()
    dialog.committee.setValue(9)
    assert dialog.save()  # an edit takes a returned report back to draft
    assert visit(db, v).report_state == State.DRAFT
    settle(qtbot, page)
    assert not page.returned_banner.isVisibleTo(page)


def test_printing_the_travel_plan_writes_a_pdf_in_the_background(qtbot, db, team, coops, dialogs, monkeypatch,
                                                                 tmp_path):
    o = team["officer"]
    plan_visit(db, o, o, coops["a"], planned_time="09:30", purpose="ติดตามการปิดบัญชี")
    page = open_page(qtbot, db, o)
    target = tmp_path / "แผนการเดินทาง"
    monkeypatch.setattr("ui.cps_page.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    op = page.print_travel_plan()
    qtbot.waitUntil(lambda: op.done, timeout=20000)
    written = Path(str(target) + ".pdf")
    assert written.read_bytes().startswith(b"%PDF")
    assert dialogs.infos and str(written) in dialogs.infos[-1]


def test_the_main_window_builds_the_page(qtbot, db, team, coops):
    window = MainWindow(AppContext(db, team["officer"]))
    qtbot.addWidget(window)
    page = window.show_page("cps")
    assert isinstance(page, CpsPage)
    settle(qtbot, page)
    assert short_name("สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด") == "สกก.เมืองกำแพงเพชร"
    assert short_name("กลุ่มเกษตรกรทำนาเทพนคร") == "กลุ่มฯ ทำนาเทพนคร"


# -- review findings ------------------------------------------------------------------------------

def returned_report(db, team, coops) -> str:
    o, director = team["officer"], team["director"]
    v = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 20))
    approve_trip(db, o, director, v)
    with db.transaction(o.id) as s:
        svc.save_report(s, o, v, VisitReport(actual_date=date(2026, 11, 20), findings="ปกติ"), today=TODAY)
        svc.submit_report(s, o, v)
    with db.transaction(director.id) as s:
        svc.return_report(s, director, v, comment="ขอให้ระบุจำนวนผู้เข้าร่วมประชุม")
    return v


def test_taking_back_a_returned_report_with_typed_edits_saves_them(qtbot, db, team, coops):
    o = team["officer"]
    v = returned_report(db, team, coops)
    page = open_page(qtbot, db, o)
    dialog = open_dialog(qtbot, page, v)
    dialog.committee.setValue(9)
    dialog.reopen_report()  # the save already takes it back to draft; the step is not taken twice
    saved = visit(db, v)
    assert (saved.report_state, saved.attendees_committee) == (State.DRAFT, 9)


def test_not_visited_asks_before_dropping_typed_text(qtbot, db, team, coops, dialogs, monkeypatch):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 20))
    page = open_page(qtbot, db, o)
    dialog = open_dialog(qtbot, page, v)
    dialog.tabs.setCurrentIndex(1)
    dialog.findings.setPlainText("พิมพ์ไว้แล้ว")
    monkeypatch.setattr(TextDialog, "exec", lambda d: pytest.fail("asked for a reason before the warning"))
    dialogs.answer = False
    dialog.cancel_visit()
    assert "ยังไม่ได้บันทึก" in dialogs.questions[-1]
    assert visit(db, v).status == "planned" and dialog.findings.toPlainText() == "พิมพ์ไว้แล้ว"


def test_dropping_a_visit_into_next_months_approved_plan_asks_first(qtbot, db, team, coops, dialogs):
    o = team["officer"]
    v = plan_visit(db, o, o, coops["a"])
    december = plan_visit(db, o, o, coops["b"], day=date(2026, 12, 3))
    approve_trip(db, o, team["director"], december)
    page = open_page(qtbot, db, o)
    dialogs.answer = False
    page.calendar.visit_moved.emit(v, date(2026, 12, 1))
    assert "ส่งขออนุมัติใหม่" in dialogs.questions[-1]
    assert visit(db, v).planned_date == date(2026, 11, 10) and plan_state(db, december) == State.APPROVED


def test_a_week_across_the_month_end_shows_both_months_visits(qtbot, db, team, coops):
    o = team["officer"]
    nov = plan_visit(db, o, o, coops["a"], day=date(2026, 11, 30), planned_time="09:00")
    dec = plan_visit(db, o, o, coops["b"], day=date(2026, 12, 2), planned_time="09:00")
    page = open_page(qtbot, db, o)
    page.calendar.select_date(date(2026, 11, 30))
    page.calendar.set_mode("week")
    assert not page.calendar.chip_rect(nov).isEmpty() and not page.calendar.chip_rect(dec).isEmpty()
    assert not page.calendar.chip(dec).movable  # December's plan is moved from December's page
