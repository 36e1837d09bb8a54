"""HttpBackend against a local HTTP server that answers like docs/CONTENT_API.md (real HTTP, free port)."""
from __future__ import annotations

import json
import logging
import socket

import pytest

from kiosk.backend.base import Application, BackendError, ScannedMaterial
from kiosk.backend.factory import NoBackend, make_backend
from kiosk.backend.http import HttpBackend
from kiosk.config import BackendConfig, KioskConfig, ServerLinkConfig
from kiosk.enrolment import Credentials, TokenStore
from tests.unit.backend.contract import CASE, ID_NUMBER, TOKEN, ContentServer


@pytest.fixture
def server():
    content = ContentServer().start()
    yield content
    content.stop()


def _backend(url: str, data_dir, enrolled: bool = True, **settings) -> HttpBackend:
    if enrolled:
        TokenStore(data_dir).save(Credentials("T-1", TOKEN, url))
    return HttpBackend(ServerLinkConfig(url=url, timeout_s=3), data_dir, BackendConfig(**settings))


def _dead_url() -> str:
    with socket.socket() as sock:  # a free port nobody listens on
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_case_queries_post_json_bodies(server, tmp_path):
    backend = _backend(server.url, tmp_path)
    case = backend.case_by_number(CASE["case_no"])
    assert case.case_no == CASE["case_no"] and case.steps[1].name == "受理"
    assert [c.case_no for c in backend.cases_of(ID_NUMBER)] == [CASE["case_no"]]
    posted = [r for r in server.requests if r["path"] == "/api/v1/cases/mine"][0]
    assert posted["body"] == {"id_number": ID_NUMBER}
    assert all(ID_NUMBER not in r["path"] for r in server.requests)  # never in a URL
    assert posted["headers"]["Authorization"] == f"Bearer {TOKEN}"


def test_refusals_carry_the_contract_reason(server, tmp_path):
    backend = _backend(server.url, tmp_path)
    with pytest.raises(BackendError) as caught:
        backend.case_by_number("NOSUCH")
    assert caught.value.reason == "case_not_found"
    with pytest.raises(BackendError) as caught:
        backend.certificate_document(ID_NUMBER, "c-other")
    assert caught.value.reason == "certificate_not_found"
    server.push("/cases/mine", (403, {"detail": "terminal_only"}))
    with pytest.raises(BackendError) as caught:
        backend.cases_of(ID_NUMBER)
    assert caught.value.reason == "terminal_only"
    server.push("/cases/mine", (500, b"<html>Internal Server Error</html>"))
    with pytest.raises(BackendError) as caught:
        backend.cases_of(ID_NUMBER)
    assert caught.value.reason == "http_500"


def test_garbled_answers_are_bad_answer(server, tmp_path):
    backend = _backend(server.url, tmp_path)
    server.push("/cases/query", (200, {"case": {"case_no": "X"}}))
    with pytest.raises(BackendError) as caught:
        backend.case_by_number("X")
    assert caught.value.reason == "bad_answer" and caught.value.detail == "case.item_name: missing"
    server.push("/cases/query", (200, b"{not json"))
    with pytest.raises(BackendError) as caught:
        backend.case_by_number("X")
    assert caught.value.reason == "bad_answer"


def test_certificates(server, tmp_path):
    backend = _backend(server.url, tmp_path)
    summaries = backend.certificates_of(ID_NUMBER)
    assert [s.title for s in summaries] == ["个人参保证明"]
    fields = backend.certificate_document(ID_NUMBER, summaries[0].id)
    assert fields["holder_id"] == "1101**********002X"
    assert backend.certificates_of("110105194912310000") == []


def test_application_is_multipart_with_one_pdf_per_material(server, tmp_path):
    backend = _backend(server.url, tmp_path)
    pdf = b"%PDF-1.4 sample pages"
    application = Application("000201001", ID_NUMBER, "测试员甲", {"reason": "首次申领", "phone": "13800000000"},
                              (ScannedMaterial("id_card", pdf, 2),))
    receipt = backend.submit(application)
    assert receipt.case_no == "SB20261123000001" and receipt.applicant_id_masked == "1101**********002X"
    parts = [r for r in server.requests if r["path"] == "/api/v1/applications"][0]["parts"]
    assert parts["material.id_card"] == ("application/pdf", pdf)
    content_type, meta = parts["application"]
    assert content_type == "application/json"
    assert json.loads(meta) == {"basic_code": "000201001", "id_number": ID_NUMBER, "name": "测试员甲",
                                "form": {"reason": "首次申领", "phone": "13800000000"}}
    with pytest.raises(BackendError) as caught:
        backend.submit(Application("000201001", ID_NUMBER, "测试员甲", {}, ()))
    assert caught.value.reason == "material_missing"
    server.push("/applications", (413, {"detail": "too_large"}))
    with pytest.raises(BackendError) as caught:
        backend.submit(application)
    assert caught.value.reason == "too_large"
    assert ID_NUMBER not in repr(application)


def test_catalog_uses_etag_and_works_offline_from_the_last_copy(tmp_path):
    server = ContentServer().start()
    backend = _backend(server.url, tmp_path, catalog_refresh_s=5)
    assert backend.catalog().items[0].basic_code == "000201001"
    backend._next_refresh = 0  # the refresh interval has passed
    assert backend.catalog().version == "2026.11.23-1"
    gets = [r for r in server.requests if r["method"] == "GET"]
    assert len(gets) == 2 and gets[1]["headers"].get("If-None-Match") == '"cat-1"'  # answered 304
    # the server goes away: a new backend (as after a restart) still has the stored catalog
    server.stop()
    offline = _backend(_dead_url(), tmp_path)
    assert offline.catalog().items[0].name == "社会保障卡申领"
    assert offline.last_refresh_error == "server_unreachable"


def test_offline_without_a_stored_catalog(tmp_path):
    backend = _backend(_dead_url(), tmp_path)
    with pytest.raises(BackendError) as caught:
        backend.catalog()
    assert caught.value.reason == "offline"
    with pytest.raises(BackendError) as caught:
        backend.cases_of(ID_NUMBER)
    assert caught.value.reason == "offline"
    with pytest.raises(BackendError) as caught:
        backend.submit(Application("000201001", ID_NUMBER, "测试员甲", {}, ()))
    assert caught.value.reason == "offline"


def test_not_enrolled_is_offline_until_the_token_appears(server, tmp_path):
    backend = _backend(server.url, tmp_path, enrolled=False)
    with pytest.raises(BackendError) as caught:
        backend.case_by_number(CASE["case_no"])
    assert (caught.value.reason, caught.value.detail) == ("offline", "not_enrolled")
    TokenStore(tmp_path).save(Credentials("T-1", TOKEN, server.url))  # the reporter enrols meanwhile
    assert backend.case_by_number(CASE["case_no"]).case_no == CASE["case_no"]


def test_no_id_number_in_logs(server, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    backend = _backend(server.url, tmp_path)
    backend.cases_of(ID_NUMBER)
    server.push("/cases/mine", (422, {"detail": "bad_id_number"}), (200, {"cases": [{"case_no": ID_NUMBER}]}))
    for _ in range(2):
        with pytest.raises(BackendError) as caught:
            backend.cases_of(ID_NUMBER)
        assert ID_NUMBER not in str(caught.value)
    dead = _backend(_dead_url(), tmp_path / "dead")
    with pytest.raises(BackendError):
        dead.cases_of(ID_NUMBER)
    assert ID_NUMBER not in caplog.text and caplog.text  # something was logged, without the number


def test_factory(tmp_path):
    from tests.fixtures.kivy_ui import kiosk_config_dict

    data = kiosk_config_dict("terminal", tmp_path)
    assert type(make_backend(KioskConfig.validate(data))).__name__ == "SampleBackend"  # the UI tests' 示例
    data["backend"] = {"source": "server"}
    assert isinstance(make_backend(KioskConfig.validate(data)), NoBackend)
    with pytest.raises(BackendError) as caught:
        make_backend(KioskConfig.validate(data)).catalog()
    assert caught.value.reason == "no_server"
    data["server"] = {"url": "http://127.0.0.1:1"}
    data["backend"] = {"source": "server", "catalog_refresh_s": 60}
    backend = make_backend(KioskConfig.validate(data), tmp_path)
    assert isinstance(backend, HttpBackend) and backend.settings.catalog_refresh_s == 60
    assert backend.cache.path.parent == tmp_path


def test_catalog_refused_without_a_stored_copy(server, tmp_path):
    backend = _backend(server.url, tmp_path)
    server.push("/catalog", (503, {"detail": "maintenance"}))
    with pytest.raises(BackendError) as caught:
        backend.catalog()
    assert caught.value.reason == "http_503"
    backend._next_refresh = 0
    assert backend.catalog().version == "2026.11.23-1"  # the next refresh works and is stored
