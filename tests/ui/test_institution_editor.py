"""The institution editor: inline validation that loses nothing, and a save in one transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.rules.registry import InstitutionData
from app.services import registry
from ui.institution_editor import InstitutionEditor


def make_institution(db, admin) -> str:
    with db.transaction(admin.id) as s:
        data = InstitutionData(reg_no="กพ.5/2530", name="สหกรณ์การเกษตรไทรงาม จำกัด", coop_type="agriculture",
                               district_code="6205", members=1200)
        return registry.create_institution(s, admin, data).id


def test_an_empty_name_is_shown_under_the_field_and_nothing_is_saved(qtbot, db, admin, ctx):
    inst_id = make_institution(db, admin)
    editor = InstitutionEditor(ctx, inst_id)
    qtbot.addWidget(editor)
    editor.show()
    editor.name.setText("   ")
    editor.members.setValue(1500)
    editor.save()
    assert editor.record_errors.message("name") == "ต้องระบุชื่อ"
    assert editor.result() == 0 and editor.isVisible()
    assert editor.members.value() == 1500  # what was typed is still there
    with db.session() as s:
        inst = registry.get_institution(s, admin, inst_id)
        assert inst.name == "สหกรณ์การเกษตรไทรงาม จำกัด" and inst.members == 1200


def test_a_valid_edit_saves_the_record_and_the_working_year(qtbot, db, admin, ctx):
    inst_id = make_institution(db, admin)
    editor = InstitutionEditor(ctx, inst_id)
    qtbot.addWidget(editor)
    editor.name.setText("สหกรณ์การเกษตรไทรงาม จำกัด (ใหม่)")
    editor.registered_on.setText("๒๕/๑๐/๒๕๓๐")  # Thai digits, Buddhist era
    assert editor.registered_on.shown.text() == "๒๕ ตุลาคม ๒๕๓๐"
    editor.strength.setCurrentIndex(editor.strength.findData(2))
    editor.participation.setText("72.5")
    editor.accumulated_loss.setText("1,250.50")
    editor.save()
    assert editor.result() == 1
    with db.session() as s:
        inst = registry.get_institution(s, admin, inst_id)
        assert inst.name == "สหกรณ์การเกษตรไทรงาม จำกัด (ใหม่)"
        assert inst.registered_on == date(1987, 10, 25)
        year = next(y for y in registry.years_of(s, admin, inst_id) if y.fiscal_year == ctx.fiscal_year)
        assert year.strength_class == 2
        assert year.member_participation_pct == Decimal("72.50")
        assert year.accumulated_loss == Decimal("1250.50")


def test_a_yearly_problem_opens_its_tab_and_an_unreadable_date_stays_typed(qtbot, db, admin, ctx):
    inst_id = make_institution(db, admin)
    editor = InstitutionEditor(ctx, inst_id)
    qtbot.addWidget(editor)
    editor.participation.setText("120")
    editor.save()
    assert editor.tabs.currentIndex() == 1
    assert "0 ถึง 100" in editor.year_errors.message("member_participation_pct")
    editor.participation.setText("")
    editor.registered_on.setText("31/02/2567")
    editor.save()
    assert editor.tabs.currentIndex() == 0
    assert "อ่านวันที่ไม่ได้" in editor.record_errors.message("registered_on")
    assert editor.registered_on.text() == "31/02/2567"


def test_a_new_farmer_group_has_no_cooperative_type(qtbot, db, admin, ctx):
    editor = InstitutionEditor(ctx, None)
    qtbot.addWidget(editor)
    editor.kind.setCurrentIndex(editor.kind.findData("farmer_group"))
    assert not editor.coop_type.isEnabled()
    assert editor.standards.itemText(1) == "ได้มาตรฐาน"  # farmer groups' wording
    editor.reg_no.setText("กพ.กษ.9/2566")
    editor.name.setText("กลุ่มเกษตรกรทำสวนนครชุม")
    editor.save()
    assert editor.result() == 1 and editor.institution_id
    with db.session() as s:
        inst = registry.get_institution(s, admin, editor.institution_id)
        assert inst.kind == "farmer_group" and inst.coop_type is None


def test_someone_elses_institution_opens_read_only(qtbot, db, admin, make_user):
    from ui.context import AppContext

    inst_id = make_institution(db, admin)
    officer = make_user("officer1", "officer")
    editor = InstitutionEditor(AppContext(db, officer), inst_id)
    qtbot.addWidget(editor)
    assert editor.save_button is None and not editor.name.isEnabled()


def test_a_district_of_another_province_survives_a_save(qtbot, db, admin, ctx):
    with db.transaction(admin.id) as s:
        data = InstitutionData(reg_no="ภก.1/2540", name="สหกรณ์ประมงภูเก็ต จำกัด", coop_type="fishery",
                               district_code="8301")
        inst_id = registry.create_institution(s, admin, data).id
    editor = InstitutionEditor(ctx, inst_id)
    qtbot.addWidget(editor)
    assert editor.district.currentText() == "อ.เมืองภูเก็ต"  # not in this office's list, kept anyway
    editor.phone.setText("076-211-000")
    editor.save()
    with db.session() as s:
        assert registry.get_institution(s, admin, inst_id).district_code == "8301"
