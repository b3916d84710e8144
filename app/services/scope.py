"""Which institutions a user's overviews count (deadlines, KPIs, target selection, the
dashboard): one rule, used by every reader.

- provincial head, clerk, admin: every institution of the office (the province);
- director: the institutions of the director's work group (Institution.group_id);
- officer: the institutions assigned to the officer (Institution.officer_id).

A user with several roles gets the widest. A director without a group, or a user with no
role this rule knows, sees nothing (never "every institution" by accident). This is about
what an overview *counts*; who may open or edit one institution is app.rules.permissions'.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from app.i18n import _, tr
from app.models import Institution, User, WorkGroup
from app.rules.permissions import Action, Role
from app.services.context import authorize

ALL, GROUP, OWN, NONE = "all", "group", "own", "none"
_WIDE_ROLES = frozenset({Role.PROVINCIAL_HEAD.value, Role.CLERK.value, Role.ADMIN.value})


class InstitutionScope(NamedTuple):
    """label_th: what the overview covers, in Thai; where: a condition on Institution
    (None: every institution); kind: all | group | own | none."""

    label_th: str
    where: ColumnElement[bool] | None
    kind: str = ALL


def scope_kind(user: User) -> str:
    """all | group | own | none, by the user's widest role."""
    roles = user.roles
    if roles & _WIDE_ROLES:
        return ALL
    if Role.DIRECTOR.value in roles:
        return GROUP if user.group_id else NONE
    if Role.OFFICER.value in roles:
        return OWN
    return NONE


def institution_scope(session: Session, user: User) -> InstitutionScope:
    """The user's scope: (label_th, where-clause or None, kind). Unpacks as a tuple.

    Refuses an inactive account (the same gate as every reader of the registry)."""
    authorize(session, user, Action.REGISTRY_VIEW)
    kind = scope_kind(user)
    if kind == ALL:
        return InstitutionScope(_("ภาพรวมทั้งสำนักงาน"), None, ALL)
    if kind == GROUP:
        name = session.scalar(select(WorkGroup.name).where(WorkGroup.id == user.group_id)) or ""
        return InstitutionScope(name, Institution.group_id == user.group_id, GROUP)
    if kind == OWN:
        return InstitutionScope(tr("ที่ {name} รับผิดชอบ", name=user.full_name), Institution.officer_id == user.id, OWN)
    return InstitutionScope(_("ไม่มีสหกรณ์/กลุ่มเกษตรกรในความรับผิดชอบ"), false(), NONE)


def scoped(query, scope: InstitutionScope):
    """query (which selects from or joins Institution) limited to the scope."""
    return query if scope.where is None else query.where(scope.where)


def scoped_institution_ids(session: Session, user: User) -> list[str]:
    """Ids of the live institutions in the user's scope."""
    scope = institution_scope(session, user)
    q = scoped(select(Institution.id).where(Institution.deleted_at.is_(None)), scope)
    return list(session.scalars(q))
