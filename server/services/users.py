"""Dashboard users (argon2id password hashes)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import security
from server.models import User
from server.models.people import ROLES
from server.services import audit

MIN_PASSWORD = 8


def upsert_user(session: Session, username: str, password: str, role: str, *, actor: str) -> bool:
    """Create the user, or reset its password and role; True when created."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must have at least {MIN_PASSWORD} characters")
    user = session.scalar(select(User).where(User.username == username))
    created = user is None
    if user is None:
        user = User(username=username, role=role, password_hash="", display_name="", active=True)
        session.add(user)
    user.password_hash = security.hash_password(password)
    user.role = role
    user.active = True
    audit.record(session, actor, "user.create" if created else "user.reset", username, role=role)
    return created
