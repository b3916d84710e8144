"""Edit a target-selection filter (the standards page's "แก้ไขเงื่อนไข…"): its name, the
accumulated-loss group, the strength-class group (classes, with or without participation
below a percentage), how the groups combine, and which kinds and statuses it covers.

The form is app.services.targets.TargetForm; the service builds the filter and says what is
wrong, in Thai, under the field concerned. The rule is described live as it is edited.

Buttons: use it without saving (anyone), save over the chosen saved filter, save as a new
one (those who may edit filters: app.services.targets.can_edit_filters). After exec():
`saved` is the SavedTargetFilter written (None when only used), `result_filter` the filter.
A filter of another shape than seed 001's keeps its rule groups; only its name, kinds and
statuses can be changed here.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.i18n import _, tr
from app.rules.registry import KINDS, STATUSES, STRENGTH_CLASSES
from app.rules.targets import ALL, ANY, TargetFilter
from app.services import targets
from app.services.targets import SavedTargetFilter, TargetForm
from ui import errors
from ui.context import AppContext
from ui.widgets.field_errors import FieldErrors


def _decimal(spin: QDoubleSpinBox) -> Decimal:
    return Decimal(str(round(spin.value(), 2))).quantize(Decimal("0.01"))


def _row(*widgets: QWidget, stretch: bool = True) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w)
    if stretch:
        layout.addStretch(1)
    return box


class TargetFilterDialog(QDialog):
    def __init__(self, ctx: AppContext, flt: TargetFilter, saved: SavedTargetFilter | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.original = saved
        self.saved: SavedTargetFilter | None = None
        self.result_filter: TargetFilter | None = None
        self.may_save = targets.can_edit_filters(ctx.user)
        self.errors = FieldErrors()
        form = targets.form_of(flt)
        if saved is not None:
            form = replace(form, name=saved.name)
        self.custom_rules = form.custom_rules

        self.setWindowTitle(_("เงื่อนไขคัดเลือกกลุ่มเป้าหมาย"))
        self.resize(720, 460)

        self.name = QLineEdit(form.name)
        self.name.setMaxLength(200)

        # Group 1: accumulated loss.
        self.loss = QCheckBox(_("มีขาดทุนสะสมมากกว่า"))
        self.loss_above = QDoubleSpinBox()
        self.loss_above.setRange(0, 999_999_999_999.99)
        self.loss_above.setDecimals(2)
        self.loss_above.setGroupSeparatorShown(True)
        self.loss_above.setSingleStep(1000)
        self.loss_above.setMinimumWidth(160)
        # Group 2: strength class, with participation.
        self.weak = QCheckBox(_("ความเข้มแข็งระดับชั้น"))
        self.class_boxes = {c: QCheckBox(tr("ชั้น {n}", n=c)) for c in STRENGTH_CLASSES}
        self.participation = QCheckBox(_("และสมาชิกมีส่วนร่วมในการทำธุรกิจต่ำกว่าร้อยละ"))
        self.participation_below = QDoubleSpinBox()
        self.participation_below.setRange(0, 100)
        self.participation_below.setDecimals(2)
        self.participation_below.setMinimumWidth(100)
        self.combine_any = QRadioButton(_("เข้ากลุ่มใดกลุ่มหนึ่ง (หรือ)"))
        self.combine_all = QRadioButton(_("ต้องเข้าทุกกลุ่ม (และ)"))
        self.combine_group = QButtonGroup(self)
        self.combine_group.addButton(self.combine_any)
        self.combine_group.addButton(self.combine_all)

        rules_box = QGroupBox(_("กลุ่มเงื่อนไข"))
        rules_layout = QVBoxLayout(rules_box)
        rules_layout.addWidget(self.errors.wrap("loss_above", _row(self.loss, self.loss_above, QLabel(_("บาท")))))
        rules_layout.addWidget(self.errors.wrap("classes", _row(self.weak, *self.class_boxes.values())))
        indent = QWidget()
        indent.setFixedWidth(24)
        rules_layout.addWidget(self.errors.wrap("participation_below",
                                                _row(indent, self.participation, self.participation_below)))
        rules_layout.addWidget(self.errors.wrap(
            "rules", _row(QLabel(_("รวมกลุ่มเงื่อนไขแบบ")), self.combine_any, self.combine_all)))
        self.custom_note = QLabel(_("เกณฑ์นี้มีเงื่อนไขที่แก้ไขในหน้าต่างนี้ไม่ได้ จึงคงกลุ่มเงื่อนไขไว้ตามเดิม "
                                    "แก้ไขได้เฉพาะชื่อ ประเภท และสถานะ"))
        self.custom_note.setObjectName("hint")
        self.custom_note.setWordWrap(True)
        rules_layout.addWidget(self.custom_note)

        self.kind_boxes = {code: QCheckBox(_(label)) for code, label in KINDS.items()}
        self.status_boxes = {code: QCheckBox(_(label)) for code, label in STATUSES.items()}
        status_grid = QWidget()
        status_layout = QGridLayout(status_grid)
        status_layout.setContentsMargins(0, 0, 0, 0)
        for i, box in enumerate(self.status_boxes.values()):
            status_layout.addWidget(box, i // 3, i % 3)
        status_layout.setColumnStretch(3, 1)

        fields = QFormLayout()
        fields.addRow(_("ชื่อเกณฑ์"), self.errors.wrap("name", self.name))
        fields.addRow(_("ประเภท"), self.errors.wrap("kinds", _row(*self.kind_boxes.values())))
        fields.addRow(_("สถานะ"), self.errors.wrap("statuses", status_grid))

        self.preview = QLabel()
        self.preview.setObjectName("resultLine")
        self.preview.setWordWrap(True)

        # In reading order (a QDialogButtonBox would reorder them by platform).
        self.use_button = QPushButton(_("ใช้โดยไม่บันทึก"))
        self.save_button = QPushButton(_("บันทึก"))
        self.save_new_button = QPushButton(_("บันทึกเป็นชุดใหม่"))
        cancel = QPushButton(_("ยกเลิก"))
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.use_button)
        self.buttons.addStretch(1)
        for button in (self.save_button, self.save_new_button, cancel):
            self.buttons.addWidget(button)
        (self.save_button if saved is not None and self.may_save else self.use_button).setDefault(True)
        self.use_button.clicked.connect(self.use)
        self.save_button.clicked.connect(self.save)
        self.save_new_button.clicked.connect(self.save_new)
        cancel.clicked.connect(self.reject)
        self.save_button.setVisible(self.may_save and saved is not None)
        self.save_new_button.setVisible(self.may_save)
        self.read_only_note = QLabel(_("บันทึกเกณฑ์ได้เฉพาะผู้อำนวยการกลุ่ม สหกรณ์จังหวัด ธุรการ และผู้ดูแลระบบ "
                                       "คุณใช้เกณฑ์ที่แก้ไขได้โดยไม่บันทึก"))
        self.read_only_note.setObjectName("hint")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setVisible(not self.may_save)

        layout = QVBoxLayout(self)
        layout.addLayout(fields)
        layout.addWidget(rules_box)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        layout.addWidget(self.read_only_note)
        layout.addLayout(self.buttons)

        self._load(form)
        for box in (self.loss, self.weak, self.participation, self.combine_any, self.combine_all,
                    *self.class_boxes.values(), *self.kind_boxes.values(), *self.status_boxes.values()):
            box.toggled.connect(self._changed)
        for spin in (self.loss_above, self.participation_below):
            spin.valueChanged.connect(self._changed)
        self.name.textChanged.connect(self._changed)
        self._changed()

    def _load(self, form: TargetForm) -> None:
        self.loss.setChecked(form.loss)
        self.loss_above.setValue(float(form.loss_above))
        self.weak.setChecked(form.weak)
        for c, box in self.class_boxes.items():
            box.setChecked(c in form.classes)
        self.participation.setChecked(form.participation)
        self.participation_below.setValue(float(form.participation_below))
        (self.combine_any if form.combine == ANY else self.combine_all).setChecked(True)
        for code, box in self.kind_boxes.items():
            box.setChecked(code in form.kinds)
        for code, box in self.status_boxes.items():
            box.setChecked(code in form.statuses)
        editable = form.custom_rules is None
        for w in (self.loss, self.loss_above, self.weak, self.participation, self.participation_below,
                  *self.class_boxes.values()):
            w.setEnabled(editable)
        self.custom_note.setVisible(not editable)

    # -- reading the form -----------------------------------------------------------------------

    def form(self) -> TargetForm:
        return TargetForm(
            name=self.name.text(),
            loss=self.loss.isChecked(), loss_above=_decimal(self.loss_above),
            weak=self.weak.isChecked(), classes=tuple(c for c, b in self.class_boxes.items() if b.isChecked()),
            participation=self.participation.isChecked(), participation_below=_decimal(self.participation_below),
            combine=ANY if self.combine_any.isChecked() else ALL,
            kinds=tuple(k for k, b in self.kind_boxes.items() if b.isChecked()),
            statuses=tuple(s for s, b in self.status_boxes.items() if b.isChecked()),
            custom_rules=self.custom_rules)

    def _changed(self, *_args) -> None:
        editable = self.custom_rules is None
        self.loss_above.setEnabled(editable and self.loss.isChecked())
        for box in self.class_boxes.values():
            box.setEnabled(editable and self.weak.isChecked())
        self.participation.setEnabled(editable and self.weak.isChecked())
        self.participation_below.setEnabled(editable and self.weak.isChecked() and self.participation.isChecked())
        try:
            flt = targets.build_filter(self.form())
        except ValidationError as exc:
            self.preview.setText(tr("ยังใช้ไม่ได้: {why}", why=exc.message))
            return
        self.preview.setText(tr("เงื่อนไข: {rule}", rule=flt.describe()))

    def _built(self) -> TargetFilter | None:
        self.errors.clear()
        try:
            return targets.build_filter(self.form())
        except ValidationError as exc:
            if not self.errors.show_validation(exc):
                errors.show_error(self, exc)
            return None

    # -- the buttons -----------------------------------------------------------------------------

    def use(self) -> bool:
        flt = self._built()
        if flt is None:
            return False
        self.result_filter = flt
        self.accept()
        return True

    def save(self) -> bool:
        """Save over the chosen saved filter (renaming it if the name changed)."""
        if self.original is None:
            return self.save_new()
        return self._write(lambda s, flt: targets.update_filter(s, self.ctx.user, self.original.id, flt.name_th, flt))

    def save_new(self) -> bool:
        return self._write(lambda s, flt: targets.create_filter(s, self.ctx.user, flt.name_th, flt))

    def _write(self, write) -> bool:
        flt = self._built()
        if flt is None:
            return False
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                self.saved = write(s, flt)
        except ValidationError as exc:
            if not self.errors.show_validation(exc):
                errors.show_error(self, exc)
            return False
        except Exception as exc:  # noqa: BLE001 - permission, deleted meanwhile: one sentence
            errors.show_error(self, exc)
            return False
        self.result_filter = self.saved.filter or flt
        self.accept()
        return True
