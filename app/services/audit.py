"""The append-only audit log. Services write it; nothing here (or anywhere) edits it."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.models import AuditEntry, User
from app.rules.permissions import Action
from app.services.context import authorize

_SKIP = frozenset({"rev", "updated_at", "updated_by", "change_seq", "password_hash"})


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj) -> dict:
    """The row's column values, JSON-safe, without bookkeeping columns."""
    mapper = inspect(obj).mapper
    return {
        col.key: _plain(getattr(obj, col.key))
        for col in mapper.column_attrs
        if col.key not in _SKIP
    }


def record(
    session: Session,
    user: User | None,
    action: str,
    entity: str = "",
    entity_id: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    session.add(
        AuditEntry(
            user_id=user.id if user else None,
            user_login=user.login if user else "",
            action=action,
            entity=entity,
            entity_id=entity_id,
            before_json=json.dumps(before, ensure_ascii=False, sort_keys=True) if before is not None else None,
            after_json=json.dumps(after, ensure_ascii=False, sort_keys=True) if after is not None else None,
        )
    )


def changed_fields(before: dict, after: dict) -> dict:
    return {k: after[k] for k in after if before.get(k) != after[k]}


def entries(session: Session, user: User, *, entity_id: str | None = None, limit: int = 500) -> list[AuditEntry]:
    authorize(session, user, Action.AUDIT_VIEW)
    q = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if entity_id:
        q = q.where(AuditEntry.entity_id == entity_id)
    return list(session.scalars(q))
