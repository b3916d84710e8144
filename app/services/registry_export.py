"""Writing the registry to an Excel file (`coopdesk registry export-xlsx`).

The file reads back through the importer to the same registry, so an office can edit its
list in Excel and bring it back. It is written to a temporary file beside the target and
moved over it only when complete: a crash or a full disk never leaves half a file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.exchange.registry_xlsx import RegistryRecord, write_registry
from app.models import Institution, InstitutionYear, User
from app.rules.permissions import Action
from app.exchange.files import write_atomically
from app.services import lookups, settings, setup
from app.services.context import authorize
from app.services.registry import data_of, year_data_of
from app.thai import thai_sort_key


def _live_name(obj, attr: str) -> str:
    # A tombstoned officer or group is left blank: the importer could not match it back.
    return "" if obj is None or obj.deleted_at is not None else getattr(obj, attr)


def registry_records(session: Session, fiscal_year: int) -> list[RegistryRecord]:
    """Every live institution with its fiscal-year status, in Thai dictionary order of name."""
    q = (
        select(Institution)
        .where(Institution.deleted_at.is_(None))
        .options(joinedload(Institution.district), joinedload(Institution.officer), joinedload(Institution.group))
    )
    years = {
        y.institution_id: y
        for y in session.scalars(
            select(InstitutionYear).where(InstitutionYear.fiscal_year == fiscal_year,
                                          InstitutionYear.deleted_at.is_(None))
        )
    }
    records = [
        RegistryRecord(
            data=data_of(inst),
            district=inst.district.label if inst.district else "",
            officer=_live_name(inst.officer, "full_name"),
            group=_live_name(inst.group, "name"),
            year=year_data_of(years[inst.id]) if inst.id in years else None,
        )
        for inst in session.scalars(q).unique()
    ]
    records.sort(key=lambda r: (thai_sort_key(r.data.name), r.data.reg_no))
    return records


def export_file(session: Session, user: User, path: str | Path, *, fiscal_year: int | None = None) -> int:
    """Write the registry (yearly columns for `fiscal_year`, default the working year); returns the row count."""
    authorize(session, user, Action.REGISTRY_VIEW)
    year = fiscal_year or lookups.working_fiscal_year(session)
    records = registry_records(session, year)
    office = setup.home_office(session)
    write_atomically(
        Path(path),
        lambda target: write_registry(
            target, records, office_name=office.name if office else "", as_of=date.today(),
            fiscal_year=year, thai_digits=settings.get(session, "print.thai_digits"),
        ),
    )
    return len(records)
