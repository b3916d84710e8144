"""A demo of the central office: two (or more) demo provinces that have sent it their first
sync package, and its answer to each of them.

    <target>                         the central office (CPD, mode "central")
    <stem>-provinces/<code>.sqlite3  each province's own demo database (app.services.demo)
    <stem>-packages/                 the packages that went back and forth

The exchange is the one real offices go through, with the app's own services: each side
registers the other's key file (sync_keys), each province exports its package
(sync_export) and the central office imports it (sync_import); then the central office
exports its package to each province, which imports it, so both sides show an acknowledged
exchange (the provinces see their package 1 acknowledged; the central office sees package 1
of each province received, with nothing missing).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.bootstrap import open_app_database
from app.db import Database
from app.errors import ValidationError
from app.exchange.sync.container import SUFFIX
from app.i18n import tr
from app.models import Institution, Province
from app.rules.permissions import Role
from app.services import auth, demo, setup, sync_export, sync_import, sync_keys, users
from app.services.sync_import import COUNT_KEYS, ImportReport

CENTRAL_CODE = "CPD"
CENTRAL_NAME = "กรมส่งเสริมสหกรณ์ (ส่วนกลาง)"
CENTRAL_PROVINCE = "10"
CENTRAL_GROUPS = ("กองแผนงาน", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร")
CENTRAL_ADMIN = demo.Staff("admin", "นายวิทยา มั่นคง", "นักวิชาการคอมพิวเตอร์ชำนาญการ", Role.ADMIN)
# Looks at every province's data (the provincial-head role sees every institution of the database).
CENTRAL_HEAD = demo.Staff("head", "นางศิริพร ประเสริฐวงศ์", "ผู้อำนวยการกองแผนงาน", Role.PROVINCIAL_HEAD)
DEFAULT_PROVINCES = ("62", "64")


def default_folders(target: Path) -> tuple[Path, Path]:
    """(provinces folder, packages folder) beside the central database."""
    target = Path(target)
    return target.with_name(f"{target.stem}-provinces"), target.with_name(f"{target.stem}-packages")


def create_central_demo(target: Path, *, force: bool = False, provinces=DEFAULT_PROVINCES, seed: int = 2567,
                        institutions: int = 150, today: date | None = None,
                        packages_dir: Path | None = None) -> dict:
    """Make the province demos, the central office at `target`, and exchange one package
    each way with every province; returns a summary (paths, packages, counts)."""
    target = Path(target)
    codes = _province_codes(provinces)
    provinces_dir, default_packages = default_folders(target)
    packages_dir = Path(packages_dir) if packages_dir is not None else default_packages
    paths = {code: provinces_dir / f"{code}.sqlite3" for code in codes}
    if not force:  # refuse before spending a minute on the provinces
        for path in (target, *paths.values()):
            if path.exists():
                raise ValidationError(
                    tr("มีไฟล์ {path} อยู่แล้ว โปรดเลือกไฟล์ใหม่หรือสั่งให้เขียนทับ (--force)", path=path),
                    field="target")

    made = {code: demo.create_demo_database(path, force=force, seed=seed, institutions=institutions,
                                            today=today, province_code=code)
            for code, path in paths.items()}
    central, central_summary = _make_central(target)
    offices = {code: _Office(open_app_database(path)) for code, path in paths.items()}
    hub = _Office(central)
    try:
        packages_dir.mkdir(parents=True, exist_ok=True)
        _clear_old_packages(packages_dir, [CENTRAL_CODE, *codes])
        _exchange_keys(hub, offices)
        results = []
        for code, office in offices.items():
            sent = sync_export.export_package(office.db, office.admin, packages_dir)
            received = sync_import.import_package(hub.db, hub.admin, sent.path)
            results.append((code, sent, received))
        replies = {}
        for code, office in offices.items():
            answer = sync_export.export_package(hub.db, hub.admin, packages_dir, to=code)
            replies[code] = (answer, sync_import.import_package(office.db, office.admin, answer.path))
        at_central = _institutions_by_origin(hub.db)
    finally:
        for office in (hub, *offices.values()):
            office.db.dispose()

    totals = Counter()
    for _, _, received in results:
        totals.update(received.totals())
    return {
        **central_summary,
        "path": str(target),
        "provinces_dir": str(provinces_dir),
        "packages_dir": str(packages_dir),
        "provinces": [_province_entry(made[code], sent, received, *replies[code], at_central.get(code, 0))
                      for code, sent, received in results],
        "institutions": at_central,
        "import_totals": {k: totals[k] for k in COUNT_KEYS},
    }


def _province_codes(provinces) -> list[str]:
    if isinstance(provinces, str):
        provinces = provinces.replace(",", " ").split()
    codes = [demo.check_province(code) for code in provinces]
    if not codes:
        raise ValidationError(tr("ต้องระบุจังหวัดอย่างน้อยหนึ่งจังหวัด"), field="provinces")
    if len(set(codes)) != len(codes):
        raise ValidationError(tr("ระบุจังหวัดซ้ำ: {codes}", codes=", ".join(codes)), field="provinces")
    return codes


class _Office:
    """An open office database and its administrator (detached, as after a login)."""

    def __init__(self, db: Database):
        self.db = db
        with db.session() as s:
            self.admin = auth.local_user(s, "admin")


def _make_central(target: Path) -> tuple[Database, dict]:
    demo._remove_database_files(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    db = open_app_database(target)
    try:
        with db.transaction() as s:
            admin = setup.complete_setup(
                s, province_code=CENTRAL_PROVINCE, office_name=CENTRAL_NAME, office_code=CENTRAL_CODE,
                admin_login=CENTRAL_ADMIN.login, admin_name=CENTRAL_ADMIN.full_name,
                admin_position=CENTRAL_ADMIN.position, password=demo.DEMO_PASSWORD, groups=CENTRAL_GROUPS,
                mode="central",
            )
            head = users.create_user(s, admin, users.UserData(
                CENTRAL_HEAD.login, CENTRAL_HEAD.full_name, CENTRAL_HEAD.position, None,
                frozenset({CENTRAL_HEAD.role})), demo.DEMO_PASSWORD)
            province = s.get(Province, CENTRAL_PROVINCE)
            summary = {
                "office": {"code": CENTRAL_CODE, "name": CENTRAL_NAME, "kind": "central"},
                "province": {"code": province.code, "name": province.name_th},
                "password": demo.DEMO_PASSWORD,
                "users": [{"login": u.login, "name": u.full_name, "roles": sorted(u.roles)} for u in (admin, head)],
            }
    except BaseException:
        db.dispose()
        demo._remove_database_files(target)
        raise
    db.dispose()
    return open_app_database(target), summary  # reopened: the database now knows its office


def _clear_old_packages(folder: Path, offices: list[str]) -> None:
    """Packages an earlier demo left in the folder would be mistaken for this one's."""
    for office in offices:
        for path in folder.glob(f"{office}-*{SUFFIX}"):
            path.unlink()


def _exchange_keys(hub: _Office, offices: dict[str, _Office]) -> None:
    """Each province registers the central office's key file, and the central office each
    province's (in real life after reading the fingerprints to each other over the phone)."""
    with hub.db.transaction(hub.admin.id) as s:
        _, central_key = sync_keys.own_key_file(s, hub.admin)
    keys = {}
    for code, office in offices.items():
        with office.db.transaction(office.admin.id) as s:
            _, keys[code] = sync_keys.own_key_file(s, office.admin)
            sync_keys.trust_key_file(s, office.admin, central_key)
    with hub.db.transaction(hub.admin.id) as s:
        for key in keys.values():
            sync_keys.trust_key_file(s, hub.admin, key)


def _institutions_by_origin(db: Database) -> dict[str, int]:
    with db.session() as s:
        rows = s.execute(select(Institution.origin_office, func.count()).where(Institution.deleted_at.is_(None))
                         .group_by(Institution.origin_office))
        return {office: n for office, n in rows}


def _import_entry(report: ImportReport) -> dict:
    return {"status": report.status, "totals": report.totals(), "missing": report.missing,
            "conflicts": len(report.conflicts), "events": report.events_appended,
            "acknowledged_seq": report.acknowledged_seq}


def _province_entry(made: dict, sent, received: ImportReport, answer, answered: ImportReport,
                    at_central: int) -> dict:
    return {
        "code": made["province"]["code"],
        "name": made["province"]["name"],
        "office": made["office"],
        "path": made["path"],
        "institutions": made["institutions"],
        "institutions_at_central": at_central,
        "package": {"file": str(sent.path), "seq": sent.manifest.seq, "tables": sent.manifest.tables,
                    "bytes": sent.size, "import": _import_entry(received)},
        "reply": {"file": str(answer.path), "seq": answer.manifest.seq, "tables": answer.manifest.tables,
                  "bytes": answer.size, "import": _import_entry(answered)},
    }
