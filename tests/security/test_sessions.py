"""Dashboard sessions: sign-out, deactivation, role changes, and where a login may send you next."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from server.models import User
from tests.security.conftest import World, sign_in_user
from tests.server.helpers import add_user, csrf_of, login


def test_deactivated_user_is_signed_out_at_once(world: World) -> None:
    add_user(world.ctx, "sec_leaver", "technician")
    leaver = sign_in_user(world.client, "sec_leaver", "technician")
    assert world.call(leaver, "GET", "/fleet").status_code == 200
    with world.ctx.transaction() as session:
        session.execute(update(User).where(User.username == "sec_leaver").values(active=False))
    gone = world.call(leaver, "GET", "/fleet")
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")


def test_role_change_takes_effect_at_once(world: World) -> None:
    add_user(world.ctx, "sec_demoted", "admin")
    user = sign_in_user(world.client, "sec_demoted", "admin")
    assert world.call(user, "GET", "/users").status_code == 200
    with world.ctx.transaction() as session:
        session.execute(update(User).where(User.username == "sec_demoted").values(role="viewer"))
    assert world.call(user, "GET", "/users").status_code == 403


def test_sign_in_starts_a_new_session(world: World) -> None:
    """A session planted before sign-in (session fixation) is not the one signed in."""
    client = world.client
    client.cookies.clear()
    client.get("/login")
    planted = client.cookies["kiosk_session"]
    assert login(client, "sec_viewer").status_code == 303
    assert client.cookies["kiosk_session"] != planted
    client.cookies.clear()


def test_cookie_is_worthless_after_sign_out(world: World) -> None:
    add_user(world.ctx, "sec_leaving", "viewer")
    user = sign_in_user(world.client, "sec_leaving", "viewer")
    assert world.call(user, "POST", "/logout", data={"csrf": user.csrf}).status_code == 303
    replay = world.call(user, "GET", "/fleet")
    assert replay.status_code == 303 and replay.headers["location"].startswith("/login")


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example/",
                                    "/\\/evil.example/", "\\\\evil.example/", "javascript:alert(1)"])
def test_login_never_redirects_off_site(world: World, target: str) -> None:
    """``/\\host`` passes the route's own check but leaves as ``/%5Chost`` (Starlette quotes it): same site."""
    client = world.client
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": "sec_viewer", "password": "correct-horse", "csrf": token,
                                         "next": target}, follow_redirects=False)
    client.cookies.clear()
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location


@pytest.mark.parametrize("path", ["/login", "/fleet"])
def test_dashboard_pages_refuse_framing_and_sniffing(world: World, path: str) -> None:
    headers = world.call("admin", "GET", path).headers
    framing = headers.get("x-frame-options", "").upper() in ("DENY", "SAMEORIGIN") or \
        "frame-ancestors" in headers.get("content-security-policy", "")
    assert framing and headers.get("x-content-type-options") == "nosniff"
