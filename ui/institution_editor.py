"""The institution editor: its registry record (tab 1) and its status per fiscal year (tab 2,
editable for the working year). Save writes both in one transaction; a refused field is
shown under itself and nothing typed is lost."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.i18n import _, tr
from app.models import InstitutionYear
from app.rules.permissions import Action
from app.rules.registry import (
    COOP_TYPES,
    KINDS,
    STANDARDS_RESULTS,
    STATUSES,
    STRENGTH_CLASSES,
    InstitutionData,
    YearData,
    standards_label,
)
from app.services import lookups, registry, users
from app.services.registry import target_of
from app.thai import THAI_MONTHS, format_number, parse_number
from ui import errors
from ui.context import AppContext
from ui.formatting import fiscal_year_label, ui_date, ui_digits
from ui.models.list_model import ListModel
from ui.widgets.field_errors import FieldErrors
from ui.widgets.thai_date_edit import ThaiDateEdit

NOT_SET_TEXT = "— ไม่ระบุ —"  # translated where shown: the language is set after import
MAX_MEMBERS = 10_000_000


def _combo(items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    for text, value in items:
        combo.addItem(text, value)
    return combo


def _select(combo: QComboBox, value: object, label_if_missing: str = "") -> None:
    """Select the item holding `value`. A value the list lacks (a district of another
    province, a removed group) is added rather than dropped, so saving keeps it."""
    index = combo.findData(value)
    if index < 0 and value is not None and label_if_missing:
        combo.addItem(label_if_missing, value)
        index = combo.count() - 1
    combo.setCurrentIndex(max(0, index))


def _money_text(value: Decimal | None) -> str:
    return "" if value is None else format_number(value)


def _read_number(edit: QLineEdit, field: str) -> Decimal | None:
    """The number typed (Thai or Arabic digits, commas), None when empty."""
    text = edit.text().strip()
    if not text:
        return None
    try:
        return parse_number(text)
    except ValueError as exc:
        raise ValidationError(str(exc), field=field) from None


def _read_date(widget: ThaiDateEdit, field: str):
    try:
        return widget.date()
    except ValueError as exc:
        raise ValidationError(str(exc), field=field) from None


class InstitutionEditor(QDialog):
    def __init__(self, ctx: AppContext, institution_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.institution_id = institution_id
        self.fiscal_year = ctx.fiscal_year
        self.record_errors = FieldErrors()
        self.year_errors = FieldErrors()
        with ctx.db.session() as s:
            if institution_id is None:
                data, years, target = InstitutionData(), [], None
                may_edit = ctx.can(Action.REGISTRY_CREATE)
            else:
                inst = registry.get_institution(s, ctx.user, institution_id)
                data, target = registry.data_of(inst), target_of(inst)
                years = registry.years_of(s, ctx.user, institution_id)
                may_edit = ctx.can(Action.REGISTRY_EDIT, target) or ctx.can(Action.YEARLY_EDIT, target)
            districts = lookups.list_districts(s, ctx.province_code) if ctx.province_code else []
            stored_district = lookups.get_district(s, data.district_code) if data.district_code else None
            people = users.list_users(s, ctx.user, include_inactive=True)
            groups = users.list_groups(s)
        self.may_edit = may_edit
        self._year_before = next((registry.year_data_of(y) for y in years if y.fiscal_year == self.fiscal_year), None)

        self.setWindowTitle(_("เพิ่มสหกรณ์/กลุ่มเกษตรกร") if institution_id is None
                            else tr("{name} — ข้อมูลสหกรณ์/กลุ่มเกษตรกร", name=data.name))
        self.resize(760, 640)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._record_tab(districts, stored_district, people, groups, data), _("ข้อมูลทะเบียน"))
        self.tabs.addTab(self._year_tab(years), _("ข้อมูลรายปี"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

        buttons = QDialogButtonBox()
        if may_edit:
            self.save_button = buttons.addButton(_("บันทึก"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.save_button.setDefault(True)
            buttons.addButton(_("ยกเลิก"), QDialogButtonBox.ButtonRole.RejectRole)
        else:
            self.save_button = None
            buttons.addButton(_("ปิด"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if not may_edit:
            notice = QLabel(_("คุณดูข้อมูลนี้ได้ แต่แก้ไขได้เฉพาะสหกรณ์/กลุ่มเกษตรกรที่อยู่ในความรับผิดชอบของคุณ"))
            notice.setWordWrap(True)
            notice.setObjectName("hint")
            layout.addWidget(notice)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        if not may_edit:
            for kind in (QLineEdit, QPlainTextEdit, QComboBox, QSpinBox, QCheckBox):
                for widget in self.tabs.findChildren(kind):
                    widget.setEnabled(False)

    # -- tab 1: the registry record ----------------------------------------------------------

    def _record_tab(self, districts, stored_district, people, groups, d: InstitutionData) -> QWidget:
        e = self.record_errors
        self.reg_no = QLineEdit(d.reg_no)
        self.name = QLineEdit(d.name)
        self.kind = _combo([(_(label), code) for code, label in KINDS.items()])
        _select(self.kind, d.kind)
        self.coop_type = _combo([(_("— เลือกประเภทสหกรณ์ —"), None)]
                                + [(_(label), code) for code, label in COOP_TYPES.items()])
        _select(self.coop_type, d.coop_type)
        self.district = _combo([(_(NOT_SET_TEXT), None)] + [(x.label, x.code) for x in districts])
        _select(self.district, d.district_code, stored_district.label if stored_district else str(d.district_code))
        self.address = QLineEdit(d.address)
        self.phone = QLineEdit(d.phone)
        self.status = _combo([(_(label), code) for code, label in STATUSES.items()])
        _select(self.status, d.status)
        self.members = QSpinBox()
        self.members.setRange(-1, MAX_MEMBERS)  # -1 shows "not set": a spin box has no empty state
        self.members.setSpecialValueText(_(NOT_SET_TEXT))
        self.members.setGroupSeparatorShown(True)
        self.members.setValue(-1 if d.members is None else d.members)
        self.members.setMaximumWidth(160)
        self.registered_on = ThaiDateEdit()
        self.registered_on.set_date(d.registered_on)
        self.year_end_day = _combo([("", None)] + [(str(n), n) for n in range(1, 32)])
        _select(self.year_end_day, d.acct_year_end_day)
        self.year_end_month = _combo([("", None)] + [(THAI_MONTHS[m], m) for m in range(1, 13)])
        _select(self.year_end_month, d.acct_year_end_month)
        year_end = QWidget()
        year_end_layout = QHBoxLayout(year_end)
        year_end_layout.setContentsMargins(0, 0, 0, 0)
        year_end_layout.addWidget(QLabel(_("วันที่")))
        year_end_layout.addWidget(self.year_end_day)
        year_end_layout.addWidget(QLabel(_("เดือน")))
        year_end_layout.addWidget(self.year_end_month)
        year_end_layout.addStretch(1)
        live_people = [p for p in people if p.active or p.id == d.officer_id]
        self.officer = _combo([(_(NOT_SET_TEXT), None)] + [(p.full_name, p.id) for p in live_people])
        _select(self.officer, d.officer_id, _("ผู้ใช้ที่ถูกลบแล้ว"))
        self.group = _combo([(_(NOT_SET_TEXT), None)] + [(g.name, g.id) for g in groups])
        _select(self.group, d.group_id, _("กลุ่มที่ถูกลบแล้ว"))
        self.notes = QPlainTextEdit(d.notes)
        self.notes.setFixedHeight(70)

        page = QWidget()
        form = QFormLayout(page)
        form.addRow(_("เลขทะเบียน"), e.wrap("reg_no", self.reg_no))
        form.addRow(_("ชื่อ"), e.wrap("name", self.name))
        form.addRow(_("ประเภทองค์กร"), e.wrap("kind", self.kind))
        form.addRow(_("ประเภทสหกรณ์"), e.wrap("coop_type", self.coop_type))
        form.addRow(_("อำเภอ"), e.wrap("district_code", self.district))
        form.addRow(_("ที่อยู่"), e.wrap("address", self.address))
        form.addRow(_("โทรศัพท์"), e.wrap("phone", self.phone))
        form.addRow(_("สถานะ"), e.wrap("status", self.status))
        form.addRow(_("จำนวนสมาชิก"), e.wrap("members", self.members))
        form.addRow(_("วันที่จดทะเบียน"), e.wrap("registered_on", self.registered_on))
        form.addRow(_("วันสิ้นปีทางบัญชี"), e.wrap("acct_year_end", year_end))
        form.addRow(_("เจ้าหน้าที่ผู้รับผิดชอบ"), e.wrap("officer_id", self.officer))
        form.addRow(_("กลุ่ม"), e.wrap("group_id", self.group))
        form.addRow(_("หมายเหตุ"), e.wrap("notes", self.notes))
        return page

    def _kind_changed(self) -> None:
        is_coop = self.kind.currentData() == "coop"
        self.coop_type.setEnabled(is_coop and self.may_edit)
        if not is_coop:
            self.coop_type.setCurrentIndex(0)
        self._fill_standards(self.standards.currentData())

    def record_data(self) -> InstitutionData:
        members = self.members.value()
        return InstitutionData(
            reg_no=self.reg_no.text(), name=self.name.text(), kind=self.kind.currentData(),
            coop_type=self.coop_type.currentData(), district_code=self.district.currentData(),
            address=self.address.text(), phone=self.phone.text(), status=self.status.currentData(),
            members=None if members < 0 else members, registered_on=_read_date(self.registered_on, "registered_on"),
            acct_year_end_month=self.year_end_month.currentData(), acct_year_end_day=self.year_end_day.currentData(),
            officer_id=self.officer.currentData(), group_id=self.group.currentData(), notes=self.notes.toPlainText(),
        )

    # -- tab 2: status per fiscal year -------------------------------------------------------

    def _year_tab(self, years: list[InstitutionYear]) -> QWidget:
        e = self.year_errors
        y = self._year_before or YearData()
        self.strength = _combo([(_(NOT_SET_TEXT), None)] + [(tr("ชั้น {n}", n=n), n) for n in STRENGTH_CLASSES])
        _select(self.strength, y.strength_class)
        self.out_of_scope = QCheckBox(_("ไม่อยู่ในเกณฑ์จัดระดับชั้น"))
        self.out_of_scope.setChecked(y.out_of_scope)
        self.out_of_scope.toggled.connect(self._scope_toggled)
        self.standards = QComboBox()
        self._fill_standards(y.standards_result)
        self.accumulated_loss = QLineEdit(_money_text(y.accumulated_loss))
        self.participation = QLineEdit("" if y.member_participation_pct is None else str(y.member_participation_pct))
        self.business_volume = QLineEdit(_money_text(y.business_volume))
        self.net_profit = QLineEdit(_money_text(y.net_profit))
        for edit in (self.accumulated_loss, self.participation, self.business_volume, self.net_profit):
            edit.setMaximumWidth(200)
        self.agm_date = ThaiDateEdit()
        self.agm_date.set_date(y.agm_date)
        self.accounts_closed = ThaiDateEdit()
        self.accounts_closed.set_date(y.accounts_closed_date)
        self._scope_toggled(y.out_of_scope)

        page = QWidget()
        layout = QVBoxLayout(page)
        heading = QLabel(tr("ข้อมูลของ{year}", year=fiscal_year_label(self.fiscal_year)))
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        form = QFormLayout()
        strength_box = QWidget()
        strength_layout = QHBoxLayout(strength_box)
        strength_layout.setContentsMargins(0, 0, 0, 0)
        strength_layout.addWidget(self.strength)
        strength_layout.addWidget(self.out_of_scope)
        strength_layout.addStretch(1)
        form.addRow(_("ระดับชั้นความเข้มแข็ง"), e.wrap("strength_class", strength_box, "out_of_scope"))
        form.addRow(_("ผลการจัดมาตรฐาน"), e.wrap("standards_result", self.standards))
        form.addRow(_("ขาดทุนสะสม (บาท)"), e.wrap("accumulated_loss", self.accumulated_loss))
        form.addRow(_("การมีส่วนร่วมของสมาชิก (%)"), e.wrap("member_participation_pct", self.participation))
        form.addRow(_("ปริมาณธุรกิจ (บาท)"), e.wrap("business_volume", self.business_volume))
        form.addRow(_("กำไรสุทธิ (บาท)"), e.wrap("net_profit", self.net_profit))
        form.addRow(_("วันประชุมใหญ่สามัญ"), e.wrap("agm_date", self.agm_date))
        form.addRow(_("วันปิดบัญชี"), e.wrap("accounts_closed_date", self.accounts_closed))
        layout.addLayout(form)

        history = QLabel(_("ทุกปีที่บันทึกไว้"))
        history.setObjectName("sectionTitle")
        layout.addWidget(history)
        self.years_model = ListModel([_("ปีงบประมาณ"), _("ระดับชั้น"), _("มาตรฐาน"), _("ขาดทุนสะสม"),
                                      _("มีส่วนร่วม %"), _("ปริมาณธุรกิจ"), _("กำไรสุทธิ"), _("ประชุมใหญ่"),
                                      _("ปิดบัญชี")], self, right_aligned=(3, 4, 5, 6))
        kind = self.kind.currentData()
        self.years_model.set_rows([
            (ui_digits(r.fiscal_year),
             _("ไม่อยู่ในเกณฑ์") if r.out_of_scope else ("" if r.strength_class is None else str(r.strength_class)),
             _(standards_label(kind, r.standards_result)), _money_text(r.accumulated_loss),
             "" if r.member_participation_pct is None else str(r.member_participation_pct),
             _money_text(r.business_volume), _money_text(r.net_profit),
             ui_date(r.agm_date, "short"), ui_date(r.accounts_closed_date, "short"))
            for r in years
        ])
        table = QTableView()
        table.setModel(self.years_model)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeColumnsToContents()
        layout.addWidget(table, 1)
        return page

    def _fill_standards(self, current: str | None) -> None:
        # Farmer groups are ได้มาตรฐาน / ต่ำกว่ามาตรฐาน, cooperatives ผ่าน / ไม่ผ่าน.
        kind = self.kind.currentData()
        self.standards.clear()
        self.standards.addItem(_(NOT_SET_TEXT), None)
        for result in STANDARDS_RESULTS:
            self.standards.addItem(_(standards_label(kind, result)), result)
        _select(self.standards, current)

    def _scope_toggled(self, out: bool) -> None:
        if out:
            self.strength.setCurrentIndex(0)
        self.strength.setEnabled(not out and self.may_edit)

    def year_data(self) -> YearData:
        return YearData(
            strength_class=self.strength.currentData(), out_of_scope=self.out_of_scope.isChecked(),
            standards_result=self.standards.currentData(),
            accumulated_loss=_read_number(self.accumulated_loss, "accumulated_loss"),
            member_participation_pct=_read_number(self.participation, "member_participation_pct"),
            business_volume=_read_number(self.business_volume, "business_volume"),
            net_profit=_read_number(self.net_profit, "net_profit"),
            agm_date=_read_date(self.agm_date, "agm_date"),
            accounts_closed_date=_read_date(self.accounts_closed, "accounts_closed_date"),
        )

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> None:
        self.record_errors.clear()
        self.year_errors.clear()
        try:
            data, year = self.record_data(), self.year_data()
            year_changed = year != (self._year_before or YearData())
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                if self.institution_id is None:
                    inst = registry.create_institution(s, self.ctx.user, data)
                else:
                    inst = registry.update_institution(s, self.ctx.user, self.institution_id, data)
                if year_changed:
                    registry.save_year(s, self.ctx.user, inst.id, self.fiscal_year, year)
                saved_id = inst.id
        except Exception as exc:
            self._show_problem(exc)
            return
        self.institution_id = saved_id
        self.accept()

    def _show_problem(self, exc: Exception) -> None:
        """Under its field (switching to that field's tab), else the error dialog."""
        for tab, field_errors in enumerate((self.record_errors, self.year_errors)):
            if isinstance(exc, ValidationError) and field_errors.has(exc.field):
                self.tabs.setCurrentIndex(tab)
                field_errors.show_validation(exc)
                return
        errors.show_error(self, exc)
