"""The CaseSource seam: the API answers from whichever source ``content_source`` names, and a source
that is not one is refused at once. ``ProvinceStub`` plays a provincial platform integration that
keeps its cases elsewhere (here: a dict), showing that nothing else has to change."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.content.adapter import (CaseSource, CaseView, CertificateDocument, CertificateSummary, Receipt, Refusal,
                                    Step, Submission, open_source, source_class)
from server.content.demo_source import DemoCaseSource
from server.context import AppContext
from tests.server.conftest import make_settings
from tests.server.content.builders import DEMO_ID, application, seed, terminal

AT = datetime(2026, 11, 23, 1, 30, tzinfo=timezone.utc)
SUBMITTED: list[Submission] = []


class ProvinceStub(CaseSource):
    def case_by_number(self, case_no: str) -> CaseView | None:
        if case_no != "SD0001":
            return None
        return CaseView("SD0001", "省平台事项", "000201001", "", "rsj", "人力资源和社会保障局", "王*", AT, "online",
                        "accepted", (Step("received", "收件", AT), Step("accepted", "受理", AT, "省平台")))

    def cases_of(self, id_number: str) -> list[CaseView]:
        return []

    def certificates_of(self, id_number: str) -> list[CertificateSummary]:
        return [CertificateSummary("c-prov", "tax_record", "纳税记录", "省税务局", AT)]

    def certificate_document(self, id_number: str, certificate_id: str) -> CertificateDocument | None:
        return None

    def submit(self, submission: Submission) -> Receipt:
        if submission.form.get("reason") == "遗失补领":
            raise Refusal(422, "form_invalid:reason")
        SUBMITTED.append(submission)
        return Receipt("SD0002", submission.received_at, submission.item["name"], submission.department_name, 5,
                       [m.name for m in submission.materials], "https://province.example/q/SD0002", "赵**",
                       "1101**********002X")


@pytest.fixture
def province(ctx: AppContext, database_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    seed(ctx)  # the catalog still comes from the server's own store
    settings = make_settings(database_url, content_source="tests.server.content.test_adapter:ProvinceStub")
    other = AppContext.build(settings)
    with TestClient(create_app(settings, other)) as client:
        yield client, terminal(client, other)
    other.engine.dispose()


def test_the_configured_source_answers(province: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = province
    case = client.post("/api/v1/cases/query", json={"case_no": "SD0001"}, headers=auth).json()["case"]
    assert case["steps"][1]["note"] == "省平台" and case["steps"][1]["at"] == "2026-11-23T09:30:00+08:00"
    assert client.post("/api/v1/cases/query", json={"case_no": "RS20261120000123"}, headers=auth).status_code == 404
    certs = client.post("/api/v1/certificates/mine", json={"id_number": DEMO_ID}, headers=auth).json()
    assert certs["certificates"][0]["id"] == "c-prov"
    SUBMITTED.clear()
    receipt = client.post("/api/v1/applications", files=application(), headers=auth)
    assert receipt.status_code == 201 and receipt.json()["case_no"] == "SD0002"
    assert SUBMITTED[0].materials[0].code == "id_card" and SUBMITTED[0].form["phone"] == "13800000000"
    refused = client.post("/api/v1/applications", files=application(form={"reason": "遗失补领",
                          "start_date": "2026-11-23", "phone": "13800000000"}), headers=auth)
    assert (refused.status_code, refused.json()) == (422, {"detail": "form_invalid:reason"})


def test_bad_source_names_are_refused(ctx: AppContext) -> None:
    with pytest.raises(ValueError, match="cannot import"):
        source_class("server.content.nowhere:Source")
    with pytest.raises(ValueError, match="not a CaseSource"):
        source_class("server.content.adapter:Refusal")
    with ctx.reading() as session:
        assert isinstance(open_source(session, ctx.settings), DemoCaseSource)


def test_a_source_must_implement_every_method() -> None:
    class Partial(CaseSource):
        def case_by_number(self, case_no: str) -> CaseView | None:
            return None

    with pytest.raises(TypeError):
        Partial(None, None)  # type: ignore[arg-type,abstract]
