"""GET /api/v1/staff, /staff/{no}/photo and /rating-reasons against a real app on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import io

from fastapi.testclient import TestClient
from PIL import Image

from server import wire
from server.context import AppContext
from server.models import Site
from server.services.enrolment import ensure_default_site
from server.staff import credentials, editing, reasons
from server.staff.seed import seed_staff
from tests.server.helpers import enrol


def _seed(ctx: AppContext) -> None:
    with ctx.transaction() as session:
        seed_staff(session, ensure_default_site(session))


def test_evaluator_gets_its_sites_staff_with_hashes_and_etag(client: TestClient, ctx: AppContext) -> None:
    _seed(ctx)
    _id, headers = enrol(client, ctx, "evaluator", window="12")
    answer = client.get("/api/v1/staff", headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    wire.validate("staff.response", body)
    by_no = {m["staff_no"]: m for m in body["staff"]}
    assert set(by_no) == {"10123", "10456", "10789"}
    li = by_no["10123"]
    assert li["name"] == "李明（示例）" and li["department"].startswith("政务服务中心")
    assert credentials.check_pin("123456", li["pin_hash"]) and not credentials.check_pin("123457", li["pin_hash"])
    assert li["card_uid_hash"] == hashlib.sha256(b"04A1B2C3").hexdigest()
    assert by_no["10789"]["card_uid_hash"] == ""
    assert li["photo_url"] == "/api/v1/staff/10123/photo" and li["photo_etag"]
    etag = answer.headers["ETag"]
    assert client.get("/api/v1/staff", headers={**headers, "If-None-Match": etag}).status_code == 304

    photo = client.get(li["photo_url"], headers=headers)
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["ETag"] == li["photo_etag"]
    assert Image.open(io.BytesIO(photo.content)).size == (360, 480)
    again = client.get(li["photo_url"], headers={**headers, "If-None-Match": li["photo_etag"]})
    assert again.status_code == 304

    with ctx.transaction() as session:  # a change moves the version and the ETag
        editing.set_active(session, "test", "10456", False)
    changed = client.get("/api/v1/staff", headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["version"] > body["version"]
    assert [m["staff_no"] for m in changed.json()["staff"]] == ["10123", "10789"]
    assert client.get("/api/v1/staff/10456/photo", headers=headers).status_code == 404  # deactivated


def test_staff_only_for_evaluators_and_only_their_site(client: TestClient, ctx: AppContext) -> None:
    _seed(ctx)
    _tid, terminal = enrol(client, ctx, "terminal")
    assert client.get("/api/v1/staff", headers=terminal).status_code == 403
    assert client.get("/api/v1/staff/10123/photo", headers=terminal).status_code == 403
    assert client.get("/api/v1/staff").status_code == 401
    with ctx.transaction() as session:
        session.add(Site(slug="other", name="另一个大厅", region_code="110105"))
    _eid, other = enrol(client, ctx, "evaluator", site_slug="other", window="3")
    answer = client.get("/api/v1/staff", headers=other)
    assert answer.status_code == 200 and answer.json()["staff"] == []
    assert client.get("/api/v1/staff/10123/photo", headers=other).status_code == 404


def test_rating_reasons_default_then_published_version(client: TestClient, ctx: AppContext) -> None:
    _id, headers = enrol(client, ctx, "terminal")
    first = client.get("/api/v1/rating-reasons", headers=headers)
    assert first.status_code == 200
    wire.validate("rating_reasons", first.json())
    assert first.json()["version"] == 1
    assert client.get("/api/v1/rating-reasons",
                      headers={**headers, "If-None-Match": first.headers["ETag"]}).status_code == 304
    with ctx.transaction() as session:
        reasons.publish(session, reasons.parse_lines("queue | 排队太久 | Queue too long\nother | 其他 | Other"),
                        "测试", "test")
    second = client.get("/api/v1/rating-reasons", headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.json() == {"version": 2, "name": "测试", "reasons": [
        {"code": "queue", "zh_CN": "排队太久", "en": "Queue too long"},
        {"code": "other", "zh_CN": "其他", "en": "Other", "free_text": True}]}
