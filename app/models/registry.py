"""The registry: cooperatives and farmer groups, and their status per fiscal year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin
from app.models.geo import District
from app.models.people import User, WorkGroup
from app.models.types import Money, Percent


class Institution(SyncMixin, Base):
    __tablename__ = "institution"
    __table_args__ = (Index("ix_institution_reg_no", "reg_no", unique=True),)
    reg_no: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # coop | farmer_group
    coop_type: Mapped[str | None] = mapped_column(String(16))  # app.rules.registry.COOP_TYPES
    district_code: Mapped[str | None] = mapped_column(ForeignKey("district.code"), index=True)
    address: Mapped[str] = mapped_column(Text, nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="operating")
    members: Mapped[int | None] = mapped_column(Integer)
    registered_on: Mapped[date | None] = mapped_column(Date)
    acct_year_end_month: Mapped[int | None] = mapped_column(Integer)
    acct_year_end_day: Mapped[int | None] = mapped_column(Integer)
    officer_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("work_group.id"), index=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    district: Mapped[District | None] = relationship()
    officer: Mapped[User | None] = relationship()
    group: Mapped[WorkGroup | None] = relationship()
    years: Mapped[list[InstitutionYear]] = relationship(back_populates="institution")


class InstitutionYear(SyncMixin, Base):
    """What is recorded of an institution for one fiscal year (assessments come later)."""

    __tablename__ = "institution_year"
    __table_args__ = (UniqueConstraint("institution_id", "fiscal_year"),)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institution.id"), nullable=False, index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, nullable=False)  # Buddhist era
    strength_class: Mapped[int | None] = mapped_column(Integer)  # 1..4
    out_of_scope: Mapped[bool] = mapped_column(default=False, nullable=False)
    standards_result: Mapped[str | None] = mapped_column(String(16))  # pass | fail | not_assessed
    accumulated_loss: Mapped[Decimal | None] = mapped_column(Money())
    member_participation_pct: Mapped[Decimal | None] = mapped_column(Percent())
    business_volume: Mapped[Decimal | None] = mapped_column(Money())
    net_profit: Mapped[Decimal | None] = mapped_column(Money())
    agm_date: Mapped[date | None] = mapped_column(Date)
    accounts_closed_date: Mapped[date | None] = mapped_column(Date)

    institution: Mapped[Institution] = relationship(back_populates="years")
