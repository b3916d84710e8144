"""Who may do what: the rules' matrix, and the same refusals through every service."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import PermissionDenied
from app.models import AuditEntry, Institution
from app.rules.permissions import Action, Actor, Role, Target, allowed, check
from app.rules.registry import InstitutionData, YearData
from app.services import audit, auth, calendar, registry, settings, users

ALL = set(Role)
# The expected grants, written out independently of app/rules/permissions.py.
EXPECTED = {
    Action.REGISTRY_VIEW: ALL,
    Action.REGISTRY_CREATE: {Role.CLERK, Role.ADMIN},
    Action.REGISTRY_EDIT: {Role.OFFICER, Role.DIRECTOR, Role.CLERK, Role.ADMIN},
    Action.REGISTRY_DELETE: {Role.CLERK, Role.ADMIN},
    Action.REGISTRY_IMPORT: {Role.CLERK, Role.ADMIN},
    Action.YEARLY_EDIT: {Role.OFFICER, Role.DIRECTOR, Role.CLERK, Role.ADMIN},
    Action.USERS_VIEW: ALL,
    Action.USERS_MANAGE: {Role.ADMIN},
    Action.PASSWORD_RESET: {Role.ADMIN},
    Action.OFFICE_SETTINGS: {Role.ADMIN},
    Action.CALENDAR_EDIT: {Role.CLERK, Role.ADMIN},
    Action.AUDIT_VIEW: {Role.PROVINCIAL_HEAD, Role.ADMIN},
    Action.PLAN_VIEW: ALL,
    Action.PLAN_EDIT: {Role.OFFICER, Role.DIRECTOR, Role.CLERK, Role.ADMIN},
    Action.PLAN_ACTUALS: {Role.OFFICER, Role.DIRECTOR, Role.CLERK, Role.ADMIN},
    Action.VISIT_VIEW: ALL,
    Action.VISIT_EDIT: {Role.OFFICER, Role.DIRECTOR},
    Action.SYNC_EXCHANGE: {Role.CLERK, Role.ADMIN, Role.PROVINCIAL_HEAD},
    Action.SYNC_TRUST: {Role.ADMIN},
    Action.SYNC_RESOLVE: {Role.ADMIN, Role.PROVINCIAL_HEAD},
}


def actor(*roles, uid="u1", group="g1", active=True):
    return Actor(id=uid, login=uid, roles=frozenset(roles), group_id=group, active=active)


def test_every_action_has_an_expectation():
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_matrix(role, action):
    a = actor(role)
    assert allowed(a, action) == (role in EXPECTED[action])
    if role not in EXPECTED[action]:
        with pytest.raises(PermissionDenied) as err:
            check(a, action)
        assert "ไม่มีสิทธิ์" in str(err.value)


def test_no_roles_and_inactive_users_may_do_nothing():
    for action in Action:
        assert not allowed(actor(), action)
        assert not allowed(actor(*Role, active=False), action)


def test_unknown_role_names_grant_nothing():
    assert not allowed(actor("superuser"), Action.USERS_MANAGE)


@pytest.mark.parametrize("action", [Action.REGISTRY_EDIT, Action.YEARLY_EDIT])
def test_scopes_officer_own_director_group(action):
    officer, director = actor(Role.OFFICER, uid="o1", group="g1"), actor(Role.DIRECTOR, uid="d1", group="g1")
    assert allowed(officer, action, Target(officer_id="o1", group_id="g9"))
    assert not allowed(officer, action, Target(officer_id="o2", group_id="g1"))
    assert allowed(director, action, Target(officer_id="o2", group_id="g1"))
    assert not allowed(director, action, Target(officer_id="o2", group_id="g2"))
    assert not allowed(actor(Role.DIRECTOR, group=None), action, Target(group_id=None))
    assert allowed(actor(Role.CLERK), action, Target(officer_id="x", group_id="y"))
    with pytest.raises(PermissionDenied, match="เฉพาะรายการที่อยู่ในความรับผิดชอบ"):
        check(officer, action, Target(officer_id="o2"))


# -- the same refusals through the services, on a real database --------------------------

@pytest.fixture
def world(db, admin, make_user):
    people = {
        Role.OFFICER: make_user("officer1", Role.OFFICER, group=0),
        Role.DIRECTOR: make_user("director1", Role.DIRECTOR, group=0),
        Role.PROVINCIAL_HEAD: make_user("head1", Role.PROVINCIAL_HEAD, group=None),
        Role.CLERK: make_user("clerk1", Role.CLERK, group=4),
        Role.ADMIN: admin,
    }
    other_officer = make_user("officer2", Role.OFFICER, group=1)
    with db.transaction(admin.id) as s:
        groups = users.list_groups(s)
        mine = registry.create_institution(s, admin, InstitutionData(
            reg_no="กพ 1/2530", name="สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", kind="coop", coop_type="agriculture",
            officer_id=people[Role.OFFICER].id, group_id=groups[0].id))
        theirs = registry.create_institution(s, admin, InstitutionData(
            reg_no="กพ 2/2531", name="กลุ่มเกษตรกรทำนาคลองขลุง", kind="farmer_group",
            officer_id=other_officer.id, group_id=groups[1].id))
    return people, mine, theirs


def _attempts(mine, theirs):
    """Each service call that needs a grant, keyed by the action it needs."""
    new = InstitutionData(reg_no="กพ 77/2560", name="สหกรณ์ร้านค้าทดสอบ จำกัด", kind="coop", coop_type="consumer")
    return {
        "create institution": (Action.REGISTRY_CREATE, lambda s, u: registry.create_institution(s, u, new)),
        "edit other's institution": (None, lambda s, u: registry.update_institution(s, u, theirs.id, _renamed(s, theirs))),
        "delete institution": (Action.REGISTRY_DELETE, lambda s, u: registry.delete_institution(s, u, mine.id)),
        "yearly status of other's institution": (None, lambda s, u: registry.save_year(s, u, theirs.id, 2567, YearData(strength_class=1))),
        "create user": (Action.USERS_MANAGE, lambda s, u: users.create_user(s, u, users.UserData("x1", "นาย เอ็กซ์"), "password-1")),
        "reset password": (Action.PASSWORD_RESET, lambda s, u: auth.reset_password(s, u, mine.officer_id, "new-pass-123")),
        "office setting": (Action.OFFICE_SETTINGS, lambda s, u: settings.put(s, u, "mode", "central")),
        "add special day": (Action.CALENDAR_EDIT, lambda s, u: calendar.add_special_day(s, u, date(2026, 12, 31), "วันหยุดพิเศษ")),
        "read audit log": (Action.AUDIT_VIEW, lambda s, u: audit.entries(s, u)),
    }


def _renamed(s, inst):
    data = registry.data_of(s.get(Institution, inst.id))
    data.name += " (แก้ไข)"
    return data


def test_services_refuse_every_forbidden_action_and_change_nothing(db, world):
    people, mine, theirs = world
    # Edits of an institution outside one's scope: only officer (not theirs) and director
    # (other group) are refused; clerk and admin may.
    scoped_refusals = {Role.OFFICER, Role.DIRECTOR, Role.PROVINCIAL_HEAD}
    refused = 0
    for role, user in people.items():
        for what, (action, call) in _attempts(mine, theirs).items():
            expect_refusal = role in scoped_refusals if action is None else role not in EXPECTED[action]
            if not expect_refusal:
                continue
            with db.session() as s:
                before = s.scalar(select(func.count()).select_from(AuditEntry))
            with pytest.raises(PermissionDenied), db.transaction(user.id) as s:
                call(s, user)
            with db.session() as s:
                assert s.scalar(select(func.count()).select_from(AuditEntry)) == before, (role, what)
                assert s.get(Institution, theirs.id).name == "กลุ่มเกษตรกรทำนาคลองขลุง"
            refused += 1
    assert refused >= 25


def test_officer_may_edit_own_institution_but_not_give_it_away(db, world):
    people, mine, theirs = world
    officer = people[Role.OFFICER]
    with db.transaction(officer.id) as s:
        data = registry.data_of(s.get(Institution, mine.id))
        data.members = 999
        registry.update_institution(s, officer, mine.id, data)
        registry.save_year(s, officer, mine.id, 2567, YearData(strength_class=2))
    with pytest.raises(PermissionDenied), db.transaction(officer.id) as s:
        data = registry.data_of(s.get(Institution, mine.id))
        data.officer_id = theirs.officer_id
        registry.update_institution(s, officer, mine.id, data)
    with db.session() as s:
        assert s.get(Institution, mine.id).officer_id == officer.id


def test_office_settings_always_need_an_admin(db, admin, make_user):
    from app.services import settings

    clerk = make_user("clerk7", Role.CLERK)
    with pytest.raises(PermissionDenied), db.transaction(clerk.id) as s:
        settings.put(s, clerk, "home_office_id", "someone-elses-office")
    with db.transaction(clerk.id) as s:
        settings.put(s, clerk, "language", "en")  # a personal setting: anyone
        settings.put(s, clerk, "language", "th")
    with db.session() as s:
        from app.models import AuditEntry

        actors = {e.user_login for e in s.query(AuditEntry).filter(AuditEntry.action == "setting.change")}
    assert None not in actors and "" not in actors  # every change, setup's included, has its actor
