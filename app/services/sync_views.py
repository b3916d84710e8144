"""What the sync page shows and the one decision it asks of people: package history, the
provinces' state at the central office (last package, gaps, forks), and conflicts.

Resolving a conflict is an ordinary local edit of the record as it is now: the fields the two
versions disagreed on take the chosen side's values (later edits of other fields stay), with
a rev above both versions and the row's sync base unchanged, so it travels like any change.
An approval_event of workflow "sync_conflict" carries the conflict's key, so the other side
marks its copy resolved too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationError
from app.i18n import _, tr
from app.models import ApprovalEvent, AuditEntry, SyncConflict, SyncPackage, SyncPeer, User
from app.models.base import next_change_seqs
from app.models.types import utcnow
from app.rules.permissions import Action
from app.services import audit
from app.services.context import authorize
from app.services.sync_records import KEY_COLUMN_LABELS, TABLES_BY_NAME, codec, digest, table_label

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
    """Settle a conflict: keep the version that won, or take the one that lost.

    The decision is an ordinary local edit of the record as it is NOW: only the fields the
    two versions disagreed on (the conflict's diff) are set to the chosen side's values, so
    edits made after the conflict was detected stay. The row keeps its sync base and gets a
    rev above both versions: the other side fast-forwards to it if it has not changed the
    record since the common base, and otherwise meets it as a (recorded) conflict. When
    nothing would change, no new version is written; the decision still travels as an event."""
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
    fields = codec(conflict.table_name)
    row = session.execute(select(table).where(table.c.id == conflict.record_id)).mappings().one_or_none()
    side = 1 if resolution == "kept_winner" else 2  # [field, winner value, loser value]
    if row is None:  # a refused record (or one this database lacks): the chosen version whole
        values = fields.values(chosen["data"])
    else:
        current = fields.data(row)
        wanted = {d[0]: d[side] for d in conflict.diff if d[0] in current and current[d[0]] != d[side]}
        values = {name: value for name, value in fields.values(wanted).items() if name in wanted}
    if row is None or values:
        _check_lengths(table, values)
        top = max(row["rev"] if row is not None else 0, conflict.winner.get("rev", 0), conflict.loser.get("rev", 0))
        try:
            with session.begin_nested():  # the database's own checks (keys, references) decide
                (seq,) = next_change_seqs(session, 1)
                stamp = {"rev": top + 1, "updated_at": utcnow(), "updated_by": user.id, "change_seq": seq,
                         "sync_source": None}  # sync_base_rev stays: an edit made here, on our base
                if row is None:
                    session.execute(table.insert().values(id=conflict.record_id, origin_office=chosen["origin"],
                                                          sync_base_rev=0, **values, **stamp))
                else:
                    session.execute(update(table).where(table.c.id == conflict.record_id)
                                    .values(**values, **stamp))
        except IntegrityError:
            raise ValidationError(_refusal(session, table, conflict.record_id,
                                           {**(dict(row) if row is not None else {}), **values})) from None
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


def _check_lengths(table: Table, values: dict) -> None:
    """Text longer than its column: SQLite keeps it, but the central office's PostgreSQL and
    every later import refuse it."""
    for name, value in values.items():
        limit = getattr(table.c[name].type, "length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise ValidationError(tr("ช่อง {field} ของข้อมูลนี้ยาว {n} ตัวอักษร เกินที่รับได้ ({limit}) "
                                     "ต้องแก้ที่สำนักงานต้นทางก่อนจึงเลือกใช้ข้อมูลนี้",
                                     field=name, n=len(value), limit=limit), field=name)


def _refusal(session: Session, table: Table, record_id: str, values: dict) -> str:
    """Why the database refused the chosen version, as what must be fixed first."""
    for key in _unique_keys(table):
        value = tuple(values.get(c) for c in key)
        if None in value:
            continue
        holder = session.scalar(select(table.c.id).where(table.c.id != record_id,
                                                         *(table.c[c] == v for c, v in zip(key, value))).limit(1))
        if holder is not None:
            shown = " ".join(f"{_(KEY_COLUMN_LABELS[c])} {v}" for c, v in zip(key, value) if c in KEY_COLUMN_LABELS)
            return tr("{key} ซ้ำกับรายการอื่นในฐานข้อมูลนี้ แก้รายการที่ซ้ำก่อนแล้วจึงเลือกใช้ข้อมูลนี้",
                      key=shown or ", ".join(key))
    for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
        value = values.get(fk.parent.name)
        if value is None:
            continue
        target = fk.column
        if session.scalar(select(target).where(target == value).limit(1)) is None:
            what = table_label(target.table.name) if target.table.name in TABLES_BY_NAME else target.table.name
            return tr("ไม่พบ{what}ที่ข้อมูลนี้อ้างถึง (รหัส {id}) ต้องมีรายการนั้นในฐานข้อมูลนี้ก่อน"
                      "จึงเลือกใช้ข้อมูลนี้ได้", what=what, id=value)
    return _("ฐานข้อมูลนี้ไม่รับข้อมูลด้านนี้ ต้องแก้รายการที่ขัดกันก่อนจึงเลือกใช้ข้อมูลนี้")


def _unique_keys(table: Table) -> list[tuple[str, ...]]:
    keys = [tuple(c.name for c in con.columns) for con in table.constraints if isinstance(con, UniqueConstraint)]
    return keys + [tuple(c.name for c in ix.columns) for ix in table.indexes if ix.unique]
