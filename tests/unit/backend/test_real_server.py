"""HttpBackend against the real management server (``kiosk-server`` on a free port).

The server side of the content API (server/api/content.py) is written separately; until
``POST /cases/query`` exists as a route these tests skip and say so, and they start running by
themselves once it lands.
"""
from __future__ import annotations

import pytest

from kiosk.backend.base import BackendError
from kiosk.backend.http import HttpBackend
from kiosk.config import BackendConfig, ServerLinkConfig
from kiosk.enrolment import TokenStore, enrol
from kiosk.server_link import ServerLink



@pytest.fixture(scope="module")
def backend(mgmt_server, tmp_path_factory):
    mgmt_server.cli("seed-demo")
    data_dir = tmp_path_factory.mktemp("terminal-data")
    link = ServerLink(ServerLinkConfig(url=mgmt_server.url))
    TokenStore(data_dir).save(enrol(link, mgmt_server.enrol_code()))
    link.close()
    backend = HttpBackend(ServerLinkConfig(url=mgmt_server.url), data_dir, BackendConfig())
    probe = backend.link
    backend._ensure_token()
    reply = probe.post("/cases/query", {"case_no": "NO-SUCH-CASE"})
    if reply.status == 404 and reply.body != {"detail": "case_not_found"}:
        pytest.skip("the server has no content API yet (POST /api/v1/cases/query: route not found)")
    yield backend
    backend.close()


def test_unknown_case_is_case_not_found(backend):
    with pytest.raises(BackendError) as caught:
        backend.case_by_number("NO-SUCH-CASE")
    assert caught.value.reason == "case_not_found"


def test_catalog_parses_and_is_cached(backend):
    catalog = backend.catalog()
    assert catalog.items and catalog.sample_data
    assert all(item.department in {d.code for d in catalog.departments} for item in catalog.items)
    assert backend.cache.load()[1]  # stored with its ETag


def test_a_declared_case_can_be_queried(backend):
    """Submit an application for a declarable item, then find the case by number."""
    from kiosk.backend.base import Application, ScannedMaterial

    item = next((i for i in backend.catalog().items if "declare" in i.functions), None)
    if item is None:
        pytest.skip("the demo catalog has no declarable item")
    form = {}
    for field in item.form:
        form[field.key] = (field.options[0] if field.kind == "choice" else "2026-11-23" if field.kind == "date"
                           else "1" * max(field.min_len, 1))
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    materials = tuple(ScannedMaterial(m.code, pdf, 1) for m in item.materials if m.scan)
    receipt = backend.submit(Application(item.basic_code, "11010519491231002X", "测试员甲", form, materials))
    case = backend.case_by_number(receipt.case_no)
    assert case.steps[0].code == "received" and case.steps[0].at is not None
    assert receipt.applicant_id_masked.endswith("002X") and "0519491231" not in receipt.applicant_id_masked
