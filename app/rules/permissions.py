"""Who may do what. Services call `check()` on every use case; the UI only mirrors it.

A permission is a role's grant of an action over a scope: everything, the actor's group,
or only the institutions assigned to the actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.errors import PermissionDenied
from app.i18n import _, tr


class Role(StrEnum):
    OFFICER = "officer"
    DIRECTOR = "director"
    PROVINCIAL_HEAD = "provincial_head"
    CLERK = "clerk"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.OFFICER: "เจ้าหน้าที่ส่งเสริมสหกรณ์",
    Role.DIRECTOR: "ผู้อำนวยการกลุ่ม",
    Role.PROVINCIAL_HEAD: "สหกรณ์จังหวัด",
    Role.CLERK: "ธุรการ",
    Role.ADMIN: "ผู้ดูแลระบบ",
}


class Action(StrEnum):
    REGISTRY_VIEW = "registry.view"
    REGISTRY_CREATE = "registry.create"
    REGISTRY_EDIT = "registry.edit"
    REGISTRY_DELETE = "registry.delete"
    REGISTRY_IMPORT = "registry.import"
    YEARLY_EDIT = "yearly.edit"
    USERS_VIEW = "users.view"
    USERS_MANAGE = "users.manage"
    PASSWORD_RESET = "users.reset_password"
    OFFICE_SETTINGS = "office.settings"
    CALENDAR_EDIT = "calendar.edit"
    AUDIT_VIEW = "audit.view"
    PLAN_VIEW = "plan.view"
    PLAN_EDIT = "plan.edit"
    PLAN_ACTUALS = "plan.actuals"
    VISIT_VIEW = "visit.view"
    VISIT_EDIT = "visit.edit"
    SYNC_EXCHANGE = "sync.exchange"
    SYNC_TRUST = "sync.trust"
    SYNC_RESOLVE = "sync.resolve"


ACTION_LABELS = {
    Action.REGISTRY_VIEW: "ดูทะเบียนสหกรณ์",
    Action.REGISTRY_CREATE: "เพิ่มสหกรณ์/กลุ่มเกษตรกรในทะเบียน",
    Action.REGISTRY_EDIT: "แก้ไขข้อมูลสหกรณ์/กลุ่มเกษตรกร",
    Action.REGISTRY_DELETE: "ลบสหกรณ์/กลุ่มเกษตรกรออกจากทะเบียน",
    Action.REGISTRY_IMPORT: "นำเข้าทะเบียนจากไฟล์ Excel",
    Action.YEARLY_EDIT: "แก้ไขข้อมูลประจำปีของสหกรณ์/กลุ่มเกษตรกร",
    Action.USERS_VIEW: "ดูรายชื่อผู้ใช้",
    Action.USERS_MANAGE: "จัดการผู้ใช้",
    Action.PASSWORD_RESET: "ตั้งรหัสผ่านใหม่ให้ผู้ใช้อื่น",
    Action.OFFICE_SETTINGS: "แก้ไขข้อมูลสำนักงาน",
    Action.CALENDAR_EDIT: "แก้ไขวันหยุดพิเศษ",
    Action.AUDIT_VIEW: "ดูบันทึกการใช้งาน",
    Action.PLAN_VIEW: "ดูแผนปฏิบัติงาน",
    Action.PLAN_EDIT: "จัดทำหรือแก้ไขแผนปฏิบัติงาน",
    Action.PLAN_ACTUALS: "บันทึกผลการปฏิบัติงานและการเบิกจ่าย",
    Action.VISIT_VIEW: "ดูแผนการเยี่ยมและรายงานการเยี่ยม",
    Action.VISIT_EDIT: "วางแผนการเยี่ยมหรือบันทึกรายงานการเยี่ยม",
    Action.SYNC_EXCHANGE: "ส่งออกหรือนำเข้าแพ็กเกจข้อมูลกับส่วนกลาง",
    Action.SYNC_TRUST: "ลงทะเบียนกุญแจของสำนักงานอื่น",
    Action.SYNC_RESOLVE: "ตัดสินข้อมูลที่ขัดแย้งจากการรับส่งข้อมูล",
}


class Scope(StrEnum):
    ALL = "all"
    GROUP = "group"  # institutions of the actor's work group
    OWN = "own"  # institutions assigned to the actor


_ROLE_VALUES = frozenset(r.value for r in Role)
R, S = Role, Scope
GRANTS: dict[Action, dict[Role, Scope]] = {
    Action.REGISTRY_VIEW: {r: S.ALL for r in Role},
    Action.REGISTRY_CREATE: {R.CLERK: S.ALL, R.ADMIN: S.ALL},
    Action.REGISTRY_EDIT: {R.OFFICER: S.OWN, R.DIRECTOR: S.GROUP, R.CLERK: S.ALL, R.ADMIN: S.ALL},
    Action.REGISTRY_DELETE: {R.CLERK: S.ALL, R.ADMIN: S.ALL},
    Action.REGISTRY_IMPORT: {R.CLERK: S.ALL, R.ADMIN: S.ALL},
    Action.YEARLY_EDIT: {R.OFFICER: S.OWN, R.DIRECTOR: S.GROUP, R.CLERK: S.ALL, R.ADMIN: S.ALL},
    Action.USERS_VIEW: {r: S.ALL for r in Role},
    Action.USERS_MANAGE: {R.ADMIN: S.ALL},
    Action.PASSWORD_RESET: {R.ADMIN: S.ALL},
    Action.OFFICE_SETTINGS: {R.ADMIN: S.ALL},
    Action.CALENDAR_EDIT: {R.CLERK: S.ALL, R.ADMIN: S.ALL},
    Action.AUDIT_VIEW: {R.PROVINCIAL_HEAD: S.ALL, R.ADMIN: S.ALL},
    # Packages carry the whole office's data: the clerk and the administrator exchange
    # them; only the administrator decides whose keys to trust.
    Action.SYNC_EXCHANGE: {R.CLERK: S.ALL, R.ADMIN: S.ALL, R.PROVINCIAL_HEAD: S.ALL},
    Action.SYNC_TRUST: {R.ADMIN: S.ALL},
    Action.SYNC_RESOLVE: {R.ADMIN: S.ALL, R.PROVINCIAL_HEAD: S.ALL},
    # Plans belong to a work group: its officers and director draft them; the clerk keeps
    # the office's sheets. Approval is the approval workflow's (app/rules/approval.py).
    Action.PLAN_VIEW: {r: S.ALL for r in Role},
    Action.PLAN_EDIT: {R.OFFICER: S.GROUP, R.DIRECTOR: S.GROUP, R.CLERK: S.ALL, R.ADMIN: S.ALL},
    Action.PLAN_ACTUALS: {R.OFFICER: S.GROUP, R.DIRECTOR: S.GROUP, R.CLERK: S.ALL, R.ADMIN: S.ALL},
    # Visits belong to the officer who makes them: officers see their group's calendar (to
    # share trips) and plan and report their own; a director plans for the group's officers
    # too. Approving travel plans and reports is the approval workflow's.
    Action.VISIT_VIEW: {R.OFFICER: S.GROUP, R.DIRECTOR: S.GROUP, R.PROVINCIAL_HEAD: S.ALL, R.CLERK: S.ALL,
                        R.ADMIN: S.ALL},
    Action.VISIT_EDIT: {R.OFFICER: S.OWN, R.DIRECTOR: S.GROUP},
}


@dataclass(frozen=True)
class Actor:
    """The acting user as the rules see them."""

    id: str
    login: str
    roles: frozenset[str]
    group_id: str | None = None
    active: bool = True


@dataclass(frozen=True)
class Target:
    """What an action touches, for scoped grants (e.g. an institution's officer and group)."""

    officer_id: str | None = None
    group_id: str | None = None


def _covers(scope: Scope, actor: Actor, target: Target | None) -> bool:
    if scope is Scope.ALL or target is None:
        return True
    if scope is Scope.GROUP:
        return actor.group_id is not None and target.group_id == actor.group_id
    return target.officer_id == actor.id


def _granted_scopes(actor: Actor, action: Action) -> set[Scope]:
    grants = GRANTS[action]
    return {grants[Role(r)] for r in actor.roles if r in _ROLE_VALUES and Role(r) in grants}


def scope_for(actor: Actor, action: Action) -> Scope | None:
    """The widest scope any of the actor's roles grants for the action, or None."""
    scopes = _granted_scopes(actor, action)
    for s in (Scope.ALL, Scope.GROUP, Scope.OWN):
        if s in scopes:
            return s
    return None


def allowed(actor: Actor, action: Action, target: Target | None = None) -> bool:
    """True if the actor may do the action; with a target, scoped grants are checked too.

    Without a target a scoped grant still allows the action in general (e.g. to show a
    button); the service checks again with the concrete target.
    """
    if not actor.active:
        return False
    return any(_covers(scope, actor, target) for scope in _granted_scopes(actor, action))


def check(actor: Actor, action: Action, target: Target | None = None) -> None:
    if allowed(actor, action, target):
        return
    if scope_for(actor, action) is not None and actor.active:
        raise PermissionDenied(
            tr("คุณ{what}ได้เฉพาะรายการที่อยู่ในความรับผิดชอบของคุณ", what=_(ACTION_LABELS[action]))
        )
    raise PermissionDenied(tr("บัญชีของคุณไม่มีสิทธิ์{what}", what=_(ACTION_LABELS[action])))
