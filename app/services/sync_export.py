"""Writing a sync package for a peer office (`coopdesk sync export`).

What goes in: every synced row changed since the last package the peer acknowledged (so a
lost USB stick is healed by the next package), never a version that came from the peer
itself; the approval events likewise; the acknowledgements of the peer's packages and the
conflicts found in them. The central office sends a province its own rows (corrections)
and the central office's rows (master data, approvals done centrally), nothing of other
provinces.

The sequence number is taken and the package recorded in one transaction, and the file is
written only after that commits. If writing fails the number is simply missing on the other
side ("package N missing"), which the next, cumulative package heals; a number is never
used twice for different contents (that would be a fork).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationError
from app.exchange.sync.canonical import jsonl
from app.exchange.sync.container import SUFFIX, Manifest, build_package, default_file_name, write_package
from app.i18n import tr
from app.migrations import SCHEMA_HEAD
from app.models import SyncConflict, SyncCounter, SyncPackage, SyncPeer, User
from app.rules.permissions import Action
from app.services import audit, sync_keys
from app.services.context import authorize
from app.services.sync_records import EVENT_TABLE, RECORD_TABLES, TABLES_BY_NAME, line_of

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    manifest: Manifest
    file_hash: str
    size: int

    def to_json(self) -> dict:
        m = self.manifest
        return {"ok": True, "file": str(self.path), "package_id": m.package_id, "seq": m.seq,
                "source": m.source_office, "target": m.target_office, "tables": m.tables,
                "events": m.files["events.jsonl"]["records"], "acks": m.files["acks.jsonl"]["records"],
                "bytes": self.size, "sha256": self.file_hash}


# What the central office shares with every province: master data and its own people (who
# appear in approval events). Anything else the centre makes is its own business.
SHARED_FROM_CENTRAL = frozenset({"office", "work_group", "app_user", "special_day", "master_file", "approval_event"})


def eligible(table, me: sync_keys.Identity, peer_code: str):
    """The rows of a table that may travel to the peer, never a version received from it.
    A province sends only its own rows (the centre refuses any other). The central office
    sends a province that province's rows (with the centre's corrections) and, of its own,
    only the shared master data: a row is never sent to two provinces, so each row has one
    peer and its sync_base_rev means one thing."""
    where = [or_(table.c.sync_source.is_(None), table.c.sync_source != peer_code)]
    if me.office_kind != "central":
        where.append(table.c.origin_office == me.office_code)
    elif table.name in SHARED_FROM_CENTRAL:
        where.append(table.c.origin_office.in_((peer_code, me.office_code)))
    else:
        where.append(table.c.origin_office == peer_code)
    return where


def target_peer(session: Session, to: str | None) -> SyncPeer:
    if to:
        peer = session.get(SyncPeer, to.strip().upper())
        if peer is None:
            raise ValidationError(tr("ยังไม่ได้ลงทะเบียนกุญแจของสำนักงาน {office} จึงส่งข้อมูลให้ไม่ได้",
                                     office=to), field="to")
        return peer
    peers = list(session.scalars(select(SyncPeer)))
    if len(peers) != 1:
        raise ValidationError(tr("ต้องระบุสำนักงานปลายทาง (มีสำนักงานที่ลงทะเบียนไว้ {n} แห่ง)", n=len(peers)),
                              field="to")
    return peers[0]


def _target_path(out: Path, manifest: Manifest) -> Path:
    """`out` names the package file when it ends in .coopsync; otherwise it is a folder
    (made if missing), and the file is named after the office, sequence and date."""
    if out.suffix.lower() == SUFFIX:
        return out
    out.mkdir(parents=True, exist_ok=True)
    return out / default_file_name(manifest)


def _lines(session: Session, table, me, peer: SyncPeer) -> list[dict]:
    query = (select(table).where(table.c.change_seq > peer.acked_change_seq, *eligible(table, me, peer.office_code))
             .order_by(table.c.change_seq))
    return [line_of(table.name, row) for row in session.execute(query).mappings()]


def _acks(session: Session, peer: SyncPeer) -> list[dict]:
    """What we received from the peer and what became of it, since the last package of ours
    the peer acknowledged (it has everything older): the packages with the rows we refused,
    and the conflicts found or settled."""
    acked = session.scalar(select(SyncPackage.created_at).where(
        SyncPackage.direction == "out", SyncPackage.peer_office == peer.office_code,
        SyncPackage.seq == peer.acked_out_seq))
    packages = select(SyncPackage).where(SyncPackage.direction == "in", SyncPackage.peer_office == peer.office_code)
    conflicts = select(SyncConflict).where(SyncConflict.peer_office == peer.office_code)
    if acked is not None:
        packages = packages.where(SyncPackage.done_at >= acked)
        conflicts = conflicts.where(or_(SyncConflict.detected_at >= acked, SyncConflict.resolved_at >= acked))
    lines = [{"type": "package", "package_id": p.package_id, "seq": p.seq, "file_hash": p.file_hash,
              "counts": p.summary.get("counts", {}),
              "refused": sorted([t, r["id"]] for t, info in p.summary.get("tables", {}).items()
                                for r in info.get("reasons", ()))}
             for p in session.scalars(packages.order_by(SyncPackage.seq))]
    lines += [{"type": "conflict", "key": c.key, "table": c.table_name, "id": c.record_id, "kind": c.kind,
               "winner": c.winner, "loser": c.loser, "diff": c.diff, "sender_won": c.local_won, "note": c.note,
               "resolution": c.resolution, "resolved_by": c.resolved_by,
               "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None}
              for c in session.scalars(conflicts.order_by(SyncConflict.key))]
    return lines


def export_package(db: Database, user: User, out: str | Path, *, to: str | None = None,
                   progress: Progress | None = None, now: datetime | None = None) -> ExportResult:
    """Write the next package for the peer `to` (the only registered peer when omitted) into
    `out` (a folder, or a file name)."""
    now = now or datetime.now(UTC)
    with db.transaction(user.id) as s:
        authorize(s, user, Action.SYNC_EXCHANGE)
        me = sync_keys.identity(s)
        peer = target_peer(s, to)
        top = s.get(SyncCounter, 1).value  # everything up to here is in (or not meant for the peer)
        records: list[dict] = []
        for i, table in enumerate(RECORD_TABLES):
            records += _lines(s, table, me, peer)
            if progress:
                progress(i + 1, len(RECORD_TABLES) + 1)
        events = _lines(s, TABLES_BY_NAME[EVENT_TABLE], me, peer)
        for e in events:  # events are appended, never edited: no op, no base
            del e["op"], e["base_rev"]
        fields = {
            "schema_revision": SCHEMA_HEAD, "kind": "central_to_province" if me.office_kind == "central"
            else "province_to_central", "package_id": str(uuid.uuid4()), "source_office": me.office_code,
            "source_install": me.install_id, "target_office": peer.office_code, "seq": peer.last_out_seq + 1,
            "prev_hash": peer.last_out_hash,
            "acknowledged": {"seq": peer.last_in_seq, "package_hash": peer.last_in_hash},
            "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        manifest, data = build_package(fields, {"records.jsonl": jsonl(records), "events.jsonl": jsonl(events),
                                                "acks.jsonl": jsonl(_acks(s, peer))}, me.key)
        file_hash = hashlib.sha256(data).hexdigest()
        path = _target_path(Path(out), manifest)
        s.add(SyncPackage(package_id=manifest.package_id, direction="out", peer_office=peer.office_code,
                          seq=manifest.seq, file_hash=file_hash, prev_hash=manifest.prev_hash, file_name=path.name,
                          created_at=now, done_by=user.id, max_change_seq=top,
                          summary={"counts": manifest.tables, "events": len(events), "bytes": len(data)}))
        peer.last_out_seq, peer.last_out_hash = manifest.seq, file_hash
        audit.record(s, user, "sync.export", "sync_package", manifest.package_id,
                     after={"target": peer.office_code, "seq": manifest.seq, "tables": manifest.tables})
        if progress:  # the last chance to cancel: after the commit the package exists
            progress(len(RECORD_TABLES) + 1, len(RECORD_TABLES) + 1)
    write_package(path, manifest, data)
    return ExportResult(path, manifest, file_hash, len(data))
