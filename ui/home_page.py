"""หน้าหลัก: the start of the day — what was returned to the user with the approver's
comment (on top, as it needs doing first), today's visits, and how many institutions there
are. The real dashboard comes with a later version."""

from __future__ import annotations

from collections import Counter
from html import escape
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPaintEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.i18n import _, tr
from app.rules.registry import KINDS, STATUSES
from app.services import registry, visit_views
from ui import ops
from ui.context import AppContext
from ui.formatting import fiscal_year_label, ui_date, ui_digits


def count_institutions(ctx: AppContext) -> tuple[Counter, Counter]:
    """(count by kind, count by status), in the worker thread with its own session."""
    with ctx.db.session() as s:
        rows = registry.list_institutions(s, ctx.user)
    return Counter(r.kind for r in rows), Counter(r.status for r in rows)


def load_day(ctx: AppContext, today: date) -> tuple[tuple[Counter, Counter], list, list]:
    """The counts, the user's returned items and the user's visits today (worker thread)."""
    counts = count_institutions(ctx)
    with ctx.db.session() as s:
        returned = visit_views.returned_items(s, ctx.user)
        visits = [v for v in visit_views.list_visits(s, ctx.user, today, officer_id=ctx.user.id)
                  if v.planned_date == today and v.status == "planned"]
    return counts, returned, visits


class StatCard(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("statCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("…")
        self.value.setObjectName("statValue")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title))
        layout.addWidget(self.value)


class HomePage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        # Not "คุณ{name}": stored names carry their title (นาย, นางสาว), and คุณนาย means "madam".
        greeting = QLabel(tr("สวัสดี {name}", name=ctx.user.full_name))
        greeting.setObjectName("pageTitle")
        self.today_label = QLabel(ui_date(date.today(), "full"))
        self.where = QLabel()
        self.where.setObjectName("hint")
        self._fiscal_year_changed(ctx.fiscal_year)
        ctx.fiscal_year_changed.connect(self._fiscal_year_changed)

        self.cards = {kind: StatCard(_(label)) for kind, label in KINDS.items()}
        self.cards["total"] = StatCard(_("รวมทั้งหมด"))
        cards = QHBoxLayout()
        for card in self.cards.values():
            cards.addWidget(card)
        cards.addStretch(1)

        status_title = QLabel(_("จำแนกตามสถานะ"))
        status_title.setObjectName("sectionTitle")
        self.status_labels: dict[str, QLabel] = {}
        status_grid = QGridLayout()
        for row, (code, label) in enumerate(STATUSES.items()):
            status_grid.addWidget(QLabel(_(label)), row, 0)
            value = QLabel("…")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            status_grid.addWidget(value, row, 1)
            self.status_labels[code] = value
        status_grid.setColumnMinimumWidth(1, 90)
        status_grid.setColumnStretch(2, 1)

        # Returned items and today's visits: filled in once loaded, hidden when there are none.
        self.returned_box = QLabel()
        self.returned_box.setObjectName("returnedBanner")
        self.returned_box.setWordWrap(True)
        self.returned_box.setTextFormat(Qt.TextFormat.RichText)
        self.returned_box.hide()
        self.visits_box = QLabel()
        self.visits_box.setWordWrap(True)
        self.visits_box.setTextFormat(Qt.TextFormat.RichText)
        self.visits_box.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.addWidget(greeting)
        layout.addWidget(self.today_label)
        layout.addWidget(self.where)
        layout.addSpacing(12)
        layout.addWidget(self.returned_box)
        layout.addWidget(self.visits_box)
        layout.addSpacing(18)
        layout.addLayout(cards)
        layout.addSpacing(18)
        layout.addWidget(status_title)
        layout.addLayout(status_grid)
        layout.addStretch(1)

        self.loading: ops.Operation | None = None
        self._count_scheduled = False

    def _fiscal_year_changed(self, year: int) -> None:
        self.where.setText(f"{self.ctx.office_name}  ·  {fiscal_year_label(year)}")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._count_scheduled:
            # Counted once the page is on screen: at start-up the window paints before a
            # worker thread starts competing with it for the interpreter.
            self._count_scheduled = True
            QTimer.singleShot(0, self._count)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.loading is not None and self.loading.done:
            self._count()  # back from another page: the registry may have changed

    def _count(self) -> None:
        today = date.today()
        self.loading = ops.run_op(self, lambda _progress: load_day(self.ctx, today), label="",
                                  on_success=self._show_day, cancellable=False, delay_ms=None)

    def _show_day(self, loaded) -> None:
        counts, returned, visits = loaded
        self._show_counts(counts)
        self._show_returned(returned)
        self._show_visits(visits)

    def _show_returned(self, items: list) -> None:
        if not items:
            self.returned_box.hide()
            return
        rows = "".join(
            f"<li><b>{escape(i.title)}</b> — {escape(i.returned_by)}: “{escape(i.comment)}”</li>" for i in items)
        title = tr("ส่งคืนให้แก้ไข {n} รายการ (แก้ไขได้ที่หน้า เยี่ยม/CPS)", n=ui_digits(len(items)))
        self.returned_box.setText(f"<b>{escape(title)}</b><ul style='margin:4px 0'>{rows}</ul>")
        self.returned_box.show()

    def _show_visits(self, visits: list) -> None:
        if not visits:
            self.visits_box.hide()
            return
        rows = "".join(f"<li>{escape(v.planned_time or '')} {escape(v.institution_name)} — {escape(v.method_label)}</li>"
                       for v in visits)
        title = tr("นัดเยี่ยมวันนี้ {n} แห่ง", n=ui_digits(len(visits)))
        self.visits_box.setText(f"<b>{escape(title)}</b><ul style='margin:4px 0'>{rows}</ul>")
        self.visits_box.show()

    def _show_counts(self, counts: tuple[Counter, Counter]) -> None:
        by_kind, by_status = counts
        for kind, card in self.cards.items():
            n = sum(by_kind.values()) if kind == "total" else by_kind.get(kind, 0)
            card.value.setText(tr("{n} แห่ง", n=f"{n:,}"))
        for code, label in self.status_labels.items():
            label.setText(tr("{n} แห่ง", n=f"{by_status.get(code, 0):,}"))
