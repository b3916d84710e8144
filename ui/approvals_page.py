"""รออนุมัติ: the approval inbox of group directors and the provincial officer — the
submitted travel plans and visit reports they may approve, a preview of the chosen one
with its approval history, and approving or returning several at once.

The inbox is read in a worker thread (visit_views.inbox plus each item's history). What
the preview shows is what is approved: each item goes to visits.approve_items with the
content hash it was loaded with, so an item edited after the inbox was read is refused
(and, the batch being one transaction, nothing is approved). Returning asks for one
comment, recorded on every selected item, also in one transaction.

Keys: Ctrl+A selects all, Enter approves the selection (after the confirm), Ctrl+R returns
it, F5 reads the inbox again. People who approve nothing see why instead of a table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from app.rules import approval
from app.rules.approval import STEP_LABELS
from app.rules.permissions import ROLE_LABELS, Actor, Role
from app.services import visit_views, visits
from app.thai import insert_zwsp, thai_sort_key
from ui import errors, messages, ops
from ui.context import AppContext
from ui.formatting import ui_digits
from ui.models.inbox_model import (
    COLUMN,
    KIND_LABELS,
    HistoryLine,
    InboxFilter,
    InboxLine,
    InboxModel,
    InboxProxy,
    build_line,
    when_text,
)
from ui.models.list_model import ListModel
from ui.widgets.list_table import list_table

log = logging.getLogger(__name__)
WORKFLOWS = (approval.TRAVEL_PLAN, approval.CPS_REPORT)  # what this inbox holds
CONFIRM_TITLES = 6  # titles listed in the confirm question; more are counted
_COLUMN_WIDTHS = {"kind": 112, "officer": 168, "submitted": 148, "lines": 96}  # the title takes the rest


def approves_anything(actor: Actor) -> bool:
    """True if one of the actor's roles approves travel plans or visit reports (in some scope)."""
    return actor.active and any(role in w.approvers for w in WORKFLOWS for role in actor.roles)


# -- reading (worker thread) -------------------------------------------------------------------

def _history_line(event) -> HistoryLine:
    what = tr("{step} โดย {who}", step=_(STEP_LABELS.get(event.step, event.step)), who=event.actor.full_name)
    return HistoryLine(when_text(event.at), f"{what}: {event.comment}" if event.comment else what)


def load_inbox(ctx: AppContext) -> list[InboxLine]:
    """The user's inbox ready for the table and the preview; runs in a worker thread."""
    with ctx.db.session() as s:
        out = []
        for item in visit_views.inbox(s, ctx.user):
            history = [_history_line(e) for e in visits.history(s, ctx.user, item.id)]
            # Word breaks for the preview, which wraps long findings (Thai has no spaces
            # between words); done here, off the GUI thread, as the dictionary is slow to load.
            out.append(build_line(item, history, [insert_zwsp(text) for text in item.lines], insert_zwsp(item.title)))
    return out


def count_waiting(ctx: AppContext, parent: QWidget, on_count: Callable[[int], None]) -> ops.Operation | None:
    """Count the user's inbox in the background (the sidebar's "รออนุมัติ (3)" at sign-in);
    nothing runs for users who approve nothing."""
    if not approves_anything(ctx.actor):
        return None

    def count(_progress: ops.Progress) -> int:
        with ctx.db.session() as s:
            return len(visit_views.inbox(s, ctx.user))

    def failed(exc: BaseException) -> bool:
        log.warning("counting the approval inbox failed: %r", exc)  # the page itself will say it
        return True

    return ops.run_op(parent, count, label="", on_success=on_count, on_failure=failed, cancellable=False,
                      delay_ms=None)


def _line_html(text: str) -> str:
    """A preview line, its "label:" (สิ่งที่พบ:, คำแนะนำ: …) in bold."""
    label, sep, rest = text.partition(": ")
    if sep and len(label) <= 40:
        return f"<b>{escape(label)}:</b> {escape(rest)}"
    return escape(text)


# -- the page ----------------------------------------------------------------------------------

class ApprovalsPage(QWidget):
    count_changed = Signal(int)  # items waiting (the main window shows it in the sidebar)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.loading: ops.Operation | None = None
        self.approver = approves_anything(ctx.actor)
        self._loaded_once = False

        title = QLabel(_("รออนุมัติ"))
        title.setObjectName("pageTitle")
        subtitle = QLabel(_("แผนการเดินทางและรายงานการเยี่ยมที่รอคุณพิจารณา"))
        subtitle.setObjectName("hint")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addSpacing(14)
        heading.addWidget(subtitle, 1, Qt.AlignmentFlag.AlignBottom)

        self.pages = QStackedWidget()
        self.inbox_panel = self._inbox_panel()
        self.empty_state = self._empty_state()
        self.pages.addWidget(self.inbox_panel)
        self.pages.addWidget(self.empty_state)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 12)
        layout.addLayout(heading)
        layout.addWidget(self.pages, 1)

        if not self.approver:
            subtitle.hide()
            self.pages.setCurrentWidget(self.empty_state)
            return
        self._add_shortcuts()
        self._update_buttons()
        self.reload()

    # -- building ----------------------------------------------------------------------------

    def _inbox_panel(self) -> QWidget:
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(_("ทุกประเภท"), "")
        for workflow in WORKFLOWS:
            self.kind_filter.addItem(_(KIND_LABELS[workflow.name]), workflow.name)
        self.officer_filter = QComboBox()
        self.officer_filter.addItem(_("เจ้าหน้าที่ทุกคน"), "")
        self.officer_filter.setMinimumContentsLength(16)
        for combo in (self.kind_filter, self.officer_filter):
            combo.currentIndexChanged.connect(self.apply_filter)

        self.approve_button = QPushButton()
        self.approve_button.setObjectName("primary")
        self.approve_button.setToolTip(_("อนุมัติทุกรายการที่เลือก (Enter)"))
        self.return_button = QPushButton(_("ส่งคืนให้แก้ไข…"))
        self.return_button.setToolTip(_("ส่งรายการที่เลือกคืนให้เจ้าของแก้ไข พร้อมความเห็น (Ctrl+R)"))
        self.reload_button = QPushButton(_("โหลดใหม่"))
        self.reload_button.setToolTip(_("อ่านรายการรออนุมัติใหม่ (F5)"))
        self.approve_button.clicked.connect(self.approve_selected)
        self.return_button.clicked.connect(self.return_selected)
        self.reload_button.clicked.connect(lambda: self.reload())

        tools = QHBoxLayout()
        for label, combo in ((_("ประเภท"), self.kind_filter), (_("เจ้าหน้าที่"), self.officer_filter)):
            tools.addWidget(QLabel(label))
            tools.addWidget(combo)
            tools.addSpacing(6)
        tools.addStretch(1)
        for button in (self.approve_button, self.return_button, self.reload_button):
            tools.addWidget(button)

        self.model = InboxModel(self)
        self.proxy = InboxProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_table(self.proxy, selection=QAbstractItemView.SelectionMode.ExtendedSelection, striped=True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)  # the title column takes the rest
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for key, width in _COLUMN_WIDTHS.items():
            self.table.setColumnWidth(COLUMN[key], width)
        header.setSectionResizeMode(COLUMN["title"], QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMN["submitted"], Qt.SortOrder.AscendingOrder)  # oldest first
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_preview())

        self.nothing_waiting = QLabel(_("ไม่มีรายการที่รอคุณอนุมัติในขณะนี้"))
        self.nothing_waiting.setObjectName("sectionTitle")
        self.nothing_waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.nothing_waiting)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list_stack)
        splitter.addWidget(self._preview_panel())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([800, 400])
        splitter.setChildrenCollapsible(False)

        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.status_label = QLabel()
        self.status_label.setObjectName("actionStatus")
        self.status_label.setStyleSheet("QLabel#actionStatus { color: #1d6b32; font-weight: 600; }")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addSpacing(18)
        bottom.addWidget(self.status_label, 1)

        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(tools)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        return panel

    def _preview_panel(self) -> QWidget:
        self.preview_title = QLabel()
        self.preview_title.setObjectName("sectionTitle")
        self.preview_title.setWordWrap(True)
        self.preview_meta = QLabel()
        self.preview_meta.setObjectName("hint")
        self.preview_meta.setWordWrap(True)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        history_title = QLabel(_("ประวัติการอนุมัติ"))
        history_title.setObjectName("sectionTitle")
        self.history_model = ListModel([_("เมื่อ"), _("รายการ")], self)
        self.history_table = list_table(self.history_model, (140,))
        self.history_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(10, 0, 0, 0)
        layout.addWidget(self.preview_title)
        layout.addWidget(self.preview_meta)
        layout.addWidget(self.preview, 3)
        layout.addWidget(history_title)
        layout.addWidget(self.history_table, 1)
        return panel

    def _empty_state(self) -> QWidget:
        """What people who approve nothing (officers, clerks) see instead of an empty table."""
        roles = ", ".join(_(ROLE_LABELS[r]) for r in Role if r.value in self.ctx.user.roles) or "-"
        heading = QLabel(_("หน้านี้สำหรับผู้อนุมัติ"))
        heading.setObjectName("pageTitle")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # No insert_zwsp here: its dictionary takes ~0.6 s to load on the GUI thread, and these
        # sentences break well enough at their spaces.
        self.empty_text = QLabel("\n\n".join((
            _("แผนการเดินทางและรายงานการเยี่ยมที่ส่งขออนุมัติจะมาอยู่ที่หน้านี้ "
              "ให้ผู้อำนวยการกลุ่มพิจารณาเรื่องของกลุ่มตน และสหกรณ์จังหวัดพิจารณาได้ทุกกลุ่ม"),
            tr("บัญชีของคุณ ({roles}) ไม่ได้เป็นผู้อนุมัติ จึงไม่มีรายการที่ต้องพิจารณาที่นี่", roles=roles),
            _("เรื่องของคุณที่ถูกส่งคืนให้แก้ไข จะแสดงพร้อมความเห็นของผู้อนุมัติที่หน้าหลัก"),
        )))
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column = QWidget()
        column.setMaximumWidth(640)
        inner = QVBoxLayout(column)
        inner.addWidget(heading)
        inner.addSpacing(10)
        inner.addWidget(self.empty_text)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 4)
        row.addStretch(1)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        return box

    def _add_shortcuts(self) -> None:
        def action(text: str, keys: Sequence[QKeySequence], slot: Callable[[], object]) -> QAction:
            act = QAction(text, self)
            act.setShortcuts(list(keys))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            self.addAction(act)
            return act

        self.select_all_action = action(_("เลือกทั้งหมด"), [QKeySequence(QKeySequence.StandardKey.SelectAll)],
                                        self.select_all)
        self.approve_action = action(_("อนุมัติรายการที่เลือก"),
                                     [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)],
                                     self.approve_selected)
        self.return_action = action(_("ส่งคืนให้แก้ไข"), [QKeySequence("Ctrl+R")], self.return_selected)
        self.reload_action = action(_("โหลดใหม่"), [QKeySequence("F5")], self.reload)

    # -- loading -----------------------------------------------------------------------------

    def reload(self, keep: Sequence[str] | None = None, compare: dict[str, str] | None = None) -> None:
        """Read the inbox again; then select the ids in `keep` (default: the selection) that
        are still there. `compare` (id → hash on screen before) names what changed meanwhile."""
        if not self.approver:
            return
        if self.loading is not None and not self.loading.done:
            self.loading.finished.connect(lambda: self.reload(keep, compare))
            return
        keep = list(self.selected_ids() if keep is None else keep)
        self.count_label.setText(_("กำลังโหลดรายการรออนุมัติ…"))
        self.loading = ops.run_op(self, lambda _progress: load_inbox(self.ctx), label="",
                                  on_success=lambda lines: self._loaded(lines, keep, compare),
                                  cancellable=False, delay_ms=None)

    def _loaded(self, lines: list[InboxLine], keep: list[str], compare: dict[str, str] | None) -> None:
        self._loaded_once = True
        self.model.set_lines(lines)
        self._refill_officers(lines)
        self.list_stack.setCurrentWidget(self.nothing_waiting if not lines else self.table)
        self.select_ids(keep)
        if compare:
            changed = [line.item.title for line in lines
                       if line.id in compare and compare[line.id] != line.item.content_hash]
            if changed:
                self.status_label.setText(tr("ยังไม่ได้อนุมัติรายการใด — มีการแก้ไขหลังจากที่คุณเปิดตรวจ: {titles} "
                                             "ตรวจดูฉบับล่าสุดแล้วอนุมัติอีกครั้ง", titles=", ".join(changed)))
        self._update_count()
        self._show_preview()
        self._update_buttons()
        self.count_changed.emit(len(lines))

    def _refill_officers(self, lines: list[InboxLine]) -> None:
        """Offer the officers present in the inbox (Thai order), keeping the current choice."""
        combo = self.officer_filter
        current = combo.currentData()
        officers = {line.item.owner_id: line.item.owner_name for line in lines}
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("เจ้าหน้าที่ทุกคน"), "")
        for officer_id, name in sorted(officers.items(), key=lambda kv: thai_sort_key(kv[1])):
            combo.addItem(name, officer_id)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)
        self.apply_filter()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        # Coming back to the page: what waits may have changed (submitted, withdrawn).
        super().showEvent(event)
        if self.approver and self._loaded_once and (self.loading is None or self.loading.done):
            self.reload()

    # -- filtering and selection -------------------------------------------------------------

    def apply_filter(self) -> None:
        self.proxy.set_filter(InboxFilter(kind=self.kind_filter.currentData() or "",
                                          officer=self.officer_filter.currentData() or ""))
        self._update_count()
        self._show_preview()
        self._update_buttons()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            self.count_label.setText(_("ไม่มีรายการรออนุมัติ"))
        elif shown == total:
            self.count_label.setText(tr("รออนุมัติ {n} รายการ", n=ui_digits(total)))
        else:
            self.count_label.setText(tr("แสดง {shown} จาก {total} รายการ", shown=ui_digits(shown),
                                        total=ui_digits(total)))

    def selected_lines(self) -> list[InboxLine]:
        """The selected items in table order (what the buttons act on)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.proxy.line(r) for r in rows]

    def selected_ids(self) -> list[str]:
        return [line.id for line in self.selected_lines()]

    def select_all(self) -> None:
        self.table.selectAll()
        self.table.setFocus()

    def select_ids(self, ids: Sequence[str]) -> None:
        selection = QItemSelection()
        first = None
        for item_id in ids:
            source_row = self.model.row_of(item_id)
            if source_row < 0:
                continue
            index = self.proxy.mapFromSource(self.model.index(source_row, 0))
            if index.isValid():
                selection.select(index, index)
                first = first or index
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(selection, flags)
        if first is not None:
            self.table.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(first)

    def _selection_changed(self, *_args) -> None:
        self._show_preview()
        self._update_buttons()

    def previewed(self) -> InboxLine | None:
        """The item the preview shows: the current row if it is selected, else the first selected."""
        current = self.table.selectionModel().currentIndex()
        if current.isValid() and self.table.selectionModel().isRowSelected(current.row()):
            return self.proxy.line(current.row())
        lines = self.selected_lines()
        return lines[0] if lines else None

    def _show_preview(self) -> None:
        line = self.previewed()
        if line is None:
            self.preview_title.setText(_("ยังไม่ได้เลือกรายการ"))
            self.preview_meta.setText(_("เลือกรายการในตารางเพื่อดูรายละเอียดและประวัติการอนุมัติ "
                                        "เลือกหลายรายการได้ด้วย Ctrl หรือ Shift แล้วอนุมัติพร้อมกัน"))
            self.preview.clear()
            self.history_model.set_rows([])
            return
        item = line.item
        self.preview_title.setText(line.heading)
        meta = [tr("ส่งโดย {officer} เมื่อ {when}", officer=item.owner_name, when=line.cells[COLUMN["submitted"]] or "-"),
                tr("รหัสตรวจสอบ {code}", code=approval.short_hash(item.content_hash))]
        selected = len(self.table.selectionModel().selectedRows())
        if selected > 1:
            meta.append(tr("เลือกไว้ {n} รายการ ที่แสดงนี้คือรายการที่เคอร์เซอร์อยู่", n=ui_digits(selected)))
        self.preview_meta.setText("\n".join(meta))
        heading = _("นัดเยี่ยมในแผนนี้") if item.kind == approval.TRAVEL_PLAN.name else _("สาระของรายงาน")
        body = "".join(f"<li style='margin-bottom:4px'>{_line_html(text)}</li>" for text in line.preview)
        self.preview.setHtml(f"<p><b>{escape(heading)}</b></p><ul style='margin-left:-18px'>{body}</ul>"
                             if body else f"<p>{escape(_('ไม่มีรายละเอียด'))}</p>")
        self.history_model.set_rows([(h.when, h.text) for h in line.history])

    def _update_buttons(self) -> None:
        if not self.approver:
            return
        n = len(self.table.selectionModel().selectedRows())
        self.approve_button.setText(tr("อนุมัติรายการที่เลือก ({n})", n=ui_digits(n)))
        self.approve_button.setEnabled(n > 0)
        self.return_button.setEnabled(n > 0)

    # -- actions -----------------------------------------------------------------------------

    def _titles(self, lines: Sequence[InboxLine]) -> str:
        shown = [f"• {line.item.title} ({line.item.owner_name})" for line in lines[:CONFIRM_TITLES]]
        if len(lines) > CONFIRM_TITLES:
            shown.append(tr("และอีก {n} รายการ", n=ui_digits(len(lines) - CONFIRM_TITLES)))
        return "\n".join(shown)

    def approve_selected(self) -> None:
        lines = self.selected_lines()
        if not self.approver or not lines:
            return
        question = "\n\n".join((
            tr("อนุมัติ {n} รายการที่เลือก?", n=ui_digits(len(lines))),
            self._titles(lines),
            _("รายการที่อนุมัติแล้วจะแก้ไขไม่ได้ จนกว่าเจ้าของจะขอแก้ไขและส่งขออนุมัติใหม่"),
        ))
        if not messages.confirm(self, question, tr("อนุมัติ {n} รายการ", n=ui_digits(len(lines)))):
            return
        # The hash each item was loaded with: what the preview showed is what is approved.
        reviewed = [(line.item.kind, line.id, line.item.content_hash) for line in lines]
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                done = visits.approve_items(s, self.ctx.user, reviewed)
        except Exception as exc:
            self.status_label.setText(_("ยังไม่ได้อนุมัติรายการใด"))
            errors.show_error(self, exc)
            self.reload(keep=[line.id for line in lines], compare={line.id: line.item.content_hash for line in lines})
            return
        self.status_label.setText(tr("อนุมัติแล้ว {n} รายการ", n=ui_digits(done)))
        self.reload(keep=[])

    def return_selected(self) -> None:
        # The plan page's comment dialog, imported here to keep it off the sign-in path.
        from ui.plan_dialogs import TextDialog

        lines = self.selected_lines()
        if not self.approver or not lines:
            return
        if len(lines) == 1:
            what = tr("ส่ง “{title}” ของ {officer} คืนให้แก้ไข ความเห็นของคุณจะบันทึกไว้ในประวัติและแจ้งเจ้าของ",
                      title=lines[0].item.title, officer=lines[0].item.owner_name)
        else:
            what = tr("ส่ง {n} รายการที่เลือกคืนให้เจ้าของแก้ไข ความเห็นเดียวกันจะบันทึกไว้ในประวัติของทุกรายการ",
                      n=ui_digits(len(lines))) + "\n" + self._titles(lines)
        dialog = TextDialog(_("ส่งคืนให้แก้ไข"), what, _("สิ่งที่ต้องแก้ไข (จำเป็น)"), _("ส่งคืน"),
                            required=True, multiline=True, parent=self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        comment = dialog.text()
        dialog.deleteLater()
        if not accepted:
            return
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                for line in lines:
                    visits.return_item(s, self.ctx.user, line.item.kind, line.id, comment=comment)
        except Exception as exc:
            self.status_label.setText(_("ยังไม่ได้ส่งคืนรายการใด"))
            errors.show_error(self, exc)
            self.reload()
            return
        self.status_label.setText(tr("ส่งคืนให้แก้ไขแล้ว {n} รายการ", n=ui_digits(len(lines))))
        self.reload(keep=[])
