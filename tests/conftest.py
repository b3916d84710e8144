"""Fixtures shared by every test folder: a real SQLite file set up as a provincial office,
and the same on PostgreSQL (the central office's server) when one is available.

PostgreSQL: set COOPDESK_TEST_PG to a URL of a database the tests may connect to as a user
allowed to CREATE DATABASE, e.g. `postgresql+psycopg://coopdesk@127.0.0.1:54329/postgres`
(`eval "$(bash .ci/postgres.sh start)"` starts a throwaway server and prints that line).
Without it the PostgreSQL tests are skipped, unless COOPDESK_REQUIRE_PG=1 (CI), which
turns a missing or unreachable server into a failure.
"""

from __future__ import annotations

import os
import uuid

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ADMIN_PASSWORD = "admin-pass-1"
USER_PASSWORD = "user-pass-1"


@pytest.fixture
def db(tmp_path):
    from app.bootstrap import open_app_database

    database = open_app_database(tmp_path / "office.sqlite3")
    yield database
    database.dispose()


@pytest.fixture
def admin(db):
    """The first administrator of สำนักงานสหกรณ์จังหวัดกำแพงเพชร (province 62)."""
    from app.services import setup

    with db.transaction() as s:
        user = setup.complete_setup(
            s, province_code="62", office_name="สำนักงานสหกรณ์จังหวัดกำแพงเพชร", office_code="62",
            admin_login="admin", admin_name="สมชาย ผู้ดูแล", admin_position="นักวิชาการคอมพิวเตอร์",
            password=ADMIN_PASSWORD,
        )
    db.office_code = "62"
    return user


@pytest.fixture
def make_user(db, admin):
    """Create a user with the given roles (and group index into the office's groups)."""
    from app.services import users

    def make(login: str, *roles: str, group: int | None = 0, name: str | None = None):
        with db.transaction(admin.id) as s:
            groups = users.list_groups(s)
            data = users.UserData(
                login=login, full_name=name or f"ทดสอบ {login}", position="นักวิชาการสหกรณ์",
                group_id=groups[group].id if group is not None else None, roles=frozenset(roles),
            )
            return users.create_user(s, admin, data, USER_PASSWORD)

    return make


# -- PostgreSQL ------------------------------------------------------------------------------

PG_ENV = "COOPDESK_TEST_PG"
REQUIRE_PG_ENV = "COOPDESK_REQUIRE_PG"
BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: needs a PostgreSQL server (COOPDESK_TEST_PG)")


def _no_server(reason: str):
    if os.environ.get(REQUIRE_PG_ENV) == "1":
        pytest.fail(f"{REQUIRE_PG_ENV}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server():
    """An AUTOCOMMIT engine on the test server's maintenance database (one per worker)."""
    url = os.environ.get(PG_ENV)
    if not url:
        _no_server(f"{PG_ENV} is not set (e.g. eval \"$(bash .ci/postgres.sh start)\")")
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool,
                           connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means: no usable server
        engine.dispose()
        _no_server(f"PostgreSQL at {engine.url.render_as_string(hide_password=True)} is unreachable: "
                   f"{str(exc).splitlines()[0]}")
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url(pg_server, request):
    """The URL of a new, empty PostgreSQL database, dropped after the test (even if the test
    left connections open). Names are unique per xdist worker and test."""
    from sqlalchemy import text

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"coopdesk_test_{worker}_{uuid.uuid4().hex[:12]}"
    with pg_server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    yield pg_server.url.set(database=name).render_as_string(hide_password=False)
    with pg_server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=[
    pytest.param("sqlite"),
    pytest.param("postgresql", marks=pytest.mark.postgres),
])
def db_url(request, tmp_path):
    """A URL of a new, empty database of each kind: a SQLite file in tmp_path, and a fresh
    PostgreSQL database (skipped without a server). `request.param` tells which."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'office.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def any_db(db_url):
    """`db` on each backend: opened and migrated the way the app opens it."""
    from app.bootstrap import open_app_database

    database = open_app_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def any_admin(any_db):
    """`admin` on each backend: the first administrator of the Kamphaeng Phet office."""
    from app.services import setup

    with any_db.transaction() as s:
        user = setup.complete_setup(
            s, province_code="62", office_name="สำนักงานสหกรณ์จังหวัดกำแพงเพชร", office_code="62",
            admin_login="admin", admin_name="สมชาย ผู้ดูแล", admin_position="นักวิชาการคอมพิวเตอร์",
            password=ADMIN_PASSWORD,
        )
    any_db.office_code = "62"
    return user
