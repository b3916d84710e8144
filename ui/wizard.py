"""First run: which office this installation is, and its first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.db import Database
from app.i18n import _, tr
from app.models import Province
from app.services import auth, lookups, setup
from app.thai import insert_zwsp
from ui import errors
from ui.widgets.field_errors import FieldErrors
from ui.widgets.search_combo import SearchCombo


class OfficePage(QWizardPage):
    def __init__(self, provinces: list[Province], field_errors: FieldErrors) -> None:
        super().__init__()
        self.setTitle(_("สำนักงานของเครื่องนี้"))
        self.setSubTitle(insert_zwsp(_("เลือกจังหวัดของสำนักงาน โปรแกรมจะตั้งชื่อและรหัสสำนักงานให้ แก้ไขได้ถ้าไม่ตรง")))
        self._errors = field_errors
        self._provinces = {p.code: p for p in provinces}
        self.province_combo = SearchCombo(_("พิมพ์ชื่อจังหวัดเพื่อค้นหา"))
        for p in provinces:
            self.province_combo.addItem(p.name_th, p.code)
        self.province_combo.setCurrentIndex(-1)
        self.province_combo.currentIndexChanged.connect(self._province_changed)
        self.office_name = QLineEdit()
        self.office_code = QLineEdit()
        self.office_code.setMaxLength(16)
        self.mode_province = QRadioButton(_("สำนักงานสหกรณ์จังหวัด"))
        self.mode_central = QRadioButton(_("สำนักงานส่วนกลาง (รับข้อมูลจากทุกจังหวัด)"))
        self.mode_province.setChecked(True)
        self._modes = QButtonGroup(self)
        self._modes.addButton(self.mode_province)
        self._modes.addButton(self.mode_central)
        mode_box = QWidget()
        mode_layout = QVBoxLayout(mode_box)
        mode_layout.setContentsMargins(0, 0, 0, 0)
        mode_layout.addWidget(self.mode_province)
        mode_layout.addWidget(self.mode_central)

        form = QFormLayout(self)
        form.addRow(_("จังหวัด"), field_errors.wrap("province_code", self.province_combo))
        form.addRow(_("ชื่อสำนักงาน"), field_errors.wrap("office_name", self.office_name))
        form.addRow(_("รหัสสำนักงาน"), field_errors.wrap("office_code", self.office_code))
        form.addRow(_("ประเภทสำนักงาน"), mode_box)
        self._defaults = ("", "")  # what we filled in last, so a user's own edits are kept

    def province(self) -> Province | None:
        return self._provinces.get(self.province_combo.selected_data())

    def _province_changed(self) -> None:
        province = self.province()
        if province is None:
            return
        name, code = setup.default_office_name(province), province.code
        if self.office_name.text() in ("", self._defaults[0]):
            self.office_name.setText(name)
        if self.office_code.text() in ("", self._defaults[1]):
            self.office_code.setText(code)
        self._defaults = (name, code)

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        self._errors.clear()
        if self.province() is None:
            return not self._errors.show("province_code", _("โปรดเลือกจังหวัดจากรายการ"))
        for field, edit, message in (
            ("office_name", self.office_name, _("ต้องระบุชื่อสำนักงาน")),
            ("office_code", self.office_code, _("ต้องระบุรหัสสำนักงาน")),
        ):
            if not edit.text().strip():
                return not self._errors.show(field, message)
        return True


class AdminPage(QWizardPage):
    def __init__(self, field_errors: FieldErrors) -> None:
        super().__init__()
        self.setTitle(_("ผู้ดูแลระบบคนแรก"))
        self.setSubTitle(insert_zwsp(_("ผู้ดูแลระบบเพิ่มผู้ใช้คนอื่น กำหนดบทบาท และตั้งรหัสผ่านใหม่ให้ผู้ที่ลืมรหัสผ่านได้")))
        self.login = QLineEdit()
        self.full_name = QLineEdit()
        self.position = QLineEdit()
        self.password = QLineEdit()
        self.confirm = QLineEdit()
        for edit in (self.password, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        policy = tr("รหัสผ่านต้องยาวอย่างน้อย {n} ตัวอักษร", n=auth.MIN_PASSWORD_LENGTH)
        form = QFormLayout(self)
        form.addRow(_("ชื่อผู้ใช้ (ภาษาอังกฤษ)"), field_errors.wrap("admin_login", self.login))
        form.addRow(_("ชื่อ-สกุล"), field_errors.wrap("admin_name", self.full_name))
        form.addRow(_("ตำแหน่ง"), self.position)
        form.addRow(_("รหัสผ่าน"), field_errors.wrap("password", self.password, hint=policy))
        form.addRow(_("ยืนยันรหัสผ่าน"), field_errors.wrap("confirm", self.confirm))


class SetupWizard(QWizard):
    """Two pages; Finish saves everything in one transaction, or nothing and keeps the input."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(_("ตั้งค่าเริ่มต้น CoopDesk"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(620, 460)
        for button, text in (
            (QWizard.WizardButton.BackButton, _("< ย้อนกลับ")),
            (QWizard.WizardButton.NextButton, _("ถัดไป >")),
            (QWizard.WizardButton.FinishButton, _("เสร็จสิ้น")),
            (QWizard.WizardButton.CancelButton, _("ยกเลิก")),
        ):
            self.setButtonText(button, text)
        self.errors = FieldErrors()  # page 2's; page 1 checks its own fields before Next
        with db.session() as s:
            provinces = lookups.list_provinces(s)
        self.office_page = OfficePage(provinces, FieldErrors())
        self.admin_page = AdminPage(self.errors)
        self.addPage(self.office_page)
        self.addPage(self.admin_page)
        self.admin_login = ""

    def validateCurrentPage(self) -> bool:  # noqa: N802 - Qt override
        if self.currentPage() is self.admin_page:
            return self._finish()
        return super().validateCurrentPage()

    def _finish(self) -> bool:
        self.errors.clear()
        office, admin = self.office_page, self.admin_page
        if admin.password.text() != admin.confirm.text():
            return not self.errors.show("confirm", _("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))
        try:
            with self.db.transaction() as s:
                user = setup.complete_setup(
                    s, province_code=office.province().code, office_name=office.office_name.text(),
                    office_code=office.office_code.text(), admin_login=admin.login.text(),
                    admin_name=admin.full_name.text(), admin_position=admin.position.text(),
                    password=admin.password.text(),
                    mode="central" if office.mode_central.isChecked() else "province",
                )
                office_code = setup.home_office(s).code
        except Exception as exc:
            # A problem with an office field (page 1, out of sight) comes as a dialog instead.
            if not self.errors.show_validation(exc):
                errors.show_error(self, exc)
            return False
        self.db.office_code = office_code
        self.admin_login = user.login
        return True
