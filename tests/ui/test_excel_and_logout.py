"""Excel export and import from the registry page (through ui.ops), and logging out."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from app.rules.registry import InstitutionData
from app.services import registry
from tests.conftest import ADMIN_PASSWORD
from tests.ui.test_registry_page import add, open_page
from ui import import_dialog
from ui.login import LoginDialog
from ui.main import Shell


def test_export_then_import_through_the_page(qtbot, db, admin, ctx, dialogs, tmp_path, monkeypatch):
    keep = add(db, admin, "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "กพ.1/2530")
    gone = add(db, admin, "สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด", "กพ.2/2531", coop_type="savings")
    page = open_page(qtbot, ctx)
    target = tmp_path / "registry.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.export_excel()
    qtbot.waitUntil(lambda: len(dialogs.infos) == 1, timeout=10000)
    assert target.exists() and "2" in dialogs.infos[0]

    with db.transaction(admin.id) as s:
        registry.delete_institution(s, admin, gone)
        registry.update_institution(s, admin, keep, InstitutionData(
            reg_no="กพ.1/2530", name="ชื่อที่แก้ไว้", coop_type="agriculture", district_code="6201"))
    reports = []

    def answer(dialog):
        reports.append(dialog)
        return QDialog.DialogCode.Accepted  # "import the rows that passed"

    monkeypatch.setattr(import_dialog.ImportReportDialog, "exec", answer)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    page.import_excel()
    qtbot.waitUntil(lambda: len(reports) == 2, timeout=15000)  # the dry run's report, then the import's
    qtbot.waitUntil(lambda: page.loading.done and page.model.rowCount() == 2, timeout=5000)
    with db.session() as s:
        assert registry.get_institution(s, admin, keep).name == "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด"
        assert registry.get_institution(s, admin, gone).deleted_at is None  # re-registered


def test_logging_out_returns_to_the_login_dialog(qtbot, db, admin):
    shell = Shell(db, "สำนักงานสหกรณ์จังหวัดกำแพงเพชร")
    assert shell.start("admin", ADMIN_PASSWORD)
    first = shell.window

    def sign_in_again():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LoginDialog)
        dialog.login_edit.setText("admin")
        dialog.password_edit.setText(ADMIN_PASSWORD)
        dialog.submit()

    QTimer.singleShot(0, sign_in_again)
    first.logout()
    assert shell.window is not None and shell.window is not first
    qtbot.addWidget(shell.window)
