"""Property-based API tests generated from the OpenAPI document (which embeds server/schemas/*.json).

Whatever schemathesis sends, the server must answer without a 5xx, and every 2xx body must
match its documented schema. Run on SQLite only: the database-specific paths are covered by
the parametrised suite; this one is about input handling.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from server.app import create_app
from server.context import AppContext
from server.db import make_engine
from server.migrate import upgrade
from server.services import enrolment
from tests.server.conftest import make_settings


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, str]]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    config = make_settings(url, device_rate_per_s=10_000.0, device_burst=10_000)
    ctx = AppContext.build(config)
    app = create_app(config, ctx)
    with ctx.transaction() as session:
        code = enrolment.issue_code(session, actor="test", ttl_hours=1).code
    with TestClient(app) as client:
        token = client.post("/api/v1/devices/enrol", json={"code": code}).json()["token"]
    yield app, {"Authorization": f"Bearer {token}"}
    ctx.engine.dispose()


def test_api_never_fails_on_any_input(fuzz_app: tuple[Any, dict[str, str]]) -> None:
    app, auth = fuzz_app
    api = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 7
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate(headers=auth, checks=[not_a_server_error, response_schema_conformance])

        check()
