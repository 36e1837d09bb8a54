"""Webhooks against a real HTTP receiver on a free port that fails, then recovers.

Faults and calls enter through the real device API; the sender runs its rounds with a clock
the test moves forward, so retries and backoff are exercised without sleeping.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from server.context import AppContext
from server.models import NotifyOutbox, WebhookAttempt, WebhookDelivery, utcnow
from server.notify import formats, sender, webhooks
from server.services import faults
from tests.server.fleet.receiver import receiver
from tests.server.helpers import enrol, event, fault


def _hook(ctx: AppContext, url: str, fmt: str = "generic", secret: str = "", site: str = "",
          kinds: list[str] | None = None) -> int:
    with ctx.transaction() as session:
        return webhooks.create(session, name=f"{fmt} hook", url=url, fmt=fmt, secret=secret, site_slug=site,
                               kinds=kinds or [], actor="test").id


def _deliveries(ctx: AppContext) -> list[WebhookDelivery]:
    with ctx.reading() as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_generic_wecom_dingtalk_delivered_after_the_receiver_recovers(client: TestClient, ctx: AppContext) -> None:
    device_id, headers = enrol(client, ctx, location="一楼大厅")
    with receiver(failures=3) as rx:
        _hook(ctx, f"{rx.base}/generic", secret="s3cret")
        _hook(ctx, f"{rx.base}/wecom?key=abc", fmt="wecom")
        _hook(ctx, f"{rx.base}/dingtalk?access_token=t", fmt="dingtalk", secret="SECdemo")
        assert client.post("/api/v1/events", json={"events": [fault("fault_raised")]}, headers=headers).status_code == 200

        now = utcnow()
        first = sender.run_once(ctx, now=now)
        assert first == {"fanned": 1, "attempted": 3, "delivered": 0, "failed": 3}  # the receiver is down
        assert sender.run_once(ctx, now=now)["attempted"] == 0  # nothing is due before the backoff
        states = {d.state for d in _deliveries(ctx)}
        assert states == {"pending"} and all(d.attempts == 1 and d.last_status == 503 for d in _deliveries(ctx))

        later = now + timedelta(seconds=ctx.settings.webhook_retry_base_s + 1)
        assert sender.run_once(ctx, now=later)["delivered"] == 3  # recovered
        assert {d.state for d in _deliveries(ctx)} == {"delivered"}
        with ctx.reading() as session:
            assert len(list(session.scalars(select(WebhookAttempt)))) == 6  # the delivery log has every attempt

        ok = {r.path: r for r in rx.accepted()}
        generic = ok["/generic"]
        doc = generic.json()
        assert doc["kind"] == "fault.opened" and doc["device"]["id"] == device_id
        assert doc["fault"]["peripheral"] == "printer" and doc["fault"]["reason"] == "paper_out"
        assert doc["hall"]["slug"] == "default" and "缺纸" in doc["text"]
        mac = hmac.new(b"s3cret", generic.body, hashlib.sha256).hexdigest()
        assert generic.headers["x-kiosk-signature"] == f"sha256={mac}"
        assert generic.headers["x-kiosk-event"] == "fault.opened"

        wecom = ok["/wecom"].json()
        assert wecom["msgtype"] == "markdown" and "凭条打印机 缺纸" in wecom["markdown"]["content"]
        assert ok["/wecom"].query == {"key": ["abc"]}

        ding = ok["/dingtalk"]
        assert ding.json()["markdown"]["title"] == "设备故障"
        timestamp, sign = ding.query["timestamp"][0], ding.query["sign"][0]
        expected = base64.b64encode(hmac.new(b"SECdemo", f"{timestamp}\nSECdemo".encode(), hashlib.sha256).digest())
        assert sign == expected.decode()  # parse_qs decoded the URL-encoding
        assert ding.query["access_token"] == ["t"]


def test_ack_resolve_and_robot_refusals(client: TestClient, ctx: AppContext) -> None:
    _device_id, headers = enrol(client, ctx)
    with receiver() as rx:
        rx.robot_errcode = 310000  # 200 OK but "sign mismatch": a failure to retry
        _hook(ctx, f"{rx.base}/ding", fmt="dingtalk")
        client.post("/api/v1/events", json={"events": [fault("fault_raised")]}, headers=headers)
        now = utcnow()
        assert sender.run_once(ctx, now=now)["failed"] == 1
        assert "errcode 310000" in _deliveries(ctx)[0].last_error
        rx.robot_errcode = 0
        with ctx.transaction() as session:
            fault_id = faults.raise_fault(session, _device_id, "printer", "paper_out", at=now).id
            faults.acknowledge(session, fault_id, "tech")
        with ctx.transaction() as session:
            faults.resolve(session, fault_id, "tech", "换了纸")
        result = sender.run_once(ctx, now=now + timedelta(hours=1))
        assert result["delivered"] == 3  # the retried "opened", then "acknowledged" and "resolved"
        texts = [r.json()["markdown"]["text"] for r in rx.accepted()]
        assert any("确认人：tech" in t for t in texts) and any("换了纸" in t for t in texts)


def test_gives_up_after_max_attempts_and_hall_filter(client: TestClient, ctx: AppContext) -> None:
    _device_id, headers = enrol(client, ctx)
    ctx.settings.webhook_max_attempts = 2
    with receiver(failures=100) as rx:
        _hook(ctx, f"{rx.base}/all")
        _hook(ctx, f"{rx.base}/calls-only", kinds=["call.opened"])
        client.post("/api/v1/events", json={"events": [fault("fault_raised")]}, headers=headers)
        now = utcnow()
        sender.run_once(ctx, now=now)
        sender.run_once(ctx, now=now + timedelta(hours=2))
        [delivery] = _deliveries(ctx)  # the calls-only hook got nothing
        assert delivery.state == "dead" and delivery.attempts == 2
        assert sender.run_once(ctx, now=now + timedelta(days=1))["attempted"] == 0


def test_flapping_fault_stays_quiet_and_an_unreachable_receiver_is_logged(client: TestClient, ctx: AppContext) -> None:
    _device_id, headers = enrol(client, ctx)
    with receiver() as rx:
        _hook(ctx, f"{rx.base}/g")
        for minute, kind in enumerate(["fault_raised", "fault_cleared", "fault_raised", "fault_cleared",
                                       "fault_raised"]):
            client.post("/api/v1/events", json={"events": [fault(kind, minute=minute)]}, headers=headers)
        now = utcnow()
        sender.run_once(ctx, now=now + timedelta(hours=1))
        kinds = [r.json()["kind"] for r in rx.accepted()]
        assert kinds == ["fault.opened"]  # two clears and re-opens within the flap window: withdrawn
        client.post("/api/v1/events", json={"events": [fault("fault_cleared", minute=9)]}, headers=headers)
        assert sender.run_once(ctx, now=utcnow())["fanned"] == 0  # held for the flap window
        sender.run_once(ctx, now=utcnow() + timedelta(seconds=ctx.settings.flap_window_s + 1))
        assert [r.json()["kind"] for r in rx.accepted()] == ["fault.opened", "fault.resolved"]
        base = rx.base
    _hook(ctx, f"{base}/gone")  # the receiver has stopped: connection refused
    client.post("/api/v1/events", json={"events": [fault("fault_raised", peripheral="idcard",
                                                         reason="reader_lost")]}, headers=headers)
    sender.run_once(ctx, now=utcnow())
    with ctx.reading() as session:
        errors = [a.error for a in session.scalars(select(WebhookAttempt)) if a.status is None]
        assert errors and "ConnectError" in errors[0]
        assert session.scalar(select(NotifyOutbox).where(NotifyOutbox.state == "cancelled")) is not None


def test_call_staff_is_announced(client: TestClient, ctx: AppContext) -> None:
    _device_id, headers = enrol(client, ctx)
    with receiver() as rx:
        _hook(ctx, f"{rx.base}/w", fmt="wecom", kinds=["call.opened"])
        client.post("/api/v1/events", json={"events": [event("call_staff", {"reason": "help"})]}, headers=headers)
        assert sender.run_once(ctx)["delivered"] == 1
        content = rx.accepted()[0].json()["markdown"]["content"]
        assert "群众呼叫工作人员" in content and "需要帮助" in content


def test_dingtalk_sign_matches_the_documented_example() -> None:
    # The algorithm from DingTalk's documentation: Base64(HMAC-SHA256(secret, f"{ts}\n{secret}")).
    sign = formats.dingtalk_sign("SEC000", 1700000000000)
    expected = base64.b64encode(hmac.new(b"SEC000", b"1700000000000\nSEC000", hashlib.sha256).digest()).decode()
    assert sign == expected
    assert formats.dingtalk_signed_url("https://x/robot/send?access_token=a", "SEC000", 1).startswith(
        "https://x/robot/send?access_token=a&timestamp=1&sign=")


def test_the_running_server_delivers_in_the_background(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``kiosk-server run`` starts the sender in its lifespan: a fault sent to the API reaches the
    receiver, after the receiver's first refusals, with no test code driving the rounds."""
    import time

    import httpx

    from server.db import make_engine
    from server.migrate import upgrade
    from tests.server.conftest import make_settings
    from tests.server.live import serve

    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    ctx = AppContext.build(make_settings(url))
    with ctx.transaction() as session:
        code = enrolment_code(session)
    with receiver(failures=2) as rx:
        _hook(ctx, f"{rx.base}/live", fmt="wecom")
        ctx.engine.dispose()
        with serve(url, notify_every_s="0.2", webhook_retry_base_s="0.2") as base:
            answer = httpx.post(f"{base}/api/v1/devices/enrol", json={"code": code}).json()
            headers = {"Authorization": f"Bearer {answer['token']}"}
            assert httpx.post(f"{base}/api/v1/events", json={"events": [fault("fault_raised")]},
                              headers=headers).status_code == 200
            deadline = time.monotonic() + 60  # a generous bound, not a performance assertion
            while not rx.accepted() and time.monotonic() < deadline:
                time.sleep(0.1)
        assert len(rx.accepted()) == 1 and len(rx.received) == 3
        assert "设备故障" in rx.accepted()[0].json()["markdown"]["content"]


def enrolment_code(session) -> str:  # type: ignore[no-untyped-def]
    from server.services import enrolment

    return enrolment.issue_code(session, actor="test", ttl_hours=1).code
