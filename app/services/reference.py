"""Shipped reference data (provinces and districts) loaded into the database when it changes."""

from __future__ import annotations

import csv
import hashlib

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import AppSetting, District, Province
from app.paths import data_dir

_KEY = "reference.geo_sha256"


def _geo_files():
    folder = data_dir() / "geo"
    return folder / "provinces.csv", folder / "districts.csv"


def _digest() -> str:
    h = hashlib.sha256()
    for path in _geo_files():
        h.update(path.read_bytes())
    return h.hexdigest()


def _rows(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _upsert(session: Session, model, rows: list[dict]) -> None:
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model)
    changing = {c: stmt.excluded[c] for c in rows[0] if c != "code"}
    session.execute(stmt.on_conflict_do_update(index_elements=["code"], set_=changing), rows)


def ensure_geo(session: Session) -> bool:
    """Load provinces and districts if the shipped files differ from what was loaded."""
    digest = _digest()
    mark = session.get(AppSetting, _KEY)
    if mark is not None and mark.value == digest:
        return False
    provinces, districts = _geo_files()
    # Upsert by code: codes are stable, and rows referencing them keep their codes.
    _upsert(session, Province, [{"code": r["code"], "name_th": r["name_th"], "name_en": r.get("name_en", "")}
                                for r in _rows(provinces)])
    _upsert(session, District, [
        {"code": r["code"], "province_code": r["province_code"], "name_th": r["name_th"],
         "name_en": r.get("name_en", ""), "kind": r.get("kind") or "amphoe"}
        for r in _rows(districts)
    ])
    if mark is None:
        session.add(AppSetting(key=_KEY, value=digest))
    else:
        mark.value = digest
    return True

