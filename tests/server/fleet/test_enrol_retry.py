"""A lost enrolment answer no longer burns the one-time code: the same code and instance id may
ask again (same device id, fresh token, the first token revoked); anyone else is still refused."""
from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from kiosk.config import ServerLinkConfig
from kiosk.enrolment import enrol as device_enrol
from kiosk.server_link import ServerLink
from server.context import AppContext
from server.models import AuditEntry, EnrolClaim, utcnow
from server.services import enrolment


def _code(ctx: AppContext) -> str:
    with ctx.transaction() as session:
        return enrolment.issue_code(session, actor="test", ttl_hours=1).code


def _post(client: TestClient, **body: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/devices/enrol", json=body)


def _heartbeat(client: TestClient, token: str) -> int:
    return client.post("/api/v1/heartbeat", json={}, headers={"Authorization": f"Bearer {token}"}).status_code


def test_retry_with_the_same_instance_gets_the_same_device_and_a_fresh_token(client: TestClient,
                                                                            ctx: AppContext) -> None:
    code, instance = _code(ctx), secrets.token_urlsafe(24)
    first = _post(client, code=code, instance_id=instance)
    assert first.status_code == 200
    again = _post(client, code=code.lower().replace("-", ""), instance_id=instance)  # typed differently
    assert again.status_code == 200
    assert again.json()["device_id"] == first.json()["device_id"]
    assert again.json()["token"] != first.json()["token"]
    assert _heartbeat(client, first.json()["token"]) == 401  # the first token is revoked
    assert _heartbeat(client, again.json()["token"]) == 200
    with ctx.reading() as session:
        assert session.scalar(select(EnrolClaim.retries)) == 1
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "device.enrol_retry")) is not None


def test_other_instances_and_late_retries_are_refused(client: TestClient, ctx: AppContext) -> None:
    code, instance = _code(ctx), secrets.token_urlsafe(24)
    assert _post(client, code=code, instance_id=instance).status_code == 200
    assert _post(client, code=code, instance_id=secrets.token_urlsafe(24)).status_code == 403
    assert _post(client, code=code).status_code == 403  # the old contract: a used code is refused
    with ctx.transaction() as session:
        session.execute(update(EnrolClaim).values(
            claimed_at=utcnow() - timedelta(seconds=ctx.settings.enrol_retry_window_s + 1)))
    assert _post(client, code=code, instance_id=instance).status_code == 403


def test_the_plain_contract_still_works_and_bad_instance_ids_are_422(client: TestClient, ctx: AppContext) -> None:
    answer = _post(client, code=_code(ctx))
    assert answer.status_code == 200 and set(answer.json()) == {"device_id", "token"}
    assert _post(client, code=_code(ctx), instance_id="short").status_code == 422
    assert _post(client, code=_code(ctx), instance_id="x" * 20 + "/..").status_code == 422


@pytest.mark.usefixtures("mgmt_server")
def test_the_device_side_sends_an_instance_id_and_a_retry_succeeds(mgmt_server) -> None:  # type: ignore[no-untyped-def]
    code = mgmt_server.enrol_code()
    link = ServerLink(ServerLinkConfig(url=mgmt_server.url))
    try:
        first = device_enrol(link, code)
        retry = device_enrol(link, code)  # as after a timeout: the server had committed the first
        assert retry.device_id == first.device_id and retry.token != first.token
        other = ServerLink(ServerLinkConfig(url=mgmt_server.url + "/"))  # another process's id: refused
        try:
            from kiosk import enrolment as kiosk_enrolment

            kiosk_enrolment._INSTANCE_IDS.clear()
            with pytest.raises(kiosk_enrolment.EnrolmentError) as refused:
                device_enrol(other, code)
            assert refused.value.reason == "enrolment_refused"
        finally:
            other.close()
    finally:
        link.close()
