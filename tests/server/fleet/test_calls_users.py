"""Calls for staff through the device API and the dashboard; the admin-only users and webhooks pages."""
from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from server import security
from server.context import AppContext
from server.models import AuditEntry, NotifyOutbox, StaffCall, User, Webhook
from tests.server.helpers import add_user, csrf_of, enrol, event, login


def _calls(ctx: AppContext) -> list[StaffCall]:
    with ctx.reading() as session:
        return list(session.scalars(select(StaffCall).order_by(StaffCall.id)))


def test_call_staff_opens_one_call_shown_on_top_and_handled_like_a_fault(client: TestClient, ctx: AppContext) -> None:
    device_id, headers = enrol(client, ctx, location="二楼 B 区")
    press = event("call_staff", {"reason": "help"})
    batch = {"events": [press, event("call_staff", {"reason": "help"})]}  # pressed twice: one call
    assert client.post("/api/v1/events", json=batch, headers=headers).status_code == 200
    assert client.post("/api/v1/events", json={"events": [press]}, headers=headers).json()["duplicates"] == [press["id"]]
    [call] = _calls(ctx)
    assert (call.state, call.reason, call.device_id) == ("open", "help", device_id)

    add_user(ctx, "tech", "technician")
    login(client, "tech")
    fleet = client.get("/fleet").text
    assert fleet.index('id="staff-calls"') < fleet.index('class="hall"') and "二楼 B 区" in fleet
    faults = client.get("/faults")
    assert 'id="call-%d"' % call.id in faults.text
    token = csrf_of(faults.text)
    assert client.post(f"/calls/{call.id}/ack", data={"csrf": "wrong"}).status_code == 403
    answer = client.post(f"/calls/{call.id}/ack", data={"csrf": token}, headers={"referer": "http://x/fleet"},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/fleet"
    assert client.post(f"/calls/{call.id}/resolve", data={"csrf": token}).status_code == 200
    [call] = _calls(ctx)
    assert (call.state, call.acknowledged_by, call.resolved_by) == ("resolved", "tech", "tech")
    assert 'id="staff-calls"' not in client.get("/faults").text
    with ctx.reading() as session:
        kinds = [r.kind for r in session.scalars(select(NotifyOutbox).order_by(NotifyOutbox.id))]
        actions = set(session.scalars(select(AuditEntry.action)))
    assert kinds == ["call.opened", "call.acknowledged", "call.resolved"]
    assert {"call.acknowledge", "call.resolve"} <= actions

    client.post("/api/v1/events", json={"events": [event("call_staff", {"reason": "help"})]}, headers=headers)
    assert len(_calls(ctx)) == 2  # a new press after the last call was resolved is a new call


def test_viewers_see_calls_but_cannot_handle_them(client: TestClient, ctx: AppContext) -> None:
    _device_id, headers = enrol(client, ctx)
    client.post("/api/v1/events", json={"events": [event("call_staff", {"reason": "help"})]}, headers=headers)
    add_user(ctx, "eve", "viewer")
    login(client, "eve")
    page = client.get("/faults").text
    assert 'id="staff-calls"' in page and "/ack" not in page.split('id="staff-calls"')[1].split("</section>")[0]
    assert client.post(f"/calls/{_calls(ctx)[0].id}/ack", data={"csrf": csrf_of(page)}).status_code == 403


def test_users_page_is_admin_only_and_every_change_is_audited(client: TestClient, ctx: AppContext) -> None:
    add_user(ctx, "tech", "technician")
    login(client, "tech")
    assert client.get("/users").status_code == 403
    assert client.get("/webhooks").status_code == 403
    assert "/users" not in client.get("/fleet").text

    add_user(ctx, "root", "admin")
    login(client, "root")
    page = client.get("/users")
    assert page.status_code == 200 and 'id="user-tech"' in page.text
    token = csrf_of(page.text)
    form = {"csrf": token, "username": "li.si", "password": "long-enough-1", "role": "supervisor",
            "display_name": "李四"}
    assert "已创建用户 li.si" in client.post("/users", data=form).text
    assert "已存在" in client.post("/users", data=form).text
    assert "未创建" in client.post("/users", data={**form, "username": "wang", "password": "short"}).text
    assert "用户名只能" in client.post("/users", data={**form, "username": "bad name"}).text

    with ctx.reading() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    li, root = users["li.si"], users["root"]
    assert li.role == "supervisor" and li.display_name == "李四"
    client.post(f"/users/{li.id}/role", data={"csrf": token, "role": "technician"})
    client.post(f"/users/{li.id}/password", data={"csrf": token, "password": "another-password"})
    client.post(f"/users/{li.id}/deactivate", data={"csrf": token})
    assert "不能降低自己" in client.post(f"/users/{root.id}/role", data={"csrf": token, "role": "viewer"}).text
    assert "不能停用自己" in client.post(f"/users/{root.id}/deactivate", data={"csrf": token}).text
    assert client.post(f"/users/{li.id}/role", data={"csrf": "x", "role": "admin"}).status_code == 403
    with ctx.reading() as session:
        li = session.get(User, li.id)
        assert li is not None and li.role == "technician" and not li.active
        assert security.verify_password(li.password_hash, "another-password")
        actions = [a for a, t in session.execute(select(AuditEntry.action, AuditEntry.target)) if t == "li.si"]
    assert actions == ["user.create", "user.role", "user.reset_password", "user.deactivate"]
    assert login(client, "li.si", "another-password").status_code == 401  # deactivated


def test_webhook_form_validates_and_stores_without_logging_secrets(client: TestClient, ctx: AppContext) -> None:
    add_user(ctx, "root", "admin")
    login(client, "root")
    token = csrf_of(client.get("/webhooks").text)
    bad = client.post("/webhooks", data={"csrf": token, "name": "x", "url": "ftp://host/x", "format": "generic"})
    assert "未保存" in bad.text
    good = client.post("/webhooks", data={"csrf": token, "name": "钉钉值班群", "format": "dingtalk",
                                          "url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
                                          "secret": "SECxyz", "kinds": ["fault.opened", "call.opened"]})
    assert "已添加通知地址" in good.text and "钉钉自定义机器人（签名）" in good.text
    with ctx.reading() as session:
        hook = session.scalar(select(Webhook))
        assert hook is not None and hook.kinds == ["call.opened", "fault.opened"] and hook.site_id is None
        audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "webhook.create"))
        assert audit is not None and "SECxyz" not in str(audit.detail) and "abc" not in str(audit.detail)
    assert "access_token=abc" not in good.text  # the robot key is not shown back either
    client.post(f"/webhooks/{hook.id}/disable", data={"csrf": token})
    with ctx.reading() as session:
        assert session.get(Webhook, hook.id).active is False  # type: ignore[union-attr]


def test_a_call_with_a_malformed_reason_refuses_the_batch(client: TestClient, ctx: AppContext) -> None:
    """``call_staff`` is a known type: its payload is checked like the others (events.schema.json)."""
    _device, headers = enrol(client, ctx)
    answer = client.post("/api/v1/events", json={"events": [event("call_staff", {"reason": "<script>"})]},
                         headers=headers)
    assert answer.status_code == 422 and "reason" in answer.text
