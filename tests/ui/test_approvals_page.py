"""The approval inbox with a real database: each approver sees what they may approve,
approves several at once (all or nothing, refused when something changed after it was
loaded), returns with a required comment that the officer then sees, the keyboard, the
filters, the empty state of those who approve nothing and the sidebar's count."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.models import TravelPlan, Visit
from app.rules.registry import InstitutionData
from app.services import registry
from app.services import visit_views as views
from app.services import visits as svc
from app.services.visits import VisitPlan, VisitReport
from app.thai import ZWSP
from ui import ops
from ui.approvals_page import ApprovalsPage
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.inbox_model import COLUMN
from ui.plan_dialogs import TextDialog

NOV = date(2026, 11, 1)
TODAY = date(2026, 11, 30)
ACCEPTED, REJECTED = QDialog.DialogCode.Accepted, QDialog.DialogCode.Rejected


@pytest.fixture
def team(db, admin, make_user):
    return {
        "officer": make_user("off1", "officer", group=0, name="นางสาวปิยะนุช จันทร์หอม"),
        "colleague": make_user("off2", "officer", group=0, name="นายวีระพงษ์ อินทร์แก้ว"),
        "outsider": make_user("off3", "officer", group=1, name="นางสาวสุภาพร มีสุข"),
        "director": make_user("dir1", "director", group=0),
        "head": make_user("head", "provincial_head", group=None),
        "clerk": make_user("clerk", "clerk", group=None),
    }


def add_institution(db, admin, name, reg_no, officer) -> str:
    with db.transaction(admin.id) as s:
        return registry.create_institution(s, admin, InstitutionData(
            reg_no=reg_no, name=name, kind="coop", coop_type="agriculture", district_code="6201",
            officer_id=officer.id, group_id=officer.group_id, acct_year_end_month=12, acct_year_end_day=31)).id


@pytest.fixture
def coops(db, admin, team):
    return {
        "off1": add_institution(db, admin, "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "กพ 000001", team["officer"]),
        "off2": add_institution(db, admin, "สหกรณ์การเกษตรคลองขลุง จำกัด", "กพ 000002", team["colleague"]),
        "off3": add_institution(db, admin, "สหกรณ์การเกษตรพรานกระต่าย จำกัด", "กพ 000003", team["outsider"]),
    }


def submitted_trip(db, officer, inst, day=date(2026, 11, 10)) -> tuple[str, str]:
    """A travel plan with one visit, submitted: (plan id, visit id)."""
    with db.transaction(officer.id) as s:
        visit = svc.create_visit(s, officer, officer.id, VisitPlan(inst, day, planned_time="09:00"))
        plan_id = visit.travel_plan_id
        svc.submit_travel_plan(s, officer, plan_id)
        return plan_id, visit.id


def approve_trip(db, approver, plan_id) -> None:
    with db.transaction(approver.id) as s:
        digest = svc.travel_plan_hash(s, s.get(TravelPlan, plan_id))
        svc.approve_travel_plan(s, approver, plan_id, reviewed_hash=digest)


def submitted_report(db, officer, approver, inst, day=date(2026, 10, 20)) -> str:
    """A visit (in October: its own travel plan) whose trip was approved and whose report is
    submitted: the visit id."""
    plan_id, visit_id = submitted_trip(db, officer, inst, day)
    approve_trip(db, approver, plan_id)
    with db.transaction(officer.id) as s:
        svc.save_report(s, officer, visit_id, VisitReport(
            actual_date=day, findings="งบการเงินยังไม่ปิด", advice="เร่งปิดบัญชี"), today=TODAY)
        svc.submit_report(s, officer, visit_id)
    return visit_id


def state(db, model, item_id) -> str:
    with db.session() as s:
        row = s.get(model, item_id)
        return row.state if model is TravelPlan else row.report_state


def open_page(qtbot, db, user) -> ApprovalsPage:
    page = ApprovalsPage(AppContext(db, user))
    qtbot.addWidget(page)
    page.resize(1300, 720)
    page.show()
    qtbot.waitUntil(lambda: page.loading is None or page.loading.done, timeout=5000)
    return page


def wait_loaded(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.loading.done, timeout=5000)


def ids(page) -> set[str]:
    return {line.id for line in page.proxy.visible_lines()}


def plain(text: str) -> str:
    return text.replace(ZWSP, "")


# -- who sees what, bulk approval ----------------------------------------------------------------

def test_a_director_sees_the_groups_items_and_approves_two_at_once(qtbot, db, team, coops, dialogs):
    a, _v = submitted_trip(db, team["officer"], coops["off1"])
    b, _v = submitted_trip(db, team["colleague"], coops["off2"], day=date(2026, 11, 12))
    other_group, _v = submitted_trip(db, team["outsider"], coops["off3"])
    page = open_page(qtbot, db, team["director"])
    assert ids(page) == {a, b}  # not the other group's
    assert page.count_label.text() == "รออนุมัติ ๒ รายการ"
    first = page.proxy.line(0)
    assert first.cells[COLUMN["kind"]] == "แผนการเดินทาง" and first.cells[COLUMN["officer"]] == team["officer"].full_name
    assert re.fullmatch(r"[๐-๙]{1,2} \S+ [๐-๙]{2} [๐-๙]{2}:[๐-๙]{2}", first.cells[COLUMN["submitted"]])  # BE, local
    assert first.cells[COLUMN["lines"]] == "๑"
    assert not page.approve_button.isEnabled() and page.approve_button.text() == "อนุมัติรายการที่เลือก (๐)"

    page.select_all_action.trigger()  # Ctrl+A
    assert page.approve_button.isEnabled() and page.approve_button.text() == "อนุมัติรายการที่เลือก (๒)"
    dialogs.answer = False  # the confirm says how many; cancelling changes nothing
    page.approve_action.trigger()  # Enter
    assert "อนุมัติ ๒ รายการที่เลือก?" in dialogs.questions[-1]
    assert {state(db, TravelPlan, x) for x in (a, b)} == {"submitted"}
    dialogs.answer = True
    page.approve_action.trigger()
    assert {state(db, TravelPlan, x) for x in (a, b)} == {"approved"}
    assert state(db, TravelPlan, other_group) == "submitted"
    assert page.status_label.text() == "อนุมัติแล้ว ๒ รายการ"
    wait_loaded(qtbot, page)
    assert page.model.rowCount() == 0 and page.list_stack.currentWidget() is page.nothing_waiting
    assert not page.approve_button.isEnabled()
    with db.session() as s:
        assert [e.step for e in svc.history(s, team["director"], a)] == ["submit", "approve"]

    head = open_page(qtbot, db, team["head"])
    assert ids(head) == {other_group}  # the provincial officer sees every group


def test_the_preview_shows_lines_and_history_and_filters_narrow_the_list(qtbot, db, team, coops):
    plan, _v = submitted_trip(db, team["officer"], coops["off1"])
    report = submitted_report(db, team["colleague"], team["director"], coops["off2"])
    page = open_page(qtbot, db, team["head"])
    assert ids(page) == {plan, report}
    assert page.preview_title.text() == "ยังไม่ได้เลือกรายการ"
    page.select_ids([report])
    assert plain(page.preview_title.text()).startswith("รายงานการเยี่ยม สหกรณ์การเกษตรคลองขลุง จำกัด")
    text = plain(page.preview.toPlainText())
    assert "สิ่งที่พบ: งบการเงินยังไม่ปิด" in text and "คำแนะนำ: เร่งปิดบัญชี" in text
    history = [page.history_model.index(r, 1).data() for r in range(page.history_model.rowCount())]
    assert history == [f"ส่งขออนุมัติ โดย {team['colleague'].full_name}"]
    page.select_ids([plan])
    assert "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด" in plain(page.preview.toPlainText())

    page.kind_filter.setCurrentIndex(page.kind_filter.findData("cps_report"))
    assert ids(page) == {report} and page.count_label.text() == "แสดง ๑ จาก ๒ รายการ"
    page.kind_filter.setCurrentIndex(0)
    assert [page.officer_filter.itemText(i) for i in range(page.officer_filter.count())] == [
        "เจ้าหน้าที่ทุกคน", team["officer"].full_name, team["colleague"].full_name]  # Thai order: นางสาว… before นาย…
    page.officer_filter.setCurrentIndex(page.officer_filter.findData(team["officer"].id))
    assert ids(page) == {plan}


# -- edited after it was loaded: nothing approved -----------------------------------------------

def test_an_item_edited_after_the_inbox_loaded_is_refused_and_nothing_is_approved(qtbot, db, team, coops, dialogs):
    officer, director = team["officer"], team["director"]
    steady, _v = submitted_trip(db, team["colleague"], coops["off2"])
    changed, visit = submitted_trip(db, officer, coops["off1"])
    page = open_page(qtbot, db, director)
    page.select_all()
    shown = {line.id: line.item.content_hash for line in page.selected_lines()}
    with db.transaction(officer.id) as s:  # meanwhile the officer takes it back, changes it, sends it again
        svc.withdraw_travel_plan(s, officer, changed)
        svc.move_visit(s, officer, visit, date(2026, 11, 17))
        svc.submit_travel_plan(s, officer, changed)

    page.approve_selected()
    warnings = dialogs.take_warnings()
    assert len(warnings) == 1 and "แก้ไขหลังจากที่คุณเปิดตรวจ" in warnings[0]
    assert state(db, TravelPlan, steady) == "submitted"  # one transaction: the other is not approved either
    assert state(db, TravelPlan, changed) == "submitted"
    wait_loaded(qtbot, page)
    assert "ยังไม่ได้อนุมัติรายการใด" in page.status_label.text()
    assert "แผนการเดินทาง" in page.status_label.text()  # names what changed
    assert set(page.selected_ids()) == {steady, changed}  # still selected, now as it is
    assert {line.id: line.item.content_hash for line in page.selected_lines()}[changed] != shown[changed]
    page.approve_selected()  # seen again: approved
    assert {state(db, TravelPlan, x) for x in (steady, changed)} == {"approved"}
    wait_loaded(qtbot, page)


# -- returning -------------------------------------------------------------------------------

def test_returning_needs_a_comment_that_the_officer_then_sees(qtbot, db, team, coops, dialogs, monkeypatch):
    officer, director = team["officer"], team["director"]
    plan, _v = submitted_trip(db, officer, coops["off1"])
    report = submitted_report(db, officer, director, coops["off1"])
    page = open_page(qtbot, db, director)
    assert ids(page) == {plan, report}

    monkeypatch.setattr(TextDialog, "exec", lambda dialog: REJECTED)
    page.select_all()
    page.return_action.trigger()  # Ctrl+R, then cancel: nothing changes
    assert state(db, TravelPlan, plan) == "submitted" and state(db, Visit, report) == "submitted"

    monkeypatch.setattr(TextDialog, "exec", lambda dialog: ACCEPTED)  # OK with no comment: the service refuses
    page.return_selected()
    assert "กรุณาระบุเหตุผล" in dialogs.take_warnings()[0]
    assert state(db, TravelPlan, plan) == "submitted" and state(db, Visit, report) == "submitted"
    wait_loaded(qtbot, page)

    def comment(dialog):
        assert not dialog.ok_button.isEnabled()  # OK waits for a comment
        dialog.set_text("   ")
        assert not dialog.ok_button.isEnabled()
        dialog.set_text("ขอให้รวมนัดอำเภอเดียวกันไว้วันเดียว")
        assert dialog.ok_button.isEnabled()
        return ACCEPTED

    monkeypatch.setattr(TextDialog, "exec", comment)
    page.select_all()
    page.return_action.trigger()
    assert state(db, TravelPlan, plan) == "returned" and state(db, Visit, report) == "returned"
    assert page.status_label.text() == "ส่งคืนให้แก้ไขแล้ว ๒ รายการ"
    wait_loaded(qtbot, page)
    assert page.model.rowCount() == 0
    with db.session() as s:
        returned = views.returned_items(s, officer)
    assert {(r.id, r.comment, r.returned_by) for r in returned} == {
        (plan, "ขอให้รวมนัดอำเภอเดียวกันไว้วันเดียว", director.full_name),
        (report, "ขอให้รวมนัดอำเภอเดียวกันไว้วันเดียว", director.full_name)}


# -- keyboard --------------------------------------------------------------------------------------

def test_the_keyboard_selects_all_approves_and_returns(qtbot, db, team, coops, dialogs, monkeypatch):
    a, _v = submitted_trip(db, team["officer"], coops["off1"])
    b, _v = submitted_trip(db, team["colleague"], coops["off2"])
    page = open_page(qtbot, db, team["director"])
    page.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus, timeout=2000)
    qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert set(page.selected_ids()) == {a, b}
    asked = []
    monkeypatch.setattr(TextDialog, "exec", lambda dialog: asked.append(dialog.windowTitle()) or REJECTED)
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["ส่งคืนให้แก้ไข"]
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert "อนุมัติ ๒ รายการที่เลือก?" in dialogs.questions[-1]
    assert {state(db, TravelPlan, x) for x in (a, b)} == {"approved"}
    wait_loaded(qtbot, page)


# -- those who approve nothing, and the sidebar -----------------------------------------------------

def test_officers_and_clerks_see_why_the_page_is_empty(qtbot, db, team, coops):
    submitted_trip(db, team["officer"], coops["off1"])
    for who in ("officer", "clerk"):
        page = open_page(qtbot, db, team[who])
        assert page.pages.currentWidget() is page.empty_state and page.loading is None
        assert "ไม่ได้เป็นผู้อนุมัติ" in plain(page.empty_text.text())
        page.approve_selected()  # nothing to act on, nothing happens
        page.reload()
        assert page.loading is None


def sidebar_text(window) -> str:
    return window.sidebar.item(next(i for i in range(window.sidebar.count())
                                    if window.sidebar.item(i).text().startswith("รออนุมัติ"))).text()


def test_the_sidebar_counts_what_waits(qtbot, db, team, coops, dialogs):
    a, _v = submitted_trip(db, team["officer"], coops["off1"])
    submitted_trip(db, team["colleague"], coops["off2"])
    window = MainWindow(AppContext(db, team["director"]))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: sidebar_text(window) == "รออนุมัติ (๒)", timeout=5000)  # from sign-in on
    assert "approvals" not in window.built_pages()
    page = window.show_page("approvals")
    wait_loaded(qtbot, page)
    page.select_ids([a])
    page.approve_selected()
    qtbot.waitUntil(lambda: sidebar_text(window) == "รออนุมัติ (๑)", timeout=5000)
    page.select_all()
    page.approve_selected()
    qtbot.waitUntil(lambda: sidebar_text(window) == "รออนุมัติ", timeout=5000)

    officer_window = MainWindow(AppContext(db, team["officer"]))
    qtbot.addWidget(officer_window)
    assert not ops.running()  # nothing is counted for those who approve nothing
    assert sidebar_text(officer_window) == "รออนุมัติ"
