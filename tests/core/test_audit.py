"""The audit log records who changed what, and nothing can edit it afterwards."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from app.models import AuditEntry
from app.rules.registry import InstitutionData
from app.services import audit, registry


def _create(db, admin):
    with db.transaction(admin.id) as s:
        return registry.create_institution(s, admin, InstitutionData(
            reg_no="กพ 9/2550", name="สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด", kind="coop", coop_type="savings"))


def test_services_write_who_what_before_after(db, admin):
    inst = _create(db, admin)
    with db.transaction(admin.id) as s:
        data = registry.data_of(s.get(type(inst), inst.id))
        data.members = 4321
        registry.update_institution(s, admin, inst.id, data)
    with db.session() as s:
        rows = audit.entries(s, admin, entity_id=inst.id)
    assert [r.action for r in rows] == ["institution.update", "institution.create"]
    upd = rows[0]
    assert upd.user_login == "admin" and upd.user_id == admin.id
    assert json.loads(upd.before_json)["members"] is None
    assert json.loads(upd.after_json)["members"] == 4321
    assert upd.at.tzinfo is not None


@pytest.mark.parametrize("statement", [
    update(AuditEntry).values(action="tampered"),
    delete(AuditEntry),
])
def test_audit_rows_cannot_be_changed_or_deleted(db, admin, statement):
    _create(db, admin)
    with pytest.raises(DatabaseError, match="append-only"), db.transaction() as s:
        s.execute(statement)
    with db.session() as s:
        assert "tampered" not in s.scalars(select(AuditEntry.action)).all()
        assert s.scalar(select(text("count(*)")).select_from(AuditEntry)) >= 2


def test_orm_edit_of_an_audit_row_is_refused(db, admin):
    _create(db, admin)
    with pytest.raises(DatabaseError), db.transaction() as s:
        s.scalars(select(AuditEntry)).first().after_json = "{}"


def test_audit_service_offers_no_way_to_edit():
    public = {n for n in dir(audit) if not n.startswith("_") and callable(getattr(audit, n))}
    writers = {n for n in public if n.startswith(("update", "delete", "edit", "remove", "purge", "set"))}
    assert writers == set()


def test_only_admin_and_provincial_head_read_the_log(db, admin, make_user):
    from app.errors import PermissionDenied

    clerk = make_user("clerk1", "clerk")
    with db.session() as s, pytest.raises(PermissionDenied):
        audit.entries(s, clerk)
