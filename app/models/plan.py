"""The annual action plan: one row per revision, its activity rows and month cells, the
actual work and disbursement recorded against it, and approval history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin
from app.models.people import Office, User, WorkGroup
from app.models.types import Money, UTCDateTime


class Plan(SyncMixin, Base):
    """One revision of a work group's plan for a fiscal year. Approved revisions are locked;
    revising copies the plan into revision + 1 (a draft) and leaves the old one readable."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("group_id", "fiscal_year", "revision"),)
    office_id: Mapped[str] = mapped_column(ForeignKey("office.id"), nullable=False)
    group_id: Mapped[str] = mapped_column(ForeignKey("work_group.id"), nullable=False, index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    revision_label: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    previous_id: Mapped[str | None] = mapped_column(ForeignKey("plan.id"))
    owner_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), nullable=False)
    state: Mapped[str] = mapped_column(String(24), nullable=False, default="draft")
    title: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    project: Mapped[str] = mapped_column(Text, nullable=False, default="")
    program: Mapped[str] = mapped_column(Text, nullable=False, default="")
    output: Mapped[str] = mapped_column(Text, nullable=False, default="")
    main_activity: Mapped[str] = mapped_column(Text, nullable=False, default="")
    sub_activity: Mapped[str] = mapped_column(Text, nullable=False, default="")
    objective: Mapped[str] = mapped_column(Text, nullable=False, default="")
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    budget_total: Mapped[Decimal | None] = mapped_column(Money())
    # Structured header parts, JSON lists of plain values (Decimals as strings):
    # responsible {name, position}; practitioners [{name, position}]; targets
    # [{label, quantity, unit}]; budget_lines [{category, amount}]; kpis [{indicator, target}];
    # signatories {proposer|lead|approver: {name, position}}.
    responsible: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    practitioners: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    targets: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    budget_lines: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    kpis: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    signatories: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # The sheet's printed totals row (12 × {work, baht} or null) and its grand total.
    stated_month_totals: Mapped[list | None] = mapped_column(JSON)
    stated_total: Mapped[dict | None] = mapped_column(JSON)
    approved_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_hash: Mapped[str | None] = mapped_column(String(64))

    group: Mapped[WorkGroup] = relationship()
    office: Mapped[Office] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    approver_user: Mapped[User | None] = relationship(foreign_keys=[approved_by])
    activities: Mapped[list[PlanActivityRow]] = relationship(
        back_populates="plan", order_by="PlanActivityRow.position",
        primaryjoin="and_(PlanActivityRow.plan_id == Plan.id, PlanActivityRow.deleted_at.is_(None))",
        viewonly=True,
    )


class PlanActivityRow(SyncMixin, Base):
    """A row of the plan body: numbered activity, bullet or heading. `lineage` stays the same
    across revisions, so actuals recorded against an activity survive a revision."""

    __tablename__ = "plan_activity"
    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id"), nullable=False, index=True)
    lineage: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    title: Mapped[str] = mapped_column(Text, nullable=False, default="")
    is_heading: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    level: Mapped[int | None] = mapped_column(Integer)
    target_quantity: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    responsible: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    stated_total_work: Mapped[int | None] = mapped_column(Integer)
    stated_total_baht: Mapped[Decimal | None] = mapped_column(Money())

    plan: Mapped[Plan] = relationship(back_populates="activities")
    months: Mapped[list[PlanMonth]] = relationship(
        back_populates="activity", order_by="PlanMonth.month",
        primaryjoin="and_(PlanMonth.activity_id == PlanActivityRow.id, PlanMonth.deleted_at.is_(None))",
        viewonly=True,
    )


class PlanMonth(SyncMixin, Base):
    """งาน/งบ of one activity in one month (0 = ต.ค. … 11 = ก.ย.). Blank months have no row."""

    __tablename__ = "plan_month"
    __table_args__ = (UniqueConstraint("activity_id", "month"),)
    activity_id: Mapped[str] = mapped_column(ForeignKey("plan_activity.id"), nullable=False, index=True)
    month: Mapped[int] = mapped_column(Integer, nullable=False)
    work: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    baht: Mapped[Decimal] = mapped_column(Money(), nullable=False, default=Decimal(0))

    activity: Mapped[PlanActivityRow] = relationship(back_populates="months")


class PlanActual(SyncMixin, Base):
    """Work done and budget disbursed by hand for an activity lineage in a month."""

    __tablename__ = "plan_actual"
    __table_args__ = (UniqueConstraint("group_id", "fiscal_year", "lineage", "month"),)
    group_id: Mapped[str] = mapped_column(ForeignKey("work_group.id"), nullable=False)
    fiscal_year: Mapped[int] = mapped_column(Integer, nullable=False)
    lineage: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    month: Mapped[int] = mapped_column(Integer, nullable=False)
    work_done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    baht_disbursed: Mapped[Decimal] = mapped_column(Money(), nullable=False, default=Decimal(0))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")


class ApprovalEvent(SyncMixin, Base):
    """One step of an item's approval history (plans now; travel plans and CPS reports later).
    Written once, never changed: the history of who submitted, approved or returned what."""

    __tablename__ = "approval_event"
    workflow: Mapped[str] = mapped_column(String(32), nullable=False)
    item_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    step: Mapped[str] = mapped_column(String(16), nullable=False)
    from_state: Mapped[str] = mapped_column(String(24), nullable=False)
    to_state: Mapped[str] = mapped_column(String(24), nullable=False)
    actor_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    acknowledgement: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User] = relationship()
