"""The registry of institutions: list, read, create, edit, tombstone, yearly status."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from app.errors import ValidationError
from app.i18n import _, tr
from app.models import District, Institution, InstitutionYear, User, WorkGroup, tombstone
from app.rules.permissions import Action, Target
from app.rules.registry import (
    InstitutionData,
    YearData,
    normalize_reg_no,
    squeeze,
    type_label,
    validate_institution,
    validate_year,
)
from app.services import audit
from app.services.context import authorize, get_live


@dataclass(frozen=True)
class InstitutionRow:
    """One line of the registry list: plain values, cheap to build for 10,000 rows."""

    id: str
    reg_no: str
    name: str
    kind: str
    coop_type: str | None
    type_label: str
    district_code: str | None
    district_name: str
    status: str
    members: int | None
    officer_id: str | None
    officer_name: str
    group_id: str | None
    group_name: str
    fiscal_year: int | None
    strength_class: int | None
    out_of_scope: bool
    standards_result: str | None


def target_of(inst: Institution | InstitutionData) -> Target:
    return Target(officer_id=inst.officer_id, group_id=inst.group_id)


def list_institutions(session: Session, user: User, *, fiscal_year: int | None = None) -> list[InstitutionRow]:
    """All live institutions with the yearly status of `fiscal_year` (if given), one query."""
    authorize(session, user, Action.REGISTRY_VIEW)
    officer, grp, yr = aliased(User), aliased(WorkGroup), aliased(InstitutionYear)
    year_join = and_(yr.institution_id == Institution.id, yr.fiscal_year == fiscal_year, yr.deleted_at.is_(None))
    q = (
        select(
            Institution.id, Institution.reg_no, Institution.name, Institution.kind, Institution.coop_type,
            Institution.district_code, District.name_th, District.kind, Institution.status, Institution.members,
            Institution.officer_id, officer.full_name, Institution.group_id, grp.name,
            yr.fiscal_year, yr.strength_class, yr.out_of_scope, yr.standards_result,
        )
        .outerjoin(District, District.code == Institution.district_code)
        .outerjoin(officer, officer.id == Institution.officer_id)
        .outerjoin(grp, grp.id == Institution.group_id)
        .outerjoin(yr, year_join)
        .where(Institution.deleted_at.is_(None))
    )
    rows = []
    for r in session.execute(q):
        district = "" if r[6] is None else ("เขต" if r[7] == "khet" else "อ.") + r[6]
        rows.append(
            InstitutionRow(
                r[0], r[1], r[2], r[3], r[4], type_label(r[3], r[4]), r[5], district, r[8], r[9],
                r[10], r[11] or "", r[12], r[13] or "", r[14], r[15], bool(r[16]), r[17],
            )
        )
    return rows


def get_institution(session: Session, user: User, institution_id: str) -> Institution:
    authorize(session, user, Action.REGISTRY_VIEW)
    return get_live(session, Institution, institution_id, _("ไม่พบสหกรณ์/กลุ่มเกษตรกรที่ต้องการ"))


def find_by_reg_no(session: Session, reg_no: str) -> Institution | None:
    return session.scalar(select(Institution).where(Institution.reg_no == normalize_reg_no(reg_no)))


def known_district_codes(session: Session) -> set[str]:
    """District codes, read once per session (reference data does not change within one)."""
    codes = session.info.get("district_codes")
    if codes is None:
        codes = session.info["district_codes"] = set(session.scalars(select(District.code)))
    return codes


def clean(data: InstitutionData) -> InstitutionData:
    d = InstitutionData(**asdict(data))
    d.reg_no = normalize_reg_no(d.reg_no)
    d.name, d.address, d.phone, d.notes = squeeze(d.name), squeeze(d.address), squeeze(d.phone), d.notes.strip()
    if d.kind == "farmer_group":
        d.coop_type = None
    return d


def _raise_problems(data: InstitutionData, session: Session) -> None:
    problems = validate_institution(data, known_districts=known_district_codes(session))
    if problems:
        first = problems[0]
        raise ValidationError(first.message, field=first.field)


def _apply(inst: Institution, data: InstitutionData) -> None:
    for name in InstitutionData.field_names():
        setattr(inst, name, getattr(data, name))


def create_institution(session: Session, user: User, data: InstitutionData) -> Institution:
    authorize(session, user, Action.REGISTRY_CREATE)
    data = clean(data)
    _raise_problems(data, session)
    existing = find_by_reg_no(session, data.reg_no)
    if existing is not None and existing.deleted_at is None:
        raise ValidationError(
            tr("เลขทะเบียน {reg} มีอยู่แล้ว ({name})", reg=data.reg_no, name=existing.name), field="reg_no"
        )
    if existing is not None:  # re-registering a deleted record revives it, keeping its history
        inst, before = existing, audit.snapshot(existing)
        inst.deleted_at = None
    else:
        inst, before = Institution(), None
        session.add(inst)
    _apply(inst, data)
    session.flush()
    audit.record(session, user, "institution.create", "institution", inst.id, before, audit.snapshot(inst))
    return inst


def update_institution(session: Session, user: User, institution_id: str, data: InstitutionData) -> Institution:
    inst = get_institution(session, user, institution_id)
    authorize(session, user, Action.REGISTRY_EDIT, target_of(inst))
    data = clean(data)
    if data.officer_id != inst.officer_id or data.group_id != inst.group_id:
        # Re-assigning needs the right over the new owner too (an officer cannot give work away).
        authorize(session, user, Action.REGISTRY_EDIT, target_of(data))
    _raise_problems(data, session)
    clash = find_by_reg_no(session, data.reg_no)
    if clash is not None and clash.id != inst.id:
        raise ValidationError(tr("เลขทะเบียน {reg} ซ้ำกับ {name}", reg=data.reg_no, name=clash.name), field="reg_no")
    before = audit.snapshot(inst)
    _apply(inst, data)
    session.flush()
    after = audit.snapshot(inst)
    if before != after:
        audit.record(session, user, "institution.update", "institution", inst.id, before, after)
    return inst


def delete_institution(session: Session, user: User, institution_id: str) -> None:
    inst = get_institution(session, user, institution_id)
    authorize(session, user, Action.REGISTRY_DELETE, target_of(inst))
    before = audit.snapshot(inst)
    tombstone(inst)
    audit.record(session, user, "institution.delete", "institution", inst.id, before, audit.snapshot(inst))


def data_of(inst: Institution) -> InstitutionData:
    return InstitutionData(**{n: getattr(inst, n) for n in InstitutionData.field_names()})


def years_of(session: Session, user: User, institution_id: str) -> list[InstitutionYear]:
    get_institution(session, user, institution_id)
    q = (
        select(InstitutionYear)
        .where(InstitutionYear.institution_id == institution_id, InstitutionYear.deleted_at.is_(None))
        .order_by(InstitutionYear.fiscal_year.desc())
    )
    return list(session.scalars(q))


_YEAR_FIELDS = list(YearData.__dataclass_fields__)


def save_year(session: Session, user: User, institution_id: str, fiscal_year: int, data: YearData) -> InstitutionYear:
    """Create or update the institution's record for one fiscal year."""
    inst = get_institution(session, user, institution_id)
    authorize(session, user, Action.YEARLY_EDIT, target_of(inst))
    problems = validate_year(fiscal_year, data)
    if problems:
        raise ValidationError(problems[0].message, field=problems[0].field)
    row = session.scalar(
        select(InstitutionYear).where(
            InstitutionYear.institution_id == institution_id, InstitutionYear.fiscal_year == fiscal_year
        )
    )
    before = audit.snapshot(row) if row is not None else None
    if row is None:
        row = InstitutionYear(institution_id=institution_id, fiscal_year=fiscal_year)
        session.add(row)
    row.deleted_at = None
    for name in _YEAR_FIELDS:
        setattr(row, name, getattr(data, name))
    session.flush()
    after = audit.snapshot(row)
    if before != after:
        audit.record(session, user, "institution_year.save", "institution_year", row.id, before, after)
    return row


def year_data_of(row: InstitutionYear) -> YearData:
    return YearData(**{n: getattr(row, n) for n in _YEAR_FIELDS})

