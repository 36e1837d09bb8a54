"""Heartbeats, online/offline transitions, the sweeper, and remote commands."""
from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from server import wire
from server.app import sweep_once
from server.context import AppContext
from server.models import Command, Device, Fault, StatusTransition, utcnow
from server.services import commands, status
from tests.server.helpers import enrol, event


def transitions(ctx: AppContext, device_id: str) -> list[tuple[bool, str]]:
    with ctx.transaction() as session:
        rows = session.scalars(select(StatusTransition).where(StatusTransition.device_id == device_id)
                               .order_by(StatusTransition.id))
        return [(t.online, t.reason) for t in rows]


def test_heartbeat_answers_time_and_marks_online_once(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    body = {"app_version": "0.1.0", "outbox_depth": 3,
            "peripherals": {"printer": {"state": "fault", "reason": "paper_out"}, "idcard": {"state": "ok"}}}
    for _ in range(3):
        answer = client.post("/api/v1/heartbeat", json=body, headers=auth)
        assert answer.status_code == 200, answer.text
        wire.validate("heartbeat.response", answer.json())
    assert transitions(ctx, device_id) == [(True, "heartbeat")]
    with ctx.transaction() as session:
        device = session.get(Device, device_id)
        assert device is not None and device.online and device.peripherals["printer"]["reason"] == "paper_out"


def test_heartbeat_refuses_bad_peripheral_state(client: TestClient, ctx: AppContext) -> None:
    _, auth = enrol(client, ctx)
    answer = client.post("/api/v1/heartbeat", json={"peripherals": {"printer": {"state": "burning"}}}, headers=auth)
    assert answer.status_code == 422 and "/peripherals/printer/state" in answer.json()["detail"]


def test_sweeper_marks_silent_devices_offline_and_heartbeat_brings_them_back(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    quiet_id, quiet_auth = enrol(client, ctx)
    client.post("/api/v1/heartbeat", json={}, headers=auth)
    client.post("/api/v1/heartbeat", json={}, headers=quiet_auth)
    with ctx.transaction() as session:  # the quiet device was last seen long ago
        session.get(Device, quiet_id).last_seen_at = utcnow() - timedelta(seconds=ctx.settings.offline_after_s + 1)
    assert sweep_once(ctx) == [quiet_id]
    assert sweep_once(ctx) == []  # nothing more to write: transitions only
    assert transitions(ctx, quiet_id) == [(True, "heartbeat"), (False, "timeout")]
    with ctx.transaction() as session:
        offline = session.scalar(select(Fault).where(Fault.device_id == quiet_id))
        assert offline is not None and (offline.reason, offline.source, offline.state) == ("offline", "server", "open")
    client.post("/api/v1/heartbeat", json={}, headers=quiet_auth)
    assert transitions(ctx, quiet_id)[-1] == (True, "heartbeat")
    with ctx.transaction() as session:
        back = session.scalar(select(Fault).where(Fault.device_id == quiet_id))
        assert back is not None and back.state == "resolved" and back.resolved_by == "server"
    assert transitions(ctx, device_id) == [(True, "heartbeat")]


def test_sweep_is_race_safe_against_a_fresh_heartbeat(ctx: AppContext, client: TestClient) -> None:
    device_id, auth = enrol(client, ctx)
    client.post("/api/v1/heartbeat", json={}, headers=auth)
    with ctx.transaction() as session:
        flipped = status.sweep(session, utcnow() + timedelta(seconds=1), ctx.settings.offline_after_s, 300)
    assert flipped == []


def test_commands_are_repeated_until_acknowledged(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    other_id, other_auth = enrol(client, ctx)
    with ctx.transaction() as session:
        command_id = commands.queue(session, device_id, "reload_config", {}, "user:tech").id
    first = client.post("/api/v1/heartbeat", json={}, headers=auth).json()["commands"]
    second = client.post("/api/v1/heartbeat", json={}, headers=auth).json()["commands"]
    assert first == second == [{"id": command_id, "kind": "reload_config", "args": {}}]
    assert client.post("/api/v1/heartbeat", json={}, headers=other_auth).json()["commands"] == []
    ack = event("command_ack", {"command_id": command_id, "status": "done"})
    client.post("/api/v1/events", json={"events": [ack]}, headers=other_auth)  # not its command: ignored
    with ctx.transaction() as session:
        assert session.get(Command, command_id).state == "delivered"
    client.post("/api/v1/events", json={"events": [{**ack, "id": event()["id"]}]}, headers=auth)
    with ctx.transaction() as session:
        assert session.get(Command, command_id).state == "done"
    assert client.post("/api/v1/heartbeat", json={}, headers=auth).json()["commands"] == []


def test_daily_availability_from_transitions(client: TestClient, ctx: AppContext) -> None:
    from datetime import date, datetime, time

    from server.clock import LOCAL
    from server.services import availability

    device_id, _ = enrol(client, ctx)
    day = date(2026, 11, 20)
    start = datetime.combine(day, time.min, tzinfo=LOCAL)
    with ctx.transaction() as session:
        session.add_all([
            StatusTransition(device_id=device_id, at=start - timedelta(hours=2), online=True, reason="heartbeat"),
            StatusTransition(device_id=device_id, at=start + timedelta(hours=6), online=False, reason="timeout"),
            StatusTransition(device_id=device_id, at=start + timedelta(hours=12), online=True, reason="heartbeat"),
        ])
    with ctx.transaction() as session:
        assert availability.daily(session, device_id, day, utcnow()) == 0.75
        assert availability.daily(session, device_id, day - timedelta(days=1), utcnow()) == 2 / 24
        assert availability.daily(session, device_id, day - timedelta(days=5), utcnow()) == 0.0


def test_heartbeat_without_peripherals_keeps_the_last_known_ones(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    client.post("/api/v1/heartbeat", json={"peripherals": {"printer": {"state": "ok"}}}, headers=auth)
    client.post("/api/v1/heartbeat", json={"app_version": "0.2.0"}, headers=auth)
    with ctx.transaction() as session:
        device = session.get(Device, device_id)
        assert device is not None and device.peripherals == {"printer": {"state": "ok"}}
        assert device.last_heartbeat == {"app_version": "0.2.0"}
