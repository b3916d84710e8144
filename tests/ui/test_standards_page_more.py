"""The standards page's year choice, late-report marks and saved target filters, with a real
database: reports late or overdue by working days are marked (and can be listed alone), the
year combo reloads another year in the worker, and the target tab's saved filters can be
chosen, edited (used unsaved, saved, saved as new) and deleted after a confirmation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.rules import standards, strength
from app.rules import targets as target_rules
from app.rules.registry import InstitutionData, YearData
from app.services import assessments, registry, targets
from app.thai import add_working_days, default_calendar
from ui.context import AppContext
from ui.standards_page import COLUMN, DEFAULT_FILTER, EDITED_FILTER, LATE_COLOR, StandardsPage
from ui.target_filter_dialog import TargetFilterDialog

FY = 2569
AGM = date(2026, 3, 16)
CLASS_2 = strength.Scores(Decimal("25"), Decimal("15"), Decimal("15"), Decimal("24.50"),
                          accounts_closed=True, agm_held=True, statements_presented=True)


@pytest.fixture
def team(db, admin, make_user):
    return {"officer": make_user("off1", "officer", group=0, name="นางสาวปิยะนุช จันทร์หอม"),
            "director": make_user("dir1", "director", group=0, name="นายสมพงษ์ ใจดี")}


def add(db, admin, officer, name, n, *, status="operating") -> str:
    with db.transaction(admin.id) as s:
        return registry.create_institution(s, admin, InstitutionData(
            reg_no=f"กพ {n:06d}", name=name, kind="coop", coop_type="agriculture", district_code="6201",
            status=status, officer_id=officer.id, group_id=officer.group_id,
            acct_year_end_month=12, acct_year_end_day=31)).id


def all_met(inst_id, year=FY):
    return standards.Assessment(inst_id, "coop", year, True, tuple(standards.CriterionAnswer(str(i), True)
                                                                   for i in range(1, 8)))


@pytest.fixture
def office(db, admin, team):
    """Three cooperatives with FY 2569's meeting: reported on time, reported 3 working days
    late, not reported; a fourth with an accumulated loss (a seed-001 target) whose result
    came from the central office's sheet (on the yearly row only: nothing to call late)."""
    officer, cal = team["officer"], default_calendar()
    due = standards.standards_due(AGM, cal)
    ids = {name: add(db, admin, officer, name, n) for n, name in enumerate(
        ("สหกรณ์ทันกำหนด จำกัด", "สหกรณ์ส่งช้า จำกัด", "สหกรณ์ยังไม่ส่ง จำกัด", "สหกรณ์ขาดทุน จำกัด"), start=1)}
    with db.transaction(admin.id) as s:
        for name, inst in ids.items():
            loss = Decimal(50_000) if name == "สหกรณ์ขาดทุน จำกัด" else Decimal(0)
            registry.save_year(s, admin, inst, FY, YearData(
                agm_date=AGM, accounts_closed_date=date(2026, 1, 20), accumulated_loss=loss, strength_class=3,
                member_participation_pct=Decimal(80), standards_result="fail" if loss else None))
    with db.transaction(officer.id) as s:
        for name, reported in (("สหกรณ์ทันกำหนด จำกัด", due), ("สหกรณ์ส่งช้า จำกัด", add_working_days(due, 3, cal)),
                               ("สหกรณ์ยังไม่ส่ง จำกัด", None)):
            assessments.save_standards(s, officer, ids[name], FY, all_met(ids[name]), reported_on=reported)
    return ids | {"due": due}


def open_page(qtbot, db, user, today=None) -> StandardsPage:
    page = StandardsPage(AppContext(db, user), today=(lambda: today) if today else None)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    wait(qtbot, page)
    return page


def wait(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.loading is not None and page.loading.done and not page._again, timeout=5000)


def choose_year(qtbot, page, year) -> None:
    page.year_combo.setCurrentIndex(page.year_combo.findData(year))
    page.year_combo.activated.emit(page.year_combo.currentIndex())
    wait(qtbot, page)


def row_of(page, name) -> int:
    return next(r for r in range(page.proxy.rowCount()) if page.proxy.line(r).name == name)


def cell(page, name, column, role=Qt.ItemDataRole.DisplayRole):
    return page.proxy.index(row_of(page, name), COLUMN[column]).data(role)


def test_the_year_combo_offers_the_years_with_data_and_reloads_another_year(qtbot, db, admin, team, office):
    page = open_page(qtbot, db, team["officer"])
    working = page.ctx.fiscal_year
    years = [page.year_combo.itemData(i) for i in range(page.year_combo.count())]
    assert years == sorted({FY, working}, reverse=True)  # newest first
    assert page.year_combo.currentData() == working and page.year == working
    assert "(ปีปัจจุบัน)" in page.year_combo.itemText(years.index(working))
    assert "๒๕๖๙" in page.year_combo.itemText(years.index(FY))  # Buddhist era, Thai digits
    if working != FY:
        assert all(line.standards_result is None for line in page.visible_lines())
    choose_year(qtbot, page, FY)
    assert page.year == FY and page.year_combo.currentData() == FY
    assert {line.name: line.standards_result for line in page.visible_lines()}["สหกรณ์ทันกำหนด จำกัด"] == "pass"
    dialog = page.make_dialog(office["สหกรณ์ทันกำหนด จำกัด"])  # the assessment dialog opens on that year
    qtbot.addWidget(dialog)
    assert dialog.fiscal_year == FY


def test_late_and_overdue_reports_are_marked_and_can_be_listed_alone(qtbot, db, admin, team, office):
    today = add_working_days(office["due"], 5, default_calendar())
    page = open_page(qtbot, db, team["officer"], today=today)
    choose_year(qtbot, page, FY)
    assert cell(page, "สหกรณ์ทันกำหนด จำกัด", "report") == "ทันกำหนด"
    assert cell(page, "สหกรณ์ส่งช้า จำกัด", "report") == "ส่งช้า ๓ วันทำการ"
    assert cell(page, "สหกรณ์ยังไม่ส่ง จำกัด", "report") == "เกินกำหนด ๕ วันทำการ"
    assert cell(page, "สหกรณ์ส่งช้า จำกัด", "report", Qt.ItemDataRole.ForegroundRole) == LATE_COLOR
    assert cell(page, "สหกรณ์ทันกำหนด จำกัด", "report", Qt.ItemDataRole.ForegroundRole) is None
    assert "ช้ากว่ากำหนด" in cell(page, "สหกรณ์ส่งช้า จำกัด", "report", Qt.ItemDataRole.ToolTipRole)
    assert cell(page, "สหกรณ์ขาดทุน จำกัด", "report") == ""
    assert "ส่งผลมาตรฐานช้าหรือเกินกำหนด ๒ แห่ง" in page.count_label.text()
    page.late_only.setChecked(True)
    assert {line.name for line in page.visible_lines()} == {"สหกรณ์ส่งช้า จำกัด", "สหกรณ์ยังไม่ส่ง จำกัด"}
    # Sorting the report column puts the most pressing first.
    page.table.sortByColumn(COLUMN["report"], Qt.SortOrder.AscendingOrder)
    assert [line.name for line in page.visible_lines()] == ["สหกรณ์ยังไม่ส่ง จำกัด", "สหกรณ์ส่งช้า จำกัด"]
    page.late_only.setChecked(False)
    assert len(page.visible_lines()) == 4
    # On the due day itself nothing unreported is late yet.
    early = open_page(qtbot, db, team["officer"], today=office["due"])
    choose_year(qtbot, early, FY)
    assert cell(early, "สหกรณ์ยังไม่ส่ง จำกัด", "report").startswith("ครบกำหนด")
    early.late_only.setChecked(True)
    assert [line.name for line in early.visible_lines()] == ["สหกรณ์ส่งช้า จำกัด"]


def test_the_import_button_is_on_the_results_tab(qtbot, db, admin, team, office):
    page = open_page(qtbot, db, team["officer"])
    assert page.import_button.text() == "นำเข้าผลความเข้มแข็ง (Excel)…" and page.import_button.isEnabled()


def target_names(page) -> list[str]:
    return [page.target_model.index(r, 0).data() for r in range(page.target_model.rowCount())]


def filter_items(page) -> list:
    return [page.filter_combo.itemData(i) for i in range(page.filter_combo.count())]


def test_a_saved_filter_is_chosen_and_the_lists_recompute(qtbot, db, admin, team, office):
    director = team["director"]
    with db.transaction(director.id) as s:
        weak = targets.save_filter(s, director, "ชั้นสามทุกแห่ง", target_rules.TargetFilter(
            "x", (target_rules.Rule((target_rules.Condition("strength_class", "eq", 3),)),)))
    page = open_page(qtbot, db, director)
    choose_year(qtbot, page, FY)
    assert filter_items(page) == [DEFAULT_FILTER, weak.id]
    assert "(ค่าเริ่มต้น)" in page.filter_combo.itemText(0)
    assert target_names(page) == ["สหกรณ์ขาดทุน จำกัด"]  # seed 001: the loss
    assert not page.delete_filter_button.isEnabled()  # seed 001's rule is not stored
    page.filter_combo.setCurrentIndex(1)
    page.filter_combo.activated.emit(1)
    wait(qtbot, page)
    assert len(target_names(page)) == 4 and "ระดับชั้น 3" in page.filter_description.text()
    assert page.delete_filter_button.isEnabled()


def test_an_edit_used_unsaved_then_saved_as_new_then_deleted(qtbot, db, admin, team, office, dialogs):
    director = team["director"]
    page = open_page(qtbot, db, director)
    choose_year(qtbot, page, FY)
    # Edit seed 001's rule: classes 3 only, no participation condition, and use it unsaved.
    dialog = page.make_filter_dialog()
    qtbot.addWidget(dialog)
    assert dialog.save_button.isHidden() and not dialog.save_new_button.isHidden()  # nothing stored to save over
    dialog.loss.setChecked(False)
    dialog.class_boxes[2].setChecked(False)
    dialog.participation.setChecked(False)
    assert dialog.preview.text() == "เงื่อนไข: (ความเข้มแข็งระดับชั้น 3)"
    assert dialog.use()
    page.filter_done(dialog)
    wait(qtbot, page)
    assert filter_items(page)[-1] == EDITED_FILTER and page.filter_combo.currentData() == EDITED_FILTER
    assert "(ยังไม่บันทึก)" in page.filter_combo.currentText()
    assert len(target_names(page)) == 4
    # Save it as a new set under a new name.
    dialog = page.make_filter_dialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("ชั้นสาม")
    assert dialog.save_new()
    page.filter_done(dialog)
    wait(qtbot, page)
    saved_id = dialog.saved.id
    assert filter_items(page) == [DEFAULT_FILTER, saved_id] and page.filter_combo.currentText() == "ชั้นสาม"
    assert len(target_names(page)) == 4
    # Saving another new set under the same name is refused under the name field.
    again = page.make_filter_dialog()
    qtbot.addWidget(again)
    assert not again.save_button.isHidden()
    assert not again.save_new()
    assert "มีเกณฑ์คัดเลือกชื่อ" in again.errors.message("name")
    # Renamed and saved over.
    again.name.setText("ชั้นสาม (แก้ไข)")
    again.class_boxes[2].setChecked(True)
    assert again.save()
    page.filter_done(again)
    wait(qtbot, page)
    assert filter_items(page) == [DEFAULT_FILTER, saved_id] and page.filter_combo.currentText() == "ชั้นสาม (แก้ไข)"
    # Delete: asked first; "no" keeps it, "yes" removes it and goes back to seed 001's rule.
    dialogs.answer = False
    page.delete_filter()
    assert "ชั้นสาม (แก้ไข)" in dialogs.questions[-1] and filter_items(page) == [DEFAULT_FILTER, saved_id]
    dialogs.answer = True
    page.delete_filter()
    wait(qtbot, page)
    assert filter_items(page) == [DEFAULT_FILTER] and target_names(page) == ["สหกรณ์ขาดทุน จำกัด"]
    with db.session() as s:
        assert targets.list_filters(s, director) == []


def test_the_filter_dialog_shows_what_is_wrong_under_the_field(qtbot, db, admin, team):
    dialog = TargetFilterDialog(AppContext(db, team["director"]), targets.default_filter())
    qtbot.addWidget(dialog)
    dialog.weak.setChecked(False)
    dialog.loss.setChecked(False)
    assert dialog.preview.text().startswith("ยังใช้ไม่ได้")
    assert not dialog.use() and "อย่างน้อยหนึ่งกลุ่ม" in dialog.errors.message("rules")
    dialog.weak.setChecked(True)
    for box in dialog.class_boxes.values():
        box.setChecked(False)
    assert not dialog.use() and dialog.errors.message("classes") == "กรุณาเลือกระดับชั้นความเข้มแข็งอย่างน้อยหนึ่งชั้น"
    dialog.class_boxes[3].setChecked(True)
    dialog.participation_below.setValue(0)
    assert not dialog.use() and "ร้อยละ" in dialog.errors.message("participation_below")
    dialog.participation_below.setValue(50)
    for box in dialog.kind_boxes.values():
        box.setChecked(False)
    assert not dialog.use() and "ประเภท" in dialog.errors.message("kinds")
    dialog.kind_boxes["coop"].setChecked(True)
    dialog.name.setText("  ")
    assert not dialog.use() and dialog.errors.message("name") == "กรุณาตั้งชื่อเกณฑ์คัดเลือก"
    dialog.name.setText("ชั้นสามมีส่วนร่วมต่ำกว่าครึ่ง")
    assert dialog.use() and dialog.saved is None
    assert dialog.result_filter.describe() == (
        "(ความเข้มแข็งระดับชั้น 3 และสมาชิกมีส่วนร่วมในการทำธุรกิจต่ำกว่าร้อยละ 50)")


def test_an_officer_uses_filters_but_does_not_save_or_delete_them(qtbot, db, admin, team, office):
    page = open_page(qtbot, db, team["officer"])
    assert not page.delete_filter_button.isEnabled() and page.edit_filter_button.isEnabled()
    dialog = page.make_filter_dialog()
    qtbot.addWidget(dialog)
    assert dialog.save_button.isHidden() and dialog.save_new_button.isHidden()
    assert not dialog.read_only_note.isHidden() and not dialog.use_button.isHidden()


def test_the_dialog_classifies_a_past_year_with_that_years_status(qtbot, db, admin, team, office):
    """A cooperative suspended today: its 2569 scores (books closed, meeting held that year)
    give class 2 live and saved, not class 4."""
    from ui.assessment_dialog import AssessmentDialog

    inst = office["สหกรณ์ทันกำหนด จำกัด"]
    with db.transaction(admin.id) as s:
        data = registry.data_of(registry.get_institution(s, admin, inst))
        data.status = "suspended"
        registry.update_institution(s, admin, inst, data)
    dialog = AssessmentDialog(AppContext(db, team["officer"]), inst, FY)
    qtbot.addWidget(dialog)
    assert dialog.status == "operating"
    for name, value in (("member_service", 25), ("business", 15), ("organisation", 15), ("administration", 24.5)):
        dialog.score_spins[name].setValue(value)
    for box in dialog.basic_boxes.values():
        box.setChecked(True)
    assert dialog.strength_result.text().startswith("ชั้น 2")
    assert dialog.save()
    with db.session() as s:
        assert assessments.strength_of(s, team["officer"], inst, FY).computed_class == 2
