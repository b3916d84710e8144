"""Signing in: the login dialog, and the change-password dialog a reset password leads to."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import _, tr
from app.models import User
from app.services import auth
from ui import errors
from ui.widgets.field_errors import FieldErrors


class LoginDialog(QDialog):
    """Login and password; Enter submits. After wrong passwords the service makes the user
    wait, and the button counts the seconds down instead of letting them try in vain."""

    def __init__(self, db: Database, office_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user: User | None = None
        self.setWindowTitle(tr("เข้าสู่ระบบ — {office}", office=office_name) if office_name else "CoopDesk")
        self.setMinimumWidth(440)

        title = QLabel("CoopDesk")
        title.setObjectName("pageTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        office = QLabel(office_name)
        office.setAlignment(Qt.AlignmentFlag.AlignCenter)
        office.setObjectName("hint")

        self.login_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(_("ชื่อผู้ใช้"), self.login_edit)
        form.addRow(_("รหัสผ่าน"), self.password_edit)

        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.hide()

        self.submit_button = QPushButton(_("เข้าสู่ระบบ"))
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)
        buttons = QDialogButtonBox()
        buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("ออก"), QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(office)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self._retry_at = 0.0
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._tick)

    def submit(self) -> None:
        if not self.submit_button.isEnabled():
            return
        login, password = self.login_edit.text(), self.password_edit.text()
        if not login.strip():
            self._fail(_("โปรดใส่ชื่อผู้ใช้"), 0)
            self.login_edit.setFocus()
            return
        try:
            # The transaction commits failures too: the failed-login count must persist.
            with self.db.transaction() as s:
                result = auth.authenticate(s, login, password)
            if not result.ok:
                self._fail(result.message, result.retry_after)
                return
            with self.db.session() as s:
                must_change = auth.must_change_password(s, result.user)
        except Exception as exc:
            errors.show_error(self, exc)
            return
        self.password_edit.clear()
        if must_change:
            change = ChangePasswordDialog(self.db, result.user, self, forced=True)
            changed = change.exec() == QDialog.DialogCode.Accepted
            change.deleteLater()
            if not changed:
                return
        self.user = result.user
        self.accept()

    def _fail(self, message: str, retry_after: float) -> None:
        self.message.setText(message)
        self.message.show()
        self.password_edit.selectAll()
        self.password_edit.setFocus()
        if retry_after > 0:
            self._retry_at = time.monotonic() + retry_after
            self.submit_button.setEnabled(False)
            self._tick()
            self._countdown.start()

    def seconds_left(self) -> int:
        return max(0, math.ceil(self._retry_at - time.monotonic()))

    def _tick(self) -> None:
        left = self.seconds_left()
        if left > 0:
            self.submit_button.setText(tr("รออีก {s} วินาที", s=left))
            return
        self._countdown.stop()
        self.submit_button.setText(_("เข้าสู่ระบบ"))
        self.submit_button.setEnabled(True)


class ChangePasswordDialog(QDialog):
    def __init__(self, db: Database, user: User, parent: QWidget | None = None, *, forced: bool = False) -> None:
        super().__init__(parent)
        self.db, self.user = db, user
        self.setWindowTitle(_("เปลี่ยนรหัสผ่าน"))
        self.setMinimumWidth(460)
        self.errors = FieldErrors()
        self.old_edit, self.new_edit, self.confirm_edit = QLineEdit(), QLineEdit(), QLineEdit()
        for edit in (self.old_edit, self.new_edit, self.confirm_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        intro = QLabel(
            _("ผู้ดูแลระบบตั้งรหัสผ่านให้คุณใหม่ โปรดเปลี่ยนเป็นรหัสผ่านของคุณเองก่อนเข้าใช้งาน")
            if forced else _("ใส่รหัสผ่านเดิม แล้วตั้งรหัสผ่านใหม่")
        )
        intro.setWordWrap(True)
        policy = tr("รหัสผ่านต้องยาวอย่างน้อย {n} ตัวอักษร", n=auth.MIN_PASSWORD_LENGTH)
        form = QFormLayout()
        form.addRow(_("รหัสผ่านเดิม"), self.errors.wrap("old_password", self.old_edit))
        form.addRow(_("รหัสผ่านใหม่"), self.errors.wrap("password", self.new_edit, hint=policy))
        form.addRow(_("ยืนยันรหัสผ่านใหม่"), self.errors.wrap("confirm", self.confirm_edit))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("บันทึก"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("ยกเลิก"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def submit(self) -> None:
        self.errors.clear()
        if self.new_edit.text() != self.confirm_edit.text():
            self.errors.show("confirm", _("รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน"))
            return
        try:
            with self.db.transaction(self.user.id) as s:
                auth.change_password(s, self.user, self.old_edit.text(), self.new_edit.text())
        except Exception as exc:
            if not self.errors.show_validation(exc):
                errors.show_error(self, exc)
            return
        self.accept()


def sign_in(db: Database, office_name: str, login: str | None = None, password: str | None = None) -> User | None:
    """The signed-in user, or None if the user gave up. With login and password (a benchmark
    or a test) the dialog is only shown if they fail or a new password is required."""
    dialog = LoginDialog(db, office_name)
    try:
        if login:
            dialog.login_edit.setText(login)
            dialog.password_edit.setFocus()
        if login and password is not None:
            dialog.password_edit.setText(password)
            dialog.submit()
        if dialog.result() != QDialog.DialogCode.Accepted:
            dialog.exec()
        return dialog.user
    finally:
        dialog.deleteLater()
