"""CSRF: every state-changing dashboard form refuses a request without this session's token.

Each POST route outside the device API (read from the app, so new forms are covered at once) is
sent by a user it admits (admin; anyone with a session for the public forms) three ways: without
the token, with an empty one, and with the token of another session. The same request with the
right token must get past the check (else this test could not fail), and nothing may change.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.models import AuditEntry
from tests.security.conftest import World, security_settings
from tests.security.routes import AppRoute, app_routes, concrete_path, form_fields

FORMS = [r for r in app_routes(security_settings("sqlite://"))
         if r.method != "GET" and not r.path.startswith("/api/")]


def _audit_count(world: World) -> int:
    with world.ctx.reading() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _send(world: World, route: AppRoute, token: str | None, cookie_of: str = "admin"):  # type: ignore[no-untyped-def]
    data, files = form_fields(route)
    if token is not None:
        data["csrf"] = token
    return world.call(cookie_of, route.method, concrete_path(route), data=data, files=files or None)


def test_there_are_forms_to_check() -> None:
    assert len(FORMS) >= 25, [r.key for r in FORMS]


@pytest.mark.parametrize("route", FORMS, ids=[r.key for r in FORMS])
def test_form_refuses_missing_empty_and_foreign_token(world: World, route: AppRoute) -> None:
    before = _audit_count(world)
    foreign = world.principals["supervisor"].csrf
    assert foreign != world.principals["admin"].csrf
    missing = _send(world, route, None)
    empty = _send(world, route, "")
    other = _send(world, route, foreign)
    assert missing.status_code in (403, 422), f"no token: {missing.status_code} {missing.text[:200]}"
    assert empty.status_code in (403, 422), f"empty token: {empty.status_code} {empty.text[:200]}"
    assert other.status_code == 403, f"another session's token: {other.status_code} {other.text[:200]}"
    assert "CSRF" in other.text
    assert _audit_count(world) == before, "a refused form changed something"
    right = _send(world, route, world.principals["admin"].csrf)
    assert right.status_code != 403 or "CSRF" not in right.text, "the right token is refused too: test is blind"


def test_login_form_needs_the_token_of_the_visitors_session(world: World) -> None:
    foreign = world.principals["anonymous"].csrf
    world.client.cookies.clear()
    answer = world.client.post("/login", data={"username": "sec_admin", "password": "correct-horse", "csrf": foreign},
                               follow_redirects=False)  # a fresh visitor (no session) with a planted token
    assert answer.status_code == 403


def test_session_cookie_is_http_only_and_same_site(world: World) -> None:
    world.client.cookies.clear()
    cookie = world.client.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_secure_flag_when_configured(sqlite_url: str) -> None:
    from fastapi.testclient import TestClient

    from server.app import create_app

    app = create_app(security_settings(sqlite_url, secure_cookies=True))
    try:
        with TestClient(app) as client:
            assert "secure" in client.get("/login").headers["set-cookie"].lower()
    finally:
        app.state.ctx.engine.dispose()
