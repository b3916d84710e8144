"""The main window: a sidebar of pages, each built on its first visit, and a status bar
saying who is signed in, for which office and fiscal year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import __version__
from app.i18n import _, tr
from app.rules.permissions import ROLE_LABELS, Role
from ui import ops
from ui.context import AppContext
from ui.formatting import fiscal_year_label, ui_digits
from ui.placeholder_page import PlaceholderPage
from ui.theme import SIDEBAR_ROW_HEIGHT


def _home(ctx: AppContext) -> QWidget:
    from ui.home_page import HomePage

    return HomePage(ctx)


def _registry(ctx: AppContext) -> QWidget:
    # Imported on first visit: the start-up path only pays for the home page.
    from ui.registry_page import RegistryPage

    return RegistryPage(ctx)


def _plan(ctx: AppContext) -> QWidget:
    from ui.plan_page import PlanPage

    return PlanPage(ctx)


def _cps(ctx: AppContext) -> QWidget:
    from ui.cps_page import CpsPage

    return CpsPage(ctx)


def _standards(ctx: AppContext) -> QWidget:
    from ui.standards_page import StandardsPage

    return StandardsPage(ctx)


def _settings(ctx: AppContext) -> QWidget:
    from ui.settings_page import SettingsPage

    return SettingsPage(ctx)


def _approvals(ctx: AppContext) -> QWidget:
    from ui.approvals_page import ApprovalsPage

    return ApprovalsPage(ctx)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # Thai source text; translated when shown
    build: Callable[[AppContext], QWidget] | None = None
    coming: str = ""  # for pages a later version brings: what the page will do


PAGES = (
    PageSpec("home", "หน้าหลัก", _home),
    PageSpec("registry", "ทะเบียนสหกรณ์", _registry),
    PageSpec("plan", "แผนปฏิบัติงาน", _plan),
    PageSpec("cps", "เยี่ยม/CPS", _cps),
    PageSpec("approvals", "รออนุมัติ", _approvals),
    PageSpec("standards", "มาตรฐาน/ความเข้มแข็ง", _standards),
    PageSpec("training", "ฝึกอบรม",
             coming="โครงการฝึกอบรมร่วมทุน ผู้เข้าอบรม งบประมาณ และการติดตามผลทุกไตรมาส"),
    PageSpec("exchange", "รับ-ส่งข้อมูล", lambda ctx: __import__("ui.sync_page", fromlist=["SyncPage"]).SyncPage(ctx)),
    PageSpec("settings", "ตั้งค่า", _settings),
)


def roles_text(roles: frozenset[str]) -> str:
    return ", ".join(_(ROLE_LABELS[r]) for r in Role if r.value in roles)


class MainWindow(QMainWindow):
    logout_requested = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._leaving_for_login = False
        self.setWindowTitle(tr("CoopDesk — {office}", office=ctx.office_name))
        self.resize(1280, 800)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(210)
        for spec in PAGES:
            item = QListWidgetItem(_(spec.title))
            item.setSizeHint(QSize(0, SIDEBAR_ROW_HEIGHT))
            self.sidebar.addItem(item)
        self.stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menu()
        self._build_status_bar()
        self._count_waiting()
        self.sidebar.currentRowChanged.connect(self._show_row)
        self.sidebar.setCurrentRow(0)

    # -- pages ---------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page for `key`, built now if this is its first visit."""
        widget = self._pages.get(key)
        if widget is None:
            spec = next(p for p in PAGES if p.key == key)
            widget = spec.build(self.ctx) if spec.build else PlaceholderPage(_(spec.title), _(spec.coming))
            self._pages[key] = widget
            counted = getattr(widget, "count_changed", None)  # a page that counts what waits on it
            if counted is not None:
                counted.connect(lambda n, key=key: self.set_page_count(key, n))
            self.stack.addWidget(widget)
        return widget

    def built_pages(self) -> list[str]:
        return list(self._pages)

    def show_page(self, key: str) -> QWidget:
        self.sidebar.setCurrentRow(next(i for i, p in enumerate(PAGES) if p.key == key))
        return self._pages[key]

    def _show_row(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentWidget(self.page(PAGES[row].key))

    def set_page_count(self, key: str, count: int) -> None:
        """How many things wait on a page, after its sidebar title: "รออนุมัติ (3)"; 0 shows none."""
        row = next(i for i, p in enumerate(PAGES) if p.key == key)
        title = _(PAGES[row].title)
        self.sidebar.item(row).setText(f"{title} ({ui_digits(count)})" if count else title)

    def _count_waiting(self) -> None:
        # The inbox count from sign-in on, before the page is built (for approvers only).
        from ui.approvals_page import count_waiting

        count_waiting(self.ctx, self, lambda n: self.set_page_count("approvals", n))

    # -- chrome --------------------------------------------------------------------------

    def _build_menu(self) -> None:
        system = self.menuBar().addMenu(_("ระบบ"))
        self.logout_action = QAction(_("ออกจากระบบ"), self)
        self.logout_action.triggered.connect(self.logout)
        system.addAction(self.logout_action)
        system.addSeparator()
        quit_action = QAction(_("ปิดโปรแกรม"), self)
        quit_action.triggered.connect(self.close)
        system.addAction(quit_action)
        help_menu = self.menuBar().addMenu(_("ช่วยเหลือ"))
        about = QAction(_("เกี่ยวกับ CoopDesk"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        user = self.ctx.user
        self.user_label = QLabel(f"{user.full_name} ({roles_text(user.roles)})")
        self.office_label = QLabel(self.ctx.office_name)
        self.fiscal_label = QLabel(fiscal_year_label(self.ctx.fiscal_year))
        bar = self.statusBar()
        for label in (self.user_label, self.office_label, self.fiscal_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)
        self.ctx.fiscal_year_changed.connect(self._fiscal_year_changed)

    def _fiscal_year_changed(self, year: int) -> None:
        self.fiscal_label.setText(fiscal_year_label(year))

    def about_text(self) -> str:
        return "\n\n".join((
            tr("CoopDesk รุ่น {version}", version=__version__),
            _("โปรแกรมงานส่งเสริมสหกรณ์ สำหรับสำนักงานสหกรณ์จังหวัด ทำงานได้โดยไม่ต้องต่ออินเทอร์เน็ต"),
            _("แบบอักษร Sarabun © 2018 The Sarabun Project Authors (Cadson Demak) "
              "ใช้ภายใต้สัญญาอนุญาต SIL Open Font License 1.1"),
            _("ข้อมูลเขตการปกครอง: GeoThai (CC BY 4.0)"),
        ))

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, _("เกี่ยวกับ CoopDesk"), self.about_text(),
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    # -- leaving -------------------------------------------------------------------------

    def logout(self) -> None:
        self._leaving_for_login = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        # A page with unsaved work may ask (save / discard / cancel); cancel keeps the window
        # open and forgets a pending logout.
        if not all(page.may_leave() for page in self._pages.values() if hasattr(page, "may_leave")):
            self._leaving_for_login = False
            event.ignore()
            return
        # Worker threads hold database sessions; let them stop before the window (and
        # maybe the database) goes away.
        ops.cancel_all_and_wait()
        super().closeEvent(event)
        if self._leaving_for_login:
            self.logout_requested.emit()
