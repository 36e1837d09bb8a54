"""The staff and reasons pages: roles, CSRF, every edit audited, photo upload, bad input kept."""
from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from server.context import AppContext
from server.models import AuditEntry, Staff
from server.services.enrolment import ensure_default_site
from server.staff import credentials
from tests.server.helpers import add_user, csrf_of, login


def _signed_in(client: TestClient, ctx: AppContext, role: str) -> str:
    add_user(ctx, role, role)
    assert login(client, role).status_code == 303
    return csrf_of(client.get("/fleet").text)


def test_supervisor_adds_and_edits_a_staff_member(client: TestClient, ctx: AppContext) -> None:
    with ctx.transaction() as session:
        site_id = ensure_default_site(session).id
    csrf = _signed_in(client, ctx, "supervisor")
    page = client.get("/staff")
    assert page.status_code == 200 and "窗口工作人员" in page.text
    added = client.post("/staff", data={"staff_no": "20001", "name": "测试员（示例）", "title": "综合窗口",
                                        "site": str(site_id), "csrf": csrf}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/staff/20001"
    assert "已存在" in client.post("/staff", data={"staff_no": "20001", "name": "x", "csrf": csrf}).text

    assert "PIN 已设置" in client.post("/staff/20001/pin", data={"pin": "135790", "csrf": csrf}).text
    assert "6-8 位数字" in client.post("/staff/20001/pin", data={"pin": "12", "csrf": csrf}).text
    assert "工作证已登记" in client.post("/staff/20001/card", data={"card_uid": "04 99 88 77", "csrf": csrf}).text
    picture = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 200)).save(picture, "PNG")
    uploaded = client.post("/staff/20001/photo", data={"csrf": csrf},
                           files={"photo": ("me.png", picture.getvalue(), "image/png")})
    assert "照片已更新" in uploaded.text
    assert "无法识别" in client.post("/staff/20001/photo", data={"csrf": csrf},
                                   files={"photo": ("x.jpg", b"garbage", "image/jpeg")}).text
    assert client.get("/staff/20001/photo.jpg").headers["content-type"] == "image/jpeg"
    assert "已停用" in client.post("/staff/20001/deactivate", data={"csrf": csrf}).text

    with ctx.reading() as session:
        row = session.get(Staff, "20001")
        assert row is not None and not row.active and row.site_id == site_id
        assert credentials.check_pin("135790", row.pin_hash)
        assert row.card_uid_hash == credentials.hash_card_uid("04998877")
        actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.target == "20001")))
        details = [str(d) for d in session.scalars(select(AuditEntry.detail).where(AuditEntry.target == "20001"))]
    assert {"staff.create", "staff.set_pin", "staff.set_card", "staff.set_photo", "staff.deactivate"} <= set(actions)
    assert not any("测试员" in d or "135790" in d for d in details)  # no names or PINs in the audit log


def test_roles_and_csrf(client: TestClient, ctx: AppContext) -> None:
    _signed_in(client, ctx, "technician")
    assert client.get("/staff").status_code == 403
    assert client.get("/reasons").status_code == 403
    client.cookies.clear()
    csrf = _signed_in(client, ctx, "admin")
    assert client.post("/staff", data={"staff_no": "1", "name": "x", "csrf": "wrong"}).status_code == 403
    assert client.post("/reasons", data={"lines": "other | 其他 | Other", "csrf": "bad"}).status_code == 403
    assert client.post("/staff/1/deactivate", data={"csrf": csrf[:-1]}).status_code == 403
    assert "第 1 版" in client.get("/reasons").text  # nothing was published


def test_reasons_publish_and_a_bad_edit_keeps_the_text(client: TestClient, ctx: AppContext) -> None:
    csrf = _signed_in(client, ctx, "admin")
    assert "第 1 版" in client.get("/reasons").text
    bad = client.post("/reasons", data={"lines": "queue | 排队太久 | Queue too long", "csrf": csrf})
    assert bad.status_code == 400 and "其他" in bad.text and "排队太久" in bad.text  # the edit is shown again
    good = client.post("/reasons", data={"lines": "queue | 排队太久 | Queue too long\nother | 其他 | Other",
                                         "name": "二版", "csrf": csrf})
    assert "已发布第 2 版" in good.text and "排队太久" in good.text
