"""Dashboard: sign-in with CSRF and rate limiting, roles, pages, fault and enrol-code forms, metrics."""
from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from server.context import AppContext
from server.demo import seed
from server.models import AuditEntry, Fault
from tests.server.helpers import add_user, csrf_of, enrol, fault, login


def test_pages_need_a_login(client: TestClient) -> None:
    for path in ("/fleet", "/faults", "/devices/x", "/enrol-codes", "/"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_login_requires_csrf_and_the_right_password(client: TestClient, ctx: AppContext) -> None:
    add_user(ctx, "tech", "technician")
    assert client.post("/login", data={"username": "tech", "password": "correct-horse", "csrf": "forged"}).status_code == 403
    assert login(client, "tech", "wrong-password").status_code == 401
    answer = login(client, "tech")
    assert answer.status_code == 303 and answer.headers["location"] == "/fleet"
    assert client.get("/fleet").status_code == 200


def test_login_is_rate_limited(client: TestClient, ctx: AppContext) -> None:
    add_user(ctx, "tech", "technician")
    for _ in range(ctx.settings.login_max_failures):
        assert login(client, "tech", "wrong-password").status_code == 401
    blocked = login(client, "tech")  # even the right password waits now
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1


def test_fleet_page_groups_devices_by_hall_with_status(client: TestClient, ctx: AppContext) -> None:
    with ctx.transaction() as session:
        seed(session, devices_per_hall=4)
    add_user(ctx, "viewer", "viewer")
    login(client, "viewer")
    html = client.get("/fleet").text
    assert "演示区政务服务中心（示例数据）" in html and "演示街道便民服务中心（示例数据）" in html
    for status in ("ok", "fault", "offline"):
        assert f'data-status="{status}"' in html
    device = client.get("/devices/SAMPLE-T-002").text
    assert "缺纸" in device and "printer" in device


def test_viewer_cannot_change_anything(client: TestClient, ctx: AppContext) -> None:
    add_user(ctx, "viewer", "viewer")
    login(client, "viewer")
    token = csrf_of(client.get("/faults").text)
    assert client.get("/enrol-codes").status_code == 403
    assert client.post("/faults/1/ack", data={"csrf": token}).status_code == 403


def test_fault_queue_acknowledge_and_resolve(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    client.post("/api/v1/events", json={"events": [fault("fault_raised")]}, headers=auth)
    add_user(ctx, "tech", "technician")
    login(client, "tech")
    page = client.get("/faults").text
    assert "缺纸" in page
    with ctx.transaction() as session:
        fault_id = session.scalar(select(Fault.id))
    token = csrf_of(page)
    assert client.post(f"/faults/{fault_id}/ack", data={"csrf": "bad"}).status_code == 403
    assert client.post(f"/faults/{fault_id}/ack", data={"csrf": token}, follow_redirects=False).status_code == 303
    client.post(f"/faults/{fault_id}/resolve", data={"csrf": token, "note": "已补纸"})
    with ctx.transaction() as session:
        row = session.get(Fault, fault_id)
        assert row is not None and (row.state, row.acknowledged_by, row.resolution_note) == ("resolved", "tech", "已补纸")
    assert "没有待处理的故障" in client.get("/faults").text
    assert "已补纸" in client.get("/faults?show=all").text


def test_enrol_code_page_issues_a_working_code(client: TestClient, ctx: AppContext) -> None:
    add_user(ctx, "admin", "admin")
    login(client, "admin")
    token = csrf_of(client.get("/enrol-codes").text)
    page = client.post("/enrol-codes", data={"csrf": token, "site": "default", "device_type": "evaluator",
                                             "window": "8"}).text
    code = page.split('id="issued-code">')[1].split("<")[0]
    answer = client.post("/api/v1/devices/enrol", json={"code": code})
    assert answer.status_code == 200 and answer.json()["device_id"].startswith("E-")
    assert code not in client.get("/enrol-codes").text  # shown once
    with ctx.transaction() as session:
        actions = {a.action for a in session.scalars(select(AuditEntry))}
    assert {"enrol_code.issue", "device.enrol"} <= actions


def test_queue_a_command_from_the_device_page(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    add_user(ctx, "tech", "technician")
    login(client, "tech")
    token = csrf_of(client.get(f"/devices/{device_id}").text)
    client.post(f"/devices/{device_id}/commands", data={"csrf": token, "kind": "restart_app"})
    assert client.post("/api/v1/heartbeat", json={}, headers=auth).json()["commands"][0]["kind"] == "restart_app"
    assert client.post(f"/devices/{device_id}/commands", data={"csrf": token, "kind": "format_disk"}).status_code == 400


def test_logout(client: TestClient, ctx: AppContext) -> None:
    add_user(ctx, "tech", "technician")
    login(client, "tech")
    client.post("/logout", data={"csrf": csrf_of(client.get("/fleet").text)})
    assert client.get("/fleet", follow_redirects=False).status_code == 303


def test_healthz_and_metrics(client: TestClient, ctx: AppContext) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    _, auth = enrol(client, ctx)
    client.post("/api/v1/heartbeat", json={}, headers=auth)
    client.post("/api/v1/events", json={"events": [fault("fault_raised")]}, headers=auth)
    text = client.get("/metrics").text
    assert "kiosk_events_accepted_total 1" in text
    assert 'kiosk_devices{type="terminal",status="online"} 1' in text
    assert 'kiosk_faults{state="open"} 1' in text


def test_passwords_are_stored_as_argon2id(ctx: AppContext) -> None:
    from server.models import User

    add_user(ctx, "tech", "technician", password="a-long-password")
    with ctx.transaction() as session:
        stored = session.scalar(select(User.password_hash))
    assert stored is not None and stored.startswith("$argon2id$") and "a-long-password" not in stored


def test_big_fleets_show_only_devices_needing_attention(client: TestClient, ctx: AppContext,
                                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from server.dashboard import routes

    with ctx.transaction() as session:
        seed(session, devices_per_hall=4)
    add_user(ctx, "viewer", "viewer")
    login(client, "viewer")
    monkeypatch.setattr(routes, "ALL_TILES_UP_TO", 3)
    overview = client.get("/fleet").text
    assert 'data-status="fault"' in overview and 'data-status="ok"' not in overview
    one_hall = client.get("/fleet?hall=demo").text
    assert 'data-status="ok"' in one_hall and "演示街道便民服务中心" not in one_hall
