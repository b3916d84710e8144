"""Turning the logged-in user into the rules' Actor, and the permission gate of every service."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from app.errors import NotFound, PermissionDenied
from app.i18n import _
from app.models import User, WorkGroup
from app.models.base import SESSION_USER
from app.rules.permissions import Action, Actor, Target, check

T = TypeVar("T")


def actor_of(user: User) -> Actor:
    return Actor(id=user.id, login=user.login, roles=user.roles, group_id=user.group_id, active=user.active)


def authorize(session: Session, user: User, action: Action, target: Target | None = None) -> Actor:
    """Refuse unless the user may act; stamp the session so rows record who changed them."""
    actor = actor_of(user)
    check(actor, action, target)
    session.info[SESSION_USER] = user.id
    return actor


def get_live(session: Session, model: type[T], row_id: str | None, not_found: str) -> T:
    """The row with this id unless it is missing or tombstoned; else NotFound(not_found)."""
    row = session.get(model, row_id) if row_id else None
    if row is None or row.deleted_at is not None:
        raise NotFound(not_found)
    return row


def check_same_office(session: Session, user: User, group_id: str | None) -> None:
    """Approvals stay within an office: a database also holds the other side's items (every
    province's at the central office), which are there to be seen, not decided."""
    if not same_office(session, user, group_id):
        raise PermissionDenied(_("รายการนี้เป็นของสำนักงานอื่น จึงอนุมัติหรือส่งกลับที่นี่ไม่ได้"))


def same_office(session: Session, user: User, group_id: str | None) -> bool:
    group = session.get(WorkGroup, group_id) if group_id else None
    return group is None or group.office_id == user.office_id
