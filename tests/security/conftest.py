"""Fixtures of the server security suite: one migrated database and one in-process app per module.

The server tests' fixtures (``tests/server/conftest.py``) are per test, which would make a matrix
of hundreds of requests slow; here each module builds its app once and signs every principal in
once. The migrated SQLite template is the server tests' own fixture, re-exported; PostgreSQL gets a
database of its own (``kiosk_security_test``) in the session's cluster, so both suites can run in
one session.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from server.app import create_app
from server.context import AppContext
from server.db import make_engine
from server.models import Base, Site
from server.models.people import ROLES
from server.settings import Settings
from server.migrate import upgrade
from tests.server.conftest import make_settings, sqlite_template  # noqa: F401  (sqlite_template is a fixture)
from tests.server.helpers import add_user, enrol, login

SESSION_COOKIE = "kiosk_session"
OTHER_SITE = "other-hall"


@pytest.fixture(scope="module", autouse=True)
def cheap_password_hashing_module() -> Iterator[None]:
    """Minimal-cost Argon2, as the server tests use (``cheap_password_hashing``), for a whole module."""
    from argon2 import PasswordHasher

    from server import security

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        yield


def security_settings(database_url: str, **overrides: object) -> Settings:
    """Test settings without background loops; the device rate limit is high so that a matrix of
    requests per token measures authorisation, not throttling (throttling has its own test)."""
    values: dict[str, object] = {"notify_every_s": 0, "device_rate_per_s": 100_000.0, "device_burst": 100_000}
    values.update(overrides)
    return make_settings(database_url, **values)


@pytest.fixture(scope="module")
def sqlite_url(sqlite_template, tmp_path_factory: pytest.TempPathFactory) -> str:  # type: ignore[no-untyped-def]  # noqa: F811
    target = tmp_path_factory.mktemp("security-db") / "server.db"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def security_postgres(postgres_cluster) -> str:  # type: ignore[no-untyped-def]
    """A migrated PostgreSQL database for this suite (tests/server uses ``kiosk_server_test``)."""
    url = postgres_cluster.create_database("kiosk_security_test")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def clean_postgres(url: str) -> str:
    """Empty every table of the session's migrated PostgreSQL database (as tests/server does)."""
    engine = make_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@dataclass
class Principal:
    """Someone calling the server: a signed-in role (session cookie + its CSRF token), a device
    (bearer token), or nobody."""

    name: str
    kind: str  # "anonymous" | "user" | "device"
    role: str = ""
    cookie: str = ""
    csrf: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    device_id: str = ""
    device_type: str = ""

    def request_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if self.cookie:
            headers["Cookie"] = f"{SESSION_COOKIE}={self.cookie}"
        return headers


@dataclass
class World:
    client: TestClient
    ctx: AppContext
    principals: dict[str, Principal]

    def call(self, who: Principal | str, method: str, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
        """One request as ``who``, with nothing carried over from another principal's cookies."""
        principal = self.principals[who] if isinstance(who, str) else who
        headers = {**principal.request_headers(), **(kwargs.pop("headers", None) or {})}  # type: ignore[dict-item]
        self.client.cookies.clear()
        answer = self.client.request(method, url, headers=headers, follow_redirects=False, **kwargs)  # type: ignore[arg-type]
        if (principal.kind == "user" and self.principals.get(principal.name) is principal and method == "POST"
                and url == "/logout"
                and answer.status_code == 303):
            # Signing out ends the session for good (a copied cookie dies with it): sign the
            # principal in again so the rest of the module keeps a live session.
            fresh = sign_in_user(self.client, f"sec_{principal.role}", principal.role)
            principal.cookie, principal.csrf = fresh.cookie, fresh.csrf
        return answer


def sign_in_user(client: TestClient, username: str, role: str) -> Principal:
    """Sign in through the real login form (tests/server/helpers.login) and keep the cookie."""
    client.cookies.clear()
    answer = login(client, username)
    assert answer.status_code == 303, answer.text
    cookie = client.cookies[SESSION_COOKIE]
    page = client.get("/login")  # the login page renders this session's CSRF token
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    client.cookies.clear()
    return Principal(name=role, kind="user", role=role, cookie=cookie, csrf=token)


def build_world(client: TestClient, ctx: AppContext) -> World:
    """Every principal of the matrix: nobody, one user of each role in ROLES (read at run time),
    a terminal and an evaluator of the default hall, and a terminal of another hall."""
    client.cookies.clear()
    page = client.get("/login")  # a visitor who opened the login page: a session without a user
    principals: dict[str, Principal] = {"anonymous": Principal(
        name="anonymous", kind="anonymous", cookie=client.cookies[SESSION_COOKIE],
        csrf=page.text.split('name="csrf" value="')[1].split('"')[0])}
    for role in ROLES:
        add_user(ctx, f"sec_{role}", role)
        principals[role] = sign_in_user(client, f"sec_{role}", role)
    with ctx.transaction() as session:
        session.add(Site(slug=OTHER_SITE, name="另一个大厅", region_code=""))
    for name, device_type, site in (("device_terminal", "terminal", None), ("device_evaluator", "evaluator", None),
                                    ("device_other", "terminal", OTHER_SITE),
                                    ("device_other_evaluator", "evaluator", OTHER_SITE)):
        device_id, headers = enrol(client, ctx, device_type, site_slug=site)
        principals[name] = Principal(name=name, kind="device", headers=headers, device_id=device_id,
                                     device_type=device_type)
    client.cookies.clear()
    return World(client, ctx, principals)


def make_world(database_url: str, **overrides: object) -> Iterator[World]:
    settings = security_settings(database_url, **overrides)
    ctx = AppContext.build(settings)
    try:
        with TestClient(create_app(settings, ctx), raise_server_exceptions=False) as client:
            yield build_world(client, ctx)
    finally:
        ctx.engine.dispose()


@pytest.fixture(scope="module")
def world(sqlite_url: str) -> Iterator[World]:
    yield from make_world(sqlite_url)

