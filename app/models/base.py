"""Declarative base and the sync mixin every synced table carries (DESIGN.md, data rules).

Stamping happens in one place, a `before_flush` hook: a new or changed synced row gets
rev + 1, updated_at, updated_by (the acting user in `session.info`), origin_office on
insert, and the next value of the database's change counter (like Anki's USN). Synced rows
are never hard-deleted; `tombstone()` marks them and a hard delete is refused.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, event, inspect, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from app.models.types import UTCDateTime, utcnow

SESSION_USER = "user_id"  # session.info key: id of the acting user
SESSION_OFFICE = "office_code"  # session.info key: code of this installation's office


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    pass


class SyncCounter(Base):
    """One row per database: the last change_seq handed out."""

    __tablename__ = "sync_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class SyncMixin:
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    rev: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(36))
    origin_office: Mapped[str | None] = mapped_column(String(16))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    change_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0, index=True)
    # Sync bookkeeping (app/services/sync_import.py): the rev this row last had in common with
    # the peer it syncs with, and the office the current version was received from (None
    # after a local edit), so a version is never echoed back to where it came from.
    sync_base_rev: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    sync_source: Mapped[str | None] = mapped_column(String(16))

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def tombstone(obj: SyncMixin) -> None:
    """Mark a synced row deleted; the row stays so the deletion can travel."""
    if obj.deleted_at is None:
        obj.deleted_at = utcnow()


class HardDeleteRefused(RuntimeError):
    pass


def next_change_seqs(session: Session, count: int) -> range:
    """Take `count` consecutive change_seq values from the database's counter."""
    # One statement: the row lock taken by the UPDATE also orders concurrent writers.
    top = session.connection().execute(
        update(SyncCounter).where(SyncCounter.id == 1).values(value=SyncCounter.value + count)
        .returning(SyncCounter.value)
    ).scalar_one_or_none()
    if top is None:
        raise RuntimeError("sync_counter row missing: the database was not migrated")
    return range(top - count + 1, top + 1)


# Columns the stamping and sync machinery write; changing only these is not an edit.
SYNC_BOOKKEEPING = frozenset({"rev", "updated_at", "updated_by", "change_seq", "sync_base_rev", "sync_source"})


def _really_modified(obj) -> bool:
    state = inspect(obj)
    return any(
        attr.history.has_changes()
        for attr in state.attrs
        if attr.key not in SYNC_BOOKKEEPING
    )


def _check_lengths(obj) -> None:
    """Text longer than its column: SQLite would keep it, PostgreSQL (the central office)
    refuses it, and the row must sync to both; so it is refused here, by name, everywhere."""
    for column in inspect(obj).mapper.columns:
        limit = getattr(column.type, "length", None)
        value = getattr(obj, column.key, None)
        if limit and isinstance(value, str) and len(value) > limit:
            from app.errors import ValidationError
            from app.i18n import tr

            raise ValidationError(tr("ข้อความยาวเกินไป: ช่อง {field} รับได้ไม่เกิน {limit} ตัวอักษร (ได้ {n})",
                                     field=column.key, limit=limit, n=len(value)), field=column.key)


@event.listens_for(Session, "before_flush")
def _stamp_synced_rows(session: Session, flush_context, instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, SyncMixin):
            raise HardDeleteRefused(f"{type(obj).__name__} rows are tombstoned, never deleted")
    new = [o for o in session.new if isinstance(o, SyncMixin)]
    dirty = [o for o in session.dirty if isinstance(o, SyncMixin) and _really_modified(o)]
    if not new and not dirty:
        return
    for obj in new + dirty:
        _check_lengths(obj)
    now = utcnow()
    user = session.info.get(SESSION_USER)
    office = session.info.get(SESSION_OFFICE)
    for obj in new:
        if not obj.origin_office:
            obj.origin_office = office
    for obj, seq in zip(new + dirty, next_change_seqs(session, len(new) + len(dirty))):
        obj.rev = (obj.rev or 0) + 1
        obj.updated_at = now
        obj.updated_by = user
        obj.change_seq = seq
        obj.sync_source = None
