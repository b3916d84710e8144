"""CPS field visits: an officer's monthly travel plan, the visits in it with what was found
and advised, and the follow-up items carried from one visit to the next.

Two approvals live here: the travel plan (permission to travel, per officer and month) and
each visit's report. Both use app.rules.approval and keep their history in ApprovalEvent.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin
from app.models.people import User
from app.models.registry import Institution
from app.models.types import UTCDateTime


class TravelPlan(SyncMixin, Base):
    """แผนการเดินทางไปปฏิบัติงาน: one officer's visits in one month, approved as a whole."""

    __tablename__ = "travel_plan"
    __table_args__ = (UniqueConstraint("officer_id", "month"),)
    office_id: Mapped[str] = mapped_column(ForeignKey("office.id"), nullable=False)
    officer_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), nullable=False)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("work_group.id"), index=True)
    month: Mapped[date] = mapped_column(Date, nullable=False)  # the first day of the month
    state: Mapped[str] = mapped_column(String(24), nullable=False, default="draft")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    approved_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_hash: Mapped[str | None] = mapped_column(String(64))

    officer: Mapped[User] = relationship(foreign_keys=[officer_id])
    approver_user: Mapped[User | None] = relationship(foreign_keys=[approved_by])


class Visit(SyncMixin, Base):
    """One planned visit and, once it has happened, its report."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_officer_day", "officer_id", "planned_date"),
        Index("ix_visit_group_day", "group_id", "planned_date"),
        Index("ix_visit_institution_day", "institution_id", "actual_date"),
        # An officer's visits to an institution in a month (the month view's institution list).
        Index("ix_visit_institution_officer_day", "institution_id", "officer_id", "planned_date"),
    )
    travel_plan_id: Mapped[str] = mapped_column(ForeignKey("travel_plan.id"), nullable=False, index=True)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institution.id"), nullable=False)
    officer_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), nullable=False)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("work_group.id"))
    co_officer_ids: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    # -- the plan (part of the travel plan's approved content)
    planned_date: Mapped[date] = mapped_column(Date, nullable=False)
    planned_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM"; None = during the day
    duration_min: Mapped[int] = mapped_column(Integer, nullable=False, default=120)
    method: Mapped[str] = mapped_column(String(24), nullable=False)  # app.rules.visits.METHODS
    purpose: Mapped[str] = mapped_column(Text, nullable=False, default="")  # ประเด็น
    activity_lineage: Mapped[str | None] = mapped_column(String(36), index=True)  # plan activity
    # When an approval of the travel plan covered this visit as it is planned now (cleared
    # when the visit is re-planned): the permission to travel, even if the month's plan is
    # awaiting re-approval for a visit added later.
    travel_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # -- what happened (the report's content)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="planned")  # planned|done|cancelled
    actual_date: Mapped[date | None] = mapped_column(Date)
    attendees_committee: Mapped[int | None] = mapped_column(Integer)
    attendees_staff: Mapped[int | None] = mapped_column(Integer)
    attendees_members: Mapped[int | None] = mapped_column(Integer)
    findings: Mapped[str] = mapped_column(Text, nullable=False, default="")  # สภาพปัญหา/ข้อสังเกต
    advice: Mapped[str] = mapped_column(Text, nullable=False, default="")  # คำแนะนำ
    response: Mapped[str] = mapped_column(Text, nullable=False, default="")  # การตอบรับของสหกรณ์
    next_step: Mapped[str] = mapped_column(Text, nullable=False, default="")
    cancel_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    report_state: Mapped[str] = mapped_column(String(24), nullable=False, default="draft")
    report_approved_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    report_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    report_approved_hash: Mapped[str | None] = mapped_column(String(64))

    travel_plan: Mapped[TravelPlan] = relationship()
    institution: Mapped[Institution] = relationship()
    officer: Mapped[User] = relationship(foreign_keys=[officer_id])
    report_approver: Mapped[User | None] = relationship(foreign_keys=[report_approved_by])


class FollowUpItem(SyncMixin, Base):
    """ข้อสังเกต/ข้อบกพร่องที่ต้องติดตาม: raised in a visit, open until a later visit resolves it
    or it is dropped with a reason."""

    __tablename__ = "followup"
    __table_args__ = (Index("ix_followup_institution_status", "institution_id", "status"),)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institution.id"), nullable=False)
    raised_in_visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), nullable=False, index=True)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    due_date: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    closed_in_visit_id: Mapped[str | None] = mapped_column(ForeignKey("visit.id"), index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    drop_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
