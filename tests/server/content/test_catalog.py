"""The catalog store: drafts stay invisible until published; each publish is a new version and ETag;
pinyin initials; withdrawal; the item rules (code lengths, form kinds)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient

from server.content import catalog, demo_catalog
from server.content.pinyin import initials
from server.context import AppContext
from server.models import CatalogVersion
from server.services import content
from tests.server.content.builders import DECLARABLE, seed, terminal

pytestmark = pytest.mark.usefixtures("ctx")


def _edit(ctx: AppContext, code: str, **changes: object) -> None:
    with ctx.transaction() as session:
        row = session.get(catalog.CatalogItem, code)
        catalog.save_draft(session, code, {**catalog.working_copy(row), **changes}, "test")


def test_draft_is_invisible_until_publish(client: TestClient, ctx: AppContext) -> None:
    seed(ctx)
    auth = terminal(client, ctx)
    before = client.get("/api/v1/catalog", headers=auth)
    _edit(ctx, DECLARABLE, name="社会保障卡申领（第三代）", promised_days=3)
    with ctx.reading() as session:
        assert catalog.pending(session) == 1
    same = client.get("/api/v1/catalog", headers={**auth, "If-None-Match": before.headers["etag"]})
    assert same.status_code == 304
    with ctx.transaction() as session:
        version = catalog.publish(session, "test")
        assert catalog.pending(session) == 0
    after = client.get("/api/v1/catalog", headers={**auth, "If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    item = next(i for i in after.json()["items"] if i["basic_code"] == DECLARABLE)
    assert (item["name"], item["promised_days"], item["pinyin"]) == ("社会保障卡申领（第三代）", 3, "SHBZKSLDSD")
    assert after.json()["version"] == version.version != before.json()["version"]


def test_versions_are_numbered_per_day(ctx: AppContext) -> None:
    seed(ctx)
    # a day the seed (published at the real now) can never fall on: on 2026-11-23 after 16:00 UTC the
    # seed's own version was 2026.11.24-1, so a test day of 2026-11-24 counted from 2
    at = datetime(2020, 1, 2, 1, 0, tzinfo=timezone.utc)  # 09:00 in Beijing
    with ctx.transaction() as session:
        first = catalog.publish(session, "test", now=at)
        second = catalog.publish(session, "test", now=at)
        assert (first.version, second.version) == ("2020.01.02-1", "2020.01.02-2")
        body, etag = content.catalog(session)
        assert body["version"] == "2020.01.02-2" and etag == second.etag
        assert session.query(CatalogVersion).count() == 3  # the seed published one too


def test_withdraw_and_discard(ctx: AppContext) -> None:
    seed(ctx)
    with ctx.transaction() as session:
        catalog.withdraw(session, "000107001", "test")
        catalog.publish(session, "test")
        codes = {i["basic_code"] for i in content.catalog(session)[0]["items"]}
        assert "000107001" not in codes and DECLARABLE in codes
    _edit(ctx, DECLARABLE, fee="10元")
    with ctx.transaction() as session:
        catalog.discard_draft(session, DECLARABLE, "test")
        assert catalog.pending(session) == 0
    _edit(ctx, DECLARABLE)  # saving the live item unchanged makes no draft
    with ctx.reading() as session:
        assert catalog.pending(session) == 0


def test_empty_catalog_before_first_publish(client: TestClient, ctx: AppContext) -> None:
    auth = terminal(client, ctx)
    body = client.get("/api/v1/catalog", headers=auth).json()
    assert body == content.EMPTY_CATALOG


@pytest.mark.parametrize(("change", "problem"), [
    ({"impl_code": "3" * 25}, "impl_code"),
    ({"functions": ["guide", "pay"]}, "functions"),
    ({"department": "nope"}, "department"),
    ({"promised_days": 30}, "promised_days"),
    ({"form": [{"key": "remark", "label": "备注", "kind": "text"}]}, "form[0].kind"),
    ({"form": [{"key": "r", "label": "原因", "kind": "choice", "options": []}]}, "form[0].options"),
    ({"materials": [{"code": "a", "name": "甲", "copies": 1}, {"code": "a", "name": "乙", "copies": 1}]}, "materials"),
])
def test_item_rules(ctx: AppContext, change: dict, problem: str) -> None:
    seed(ctx)
    item = {**demo_catalog.item_body(demo_catalog.ITEMS[0]), **change}
    with ctx.transaction() as session, pytest.raises(catalog.ItemError) as caught:
        catalog.save_draft(session, DECLARABLE, item, "test")
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
    with ctx.transaction() as session, pytest.raises(catalog.ItemError):
        catalog.save_draft(session, "12345678901", demo_catalog.item_body(demo_catalog.ITEMS[0]), "test")


def test_pinyin_initials() -> None:
    assert initials("社会保障卡申领") == "SHBZKSL"
    assert initials("住房公积金提取（租房）") == "ZFGJJTQZF"
    assert initials("银行卡重新申领") == "YHKCXSL"  # polyphones read in context
