"""The dashboard page: it loads after the first paint, its KPI cards say what the KPI
service computes, every number opens the institutions behind it, and the charts save as
PNG images with something drawn in them."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage

from app.rules.registry import InstitutionData, YearData
from app.services import kpis, registry
from app.services import visits as svc
from ui.context import AppContext
from ui.formatting import ui_date
from ui.home_page import CLASS_SERIES, HomePage

CLASSES = [1, 2, 2, 3, 4, None, 1, 3]
STANDARDS = ["pass", "fail", "pass", "not_assessed", "pass", None, "fail", "pass"]


@pytest.fixture
def officer(db, admin, make_user):
    officer = make_user("off1", "officer", group=0)
    other = make_user("off2", "officer", group=1)
    with db.session() as s:
        from app.services import lookups

        fy = lookups.working_fiscal_year(s)
    with db.transaction(admin.id) as s:
        for n, (cls, std) in enumerate(zip(CLASSES, STANDARDS, strict=True)):
            kind = "farmer_group" if n in (5, 6) else "coop"
            owner = other if n == 7 else officer
            inst = registry.create_institution(s, admin, InstitutionData(
                reg_no=f"กพ {n + 1:06d}", name=f"สหกรณ์ทดสอบแดชบอร์ดที่ {n + 1} จำกัด" if kind == "coop"
                else f"กลุ่มเกษตรกรทดสอบที่ {n + 1}", kind=kind,
                coop_type="agriculture" if kind == "coop" else None, district_code="6201",
                officer_id=owner.id, group_id=owner.group_id, acct_year_end_month=3, acct_year_end_day=31))
            for year in (fy - 1, fy):
                registry.save_year(s, admin, inst.id, year, YearData(strength_class=cls, standards_result=std))
    return officer


def open_page(qtbot, db, user) -> HomePage:
    page = HomePage(AppContext(db, user))
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.show()
    qtbot.waitUntil(lambda: page.dash is not None, timeout=10000)
    return page


def test_the_cards_show_the_kpi_services_numbers(qtbot, db, officer):
    page = open_page(qtbot, db, officer)
    with db.session() as s:
        report = kpis.kpi_report(s, officer, page.ctx.fiscal_year)
    percent_kpis = [r for r in report.results if r.unit == "percent"]
    assert set(page.kpi_cards) == {r.key for r in percent_kpis}
    for r in percent_kpis:
        card = page.kpi_cards[r.key]
        assert card.value_label.text() == ("–" if r.value is None else f"{r.value:,.2f}%")
        assert card.count_label.text() == f"{r.numerator:,} จาก {r.denominator:,} แห่ง"
        if r.target is not None:
            assert card.target_label.text() == f"เป้าหมายร้อยละ {r.target.normalize():f}"
    coop = report.result("standards_coop")
    assert (coop.numerator, coop.denominator) == (3, 4)  # the officer's coops: pass, fail, pass, pass (one n/a)
    assert page.kpi_cards["standards_coop"].value_label.text() == "75.00%"
    assert page.kpi_cards["standards_coop"].verdict_label.text() == "ถึงเป้าหมาย"  # target 50
    assert page.cards["total"].value.text() == "7 แห่ง" and page.cards["coop"].value.text() == "5 แห่ง"
    assert "ขอบเขตข้อมูล:" in page.scope_label.text() and officer.full_name in page.scope_label.text()


def test_clicking_a_card_lists_the_institutions_behind_it(qtbot, db, officer):
    page = open_page(qtbot, db, officer)
    r = page.dash.kpi("standards_coop")
    qtbot.mouseClick(page.kpi_cards["standards_coop"], Qt.MouseButton.LeftButton)
    dialog = page.list_dialog
    assert dialog is not None and dialog.isVisible()
    every = [*r.numerator_ids, *(i for i in r.denominator_ids if i not in r.numerator_ids),
             *r.excluded_ids, *r.missing_ids]
    assert dialog.shown_ids() == every
    dialog.select_group(0)  # ผ่านเกณฑ์ (ตัวตั้ง)
    assert dialog.shown_ids() == list(r.numerator_ids)
    names = {page.dash.institutions[i].name for i in r.numerator_ids}
    assert names == {"สหกรณ์ทดสอบแดชบอร์ดที่ 1 จำกัด", "สหกรณ์ทดสอบแดชบอร์ดที่ 3 จำกัด",
                     "สหกรณ์ทดสอบแดชบอร์ดที่ 5 จำกัด"}
    dialog.search.setText("ที่ 3")
    assert [page.dash.institutions[i].name for i in dialog.shown_ids()] == ["สหกรณ์ทดสอบแดชบอร์ดที่ 3 จำกัด"]
    dialog.close()


def test_a_bar_opens_its_institutions_and_the_chart_saves_as_png(qtbot, db, officer, tmp_path):
    page = open_page(qtbot, db, officer)
    chart = page.strength_chart
    qtbot.waitUntil(lambda: bool(chart.bar_rects()), timeout=5000)
    this_year = len(page.dash.strength) - 1
    slot_two = next(i for i, (slot, _l, _c) in enumerate(CLASS_SERIES) if slot == "2")
    rect = next(r for r, c, s in chart.bar_rects() if c == this_year and s == slot_two)
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    dialog = page.list_dialog
    assert dialog is not None
    expected = page.dash.strength[this_year].ids["2"]
    assert len(expected) == 2 and dialog.shown_ids() == list(expected)
    dialog.close()

    path = tmp_path / "strength.png"
    assert page.panels["strength"].save_png(path)
    image = QImage(str(path))
    assert not image.isNull() and image.width() > 300
    colors = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(colors) > 20  # bars, text and grid, not a blank page
    class_two = next(c for slot, _l, c in CLASS_SERIES if slot == "2")
    inside = QPoint(int(rect.left()) + 3, int(rect.bottom()) - 3) * image.devicePixelRatio()  # clear of the label
    assert image.pixelColor(inside).name() == class_two


def test_visits_and_deadlines_open_their_institutions(qtbot, db, officer):
    page = open_page(qtbot, db, officer)
    assert page.deadline_model.rowCount() == len(page.dash.deadlines)
    if page.dash.deadlines:
        first = page.dash.deadlines[0]
        page.open_deadline(page.deadline_proxy.index(0, 2))
        assert page.list_dialog.shown_ids() == [first.institution_id]
        assert page.deadline_proxy.index(0, 2).data() == first.institution_name
        page.list_dialog.close()
    assert page.visits_chart.bar_rects() == []  # no visits yet: the chart says so instead of drawing zeros

    day = date.today().replace(day=1)  # this month, reported as made
    inst = page.dash.institution_ids[0]
    with db.transaction(officer.id) as s:
        visit = svc.create_visit(s, officer, officer.id, svc.VisitPlan(inst, day, "09:00"))
        svc.save_report(s, officer, visit.id, svc.VisitReport(actual_date=day, findings="ตรวจเยี่ยม"))
    loaded = page.dash
    page.hide()
    page.show()  # back on the page: it loads again
    qtbot.waitUntil(lambda: page.dash is not loaded, timeout=10000)
    month = next(m for m, v in enumerate(page.dash.visits) if v.month == day)
    assert (page.dash.visits[month].planned, page.dash.visits[month].done) == (1, 1)
    rect = next(r for r, c, s in page.visits_chart.bar_rects() if (c, s) == (month, 1))
    qtbot.mouseClick(page.visits_chart, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert page.list_dialog.shown_ids() == [inst]
    assert page.list_dialog.model.index(0, 6).data() == ui_date(day, "short")
    page.list_dialog.close()


def test_a_new_fiscal_year_reloads_the_page(qtbot, db, officer):
    page = open_page(qtbot, db, officer)
    fy = page.ctx.fiscal_year
    page.ctx.set_fiscal_year(fy - 1)
    qtbot.waitUntil(lambda: page.dash.fiscal_year == fy - 1, timeout=10000)
    assert page.dash.years[-1] == fy - 1
    assert page.kpi_title.text().endswith(page.where.text().split("·")[-1].strip())
    today = date.today()
    assert page.dash.today == today
