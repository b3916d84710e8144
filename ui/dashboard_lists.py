"""The dashboard's lists.

- InstitutionListDialog, the list behind a number: the institutions a KPI counts (those
  that met it, those that did not, those left out), those in a chart's bar, or the
  institution of a deadline. A read-only table (model/view) with a filter by group and a
  search box; the names can be copied for a report.
- DeadlineModel / DeadlineFilter: the page's table of deadlines overdue and due soon.

Everything they show was loaded with the dashboard, so opening a list never touches the
database. The page imports this module after its first paint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from app.rules.deadlines import Deadline
from app.rules.registry import STATUSES
from ui.models.list_model import PAYLOAD_ROLE, ListModel
from ui.widgets.list_table import list_table

OVERDUE_COLOR, DUE_SOON_COLOR = QColor("#b71c1c"), QColor("#8a5a00")


@dataclass(frozen=True)
class ListGroup:
    """One part of the list (e.g. "met the KPI"), its institution ids in display order."""

    label: str
    ids: tuple[str, ...]


class _GroupFilter(QSortFilterProxyModel):
    """Rows of one group (or all) whose text contains the search words."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.group: int | None = None
        self.words: list[str] = []

    def set_filter(self, group: int | None, text: str) -> None:
        self.beginFilterChange()
        self.group, self.words = group, text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt override
        model = self.sourceModel()
        group, _inst_id = model.index(row, 0, parent).data(PAYLOAD_ROLE)
        if self.group is not None and group != self.group:
            return False
        if not self.words:
            return True
        text = " ".join(model.index(row, c, parent).data() or "" for c in range(model.columnCount())).casefold()
        return all(w in text for w in self.words)


class InstitutionListDialog(QDialog):
    """title: what the number is; subtitle: how it was counted (already word-broken for
    wrapping when it is long Thai); details: one more column (visit days, deadlines)."""

    def __init__(self, parent: QWidget | None, title: str, groups: Sequence[ListGroup],
                 institutions: Mapping[str, object], *, subtitle: str = "",
                 details: Mapping[str, str] | None = None, detail_header: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.groups = [g for g in groups]
        self.institutions = institutions
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        heading.setWordWrap(True)
        self.subtitle = QLabel(subtitle)
        self.subtitle.setObjectName("hint")
        self.subtitle.setWordWrap(True)
        self.subtitle.setVisible(bool(subtitle))

        several = len(self.groups) > 1
        headers = ([_("การนับ")] if several else []) + [_("เลขทะเบียน"), _("ชื่อ"), _("ประเภท"), _("อำเภอ/เขต"),
                                                          _("ผู้รับผิดชอบ"), _("สถานะ")]
        if details is not None:
            headers.append(detail_header or _("รายละเอียด"))
        self.model = ListModel(headers, self)
        rows, payloads = [], []
        for g, group in enumerate(self.groups):
            for inst_id in group.ids:
                ref = institutions.get(inst_id)
                if ref is None:  # outside the scope loaded: nothing to show of it
                    continue
                row = ([group.label] if several else []) + [
                    ref.reg_no, ref.name, _(ref.type_label), ref.district_name, ref.officer_name,
                    _(STATUSES.get(ref.status, ref.status))]
                if details is not None:
                    row.append(details.get(inst_id, ""))
                rows.append(tuple(row))
                payloads.append((g, inst_id))
        self.model.set_rows(rows, payloads)
        self.proxy = _GroupFilter(self)
        self.proxy.setSourceModel(self.model)

        self.group_combo = QComboBox()
        self.group_combo.addItem(tr("ทั้งหมด ({n})", n=f"{len(rows):,}"), None)
        for g, group in enumerate(self.groups):
            self.group_combo.addItem(tr("{label} ({n})", label=group.label, n=f"{len(group.ids):,}"), g)
        self.group_combo.setVisible(several)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("ค้นหาชื่อ เลขทะเบียน อำเภอ หรือผู้รับผิดชอบ"))
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.group_combo.currentIndexChanged.connect(self._refilter)
        self.search.textChanged.connect(self._refilter)

        widths = ([150] if several else []) + [110, 290, 150, 130, 190, 110]
        self.table = list_table(self.proxy, widths, striped=True)
        copy = QPushButton(_("คัดลอกรายชื่อ"))
        copy.clicked.connect(self.copy_rows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("ปิด"))
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        if several:
            top.addWidget(QLabel(_("แสดง")))
            top.addWidget(self.group_combo)
        top.addWidget(self.search, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(copy)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.subtitle)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        # Wide enough for every column; as tall as the rows need, up to a comfortable list.
        width = sum(widths) + (150 if details is not None else 0) + 60
        self.resize(width, min(max(230 + 28 * len(rows) + self.subtitle.sizeHint().height(), 320), 600))
        self._refilter()

    def select_group(self, group: int | None) -> None:
        self.group_combo.setCurrentIndex(0 if group is None else group + 1)

    def _refilter(self) -> None:
        self.proxy.set_filter(self.group_combo.currentData(), self.search.text())
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(tr("{n} แห่ง", n=f"{shown:,}") if shown == total
                           else tr("แสดง {n} จาก {total} แห่ง", n=f"{shown:,}", total=f"{total:,}"))

    def shown_ids(self) -> list[str]:
        """The institution ids of the rows shown now, top to bottom."""
        return [self.proxy.index(r, 0).data(PAYLOAD_ROLE)[1] for r in range(self.proxy.rowCount())]

    def copy_rows(self) -> None:
        """The rows shown, tab-separated with the headers (pastes into Excel or Word)."""
        columns = range(self.model.columnCount())
        lines = ["\t".join(self.model.headerData(c, Qt.Orientation.Horizontal) for c in columns)]
        for r in range(self.proxy.rowCount()):
            lines.append("\t".join(self.proxy.index(r, c).data() or "" for c in columns))
        QApplication.clipboard().setText("\n".join(lines))
        self.count.setText(tr("คัดลอก {n} แถวแล้ว วางในโปรแกรมอื่นได้", n=f"{self.proxy.rowCount():,}"))


# -- the deadline table -------------------------------------------------------------------

class DeadlineModel(ListModel):
    """The deadlines table: overdue rows in red, due-soon rows in amber."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole:
            status = super().data(index, PAYLOAD_ROLE).status
            return OVERDUE_COLOR if status == "overdue" else DUE_SOON_COLOR if status == "due_soon" else None
        return super().data(index, role)


class DeadlineFilter(QSortFilterProxyModel):
    """Deadlines of one status (or all) whose text contains the search words."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.status: str | None = None
        self.words: list[str] = []

    def set_filter(self, status: str | None, text: str) -> None:
        self.beginFilterChange()
        self.status, self.words = status, text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt override
        model = self.sourceModel()
        d = model.index(row, 0, parent).data(PAYLOAD_ROLE)
        if self.status is not None and d.status != self.status:
            return False
        text = " ".join(model.index(row, c, parent).data() or "" for c in range(model.columnCount())).casefold()
        return all(w in text for w in self.words)


def deadline_status_text(d: Deadline) -> str:
    if d.status == "overdue":
        return tr("เกินกำหนด {n} วัน", n=f"{d.days:,}")
    if d.days == 0:
        return _("ครบกำหนดวันนี้")
    return tr("อีก {n} วัน", n=f"{d.days:,}")
