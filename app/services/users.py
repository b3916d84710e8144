"""People of the office: users, their roles and work groups."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.i18n import _, tr
from app.models import User, WorkGroup
from app.rules.permissions import Action, Role
from app.rules.registry import squeeze
from app.services import audit, auth, settings
from app.services.context import authorize, get_live


@dataclass
class UserData:
    login: str
    full_name: str
    position: str = ""
    group_id: str | None = None
    roles: frozenset[str] = frozenset({Role.OFFICER})
    active: bool = True


def list_users(session: Session, user: User, *, include_inactive: bool = False) -> list[User]:
    authorize(session, user, Action.USERS_VIEW)
    q = _this_office(session, select(User).where(User.deleted_at.is_(None)), User.office_id)
    if not include_inactive:
        q = q.where(User.active.is_(True))
    from app.thai import thai_sort_key

    return sorted(session.scalars(q), key=lambda u: thai_sort_key(without_title(u.full_name)))


_TITLES = ("นางสาว", "นาง", "นาย", "น.ส.", "ดร.")  # longest first: นางสาว before นาง


def without_title(full_name: str) -> str:
    """The name as people are looked up: "นางสาวปิยะนุช จันทร์หอม" sorts under ป, not น."""
    name = full_name.strip()
    for title in _TITLES:
        if name.startswith(title) and len(name) > len(title):
            return name[len(title):].lstrip()
    return name


def list_groups(session: Session) -> list[WorkGroup]:
    q = select(WorkGroup).where(WorkGroup.deleted_at.is_(None)).order_by(WorkGroup.sort_order, WorkGroup.name)
    return list(session.scalars(_this_office(session, q, WorkGroup.office_id)))


def _this_office(session: Session, query, office_column):
    """Only this office's people and groups: sync brings the other side's (the central
    office's to a province, every province's to the centre) for references, not for lists."""
    office_id = settings.get(session, "home_office_id")
    return query.where(office_column == office_id) if office_id else query


def _validate(session: Session, data: UserData, *, existing: User | None = None) -> UserData:
    login = squeeze(data.login).lower()
    if not login or " " in login:
        raise ValidationError(_("ชื่อผู้ใช้ต้องไม่ว่างและไม่มีช่องว่าง"), field="login")
    if not squeeze(data.full_name):
        raise ValidationError(_("ต้องระบุชื่อ-สกุล"), field="full_name")
    unknown = set(data.roles) - {r.value for r in Role}
    if unknown or not data.roles:
        raise ValidationError(_("ต้องเลือกบทบาทอย่างน้อยหนึ่งบทบาทจากรายการ"), field="roles")
    clash = auth.local_user(session, login)
    if clash is not None and clash is not existing:
        raise ValidationError(tr("มีผู้ใช้ชื่อ {login} อยู่แล้ว", login=login), field="login")
    if data.group_id and session.get(WorkGroup, data.group_id) is None:
        raise ValidationError(_("ไม่พบกลุ่มงานที่เลือก"), field="group_id")
    return UserData(login, squeeze(data.full_name), squeeze(data.position), data.group_id,
                    frozenset(data.roles), data.active)


def create_user(session: Session, admin: User, data: UserData, password: str) -> User:
    authorize(session, admin, Action.USERS_MANAGE)
    clean = _validate(session, data)
    user = User(
        office_id=admin.office_id, login=clean.login, full_name=clean.full_name,
        position=clean.position, group_id=clean.group_id, roles=clean.roles, active=clean.active,
    )
    session.add(user)
    session.flush()
    auth.set_initial_password(session, user, password)
    audit.record(session, admin, "user.create", "user", user.id, after=audit.snapshot(user))
    return user


def update_user(session: Session, admin: User, user_id: str, data: UserData) -> User:
    authorize(session, admin, Action.USERS_MANAGE)
    user = get_live(session, User, user_id, _("ไม่พบผู้ใช้ที่ต้องการแก้ไข"))
    clean = _validate(session, data, existing=user)
    if user.id == admin.id and (Role.ADMIN not in clean.roles or not clean.active):
        raise ValidationError(_("ไม่สามารถถอดสิทธิ์ผู้ดูแลระบบหรือปิดบัญชีของตนเองได้"), field="roles")
    before = audit.snapshot(user)
    user.login, user.full_name, user.position = clean.login, clean.full_name, clean.position
    user.group_id, user.roles, user.active = clean.group_id, clean.roles, clean.active
    audit.record(session, admin, "user.update", "user", user.id, before, audit.snapshot(user))
    return user
