"""Enrolment with one-time codes, token checks, and per-device config/catalog with ETags."""
from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from hypothesis import given, strategies as st
from sqlalchemy import select

from server import security
from server.context import AppContext
from server.models import DeviceToken, EnrolCode, utcnow
from server.services import enrolment
from tests.server.helpers import enrol


def issue(ctx: AppContext, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with ctx.transaction() as session:
        return enrolment.issue_code(session, actor="test", ttl_hours=1, **kwargs).code


def test_code_is_single_use_and_token_stored_hashed(client: TestClient, ctx: AppContext) -> None:
    code = issue(ctx, device_type="evaluator", window="12")
    first = client.post("/api/v1/devices/enrol", json={"code": code.lower().replace("-", " ")})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["device_id"].startswith("E-")
    assert client.post("/api/v1/devices/enrol", json={"code": code}).status_code == 403
    with ctx.transaction() as session:
        stored = session.scalar(select(DeviceToken))
        assert stored is not None and stored.token_hash == security.digest(body["token"])
        assert body["token"] not in stored.token_hash
        assert session.scalar(select(EnrolCode)).code_hash != code


def test_expired_and_unknown_codes_are_refused(client: TestClient, ctx: AppContext) -> None:
    code = issue(ctx)
    with ctx.transaction() as session:
        session.scalar(select(EnrolCode)).expires_at = utcnow() - timedelta(seconds=1)
    assert client.post("/api/v1/devices/enrol", json={"code": code}).status_code == 403
    assert client.post("/api/v1/devices/enrol", json={"code": "AAAA-BBBB-CCCC"}).status_code == 403
    assert client.post("/api/v1/devices/enrol", json={}).status_code == 422


def test_missing_wrong_and_revoked_tokens_get_401(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    assert client.post("/api/v1/heartbeat", json={}).status_code == 401
    assert client.post("/api/v1/heartbeat", json={}, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.post("/api/v1/heartbeat", json={}, headers=auth).status_code == 200
    with ctx.transaction() as session:
        enrolment.revoke_tokens(session, device_id, "user:admin")
    answer = client.post("/api/v1/heartbeat", json={}, headers=auth)
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"] == "Bearer"


def test_config_and_catalog_use_etags(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx, device_type="evaluator", window="7")
    for path in ("/api/v1/config", "/api/v1/catalog"):
        first = client.get(path, headers=auth)
        assert first.status_code == 200
        etag = first.headers["ETag"]
        assert client.get(path, headers={**auth, "If-None-Match": etag}).status_code == 304
        assert client.get(path, headers={**auth, "If-None-Match": '"other"'}).status_code == 200
    config = client.get("/api/v1/config", headers=auth).json()
    assert config["device_id"] == device_id and config["window"] == "7" and config["site"]["slug"] == "default"
    assert client.get("/api/v1/catalog").status_code == 401


@given(st.text(max_size=30))
def test_normalised_codes_are_stable(text: str) -> None:
    once = security.normalise_code(text)
    assert security.normalise_code(once) == once


def test_issued_codes_avoid_confusable_characters() -> None:
    for _ in range(50):
        code = security.new_enrol_code()
        assert len(code) == 14 and not set(code.replace("-", "")) & set("01ILO")
