"""A province office and the central office that exchange sync packages, for tests and
bench/sync_import.py (not a test module itself).

    pair = make_pair(tmp_path)                  # province "62" + central "CPD", keys trusted both ways
    add_bulk(pair.province, institutions=50, visits=500)
    report = pair.send(pair.province, pair.central)          # export + import
    copy = copy_pair(pair, tmp_path / "copy")   # the same two databases, copied (fast)
    dump(pair.central.db)                       # canonical content, to compare states

Databases start as a copy of one migrated blank database made once per process, so a
new office costs a setup, not a migration.
"""

from __future__ import annotations

import atexit
import random
import shutil
import sqlite3
import tempfile
import uuid
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from app.bootstrap import open_app_database
from app.db import Database
from app.models import User
from app.models.base import next_change_seqs
from app.models.people import WorkGroup
from app.models.registry import Institution
from app.models.visits import TravelPlan, Visit
from app.services import setup, sync_export, sync_import, sync_keys
from app.services.sync_records import SYNCED_TABLES

PASSWORD = "Secret-pass-123"
CENTRAL = "CPD"
#: Tables whose content a sync import may change (besides the audit log).
SYNC_STATE_TABLES = tuple(t.name for t in SYNCED_TABLES) + ("sync_package", "sync_peer", "sync_conflict",
                                                             "sync_counter")
#: Columns that differ between two runs of the same import (the time it ran).
VOLATILE = {"sync_package": ("done_at",), "sync_conflict": ("detected_at",)}

_blank: dict[str, Path] = {}


def copy_database(src: str | Path, dst: str | Path) -> Path:
    """A consistent copy of an SQLite database (committed state, WAL included)."""
    dst = Path(dst)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    with closing(sqlite3.connect(src)) as a, closing(sqlite3.connect(dst)) as b:
        a.backup(b)
    return dst


def blank_database(path: str | Path) -> Database:
    """A migrated database with reference data and no office yet."""
    if "path" not in _blank or not _blank["path"].exists():
        folder = Path(tempfile.mkdtemp(prefix="coopdesk-sync-env-"))
        atexit.register(shutil.rmtree, folder, True)
        template = folder / "blank.sqlite3"
        open_app_database(template).dispose()
        _blank["path"] = template
    return open_app_database(copy_database(_blank["path"], path))


@dataclass
class Office:
    db: Database
    user: User  # the office's first administrator, detached
    code: str

    @property
    def path(self) -> Path:
        return self.db.path

    def reopen(self, path: str | Path) -> Office:
        """This office's database copied to path, opened."""
        copy_database(self.path, path)
        db = open_app_database(path)
        return Office(db, load_user(db, self.user.id), self.code)

    def close(self) -> None:
        self.db.dispose()


def load_user(db: Database, user_id: str) -> User:
    with db.session() as s:
        user = s.get(User, user_id)
        s.expunge(user)
    return user


def make_office(folder: str | Path, code: str, *, province: str = "62", mode: str = "province",
                name: str | None = None) -> Office:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    db = blank_database(folder / f"{code}.sqlite3")
    with db.transaction() as s:
        user = setup.complete_setup(s, province_code=province, office_name=name or f"สำนักงาน {code}",
                                    office_code=code, admin_login="admin", admin_name="ผู้ดูแล ระบบ",
                                    admin_position="นักวิชาการคอมพิวเตอร์", password=PASSWORD, mode=mode)
    db.office_code = code
    with db.transaction(user.id) as s:
        sync_keys.own_key_file(s, user)  # the key pair
    return Office(db, load_user(db, user.id), code)


def key_file(office: Office) -> bytes:
    with office.db.transaction(office.user.id) as s:
        return sync_keys.own_key_file(s, office.user)[1]


def trust(a: Office, b: Office) -> None:
    """a trusts b's key (as from b's key file)."""
    data = key_file(b)
    with a.db.transaction(a.user.id) as s:
        sync_keys.trust_key_file(s, a.user, data)


@dataclass
class SyncPair:
    province: Office
    central: Office
    outbox: Path
    exports: list = field(default_factory=list)

    def export(self, src: Office, dst: Office) -> sync_export.ExportResult:
        result = sync_export.export_package(src.db, src.user, self.outbox, to=dst.code)
        self.exports.append(result)
        return result

    def send(self, src: Office, dst: Office, *, dry_run: bool = False) -> sync_import.ImportReport:
        return sync_import.import_package(dst.db, dst.user, self.export(src, dst).path, dry_run=dry_run)

    def other(self, office: Office) -> Office:
        return self.central if office is self.province else self.province

    def close(self) -> None:
        self.province.close()
        self.central.close()


def make_pair(folder: str | Path, province: str = "62") -> SyncPair:
    folder = Path(folder)
    prov = make_office(folder, province, province=province)
    central = make_office(folder, CENTRAL, province="10", mode="central", name="กรมส่งเสริมสหกรณ์")
    trust(central, prov)
    trust(prov, central)
    outbox = folder / "outbox"
    outbox.mkdir(exist_ok=True)
    return SyncPair(prov, central, outbox)


def copy_pair(pair: SyncPair, folder: str | Path) -> SyncPair:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    outbox = folder / "outbox"
    outbox.mkdir(exist_ok=True)
    return SyncPair(pair.province.reopen(folder / f"{pair.province.code}.sqlite3"),
                    pair.central.reopen(folder / f"{pair.central.code}.sqlite3"), outbox)


# -- bulk data -------------------------------------------------------------------------------

_WORDS = ("สหกรณ์", "สมาชิก", "เงินกู้", "ทุนเรือนหุ้น", "บัญชี", "ประชุม", "คณะกรรมการ", "ธุรกิจ", "รวบรวมผลผลิต",
          "ข้าวเปลือก", "ปุ๋ย", "ดอกเบี้ย", "หนี้ค้างชำระ", "งบการเงิน", "ตรวจสอบ", "แนะนำ", "ติดตาม", "เร่งรัด")
_METHODS = ("board_meeting", "member_meeting", "inspection")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def _stamp(s, rows: list[dict], office: Office, now: datetime) -> None:
    """What the before_flush hook gives a new synced row (as app.services.demo_visits does)."""
    for row, seq in zip(rows, next_change_seqs(s, len(rows)), strict=True):
        row.update(rev=1, updated_at=now, updated_by=office.user.id, origin_office=office.code, deleted_at=None,
                   change_seq=seq)


def add_bulk(office: Office, *, institutions: int, visits: int, officers: int | None = None, months: int = 60,
             seed: int = 0) -> dict[str, int]:
    """Add officers, institutions, monthly travel plans and done visits with Core bulk inserts,
    stamped as local rows. Registration numbers are unique per office code."""
    rng = random.Random(f"{office.code}/{seed}")
    officers = officers if officers is not None else max(1, institutions // 40)
    now = datetime.now(UTC)
    with office.db.transaction(office.user.id) as s:
        groups = list(s.scalars(select(WorkGroup.id).order_by(WorkGroup.sort_order)))
        people = [{"id": str(uuid.uuid4()), "office_id": office.user.office_id, "login": f"b{seed}o{k}",
                   "full_name": f"เจ้าหน้าที่ {_text(rng, 1)} {k}", "position": "นักวิชาการสหกรณ์",
                   "group_id": groups[k % len(groups)], "roles": "officer", "active": True} for k in range(officers)]
        insts = [{"id": str(uuid.uuid4()), "reg_no": f"{office.code}-{seed}-{k:06d}",
                  "name": f"สหกรณ์{_text(rng, 2)} {k} จำกัด", "kind": "coop", "coop_type": "agriculture",
                  "district_code": None, "address": f"{k} หมู่ {k % 12 + 1} {_text(rng, 2)}", "phone": "",
                  "status": "operating", "members": rng.randint(30, 3000), "registered_on": date(2000, 1, 1)
                  + timedelta(days=k), "acct_year_end_month": 3, "acct_year_end_day": 31,
                  "officer_id": people[k % officers]["id"], "group_id": people[k % officers]["group_id"],
                  "notes": _text(rng, 4)} for k in range(institutions)]
        first = date(2020, 1, 1)
        month_firsts = [date(first.year + (first.month - 1 + m) // 12, (first.month - 1 + m) % 12 + 1, 1)
                        for m in range(months)]
        plans = {(p["id"], m): {"id": str(uuid.uuid4()), "office_id": office.user.office_id, "officer_id": p["id"],
                                "group_id": p["group_id"], "month": m, "state": "approved", "note": "",
                                "approved_by": office.user.id, "approved_at": now, "approved_hash": None}
                 for p in people for m in month_firsts}
        rows = []
        for k in range(visits):
            inst = insts[rng.randrange(len(insts))]
            month = month_firsts[k % months]
            day = month + timedelta(days=rng.randrange(28))
            rows.append({
                "id": str(uuid.uuid4()), "travel_plan_id": plans[(inst["officer_id"], month)]["id"],
                "institution_id": inst["id"], "officer_id": inst["officer_id"], "group_id": inst["group_id"],
                "co_officer_ids": [], "planned_date": day, "planned_time": "09:00", "duration_min": 120,
                "method": rng.choice(_METHODS), "purpose": _text(rng, 6), "activity_lineage": None,
                "travel_approved_at": now, "status": "done", "actual_date": day, "attendees_committee": 7,
                "attendees_staff": 2, "attendees_members": None, "findings": _text(rng, 9),
                "advice": _text(rng, 9), "response": _text(rng, 7), "next_step": _text(rng, 5), "cancel_reason": "",
                "report_state": "approved", "report_approved_by": office.user.id, "report_approved_at": now,
                "report_approved_hash": f"{rng.getrandbits(256):064x}"})
        plan_rows = list(plans.values())
        for table, batch in ((User.__table__, people), (Institution.__table__, insts),
                             (TravelPlan.__table__, plan_rows), (Visit.__table__, rows)):
            if batch:
                _stamp(s, batch, office, now)
                s.execute(insert(table), batch)
    return {"officers": len(people), "institutions": len(insts), "travel_plans": len(plan_rows), "visits": len(rows)}


# -- comparing states ------------------------------------------------------------------------

def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def dump(target: Database | str | Path, tables: tuple[str, ...] | None = SYNC_STATE_TABLES, *,
         skip_volatile: bool = True) -> dict[str, list[tuple]]:
    """{table: sorted rows} read with plain sqlite3 (committed state). tables=None: every
    table of the database. Volatile columns (when an import ran) are left out unless
    skip_volatile is False."""
    path = target.path if isinstance(target, Database) else Path(target)
    with closing(sqlite3.connect(path)) as conn:
        names = _tables(conn) if tables is None else list(tables)
        out: dict[str, list[tuple]] = {}
        for name in names:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
            if skip_volatile:
                cols = [c for c in cols if c not in VOLATILE.get(name, ())]
            query = "SELECT " + ", ".join(f'"{c}"' for c in cols) + f' FROM "{name}"'
            out[name] = sorted(conn.execute(query).fetchall(), key=repr)
        return out


def integrity(path: str | Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return ", ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
