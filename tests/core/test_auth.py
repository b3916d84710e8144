"""Local login: salted slow hashes, a growing delay after wrong passwords, admin resets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.errors import ValidationError
from app.models import Credential
from app.models.types import utcnow
from app.services import auth, users
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD


def login(db, name, password, now=None):
    with db.transaction() as s:
        return auth.authenticate(s, name, password, now=now)


def test_right_password_logs_in(db, admin):
    result = login(db, "admin", ADMIN_PASSWORD)
    assert result.ok and result.user.id == admin.id


def test_hashes_are_argon2id_and_salted(db, admin, make_user):
    a, b = make_user("a1", "officer"), make_user("b1", "officer")
    with db.session() as s:
        ha, hb = s.get(Credential, a.id).password_hash, s.get(Credential, b.id).password_hash
    assert ha.startswith("$argon2id$") and hb.startswith("$argon2id$")
    assert ha != hb and USER_PASSWORD not in ha


def test_wrong_passwords_get_a_clear_message_and_a_growing_delay(db, admin):
    t0 = utcnow()
    first = login(db, "admin", "nope", now=t0)
    assert not first.ok and "รหัสผ่านไม่ถูกต้อง" in first.message and first.retry_after == 1
    # During the delay even the right password is refused, with the time left.
    blocked = login(db, "admin", ADMIN_PASSWORD, now=t0 + timedelta(milliseconds=500))
    assert not blocked.ok and "โปรดรอ" in blocked.message and 0 < blocked.retry_after <= 1
    delays = []
    t = t0
    for _ in range(4):
        t += timedelta(seconds=61)
        delays.append(login(db, "admin", "nope", now=t).retry_after)
    assert delays == [2, 4, 8, 16]
    ok = login(db, "admin", ADMIN_PASSWORD, now=t + timedelta(seconds=17))
    assert ok.ok
    again = login(db, "admin", "nope", now=t + timedelta(seconds=100))
    assert again.retry_after == 1  # a success resets the count


def test_delay_is_capped():
    assert auth.delay_after(30) == auth.MAX_DELAY_SECONDS


def test_unknown_user_and_inactive_user_get_the_same_answer(db, admin, make_user):
    person = make_user("officer9", "officer")
    unknown = login(db, "ghost", "whatever")
    with db.transaction(admin.id) as s:
        data = users.UserData(person.login, person.full_name, person.position, person.group_id, person.roles, active=False)
        users.update_user(s, admin, person.id, data)
    inactive = login(db, "officer9", USER_PASSWORD)
    assert not unknown.ok and not inactive.ok
    assert unknown.message == inactive.message == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


def test_admin_reset_forces_a_change_at_next_login(db, admin, make_user):
    person = make_user("officer3", "officer")
    with db.transaction(admin.id) as s:
        auth.reset_password(s, admin, person.id, "fresh-pass-9")
    assert not login(db, "officer3", USER_PASSWORD).ok
    result = login(db, "officer3", "fresh-pass-9", now=utcnow() + timedelta(seconds=2))
    assert result.ok
    with db.transaction() as s:
        assert auth.must_change_password(s, result.user)
        auth.change_password(s, result.user, "fresh-pass-9", "my-own-pass-1")
        assert not auth.must_change_password(s, result.user)
    assert login(db, "officer3", "my-own-pass-1").ok


def test_password_policy(db, admin):
    with pytest.raises(ValidationError, match="อย่างน้อย 8"), db.transaction() as s:
        auth.change_password(s, admin, ADMIN_PASSWORD, "short")
    with pytest.raises(ValidationError, match="รหัสผ่านเดิมไม่ถูกต้อง"), db.transaction() as s:
        auth.change_password(s, admin, "wrong-old", "long-enough-1")
