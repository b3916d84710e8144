"""Plan against actual: the S-curve's numbers are plans.progress's, it renders to a PNG, and
actuals typed by a user of the group are saved through the service."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app.services import plans
from tests.ui.test_plan_grid import MEETING_TITLE
from tests.ui.test_plan_page import create, open_page, submit, team  # noqa: F401 - fixture
from ui.models.plan_progress_model import FIRST_MONTH_COLUMN
from ui.widgets.s_curve import PLANNED_COLOR

SPENT = (Decimal("1750"), Decimal("1600"), Decimal("1750"), Decimal("0"), Decimal("1500"))


def actual_column(month: int) -> int:
    return FIRST_MONTH_COLUMN + 2 * month + 1


def approved_plan_with_actuals(db, team) -> tuple[str, str]:  # noqa: F811
    officer, director = team["officer"], team["director"]
    plan_id = create(db, officer)
    submit(db, officer, plan_id)
    with db.transaction(director.id) as s:
        plans.approve_plan(s, director, plan_id, reviewed_hash=plans.fingerprint_of(s, director, plan_id))
        key = next(a.key for a in plans.document_of(s, director, plan_id).sheet.activities if a.title == MEETING_TITLE)
        for month, baht in enumerate(SPENT, start=1):
            plans.save_actual(s, officer, plan_id, key, month, work_done=1 if baht else 0, baht_disbursed=baht)
    return plan_id, key


def has_color(image: QImage, color) -> bool:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    return bytes((color.red(), color.green(), color.blue())) in bytes(rgb.constBits())


def test_the_s_curve_has_the_services_numbers_and_saves_as_png(qtbot, db, team, tmp_path):  # noqa: F811
    officer = team["officer"]
    plan_id, _key = approved_plan_with_actuals(db, team)
    with db.session() as s:
        expected = plans.progress(s, officer, plan_id)
    page = open_page(qtbot, db, officer, plan_id)
    view = page.progress
    assert view.model.planned_cumulative() == expected.planned_baht_cumulative
    assert view.model.disbursed_cumulative() == expected.disbursed_baht_cumulative
    data = view.chart_data()
    assert tuple(data.planned) == expected.planned_baht_cumulative
    assert tuple(data.actual) == expected.disbursed_baht_cumulative[:6]  # ต.ค. … มี.ค.: what is reported so far
    assert data.labels[0] == "ต.ค." and data.labels[-1] == "ก.ย." and "๒๕๖๙" in data.title
    assert "๖,๖๐๐" in data.subtitle and "ร้อยละ" in data.subtitle  # Thai-formatted figures

    page.tabs.setCurrentWidget(view)
    view.chart.resize(900, 420)
    image = view.chart.grab().toImage()
    assert not image.isNull() and image.width() == 900 and has_color(image, PLANNED_COLOR)
    target = tmp_path / "s-curve.png"
    assert view.save_chart(target) and not QImage(str(target)).isNull()


def test_actuals_typed_by_the_group_are_saved_and_others_only_look(qtbot, db, team):  # noqa: F811
    officer = team["officer"]
    plan_id, key = approved_plan_with_actuals(db, team)
    page = open_page(qtbot, db, officer, plan_id)
    model = page.progress.model
    row = next(i for i, r in enumerate(model.rows) if r.key == key)
    index = model.index(row, actual_column(6))
    assert index.flags() & Qt.ItemFlag.ItemIsEditable
    assert not model.index(row, actual_column(6) - 1).flags() & Qt.ItemFlag.ItemIsEditable  # the plan itself
    assert model.setData(index, "๑,๗๕๐")
    assert not model.setData(index, "หนึ่งพัน") and "หนึ่งพัน" in page.progress.status.text()
    with db.session() as s:
        stored = plans.progress(s, officer, plan_id)
    assert next(a for a in stored.activities if a.key == key).actual[6].baht == Decimal("1750")
    assert model.disbursed_cumulative() == stored.disbursed_baht_cumulative

    other = open_page(qtbot, db, team["other_director"], plan_id)
    assert not other.progress.model.index(row, actual_column(6)).flags() & Qt.ItemFlag.ItemIsEditable


def test_approved_visits_are_shown_in_the_actuals_but_not_typed_again(qtbot):
    from app.rules.plan import MonthCell
    from app.services.plans import ActivityProgress, PlanProgress
    from ui.models.plan_columns import BAHT, WORK
    from ui.models.plan_progress_model import PlanProgressModel

    empty = (MonthCell(),) * 12
    actual = list(empty)
    actual[1] = MonthCell(3, Decimal("500"))  # 1 typed by hand + 2 approved visits
    visits = [0] * 12
    visits[1] = 2
    row = ActivityProgress("k", "๒.๓", "เข้าแนะนำส่งเสริม", False, empty, tuple(actual), tuple(visits))
    saved = []
    model = PlanProgressModel()
    model.set_progress(PlanProgress((row,), (Decimal(0),) * 12, (Decimal(0),) * 12), can_edit=True)
    model.save_actual = lambda key, month, cell: saved.append((key, month, cell)) or True
    model.set_quantity(WORK)
    index = model.index(0, actual_column(1))
    assert index.data() == "3"
    assert index.data(Qt.ItemDataRole.EditRole) == "1"  # only the hand-typed part is edited
    assert "2" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.setData(index, "4")
    assert saved == [("k", 1, MonthCell(4, Decimal("500")))]  # stored without the visits
    assert model.rows[0].actual[1] == MonthCell(6, Decimal("500"))  # shown with them
    model.set_quantity(BAHT)
    assert model.setData(model.index(0, actual_column(1)), "750")
    assert saved[-1] == ("k", 1, MonthCell(4, Decimal("750")))
