"""Synced rows as package lines and back.

A record line (records.jsonl) is
  {"table", "id", "op": "upsert"|"delete", "rev", "base_rev", "origin", "time", "by", "data"}
where `data` holds every column except the sync bookkeeping, encoded as JSON-safe values:
dates ISO, UTC times ISO with "Z", money and other fixed-point numbers as decimal strings
(never floats), JSON columns as they are. `digest` (sha256 of the canonical data) is what
"same content" means everywhere in sync.

approval_event rows travel as events (events.jsonl) in the same shape without op/base_rev:
they are written once and never change, so they are only ever appended.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import JSON, Boolean, Date, Integer, Table
from sqlalchemy.types import TypeEngine

import app.models  # noqa: F401 - registers every table
from app.exchange.sync.canonical import canonical_json
from app.i18n import _
from app.models.base import Base, SyncMixin
from app.models.types import Fixed, UTCDateTime
from app.rules.sync import Version

BOOKKEEPING = ("id", "rev", "updated_at", "updated_by", "origin_office", "change_seq", "sync_base_rev", "sync_source")
EVENT_TABLE = "approval_event"


def _synced_tables() -> list[Table]:
    synced = {m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, SyncMixin)}
    return [t for t in Base.metadata.sorted_tables if t.name in synced]  # parents before children


SYNCED_TABLES: tuple[Table, ...] = tuple(_synced_tables())
RECORD_TABLES: tuple[Table, ...] = tuple(t for t in SYNCED_TABLES if t.name != EVENT_TABLE)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in SYNCED_TABLES}


# The synced tables as people call them, in the order pages list them.
TABLE_LABELS: dict[str, str] = {
    "institution": "สหกรณ์/กลุ่มเกษตรกร",
    "institution_year": "ข้อมูลรายปี",
    "visit": "การเยี่ยม",
    "followup": "เรื่องติดตาม",
    "travel_plan": "แผนการเดินทาง",
    "plan": "แผนปฏิบัติงาน",
    "plan_activity": "กิจกรรมในแผน",
    "plan_month": "งาน/งบรายเดือน",
    "plan_actual": "ผลการปฏิบัติงาน",
    "standards_assessment": "ผลการจัดมาตรฐาน",
    "strength_assessment": "ผลการจัดระดับชั้น",
    "app_user": "ผู้ใช้",
    "office": "สำนักงาน",
    "work_group": "กลุ่มงาน",
    "special_day": "วันหยุดพิเศษ",
    "saved_filter": "เงื่อนไขที่บันทึกไว้",
    "approval_event": "เหตุการณ์อนุมัติ",
    "master_file": "เกณฑ์ที่ส่วนกลางประกาศ",
}
# Columns of natural keys, for saying which value clashes.
KEY_COLUMN_LABELS = {"reg_no": "เลขทะเบียน", "login": "ชื่อผู้ใช้", "code": "รหัส", "name": "ชื่อ",
                     "fiscal_year": "ปีงบประมาณ", "revision": "ฉบับที่", "month": "เดือน"}


NAME_FIELDS = ("name", "title", "full_name", "login", "reg_no")


def record_title(data: dict, record_id: str) -> str:
    """How people recognise a record: its name (or title, login, number), else a short id."""
    for key in NAME_FIELDS:
        if data.get(key):
            return str(data[key])
    return record_id[:8]


def table_label(name: str) -> str:
    return _(TABLE_LABELS[name]) if name in TABLE_LABELS else name


def _iso_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _codec(kind: TypeEngine) -> tuple[Callable, Callable]:
    """(encode, decode) for one column type; None passes through both."""
    if isinstance(kind, UTCDateTime):
        return _iso_time, _parse_time
    if isinstance(kind, Fixed):
        return str, Decimal
    if isinstance(kind, Date):
        return date.isoformat, date.fromisoformat
    if isinstance(kind, Boolean):
        return bool, bool
    if isinstance(kind, Integer):
        return int, int
    if isinstance(kind, JSON):
        return (lambda v: v), (lambda v: v)
    return str, str


@dataclass(frozen=True)
class TableCodec:
    table: Table
    columns: tuple[str, ...]  # data columns, in table order
    encoders: tuple[Callable, ...]
    decoders: tuple[Callable, ...]

    def data(self, row) -> dict:
        """The data part of a line from a row mapping (None stays None)."""
        return {c: (None if (v := row[c]) is None else enc(v)) for c, enc in zip(self.columns, self.encoders)}

    def values(self, data: dict) -> dict:
        """Column values for an insert/update from a line's data. Unknown fields are refused
        by the importer before this (the schema revision matches); missing ones are None."""
        return {c: (None if (v := data.get(c)) is None else dec(v)) for c, dec in zip(self.columns, self.decoders)}


@cache
def codec(table_name: str) -> TableCodec:
    table = TABLES_BY_NAME[table_name]
    cols = tuple(c for c in table.columns if c.name not in BOOKKEEPING)
    pairs = [_codec(c.type) for c in cols]
    return TableCodec(table, tuple(str(c.name) for c in cols), tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))


def digest(data: dict) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def line_of(table_name: str, row) -> dict:
    """The record line of a row mapping (all columns, bookkeeping included)."""
    data = codec(table_name).data(row)
    return {
        "table": table_name, "id": row["id"], "op": "delete" if row["deleted_at"] is not None else "upsert",
        "rev": row["rev"], "base_rev": row["sync_base_rev"], "origin": row["origin_office"],
        "time": _iso_time(row["updated_at"]), "by": row["updated_by"], "data": data,
    }


def version_of_line(line: dict, data_digest: str) -> Version:
    return Version(rev=line["rev"], base=line.get("base_rev", 0), deleted=line["data"].get("deleted_at") is not None,
                   at=line["time"], digest=data_digest)


def row_values(line: dict) -> dict:
    """Every column value to store for a line (bookkeeping from the line, not recomputed)."""
    values = codec(line["table"]).values(line["data"])
    values.update(id=line["id"], rev=line["rev"], updated_at=_parse_time(line["time"]), updated_by=line["by"],
                  origin_office=line["origin"])
    return values
