"""Dashboard sign-in: session cookie, CSRF tokens, roles, login rate limiting.

The session cookie is signed (itsdangerous, via Starlette's SessionMiddleware) and holds only
the user id, a random session id and the CSRF token; the user row is re-read on every request so
a deactivated account or a changed role takes effect at once, and a signed-out session id is
kept in ``signed_out_sessions`` until the cookie would have expired, so a copied cookie dies
with the sign-out. Every state-changing form carries the CSRF
token, compared in constant time.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy import delete

from server import security
from server.api.deps import Ctx
from server.models import User, utcnow
from server.models.people import SignedOutSession

WRITE_ROLES = ("admin", "technician")  # may acknowledge faults, send commands, issue enrol codes


class LoginRequired(Exception):
    """Raised by dependencies; the app answers with a redirect to the login page."""


@dataclass(frozen=True)
class Viewer:
    id: int
    username: str
    role: str

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, sent: str) -> None:
    expected = request.session.get("csrf", "")
    if not expected or not security.same(expected, sent or ""):
        raise HTTPException(403, "CSRF token missing or wrong; reload the page and try again")


def current_viewer(request: Request, ctx: Ctx) -> Viewer:
    uid = request.session.get("uid")
    if uid is None:
        raise LoginRequired
    with ctx.reading() as session:
        user = session.get(User, uid)
        sid = request.session.get("sid", "")
        if user is None or not user.active or not sid or session.get(SignedOutSession, sid) is not None:
            request.session.clear()
            raise LoginRequired
        return Viewer(user.id, user.username, user.role)


def writer(viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
    if not viewer.can_write:
        raise HTTPException(403, "this role may only view")
    return viewer


CurrentViewer = Annotated[Viewer, Depends(current_viewer)]
Writer = Annotated[Viewer, Depends(writer)]


def login_key(request: Request, username: str) -> str:
    """Failures are counted per client address and user name together."""
    host = request.client.host if request.client else "?"
    return f"{host}|{username.strip().lower()}"


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session (new CSRF token) so a planted pre-login session is worthless."""
    request.session.clear()
    request.session["uid"] = user.id
    request.session["sid"] = secrets.token_urlsafe(24)
    request.session["csrf"] = secrets.token_urlsafe(24)


def sign_out(request: Request, ctx: Ctx) -> None:
    """End this session for good: its id is refused until the cookie would have expired."""
    sid = request.session.get("sid")
    request.session.clear()
    if not sid:
        return
    now = utcnow()
    with ctx.transaction() as session:
        session.execute(delete(SignedOutSession).where(SignedOutSession.expires_at < now))
        if session.get(SignedOutSession, sid) is None:
            session.add(SignedOutSession(sid=sid, expires_at=now + timedelta(seconds=ctx.settings.session_max_age_s)))
