"""The plan page's dialogs: a new plan, submitting with findings, approving what is on
screen, and a text dialog for a return comment or a revision's name."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from app.rules.approval import short_hash
from app.rules.plan import Finding
from ui.formatting import fiscal_year_label, ui_digits
from ui.models.list_model import ListModel
from ui.widgets.list_table import list_table

FROM_TEMPLATE, FROM_LAST_YEAR, EMPTY = "template", "last_year", "empty"


def _wrapped(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def dialog_buttons(dialog: QDialog, ok_text: str | None) -> tuple[QDialogButtonBox, QPushButton | None]:
    """`ok_text` and ยกเลิก, or (ok_text None) only ปิด; returns the box and its OK button."""
    box = QDialogButtonBox()
    ok = None
    if ok_text is None:
        box.addButton(_("ปิด"), QDialogButtonBox.ButtonRole.RejectRole)
    else:
        ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        box.addButton(_("ยกเลิก"), QDialogButtonBox.ButtonRole.RejectRole)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box, ok


class NewPlanDialog(QDialog):
    """Which group and fiscal year, and what to start from: the official template (seed 004's
    shape), the group's plan of the year before, or an empty sheet."""

    def __init__(self, groups: Sequence[tuple[str, str]], group_id: str | None, years: Sequence[int], year: int,
                 last_year_exists: Callable[[str, int], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("แผนปฏิบัติงานใหม่"))
        self.setMinimumWidth(520)
        self._last_year_exists = last_year_exists
        self.group = QComboBox()
        for gid, name in groups:
            self.group.addItem(name, gid)
        self.group.setCurrentIndex(max(0, self.group.findData(group_id)))
        self.year = QComboBox()
        for y in years:
            self.year.addItem(fiscal_year_label(y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(year)))
        self.from_template = QRadioButton(_("จากแบบแผนปฏิบัติงานมาตรฐาน (หัวข้อและกิจกรรมตามแบบของกรม)"))
        self.from_last_year = QRadioButton()
        self.empty = QRadioButton(_("แผนเปล่า"))
        self.sources = QButtonGroup(self)
        for button, source in ((self.from_template, FROM_TEMPLATE), (self.from_last_year, FROM_LAST_YEAR),
                               (self.empty, EMPTY)):
            self.sources.addButton(button)
            button.setProperty("source", source)
        self.from_template.setChecked(True)
        self.revision_label = QLineEdit()
        self.revision_label.setPlaceholderText(_("ไม่บังคับ เช่น แผนปฏิบัติงานครั้งที่ ๑ (ต.ค. – ธ.ค.)"))
        form = QFormLayout()
        form.addRow(_("กลุ่มงาน"), self.group)
        form.addRow(_("ปีงบประมาณ"), self.year)
        form.addRow(_("ชื่อฉบับ"), self.revision_label)
        buttons, self.ok_button = dialog_buttons(self, _("สร้างแผน"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("เริ่มจาก")))
        for button in (self.from_template, self.from_last_year, self.empty):
            layout.addWidget(button)
        layout.addWidget(buttons)
        self.group.currentIndexChanged.connect(self._refresh)
        self.year.currentIndexChanged.connect(self._refresh)
        self._refresh()

    def _refresh(self) -> None:
        previous = self.fiscal_year() - 1
        exists = self._last_year_exists(self.group_id(), previous)
        self.from_last_year.setEnabled(exists)
        self.from_last_year.setText(tr("จากแผนของกลุ่มนี้ปีงบประมาณ {year}", year=ui_digits(previous)) if exists
                                    else tr("จากแผนปีงบประมาณ {year} (กลุ่มนี้ยังไม่มี)", year=ui_digits(previous)))
        if not exists and self.from_last_year.isChecked():
            self.from_template.setChecked(True)

    def group_id(self) -> str:
        return self.group.currentData()

    def fiscal_year(self) -> int:
        return self.year.currentData()

    def source(self) -> str:
        return self.sources.checkedButton().property("source")


class SubmitDialog(QDialog):
    """The findings, and the acknowledgement the submission records; nothing is sent unless
    the box is ticked."""

    def __init__(self, findings: Sequence[Finding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("ส่งขออนุมัติ"))
        self.resize(860, 460)
        intro = _wrapped(tr("แผนนี้มีข้อสังเกต {n} รายการ คือตัวเลขที่ไม่สอดคล้องกัน ยังส่งขออนุมัติได้ "
                            "แต่ต้องยืนยันว่ารับทราบ และการยืนยันนี้จะบันทึกไว้กับการส่ง",
                            n=ui_digits(len(findings))))
        self.model = ListModel([_("ที่"), _("ข้อสังเกต")], self, right_aligned=(0,))
        self.model.set_rows([(ui_digits(i + 1), f.message()) for i, f in enumerate(findings)], list(findings))
        table = list_table(self.model, (44,))
        self.acknowledge = QCheckBox(tr("รับทราบข้อสังเกต {n} รายการข้างต้น", n=ui_digits(len(findings))))
        buttons, self.ok_button = dialog_buttons(self, _("ส่งขออนุมัติ"))
        self.ok_button.setEnabled(False)
        self.acknowledge.toggled.connect(self.ok_button.setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(table, 1)
        layout.addWidget(self.acknowledge)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self.acknowledge.isChecked():  # Enter must not get past the box either
            super().accept()


class ApproveDialog(QDialog):
    """Shows the fingerprint of the content on the approver's screen: the service approves
    only if the stored plan still has that fingerprint."""

    def __init__(self, what: str, fingerprint: str, acknowledged: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("อนุมัติแผน"))
        self.setMinimumWidth(640)
        self.fingerprint = fingerprint
        code = QLineEdit(fingerprint)
        code.setReadOnly(True)
        code.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(what, "sectionTitle"))
        layout.addWidget(_wrapped(tr("รหัสตรวจสอบเนื้อหาที่คุณกำลังดูอยู่: {short}", short=short_hash(fingerprint))))
        layout.addWidget(code)
        layout.addWidget(_wrapped(_("ระบบจะอนุมัติเฉพาะเมื่อแผนที่บันทึกไว้ยังตรงกับรหัสนี้ "
                                    "ถ้ามีผู้แก้ไขหลังจากที่คุณเปิดดู การอนุมัติจะไม่สำเร็จ"), "hint"))
        if acknowledged:
            layout.addWidget(_wrapped(tr("ผู้ส่งรับทราบข้อสังเกต {n} รายการไว้แล้วเมื่อส่งขออนุมัติ",
                                         n=ui_digits(acknowledged))))
        buttons, self.ok_button = dialog_buttons(self, _("อนุมัติ"))
        layout.addWidget(buttons)


class TextDialog(QDialog):
    """One text to give: a return comment (required, several lines) or a revision's name."""

    def __init__(self, title: str, explanation: str, label: str, ok_text: str, *, required: bool,
                 multiline: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.required = required
        self.edit = QPlainTextEdit() if multiline else QLineEdit()
        if multiline:
            self.edit.setFixedHeight(110)
        buttons, self.ok_button = dialog_buttons(self, ok_text)
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(explanation))
        layout.addWidget(QLabel(label))
        layout.addWidget(self.edit)
        layout.addWidget(buttons)
        self.edit.textChanged.connect(self._refresh)
        self._refresh()

    def text(self) -> str:
        return (self.edit.toPlainText() if isinstance(self.edit, QPlainTextEdit) else self.edit.text()).strip()

    def set_text(self, text: str) -> None:
        if isinstance(self.edit, QPlainTextEdit):
            self.edit.setPlainText(text)
        else:
            self.edit.setText(text)

    def _refresh(self) -> None:
        self.ok_button.setEnabled(bool(self.text()) or not self.required)
