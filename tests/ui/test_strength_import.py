"""Importing the strength classification from the window: file and year asked, the dry run
in a worker, its report (refused rows, then the differences), the import on the user's
word, then the page reloads. The file dialog and the report dialog's exec are replaced."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLabel, QPushButton, QWidget
from sqlalchemy import func, select

from app.models import StrengthAssessment
from app.rules.registry import InstitutionData
from app.services import registry
from app.services.strength_import import import_file
from tests.exchange.strength_sheets import FY, INSTITUTIONS, strength_sheet
from ui import strength_import
from ui.strength_import import StrengthReportDialog, ask_year, import_strength_file


class Page(QWidget):
    """Stands in for the standards page: something with reload()."""

    def __init__(self) -> None:
        super().__init__()
        self.reloads = 0

    def reload(self) -> None:
        self.reloads += 1


def add_institutions(db, admin) -> None:
    with db.transaction(admin.id) as s:
        for reg_no, name, kind, coop_type in INSTITUTIONS:
            registry.create_institution(s, admin, InstitutionData(reg_no=reg_no, name=name, kind=kind,
                                                                  coop_type=coop_type, district_code="6201"))


def imported(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(StrengthAssessment))


def cells(dialog: StrengthReportDialog) -> list[tuple[str, ...]]:
    m = dialog.model
    return [tuple(m.index(r, c).data() for c in range(m.columnCount())) for r in range(m.rowCount())]


def shown(dialog: StrengthReportDialog) -> dict:
    """What the report dialog shows (taken while it is open: the flow deletes it afterwards)."""
    return {"title": dialog.windowTitle(), "rows": cells(dialog),
            "text": "\n".join(label.text() for label in dialog.findChildren(QLabel)),
            "buttons": [b.text() for b in dialog.findChildren(QPushButton)]}


def choose(monkeypatch, path, year=(True, None), answer=QDialog.DialogCode.Accepted) -> list[dict]:
    reports: list[dict] = []

    def exec_(dialog):
        reports.append(shown(dialog))
        return answer

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(strength_import, "ask_year", lambda parent, working: year)
    monkeypatch.setattr(StrengthReportDialog, "exec", exec_)
    return reports


def test_check_then_import_then_reload(qtbot, db, admin, ctx, tmp_path, monkeypatch):
    add_institutions(db, admin)
    page = Page()
    qtbot.addWidget(page)
    reports = choose(monkeypatch, strength_sheet(tmp_path / "ผลจัดชั้น.xlsx"))
    flow = import_strength_file(page, ctx)
    assert flow is not None and flow.fiscal_year is None  # the year the title states
    qtbot.waitUntil(lambda: len(reports) == 2, timeout=15000)  # the dry run's report, then the import's
    checked, done = reports
    assert checked["title"] == "ผลการตรวจไฟล์ระดับชั้นความเข้มแข็ง" and checked["buttons"] == ["นำเข้า 4 รายการ", "ยกเลิก"]
    assert done["title"] == "ผลการนำเข้าระดับชั้นความเข้มแข็ง" and done["buttons"] == ["ปิด"]
    rows = checked["rows"]
    # Refused rows first, then the row whose computed class differs, then the rest worth showing.
    assert [r[0] for r in rows] == ["12", "13", "7", "6", "8", "11"]
    assert rows[1][3:] == ("ไม่ผ่าน", "ไม่พบเลขทะเบียน 9/2599 ในทะเบียน (แถว 13 คอลัมน์ B)")
    assert rows[2][2:] == ("สหกรณ์การเกษตรคลองขลุง จำกัด", "เพิ่มใหม่", "คำนวณได้ชั้น 2 แต่ส่วนกลางประกาศชั้น 1")
    assert "ไม่ตรงกับชื่อในทะเบียน" in rows[4][4]
    assert "ระดับชั้นที่คำนวณได้ต่างจากที่ส่วนกลางประกาศ 1 แห่ง" in checked["text"]
    assert "รายการที่ไม่ผ่าน 2 รายการ (จะไม่ถูกนำเข้า)" in checked["text"]
    assert imported(db) == 4 and page.reloads == 1
    # After the import nothing is left to apply; unchanged rows with a difference stay listed.
    assert [r[0] for r in done["rows"]] == ["12", "13", "7", "6", "8", "11"]


def test_declining_the_report_imports_nothing(qtbot, db, admin, ctx, tmp_path, monkeypatch):
    add_institutions(db, admin)
    page = Page()
    qtbot.addWidget(page)
    reports = choose(monkeypatch, strength_sheet(tmp_path / "s.xlsx"), answer=QDialog.DialogCode.Rejected)
    flow = import_strength_file(page, ctx)
    qtbot.waitUntil(lambda: len(reports) == 1 and flow.operation.done, timeout=15000)
    qtbot.wait(50)
    assert len(reports) == 1 and imported(db) == 0 and page.reloads == 0


def test_cancelling_the_file_or_the_year_does_nothing(qtbot, ctx, tmp_path, monkeypatch):
    page = Page()
    qtbot.addWidget(page)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    assert import_strength_file(page, ctx) is None
    choose(monkeypatch, tmp_path / "s.xlsx", year=(False, None))
    assert import_strength_file(page, ctx) is None


def test_a_year_the_sheet_contradicts_is_one_error_sentence(qtbot, db, admin, ctx, dialogs, tmp_path, monkeypatch):
    add_institutions(db, admin)
    page = Page()
    qtbot.addWidget(page)
    reports = choose(monkeypatch, strength_sheet(tmp_path / "s.xlsx"), year=(True, FY + 1))
    flow = import_strength_file(page, ctx)
    qtbot.waitUntil(lambda: flow.operation.done, timeout=15000)
    assert reports == [] and imported(db) == 0
    assert dialogs.take_warnings() == [
        f"ไฟล์ s.xlsx เป็นผลการจัดระดับชั้นปีงบประมาณ {FY} แต่เลือกนำเข้าเป็นปีงบประมาณ {FY + 1}"]


def test_the_year_question_offers_the_file_first_then_years(qtbot, monkeypatch):
    offered = []

    def pick(index):
        def exec_(dialog):
            offered[:] = dialog.comboBoxItems()
            dialog.setTextValue(offered[index])
            return QDialog.DialogCode.Accepted

        return exec_

    monkeypatch.setattr(QInputDialog, "exec", pick(0))
    assert ask_year(None, 2569) == (True, None)
    assert offered[:3] == ["ตามที่ระบุในไฟล์", "ปีงบประมาณ ๒๕๗๐", "ปีงบประมาณ ๒๕๖๙"]
    monkeypatch.setattr(QInputDialog, "exec", pick(3))
    assert ask_year(None, 2569) == (True, 2568)
    monkeypatch.setattr(QInputDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert ask_year(None, 2569) == (False, None)


def test_the_report_dialog_renders(qtbot, db, admin, tmp_path):
    """Offscreen render of the dry run's report (saved beside the test's files for a look)."""
    add_institutions(db, admin)
    report = import_file(db, admin, strength_sheet(tmp_path / "s.xlsx"), dry_run=True)
    dialog = StrengthReportDialog(report, None, can_apply=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(tmp_path / "strength_import.png"))
    assert dialog.model.rowCount() == 6
