"""ตั้งค่า: display settings for everyone, users for admins, special days for clerks/admins."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QApplication

from app.services import auth, calendar, settings, users
from app.thai import fiscal_year
from ui.context import AppContext
from ui.settings_page import SettingsPage, SpecialDayDialog
from ui.user_editor import ResetPasswordDialog, UserEditor


def open_page(qtbot, ctx) -> SettingsPage:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    return page


def test_settings_are_stored_through_the_service(qtbot, db, ctx):
    page = open_page(qtbot, ctx)
    changed = []
    ctx.fiscal_year_changed.connect(changed.append)
    previous = fiscal_year(date.today()) - 1
    page.fiscal_year.setCurrentIndex(page.fiscal_year.findData(previous))
    page.thai_digits.setChecked(False)
    page.language.setCurrentIndex(page.language.findData("en"))
    assert page.language_note.isVisibleTo(page)  # "takes effect after a restart"
    with db.session() as s:
        assert settings.get(s, "working_fiscal_year") == previous
        assert settings.get(s, "print.thai_digits") is False
        assert settings.get(s, "language") == "en"
    assert changed == [previous] and ctx.fiscal_year == previous


def test_admin_adds_a_user_with_roles_and_resets_a_password(qtbot, db, admin, ctx):
    page = open_page(qtbot, ctx)
    editor = UserEditor(ctx, None, page)
    qtbot.addWidget(editor)
    editor.login.setText("malee")
    editor.full_name.setText("มาลี ดีงาม")
    editor.role_checks["officer"].setChecked(True)
    editor.password.setText("short")
    editor.confirm.setText("short")
    editor.save()
    assert "อย่างน้อย" in editor.errors.message("password")  # the policy, under the field
    editor.password.setText("malee-pass-1")
    editor.confirm.setText("malee-pass-1")
    editor.save()
    assert editor.result() == 1
    page.reload_users()
    assert any(page.users_model.index(r, 0).data() == "malee" for r in range(page.users_model.rowCount()))

    reset = ResetPasswordDialog(ctx, editor.user_id, "มาลี ดีงาม", page)
    qtbot.addWidget(reset)
    reset.password.setText("temporary-2")
    reset.confirm.setText("temporary-2")
    reset.save()
    with db.transaction() as s:
        result = auth.authenticate(s, "malee", "temporary-2")
        assert result.ok and auth.must_change_password(s, result.user)


def test_special_days_for_clerks_only(qtbot, db, admin, make_user):
    officer = make_user("officer1", "officer")
    assert open_page(qtbot, AppContext(db, officer)).days_table is None
    assert open_page(qtbot, AppContext(db, officer)).users_table is None
    clerk = make_user("clerk1", "clerk")
    page = open_page(qtbot, AppContext(db, clerk))
    dialog = SpecialDayDialog(page.ctx, "holiday", page)
    qtbot.addWidget(dialog)
    dialog.day.setText("29/12/2568")
    dialog.name.setText("วันหยุดพิเศษ")
    dialog.save()
    assert dialog.result() == 1
    page.reload_days()
    assert page.days_model.rowCount() == 1
    assert page.days_model.index(0, 0).data() == "๒๙ ธันวาคม ๒๕๖๘"
    page.days_table.selectRow(0)
    page.remove_day()
    with db.session() as s:
        assert calendar.list_special_days(s) == []
    assert QApplication.activeModalWidget() is None


def test_an_admin_cannot_remove_their_own_admin_role(qtbot, db, admin, ctx):
    editor = UserEditor(ctx, admin.id)
    qtbot.addWidget(editor)
    editor.role_checks["admin"].setChecked(False)
    editor.role_checks["clerk"].setChecked(True)
    editor.save()
    assert editor.errors.message("roles")
    with db.session() as s:
        me = next(u for u in users.list_users(s, admin) if u.id == admin.id)
        assert "admin" in me.roles
