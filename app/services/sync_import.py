"""Importing sync packages (`coopdesk sync import`).

1. Verify everything before writing anything (app.exchange.sync.container.open_package: the
   container rebuilt byte for byte, signature, hashes, counts, format), then the schema
   revision, the target office and the sequence: a package imported before is "already
   imported"; an older one than the last imported is "stale"; the same number with another
   hash, or a chain that does not continue the last package, is a fork and is refused.
   A gap (packages missing) is reported by number; the package is still applied, because
   every package carries all changes since the last acknowledged one.
2. Then ONE transaction: records by the version rules (app.rules.sync), events appended,
   acknowledgements processed, the package recorded with its summary. A dry run takes the
   same path and rolls back, so its summary is the real import's.

Per table the summary counts inserted, updated, unchanged, conflicted and rejected; they
add up to the manifest's count for that table. A record is rejected (with the reason) when
a row it refers to is neither here nor in the package, or when its natural key (e.g. a
login within an office) is held by another row; rejected and conflicting versions are kept
in sync_conflict, never dropped.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import String, Table, bindparam, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.db import Database
from app.exchange.sync.canonical import canonical_json, iter_jsonl
from app.exchange.sync.container import Package, open_package
from app.exchange.sync.errors import SyncError
from app.i18n import _, tr
from app.migrations import SCHEMA_HEAD
from app.models import SyncConflict, SyncPackage, SyncPeer, User
from app.models.base import next_change_seqs
from app.models.types import utcnow
from app.rules import sync as rules
from app.rules.permissions import Action
from app.services import audit, calendar, master_data, sync_keys
from app.services.context import authorize
from app.services.sync_export import eligible
from app.services.sync_records import (
    EVENT_TABLE,
    KEY_COLUMN_LABELS,
    RECORD_TABLES,
    TABLES_BY_NAME,
    codec,
    digest,
    line_of,
    record_title,
    row_values,
    table_label,
    version_of_line,
)
from app.services.sync_views import FORK_ALARM

Progress = Callable[[int, int], None]
COUNT_KEYS = ("inserted", "updated", "unchanged", "conflicted", "rejected")
_LINE_KEYS = frozenset({"table", "id", "op", "rev", "base_rev", "origin", "time", "by", "data"})
_EVENT_KEYS = _LINE_KEYS - {"op", "base_rev"}
_CHUNK = 500
_IMPORT_CACHE_KIB = 32 * 1024  # SQLite page cache while a package is applied (the default is 2 MB)
_DATA_COLUMNS = {name: frozenset(codec(name).columns) for name in TABLES_BY_NAME}  # per line: no set building
# Conflict kinds of records refused whole (kept for a person, the local row untouched).
REJECTED_KINDS = ("duplicate", "missing_ref", "invalid", "unauthorized")
_TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


@dataclass
class TableSummary:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicted: int = 0
    rejected: int = 0
    reasons: list[dict] = field(default_factory=list)  # {"id", "reason"} of rejected records

    def counts(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in COUNT_KEYS}

    @property
    def total(self) -> int:
        return sum(self.counts().values())


@dataclass
class ImportReport:
    file: str
    status: str  # imported | dry_run | already_imported | stale
    package_id: str = ""
    source: str = ""
    seq: int = 0
    missing: list[int] = field(default_factory=list)  # sequence numbers skipped before this one
    tables: dict[str, TableSummary] = field(default_factory=dict)
    events_appended: int = 0
    events_known: int = 0
    conflicts: list[str] = field(default_factory=list)  # keys of the conflicts found
    acknowledged_seq: int | None = None
    file_hash: str = ""  # sha256 of the file: the real import must be of the file previewed
    events_rejected: list[dict] = field(default_factory=list)  # {"id", "reason"}

    @property
    def dry_run(self) -> bool:
        return self.status == "dry_run"

    def totals(self) -> dict[str, int]:
        return {k: sum(getattr(t, k) for t in self.tables.values()) for k in COUNT_KEYS}

    def to_json(self) -> dict:
        return {"ok": True, "file": self.file, "status": self.status, "file_hash": self.file_hash,
                "package_id": self.package_id, "source": self.source, "seq": self.seq, "missing": self.missing,
                "tables": {n: {**t.counts(), "reasons": t.reasons} for n, t in sorted(self.tables.items())},
                "totals": self.totals(), "events": {"appended": self.events_appended, "known": self.events_known},
                "conflicts": self.conflicts, "acknowledged_seq": self.acknowledged_seq,
                "events_rejected": self.events_rejected}

    def text_lines(self) -> list[str]:
        head = {"imported": "นำเข้าแล้ว", "dry_run": "ทดลองนำเข้า (ยังไม่บันทึก)",
                "already_imported": "นำเข้าไว้แล้ว ไม่มีการเปลี่ยนแปลง",
                "stale": "เก่ากว่าที่นำเข้าแล้ว ไม่มีการเปลี่ยนแปลง"}[self.status]
        lines = [tr("{file}: แพ็กเกจลำดับที่ {seq} จาก {source} — {status}", file=Path(self.file).name,
                    seq=self.seq, source=self.source, status=tr(head))]
        if self.missing:
            lines.append(tr("ยังไม่ได้รับแพ็กเกจลำดับที่ {seqs} (ข้อมูลในแพ็กเกจนี้ครอบคลุมแล้ว)",
                            seqs=", ".join(map(str, self.missing))))
        for name, t in sorted(self.tables.items()):
            lines.append(tr("  {table}: เพิ่ม {inserted} ปรับปรุง {updated} ไม่เปลี่ยน {unchanged} "
                            "ขัดแย้ง {conflicted} ปฏิเสธ {rejected}", table=table_label(name), **t.counts()))
            lines += [tr("    ปฏิเสธ {record}: {reason}", **r) for r in t.reasons]
        if self.events_appended or self.events_known:
            lines.append(tr("  เหตุการณ์อนุมัติ: ใหม่ {new} มีอยู่แล้ว {old}", new=self.events_appended,
                            old=self.events_known))
        if self.conflicts:
            lines.append(tr("พบข้อมูลขัดแย้ง {n} รายการ โปรดตรวจในหน้าข้อมูลขัดแย้ง", n=len(self.conflicts)))
        return lines


# -- checks before any write -----------------------------------------------------------------

def _bad_line(entry: str, n: int, why: str) -> SyncError:
    return SyncError("E_RECORD", line=n, entry=entry, details=why)


def _check_line(line: dict, n: int, entry: str, keys: frozenset[str], tables: Iterable[str]) -> None:
    if not isinstance(line, dict) or set(line) != keys:
        raise _bad_line(entry, n, f"fields {sorted(line) if isinstance(line, dict) else type(line)}")
    if line["table"] not in tables:
        raise _bad_line(entry, n, f"unknown table {line['table']!r}")
    if not isinstance(line["id"], str) or not line["id"] or not isinstance(line["data"], dict):
        raise _bad_line(entry, n, "id or data")
    if not isinstance(line["rev"], int) or line["rev"] < 1 or not isinstance(line.get("base_rev", 0), int):
        raise _bad_line(entry, n, "rev")
    if not isinstance(line["time"], str) or not _TIME_RE.fullmatch(line["time"]) or not isinstance(line["origin"], str):
        raise _bad_line(entry, n, "time (UTC, to the microsecond, with Z) or origin")
    if not _DATA_COLUMNS[line["table"]].issuperset(line["data"]):
        raise _bad_line(entry, n, f"unknown columns {sorted(set(line['data']) - _DATA_COLUMNS[line['table']])}")
    if "op" in line and line["op"] != ("delete" if line["data"].get("deleted_at") is not None else "upsert"):
        raise _bad_line(entry, n, "op does not match deleted_at")


def _parsed(package: Package) -> tuple[dict[str, list[dict]], list[dict], list[dict]]:
    records: dict[str, list[dict]] = defaultdict(list)
    names = {t.name for t in RECORD_TABLES}
    seen: set[tuple[str, str]] = set()
    for n, line in enumerate(iter_jsonl(package.payloads["records.jsonl"], entry="records.jsonl"), 1):
        _check_line(line, n, "records.jsonl", _LINE_KEYS, names)
        if (line["table"], line["id"]) in seen:
            raise _bad_line("records.jsonl", n, f"{line['table']} {line['id']} appears twice")
        seen.add((line["table"], line["id"]))
        try:
            line["_values"] = row_values(line)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise _bad_line("records.jsonl", n, str(exc)) from None
        records[line["table"]].append(line)
    events = list(iter_jsonl(package.payloads["events.jsonl"], entry="events.jsonl"))
    for n, line in enumerate(events, 1):
        _check_line(line, n, "events.jsonl", _EVENT_KEYS, {EVENT_TABLE})
        try:
            line["_values"] = row_values(line)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise _bad_line("events.jsonl", n, str(exc)) from None
    acks = list(iter_jsonl(package.payloads["acks.jsonl"], entry="acks.jsonl"))
    for n, line in enumerate(acks, 1):
        if not isinstance(line, dict) or line.get("type") not in ("package", "conflict"):
            raise _bad_line("acks.jsonl", n, "type")
    return records, events, acks


def _sequence(session: Session, package: Package, peer: SyncPeer) -> tuple[str | None, list[int]]:
    """(None to import | "already_imported" | "stale", missing sequence numbers); a fork raises."""
    m = package.manifest
    seen = session.scalar(select(SyncPackage).where(SyncPackage.direction == "in",
                                                    SyncPackage.peer_office == peer.office_code,
                                                    SyncPackage.seq == m.seq))
    if seen is not None:
        if seen.file_hash == package.file_hash:
            return "already_imported", []
        raise SyncError("E_FORK", seq=m.seq, source=m.source_office,
                        details=f"seq {m.seq} imported with hash {seen.file_hash}, now {package.file_hash}")
    if m.seq < peer.last_in_seq:
        return "stale", []
    if m.seq == peer.last_in_seq + 1 and peer.last_in_seq and m.prev_hash != peer.last_in_hash:
        raise SyncError("E_FORK", seq=m.seq, source=m.source_office,
                        details=f"prev_hash {m.prev_hash} is not the hash of seq {peer.last_in_seq}")
    return None, list(range(peer.last_in_seq + 1, m.seq))


# -- applying --------------------------------------------------------------------------------

def _local_rows(session: Session, table: Table, ids: list[str]) -> dict[str, dict]:
    """The receiver's rows for these ids; on a server they stay locked until the import
    commits, so an edit made meanwhile cannot be overwritten unseen."""
    found: dict[str, dict] = {}
    lock = session.bind.dialect.name == "postgresql"
    for i in range(0, len(ids), _CHUNK):
        query = select(table).where(table.c.id.in_(ids[i:i + _CHUNK]))
        for row in session.execute(query.with_for_update() if lock else query).mappings():
            found[row["id"]] = row
    return found


def _existing_ids(session: Session, table: Table, ids: set[str]) -> set[str]:
    wanted = sorted(ids)
    found: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        found.update(session.scalars(select(table.c.id).where(table.c.id.in_(wanted[i:i + _CHUNK]))))
    return found


def _length_limits(table: Table) -> list[tuple[str, int]]:
    return [(c.name, c.type.length) for c in table.columns
            if isinstance(c.type, String) and c.type.length and c.name in codec(table.name).columns]


def _unique_keys(table: Table) -> list[tuple[str, ...]]:
    keys = [tuple(c.name for c in con.columns) for con in table.constraints
            if con.__class__.__name__ == "UniqueConstraint"]
    keys += [tuple(c.name for c in ix.columns) for ix in table.indexes if ix.unique]
    return keys


class _Apply:
    """One package's records applied inside the caller's transaction."""

    def __init__(self, session: Session, package: Package, peer: SyncPeer, report: ImportReport,
                 me: sync_keys.Identity):
        self.s, self.package, self.peer, self.report, self.me = session, package, peer, report, me
        self.accepted: dict[str, set[str]] = defaultdict(set)  # table -> ids present after this package
        # Whose rows the sender may send: a province only its own; the centre its own and ours.
        self.origins = {peer.office_code} if me.office_kind == "central" else {peer.office_code, me.office_code}
        self._office_codes: dict[str, str] | None = None

    def office_code(self, office_id: str | None) -> str | None:
        if self._office_codes is None or office_id not in self._office_codes:
            office = TABLES_BY_NAME["office"]
            self._office_codes = dict(self.s.execute(select(office.c.id, office.c.code)).all())
        return self._office_codes.get(office_id)

    def unauthorized(self, table: Table, line: dict, row) -> str | None:
        """Why the sender may not send this row (a signature proves who sent a package, not
        what that office may change), or None."""
        origin = line["origin"]
        if origin not in self.origins:
            return tr("สำนักงาน {sender} ไม่มีสิทธิ์ส่งข้อมูลของสำนักงาน {origin}", sender=self.peer.office_code,
                      origin=origin)
        if row is not None and row["origin_office"] != origin:
            return tr("รายการนี้เป็นของสำนักงาน {owner} เปลี่ยนเป็นของสำนักงานอื่นไม่ได้", owner=row["origin_office"])
        data = line["data"]
        if table.name == "office" and data.get("code") != origin:
            return tr("ข้อมูลสำนักงาน {code} ส่งได้เฉพาะจากสำนักงานนั้นเอง", code=data.get("code"))
        if "office_id" in table.c and self.office_code(data.get("office_id")) not in (origin, None):
            return tr("รายการนี้อยู่ในสำนักงาน {office} ซึ่งไม่ใช่สำนักงานต้นทาง",
                      office=self.office_code(data.get("office_id")))
        return None

    def _conflict(self, table: str, line: dict, local_line: dict, kind: str, incoming_won: bool,
                  note: str = "", *, new_only: bool = False) -> bool:
        """Keep both versions (the same key on every machine); True when it was not known."""
        winner, loser = (line, local_line) if incoming_won else (local_line, line)
        if kind in REJECTED_KINDS:
            key = hashlib.sha256(f"{table}\x1f{line['id']}\x1f{digest(line['data'])}".encode()).hexdigest()
        else:
            key = rules.conflict_key(table, line["id"], version_of_line(winner, digest(winner["data"])),
                                     version_of_line(loser, digest(loser["data"])))
        known = self.s.get(SyncConflict, key) is not None
        if new_only and known:
            return False
        if kind not in REJECTED_KINDS:  # refused records are counted as rejected, not here
            self.report.conflicts.append(key)
        if not known:
            self.s.add(SyncConflict(key=key, table_name=table, record_id=line["id"], kind=kind, winner=_plain(winner),
                                    local_won=not incoming_won,
                                    loser=_plain(loser), diff=rules.field_diff(winner["data"], loser["data"]),
                                    peer_office=self.peer.office_code, package_id=self.package.manifest.package_id,
                                    note=note))
        return not known

    def table(self, table: Table, lines: list[dict]) -> TableSummary:
        summary = TableSummary()
        local = _local_rows(self.s, table, [ln["id"] for ln in lines])
        inserts, updates, keeps, bases = [], [], [], []
        conflicted: set[str] = set()
        for line in lines:
            row = local.get(line["id"])
            why = self.unauthorized(table, line, row)
            if why is not None:
                self._refuse(table, line, row, summary, "unauthorized", why)
                continue
            if row is None:  # rules.decide(None, ...) is INSERT: no digest or version needed
                inserts.append(line)
                continue
            local_line = line_of(table.name, row) if row is not None else None
            incoming = version_of_line(line, digest(line["data"]))
            mine = version_of_line(local_line, digest(local_line["data"])) if local_line else None
            outcome = rules.decide(mine, incoming)
            if outcome.conflict:
                conflicted.add(line["id"])
                self._conflict(table.name, line, local_line, rules.conflict_kind(mine, incoming),
                               outcome is rules.Outcome.TAKE_INCOMING)
            if outcome is rules.Outcome.INSERT:
                inserts.append(line)
            elif outcome in (rules.Outcome.UPDATE, rules.Outcome.TAKE_INCOMING):
                updates.append(line)
            elif outcome is rules.Outcome.KEEP_LOCAL:
                # Ours won: it becomes a new version above both, made on top of theirs, so it
                # travels back and every machine converges on it (and a replay of theirs is stale).
                keeps.append({"k_id": line["id"], "k_rev": max(mine.rev, incoming.rev) + 1, "k_base": incoming.rev})
            elif outcome is rules.Outcome.STALE and self._conflict(
                    table.name, line, local_line, rules.conflict_kind(mine, incoming), False, new_only=True):
                # Another content with a rev we have passed: the two histories went apart
                # (e.g. a restored backup). Ours stays; theirs is kept for a person to see.
                summary.conflicted += 1
            else:
                summary.unchanged += 1
                if outcome is rules.Outcome.UNCHANGED and (incoming.rev > mine.rev or mine.base < incoming.rev):
                    # The same content on both sides: agree on the higher rev, so that a later
                    # edit on either side is seen as made on top of it.
                    top = max(mine.rev, incoming.rev)
                    bases.append({"b_id": line["id"], "b_rev": top, "b_base": max(mine.base, incoming.rev)})
        inserts, updates = self._admissible(table, inserts, updates, summary, local)
        self._write(table, inserts, updates, keeps, bases)
        summary.inserted = len(inserts)
        summary.updated = sum(1 for ln in updates if ln["id"] not in conflicted)
        summary.conflicted += len(keeps) + sum(1 for ln in updates if ln["id"] in conflicted)
        return summary

    def _refuse(self, table: Table, line: dict, row, summary: TableSummary, kind: str, reason: str) -> None:
        summary.rejected += 1
        summary.reasons.append({"id": line["id"], "record": record_title(line["data"], line["id"]),
                                "reason": reason})
        self._conflict(table.name, line, line_of(table.name, row) if row is not None else _empty(line),
                       kind, False, reason)

    def _admissible(self, table: Table, inserts: list[dict], updates: list[dict], summary: TableSummary,
                    local: dict[str, dict]) -> tuple[list[dict], list[dict]]:
        """Drop (as rejected, kept in sync_conflict) records whose references are missing or
        whose natural key another row holds."""
        candidates = inserts + updates
        self.accepted[table.name].update(local)
        self.accepted[table.name].update(ln["id"] for ln in candidates)
        rejected: dict[str, tuple[str, str]] = {}  # id -> (kind, reason)
        for col, limit in _length_limits(table):
            for ln in candidates:
                value = ln["_values"].get(col)
                if isinstance(value, str) and len(value) > limit and ln["id"] not in rejected:
                    # SQLite would store it, a PostgreSQL central office would fail the package.
                    rejected[ln["id"]] = "invalid", tr("ช่อง {col} ยาว {n} ตัวอักษร เกินที่กำหนด ({limit})",
                                                       col=col, n=len(value), limit=limit)
        for fk in table.foreign_keys:
            parent = fk.column.table.name
            col = fk.parent.name
            if parent not in TABLES_BY_NAME:
                self._reference_data(table, fk, col, candidates)
                continue
            wanted = {ln["_values"][col] for ln in candidates if ln["_values"].get(col) is not None}
            missing = wanted - self.accepted[parent]
            if missing:
                present = _existing_ids(self.s, TABLES_BY_NAME[parent], missing)
                self.accepted[parent].update(present)
                missing -= present
            if not missing:  # the usual case: no pass over every line
                continue
            for ln in candidates:
                if ln["_values"].get(col) in missing and ln["id"] not in rejected:
                    rejected[ln["id"]] = "missing_ref", tr(
                        "ไม่พบ{what}ที่รายการนี้อ้างถึง (รหัส {id}) ทั้งในฐานข้อมูลนี้และในแพ็กเกจ",
                        what=table_label(parent), id=ln["_values"][col])
        self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
        while True:  # a refusal may free or keep a key, or orphan a row of the same table
            before = len(rejected)
            moving = {ln["id"] for ln in candidates if ln["id"] not in rejected}
            for key in _unique_keys(table):
                taken = self._key_holders(table, key, candidates, moving)
                for ln in candidates:
                    value = tuple(ln["_values"].get(c) for c in key)
                    if None in value or ln["id"] in rejected:
                        continue
                    holder = taken.setdefault(value, ln["id"])
                    if holder != ln["id"]:
                        rejected[ln["id"]] = "duplicate", _clash(table.name, key, value, holder)
            gone = {i for i in rejected if i not in local}
            for ln in candidates:
                if ln["id"] not in rejected and any(ln["_values"].get(c) in gone for c in self_refs):
                    rejected[ln["id"]] = "missing_ref", tr(
                        "ไม่พบ{what}ที่รายการนี้อ้างถึง (รหัส {id}) ทั้งในฐานข้อมูลนี้และในแพ็กเกจ",
                        what=table_label(table.name), id=next(ln["_values"][c] for c in self_refs
                                                             if ln["_values"].get(c) in gone))
            if len(rejected) == before:
                break
        for ln in candidates:
            if ln["id"] not in rejected:
                continue
            if ln["id"] not in local:
                self.accepted[table.name].discard(ln["id"])  # its children are rejected in turn
            self._refuse(table, ln, local.get(ln["id"]), summary, *rejected[ln["id"]])
        return [ln for ln in inserts if ln["id"] not in rejected], [ln for ln in updates if ln["id"] not in rejected]

    def _reference_data(self, table: Table, fk, col: str, lines: list[dict]) -> None:
        """Provinces and districts are shipped with the program, not synced: a code this
        installation lacks means the program is older than the sender's; refuse the package."""
        wanted = sorted({ln["_values"][col] for ln in lines if ln["_values"].get(col) is not None})
        if not wanted:
            return
        target = fk.column
        present = set(self.s.scalars(select(target).where(target.in_(wanted))))
        missing = [v for v in wanted if v not in present]
        if missing:
            m = self.package.manifest
            raise SyncError("E_MISSING_PREREQUISITE", seq=m.seq, source=m.source_office,
                            what=f"{target.table.name} {', '.join(map(str, missing[:5]))}",
                            details=f"{table.name}.{col} refers to missing {target.table.name} {missing}")

    def _key_holders(self, table: Table, key: tuple[str, ...], lines: list[dict],
                     moving: set[str]) -> dict[tuple, str]:
        """Who holds each natural key among the lines' keys, here (rows this package writes
        give up their old keys: _write parks them first, so swaps go through)."""
        first = key[0]
        values = sorted({ln["_values"][first] for ln in lines if ln["_values"].get(first) is not None}, key=str)
        holders: dict[tuple, str] = {}
        for i in range(0, len(values), _CHUNK):
            cols = [table.c[c] for c in key]
            for row in self.s.execute(select(table.c.id, *cols).where(table.c[first].in_(values[i:i + _CHUNK]))):
                if row[0] not in moving:  # a row the package changes gives up its old key
                    holders[tuple(row[1:])] = row[0]
        return holders

    def _write(self, table: Table, inserts: list[dict], updates: list[dict], keeps: list[dict],
               bases: list[dict]) -> None:
        source = self.peer.office_code
        seqs = iter(next_change_seqs(self.s, len(inserts) + len(updates) + len(keeps)))
        if inserts:
            rows = [{**ln["_values"], "change_seq": next(seqs), "sync_base_rev": ln["rev"], "sync_source": source}
                    for ln in _parents_first(table, inserts)]
            _insert_many(self.s, table, rows)
        if updates:
            self._park_keys(table, updates)
            cols = [c for c in table.columns.keys() if c != "id"]
            stmt = update(table).where(table.c.id == bindparam("u_id")).values(
                {c: bindparam(f"u_{c}") for c in cols})
            rows = []
            for ln in updates:
                values = {**{c: None for c in codec(table.name).columns}, **ln["_values"], "change_seq": next(seqs),
                          "sync_base_rev": ln["rev"], "sync_source": source}
                rows.append({f"u_{k}": v for k, v in values.items()})
            self.s.execute(stmt, rows)
        if keeps:
            for k in keeps:
                k["k_seq"] = next(seqs)
            self.s.execute(update(table).where(table.c.id == bindparam("k_id")).values(
                rev=bindparam("k_rev"), sync_base_rev=bindparam("k_base"), change_seq=bindparam("k_seq"),
                sync_source=None), keeps)
        if bases:
            self.s.execute(update(table).where(table.c.id == bindparam("b_id")).values(
                rev=bindparam("b_rev"), sync_base_rev=bindparam("b_base")), bases)


    def _park_keys(self, table: Table, updates: list[dict]) -> None:
        """Rows that take each other's natural keys (two registration numbers swapped) would
        trip the unique index one UPDATE at a time: move their text keys aside first."""
        for key in _unique_keys(table):
            col = next((c for c in key if isinstance(table.c[c].type, String)), None)
            if col is None:
                continue
            limit = table.c[col].type.length or 64
            parked = [{"p_id": ln["id"], "p_value": ("~" + ln["id"])[:limit]} for ln in updates]
            self.s.execute(update(table).where(table.c.id == bindparam("p_id")).values({col: bindparam("p_value")}),
                           parked)


def _insert_many(session: Session, table: Table, rows: list[dict]) -> None:
    """session.execute(insert(table), rows), the same SQL and the same stored values. On SQLite,
    when every row gives every column (package rows do), the rows go to the driver as lists
    through the columns' own bind processors: SQLAlchemy's per-row parameter assembly was
    ~8% of a 100k-record import (bench/sync_import.py)."""
    conn = session.connection()
    names = set(table.columns.keys())
    if conn.dialect.name != "sqlite" or not all(row.keys() == names for row in rows):
        session.execute(insert(table), rows)
        return
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(names))
    order = list(compiled.positiontup)
    if set(order) != names:
        session.execute(insert(table), rows)
        return
    convert = [(i, process) for i, key in enumerate(order)
               if (process := table.c[key].type.dialect_impl(conn.dialect).bind_processor(conn.dialect))]
    params = []
    for row in rows:
        values = [row[key] for key in order]
        for i, process in convert:
            values[i] = process(values[i])
        params.append(tuple(values))
    conn.exec_driver_sql(compiled.string, params)


def _clash(table: str, key: tuple[str, ...], value: tuple, holder: str) -> str:
    """Which natural key clashes, in words (ids are left out: people cannot read them)."""
    shown = [f"{_(KEY_COLUMN_LABELS[c])} {v}" for c, v in zip(key, value) if c in KEY_COLUMN_LABELS]
    return tr("{what}ซ้ำกับรายการที่มีอยู่แล้วในฐานข้อมูลนี้ ({key}; รหัสรายการเดิม {other})",
              what=table_label(table), key=", ".join(shown) or ", ".join(key), other=holder)


def _empty(line: dict) -> dict:
    return {**line, "data": {}, "rev": 0, "base_rev": 0}


def _plain(line: dict) -> dict:
    return {k: v for k, v in line.items() if not k.startswith("_")}


def _parents_first(table: Table, lines: list[dict]) -> list[dict]:
    """Rows referring to rows of the same table (a plan's previous revision) after those."""
    self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    if not self_refs:
        return lines
    ids = {ln["id"] for ln in lines}
    done: set[str] = set()
    ordered: list[dict] = []
    pending = lines
    while pending:
        waiting = ids - done  # once per pass, not once per line (that was quadratic)
        ready = [ln for ln in pending if all(ln["_values"].get(c) not in waiting for c in self_refs)]
        if not ready:  # a cycle: let the database judge
            ready = pending
        ordered += ready
        done.update(ln["id"] for ln in ready)
        pending = [ln for ln in pending if ln["id"] not in done]
    return ordered


def _events(session: Session, lines: list[dict], applier: _Apply, report: ImportReport) -> None:
    """Append the approval events not seen yet. An event the sender may not send, or whose
    actor is not here, is refused and listed (events are history: never half-written)."""
    table, peer = TABLES_BY_NAME[EVENT_TABLE], applier.peer
    known = _existing_ids(session, table, {ln["id"] for ln in lines})
    users = _existing_ids(session, TABLES_BY_NAME["app_user"], {ln["_values"]["actor_id"] for ln in lines})
    new = []
    for ln in lines:
        if ln["id"] in known:
            continue
        why = applier.unauthorized(table, ln, None)
        if why is None and ln["_values"]["actor_id"] not in users:
            why = tr("ไม่พบผู้ใช้ที่บันทึกเหตุการณ์นี้ (รหัส {id})", id=ln["_values"]["actor_id"])
        if why is None and any(len(v) > n for c, n in _length_limits(table)
                               if isinstance(v := ln["_values"].get(c), str)):
            why = _("ข้อความในเหตุการณ์ยาวเกินที่กำหนด")
        if why is not None:
            report.events_rejected.append({"id": ln["id"], "reason": why})
        else:
            new.append(ln)
    report.events_known, report.events_appended = len(known), len(new)
    if new:
        seqs = iter(next_change_seqs(session, len(new)))
        session.execute(insert(table), [{**ln["_values"], "change_seq": next(seqs), "sync_base_rev": ln["rev"],
                                         "sync_source": peer.office_code} for ln in new])
    for ln in new:  # a conflict resolved on the other side is resolved here too
        data = ln["data"]
        if data.get("workflow") == "sync_conflict" and isinstance(data.get("acknowledgement"), dict):
            row = session.get(SyncConflict, data["acknowledgement"].get("key"))
            if row is not None and row.resolved_at is None and row.peer_office == peer.office_code:
                row.resolved_at, row.resolved_by, row.resolution = utcnow(), data.get("actor_id"), data.get("to_state")


def _acks(session: Session, package: Package, lines: list[dict], peer: SyncPeer, report: ImportReport,
          me: sync_keys.Identity) -> None:
    acked = package.manifest.acknowledged
    seq = acked.get("seq") if isinstance(acked, dict) else None
    if isinstance(seq, int) and seq > peer.acked_out_seq:
        ours = session.scalar(select(SyncPackage).where(SyncPackage.direction == "out",
                                                        SyncPackage.peer_office == peer.office_code,
                                                        SyncPackage.seq == seq))
        if ours is None or ours.file_hash != acked.get("package_hash"):
            raise SyncError("E_FORK", seq=seq, source=peer.office_code,
                            details=f"the peer acknowledges our package {seq} with a hash we never wrote")
        refused = _refused_by_peer(lines, peer.acked_out_seq, seq)
        peer.acked_out_seq = seq
        if ours.max_change_seq > peer.acked_change_seq:
            # Everything of ours up to that point is now the common base with the peer, except
            # what the peer refused: that keeps its base and goes again in the next package.
            for table in RECORD_TABLES:
                session.execute(update(table).where(table.c.change_seq <= ours.max_change_seq,
                                                    table.c.sync_base_rev < table.c.rev,
                                                    table.c.id.not_in(refused.get(table.name, ())),
                                                    *eligible(table, me, peer.office_code))
                                .values(sync_base_rev=table.c.rev))
            peer.acked_change_seq = ours.max_change_seq
            for name, ids in refused.items():
                table = TABLES_BY_NAME.get(name)
                if table is None or name == EVENT_TABLE:
                    continue
                for row_id, change in zip(sorted(ids), next_change_seqs(session, len(ids))):
                    session.execute(update(table).where(table.c.id == row_id).values(change_seq=change))
        report.acknowledged_seq = seq
    for ln in lines:
        if ln["type"] != "conflict":
            continue
        row = session.get(SyncConflict, ln.get("key"))
        if row is None:
            row = SyncConflict(key=ln["key"], table_name=ln["table"], record_id=ln["id"], kind=ln["kind"],
                               winner=ln["winner"], loser=ln["loser"], diff=ln["diff"],
                               local_won=not ln.get("sender_won", False), note=ln.get("note", ""),
                               peer_office=peer.office_code, package_id=package.manifest.package_id)
            session.add(row)
        if ln.get("resolution") and row.resolved_at is None:  # settled over there already
            row.resolved_at, row.resolution = datetime.fromisoformat(ln["resolved_at"]), ln["resolution"]
            row.resolved_by = ln.get("resolved_by")


def _refused_by_peer(lines: list[dict], after_seq: int, upto_seq: int) -> dict[str, set[str]]:
    """Our rows the peer refused in the packages it now acknowledges: table -> ids."""
    refused: dict[str, set[str]] = defaultdict(set)
    for ln in lines:
        if ln["type"] == "package" and isinstance(ln.get("seq"), int) and after_seq < ln["seq"] <= upto_seq:
            for pair in ln.get("refused") or ():
                if isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair):
                    refused[pair[0]].add(pair[1])
    return refused


# -- the use case ----------------------------------------------------------------------------

def _open(session: Session, path: Path) -> Package:
    return open_package(path, sync_keys.key_for(session), supported_schemas={SCHEMA_HEAD})


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a package is applied: its parsed lines (millions of
    containers, all alive until the end) would be scanned again and again for nothing, ~10%
    of a 100k-record import (bench/sync_import.py). Reference counting still frees memory."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_package(db: Database, user: User, path: str | Path, *, dry_run: bool = False,
                   progress: Progress | None = None, expected_hash: str | None = None) -> ImportReport:
    """Verify and apply one package; any error leaves the database as it was. A fork is
    also written to the audit log (in its own transaction) as an alarm for the sync page.
    `expected_hash`: the file's sha256 from the preview — the file applied must be that one."""
    try:
        with _collector_paused():
            report = _import(db, user, Path(path), dry_run, progress, expected_hash)
    except DBAPIError as exc:  # a constraint the checks above did not foresee: named, nothing written
        raise SyncError("E_APPLY", what=type(exc.orig).__name__, details=str(exc)) from None
    except SyncError as exc:
        if exc.code == "E_FORK" and not dry_run:
            with db.transaction(user.id) as s:
                audit.record(s, user, FORK_ALARM, "sync_peer", exc.fmt.get("source"),
                             after={"file": str(path), "seq": exc.fmt.get("seq"), "details": exc.details})
        raise
    if report.status == "imported" and "master_file" in report.tables:
        master_data.apply(db)  # a new criteria set or rule table is in force from now on
    if report.status == "imported" and "special_day" in report.tables:
        with db.session() as s:
            calendar.apply_to_calendar(s)  # holidays announced by the centre count from now on
    return report


def _import(db: Database, user: User, path: Path, dry_run: bool, progress: Progress | None,
            expected_hash: str | None) -> ImportReport:
    with db.transaction(user.id, dry_run=dry_run) as s:
        authorize(s, user, Action.SYNC_EXCHANGE)
        # Take the write lock first (the change counter's row): imports and edits wait for each
        # other instead of interleaving, and the peer's sequence state read below stays true.
        next_change_seqs(s, 0)
        me = sync_keys.identity(s)
        package = _open(s, path)
        m = package.manifest
        if expected_hash is not None and package.file_hash != expected_hash:
            raise SyncError("E_CONTAINER", details="the file changed after it was previewed")
        report = ImportReport(str(path), "dry_run" if dry_run else "imported", m.package_id, m.source_office, m.seq,
                              file_hash=package.file_hash)
        if m.target_office != me.office_code:
            raise SyncError("E_WRONG_TARGET", target=m.target_office, here=me.office_code)
        peer = s.get(SyncPeer, m.source_office)  # open_package found its key, so it exists
        verdict, report.missing = _sequence(s, package, peer)
        if verdict is not None:
            report.status = verdict
            return report
        records, events, acks = _parsed(package)
        if s.bind.dialect.name == "sqlite":
            s.execute(text("PRAGMA defer_foreign_keys = ON"))  # rows of one package refer to each other
            # A big package inserts into indexes keyed by random ids: with SQLite's default 2 MB
            # page cache most of the time goes to evicting and re-reading pages (bench/sync_import.py).
            cache_size = s.execute(text("PRAGMA cache_size")).scalar()
            s.execute(text(f"PRAGMA cache_size = {-_IMPORT_CACHE_KIB}"))
        applier = _Apply(s, package, peer, report, me)
        steps = len(RECORD_TABLES) + 2
        for i, table in enumerate(RECORD_TABLES):
            if records.get(table.name):
                report.tables[str(table.name)] = applier.table(table, records[table.name])
            if progress:
                progress(i + 1, steps)
        _acks(s, package, acks, peer, report, me)  # before events: a resolution finds its conflict
        _events(s, events, applier, report)
        if s.bind.dialect.name == "sqlite":
            _check_references(s, report)
        for name, count in m.tables.items():
            got = report.tables.get(name, TableSummary()).total
            if got != count:  # the counts must add up; anything else is a bug, and nothing is written
                raise RuntimeError(f"summary of {name} adds up to {got}, the manifest says {count}")
        s.add(SyncPackage(package_id=m.package_id, direction="in", peer_office=peer.office_code, seq=m.seq,
                          file_hash=package.file_hash, prev_hash=m.prev_hash, file_name=path.name,
                          created_at=datetime.fromisoformat(m.created_at), done_by=user.id,
                          summary={"counts": report.totals(), "tables": report.to_json()["tables"],
                                   "missing": report.missing}))
        peer.last_in_seq, peer.last_in_hash = m.seq, package.file_hash  # stale ones returned above
        s.flush()
        audit.record(s, user, "sync.import", "sync_package", m.package_id,
                     after={"source": m.source_office, "seq": m.seq, "totals": report.totals(), "dry_run": dry_run})
        if s.bind.dialect.name == "sqlite":  # back to the usual cache: the extra pages go at commit
            s.execute(text(f"PRAGMA cache_size = {cache_size}"))
        if progress:
            progress(steps, steps)
    return report


def _check_references(session: Session, report: ImportReport) -> None:
    """SQLite checks deferred references only at COMMIT, which a dry run never reaches: check
    them here, so the preview fails exactly where the import would."""
    for name in [*report.tables, EVENT_TABLE]:
        bad = session.execute(text(f'PRAGMA foreign_key_check("{name}")')).first()
        if bad is not None:
            raise SyncError("E_APPLY", what=f"{name} → {bad[2]}", details=f"foreign_key_check: {tuple(bad)}")


def canonical_summary(report: ImportReport) -> bytes:
    """The report without the file name and status: what a dry run and a real run must share."""
    data = report.to_json()
    for k in ("file", "status", "file_hash"):
        data.pop(k)
    return canonical_json(data)
