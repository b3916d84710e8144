"""Turning the logged-in user into the rules' Actor, and the permission gate of every service."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import User
from app.models.base import SESSION_USER
from app.rules.permissions import Action, Actor, Target, check


def actor_of(user: User) -> Actor:
    return Actor(id=user.id, login=user.login, roles=user.roles, group_id=user.group_id, active=user.active)


def authorize(session: Session, user: User, action: Action, target: Target | None = None) -> Actor:
    """Refuse unless the user may act; stamp the session so rows record who changed them."""
    actor = actor_of(user)
    check(actor, action, target)
    session.info[SESSION_USER] = user.id
    return actor
