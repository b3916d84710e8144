"""The standards/strength page and the assessment dialog with a real database: the list shows
the year's result, ticking criteria computes the result live and saves it, the strength tab
computes the class live, an officer of another group gets a read-only dialog (and the service
refuses), and the target tab lists a loss-making cooperative."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtGui import QGuiApplication
from sqlalchemy import select

from app.models import InstitutionYear
from app.rules import standards
from app.rules.registry import InstitutionData, YearData
from app.services import assessments, registry
from ui import standards_page
from ui.assessment_dialog import AssessmentDialog
from ui.context import AppContext
from ui.standards_page import COLUMN, StandardsPage


@pytest.fixture
def team(db, admin, make_user):
    return {"officer": make_user("off1", "officer", group=0, name="นางสาวปิยะนุช จันทร์หอม"),
            "outsider": make_user("off9", "officer", group=1, name="นายวีระพงษ์ อินทร์แก้ว")}


def add(db, admin, officer, name, reg_no) -> str:
    with db.transaction(admin.id) as s:
        return registry.create_institution(s, admin, InstitutionData(
            reg_no=reg_no, name=name, kind="coop", coop_type="agriculture", district_code="6201",
            officer_id=officer.id, group_id=officer.group_id, acct_year_end_month=12, acct_year_end_day=31)).id


@pytest.fixture
def coop(db, admin, team):
    return add(db, admin, team["officer"], "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "กพ 000001")


def fy(db, admin) -> int:
    return AppContext(db, admin).fiscal_year


def yearly(db, inst_id, year):
    with db.session() as s:
        return s.scalar(select(InstitutionYear).where(InstitutionYear.institution_id == inst_id,
                                                      InstitutionYear.fiscal_year == year))


def open_page(qtbot, db, user) -> StandardsPage:
    page = StandardsPage(AppContext(db, user))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitUntil(lambda: page.loading is not None and page.loading.done, timeout=5000)
    return page


def open_dialog(qtbot, db, user, inst_id) -> AssessmentDialog:
    dialog = AssessmentDialog(AppContext(db, user), inst_id)
    qtbot.addWidget(dialog)
    return dialog


def test_the_page_lists_an_institution_with_its_result(qtbot, db, admin, team, coop):
    officer, year = team["officer"], fy(db, admin)
    all_met = tuple(standards.CriterionAnswer(str(i), True) for i in range(1, 8))
    with db.transaction(officer.id) as s:
        assessments.save_standards(s, officer, coop, year, standards.Assessment(coop, "coop", year, True, all_met),
                                   reported_on=date(2026, 3, 3))
    page = open_page(qtbot, db, officer)
    lines = page.visible_lines()
    assert [line.institution_id for line in lines] == [coop]
    cells = standards_page.cells(lines[0])
    assert cells[COLUMN["name"]] == "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด"
    assert cells[COLUMN["standards"]] == "ผ่าน"
    assert cells[COLUMN["reported_on"]] == "๓ มี.ค. ๖๙"  # Buddhist era
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("farmer_group"))
    assert page.visible_lines() == []
    page.kind_filter.setCurrentIndex(0)
    page.differences_only.setChecked(True)
    assert page.visible_lines() == []  # nothing published differs


def test_ticking_all_criteria_passes_and_unticking_one_fails_live_and_saved(qtbot, db, admin, team, coop):
    officer, year = team["officer"], fy(db, admin)
    dialog = open_dialog(qtbot, db, officer, coop)
    assert dialog.may_edit and not dialog.save_button.isHidden()
    assert len(dialog.met_boxes) == 7
    assert any("(ยังไม่ยืนยัน)" in box.text() for box in dialog.met_boxes.values())
    for box in dialog.met_boxes.values():
        box.setChecked(True)
    assert dialog.standards_result.text().startswith("ผ่าน")
    dialog.reported_on.setText("3/3/2569")
    assert dialog.save()
    assert yearly(db, coop, year).standards_result == "pass"

    dialog = open_dialog(qtbot, db, officer, coop)
    assert all(box.isChecked() for box in dialog.met_boxes.values())  # what was saved
    dialog.met_boxes["3"].setChecked(False)
    assert dialog.standards_result.text().startswith("ไม่ผ่าน") and "3" in dialog.standards_result.text()
    assert dialog.save()
    assert yearly(db, coop, year).standards_result == "fail"


def test_not_assessed_needs_a_reason_shown_under_the_field(qtbot, db, admin, team, coop):
    dialog = open_dialog(qtbot, db, team["officer"], coop)
    dialog.assessed_no.setChecked(True)
    assert dialog.standards_result.text().startswith("ยังประเมินไม่ได้")
    assert not dialog.save()
    assert dialog.standards_errors.message("reason") == "กรุณาระบุเหตุผลที่ไม่นำมาจัดมาตรฐาน"
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(standards.NOT_OPERATING))
    assert dialog.standards_result.text().startswith("ไม่นำมาจัดมาตรฐาน")
    assert dialog.save()
    assert yearly(db, coop, fy(db, admin)).standards_result == "not_assessed"


def test_the_strength_tab_computes_class_2_live_for_79_50_and_saves(qtbot, db, admin, team, coop):
    officer, year = team["officer"], fy(db, admin)
    dialog = open_dialog(qtbot, db, officer, coop)
    assert dialog.score_spins["member_service"].maximum() == 30 and dialog.score_spins["business"].maximum() == 20
    assert dialog.score_spins["member_service"].decimals() == 2
    for name, value in (("member_service", 25), ("business", 15), ("organisation", 15), ("administration", 24.5)):
        dialog.score_spins[name].setValue(value)
    for box in dialog.basic_boxes.values():
        box.setChecked(True)
    assert dialog.strength_result.text().startswith("ชั้น 2")
    assert "79.50" in dialog.strength_result.text()
    assert dialog.save()
    row = yearly(db, coop, year)
    assert (row.strength_class, row.standards_result) == (2, None)  # the untouched standards tab is not saved
    with db.session() as s:
        stored = assessments.strength_of(s, officer, coop, year)
        assert (stored.computed_class, stored.administration) == (2, Decimal("24.50"))


def test_an_officer_of_another_group_gets_a_read_only_dialog_and_the_service_refuses(
        qtbot, db, admin, team, coop, dialogs):
    dialog = open_dialog(qtbot, db, team["outsider"], coop)
    assert not dialog.may_edit
    assert dialog.save_button.isHidden() and not dialog.read_only_note.isHidden()
    assert not any(box.isEnabled() for box in dialog.met_boxes.values())
    assert not dialog.score_spins["business"].isEnabled()
    dialog.standards_touched = True  # even if the form were sent anyway
    assert not dialog.save()
    warnings = dialogs.take_warnings()
    assert len(warnings) == 1 and "เฉพาะรายการที่อยู่ในความรับผิดชอบของคุณ" in warnings[0]
    assert yearly(db, coop, fy(db, admin)) is None


def test_the_target_tab_lists_a_loss_making_cooperative_and_copies_names(qtbot, db, admin, team, coop):
    officer, year = team["officer"], fy(db, admin)
    healthy = add(db, admin, officer, "สหกรณ์การเกษตรคลองขลุง จำกัด", "กพ 000002")
    with db.transaction(admin.id) as s:
        registry.save_year(s, admin, coop, year, YearData(accumulated_loss=Decimal("125000.00"),
                                                          member_participation_pct=Decimal(80)))
        registry.save_year(s, admin, healthy, year, YearData(strength_class=1, accumulated_loss=Decimal(0),
                                                             member_participation_pct=Decimal(90)))
    page = open_page(qtbot, db, officer)
    names = [page.target_model.index(r, 0).data() for r in range(page.target_model.rowCount())]
    assert names == ["สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด"]
    assert "ขาดทุน" in page.target_model.index(0, 1).data()
    page.copy_button.click()
    assert QGuiApplication.clipboard().text() == "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด"
