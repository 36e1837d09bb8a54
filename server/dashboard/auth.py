"""Dashboard sign-in: session cookie, CSRF tokens, roles, login rate limiting.

The session cookie is signed (itsdangerous, via Starlette's SessionMiddleware) and holds only
the user id and the CSRF token; the user row is re-read on every request so a deactivated
account or a changed role takes effect at once. Every state-changing form carries the CSRF
token, compared in constant time.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from server import security
from server.api.deps import Ctx
from server.models import User

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
        if user is None or not user.active:
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
    request.session["csrf"] = secrets.token_urlsafe(24)
