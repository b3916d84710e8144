"""Engine, sessions, SQLite pragmas, migrations on open, and backups before migrating."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DatabaseError
from app.i18n import tr
from app.migrations import SCHEMA_HEAD
from app.models.base import SESSION_OFFICE, SESSION_USER

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
KEEP_BACKUPS = 10


def database_url(target: str | Path) -> str:
    text_target = str(target)
    if "://" in text_target:
        return text_target
    return f"sqlite:///{Path(text_target).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # pysqlite's own transaction handling (Python < 3.12) starts transactions late and lets a
    # SAVEPOINT release commit early; turn it off and let SQLAlchemy emit BEGIN (_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")  # a desktop app writes little; never lose a commit
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _begin(conn) -> None:
    conn.exec_driver_sql("BEGIN")


class Database:
    """An open CoopDesk database: the engine plus a session factory."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self.office_code: str | None = None

    @property
    def path(self) -> Path | None:
        db = self.engine.url.database
        return Path(db) if self.engine.dialect.name == "sqlite" and db else None

    def session(self, user_id: str | None = None) -> Session:
        s = self._factory()
        s.info[SESSION_OFFICE] = self.office_code
        s.info[SESSION_USER] = user_id
        return s

    @contextmanager
    def transaction(self, user_id: str | None = None, *, dry_run: bool = False) -> Iterator[Session]:
        """One unit of work: commit on success, roll back everything on any error.

        With dry_run the work runs exactly as it would (every check, every write, the same
        report) and is rolled back at the end instead of committed.
        """
        with self.session(user_id) as s:
            s.begin()
            try:
                yield s
            except BaseException:
                s.rollback()
                raise
            if dry_run:
                s.rollback()
            else:
                s.commit()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(target: str | Path, *, migrate: bool = True) -> Database:
    url = database_url(target)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
    db = Database(engine)
    try:
        current = schema_revision(engine)
    except SADatabaseError as exc:
        raise DatabaseError(
            tr("เปิดฐานข้อมูล {path} ไม่ได้: ไฟล์เสียหายหรือไม่ใช่ฐานข้อมูลของ CoopDesk", path=target),
            details=str(exc),
        ) from exc
    if current != SCHEMA_HEAD:
        if not migrate:
            raise DatabaseError(tr("ฐานข้อมูลต้องปรับรุ่นก่อนใช้งาน"))
        _migrate(db, current)
    return db


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision stamped in the database, or None for an empty database."""
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        if "alembic_version" not in names:
            if names:
                raise DatabaseError(
                    tr("ไฟล์นี้มีตารางอยู่แล้วแต่ไม่ใช่ฐานข้อมูลของ CoopDesk จึงไม่เปิดใช้"),
                )
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _migrate(db: Database, current: str | None) -> None:
    from alembic import command

    if current is not None and current not in known_revisions():
        raise DatabaseError(
            tr(
                "ฐานข้อมูลนี้มาจาก CoopDesk รุ่นที่ใหม่กว่าโปรแกรมนี้ (รุ่นฐานข้อมูล {rev}) "
                "โปรดปรับปรุงโปรแกรมก่อนเปิดไฟล์นี้",
                rev=current,
            )
        )
    if current is not None and db.path is not None:
        backup = backup_database(db, reason=f"before-{SCHEMA_HEAD}")
        log.info("backed up %s to %s before migrating from %s", db.path, backup, current)
    cfg = _alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def backup_database(db: Database, reason: str = "manual") -> Path:
    """A consistent copy of the SQLite file (online backup API), keeping the newest few."""
    assert db.path is not None, "only SQLite files are backed up here"
    folder = db.path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = folder / f"{db.path.stem}-{stamp}-{reason}.sqlite3"
    src = sqlite3.connect(db.path)
    try:
        dst = sqlite3.connect(dest)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    backups = sorted(folder.glob(f"{db.path.stem}-*.sqlite3"))
    for old in backups[:-KEEP_BACKUPS]:
        old.unlink()
    return dest
