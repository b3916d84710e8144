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
- create_filter() refuses a name already taken (a new set must not overwrite another
  silently); update_filter() changes one filter by id, renaming it if asked, and refuses a
  name another filter has.
- The editing form (TargetForm, the standards page's dialog) covers seed 001's shape: an
  accumulated-loss group and a class group (classes, optionally with participation below a
  percentage), combined with and/or, over chosen kinds and statuses. A filter of another
  shape keeps its rule groups as they are (`custom_rules`); only its name, kinds and
  statuses are edited. build_filter() checks the form and says what is wrong in Thai,
  naming the form's field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import PermissionDenied, ValidationError
from app.i18n import _, tr
from app.models import SavedFilter, User, tombstone
from app.rules import targets as rules
from app.rules.permissions import Action, Role
from app.rules.registry import squeeze
from app.rules.targets import ALL, ANY, Condition, Rule, Selected, TargetFilter
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


def _clean_name(name: str) -> str:
    name = squeeze(name)
    if not name:
        raise ValidationError(_("กรุณาตั้งชื่อเกณฑ์คัดเลือก"), field="name")
    if len(name) > 200:
        raise ValidationError(_("ชื่อเกณฑ์คัดเลือกยาวเกิน 200 ตัวอักษร"), field="name")
    return name


def _named(session: Session, name: str) -> SavedFilter | None:
    rows = session.scalars(select(SavedFilter).where(SavedFilter.kind == KIND, SavedFilter.deleted_at.is_(None)))
    return next((r for r in rows if squeeze(r.name) == name), None)


def _name_taken(name: str) -> ValidationError:
    return ValidationError(tr("มีเกณฑ์คัดเลือกชื่อ \u201c{name}\u201d อยู่แล้ว กรุณาตั้งชื่ออื่น", name=name), field="name")


def save_filter(session: Session, user: User, name: str, flt: TargetFilter) -> SavedTargetFilter:
    """Save `flt` under `name` (replacing the filter of that name, if any)."""
    _check_editor(session, user)
    name = _clean_name(name)
    return _write(session, user, _named(session, name), name, flt)


def create_filter(session: Session, user: User, name: str, flt: TargetFilter) -> SavedTargetFilter:
    """Save `flt` as a new filter; refuses a name another filter already has."""
    _check_editor(session, user)
    name = _clean_name(name)
    if _named(session, name) is not None:
        raise _name_taken(name)
    return _write(session, user, None, name, flt)


def update_filter(session: Session, user: User, filter_id: str, name: str, flt: TargetFilter) -> SavedTargetFilter:
    """Change a saved filter's definition (and name); refuses a name another filter has."""
    _check_editor(session, user)
    row = get_live(session, SavedFilter, filter_id, _("ไม่พบเกณฑ์คัดเลือกที่ต้องการ"))
    if row.kind != KIND:
        raise ValidationError(_("ไม่พบเกณฑ์คัดเลือกที่ต้องการ"))
    name = _clean_name(name)
    clash = _named(session, name)
    if clash is not None and clash.id != row.id:
        raise _name_taken(name)
    return _write(session, user, row, name, flt)


def _write(session: Session, user: User, row: SavedFilter | None, name: str, flt: TargetFilter) -> SavedTargetFilter:
    definition = replace(flt, name_th=name).to_dict()
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


def selection(session: Session, user: User, fiscal_year: int,
              flt: TargetFilter | None = None) -> tuple[list[Selected], list[Selected]]:
    """(select_targets, undecided) of the same facts, read once."""
    facts = year_facts(session, user, fiscal_year)
    flt = flt or default_filter()
    return rules.select(facts, flt), rules.undecided(facts, flt)


# -- the editing form -------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetForm:
    """What the filter dialog edits (see the module docstring)."""

    name: str
    loss: bool = True  # group 1: accumulated loss above loss_above
    loss_above: Decimal = Decimal(0)
    weak: bool = True  # group 2: strength class in classes (and participation below …)
    classes: tuple[int, ...] = (2, 3)
    participation: bool = True
    participation_below: Decimal = Decimal(65)
    combine: str = ANY  # between the groups
    kinds: tuple[str, ...] = ("coop",)
    statuses: tuple[str, ...] = rules.DEFAULT_STATUSES
    custom_rules: tuple[Rule, ...] | None = field(default=None)  # a filter of another shape: kept as is

    @property
    def editable_rules(self) -> bool:
        return self.custom_rules is None


def _loss_rule(rule: Rule) -> Decimal | None:
    (c, *more) = rule.conditions
    if more or c.field != "accumulated_loss" or c.op != "gt":
        return None
    return c.value


def _weak_rule(rule: Rule) -> tuple[tuple[int, ...], Decimal | None] | None:
    by_field = {c.field: c for c in rule.conditions}
    klass = by_field.pop("strength_class", None)
    part = by_field.pop("member_participation_pct", None)
    if (by_field or klass is None or klass.op not in ("in", "eq") or len(rule.conditions) != 1 + (part is not None)
            or (part is not None and part.op != "lt") or (len(rule.conditions) > 1 and rule.combine != ALL)):
        return None
    classes = klass.value if klass.op == "in" else (klass.value,)
    return tuple(classes), part.value if part is not None else None


def form_of(flt: TargetFilter) -> TargetForm:
    """The filter as the dialog shows it; rule groups of another shape are kept as custom_rules."""
    base = TargetForm(name=flt.name_th, combine=flt.combine, kinds=flt.kinds, statuses=flt.statuses)
    loss = weak = None
    for rule in flt.rules:
        if loss is None and (found := _loss_rule(rule)) is not None:
            loss = found
        elif weak is None and (shape := _weak_rule(rule)) is not None:
            weak = shape
        else:
            return replace(base, loss=False, weak=False, custom_rules=flt.rules)
    form = replace(base, loss=loss is not None, weak=weak is not None)
    if loss is not None:
        form = replace(form, loss_above=loss)
    if weak is not None:
        classes, below = weak
        form = replace(form, classes=classes, participation=below is not None)
        if below is not None:
            form = replace(form, participation_below=below)
    return form


def build_filter(form: TargetForm) -> TargetFilter:
    """The filter the form describes; ValidationError in Thai naming the form's field
    (name, rules, loss_above, classes, participation_below, kinds, statuses)."""
    name = squeeze(form.name)
    if not name:
        raise ValidationError(_("กรุณาตั้งชื่อเกณฑ์คัดเลือก"), field="name")
    if len(name) > 200:
        raise ValidationError(_("ชื่อเกณฑ์คัดเลือกยาวเกิน 200 ตัวอักษร"), field="name")
    if form.custom_rules is not None:
        groups = form.custom_rules
    else:
        if not (form.loss or form.weak):
            raise ValidationError(_("กรุณาเลือกเงื่อนไขอย่างน้อยหนึ่งกลุ่ม (ขาดทุนสะสม หรือ ระดับชั้นความเข้มแข็ง)"),
                                  field="rules")
        built = []
        if form.loss:
            if form.loss_above < 0:
                raise ValidationError(_("ยอดขาดทุนสะสมต้องไม่ติดลบ"), field="loss_above")
            built.append(Rule((Condition("accumulated_loss", "gt", form.loss_above),)))
        if form.weak:
            if not form.classes:
                raise ValidationError(_("กรุณาเลือกระดับชั้นความเข้มแข็งอย่างน้อยหนึ่งชั้น"), field="classes")
            conditions = [Condition("strength_class", "in", tuple(form.classes))]
            if form.participation:
                if not 0 < form.participation_below <= 100:
                    raise ValidationError(_("ร้อยละการมีส่วนร่วมต้องมากกว่า 0 และไม่เกิน 100"),
                                          field="participation_below")
                conditions.append(Condition("member_participation_pct", "lt", form.participation_below))
            built.append(Rule(tuple(conditions)))
        groups = tuple(built)
    try:
        return TargetFilter(name, groups, form.combine, tuple(form.kinds), tuple(form.statuses))
    except ValidationError as exc:
        raise ValidationError(exc.message, field={"name_th": "name"}.get(exc.field or "", exc.field)) from None
