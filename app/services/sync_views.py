"""What the sync page shows and the one decision it asks of people: package history, the
provinces' state at the central office (last package, gaps, forks), and conflicts.

Resolving a conflict writes the chosen version as a new local edit (so it travels like any
change, on top of both versions) and an approval_event of workflow "sync_conflict" that
carries the conflict's key, so the other side marks its copy resolved too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import ApprovalEvent, AuditEntry, SyncConflict, SyncPackage, SyncPeer, User
from app.models.base import next_change_seqs
from app.models.types import utcnow
from app.rules.permissions import Action
from app.services import audit
from app.services.context import authorize
from app.services.sync_records import TABLES_BY_NAME, codec, digest

FORK_ALARM = "sync.fork_refused"
RESOLUTIONS = {"kept_winner": "ใช้ข้อมูลที่ชนะ", "took_loser": "ใช้ข้อมูลที่แพ้"}


def history(session: Session, user: User, *, limit: int = 500) -> list[SyncPackage]:
    authorize(session, user, Action.SYNC_EXCHANGE)
    return list(session.scalars(select(SyncPackage).order_by(SyncPackage.done_at.desc()).limit(limit)))


@dataclass(frozen=True)
class PeerState:
    office_code: str
    office_name: str
    fingerprint: str
    last_in_seq: int
    last_in_at: datetime | None
    missing: tuple[int, ...]  # sequence numbers never received below the last one
    forks: int  # refused packages that contradicted the chain
    open_conflicts: int
    acked_out_seq: int
    last_out_seq: int


def peer_states(session: Session, user: User) -> list[PeerState]:
    """Per registered office: its last package, the gaps below it, forks refused, open conflicts."""
    authorize(session, user, Action.SYNC_EXCHANGE)
    received: dict[str, dict[int, datetime]] = {}
    for office, seq, at in session.execute(select(SyncPackage.peer_office, SyncPackage.seq, SyncPackage.done_at)
                                           .where(SyncPackage.direction == "in")):
        received.setdefault(office, {})[seq] = at
    forks: dict[str, int] = {}
    for (entity_id,) in session.execute(select(AuditEntry.entity_id).where(AuditEntry.action == FORK_ALARM)):
        forks[entity_id] = forks.get(entity_id, 0) + 1
    conflicts: dict[str, int] = {}
    for (office,) in session.execute(select(SyncConflict.peer_office).where(SyncConflict.resolved_at.is_(None))):
        conflicts[office] = conflicts.get(office, 0) + 1
    states = []
    for p in session.scalars(select(SyncPeer).order_by(SyncPeer.office_code)):
        seqs = received.get(p.office_code, {})
        states.append(PeerState(
            p.office_code, p.office_name, p.fingerprint, p.last_in_seq, seqs.get(p.last_in_seq),
            tuple(n for n in range(1, p.last_in_seq) if n not in seqs), forks.get(p.office_code, 0),
            conflicts.get(p.office_code, 0), p.acked_out_seq, p.last_out_seq))
    return states


def conflicts(session: Session, user: User, *, open_only: bool = True) -> list[SyncConflict]:
    authorize(session, user, Action.SYNC_EXCHANGE)
    query = select(SyncConflict).order_by(SyncConflict.detected_at, SyncConflict.key)
    if open_only:
        query = query.where(SyncConflict.resolved_at.is_(None))
    return list(session.scalars(query))


def resolve(session: Session, user: User, key: str, resolution: str, note: str = "") -> SyncConflict:
    """Settle a conflict: keep the version that won, or take the one that lost. Either way
    the chosen content is written as a new version, and the decision travels as an event."""
    authorize(session, user, Action.SYNC_RESOLVE)
    if resolution not in RESOLUTIONS:
        raise ValidationError(_("ต้องเลือกว่าจะใช้ข้อมูลที่ชนะหรือข้อมูลที่แพ้"), field="resolution")
    conflict = session.get(SyncConflict, key)
    if conflict is None:
        raise NotFound(_("ไม่พบรายการข้อมูลขัดแย้งนี้"))
    if conflict.resolved_at is not None:
        raise ValidationError(_("รายการนี้ตัดสินไปแล้ว"))
    chosen = conflict.winner if resolution == "kept_winner" else conflict.loser
    if not chosen.get("data"):
        raise ValidationError(_("ข้อมูลด้านนี้ว่าง (ไม่มีในฐานข้อมูลนี้) จึงเลือกไม่ได้"))
    table = TABLES_BY_NAME[conflict.table_name]
    row = session.execute(select(table).where(table.c.id == conflict.record_id)).mappings().one_or_none()
    values = codec(conflict.table_name).values(chosen["data"])
    (seq,) = next_change_seqs(session, 1)
    stamp = {"updated_at": utcnow(), "updated_by": user.id, "change_seq": seq, "sync_source": None}
    if row is None:
        session.execute(table.insert().values(id=conflict.record_id, rev=chosen["rev"] + 1,
                                              origin_office=chosen["origin"], sync_base_rev=0, **values, **stamp))
    else:
        # On top of both versions: the other side fast-forwards to it.
        top = max(row["rev"], conflict.winner.get("rev", 0), conflict.loser.get("rev", 0))
        session.execute(update(table).where(table.c.id == conflict.record_id)
                        .values(rev=top + 1, sync_base_rev=top, **values, **stamp))
    now = utcnow()
    session.add(ApprovalEvent(workflow="sync_conflict", item_id=conflict.record_id, step="resolve",
                              from_state="conflict", to_state=resolution, actor_id=user.id, at=now,
                              content_hash=digest(chosen["data"]), comment=note.strip(),
                              acknowledgement={"key": key, "table": conflict.table_name}))
    conflict.resolved_at, conflict.resolved_by, conflict.resolution = now, user.id, resolution
    conflict.note = note.strip()
    session.flush()
    audit.record(session, user, "sync.resolve", conflict.table_name, conflict.record_id,
                 after={"key": key, "resolution": resolution})
    return conflict
