"""The plan to and from files from the page: export to Excel and print to PDF in the
background, import with the dry run's report first, and one sentence when a build lacks
the file services."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFileDialog

from app.services import plans
from tests.ui.test_plan_page import create, open_page, team  # noqa: F401 - fixture
from ui import plan_files


def test_export_then_import_and_print_from_the_page(qtbot, db, team, tmp_path, dialogs, monkeypatch):  # noqa: F811
    officer = team["officer"]
    plan_id = create(db, officer)
    page = open_page(qtbot, db, officer, plan_id)
    xlsx, pdf = tmp_path / "plan.xlsx", tmp_path / "plan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(xlsx), ""))
    plan_files.export_excel(page)
    qtbot.waitUntil(lambda: len(dialogs.infos) == 1, timeout=15000)
    assert xlsx.exists() and str(xlsx) in dialogs.infos[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    plan_files.print_pdf(page)
    qtbot.waitUntil(lambda: len(dialogs.infos) == 2, timeout=15000)
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")  # the suffix is added

    page.grid.model.setData(page.grid.model.index(3, 1), "ชื่อที่จะถูกแทนด้วยไฟล์")
    page.save()
    reports = []

    def answer(dialog):
        reports.append(dialog.windowTitle())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(plan_files.PlanImportReportDialog, "exec", answer)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(xlsx), ""))
    plan_files.import_excel(page)
    qtbot.waitUntil(lambda: len(reports) == 2, timeout=20000)  # the dry run's report, then the import's
    assert reports == ["ผลการตรวจไฟล์แผน", "ผลการนำเข้าแผน"]
    qtbot.waitUntil(lambda: page.opening.done and page.current.doc.sheet.activities[3].title != "ชื่อที่จะถูกแทนด้วยไฟล์",
                    timeout=5000)
    with db.session() as s:
        stored = plans.document_of(s, officer, plan_id).sheet.activities[3].title
    assert stored == page.current.doc.sheet.activities[3].title


def test_a_build_without_the_file_services_says_so_in_one_sentence(qtbot, db, team, tmp_path, dialogs,  # noqa: F811
                                                                   monkeypatch):
    officer = team["officer"]
    page = open_page(qtbot, db, officer, create(db, officer))

    def missing(name):
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(plan_files.importlib, "import_module", missing)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.xlsx"), ""))
    operation = plan_files.export_excel(page)
    qtbot.waitUntil(lambda: operation.done, timeout=5000)
    assert dialogs.take_warnings() == ["รุ่นนี้ยังส่งออกแผนเป็น Excel ไม่ได้ โปรดแจ้งผู้ดูแลระบบ"]
