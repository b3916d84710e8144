"""Target selection (seed 001): saved, editable selection filters and the institutions they
pick for a training project or a visit plan, over the year's facts in the user's scope.

Decisions:
- Saved filters are SavedFilter rows of kind "target_selection", shared by the office:
  everyone may read every one (a filter is a rule, not data about institutions; what it
  selects is always limited to the reader's own scope).
- Saving (and deleting) is for directors, the provincial head, the clerk and the admin —
  those who decide whom a project takes; officers use the filters but do not change them.
  (There is no office-wide Action for this in app.rules.permissions: the roles are
  checked here, after the ordinary gate that refuses inactive accounts.)
- A filter is saved under its name: saving a name that exists (compared after squeezing
  white space) replaces that filter's definition (rev + 1, audited) instead of adding a
  second one. The stored definition's name_th is the saved name.
- default_filter() is seed 001's rule (app.rules.targets.SEED_001_FILTER); it is not stored,
  so an office can always go back to it. list_filters() lists the stored ones only.
- A stored definition that no longer reads (hand-edited, newer version) is listed with
  `filter` None and the reason in `problem`, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import PermissionDenied, ValidationError
from app.i18n import _
from app.models import SavedFilter, User, tombstone
from app.rules import targets as rules
from app.rules.permissions import Action, Role
from app.rules.registry import squeeze
from app.rules.targets import Selected, TargetFilter
from app.services import audit
from app.services.context import authorize, get_live
from app.services.kpis import year_facts
from app.thai import thai_sort_key

KIND = "target_selection"
EDITOR_ROLES = frozenset({Role.DIRECTOR.value, Role.PROVINCIAL_HEAD.value, Role.CLERK.value, Role.ADMIN.value})


@dataclass(frozen=True)
class SavedTargetFilter:
    id: str
    name: str
    filter: TargetFilter | None  # None: the stored definition does not read (see problem)
    owner_id: str | None
    owner_name: str
    updated_at: datetime
    problem: str = ""


def default_filter() -> TargetFilter:
    """Seed 001's rule: accumulated loss, and/or class 2–3 with participation below 65 %."""
    return rules.SEED_001_FILTER


def can_edit_filters(user: User) -> bool:
    """Whether the user may save or delete target-selection filters (for the UI's buttons)."""
    return user.active and bool(user.roles & EDITOR_ROLES)


def _check_editor(session: Session, user: User) -> None:
    authorize(session, user, Action.REGISTRY_VIEW)
    if not can_edit_filters(user):
        raise PermissionDenied(_("บัญชีของคุณไม่มีสิทธิ์บันทึกเกณฑ์คัดเลือกกลุ่มเป้าหมาย (ใช้ได้เฉพาะผู้อำนวยการกลุ่ม "
                                 "สหกรณ์จังหวัด ธุรการ และผู้ดูแลระบบ)"))


def _saved(row: SavedFilter, owner_name: str) -> SavedTargetFilter:
    try:
        flt, problem = TargetFilter.from_dict(row.definition or {}), ""
    except ValidationError as exc:
        flt, problem = None, exc.message
    return SavedTargetFilter(row.id, row.name, flt, row.owner_id, owner_name, row.updated_at, problem)


def list_filters(session: Session, user: User) -> list[SavedTargetFilter]:
    """The office's saved target-selection filters, by Thai name."""
    authorize(session, user, Action.REGISTRY_VIEW)
    q = (select(SavedFilter, User.full_name).outerjoin(User, User.id == SavedFilter.owner_id)
         .where(SavedFilter.kind == KIND, SavedFilter.deleted_at.is_(None)))
    out = [_saved(row, name or "") for row, name in session.execute(q)]
    return sorted(out, key=lambda f: (thai_sort_key(f.name), f.id))


def get_filter(session: Session, user: User, filter_id: str) -> SavedTargetFilter:
    authorize(session, user, Action.REGISTRY_VIEW)
    row = get_live(session, SavedFilter, filter_id, _("ไม่พบเกณฑ์คัดเลือกที่ต้องการ"))
    if row.kind != KIND:
        raise ValidationError(_("ไม่พบเกณฑ์คัดเลือกที่ต้องการ"))
    owner = session.get(User, row.owner_id) if row.owner_id else None
    return _saved(row, owner.full_name if owner else "")


def save_filter(session: Session, user: User, name: str, flt: TargetFilter) -> SavedTargetFilter:
    """Save `flt` under `name` (replacing the filter of that name, if any)."""
    _check_editor(session, user)
    name = squeeze(name)
    if not name:
        raise ValidationError(_("กรุณาตั้งชื่อเกณฑ์คัดเลือก"), field="name")
    if len(name) > 200:
        raise ValidationError(_("ชื่อเกณฑ์คัดเลือกยาวเกิน 200 ตัวอักษร"), field="name")
    definition = replace(flt, name_th=name).to_dict()
    rows = session.scalars(select(SavedFilter).where(SavedFilter.kind == KIND, SavedFilter.deleted_at.is_(None)))
    row = next((r for r in rows if squeeze(r.name) == name), None)
    before = None if row is None else audit.snapshot(row)
    if row is None:
        row = SavedFilter(kind=KIND, name=name, definition=definition, owner_id=user.id)
        session.add(row)
    elif row.definition != definition or row.name != name:
        row.name, row.definition = name, definition
    session.flush()
    after = audit.snapshot(row)
    if before != after:
        audit.record(session, user, "target_filter.save", "saved_filter", row.id, before, after)
    return _saved(row, session.get(User, row.owner_id).full_name if row.owner_id else "")


def delete_filter(session: Session, user: User, filter_id: str) -> None:
    """Tombstone a saved filter (same permission as saving)."""
    _check_editor(session, user)
    row = get_live(session, SavedFilter, filter_id, _("ไม่พบเกณฑ์คัดเลือกที่ต้องการ"))
    if row.kind != KIND:
        raise ValidationError(_("ไม่พบเกณฑ์คัดเลือกที่ต้องการ"))
    before = audit.snapshot(row)
    tombstone(row)
    session.flush()
    audit.record(session, user, "target_filter.delete", "saved_filter", row.id, before, audit.snapshot(row))


def select_targets(session: Session, user: User, fiscal_year: int,
                   flt: TargetFilter | None = None) -> list[Selected]:
    """The institutions in the user's scope the filter surely selects for the fiscal year
    (default: seed 001's), by Thai name, each with its reasons."""
    return rules.select(year_facts(session, user, fiscal_year), flt or default_filter())


def undecided(session: Session, user: User, fiscal_year: int, flt: TargetFilter | None = None) -> list[Selected]:
    """Those the filter might select once missing figures are recorded, with what is missing."""
    return rules.undecided(year_facts(session, user, fiscal_year), flt or default_filter())
