"""First run, signing in, and the main window that follows."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWizard

from app.services import auth, setup
from tests.conftest import ADMIN_PASSWORD
from ui.login import ChangePasswordDialog, LoginDialog
from ui.main import Shell
from ui.wizard import SetupWizard


def test_wizard_completes_the_first_run(qtbot, db):
    wizard = SetupWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    office = wizard.office_page
    assert office.province_combo.count() == 77
    office.province_combo.lineEdit().setText("กำแพงเพชร")  # typed, as in the searchable box
    office.province_combo.select_data("62")
    assert office.office_name.text() == "สำนักงานสหกรณ์จังหวัดกำแพงเพชร"
    assert office.office_code.text() == "62"
    wizard.next()
    admin = wizard.admin_page
    admin.login.setText("somchai")
    admin.full_name.setText("สมชาย ใจดี")
    admin.password.setText("long-enough-1")
    admin.confirm.setText("not the same")
    assert not wizard.validateCurrentPage()
    assert wizard.errors.message("confirm")
    with db.session() as s:
        assert setup.needs_setup(s)  # nothing saved, and nothing typed was lost
    assert admin.full_name.text() == "สมชาย ใจดี"
    admin.confirm.setText("long-enough-1")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.admin_login == "somchai" and db.office_code == "62"
    with db.transaction() as s:
        assert not setup.needs_setup(s)
        assert auth.authenticate(s, "somchai", "long-enough-1").ok


def test_wizard_keeps_an_office_name_the_user_typed(qtbot, db):
    wizard = SetupWizard(db)
    qtbot.addWidget(wizard)
    office = wizard.office_page
    office.province_combo.select_data("62")
    office.office_name.setText("สำนักงานของเรา")
    office.province_combo.select_data("83")
    assert office.office_name.text() == "สำนักงานของเรา"
    assert office.office_code.text() == "83"  # the code still follows the province


def test_wrong_password_shows_a_message_and_counts_down(qtbot, db, admin):
    dialog = LoginDialog(db, "สำนักงานสหกรณ์จังหวัดกำแพงเพชร")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.login_edit.setText("admin")
    dialog.password_edit.setText("wrong-password")
    dialog.submit()
    assert "ไม่ถูกต้อง" in dialog.message.text() and dialog.message.isVisible()
    assert not dialog.submit_button.isEnabled()
    assert "วินาที" in dialog.submit_button.text()
    assert dialog.user is None
    qtbot.waitUntil(dialog.submit_button.isEnabled, timeout=4000)  # 1 s after the first failure
    dialog.password_edit.setText(ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)  # Enter submits
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.user.login == "admin"


def test_right_password_opens_the_main_window_with_the_status_bar(qtbot, db, admin):
    shell = Shell(db, "สำนักงานสหกรณ์จังหวัดกำแพงเพชร")
    assert shell.start("admin", ADMIN_PASSWORD)
    window = shell.window
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    assert window.windowTitle() == "CoopDesk — สำนักงานสหกรณ์จังหวัดกำแพงเพชร"
    assert window.user_label.text() == "สมชาย ผู้ดูแล (ผู้ดูแลระบบ)"
    assert window.office_label.text() == "สำนักงานสหกรณ์จังหวัดกำแพงเพชร"
    assert window.fiscal_label.text().startswith("ปีงบประมาณ ๒๕")
    assert window.built_pages() == ["home"]  # other pages wait for their first visit
    home = window.page("home")
    qtbot.waitUntil(lambda: home.loading is not None and home.loading.done, timeout=5000)
    assert home.cards["total"].value.text() == "0 แห่ง"


def test_a_reset_password_must_be_changed_before_entering(qtbot, db, admin, make_user):
    user = make_user("somsri", "officer")
    with db.transaction(admin.id) as s:
        auth.reset_password(s, admin, user.id, "temporary-1")

    def change_it():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ChangePasswordDialog)
        dialog.old_edit.setText("temporary-1")
        dialog.new_edit.setText("my-own-pass-1")
        dialog.confirm_edit.setText("my-own-pass-1")
        dialog.submit()

    QTimer.singleShot(0, change_it)
    shell = Shell(db, "สำนักงาน")
    assert shell.start("somsri", "temporary-1")
    qtbot.addWidget(shell.window)
    with db.transaction() as s:
        result = auth.authenticate(s, "somsri", "my-own-pass-1")
        assert result.ok and not auth.must_change_password(s, result.user)
