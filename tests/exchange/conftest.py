"""An office database for the Excel exchange tests: กำแพงเพชร (62) with an admin, a clerk and
two officers. Built once per session and copied per test (a copy opens in milliseconds)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bootstrap import open_app_database
from app.db import Database
from app.models import AuditEntry, Institution, InstitutionYear, User

PASSWORD = "pass-word-1"
OFFICE_NAME = "สำนักงานสหกรณ์จังหวัดกำแพงเพชร"
PEOPLE = (  # login, full name, roles, index of the work group
    ("clerk", "นางสาวสมศรี ใจดี", {"clerk"}, 4),
    ("officer1", "นายสมปอง รักงาน", {"officer"}, 0),
    ("somsak", "นายสมศักดิ์ ขยันยิ่ง", {"officer"}, 1),
)


def _build_office(path: Path) -> None:
    from app.services import setup, users

    db = open_app_database(path)
    with db.transaction() as s:
        admin = setup.complete_setup(
            s, province_code="62", office_name=OFFICE_NAME, office_code="62", admin_login="admin",
            admin_name="สมชาย ผู้ดูแล", admin_position="นักวิชาการคอมพิวเตอร์", password=PASSWORD,
        )
    with db.transaction(admin.id) as s:
        groups = users.list_groups(s)
        for login, name, roles, group in PEOPLE:
            data = users.UserData(login=login, full_name=name, group_id=groups[group].id, roles=frozenset(roles))
            users.create_user(s, admin, data, PASSWORD)
    db.dispose()


@pytest.fixture(scope="session")
def office_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "office.sqlite3"
    _build_office(path)
    return path


@dataclass
class Office:
    db: Database
    path: Path
    admin: User
    clerk: User
    officer: User


def open_office(template: Path, path: Path) -> Office:
    shutil.copy(template, path)
    db = open_app_database(path)
    with db.session() as s:
        people = {u.login: u for u in s.scalars(select(User))}
    return Office(db, path, people["admin"], people["clerk"], people["officer1"])


@pytest.fixture
def office(office_template, tmp_path):
    o = open_office(office_template, tmp_path / "t.sqlite3")
    yield o
    o.db.dispose()


@pytest.fixture
def second_office(office_template, tmp_path):
    """Another installation of the same office (same people and groups), still empty."""
    o = open_office(office_template, tmp_path / "second.sqlite3")
    yield o
    o.db.dispose()


def db_state(db: Database) -> dict:
    """Everything an import could change, to compare before and after."""
    with db.session() as s:
        return {
            "institutions": s.scalar(select(func.count()).select_from(Institution)),
            "years": s.scalar(select(func.count()).select_from(InstitutionYear)),
            "audit": s.scalar(select(func.count()).select_from(AuditEntry)),
            "revs": sorted(s.execute(select(Institution.reg_no, Institution.rev, Institution.change_seq)).all()),
            "year_revs": sorted(s.execute(select(InstitutionYear.id, InstitutionYear.rev)).all()),
        }
