"""Standards and strength assessments of an institution for one year, and saved filters.

The registry's yearly row (InstitutionYear) keeps the results the rest of the app reads
(standards_result, strength_class, out_of_scope); these tables keep how each result was
reached — every criterion answered, every score entered — so it can be checked, corrected
and compared with what the central office published.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin
from app.models.registry import Institution
from app.models.types import Fixed


class StandardsAssessment(SyncMixin, Base):
    """การจัดมาตรฐาน of one institution for one accounting year (named like InstitutionYear)."""

    __tablename__ = "standards_assessment"
    __table_args__ = (UniqueConstraint("institution_id", "fiscal_year"),)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institution.id"), nullable=False, index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, nullable=False)
    criteria_year: Mapped[int] = mapped_column(Integer, nullable=False)  # the criteria set applied
    assessed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    not_assessed_reason: Mapped[str | None] = mapped_column(String(32))
    reason_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    answers: Mapped[list] = mapped_column(JSON, nullable=False, default=list)  # [{code, met, note}]
    result: Mapped[str] = mapped_column(String(16), nullable=False)  # pass | fail | not_assessed
    assessed_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    assessed_on: Mapped[date | None] = mapped_column(Date)
    reported_on: Mapped[date | None] = mapped_column(Date)  # when the result went to the office

    institution: Mapped[Institution] = relationship()


class StrengthAssessment(SyncMixin, Base):
    """ความเข้มแข็ง of one institution for one year: the four scores, the basic conditions and
    the class the year's rule table gives, beside the class the central office published."""

    __tablename__ = "strength_assessment"
    __table_args__ = (UniqueConstraint("institution_id", "fiscal_year"),)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institution.id"), nullable=False, index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, nullable=False)
    member_service: Mapped[Decimal | None] = mapped_column(Fixed(5, 2))
    business: Mapped[Decimal | None] = mapped_column(Fixed(5, 2))
    organisation: Mapped[Decimal | None] = mapped_column(Fixed(5, 2))
    administration: Mapped[Decimal | None] = mapped_column(Fixed(5, 2))
    accounts_closed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    agm_held: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    statements_presented: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    extra: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)  # extra item conditions
    out_of_scope: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    out_of_scope_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    computed_class: Mapped[int | None] = mapped_column(Integer)
    table_year: Mapped[int | None] = mapped_column(Integer)  # the rule table that computed it
    published_class: Mapped[int | None] = mapped_column(Integer)  # the central office's figure
    source: Mapped[str] = mapped_column(String(16), nullable=False, default="entered")  # entered | imported
    entered_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))

    institution: Mapped[Institution] = relationship()


class SavedFilter(SyncMixin, Base):
    """A named, editable selection (e.g. seed 001's training targets) kept as JSON."""

    __tablename__ = "saved_filter"
    kind: Mapped[str] = mapped_column(String(32), nullable=False)  # e.g. target_selection
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    definition: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
