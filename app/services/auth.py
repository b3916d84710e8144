"""Local login: Argon2id password hashes, a growing delay after wrong passwords, resets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.i18n import _, tr
from app.models import Credential, User
from app.models.types import utcnow
from app.rules.permissions import Action
from app.services import audit, settings
from app.services.context import authorize, get_live

MIN_PASSWORD_LENGTH = 8
MAX_DELAY_SECONDS = 60
# Argon2id, salted, with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): ~40 ms per
# check here, against ~140 ms for argon2-cffi's default profile, which sat on the start-up
# path. Hashes made with other parameters are re-hashed at the next successful login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            tr("รหัสผ่านต้องยาวอย่างน้อย {n} ตัวอักษร", n=MIN_PASSWORD_LENGTH), field="password"
        )


def delay_after(failures: int) -> int:
    """Seconds to wait after the n-th consecutive wrong password: 1, 2, 4 … capped."""
    return min(2 ** (failures - 1), MAX_DELAY_SECONDS) if failures > 0 else 0


@dataclass
class LoginResult:
    user: User | None
    message: str = ""
    retry_after: float = 0.0

    @property
    def ok(self) -> bool:
        return self.user is not None


def local_user(session: Session, login: str) -> User | None:
    """The live user of this office with this login. Logins are unique per office only: a
    central database also holds the provinces' users, who never log in here."""
    query = select(User).where(User.login == login.strip(), User.deleted_at.is_(None))
    office_id = settings.get(session, "home_office_id")
    if office_id:
        query = query.where(User.office_id == office_id)
    return session.scalar(query)


def authenticate(session: Session, login: str, password: str, *, now: datetime | None = None) -> LoginResult:
    """Check a login. Failures are recorded in the session, so the caller commits either way."""
    now = now or utcnow()
    user = local_user(session, login)
    cred = session.get(Credential, user.id) if user else None
    if user is None or cred is None or not user.active:
        return LoginResult(None, _("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"))
    if cred.blocked_until and cred.blocked_until > now:
        wait = (cred.blocked_until - now).total_seconds()
        return LoginResult(
            None, tr("ใส่รหัสผ่านผิดติดกันหลายครั้ง โปรดรอ {s} วินาทีแล้วลองใหม่", s=int(wait + 0.999)), wait
        )
    try:
        _hasher.verify(cred.password_hash, password)
    except (VerificationError, InvalidHashError):
        cred.failed_count += 1
        wait = delay_after(cred.failed_count)
        cred.blocked_until = now + timedelta(seconds=wait)
        audit.record(session, user, "login.failed", "user", user.id, after={"failed_count": cred.failed_count})
        return LoginResult(
            None, tr("รหัสผ่านไม่ถูกต้อง (ผิดครั้งที่ {n}) ลองใหม่ได้ในอีก {s} วินาที", n=cred.failed_count, s=wait), wait
        )
    cred.failed_count = 0
    cred.blocked_until = None
    if _hasher.check_needs_rehash(cred.password_hash):
        cred.password_hash = hash_password(password)
    audit.record(session, user, "login", "user", user.id)
    return LoginResult(user)


def set_initial_password(session: Session, user: User, password: str) -> None:
    check_password_policy(password)
    session.add(Credential(user_id=user.id, password_hash=hash_password(password)))


def change_password(session: Session, user: User, old: str, new: str) -> None:
    cred = session.get(Credential, user.id)
    try:
        _hasher.verify(cred.password_hash, old)
    except (VerificationError, InvalidHashError):
        raise ValidationError(_("รหัสผ่านเดิมไม่ถูกต้อง"), field="old_password") from None
    check_password_policy(new)
    cred.password_hash = hash_password(new)
    cred.must_change = False
    audit.record(session, user, "password.change", "user", user.id)


def reset_password(session: Session, admin: User, user_id: str, new: str) -> None:
    """An admin sets a new password; the user must change it at next login."""
    authorize(session, admin, Action.PASSWORD_RESET)
    get_live(session, User, user_id, _("ไม่พบผู้ใช้ที่ต้องการตั้งรหัสผ่านใหม่"))
    check_password_policy(new)
    cred = session.get(Credential, user_id)
    if cred is None:
        cred = Credential(user_id=user_id, password_hash="")
        session.add(cred)
    cred.password_hash = hash_password(new)
    cred.failed_count = 0
    cred.blocked_until = None
    cred.must_change = True
    audit.record(session, admin, "password.reset", "user", user_id)


def must_change_password(session: Session, user: User) -> bool:
    cred = session.get(Credential, user.id)
    return bool(cred and cred.must_change)
