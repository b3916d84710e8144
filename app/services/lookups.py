"""Read-only lists the forms need: provinces, districts, the home office's province and the
working fiscal year. Reference data, so no permission check (nothing here is private)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import District, Province
from app.services import settings, setup
from app.thai import fiscal_year, thai_sort_key


def list_provinces(session: Session) -> list[Province]:
    """All provinces in Thai dictionary order."""
    return sorted(session.scalars(select(Province)), key=lambda p: thai_sort_key(p.name_th))


def list_districts(session: Session, province_code: str) -> list[District]:
    """The districts of one province in Thai dictionary order."""
    q = select(District).where(District.province_code == province_code)
    return sorted(session.scalars(q), key=lambda d: thai_sort_key(d.name_th))


def get_district(session: Session, code: str) -> District | None:
    return session.get(District, code)


def home_province_code(session: Session) -> str | None:
    office = setup.home_office(session)
    return office.province_code if office else None


def working_fiscal_year(session: Session, today: date | None = None) -> int:
    """The fiscal year the office works in: the setting, or the one containing today."""
    return settings.get(session, "working_fiscal_year") or fiscal_year(today or date.today())
