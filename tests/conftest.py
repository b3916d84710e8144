"""Fixtures shared by every test folder: a real SQLite file set up as a provincial office."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ADMIN_PASSWORD = "admin-pass-1"
USER_PASSWORD = "user-pass-1"


@pytest.fixture
def db(tmp_path):
    from app.bootstrap import open_app_database

    database = open_app_database(tmp_path / "office.sqlite3")
    yield database
    database.dispose()


@pytest.fixture
def admin(db):
    """The first administrator of สำนักงานสหกรณ์จังหวัดกำแพงเพชร (province 62)."""
    from app.services import setup

    with db.transaction() as s:
        user = setup.complete_setup(
            s, province_code="62", office_name="สำนักงานสหกรณ์จังหวัดกำแพงเพชร", office_code="62",
            admin_login="admin", admin_name="สมชาย ผู้ดูแล", admin_position="นักวิชาการคอมพิวเตอร์",
            password=ADMIN_PASSWORD,
        )
    db.office_code = "62"
    return user


@pytest.fixture
def make_user(db, admin):
    """Create a user with the given roles (and group index into the office's groups)."""
    from app.services import users

    def make(login: str, *roles: str, group: int | None = 0, name: str | None = None):
        with db.transaction(admin.id) as s:
            groups = users.list_groups(s)
            data = users.UserData(
                login=login, full_name=name or f"ทดสอบ {login}", position="นักวิชาการสหกรณ์",
                group_id=groups[group].id if group is not None else None, roles=frozenset(roles),
            )
            return users.create_user(s, admin, data, USER_PASSWORD)

    return make
