"""Offices, their work groups, users and (local-only) credentials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin
from app.models.types import UTCDateTime


class Office(SyncMixin, Base):
    """A provincial office or the central office."""

    __tablename__ = "office"
    code: Mapped[str] = mapped_column(String(16), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    province_code: Mapped[str | None] = mapped_column(ForeignKey("province.code"))
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="province")


class WorkGroup(SyncMixin, Base):
    """A unit of an office, e.g. กลุ่มส่งเสริมสหกรณ์ ๑."""

    __tablename__ = "work_group"
    __table_args__ = (UniqueConstraint("office_id", "name"),)
    office_id: Mapped[str] = mapped_column(ForeignKey("office.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class User(SyncMixin, Base):
    __tablename__ = "app_user"
    # Logins are unique within an office: the central office holds every province's users.
    __table_args__ = (UniqueConstraint("office_id", "login", name="uq_app_user_office_login"),)
    office_id: Mapped[str] = mapped_column(ForeignKey("office.id"), nullable=False, index=True)
    login: Mapped[str] = mapped_column(String(64), nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    position: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    group_id: Mapped[str | None] = mapped_column(ForeignKey("work_group.id"), index=True)
    roles_text: Mapped[str] = mapped_column("roles", String(200), nullable=False, default="")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    group: Mapped[WorkGroup | None] = relationship()
    office: Mapped[Office] = relationship()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r for r in self.roles_text.split(",") if r)

    @roles.setter
    def roles(self, value) -> None:
        self.roles_text = ",".join(sorted(set(value)))


class Credential(Base):
    """Password hash and failed-login state; local to this machine, never synced."""

    __tablename__ = "credential"
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    failed_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    must_change: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
