"""ผลเทียบแผน: plan against actual per activity and month, work or budget, with the S-curve
of cumulative planned against disbursed budget. Users who record actuals type them into
the yellow cells; each one is saved as it is entered (plans.save_actual)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, language, tr
from app.services.plans import PlanProgress
from app.thai import fiscal_months, format_number
from ui.formatting import ui_date, ui_digits
from ui.models.plan_columns import BAHT, WORK, month_label
from ui.models.plan_progress_model import (
    FIRST_MONTH_COLUMN,
    NUMBER_COLUMN,
    PERCENT,
    TITLE_COLUMN,
    TOTAL_PLANNED,
    PlanProgressModel,
    SaveActual,
    month_header_groups,
)
from ui.widgets.frozen_table import FrozenColumnsTable
from ui.widgets.grouped_header import GroupedHeader
from ui.widgets.s_curve import SCurveChart, SCurveData

ROW_HEIGHT = 28


def chart_number(value) -> str:
    return format_number(value, decimals=0, thai_digits=language() == "th")


class PlanProgressView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fiscal_year = 0
        self.model = PlanProgressModel(self)
        self.quantity = QComboBox()
        self.quantity.addItem(_("งบประมาณ (บาท)"), BAHT)
        self.quantity.addItem(_("งาน"), WORK)
        self.quantity.currentIndexChanged.connect(lambda _i: self.model.set_quantity(self.quantity.currentData()))
        self.hint = QLabel()
        self.hint.setObjectName("hint")

        self.table = FrozenColumnsTable(TITLE_COLUMN + 1)
        self.table.setHorizontalHeader(GroupedHeader(month_header_groups()))
        self.table.setModel(self.model)
        self.table.set_cover_header(GroupedHeader(month_header_groups()))
        self.table.verticalHeader().hide()
        self.table.set_row_height(ROW_HEIGHT)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setColumnWidth(NUMBER_COLUMN, 58)
        self.table.setColumnWidth(TITLE_COLUMN, 280)
        for column in range(FIRST_MONTH_COLUMN, PERCENT + 1):
            self.table.setColumnWidth(column, 78 if column >= TOTAL_PLANNED else 66)

        self.chart = SCurveChart()
        self.save_button = QPushButton(_("บันทึกกราฟเป็นภาพ PNG…"))
        self.save_button.clicked.connect(self.ask_and_save_chart)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.model.dataChanged.connect(self._update_chart)
        self.model.modelReset.connect(self._update_chart)
        self.model.refused.connect(self.status.setText)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("แสดง")))
        top.addWidget(self.quantity)
        top.addSpacing(12)
        top.addWidget(self.hint, 1)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        chart_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(chart_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def load(self, progress: PlanProgress, *, fiscal_year: int, can_edit: bool, save_actual: SaveActual) -> None:
        self.fiscal_year = fiscal_year
        self.model.save_actual = save_actual
        self.model.set_progress(progress, can_edit=can_edit)
        self.hint.setText(_("ช่องสีเหลืองคือผลที่บันทึกได้ พิมพ์ตัวเลขแล้วกด Enter ระบบจะบันทึกทันที")
                          if can_edit else _("คุณดูผลได้ แต่บันทึกผลได้เฉพาะแผนของกลุ่มของคุณ"))
        self.status.clear()

    # -- the S-curve -------------------------------------------------------------------------

    def chart_data(self) -> SCurveData:
        planned = self.model.planned_cumulative()
        reported = self.model.months_reported()
        disbursed = self.model.disbursed_cumulative()[:reported]
        if reported:
            month = fiscal_months(self.fiscal_year)[reported - 1]
            target = planned[reported - 1]
            share = format_number(disbursed[-1] * 100 / target, decimals=1, thai_digits=language() == "th") \
                if target else "-"
            subtitle = tr("ถึงสิ้นเดือน {month} เบิกจ่ายสะสม {actual} บาท จากแผนสะสม {planned} บาท (ร้อยละ {share})",
                          month=ui_date(month, "month"), actual=chart_number(disbursed[-1]),
                          planned=chart_number(target), share=share)
        else:
            subtitle = _("ยังไม่มีการบันทึกผลการเบิกจ่าย")
        return SCurveData(
            title=tr("การเบิกจ่ายงบประมาณสะสมเทียบกับแผน ปีงบประมาณ พ.ศ. {year}", year=ui_digits(self.fiscal_year)),
            subtitle=subtitle, labels=[month_label(m) for m in range(len(planned))], planned=planned,
            actual=disbursed, planned_name=_("แผนการใช้จ่ายสะสม"), actual_name=_("เบิกจ่ายจริงสะสม"),
            value_text=chart_number,
        )

    def _update_chart(self) -> None:
        if self.fiscal_year:
            self.chart.set_data(self.chart_data())

    def save_chart(self, path: Path) -> bool:
        return self.chart.grab().save(str(path), "PNG")

    def ask_and_save_chart(self) -> None:
        default = str(Path.home() / tr("เอส-เคิร์ฟ-{year}.png", year=self.fiscal_year))
        path, _filter = QFileDialog.getSaveFileName(self, _("บันทึกกราฟเป็นภาพ"), default, _("ภาพ PNG (*.png)"))
        if not path:
            return
        target = Path(path) if path.lower().endswith(".png") else Path(path + ".png")
        if self.save_chart(target):
            self.status.setText(tr("บันทึกภาพไว้ที่ {path} แล้ว", path=target))
        else:
            self.status.setText(tr("บันทึกภาพที่ {path} ไม่ได้ โปรดเลือกโฟลเดอร์อื่น", path=target))
