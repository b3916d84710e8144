"""One institution's standards assessment and strength scores for one fiscal year.

Two tabs: มาตรฐาน (assessed or not with the reason; one row per criterion of the year's set;
the report date) and ความเข้มแข็ง (the four scores, the basic conditions, out of scope, the
published class). The result and the class are computed live by app.rules as the form
changes; what is still missing is shown instead. Save writes the tabs the user touched (or
that were already recorded) through app.services.assessments in one transaction; a refused
field is shown under itself. Read-only when the user may not record the institution's
yearly results (the services refuse anyway).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.i18n import _, tr
from app.rules import standards, strength
from app.rules.permissions import Action
from app.rules.registry import KINDS
from app.services import assessments, registry
from app.services.registry import target_of
from ui import errors
from ui.context import AppContext
from ui.formatting import fiscal_year_label
from ui.widgets.field_errors import FieldErrors
from ui.widgets.thai_date_edit import ThaiDateEdit

UNCONFIRMED_MARK = "(ยังไม่ยืนยัน)"
STRENGTH_FIELDS = (*strength.DIMENSIONS, *strength.BASIC_CONDITIONS, "out_of_scope", "out_of_scope_reason",
                   "published_class", "extra", "status")


class AssessmentDialog(QDialog):
    def __init__(self, ctx: AppContext, institution_id: str, fiscal_year: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.institution_id = institution_id
        self.fiscal_year = fiscal_year or ctx.fiscal_year
        self.standards_errors = FieldErrors()
        self.strength_errors = FieldErrors()
        with ctx.db.session() as s:
            inst = registry.get_institution(s, ctx.user, institution_id)
            self.name, self.kind = inst.name, inst.kind
            # The status of that year, as save_strength classifies with (not today's for a past year).
            self.status = assessments.status_in_year(s, ctx.user, institution_id, self.fiscal_year)
            self.sector = strength.sector_of(inst.kind, inst.coop_type)
            self.may_edit = ctx.can(Action.YEARLY_EDIT, target_of(inst))
            std_row = assessments.standards_of(s, ctx.user, institution_id, self.fiscal_year)
            self.stored_assessment = assessments.assessment_of(std_row) if std_row is not None else None
            self.stored_reported_on = std_row.reported_on if std_row is not None else None
            str_row = assessments.strength_of(s, ctx.user, institution_id, self.fiscal_year)
            self.stored_scores = assessments.scores_of(str_row) if str_row is not None else None
            self.stored_published = str_row.published_class if str_row is not None else None
        self.criteria = standards.load_criteria_set(self.kind, self.fiscal_year)
        self.table = strength.table_for_year(self.fiscal_year)
        self.standards_touched = self.stored_assessment is not None
        self.strength_touched = self.stored_scores is not None

        self.setWindowTitle(tr("{name} — มาตรฐานและความเข้มแข็ง {year}", name=self.name,
                               year=fiscal_year_label(self.fiscal_year)))
        self.resize(820, 680)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._standards_tab(), _("มาตรฐาน"))
        self.tabs.addTab(self._strength_tab(), _("ความเข้มแข็ง"))

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(_("บันทึก"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(_("ปิด") if not self.may_edit else _("ยกเลิก"),
                                                   QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.read_only_note = QLabel(_("คุณดูได้อย่างเดียว: บันทึกผลได้เฉพาะเจ้าหน้าที่ผู้รับผิดชอบสหกรณ์/กลุ่มเกษตรกรนี้"))
        self.read_only_note.setObjectName("hint")
        self.read_only_note.setWordWrap(True)

        layout = QVBoxLayout(self)
        heading = QLabel(tr("{name} ({kind})", name=self.name, kind=_(KINDS.get(self.kind, self.kind))))
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.buttons)

        self._load_values()
        self._set_read_only(not self.may_edit)
        self.update_standards_result()
        self.update_strength_result()

    # -- building ------------------------------------------------------------------------------

    def _standards_tab(self) -> QWidget:
        page = QWidget()
        self.assessed_yes = QRadioButton(_("นำมาจัดมาตรฐาน"))
        self.assessed_no = QRadioButton(_("ไม่นำมาจัดมาตรฐาน"))
        self.assessed_group = QButtonGroup(page)
        self.assessed_group.addButton(self.assessed_yes)
        self.assessed_group.addButton(self.assessed_no)
        choice = QHBoxLayout()
        choice.addWidget(self.assessed_yes)
        choice.addWidget(self.assessed_no)
        choice.addStretch(1)

        self.reason_combo = QComboBox()
        self.reason_combo.addItem(_("— เลือกเหตุผล —"), None)
        for code, text in standards.NOT_ASSESSED_REASONS.items():
            self.reason_combo.addItem(_(text), code)
        self.reason_note = QLineEdit()
        self.reason_note.setPlaceholderText(_("รายละเอียด (จำเป็นเมื่อเลือก อื่น ๆ)"))
        self.reason_box = QWidget()
        reason_form = QFormLayout(self.reason_box)
        reason_form.setContentsMargins(0, 0, 0, 0)
        reason_form.addRow(_("เหตุผล"), self.standards_errors.wrap("reason", self.reason_combo))
        reason_form.addRow(_("รายละเอียด"), self.standards_errors.wrap("reason_note", self.reason_note))

        self.criteria_box = QWidget()
        grid = QGridLayout(self.criteria_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(_("เกณฑ์")), 0, 0)
        grid.addWidget(QLabel(_("หมายเหตุ")), 0, 1)
        self.met_boxes: dict[str, QCheckBox] = {}
        self.note_edits: dict[str, QLineEdit] = {}
        for row, crit in enumerate(self.criteria.criteria, start=1):
            text = tr("ข้อ {code} {title}", code=crit.code, title=crit.title)
            if crit.unconfirmed:
                text += " " + _(UNCONFIRMED_MARK)
            box = QCheckBox(text)
            box.setToolTip(crit.text)
            note = QLineEdit()
            self.met_boxes[crit.code], self.note_edits[crit.code] = box, note
            grid.addWidget(self.standards_errors.wrap(f"criteria.{crit.code}", box), row, 0)
            grid.addWidget(note, row, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.criteria_errors_anchor = QLabel()
        grid.addWidget(self.standards_errors.wrap("criteria", self.criteria_errors_anchor), len(self.met_boxes) + 1, 0)

        self.reported_on = ThaiDateEdit()
        self.standards_result = QLabel()
        self.standards_result.setObjectName("resultLine")
        self.standards_result.setWordWrap(True)
        notes = [w for w in self.criteria.warnings]
        self.criteria_note = QLabel("\n".join(notes))
        self.criteria_note.setObjectName("hint")
        self.criteria_note.setWordWrap(True)
        self.criteria_note.setVisible(bool(notes))

        bottom = QFormLayout()
        bottom.addRow(_("วันที่รายงานผล"), self.standards_errors.wrap("reported_on", self.reported_on))
        bottom.addRow(_("ผลการจัดมาตรฐาน"), self.standards_result)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(QLabel(tr("{title} (ปี {year})", title=self.criteria.title, year=self.criteria.year)))
        layout.addLayout(choice)
        layout.addWidget(self.reason_box)
        layout.addWidget(self.criteria_box)
        layout.addWidget(self.criteria_note)
        layout.addLayout(bottom)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        for widget in (self.assessed_yes, self.assessed_no, *self.met_boxes.values()):
            widget.toggled.connect(self._standards_changed)
        self.reason_combo.currentIndexChanged.connect(self._standards_changed)
        for edit in (self.reason_note, *self.note_edits.values(), self.reported_on.edit):
            edit.textChanged.connect(self._standards_changed)
        return page

    def _strength_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.score_spins: dict[str, QDoubleSpinBox] = {}
        for name, (label, maximum) in strength.DIMENSIONS.items():
            spin = QDoubleSpinBox()
            spin.setDecimals(2)
            spin.setRange(0, float(maximum))
            spin.setSingleStep(0.5)
            self.score_spins[name] = spin
            form.addRow(tr("{label} (เต็ม {max})", label=_(label), max=int(maximum)),
                        self.strength_errors.wrap(name, spin))
        self.basic_boxes: dict[str, QCheckBox] = {}
        basic_texts = {"accounts_closed": _("ปิดบัญชีแล้ว"), "agm_held": _("ประชุมใหญ่แล้ว"),
                       "statements_presented": _("เสนองบการเงินต่อที่ประชุมใหญ่แล้ว")}
        for name in strength.BASIC_CONDITIONS:
            box = QCheckBox(basic_texts.get(name, name))
            self.basic_boxes[name] = box
            form.addRow("", self.strength_errors.wrap(name, box))
        self.out_of_scope = QCheckBox(_("ไม่นำมาจัดระดับชั้น"))
        self.out_of_scope_reason = QLineEdit()
        form.addRow("", self.strength_errors.wrap("out_of_scope", self.out_of_scope))
        form.addRow(_("เหตุผลที่ไม่จัดระดับชั้น"), self.strength_errors.wrap("out_of_scope_reason", self.out_of_scope_reason))
        self.published_combo = QComboBox()
        self.published_combo.addItem(_("— ยังไม่ประกาศ —"), None)
        for klass, label in strength.CLASS_LABELS.items():
            self.published_combo.addItem(_(label), klass)
        form.addRow(_("ระดับชั้นที่ส่วนกลางประกาศ"), self.strength_errors.wrap("published_class", self.published_combo))
        self.strength_result = QLabel()
        self.strength_result.setObjectName("resultLine")
        self.strength_result.setWordWrap(True)
        form.addRow(_("ระดับชั้นที่คำนวณได้"), self.strength_errors.wrap("status", self.strength_result, "extra"))

        for spin in self.score_spins.values():
            spin.valueChanged.connect(self._strength_changed)
        for box in (*self.basic_boxes.values(), self.out_of_scope):
            box.toggled.connect(self._strength_changed)
        self.out_of_scope_reason.textChanged.connect(self._strength_changed)
        self.published_combo.currentIndexChanged.connect(self._strength_changed)
        return page

    def _load_values(self) -> None:
        self._loading = True
        a = self.stored_assessment
        if a is None:
            self.assessed_yes.setChecked(True)
        else:
            (self.assessed_yes if a.assessed else self.assessed_no).setChecked(True)
            self.reason_combo.setCurrentIndex(max(0, self.reason_combo.findData(a.reason)))
            self.reason_note.setText(a.reason_note or "")
            for answer in a.answers:
                if answer.code in self.met_boxes:
                    self.met_boxes[answer.code].setChecked(answer.met)
                    self.note_edits[answer.code].setText(answer.note)
        self.reported_on.set_date(self.stored_reported_on)
        sc = self.stored_scores
        if sc is not None:
            for name, spin in self.score_spins.items():
                value = sc.dimension(name)
                spin.setValue(float(value) if value is not None else 0.0)
            for name, box in self.basic_boxes.items():
                box.setChecked(bool(getattr(sc, name)))
            self.out_of_scope.setChecked(sc.out_of_scope)
            self.out_of_scope_reason.setText(sc.out_of_scope_reason)
        self.published_combo.setCurrentIndex(max(0, self.published_combo.findData(self.stored_published)))
        self._loading = False
        self._show_assessed()

    def _set_read_only(self, read_only: bool) -> None:
        widgets = (self.assessed_yes, self.assessed_no, self.reason_combo, self.reason_note, self.reported_on,
                   *self.met_boxes.values(), *self.note_edits.values(), *self.score_spins.values(),
                   *self.basic_boxes.values(), self.out_of_scope, self.out_of_scope_reason, self.published_combo)
        for widget in widgets:
            widget.setEnabled(not read_only)
        self.save_button.setVisible(not read_only)
        self.read_only_note.setVisible(read_only)

    # -- reading the form -----------------------------------------------------------------------

    def _show_assessed(self) -> None:
        assessed = self.assessed_yes.isChecked()
        self.criteria_box.setVisible(assessed)
        self.reason_box.setVisible(not assessed)

    def form_assessment(self) -> standards.Assessment:
        a = self.stored_assessment
        assessed = self.assessed_yes.isChecked()
        answers = tuple(standards.CriterionAnswer(code, box.isChecked(), self.note_edits[code].text().strip())
                        for code, box in self.met_boxes.items()) if assessed else ()
        return standards.Assessment(
            institution_id=self.institution_id, kind=self.kind, year=self.fiscal_year, assessed=assessed,
            answers=answers, reason=None if assessed else self.reason_combo.currentData(),
            reason_note="" if assessed else self.reason_note.text().strip(),
            assessed_by=(a.assessed_by if a else None) or self.ctx.user.id,
            assessed_on=(a.assessed_on if a else None) or date.today())

    def form_reported_on(self) -> date | None:
        try:
            return self.reported_on.date()
        except ValueError as exc:
            raise ValidationError(str(exc), field="reported_on") from None

    def form_scores(self) -> strength.Scores:
        out = self.out_of_scope.isChecked()
        return strength.Scores(
            **{name: Decimal(str(round(spin.value(), 2))).quantize(Decimal("0.01"))
               for name, spin in self.score_spins.items()},
            **{name: box.isChecked() for name, box in self.basic_boxes.items()},
            extra=dict(self.stored_scores.extra) if self.stored_scores else {},
            out_of_scope=out, out_of_scope_reason=self.out_of_scope_reason.text().strip() if out else "")

    def form_published(self) -> int | None:
        return self.published_combo.currentData()

    # -- live results --------------------------------------------------------------------------

    def _standards_changed(self, *_args) -> None:
        if getattr(self, "_loading", True):
            return
        self.standards_touched = True
        self._show_assessed()
        self.update_standards_result()

    def _strength_changed(self, *_args) -> None:
        if getattr(self, "_loading", True):
            return
        self.strength_touched = True
        self.update_strength_result()

    def update_standards_result(self) -> None:
        try:
            outcome = standards.evaluate(self.form_assessment(), self.criteria)
        except ValidationError as exc:
            self.standards_result.setText(tr("ยังประเมินไม่ได้: {why}", why=exc.message))
            self.standards_outcome = None
            return
        self.standards_outcome = outcome
        self.standards_result.setText(outcome.text_th)

    def update_strength_result(self) -> None:
        try:
            found = strength.classify(self.form_scores(), sector=self.sector, table=self.table, status=self.status)
        except ValidationError as exc:
            self.strength_result.setText(tr("ยังจัดระดับชั้นไม่ได้: {why}", why=exc.message))
            self.strength_classification = None
            return
        self.strength_classification = found
        self.strength_result.setText(found.text_th)

    # -- saving ----------------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the touched tabs in one transaction; True when saved (and the dialog accepted)."""
        self.standards_errors.clear()
        self.strength_errors.clear()
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                if self.standards_touched:
                    reported_on = self.form_reported_on()
                    assessments.save_standards(s, self.ctx.user, self.institution_id, self.fiscal_year,
                                               self.form_assessment(), reported_on=reported_on)
                if self.strength_touched:
                    assessments.save_strength(s, self.ctx.user, self.institution_id, self.fiscal_year,
                                              self.form_scores(), published_class=self.form_published())
        except ValidationError as exc:
            if exc.field in STRENGTH_FIELDS and self.strength_errors.show_validation(exc):
                self.tabs.setCurrentIndex(1)
            elif self.standards_errors.show_validation(exc):
                self.tabs.setCurrentIndex(0)
            else:
                errors.show_error(self, exc)
            return False
        except Exception as exc:  # noqa: BLE001 - permission, not found, anything unexpected: one sentence
            errors.show_error(self, exc)
            return False
        self.accept()
        return True
