"""The registry list: search, filters, Thai sort order, and buttons that follow permissions
(with the service refusing anyway)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.errors import PermissionDenied
from app.rules.registry import InstitutionData, YearData, type_label
from app.services import registry
from app.services.registry import InstitutionRow
from ui.context import AppContext
from ui.models.registry_model import COLUMN, RegistryFilter, RegistryModel, RegistryProxy, build_lines


def row(i: int, name: str, *, kind="coop", coop_type="agriculture", reg_no=None, district="6201",
        strength=None, standards=None, officer=None) -> InstitutionRow:
    return InstitutionRow(
        id=f"id{i}", reg_no=reg_no or f"กพ.{i}/2560", name=name, kind=kind, coop_type=coop_type,
        type_label=type_label(kind, coop_type), district_code=district, district_name=f"อ.{district}",
        status="operating", members=1000 + i, officer_id=officer, officer_name=officer or "",
        group_id=None, group_name="", fiscal_year=2567, strength_class=strength, out_of_scope=False,
        standards_result=standards,
    )


@pytest.fixture
def proxy(qtbot):
    model, proxy = RegistryModel(), RegistryProxy()
    proxy.setSourceModel(model)
    model.set_lines(build_lines([
        row(1, "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", reg_no="กพ.12/2530", strength=1, standards="pass"),
        row(2, "สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด", coop_type="savings", strength=2, officer="u1"),
        row(3, "กลุ่มเกษตรกรทำนาคลองขลุง", kind="farmer_group", coop_type=None, district="6203"),
        row(4, "สหกรณ์โคนมขาณุวรลักษบุรี จำกัด", standards="fail"),
    ]))
    return proxy


def names(proxy: RegistryProxy) -> list[str]:
    return [proxy.line(r).row.name for r in range(proxy.rowCount())]


def test_search_matches_names_and_registration_numbers_in_either_digits(proxy):
    proxy.set_filter(RegistryFilter(text="ออมทรัพย์"))
    assert names(proxy) == ["สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด"]
    proxy.set_filter(RegistryFilter(text="๑๒/๒๕๓๐"))  # Thai digits find the Arabic reg no
    assert names(proxy) == ["สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด"]
    proxy.set_filter(RegistryFilter(text="กำแพงเพชร จำกัด"))  # every word must match
    assert len(names(proxy)) == 2
    proxy.set_filter(RegistryFilter())
    assert proxy.rowCount() == 4


def test_filters_by_type_district_class_standards_and_officer(proxy):
    proxy.set_filter(RegistryFilter(kind="farmer_group"))
    assert names(proxy) == ["กลุ่มเกษตรกรทำนาคลองขลุง"]
    proxy.set_filter(RegistryFilter(kind="coop:savings"))
    assert names(proxy) == ["สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด"]
    proxy.set_filter(RegistryFilter(kind="coop"))
    assert proxy.rowCount() == 3
    proxy.set_filter(RegistryFilter(district="6203"))
    assert proxy.rowCount() == 1
    proxy.set_filter(RegistryFilter(strength="1"))
    assert proxy.rowCount() == 1
    proxy.set_filter(RegistryFilter(strength=RegistryFilter.NONE))
    assert proxy.rowCount() == 2
    proxy.set_filter(RegistryFilter(standards="fail"))
    assert names(proxy) == ["สหกรณ์โคนมขาณุวรลักษบุรี จำกัด"]
    proxy.set_filter(RegistryFilter(officer="u1", kind="coop"))
    assert proxy.rowCount() == 1
    proxy.set_filter(RegistryFilter(officer=RegistryFilter.NONE))
    assert proxy.rowCount() == 3


def test_names_sort_in_thai_dictionary_order(qtbot):
    model, proxy = RegistryModel(), RegistryProxy()
    proxy.setSourceModel(model)
    # Code-point order would put every เ แ โ ไ word after ฮ; the dictionary files it by consonant.
    words = ["ไก่", "โคนม", "แก้ว", "กล้วย", "เขียว", "ขนุน", "ฮก"]
    model.set_lines(build_lines([row(i, w) for i, w in enumerate(words)]))
    proxy.sort(COLUMN["name"], Qt.SortOrder.AscendingOrder)
    assert names(proxy) == ["กล้วย", "แก้ว", "ไก่", "ขนุน", "เขียว", "โคนม", "ฮก"]
    proxy.sort(COLUMN["name"], Qt.SortOrder.DescendingOrder)
    assert names(proxy)[0] == "ฮก"
    proxy.sort(COLUMN["members"], Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, COLUMN["members"]).data() == "1,006"  # thousands separators
    assert proxy.index(0, COLUMN["members"]).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def add(db, admin, name, reg_no, **kw):
    with db.transaction(admin.id) as s:
        data = InstitutionData(reg_no=reg_no, name=name, kind=kw.pop("kind", "coop"),
                               coop_type=kw.pop("coop_type", "agriculture"), district_code="6201", **kw)
        return registry.create_institution(s, admin, data).id


def open_page(qtbot, ctx):
    from ui.registry_page import RegistryPage

    page = RegistryPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.loading is not None and page.loading.done, timeout=5000)
    return page


def test_page_loads_searches_and_counts(qtbot, db, admin, ctx):
    add(db, admin, "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "กพ.1/2530")
    add(db, admin, "สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด", "กพ.22/2531", coop_type="savings")
    add(db, admin, "กลุ่มเกษตรกรทำนาคลองขลุง", "กพ.กษ.3/2540", kind="farmer_group", coop_type=None)
    page = open_page(qtbot, ctx)
    assert page.count_label.text() == "แสดง 3 จาก 3 แห่ง"
    page.search.insert("๒๒")  # as typed (QTest cannot type Thai digits)
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1, timeout=2000)  # after the typing pause
    assert page.count_label.text() == "แสดง 1 จาก 3 แห่ง"
    page.search.clear()
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("farmer_group"))
    assert page.proxy.rowCount() == 1 and page.proxy.line(0).row.kind == "farmer_group"
    page.kind_filter.setCurrentIndex(0)
    page.table.sortByColumn(COLUMN["name"], Qt.SortOrder.DescendingOrder)  # a header click
    assert page.proxy.line(0).row.name == "สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด"
    assert page.proxy.line(2).row.name == "กลุ่มเกษตรกรทำนาคลองขลุง"


def test_admin_deletes_after_confirming(qtbot, db, admin, ctx, dialogs):
    inst_id = add(db, admin, "สหกรณ์ร้านค้าโรงเรียน จำกัด", "กพ.9/2550", coop_type="consumer")
    page = open_page(qtbot, ctx)
    page.select_id(inst_id)
    assert page.delete_button.isEnabled()
    dialogs.answer = False
    page.delete_selected()
    assert page.model.rowCount() == 1  # declined: nothing happened
    dialogs.answer = True
    page.delete_selected()
    qtbot.waitUntil(lambda: page.loading.done and page.model.rowCount() == 0, timeout=5000)
    with db.session() as s:
        assert registry.find_by_reg_no(s, "กพ.9/2550").deleted_at is not None  # a tombstone, not gone


def test_an_officer_may_not_add_or_delete_and_the_service_refuses_too(qtbot, db, admin, make_user):
    officer = make_user("officer1", "officer")
    own = add(db, admin, "สหกรณ์ของฉัน จำกัด", "กพ.1/2560", officer_id=officer.id, group_id=officer.group_id)
    other = add(db, admin, "สหกรณ์ของคนอื่น จำกัด", "กพ.2/2560")
    page = open_page(qtbot, AppContext(db, officer))
    assert not page.add_button.isEnabled() and not page.import_button.isEnabled()
    page.select_id(own)
    assert page.edit_button.isEnabled() and not page.delete_button.isEnabled()
    page.select_id(other)
    assert not page.edit_button.isEnabled()
    with pytest.raises(PermissionDenied), db.transaction(officer.id) as s:
        registry.delete_institution(s, officer, own)
    with pytest.raises(PermissionDenied), db.transaction(officer.id) as s:
        registry.create_institution(s, officer, InstitutionData(reg_no="x", name="y", coop_type="service"))
    with pytest.raises(PermissionDenied), db.transaction(officer.id) as s:
        registry.save_year(s, officer, other, 2567, YearData(strength_class=1))


def test_the_page_can_show_an_earlier_years_status_without_changing_the_working_year(qtbot, db, admin, ctx):
    from app.rules.registry import YearData

    inst = add(db, admin, "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "กพ.1/2530")
    with db.transaction(admin.id) as s:
        registry.save_year(s, admin, inst, ctx.fiscal_year - 1, YearData(strength_class=2))
    page = open_page(qtbot, ctx)
    assert page.fiscal_year == ctx.fiscal_year
    assert page.proxy.line(0).row.strength_class is None
    page.year_combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.loading.done and page.proxy.line(0).row.fiscal_year == ctx.fiscal_year - 1,
                    timeout=5000)
    assert page.proxy.line(0).row.strength_class == 2
    assert page.year_combo.itemData(0) == ctx.fiscal_year  # the working year is untouched
