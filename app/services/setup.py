"""First run: the home office, its work groups and the first administrator."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.i18n import _, tr
from app.models import Office, Province, User, WorkGroup
from app.models.base import SESSION_OFFICE
from app.rules.permissions import Role
from app.rules.registry import squeeze
from app.services import audit, auth, settings

DEFAULT_GROUPS = (
    "กลุ่มส่งเสริมสหกรณ์ ๑",
    "กลุ่มส่งเสริมสหกรณ์ ๒",
    "กลุ่มส่งเสริมสหกรณ์ ๓",
    "กลุ่มจัดตั้งและส่งเสริมธุรกิจสหกรณ์",
    "กลุ่มบริหารทั่วไป",
)


def home_office(session: Session) -> Office | None:
    office_id = settings.get(session, "home_office_id")
    return session.get(Office, office_id) if office_id else None


def needs_setup(session: Session) -> bool:
    return home_office(session) is None


def default_office_name(province: Province) -> str:
    if province.code == "10":
        return "สำนักงานส่งเสริมสหกรณ์กรุงเทพมหานคร"
    return f"สำนักงานสหกรณ์จังหวัด{province.name_th}"


def complete_setup(
    session: Session,
    *,
    province_code: str,
    office_name: str,
    office_code: str,
    admin_login: str,
    admin_name: str,
    admin_position: str,
    password: str,
    groups: tuple[str, ...] = DEFAULT_GROUPS,
    mode: str = "province",
) -> User:
    """Create the home office and its first administrator. Runs once per database."""
    if not needs_setup(session):
        raise ValidationError(_("ตั้งค่าสำนักงานไว้แล้ว ไม่สามารถตั้งค่าครั้งแรกซ้ำได้"))
    if session.get(Province, province_code) is None:
        raise ValidationError(tr("ไม่พบจังหวัดรหัส {code}", code=province_code), field="province_code")
    office_code, office_name = squeeze(office_code).upper(), squeeze(office_name)
    admin_login = squeeze(admin_login).lower()
    for value, field, label in (
        (office_code, "office_code", "รหัสสำนักงาน"),
        (office_name, "office_name", "ชื่อสำนักงาน"),
        (admin_login, "admin_login", "ชื่อผู้ใช้ของผู้ดูแลระบบ"),
        (squeeze(admin_name), "admin_name", "ชื่อ-สกุลของผู้ดูแลระบบ"),
    ):
        if not value:
            raise ValidationError(tr("ต้องระบุ{label}", label=label), field=field)
    if session.scalar(select(User).where(User.login == admin_login)):
        raise ValidationError(tr("มีผู้ใช้ชื่อ {login} อยู่แล้ว", login=admin_login), field="admin_login")
    auth.check_password_policy(password)
    session.info[SESSION_OFFICE] = office_code
    office = Office(code=office_code, name=office_name, province_code=province_code, kind=mode)
    session.add(office)
    session.flush()
    for i, name in enumerate(g for g in (squeeze(g) for g in groups) if g):
        session.add(WorkGroup(office_id=office.id, name=name, sort_order=i))
    admin = User(
        office_id=office.id, login=admin_login, full_name=squeeze(admin_name),
        position=squeeze(admin_position), roles={Role.ADMIN},
    )
    session.add(admin)
    session.flush()
    auth.set_initial_password(session, admin, password)
    # The new administrator records the office settings, so they pass the same check.
    settings.put(session, admin, "home_office_id", office.id)
    settings.put(session, admin, "mode", mode)
    audit.record(session, admin, "setup", "office", office.id, after=audit.snapshot(office))
    from app.services import sync_keys  # imports this module

    sync_keys.identity(session)  # the office's signing key is made on first run
    return admin
