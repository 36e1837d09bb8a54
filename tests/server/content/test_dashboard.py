"""Dashboard content pages through HTTP: catalog list/edit/publish, cases with step advance,
received applications with their PDFs, and who may do what."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from server.content import generator
from server.context import AppContext
from tests.server.content.builders import DECLARABLE, PDF, application, seed, terminal
from tests.server.helpers import add_user, csrf_of, login

CASE_NO = generator.DEMO_CASES[0][0]


@pytest.fixture
def supervisor(client: TestClient, ctx: AppContext) -> TestClient:
    seed(ctx)
    add_user(ctx, "sup", "supervisor")
    add_user(ctx, "tech", "technician")
    assert login(client, "sup").status_code == 303
    return client


def _edit_form(client: TestClient, code: str) -> dict[str, object]:
    page = client.get(f"/content/catalog/{code}")
    assert page.status_code == 200
    html = page.text
    def value(name: str) -> str:
        return html.split(f'name="{name}"')[1].split('value="')[1].split('"')[0]
    def area(name: str) -> str:
        return html.split(f'<textarea name="{name}"')[1].split(">", 1)[1].split("</textarea>")[0]
    return {"csrf": csrf_of(html), "impl_code": value("impl_code"), "name": value("name"), "name_en": value("name_en"),
            "department": "rsj", "themes": ["social_security", "employment"],
            "functions": ["guide", "progress", "print", "declare"], "fee": "不收费", "legal_days": "20",
            "promised_days": "5", "online_url": value("online_url"), "conditions": area("conditions"),
            "materials": area("materials"), "locations": area("locations"), "form": area("form")}


def test_edit_then_publish_reaches_terminals(supervisor: TestClient, ctx: AppContext) -> None:
    client = supervisor
    listing = client.get("/content/catalog?q=SHBZ")
    assert "社会保障卡申领" in listing.text and "个人参保证明打印" not in listing.text
    form = _edit_form(client, DECLARABLE)
    form["promised_days"] = "3"
    saved = client.post(f"/content/catalog/{DECLARABLE}", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert "有未发布修改" in client.get("/content/catalog").text
    auth = terminal(client, ctx)
    item = lambda: next(i for i in client.get("/api/v1/catalog", headers=auth).json()["items"]  # noqa: E731
                        if i["basic_code"] == DECLARABLE)
    assert item()["promised_days"] == 5
    csrf = csrf_of(client.get("/content/catalog").text)
    assert client.post("/content/catalog/publish", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert item()["promised_days"] == 3 and item()["form"][0]["options"] == ["首次申领", "损坏换领", "遗失补领"]
    broken = {**form, "form": "remark | 备注 | Remark | text | | | | 是"}
    refused = client.post(f"/content/catalog/{DECLARABLE}", data=broken)
    assert refused.status_code == 422 and "form[0].kind" in refused.text
    assert "remark | 备注 | Remark | text" in refused.text and "居民身份证" in refused.text  # nothing typed is lost


def test_new_item(supervisor: TestClient) -> None:
    client = supervisor
    csrf = csrf_of(client.get("/content/catalog/new").text)
    data = {"csrf": csrf, "basic_code": "000909001", "impl_code": "37010201000909001", "name": "老年优待证办理",
            "department": "mzj", "themes": ["elderly"], "functions": ["guide"], "legal_days": "10",
            "promised_days": "5", "materials": "id_card | 居民身份证 | 1 | 是 | 否"}
    assert client.post("/content/catalog/new", data=data, follow_redirects=False).status_code == 303
    page = client.get("/content/catalog/000909001")
    assert "新事项（未发布）" in page.text
    again = client.post("/content/catalog/new", data=data)
    assert again.status_code == 422 and "已存在" in again.text


def test_cases_and_advance(supervisor: TestClient) -> None:
    client = supervisor
    listing = client.get("/content/cases?status=reviewed")
    assert listing.status_code == 200 and CASE_NO in listing.text
    page = client.get(f"/content/cases/{CASE_NO}")
    assert "李**" in page.text and "推进到「出证」" in page.text
    moved = client.post(f"/content/cases/{CASE_NO}/advance", data={"csrf": csrf_of(page.text), "note": "证件已制作"},
                        follow_redirects=False)
    assert moved.status_code == 303
    assert "证件已制作" in client.get(f"/content/cases/{CASE_NO}").text
    assert client.get("/content/cases/NOPE").status_code == 404


def test_applications_page_and_pdf(supervisor: TestClient, ctx: AppContext) -> None:
    client = supervisor
    auth = terminal(client, ctx)
    receipt = client.post("/api/v1/applications", files=application(), headers=auth).json()
    page = client.get("/content/applications")
    assert receipt["case_no"] in page.text and "赵**" in page.text
    link = page.text.split('href="/content/applications/')[1].split('"')[0]
    pdf = client.get("/content/applications/" + link)
    assert pdf.status_code == 200 and pdf.content == PDF and pdf.headers["content-type"] == "application/pdf"
    client.post("/logout", data={"csrf": csrf_of(page.text)})
    assert login(client, "tech").status_code == 303
    assert client.get("/content/applications").status_code == 403
    assert client.get("/content/applications/" + link).status_code == 403
    assert client.get("/content/catalog").status_code == 200  # everyone may look at the catalog
    csrf = csrf_of(client.get("/content/catalog").text)
    assert client.post("/content/catalog/publish", data={"csrf": csrf}).status_code == 403
