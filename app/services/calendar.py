"""The office's special days (extra holidays, or listed holidays that are worked), which
adjust the government holiday calendar used for working-day deadlines."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.i18n import _
from app.models import SpecialDay, User, tombstone
from app.rules.permissions import Action
from app.rules.registry import squeeze
from app.services import audit
from app.services.context import authorize, get_live
from app.thai import configure_special_days

KINDS = {"holiday": "วันหยุดพิเศษ", "workday": "วันทำงาน (ยกเว้นวันหยุด)"}


def list_special_days(session: Session) -> list[SpecialDay]:
    q = select(SpecialDay).where(SpecialDay.deleted_at.is_(None)).order_by(SpecialDay.day)
    return list(session.scalars(q))


def _calendar_of(session: Session) -> tuple[dict, list]:
    days = list_special_days(session)
    return {d.day: d.name for d in days if d.kind == "holiday"}, [d.day for d in days if d.kind == "workday"]


def apply_to_calendar(session: Session) -> None:
    """Make app.thai's default calendar reflect the table (at start)."""
    configure_special_days(*_calendar_of(session))


def _apply_after_commit(session: Session) -> None:
    """After an edit: the calendar changes only once the edit is committed, never on rollback."""
    session.flush()
    session.info[_PENDING] = _calendar_of(session)


_PENDING = "calendar_pending"


@event.listens_for(Session, "after_commit")
def _commit_calendar(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        configure_special_days(*pending)


@event.listens_for(Session, "after_soft_rollback")
def _forget_calendar(session: Session, previous_transaction) -> None:
    session.info.pop(_PENDING, None)


def add_special_day(session: Session, user: User, day: date, name: str, kind: str = "holiday") -> SpecialDay:
    authorize(session, user, Action.CALENDAR_EDIT)
    if kind not in KINDS:
        raise ValidationError(_("ชนิดของวันพิเศษต้องเป็นวันหยุดหรือวันทำงาน"), field="kind")
    if kind == "holiday" and not squeeze(name):
        raise ValidationError(_("ต้องระบุชื่อวันหยุด"), field="name")
    row = SpecialDay(day=day, name=squeeze(name), kind=kind)
    session.add(row)
    session.flush()
    audit.record(session, user, "special_day.add", "special_day", row.id, after=audit.snapshot(row))
    _apply_after_commit(session)
    return row


def remove_special_day(session: Session, user: User, special_day_id: str) -> None:
    authorize(session, user, Action.CALENDAR_EDIT)
    row = get_live(session, SpecialDay, special_day_id, _("ไม่พบวันพิเศษที่ต้องการลบ"))
    before = audit.snapshot(row)
    tombstone(row)
    audit.record(session, user, "special_day.remove", "special_day", row.id, before, audit.snapshot(row))
    _apply_after_commit(session)
