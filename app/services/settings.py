"""Reading and writing the settings registered in app.settings."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.i18n import tr
from app.models import AppSetting, User
from app.rules.permissions import Action
from app.services import audit
from app.services.context import authorize
from app.settings import SETTINGS, coerce, serialize


def get(session: Session, key: str):
    setting = SETTINGS[key]
    row = session.get(AppSetting, key)
    return coerce(setting, row.value if row else None)


def put(session: Session, user: User, key: str, value) -> None:
    """Store a setting for the acting user; office-level ones need an admin."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise ValidationError(tr("ไม่มีการตั้งค่าชื่อ {key}", key=key))
    if setting.office_level:
        authorize(session, user, Action.OFFICE_SETTINGS)
    row = session.get(AppSetting, key)
    before = row.value if row else None
    text = serialize(value)
    if row is None:
        session.add(AppSetting(key=key, value=text))
    else:
        row.value = text
    if before != text:
        audit.record(session, user, "setting.change", "setting", None, {key: before}, {key: text})
