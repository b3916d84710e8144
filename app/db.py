"""Engine, sessions, SQLite pragmas, migrations on open, and backups before migrating.

The same code opens the central office's PostgreSQL database (`postgresql+psycopg://…`):
no pragmas and no file backup there (the server's own backups apply; the whole migration
runs in one transaction, which PostgreSQL's transactional DDL rolls back whole on failure),
one migrating instance at a time (an advisory lock), and a failure to reach or log in to
the server is one Thai sentence naming the server, never the password.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DatabaseError
from app.i18n import tr
from app.migrations import SCHEMA_HEAD
from app.models.base import SESSION_OFFICE, SESSION_USER

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
KEEP_BACKUPS = 10
# pg_advisory_xact_lock key held while migrating a server database, so that two copies of
# the app started together after an upgrade do not both migrate ("CoopDesk" in ASCII).
PG_MIGRATION_LOCK = 0x436F6F704465736B
PG_CONNECT_TIMEOUT = 10  # seconds; without it an unreachable host hangs for minutes


def database_url(target: str | Path) -> str:
    text_target = str(target)
    if "://" in text_target:
        # A PostgreSQL URL without a driver means psycopg 3, the driver CoopDesk ships.
        for scheme in ("postgresql://", "postgres://"):
            if text_target.startswith(scheme):
                return "postgresql+psycopg://" + text_target[len(scheme):]
        return text_target
    return f"sqlite:///{Path(text_target).expanduser().resolve()}"


def server_name(url: URL) -> str:
    """host:port/database of a server URL, for messages and logs (never the password)."""
    host = url.host or "localhost"
    return f"{host}:{url.port}/{url.database}" if url.port else f"{host}/{url.database}"


def _create_engine(url: str) -> Engine:
    if not url.startswith("postgresql"):
        return create_engine(url)
    try:
        parsed = make_url(url)
        connect_args = {}
        if "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT
        if "application_name" not in parsed.query:
            connect_args["application_name"] = "coopdesk"
        # READ COMMITTED whatever the server's default: the change counter (models.base)
        # relies on a waiting UPDATE seeing the other writer's committed value, where
        # REPEATABLE READ or SERIALIZABLE would fail the second writer instead.
        # pre-ping: a pooled connection left idle (overnight, a server restart) is replaced
        # instead of failing the user's next action.
        return create_engine(parsed, isolation_level="READ COMMITTED", pool_pre_ping=True,
                             connect_args=connect_args)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:
        raise DatabaseError(
            tr("ที่อยู่ฐานข้อมูลไม่ถูกต้องหรือไม่รองรับ โปรดใช้รูปแบบ postgresql+psycopg://ผู้ใช้:รหัสผ่าน@เครื่อง:พอร์ต/ชื่อฐานข้อมูล"),
            details=str(exc),
        ) from exc


def _server_error(url: URL, exc: SADatabaseError, *, migrating: bool = False) -> DatabaseError:
    """One sentence for a server that cannot be reached, refuses the login, lacks the
    database, does not let the user create tables, or fails while migrating. psycopg gives
    no SQLSTATE for failed connections, so those are told apart by the server's (English)
    message; anything unrecognised gets the general sentence. The details (logged) never
    hold the password."""
    where = server_name(url)
    detail = str(getattr(exc, "orig", None) or exc)
    low = detail.lower()
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if sqlstate == "42501" or "permission denied" in low:
        message = tr(
            "ผู้ใช้ {user} ไม่มีสิทธิ์สร้างหรือแก้ไขตารางในฐานข้อมูล {server} "
            "โปรดให้ผู้ดูแลเซิร์ฟเวอร์กำหนดให้ผู้ใช้นี้เป็นเจ้าของฐานข้อมูล",
            user=url.username or "", server=where,
        )
    elif migrating:
        message = tr(
            "ปรับรุ่นฐานข้อมูล {server} ไม่สำเร็จ ฐานข้อมูลยังเป็นรุ่นเดิมทุกประการ "
            "โปรดแจ้งผู้ดูแลระบบพร้อมไฟล์บันทึกของโปรแกรม",
            server=where,
        )
    elif ("password authentication failed" in low or "no pg_hba.conf entry" in low
          or ("role" in low and "does not exist" in low) or "password" in low
          or sqlstate in ("28000", "28P01")):
        message = tr(
            "เข้าสู่ฐานข้อมูล {server} ไม่ได้ ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง "
            "โปรดตรวจสอบที่อยู่ฐานข้อมูลหรือสอบถามผู้ดูแลเซิร์ฟเวอร์",
            server=where,
        )
    elif ("database" in low and "does not exist" in low) or sqlstate == "3D000":
        message = tr(
            "ไม่พบฐานข้อมูล {name} บนเซิร์ฟเวอร์ {host} โปรดตรวจสอบชื่อฐานข้อมูล "
            "หรือให้ผู้ดูแลเซิร์ฟเวอร์สร้างฐานข้อมูลก่อน",
            name=url.database or "", host=url.host or "localhost",
        )
    else:
        message = tr(
            "เชื่อมต่อเซิร์ฟเวอร์ฐานข้อมูล {server} ไม่ได้ "
            "โปรดตรวจสอบเครือข่ายและที่อยู่เซิร์ฟเวอร์ หรือติดต่อผู้ดูแลเซิร์ฟเวอร์",
            server=where,
        )
    log.info("database server %s: %s", where, detail)
    return DatabaseError(message, details=detail)


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
    engine = _create_engine(url)
    db = Database(engine)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        _open_file(db, target, migrate=migrate)
        return db
    try:
        _open_server(db, migrate=migrate)
    except BaseException:
        engine.dispose()
        raise
    return db


def _open_file(db: Database, target: str | Path, *, migrate: bool) -> None:
    try:
        current = schema_revision(db.engine)
    except SADatabaseError as exc:
        raise DatabaseError(
            tr("เปิดฐานข้อมูล {path} ไม่ได้: ไฟล์เสียหายหรือไม่ใช่ฐานข้อมูลของ CoopDesk", path=target),
            details=str(exc),
        ) from exc
    if current != SCHEMA_HEAD:
        if not migrate:
            raise DatabaseError(tr("ฐานข้อมูลต้องปรับรุ่นก่อนใช้งาน"))
        _migrate(db, current)


def _open_server(db: Database, *, migrate: bool) -> None:
    url = db.engine.url
    try:
        current = schema_revision(db.engine)
    except SADatabaseError as exc:
        raise _server_error(url, exc) from exc
    if current != SCHEMA_HEAD:
        if not migrate:
            raise DatabaseError(tr("ฐานข้อมูลต้องปรับรุ่นก่อนใช้งาน"))
        try:
            _migrate(db, current)
        except SADatabaseError as exc:
            raise _server_error(url, exc, migrating=True) from exc


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision stamped in the database, or None for an empty database."""
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        if "alembic_version" not in names:
            if names and conn.dialect.name == "sqlite":
                raise DatabaseError(
                    tr("ไฟล์นี้มีตารางอยู่แล้วแต่ไม่ใช่ฐานข้อมูลของ CoopDesk จึงไม่เปิดใช้"),
                )
            if names:
                raise DatabaseError(tr(
                    "ฐานข้อมูล {server} มีตารางอยู่แล้วแต่ไม่ใช่ฐานข้อมูลของ CoopDesk จึงไม่เปิดใช้ "
                    "โปรดใช้ฐานข้อมูลว่างที่สร้างไว้สำหรับ CoopDesk",
                    server=server_name(conn.engine.url),
                ))
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


def _refuse_if_newer(current: str | None) -> None:
    if current is not None and current not in known_revisions():
        raise DatabaseError(
            tr(
                "ฐานข้อมูลนี้มาจาก CoopDesk รุ่นที่ใหม่กว่าโปรแกรมนี้ (รุ่นฐานข้อมูล {rev}) "
                "โปรดปรับปรุงโปรแกรมก่อนเปิดไฟล์นี้",
                rev=current,
            )
        )


def _migrate(db: Database, current: str | None) -> None:
    from alembic import command

    _refuse_if_newer(current)
    server = db.engine.dialect.name != "sqlite"
    if current is not None and db.path is not None:
        backup = backup_database(db, reason=f"before-{SCHEMA_HEAD}")
        log.info("backed up %s to %s before migrating from %s", db.path, backup, current)
    elif current is not None and server:
        log.info("migrating %s from %s to %s without a CoopDesk backup: the server's own backups "
                 "apply (the migration is one transaction and is rolled back whole if it fails)",
                 server_name(db.engine.url), current, SCHEMA_HEAD)
    cfg = _alembic_config()
    with db.engine.begin() as conn:
        if server:
            # One migrating instance at a time; whoever waited sees the migrated schema
            # (READ COMMITTED: the next statement reads what the other one committed).
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
            if "alembic_version" in inspect(conn).get_table_names():
                _refuse_if_newer(conn.execute(text("SELECT version_num FROM alembic_version")).scalar())
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
