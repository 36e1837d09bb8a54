"""Builders for the content tests: a seeded database, terminal/evaluator tokens, multipart applications."""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from server.content import generator
from server.context import AppContext
from tests.server.helpers import enrol

TODAY = date(2026, 11, 23)
DEMO_ID = generator.DEMO_PERSON.id_number
OTHER_ID = "11010519491231002X"  # fictitious, valid check character, not in the demo data
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DECLARABLE = "000201001"  # 社会保障卡申领: form reason/start_date/phone, scanned id_card
NOT_DECLARABLE = "000201002"  # 个人参保证明打印: guide + print only


def seed(ctx: AppContext, **kwargs: Any) -> generator.Summary:
    with ctx.transaction() as session:
        return generator.seed(session, ctx.settings.secret_key, today=TODAY, **kwargs)


def terminal(client: TestClient, ctx: AppContext) -> dict[str, str]:
    return enrol(client, ctx, "terminal")[1]


def evaluator(client: TestClient, ctx: AppContext) -> dict[str, str]:
    return enrol(client, ctx, "evaluator")[1]


def good_form() -> dict[str, str]:
    return {"reason": "首次申领", "start_date": "2026-11-23", "phone": "13800000000"}


def application(basic_code: str = DECLARABLE, id_number: str = OTHER_ID, name: str = "赵测试",
                form: dict[str, Any] | None = None, materials: dict[str, bytes] | None = None) -> list[Any]:
    """The multipart ``files`` list of a POST /applications."""
    meta = {"basic_code": basic_code, "id_number": id_number, "name": name,
            "form": good_form() if form is None else form}
    parts: list[Any] = [("application", (None, json.dumps(meta, ensure_ascii=False), "application/json"))]
    for code, pdf in ({"id_card": PDF} if materials is None else materials).items():
        parts.append((f"material.{code}", (f"{code}.pdf", pdf, "application/pdf")))
    return parts
