"""Server test fixtures: every API/dashboard test runs on SQLite and on PostgreSQL.

Migrations run once per backend per session (the migration test checks them separately);
each test then gets a clean database: a copy of the migrated SQLite file, or the PostgreSQL
database truncated. That keeps the doubled suite well inside its time budget.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from server.app import create_app
from server.context import AppContext
from server.db import make_engine
from server.migrate import upgrade
from server.models import Base
from server.settings import Settings

TEST_SECRET = "test-secret-0123456789abcdef"


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {"database_url": database_url, "environment": "test", "secret_key": TEST_SECRET,
                                 "sweep_every_s": 0}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with minimal cost in tests (as Django uses a fast hasher): the algorithm is the same,
    the default cost is deliberately ~0.1-0.3 s per hash, which would dominate the suite's time."""
    from argon2 import PasswordHasher

    from server import security

    monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "server.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database(postgres_cluster) -> str:  # type: ignore[no-untyped-def]
    url = postgres_cluster.create_database("kiosk_server_test")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A clean, migrated database of each backend."""
    if request.param == "sqlite":
        target = tmp_path / "server.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("postgres_database")
    engine = make_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def ctx(settings: Settings) -> Iterator[AppContext]:
    context = AppContext.build(settings)
    yield context
    context.engine.dispose()


@pytest.fixture
def client(settings: Settings, ctx: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(settings, ctx)) as test_client:
        yield test_client
