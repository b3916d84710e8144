"""The plan's header as the official sheet prints it (seed 004): title, the project lines,
who is responsible and who carries it out, targets, budget by category, KPIs and the
three signatories. Saved together with the grid (the page's บันทึก)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.rules.plan.document import (
    SIGNATORIES,
    TEXT_FIELDS,
    BudgetLine,
    KpiLine,
    Person,
    PlanDocument,
    PlanHeader,
    TargetLine,
)
from app.thai import format_number
from ui.models.plan_columns import BAHT, read_text
from ui.models.plan_records_model import COUNT, MONEY, RecordColumn, RecordsModel


def _money(value: Decimal | None) -> str:
    return "" if value is None else format_number(value)


@dataclass(frozen=True)
class HeaderValues:
    """Everything this tab edits, compared as a whole to tell whether it changed."""

    header: PlanHeader
    title: str
    revision_label: str
    budget_total: Decimal | None


class _PersonEdit(QWidget):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("ชื่อ-สกุล"))
        self.position = QLineEdit()
        self.position.setPlaceholderText(_("ตำแหน่ง"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name, 3)
        layout.addWidget(self.position, 2)
        for edit in (self.name, self.position):
            edit.textChanged.connect(self.changed)

    def set_person(self, person: Person) -> None:
        self.name.setText(person.name)
        self.position.setText(person.position)

    def person(self) -> Person:
        return Person(self.name.text().strip(), self.position.text().strip())


class PlanHeaderEditor(QWidget):
    changed = Signal()  # any field edited (the page updates the checks and the unsaved mark)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loaded: HeaderValues | None = None
        self._office_name = ""
        self._budget_total: Decimal | None = None
        self.title = QLineEdit()
        self.revision_label = QLineEdit()
        self.revision_label.setPlaceholderText(_("เช่น แผนปฏิบัติงานครั้งที่ ๑ (ต.ค. – ธ.ค.)"))
        self.budget_total = QLineEdit()
        self.budget_total.setMaximumWidth(200)
        self.budget_total.editingFinished.connect(self._read_budget_total)
        self.texts = {attr: QLineEdit() for attr, _label in TEXT_FIELDS}
        self.responsible = _PersonEdit()
        self.signatories = {attr: _PersonEdit() for attr, _label in SIGNATORIES}
        self.problem = QLabel()
        self.problem.setObjectName("fieldError")
        self.problem.hide()

        self.practitioners = RecordsModel([RecordColumn("ชื่อ-สกุล"), RecordColumn("ตำแหน่ง")], self)
        self.targets = RecordsModel([RecordColumn("พื้นที่/เป้าหมาย"), RecordColumn("จำนวน", COUNT),
                                     RecordColumn("หน่วย")], self)
        self.budget_lines = RecordsModel([RecordColumn("ประเภทรายจ่าย"), RecordColumn("จำนวนเงิน (บาท)", MONEY)], self)
        self.kpis = RecordsModel([RecordColumn("ตัวชี้วัด"), RecordColumn("เป้าหมาย")], self)
        self.tables: list[QTableView] = []
        self.record_buttons: list[QPushButton] = []

        plan_box = QGroupBox(_("แผน"))
        plan_form = QFormLayout(plan_box)
        plan_form.addRow(_("ชื่อแผน"), self.title)
        plan_form.addRow(_("ฉบับ"), self.revision_label)
        plan_form.addRow(_("งบประมาณรวมทั้งสิ้น (บาท)"), self.budget_total)
        plan_form.addRow("", self.problem)
        texts_box = QGroupBox(_("โครงการและผู้รับผิดชอบ"))
        texts_form = QFormLayout(texts_box)
        for attr, label in TEXT_FIELDS:
            texts_form.addRow(_(label), self.texts[attr])
        texts_form.addRow(_("ผู้รับผิดชอบ"), self.responsible)
        signing_box = QGroupBox(_("ผู้ลงนาม"))
        signing_form = QFormLayout(signing_box)
        for attr, label in SIGNATORIES:
            signing_form.addRow(_(label), self.signatories[attr])

        left = QVBoxLayout()
        for box in (plan_box, texts_box, signing_box):
            left.addWidget(box)
        left.addStretch(1)
        right = QVBoxLayout()
        for title, model, widths in ((_("ผู้ปฏิบัติ"), self.practitioners, (160,)),
                                     (_("พื้นที่ดำเนินการ/เป้าหมาย"), self.targets, (130, 56)),
                                     (_("งบประมาณแยกตามประเภทรายจ่าย"), self.budget_lines, (140,)),
                                     (_("ตัวชี้วัดระดับกิจกรรมหลัก"), self.kpis, (200,))):
            right.addWidget(self._records_box(title, model, widths))
        body = QWidget()
        grid = QGridLayout(body)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        for edit in (self.title, self.revision_label, *self.texts.values()):
            edit.textChanged.connect(self.changed)
        for person in (self.responsible, *self.signatories.values()):
            person.changed.connect(self.changed)
        for model in (self.practitioners, self.targets, self.budget_lines, self.kpis):
            model.edited.connect(self.changed)
            model.refused.connect(self._show_problem)

    def _records_box(self, title: str, model: RecordsModel, widths: tuple[int, ...]) -> QGroupBox:
        box = QGroupBox(title)
        table = QTableView()
        table.setModel(model)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(28)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setMinimumHeight(130)
        for column, width in enumerate(widths):
            table.setColumnWidth(column, width)
        add, remove = QPushButton(_("เพิ่มแถว")), QPushButton(_("ลบแถว"))
        add.clicked.connect(lambda: table.edit(model.index(model.add_row(), 0)))
        remove.clicked.connect(lambda: model.remove_row(table.currentIndex().row()))
        self.tables.append(table)
        self.record_buttons += [add, remove]
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        layout = QVBoxLayout(box)
        layout.addWidget(table)
        layout.addLayout(buttons)
        return box

    # -- loading and reading -----------------------------------------------------------------

    def load(self, doc: PlanDocument, *, read_only: bool) -> None:
        h = doc.header
        self.blockSignals(True)
        self._office_name = h.office_name
        self.title.setText(doc.sheet.title)
        self.revision_label.setText(doc.revision_label)
        self._budget_total = doc.sheet.budget_total
        self.budget_total.setText(_money(doc.sheet.budget_total))
        for attr, _label in TEXT_FIELDS:
            self.texts[attr].setText(getattr(h, attr))
        self.responsible.set_person(h.responsible)
        for attr, _label in SIGNATORIES:
            self.signatories[attr].set_person(getattr(h, attr))
        self.practitioners.set_records([(p.name, p.position) for p in h.practitioners])
        self.targets.set_records([(t.label, t.quantity, t.unit) for t in h.targets])
        self.budget_lines.set_records([(b.category, b.amount) for b in h.budget_lines])
        self.kpis.set_records([(k.indicator, k.target) for k in h.kpis])
        self.problem.hide()
        for edit in self.findChildren(QLineEdit):
            edit.setCursorPosition(0)  # long Thai lines: show how they begin, not how they end
        self.blockSignals(False)
        self._set_read_only(read_only)
        self._loaded = self.values()

    def _set_read_only(self, read_only: bool) -> None:
        for edit in (self.title, self.revision_label, self.budget_total, *self.texts.values()):
            edit.setReadOnly(read_only)
        for person in (self.responsible, *self.signatories.values()):
            person.name.setReadOnly(read_only)
            person.position.setReadOnly(read_only)
        for model in (self.practitioners, self.targets, self.budget_lines, self.kpis):
            model.read_only = read_only
        for button in self.record_buttons:
            button.setEnabled(not read_only)

    def values(self) -> HeaderValues:
        header = PlanHeader(
            office_name=self._office_name,
            **{attr: self.texts[attr].text().strip() for attr, _label in TEXT_FIELDS},
            responsible=self.responsible.person(),
            practitioners=tuple(Person(name, position) for name, position in self.practitioners.records()),
            targets=tuple(TargetLine(label, quantity, unit) for label, quantity, unit in self.targets.records()),
            budget_lines=tuple(BudgetLine(category, amount) for category, amount in self.budget_lines.records()),
            kpis=tuple(KpiLine(indicator, target) for indicator, target in self.kpis.records()),
            **{attr: self.signatories[attr].person() for attr, _label in SIGNATORIES},
        )
        return HeaderValues(header, self.title.text().strip(), self.revision_label.text().strip(), self._budget_total)

    def is_dirty(self) -> bool:
        return self._loaded is not None and self.values() != self._loaded

    def mark_saved(self) -> None:
        self._loaded = self.values()

    # -- the budget total ------------------------------------------------------------------

    def commit(self) -> None:
        """Take the budget total as typed even if its field has not been left yet."""
        self._read_budget_total()

    def _read_budget_total(self) -> None:
        text = self.budget_total.text()
        try:
            value = read_text(BAHT, text) if text.strip() else None
        except ValueError as exc:
            self._show_problem(str(exc))
            self.budget_total.setText(_money(self._budget_total))
            return
        self.problem.hide()
        self.budget_total.setText(_money(value))
        if value != self._budget_total:
            self._budget_total = value
            self.changed.emit()

    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()
