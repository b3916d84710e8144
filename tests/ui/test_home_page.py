"""The home page starts the officer's day with what was returned to them, comment first."""

from __future__ import annotations

from datetime import date

from app.rules.registry import InstitutionData
from app.services import registry
from app.services import visits as svc
from ui.context import AppContext
from ui.home_page import HomePage


def test_returned_items_and_todays_visits_are_on_top_of_the_day(qtbot, db, admin, make_user):
    officer = make_user("off1", "officer", group=0)
    director = make_user("dir1", "director", group=0)
    today = date.today()
    with db.transaction(admin.id) as s:
        inst = registry.create_institution(s, admin, InstitutionData(
            reg_no="กพ 000001", name="สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", kind="coop", coop_type="agriculture",
            district_code="6201", officer_id=officer.id, group_id=officer.group_id)).id
    with db.transaction(officer.id) as s:
        plan_id = svc.create_visit(s, officer, officer.id, svc.VisitPlan(inst, today, "09:30")).travel_plan_id
        svc.submit_travel_plan(s, officer, plan_id)
    with db.transaction(director.id) as s:
        svc.return_travel_plan(s, director, plan_id, comment="ขอให้ระบุประเด็นที่จะแนะนำให้ชัดเจน")

    page = HomePage(AppContext(db, officer))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.returned_box.isVisible() and page.visits_box.isVisible(), timeout=5000)
    assert "ขอให้ระบุประเด็นที่จะแนะนำให้ชัดเจน" in page.returned_box.text()
    assert director.full_name in page.returned_box.text()
    assert "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด" in page.visits_box.text() and "09:30" in page.visits_box.text()


def test_nothing_returned_shows_no_banner(qtbot, db, admin):
    page = HomePage(AppContext(db, admin))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.loading is not None and page.loading.done, timeout=5000)
    assert not page.returned_box.isVisible() and not page.visits_box.isVisible()
