"""The content API as a terminal meets it (docs/CONTENT_API.md), on SQLite and PostgreSQL:
every endpoint's answer against its JSON Schema, every refusal key, ETag/304, evaluator 403, 413."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from server import wire
from server.content import generator
from server.context import AppContext
from tests.server.content.builders import (DECLARABLE, DEMO_ID, NOT_DECLARABLE, OTHER_ID, PDF, application, evaluator,
                                           good_form, seed, terminal)

CASE_NO = generator.DEMO_CASES[0][0]


@pytest.fixture
def auth(client: TestClient, ctx: AppContext) -> dict[str, str]:
    seed(ctx)
    return terminal(client, ctx)


def test_catalog_is_published_with_etag_and_304(client: TestClient, auth: dict[str, str]) -> None:
    first = client.get("/api/v1/catalog", headers=auth)
    assert first.status_code == 200
    body = first.json()
    wire.validate("content.catalog.response", body)
    assert body["sample_data"] is True and len(body["items"]) >= 30 and len(body["departments"]) >= 8
    item = next(i for i in body["items"] if i["basic_code"] == DECLARABLE)
    assert item["pinyin"] == "SHBZKSL" and item["functions"] == ["guide", "progress", "print", "declare"]
    assert {f["kind"] for f in item["form"]} == {"choice", "date", "digits"}
    assert all(len(i["basic_code"]) <= 10 and len(i["impl_code"]) <= 24 for i in body["items"])
    again = client.get("/api/v1/catalog", headers={**auth, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]


def test_case_by_number(client: TestClient, auth: dict[str, str]) -> None:
    answer = client.post("/api/v1/cases/query", json={"case_no": CASE_NO}, headers=auth)
    assert answer.status_code == 200, answer.text
    wire.validate("content.case.response", answer.json())
    case = answer.json()["case"]
    assert case["status"] == "reviewed" and case["applicant_masked"] == "李**"
    assert [s["code"] for s in case["steps"]] == ["received", "accepted", "reviewed", "issued", "posted"]
    assert case["steps"][0]["at"].endswith("+08:00") and case["steps"][3]["at"] is None
    assert case["delivery"]["method"] == "post"
    missing = client.post("/api/v1/cases/query", json={"case_no": "RS20990101000001"}, headers=auth)
    assert (missing.status_code, missing.json()) == (404, {"detail": "case_not_found"})
    bad = client.post("/api/v1/cases/query", json={"number": CASE_NO}, headers=auth)
    assert (bad.status_code, bad.json()) == (422, {"detail": "bad_request"})


def test_my_cases_newest_first(client: TestClient, auth: dict[str, str]) -> None:
    answer = client.post("/api/v1/cases/mine", json={"id_number": DEMO_ID.lower()}, headers=auth)
    assert answer.status_code == 200
    wire.validate("content.cases.response", answer.json())
    cases = answer.json()["cases"]
    assert {c["case_no"] for c in cases} == {c[0] for c in generator.DEMO_CASES}
    assert [c["submitted_at"] for c in cases] == sorted((c["submitted_at"] for c in cases), reverse=True)
    assert {c["status"] for c in cases} == {"received", "accepted", "reviewed", "issued", "posted"}
    none = client.post("/api/v1/cases/mine", json={"id_number": OTHER_ID}, headers=auth)
    assert none.json() == {"cases": []}
    bad = client.post("/api/v1/cases/mine", json={"id_number": DEMO_ID[:-1] + "9"}, headers=auth)
    assert (bad.status_code, bad.json()) == (422, {"detail": "bad_id_number"})


def test_certificates_list_and_document(client: TestClient, auth: dict[str, str]) -> None:
    answer = client.post("/api/v1/certificates/mine", json={"id_number": DEMO_ID}, headers=auth)
    wire.validate("content.certificates.response", answer.json())
    found = answer.json()["certificates"]
    assert {c["kind"] for c in found} == {"social_insurance_proof", "housing_fund_proof", "real_estate_query",
                                          "household_proof"}
    for summary in found:
        document = client.post("/api/v1/certificates/document",
                               json={"id_number": DEMO_ID, "certificate_id": summary["id"]}, headers=auth)
        assert document.status_code == 200
        wire.validate("content.certificate.response", document.json())
        body = document.json()
        assert body["holder_name"] == "李**" and body["holder_id"] == "3701**********0035"
        assert "{holder}" in body["body"][0] and any("示例" in n for n in body["notes"])
        assert all(len(row) == len(body["table_header"]) for row in body["table_rows"])
    other = client.post("/api/v1/certificates/document", json={"id_number": OTHER_ID, "certificate_id": found[0]["id"]},
                        headers=auth)
    assert (other.status_code, other.json()) == (404, {"detail": "certificate_not_found"})
    bad = client.post("/api/v1/certificates/mine", json={"id_number": "12345"}, headers=auth)
    assert bad.json() == {"detail": "bad_id_number"}


def test_application_opens_a_case(client: TestClient, auth: dict[str, str]) -> None:
    answer = client.post("/api/v1/applications", files=application(), headers=auth)
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    wire.validate("content.receipt.response", receipt)
    assert receipt["case_no"].startswith("RS") and receipt["promised_days"] == 5
    assert receipt["materials"] == ["居民身份证"] and receipt["query_url"].endswith("/case/" + receipt["case_no"])
    assert (receipt["applicant_masked"], receipt["applicant_id_masked"]) == ("赵**", "1101**********002X")
    case = client.post("/api/v1/cases/query", json={"case_no": receipt["case_no"]}, headers=auth).json()["case"]
    assert case["status"] == "received" and case["channel"] == "terminal" and case["steps"][1]["at"] is None
    mine = client.post("/api/v1/cases/mine", json={"id_number": OTHER_ID}, headers=auth).json()["cases"]
    assert [c["case_no"] for c in mine] == [receipt["case_no"]]
    second = client.post("/api/v1/applications", files=application(), headers=auth).json()
    assert int(second["case_no"][-6:]) == int(receipt["case_no"][-6:]) + 1


@pytest.mark.parametrize(("parts", "status", "reason"), [
    (application(basic_code="999999999"), 404, "item_not_found"),
    (application(basic_code=NOT_DECLARABLE), 422, "item_not_declarable"),
    (application(id_number="110105194912310021"), 422, "bad_id_number"),
    (application(materials={}), 422, "material_missing"),
    (application(materials={"id_card": b"JFIF not a pdf"}), 422, "material_missing"),
    (application(form={**good_form(), "reason": "随便"}), 422, "form_invalid:reason"),
    (application(form={**good_form(), "start_date": "2026-02-30"}), 422, "form_invalid:start_date"),
    (application(form={**good_form(), "phone": "1380000000"}), 422, "form_invalid:phone"),
    (application(form={"reason": "首次申领", "phone": "13800000000"}), 422, "form_invalid:start_date"),
    (application(form={**good_form(), "remark": "1"}), 422, "form_invalid:remark"),
    (application(materials={"id_card": PDF, "passport": PDF}), 422, "bad_request"),
    ([("application", (None, "{not json", "application/json"))], 422, "bad_request"),
], ids=["unknown-item", "not-declarable", "bad-id", "no-scan", "not-pdf", "bad-choice", "bad-date", "short-digits",
        "missing-field", "unknown-field", "unknown-material", "bad-json"])
def test_application_refusals(client: TestClient, auth: dict[str, str], parts: list, status: int, reason: str) -> None:
    answer = client.post("/api/v1/applications", files=parts, headers=auth)
    assert (answer.status_code, answer.json()["detail"]) == (status, reason)
    wire.validate("content.error.response", answer.json())
    assert client.post("/api/v1/cases/mine", json={"id_number": OTHER_ID}, headers=auth).json() == {"cases": []}


def test_oversize_application_is_413(client: TestClient, ctx: AppContext, auth: dict[str, str]) -> None:
    big = b"%PDF-1.4\n" + b"0" * (ctx.settings.max_application_bytes + 1)
    answer = client.post("/api/v1/applications", files=application(materials={"id_card": big}), headers=auth)
    assert (answer.status_code, answer.json()) == (413, {"detail": "too_large"})

    def chunks():  # no Content-Length: the limit is enforced while the body streams in
        yield b"--x\r\nContent-Disposition: form-data; name=\"material.id_card\"; filename=\"a.pdf\"\r\n\r\n"
        for _ in range(ctx.settings.max_application_bytes // 65536 + 2):
            yield b"0" * 65536

    streamed = client.post("/api/v1/applications", content=chunks(),
                           headers={**auth, "Content-Type": "multipart/form-data; boundary=x"})
    assert (streamed.status_code, streamed.json()) == (413, {"detail": "too_large"})


def test_evaluators_are_refused(client: TestClient, ctx: AppContext, auth: dict[str, str]) -> None:
    headers = evaluator(client, ctx)
    calls = [("/api/v1/cases/query", {"case_no": CASE_NO}), ("/api/v1/cases/mine", {"id_number": DEMO_ID}),
             ("/api/v1/certificates/mine", {"id_number": DEMO_ID}),
             ("/api/v1/certificates/document", {"id_number": DEMO_ID, "certificate_id": "c-1"})]
    for path, body in calls:
        answer = client.post(path, json=body, headers=headers)
        assert (answer.status_code, answer.json()) == (403, {"detail": "terminal_only"}), path
    answer = client.post("/api/v1/applications", files=application(), headers=headers)
    assert (answer.status_code, answer.json()) == (403, {"detail": "terminal_only"})
    assert client.post("/api/v1/cases/query", json={"case_no": CASE_NO}).status_code == 401
