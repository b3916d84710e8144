"""Data files the central office publishes to the provinces: a year's standards criteria set
(data/standards/<kind>-<year>.json) or strength rule table (data/strength/<year>.json).

Publishing stores the file in `master_file`, a synced table, so it travels in the next
package to every province. Each database's published files are written to a folder of
their own (app.paths.published_dir) that the rules read before the shipped data: a new
year's announcement is a data change, never a program update.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import CoopDeskError, ValidationError
from app.exchange.files import write_atomically
from app.i18n import _, tr
from app.models import MasterFile, User
from app.paths import home_dir, set_published_dir
from app.rules.permissions import Action
from app.services import audit, settings
from app.services.context import authorize

KINDS = {"standards": "เกณฑ์มาตรฐาน", "strength": "เกณฑ์จัดระดับชั้นความเข้มแข็ง"}


def _check(kind: str, name: str, text: str) -> None:
    """Refuse a file the rules could not use, with the rules' own sentence."""
    from app.rules import standards, strength  # only when a file is published: off the start-up path

    if kind == "standards":
        standards.parse_criteria_set(text, name)
    elif kind == "strength":
        strength.table_from_text(text, name)
    else:
        raise ValidationError(tr("ชนิดข้อมูลกลาง '{kind}' ไม่ถูกต้อง (standards หรือ strength)", kind=kind), field="kind")


def publish(session: Session, user: User, kind: str, path: str | Path) -> MasterFile:
    """The central office publishes (or replaces) one data file."""
    authorize(session, user, Action.OFFICE_SETTINGS)
    if settings.get(session, "mode") != "central":
        raise ValidationError(_("เฉพาะส่วนกลางเท่านั้นที่ประกาศเกณฑ์ให้สำนักงานจังหวัดได้"))
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ValidationError(tr("อ่านไฟล์ {file} ไม่ได้", file=path.name), details=str(e)) from None
    _check(kind, path.name, text)
    row = session.scalar(select(MasterFile).where(MasterFile.kind == kind, MasterFile.name == path.name))
    before = None if row is None else audit.snapshot(row)
    if row is None:
        row = MasterFile(kind=kind, name=path.name, content=text)
        session.add(row)
    row.content, row.deleted_at = text, None
    session.flush()
    audit.record(session, user, "master.publish", "master_file", row.id, before, audit.snapshot(row))
    return row


def published(session: Session) -> list[MasterFile]:
    return list(session.scalars(select(MasterFile).where(MasterFile.deleted_at.is_(None))
                                .order_by(MasterFile.kind, MasterFile.name)))


def folder_for(db: Database) -> Path:
    """This database's folder of published files (one per database, so offices kept on one
    machine never mix)."""
    return home_dir() / "published" / hashlib.sha256(str(db.engine.url).encode()).hexdigest()[:16]


def apply(db: Database) -> int:
    """Write the database's published files to its folder and point the rules at it; files
    no longer published are removed. A file the rules cannot read is skipped (and logged by
    the caller's audit of its import), never half-applied. Returns how many are in force."""
    folder = folder_for(db)
    with db.session() as s:
        rows = [(r.kind, r.name, r.content) for r in published(s)]
    wanted = set()
    for kind, name, content in rows:
        try:
            _check(kind, name, content)
        except CoopDeskError:
            continue
        target = folder / kind / name
        wanted.add(target)
        if not target.is_file() or target.read_text(encoding="utf-8") != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, lambda tmp, text=content: tmp.write_text(text, encoding="utf-8"))
    for old in folder.glob("*/*.json") if folder.is_dir() else ():
        if old not in wanted:
            old.unlink()
    set_published_dir(folder)
    return len(wanted)
