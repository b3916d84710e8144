"""The plan to and from files from the page: export to Excel and print to PDF in the
background (any revision on screen), import with the dry run's report first."""

from __future__ import annotations

import subprocess

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


def test_an_approved_revision_prints_while_a_newer_draft_exists(qtbot, db, team, tmp_path, dialogs,  # noqa: F811
                                                                 monkeypatch):
    officer, director = team["officer"], team["director"]
    plan_id = create(db, officer)
    with db.transaction(officer.id) as s:
        plans.submit_plan(s, officer, plan_id, acknowledge_findings=True)
    with db.transaction(director.id) as s:
        plans.approve_plan(s, director, plan_id, reviewed_hash=plans.fingerprint_of(s, director, plan_id))
    with db.transaction(officer.id) as s:
        plans.revise_plan(s, officer, plan_id)
    page = open_page(qtbot, db, officer, plan_id)  # the approved revision 1, no longer the latest
    assert not page.current.is_latest and page.print_button.isEnabled()
    pdf = tmp_path / "approved.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    operation = plan_files.print_pdf(page)
    qtbot.waitUntil(lambda: operation.done, timeout=20000)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    with db.session() as s:
        approved_code = plans.fingerprint_of(s, officer, plan_id)[:12]
    assert "อนุมัติโดย" in text and approved_code in text  # revision 1's stamp, not the new draft
