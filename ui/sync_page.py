"""รับ-ส่งข้อมูล: signed sync packages (.coopsync) exchanged with the central office on USB sticks.

The header names this office and its key fingerprint (read out over the phone when another
office registers our key), with buttons to save our public key file and to register another
office's key after comparing its fingerprint. Tabs:

- ส่งออก: the target office (a registered peer), a folder, "สร้างแพ็กเกจ" → a worker writes
  the package → its summary (file, sequence number, records per table).
- นำเข้า: one or more .coopsync files → for each, a dry run and its report → "นำเข้า"
  (ui.sync_dialogs.SyncImportFlow).
- ประวัติ: the packages written and imported.
- ข้อมูลขัดแย้ง: open conflicts (or all), the field-level difference of the chosen one, and
  the decision: keep the version that won, or take the one that lost.
- สำนักงานจังหวัด (central office only): per province, the last package, the numbers
  missing, forks refused (in red), open conflicts, and what we sent and it acknowledged.

Everything is read in a worker with its own session (ui.ops.run_op), as other pages do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.exchange.sync.errors import SyncError
from app.exchange.sync.keys import read_key_file
from app.i18n import _, tr
from app.models import SyncConflict, SyncPackage, SyncPeer
from app.rules.permissions import Action
from app.services import settings, sync_export, sync_keys, sync_views
from app.services.sync_export import ExportResult
from app.services.sync_import import ImportReport
from app.services.sync_records import record_title, table_label
from app.services.sync_views import RESOLUTIONS, PeerState
from ui import errors, messages, ops
from ui.context import AppContext
from ui.formatting import ui_date, when_text
from ui.models.list_model import PAYLOAD_ROLE, ListModel
from ui.sync_dialogs import (
    SyncImportFlow,
    TrustKeyDialog,
    mono_font,
    number,
    seq_list,
    sync_error_text,
    table_order,
)
from ui.widgets.list_table import list_table

KIND_LABELS = {"concurrent": "แก้ไขพร้อมกัน", "edit_delete": "แก้ไข/ลบ พร้อมกัน",
               "duplicate": "ซ้ำกับรายการที่มีอยู่", "missing_ref": "ไม่พบข้อมูลที่อ้างถึง",
               "invalid": "ข้อมูลไม่ถูกต้อง"}
KIND_HELP = {
    "concurrent": "ทั้งสองสำนักงานแก้ไขรายการนี้ก่อนได้รับข้อมูลของกันและกัน โปรแกรมใช้ข้อมูลที่ชนะไปก่อน "
                  "โปรดตรวจความแตกต่างแล้วเลือกว่าจะใช้ข้อมูลใด",
    "edit_delete": "สำนักงานหนึ่งแก้ไขรายการนี้ ขณะที่อีกสำนักงานลบรายการนี้ โปรแกรมใช้ข้อมูลที่ชนะไปก่อน "
                   "โปรดตรวจแล้วเลือกว่าจะใช้ข้อมูลใด",
    "duplicate": "รายการที่ได้รับซ้ำกับรายการที่มีอยู่แล้ว จึงไม่ได้นำเข้า "
                 "ข้อมูลที่ชนะคือรายการที่มีอยู่ในเครื่องนี้",
    "missing_ref": "รายการที่ได้รับอ้างถึงข้อมูลที่ไม่มีในเครื่องนี้และไม่มีในแพ็กเกจ จึงไม่ได้นำเข้า "
                   "เมื่อได้รับข้อมูลที่อ้างถึงแล้ว ให้เลือกใช้ข้อมูลที่แพ้เพื่อนำรายการนี้เข้า",
    "invalid": "รายการที่ได้รับมีข้อมูลที่ฐานข้อมูลนี้เก็บไม่ได้ (เช่น ข้อความยาวเกิน) จึงไม่ได้นำเข้า "
               "ดูเหตุผลในหมายเหตุ แล้วให้สำนักงานต้นทางแก้ไขและส่งใหม่",
}
DIRECTION_LABELS = {"out": "ส่งออก", "in": "นำเข้า"}
MODE_LABELS = {"central": "สำนักงานส่วนกลาง", "province": "สำนักงานจังหวัด"}
# The fields people meet most in a conflict's difference; any other shows its column name.
FIELD_LABELS = {
    "name": "ชื่อ", "reg_no": "เลขทะเบียน", "kind": "ประเภท", "coop_type": "ประเภทสหกรณ์", "status": "สถานะ",
    "address": "ที่อยู่", "phone": "โทรศัพท์", "members": "จำนวนสมาชิก", "notes": "หมายเหตุ",
    "district_code": "อำเภอ", "officer_id": "เจ้าหน้าที่ผู้รับผิดชอบ", "group_id": "กลุ่มงาน",
    "registered_on": "วันที่จดทะเบียน", "deleted_at": "ลบเมื่อ", "title": "ชื่อเรื่อง", "full_name": "ชื่อ-สกุล",
    "position": "ตำแหน่ง", "login": "ชื่อผู้ใช้", "fiscal_year": "ปีงบประมาณ", "state": "สถานะ",
}
FORK_COLOR, MISSING_COLOR = QColor("#b71c1c"), QColor("#8a5a00")
FORK_TINT = QBrush(QColor("#fdecea"))

# The folders last used (in memory: the settings registry has no per-machine path setting).
last_folders: dict[str, str] = {}


# -- loading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    office_code: str
    office_name: str
    fingerprint: str
    mode: str  # province | central
    allowed: bool  # may exchange packages (the lists are empty otherwise)
    peers: list[SyncPeer] = field(default_factory=list)
    history: list[SyncPackage] = field(default_factory=list)
    states: list[PeerState] = field(default_factory=list)
    conflicts: list[SyncConflict] = field(default_factory=list)
    open_conflicts: int = 0


def load_page(ctx: AppContext, show_resolved: bool) -> Loaded:
    """Everything the page shows; runs in a worker thread. A transaction: the office's key
    pair is made on first use."""
    user = ctx.user
    with ctx.db.transaction(user.id) as s:
        me = sync_keys.identity(s)
        mode = settings.get(s, "mode")
        if not ctx.can(Action.SYNC_EXCHANGE):
            return Loaded(me.office_code, me.office_name, me.key.public.fingerprint, mode, False)
        conflicts = sync_views.conflicts(s, user, open_only=not show_resolved)
        return Loaded(me.office_code, me.office_name, me.key.public.fingerprint, mode, True,
                      sync_keys.peers(s, user), sync_views.history(s, user), sync_views.peer_states(s, user),
                      conflicts, sum(1 for c in conflicts if c.resolved_at is None))


# -- text of rows ------------------------------------------------------------------------------


def counts_text(counts: dict[str, int], direction: str) -> str:
    """A history row's summary: records sent, or what an import did (only the counts that are not 0)."""
    if direction == "out":
        return tr("{n} รายการ", n=number(sum(counts.values())))
    parts = [(_("เพิ่ม"), "inserted"), (_("ปรับปรุง"), "updated"), (_("ไม่เปลี่ยน"), "unchanged"),
             (_("ขัดแย้ง"), "conflicted"), (_("ปฏิเสธ"), "rejected")]
    shown = [f"{label} {number(counts[key])}" for label, key in parts if counts.get(key)]
    return " · ".join(shown) if shown else _("ไม่มีข้อมูลเปลี่ยนแปลง")


def history_tooltip(package: SyncPackage) -> str:
    counts = package.summary.get("counts", {})
    if package.direction == "out":
        lines = [f"{table_label(n)}: {number(c)}" for n, c in sorted(counts.items(), key=lambda i: table_order(i[0]))]
    else:
        tables = package.summary.get("tables", {})
        lines = [f"{table_label(n)}: {counts_text(t, 'in')}"
                 for n, t in sorted(tables.items(), key=lambda i: table_order(i[0]))]
        if package.summary.get("missing"):
            lines.append(tr("ขาดลำดับที่ {seqs}", seqs=seq_list(package.summary["missing"])))
    return "\n".join(lines)


def value_text(value: object) -> str:
    """A field's value in a conflict's difference, as people read it."""
    if value is None or value == "":
        return _("(ว่าง)")
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่ใช่")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return ui_date(date.fromisoformat(text), "short")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+Z", text):
        return when_text(datetime.fromisoformat(text))
    return text


def record_text(conflict: SyncConflict) -> str:
    """The record a conflict is about: its name (or title, login, number) from either version."""
    data = conflict.winner.get("data") or conflict.loser.get("data") or {}
    return record_title(data, conflict.record_id)


def line_time(line: dict) -> str:
    text = line.get("time")
    try:
        return when_text(datetime.fromisoformat(text)) if text else ""
    except ValueError:
        return ""


def conflict_status(conflict: SyncConflict) -> str:
    if conflict.resolved_at is None:
        return _("รอตัดสิน")
    chosen = _(RESOLUTIONS.get(conflict.resolution or "", conflict.resolution or ""))
    return f"{chosen} ({when_text(conflict.resolved_at)})"


class PeerStateModel(ListModel):
    """The provinces table: a fork refused in red on a light red tint, missing packages in amber."""

    FORKS, MISSING = 4, 3

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            state: PeerState = super().data(index, PAYLOAD_ROLE)
            if index.column() == self.FORKS and state.forks:
                return FORK_COLOR if role == Qt.ItemDataRole.ForegroundRole else FORK_TINT
            if index.column() == self.MISSING and state.missing and role == Qt.ItemDataRole.ForegroundRole:
                return MISSING_COLOR
            return None
        if role == Qt.ItemDataRole.FontRole and index.column() == self.FORKS:
            state = super().data(index, PAYLOAD_ROLE)
            if state.forks:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


class HistoryModel(ListModel):
    """The summary cell's tooltip lists the counts per table."""

    SUMMARY = 5

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.SUMMARY:
            return history_tooltip(super().data(index, PAYLOAD_ROLE)) or None
        return super().data(index, role)


class ConflictModel(ListModel):
    """Resolved conflicts in grey."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole:
            conflict: SyncConflict = super().data(index, PAYLOAD_ROLE)
            return QColor("#777777") if conflict.resolved_at is not None else None
        return super().data(index, role)


def _wrapped(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


# -- the page ----------------------------------------------------------------------------------


class SyncPage(QWidget):
    count_changed = Signal(int)  # open conflicts, shown after the page's title in the sidebar

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.loading: ops.Operation | None = None
        self.exporting: ops.Operation | None = None
        self.flow: SyncImportFlow | None = None
        self._again = False
        self.loaded: Loaded | None = None
        self.peers: list[SyncPeer] = []
        self.conflicts: list[SyncConflict] = []
        self.last_export: ExportResult | None = None
        self.may_trust = ctx.can(Action.SYNC_TRUST)
        self.may_resolve = ctx.can(Action.SYNC_RESOLVE)

        title = QLabel(_("รับ-ส่งข้อมูล"))
        title.setObjectName("pageTitle")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._export_tab(), _("ส่งออก"))
        self.tabs.addTab(self._import_tab(), _("นำเข้า"))
        self.tabs.addTab(self._history_tab(), _("ประวัติ"))
        self.tabs.addTab(self._conflicts_tab(), _("ข้อมูลขัดแย้ง"))
        self.provinces_tab = self._provinces_tab()
        self.provinces_index = -1  # added once the load says this is the central office

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 12)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self._header())
        self.denied_label = _wrapped(_("ผู้ใช้นี้ไม่มีสิทธิ์รับส่งข้อมูล (ต้องเป็นผู้ดูแลระบบ ธุรการ หรือสหกรณ์จังหวัด)"),
                                     "returnedBanner")
        self.denied_label.hide()
        layout.addWidget(self.denied_label)
        layout.addWidget(self.tabs, 1)
        self.reload()

    # -- building ------------------------------------------------------------------------------

    def _header(self) -> QWidget:
        self.office_label = QLabel()
        self.office_label.setObjectName("sectionTitle")
        self.mode_label = QLabel()
        self.mode_label.setObjectName("hint")
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setFont(mono_font(13, bold=True))
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_key_button = QPushButton(_("ส่งออกกุญแจสาธารณะ…"))
        self.export_key_button.setToolTip(_("บันทึกไฟล์กุญแจสาธารณะ (.coopkey) ของสำนักงานนี้ เพื่อส่งให้สำนักงานอื่น"))
        self.export_key_button.clicked.connect(self.export_key)
        self.trust_button = QPushButton(_("ลงทะเบียนกุญแจของสำนักงานอื่น…"))
        self.trust_button.setToolTip(_("เปิดไฟล์กุญแจ (.coopkey) ของสำนักงานอื่น ตรวจลายนิ้วมือทางโทรศัพท์ แล้วลงทะเบียน"))
        self.trust_button.clicked.connect(self.trust_key)
        self.trust_button.setEnabled(self.may_trust)

        frame = QFrame()
        frame.setObjectName("statCard")
        grid = QGridLayout(frame)
        grid.setContentsMargins(16, 10, 16, 10)
        grid.setHorizontalSpacing(12)
        office_row = QHBoxLayout()
        office_row.setSpacing(8)
        office_row.addWidget(self.office_label)
        office_row.addWidget(self.mode_label)
        office_row.addStretch(1)
        grid.addWidget(QLabel(_("สำนักงานนี้")), 0, 0)
        grid.addLayout(office_row, 0, 1)
        grid.addWidget(QLabel(_("ลายนิ้วมือกุญแจ")), 1, 0)
        grid.addWidget(self.fingerprint_label, 1, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.export_key_button)
        buttons.addWidget(self.trust_button)
        grid.addLayout(buttons, 0, 2, 2, 1)
        grid.setColumnStretch(1, 1)
        return frame

    def _export_tab(self) -> QWidget:
        self.target_combo = QComboBox()
        self.target_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target_combo.setMinimumContentsLength(40)
        self.target_combo.currentIndexChanged.connect(self._target_chosen)
        self.target_info = _wrapped(name="hint")
        self.folder_edit = QLineEdit(last_folders.get("export", str(Path.home())))
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.folder_button = QPushButton(_("เลือกโฟลเดอร์…"))
        self.folder_button.clicked.connect(self.choose_folder)
        self.export_button = QPushButton(_("สร้างแพ็กเกจ"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export_package)

        self.export_summary = _wrapped()
        self.export_model = ListModel([_("ข้อมูล"), _("จำนวนรายการ")], self, right_aligned=(1,))
        self.export_table = list_table(self.export_model, (260,))
        self.export_result = QGroupBox(_("แพ็กเกจที่สร้างล่าสุด"))
        box = QVBoxLayout(self.export_result)
        box.addWidget(self.export_summary)
        box.addWidget(self.export_table, 1)
        self.export_result.hide()

        page = QWidget()
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.addWidget(QLabel(_("ส่งถึงสำนักงาน")), 0, 0)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target_combo)
        target_row.addStretch(1)
        grid.addLayout(target_row, 0, 1)
        grid.addWidget(self.target_info, 1, 1)
        grid.addWidget(QLabel(_("บันทึกลงโฟลเดอร์")), 2, 0)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)
        grid.addLayout(folder_row, 2, 1)
        grid.setColumnStretch(1, 1)
        action_row = QHBoxLayout()
        action_row.addWidget(self.export_button)
        action_row.addWidget(_wrapped(_("แพ็กเกจมีข้อมูลทุกรายการที่เปลี่ยนแปลงตั้งแต่แพ็กเกจล่าสุดที่ปลายทางยืนยันรับแล้ว "
                                        "คัดลอกไฟล์ลงแฟลชไดรฟ์แล้วส่งให้สำนักงานปลายทาง"), "hint"), 1)
        layout = QVBoxLayout(page)
        layout.addLayout(grid)
        layout.addLayout(action_row)
        layout.addWidget(self.export_result, 1)
        layout.addStretch(0)
        return page

    def _import_tab(self) -> QWidget:
        self.import_button = QPushButton(_("เลือกไฟล์แพ็กเกจ…"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.choose_packages)
        self.imports_model = ListModel([_("ไฟล์"), _("จากสำนักงาน"), _("ลำดับที่"), _("ผล")], self,
                                       right_aligned=(2,))
        self.imports_table = list_table(self.imports_model, (300, 260, 80))
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(_wrapped(_("เลือกได้หลายไฟล์ โปรแกรมจะตรวจแต่ละแพ็กเกจก่อน (ยังไม่บันทึก) แสดงผลให้ดู "
                                 "แล้วจึงนำเข้าเมื่อกด “นำเข้า” แพ็กเกจที่ลายมือชื่อไม่ถูกต้องจะไม่ถูกนำเข้าเลย"), "hint"), 1)
        layout.addLayout(row)
        self.imports_title = QLabel(_("นำเข้าในครั้งนี้"))
        self.imports_title.setObjectName("sectionTitle")
        layout.addWidget(self.imports_title)
        layout.addWidget(self.imports_table, 1)
        return page

    def _history_tab(self) -> QWidget:
        self.history_model = HistoryModel([_("วันที่-เวลา"), _("ทิศทาง"), _("สำนักงาน"), _("ลำดับที่"), _("ไฟล์"),
                                        _("สรุป")], self, right_aligned=(3,))
        self.history_table = list_table(self.history_model, (150, 80, 260, 70, 270), striped=True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.history_table, 1)
        self.history_count = QLabel()
        layout.addWidget(self.history_count)
        return page

    def _conflicts_tab(self) -> QWidget:
        self.show_resolved = QCheckBox(_("แสดงรายการที่ตัดสินแล้วด้วย"))
        self.show_resolved.toggled.connect(lambda _checked: self.reload())
        self.conflict_model = ConflictModel([_("ตรวจพบเมื่อ"), _("ข้อมูล"), _("รายการ"), _("ลักษณะ"),
                                             _("จากสำนักงาน"), _("สถานะ")], self)
        self.conflict_table = list_table(self.conflict_model, (150, 160, 300, 150, 110),
                                         selection=QAbstractItemView.SelectionMode.SingleSelection)
        self.conflict_table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_conflict())
        self.conflict_count = QLabel()

        self.conflict_title = QLabel()
        self.conflict_title.setObjectName("sectionTitle")
        self.conflict_help = _wrapped(name="hint")
        self.diff_model = ListModel([_("ช่องข้อมูล"), _("ข้อมูลที่ชนะ (ใช้อยู่ตอนนี้)"), _("ข้อมูลที่แพ้")], self)
        self.diff_table = list_table(self.diff_model, (180, 340))
        self.versions_label = _wrapped(name="hint")
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(_("หมายเหตุ (ไม่บังคับ) เช่น ตกลงกับสำนักงานจังหวัดทางโทรศัพท์แล้ว"))
        self.keep_button = QPushButton(_("ใช้ข้อมูลที่ชนะ"))
        self.keep_button.clicked.connect(lambda: self.resolve_current("kept_winner"))
        self.take_button = QPushButton(_("ใช้ข้อมูลที่แพ้"))
        self.take_button.clicked.connect(lambda: self.resolve_current("took_loser"))
        self.resolved_label = _wrapped(name="hint")

        detail = QWidget()
        box = QVBoxLayout(detail)
        box.setContentsMargins(0, 6, 0, 0)
        box.addWidget(self.conflict_title)
        box.addWidget(self.conflict_help)
        box.addWidget(self.diff_table, 1)
        box.addWidget(self.versions_label)
        decide = QHBoxLayout()
        decide.addWidget(self.note_edit, 1)
        decide.addWidget(self.keep_button)
        decide.addWidget(self.take_button)
        box.addLayout(decide)
        box.addWidget(self.resolved_label)
        self.conflict_detail = detail

        top = QWidget()
        top_box = QVBoxLayout(top)
        top_box.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.show_resolved)
        filters.addStretch(1)
        filters.addWidget(self.conflict_count)
        top_box.addLayout(filters)
        top_box.addWidget(self.conflict_table, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(splitter, 1)
        self._show_conflict()
        return page

    def _provinces_tab(self) -> QWidget:
        self.states_model = PeerStateModel([_("สำนักงาน"), _("รับล่าสุด"), _("รับเมื่อ"), _("แพ็กเกจที่ขาด"),
                                            _("แยกสาย"), _("ขัดแย้ง"), _("ส่งล่าสุด"), _("ยืนยันรับถึง")], self,
                                           right_aligned=(1, 4, 5, 6, 7))
        self.states_table = list_table(self.states_model, (290, 105, 140, 120, 70, 70, 85), striped=True)
        self.states_summary = QLabel()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.states_table, 1)
        layout.addWidget(_wrapped(_("“แยกสาย” คือแพ็กเกจที่ถูกปฏิเสธเพราะไม่ต่อเนื่องกับแพ็กเกจก่อนหน้า "
                                    "(เช่น เครื่องของจังหวัดถูกกู้คืนจากสำรองเก่า) ต้องติดต่อผู้ดูแลระบบของจังหวัดนั้น"),
                                  "hint"))
        layout.addWidget(self.states_summary)
        return page

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        if self.loading is not None and not self.loading.done:
            self._again = True
            return
        show_resolved = self.show_resolved.isChecked()
        self.loading = ops.run_op(self, lambda _progress: load_page(self.ctx, show_resolved), label="",
                                  on_success=self._loaded, cancellable=False, delay_ms=None)
        self.loading.finished.connect(self._load_finished)

    def _load_finished(self) -> None:
        if self._again:
            self._again = False
            self.reload()

    def _loaded(self, loaded: Loaded) -> None:
        if self._again:
            return
        self.loaded = loaded
        self.office_label.setText(f"{loaded.office_code}  {loaded.office_name}")
        self.mode_label.setText(f"({_(MODE_LABELS.get(loaded.mode, loaded.mode))})")
        self.fingerprint_label.setText(loaded.fingerprint)
        self.denied_label.setVisible(not loaded.allowed)
        self.tabs.setEnabled(loaded.allowed)
        self.export_key_button.setEnabled(loaded.allowed)
        self._set_central(loaded.mode == "central")
        self._set_peers(loaded.peers)
        self._set_history(loaded.history)
        self._set_conflicts(loaded.conflicts)
        self._set_states(loaded.states)
        self.count_changed.emit(loaded.open_conflicts)

    def _set_central(self, central: bool) -> None:
        if central and self.provinces_index < 0:
            self.provinces_index = self.tabs.addTab(self.provinces_tab, _("สำนักงานจังหวัด"))
        elif not central and self.provinces_index >= 0:
            self.tabs.removeTab(self.provinces_index)
            self.provinces_index = -1

    def office_names(self) -> dict[str, str]:
        names = {p.office_code: p.office_name for p in self.peers}
        if self.loaded is not None:
            names[self.loaded.office_code] = self.loaded.office_name
        return names

    def _office(self, code: str) -> str:
        name = self.office_names().get(code, "")
        return f"{code} {name}".strip()

    def _set_peers(self, peers: list[SyncPeer]) -> None:
        self.peers = peers
        chosen = self.target_combo.currentData()
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        for p in peers:
            self.target_combo.addItem(f"{p.office_code}  {p.office_name}", p.office_code)
        index = self.target_combo.findData(chosen)
        self.target_combo.setCurrentIndex(index if index >= 0 else 0 if peers else -1)
        self.target_combo.blockSignals(False)
        self.target_combo.setEnabled(bool(peers))
        self.export_button.setEnabled(bool(peers))
        self._target_chosen()

    def _target_chosen(self, _index: int = 0) -> None:
        peer = self.chosen_peer()
        if peer is None:
            self.target_info.setText(_("ยังไม่ได้ลงทะเบียนกุญแจของสำนักงานปลายทาง กด “ลงทะเบียนกุญแจของสำนักงานอื่น…” "
                                       "ด้านบนก่อน (ส่งไฟล์กุญแจของสำนักงานนี้ให้ปลายทางลงทะเบียนด้วย)"))
            return
        text = tr("ลายนิ้วมือกุญแจ {fingerprint}", fingerprint=peer.fingerprint)
        if peer.last_out_seq:
            text += "  ·  " + tr("ส่งแพ็กเกจล่าสุดลำดับที่ {seq} ปลายทางยืนยันรับแล้วถึงลำดับที่ {acked}",
                                 seq=number(peer.last_out_seq), acked=number(peer.acked_out_seq))
        else:
            text += "  ·  " + _("ยังไม่เคยส่งแพ็กเกจให้สำนักงานนี้")
        self.target_info.setText(text)

    def chosen_peer(self) -> SyncPeer | None:
        code = self.target_combo.currentData()
        return next((p for p in self.peers if p.office_code == code), None)

    def _set_history(self, packages: list[SyncPackage]) -> None:
        rows = [(when_text(p.done_at), _(DIRECTION_LABELS.get(p.direction, p.direction)), self._office(p.peer_office),
                 number(p.seq), p.file_name, counts_text(p.summary.get("counts", {}), p.direction))
                for p in packages]
        self.history_model.set_rows(rows, packages)
        sent = sum(1 for p in packages if p.direction == "out")
        self.history_count.setText(tr("ส่งออก {out} แพ็กเกจ · นำเข้า {in_} แพ็กเกจ", out=number(sent),
                                      in_=number(len(packages) - sent)))

    def _set_conflicts(self, conflicts: list[SyncConflict]) -> None:
        current = self.current_conflict()
        self.conflicts = conflicts
        rows = [(when_text(c.detected_at), table_label(c.table_name), record_text(c),
                 _(KIND_LABELS.get(c.kind, c.kind)), c.peer_office, conflict_status(c)) for c in conflicts]
        self.conflict_model.set_rows(rows, conflicts)
        open_n = sum(1 for c in conflicts if c.resolved_at is None)
        self.conflict_count.setText(tr("รอตัดสิน {n} รายการ", n=number(open_n)))
        keys = [c.key for c in conflicts]
        row = keys.index(current.key) if current is not None and current.key in keys else 0 if conflicts else -1
        if row >= 0:
            self.conflict_table.selectRow(row)
        self._show_conflict()

    def _set_states(self, states: list[PeerState]) -> None:
        def missing(s: PeerState) -> str:
            return tr("ขาด {seqs}", seqs=seq_list(s.missing)) if s.missing else "—"

        rows = [(f"{s.office_code}  {s.office_name}", number(s.last_in_seq) if s.last_in_seq else "—",
                 when_text(s.last_in_at), missing(s), number(s.forks), number(s.open_conflicts),
                 number(s.last_out_seq) if s.last_out_seq else "—", number(s.acked_out_seq) if s.acked_out_seq else "—")
                for s in states]
        self.states_model.set_rows(rows, states)
        parts = [tr("ลงทะเบียนไว้ {n} สำนักงาน", n=number(len(states))),
                 tr("ยังไม่เคยได้รับแพ็กเกจ {n}", n=number(sum(1 for s in states if not s.last_in_seq)))]
        gaps = sum(1 for s in states if s.missing)
        forks = sum(1 for s in states if s.forks)
        if gaps:
            parts.append(tr("มีแพ็กเกจขาด {n}", n=number(gaps)))
        if forks:
            parts.append(tr("มีแพ็กเกจแยกสาย {n}", n=number(forks)))
        self.states_summary.setText(" · ".join(parts))

    # -- keys ----------------------------------------------------------------------------------

    def export_key(self) -> None:
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                name, data = sync_keys.own_key_file(s, self.ctx.user)
        except Exception as exc:  # noqa: BLE001 - permission: one sentence
            errors.show_error(self, exc)
            return
        start = Path(last_folders.get("key", str(Path.home()))) / name
        path, _chosen = QFileDialog.getSaveFileName(self, _("ส่งออกกุญแจสาธารณะ"), str(start),
                                                    _("ไฟล์กุญแจสาธารณะ (*.coopkey)"))
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".coopkey":
            target = target.with_name(target.name + ".coopkey")
        try:
            target.write_bytes(data)
        except OSError as exc:
            errors.show_error(self, tr("บันทึกไฟล์ {path} ไม่ได้ ({why}) โปรดเลือกโฟลเดอร์อื่นหรือตรวจสอบแฟลชไดรฟ์",
                                       path=target, why=exc.strerror or exc))
            return
        last_folders["key"] = str(target.parent)
        messages.inform(self, tr("บันทึกกุญแจสาธารณะของสำนักงานนี้ไว้ที่ {path} แล้ว ส่งไฟล์นี้ให้สำนักงานปลายทาง "
                                 "และแจ้งลายนิ้วมือกุญแจทางโทรศัพท์เมื่อปลายทางลงทะเบียน", path=target))

    def make_trust_dialog(self, office: str, name: str, fingerprint: str, old: str | None) -> TrustKeyDialog:
        return TrustKeyDialog(office, name, fingerprint, self, old_fingerprint=old)

    def trust_key(self) -> None:
        path, _chosen = QFileDialog.getOpenFileName(self, _("ลงทะเบียนกุญแจของสำนักงานอื่น"),
                                                    last_folders.get("key", str(Path.home())),
                                                    _("ไฟล์กุญแจสาธารณะ (*.coopkey)"))
        if path:
            last_folders["key"] = str(Path(path).parent)
            self.trust_key_file(Path(path))

    def trust_key_file(self, path: Path) -> SyncPeer | None:
        """Show the key file's fingerprint, ask, then register it (a changed key asks twice)."""
        try:
            data = path.read_bytes()
            office, name, key = read_key_file(data)
        except SyncError as exc:
            errors.show_error(self, sync_error_text(exc))
            return None
        except OSError as exc:
            errors.show_error(self, tr("อ่านไฟล์ {path} ไม่ได้ ({why}) โปรดตรวจสอบไฟล์แล้วลองอีกครั้ง",
                                       path=path, why=exc.strerror or exc))
            return None
        if self.loaded is not None and office == self.loaded.office_code:
            errors.show_error(self, _("กุญแจนี้เป็นของสำนักงานนี้เอง ไม่ต้องลงทะเบียน"))
            return None
        known = next((p for p in self.peers if p.office_code == office), None)
        if known is not None and known.key_id == key.key_id:
            messages.inform(self, tr("กุญแจของสำนักงาน {office} นี้ลงทะเบียนไว้แล้ว", office=self._office(office)))
            return known
        old = known.fingerprint if known is not None else None
        dialog = self.make_trust_dialog(office, name, key.fingerprint, old)
        matches = dialog.exec() == TrustKeyDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not matches:
            return None
        if old is not None and not messages.confirm(
                self, tr("เปลี่ยนกุญแจของสำนักงาน {office} เป็นกุญแจใหม่หรือไม่? หลังเปลี่ยน แพ็กเกจที่ลงนามด้วยกุญแจเดิม "
                         "จะนำเข้าไม่ได้อีก", office=self._office(office)), _("เปลี่ยนกุญแจ")):
            return None
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                peer = sync_keys.trust_key_file(s, self.ctx.user, data, replace=old is not None)
        except SyncError as exc:
            errors.show_error(self, sync_error_text(exc))
            return None
        except Exception as exc:  # noqa: BLE001 - permission, its own key: one sentence
            errors.show_error(self, exc)
            return None
        messages.inform(self, tr("ลงทะเบียนกุญแจของสำนักงาน {office} แล้ว",
                                 office=f"{peer.office_code} {peer.office_name}"))
        self.reload()
        return peer

    # -- export --------------------------------------------------------------------------------

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("เลือกโฟลเดอร์ที่จะบันทึกแพ็กเกจ"), self.folder_edit.text())
        if folder:
            self.set_folder(folder)

    def set_folder(self, folder: str) -> None:
        self.folder_edit.setText(folder)
        last_folders["export"] = folder

    def export_package(self) -> ops.Operation | None:
        peer = self.chosen_peer()
        if peer is None:
            return None
        folder = self.folder_edit.text()
        if not folder or not Path(folder).is_dir():
            self.choose_folder()
            folder = self.folder_edit.text()
            if not folder or not Path(folder).is_dir():
                return None
        db, user, to = self.ctx.db, self.ctx.user, peer.office_code

        def work(progress: ops.Progress) -> ExportResult:
            def report(done: int, total: int) -> None:
                progress.update(done, total)
                if done < total:  # the last call comes after the file is written: too late to stop
                    progress.check()
            return sync_export.export_package(db, user, folder, to=to, progress=report)

        self.export_button.setEnabled(False)
        self.exporting = ops.run_op(self, work, label=tr("กำลังสร้างแพ็กเกจสำหรับ {office}…", office=self._office(to)),
                                    on_success=self._exported)
        self.exporting.finished.connect(lambda: self.export_button.setEnabled(self.chosen_peer() is not None))
        return self.exporting

    def _exported(self, result: ExportResult) -> None:
        self.last_export = result
        info = result.to_json()
        m = result.manifest
        lines = [tr("ไฟล์ {path}", path=result.path),
                 tr("แพ็กเกจลำดับที่ {seq} ถึงสำนักงาน {office} · ข้อมูล {n} รายการ · ขนาด {kb} KB",
                    seq=number(m.seq), office=self._office(m.target_office), n=number(sum(m.tables.values())),
                    kb=number(max(1, round(result.size / 1024))))]
        if info.get("events"):
            lines.append(tr("เหตุการณ์อนุมัติ {n} รายการ", n=number(info["events"])))
        self.export_summary.setText("\n".join(lines))
        rows = [(table_label(n), number(c)) for n, c in sorted(m.tables.items(), key=lambda i: table_order(i[0]))]
        if not rows:
            rows = [(_("ไม่มีข้อมูลเปลี่ยนแปลง (แพ็กเกจยืนยันการรับเท่านั้น)"), "")]
        self.export_model.set_rows(rows)
        self.export_result.show()
        self.reload()

    # -- import --------------------------------------------------------------------------------

    def choose_packages(self) -> SyncImportFlow | None:
        paths, _chosen = QFileDialog.getOpenFileNames(self, _("เลือกไฟล์แพ็กเกจที่จะนำเข้า"),
                                                      last_folders.get("import", str(Path.home())),
                                                      _("แพ็กเกจข้อมูล CoopDesk (*.coopsync)"))
        if not paths:
            return None
        last_folders["import"] = str(Path(paths[0]).parent)
        return self.import_packages(paths)

    def import_packages(self, paths) -> SyncImportFlow:
        self.flow = SyncImportFlow(self, paths)
        self.flow.start()
        return self.flow

    def imported(self, report: ImportReport) -> None:
        """A package was imported (by the flow): listed in the tab."""
        rows = [self.imports_model.index(r, 0).data(PAYLOAD_ROLE) for r in range(self.imports_model.rowCount())]
        rows.append(report)
        self.imports_model.set_rows(
            [(Path(r.file).name, self._office(r.source), number(r.seq), counts_text(r.totals(), "in")) for r in rows],
            rows)

    # -- conflicts -----------------------------------------------------------------------------

    def current_conflict(self) -> SyncConflict | None:
        index = self.conflict_table.currentIndex()
        rows = self.conflict_table.selectionModel().selectedRows()
        row = rows[0].row() if rows else index.row()
        if 0 <= row < self.conflict_model.rowCount():
            return self.conflict_model.index(row, 0).data(PAYLOAD_ROLE)
        return None

    def _show_conflict(self) -> None:
        c = self.current_conflict()
        self.conflict_detail.setEnabled(c is not None)
        if c is None:
            self.conflict_title.setText(_("ไม่มีข้อมูลขัดแย้งที่รอตัดสิน") if not self.conflicts else "")
            self.conflict_help.setText("")
            self.diff_model.set_rows([])
            self.versions_label.setText("")
            self.resolved_label.setText("")
            self.keep_button.setEnabled(False)
            self.take_button.setEnabled(False)
            return
        self.conflict_title.setText(tr("{table}: {record} — {kind} (จากสำนักงาน {office})",
                                       table=table_label(c.table_name), record=record_text(c),
                                       kind=_(KIND_LABELS.get(c.kind, c.kind)), office=self._office(c.peer_office)))
        self.conflict_help.setText(_(KIND_HELP.get(c.kind, "")))
        self.diff_model.set_rows([(_(FIELD_LABELS[f]) if f in FIELD_LABELS else f, value_text(w), value_text(lo))
                                  for f, w, lo in c.diff])
        here, there = _("ของสำนักงานนี้"), tr("ของสำนักงาน {office}", office=self._office(c.peer_office))
        times = [tr("ข้อมูลที่ชนะเป็น{side}", side=here if c.local_won else there)]
        if line_time(c.winner):
            times.append(tr("ข้อมูลที่ชนะแก้ไขเมื่อ {when}", when=line_time(c.winner)))
        if c.loser.get("data") and line_time(c.loser):
            times.append(tr("ข้อมูลที่แพ้แก้ไขเมื่อ {when}", when=line_time(c.loser)))
        self.versions_label.setText(" · ".join(times))
        is_open = c.resolved_at is None
        self.note_edit.setEnabled(is_open and self.may_resolve)
        self.keep_button.setEnabled(is_open and self.may_resolve and bool(c.winner.get("data")))
        self.take_button.setEnabled(is_open and self.may_resolve and bool(c.loser.get("data")))
        if not is_open:
            text = tr("ตัดสินแล้ว: {status}", status=conflict_status(c))
            if c.note:
                text += "  " + tr("หมายเหตุ: {note}", note=c.note)
            self.resolved_label.setText(text)
        elif not self.may_resolve:
            self.resolved_label.setText(_("ผู้ดูแลระบบหรือสหกรณ์จังหวัดเป็นผู้ตัดสินข้อมูลขัดแย้ง"))
        else:
            self.resolved_label.setText("")

    def resolve_current(self, resolution: str) -> bool:
        c = self.current_conflict()
        if c is None or c.resolved_at is not None:
            return False
        if resolution == "took_loser" and not messages.confirm(
                self, tr("ใช้ข้อมูลที่แพ้แทนข้อมูลที่ใช้อยู่ตอนนี้ของ “{record}” หรือไม่? ข้อมูลนี้จะถูกส่งไปยังสำนักงานอื่น"
                         "ในแพ็กเกจถัดไปด้วย", record=record_text(c)), _("ใช้ข้อมูลที่แพ้")):
            return False
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                sync_views.resolve(s, self.ctx.user, c.key, resolution, self.note_edit.text())
        except Exception as exc:  # noqa: BLE001 - permission, resolved meanwhile: one sentence
            errors.show_error(self, exc)
            self.reload()
            return False
        self.note_edit.clear()
        self.reload()
        return True

