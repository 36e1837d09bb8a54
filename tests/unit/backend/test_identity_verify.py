"""``verify_identity_code``: the sample backend, HttpBackend over real HTTP (contract server and the real
management server), and the answer parser under arbitrary JSON."""
from __future__ import annotations

import datetime as dt
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.backend import wire
from kiosk.backend.base import BackendError
from kiosk.backend.factory import NoBackend
from kiosk.backend.http import HttpBackend
from kiosk.config import BackendConfig, ServerLinkConfig
from kiosk.enrolment import Credentials, TokenStore, enrol
from kiosk.journeys.sample_backend import (DEMO_APP_TOKEN, DEMO_EXPIRED_TOKEN, DEMO_HOLDER, DEMO_LICENCE_TOKEN,
                                           SampleBackend)
from kiosk.server_link import ServerLink
from tests.unit.backend.contract import TOKEN, ContentServer

UNKNOWN = "DEMO-UNKNOWN-2026-0000"
ANSWER = {"identity": {"name": "李建华", "id_number": "370102198005120035", "code_kind": "licence",
                       "card_type": "resident", "valid_until": "2038-04-02", "issuer": "济南市公安局历下分局"}}


def _reason(call) -> str:
    with pytest.raises(BackendError) as caught:
        call()
    return caught.value.reason


def test_sample_backend_knows_the_documented_demo_codes():
    backend = SampleBackend()
    licence = backend.verify_identity_code(DEMO_LICENCE_TOKEN)
    app = backend.verify_identity_code(DEMO_APP_TOKEN)
    assert (licence.name, licence.id_number, licence.code_kind) == ("李建华", DEMO_HOLDER.id_number, "licence")
    assert app.code_kind == "app" and app.valid_until == dt.date(2038, 4, 2)
    assert _reason(lambda: backend.verify_identity_code(DEMO_EXPIRED_TOKEN)) == "code_expired"
    assert _reason(lambda: backend.verify_identity_code(UNKNOWN)) == "code_unknown"
    assert DEMO_HOLDER.id_number not in repr(licence) and "李建华" not in repr(licence)
    assert _reason(lambda: NoBackend().verify_identity_code(DEMO_LICENCE_TOKEN)) == "no_server"


@pytest.fixture
def contract_backend(tmp_path):
    server = ContentServer().start()
    TokenStore(tmp_path).save(Credentials("T-1", TOKEN, server.url))
    backend = HttpBackend(ServerLinkConfig(url=server.url, timeout_s=3), tmp_path, BackendConfig())
    yield server, backend
    backend.close()
    server.stop()


def test_http_sends_the_token_in_the_body_and_parses_the_answer(contract_backend, caplog):
    server, backend = contract_backend
    caplog.set_level(logging.DEBUG)
    server.push("/identity/verify", (200, ANSWER), (410, {"detail": "code_expired"}), (404, {"detail": "code_unknown"}),
                (200, {"identity": {**ANSWER["identity"], "code_kind": "phone"}}))
    found = backend.verify_identity_code(DEMO_LICENCE_TOKEN)
    assert found.id_number == "370102198005120035" and found.valid_until == dt.date(2038, 4, 2)
    posted = [r for r in server.requests if r["path"] == "/api/v1/identity/verify"]
    assert posted[0]["body"] == {"token": DEMO_LICENCE_TOKEN}
    assert all(DEMO_LICENCE_TOKEN not in r["path"] for r in server.requests)
    assert _reason(lambda: backend.verify_identity_code(DEMO_EXPIRED_TOKEN)) == "code_expired"
    assert _reason(lambda: backend.verify_identity_code(UNKNOWN)) == "code_unknown"
    assert _reason(lambda: backend.verify_identity_code(DEMO_LICENCE_TOKEN)) == "bad_answer"
    assert "ELICENCE-2026" not in caplog.text and "370102198005120035" not in caplog.text


def test_http_without_a_server_is_offline(tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    TokenStore(tmp_path).save(Credentials("T-1", TOKEN, url))
    backend = HttpBackend(ServerLinkConfig(url=url, timeout_s=1), tmp_path, BackendConfig())
    assert _reason(lambda: backend.verify_identity_code(DEMO_LICENCE_TOKEN)) == "offline"
    backend.close()


def test_real_server_verifies_the_demo_codes(mgmt_server, tmp_path):
    """The same documented codes, asked of ``kiosk-server``: the terminal's sample and the server agree."""
    mgmt_server.cli("seed-demo")
    link = ServerLink(ServerLinkConfig(url=mgmt_server.url))
    TokenStore(tmp_path).save(enrol(link, mgmt_server.enrol_code()))
    link.close()
    backend = HttpBackend(ServerLinkConfig(url=mgmt_server.url), tmp_path, BackendConfig())
    try:
        sample = SampleBackend()
        for token in (DEMO_LICENCE_TOKEN, DEMO_APP_TOKEN):
            assert backend.verify_identity_code(token) == sample.verify_identity_code(token)
        assert _reason(lambda: backend.verify_identity_code(DEMO_EXPIRED_TOKEN)) == "code_expired"
        assert _reason(lambda: backend.verify_identity_code(UNKNOWN)) == "code_unknown"
        assert _reason(lambda: backend.verify_identity_code("short")) == "bad_request"
    finally:
        backend.close()


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
                     max_leaves=20)
_fields = st.fixed_dictionaries({}, optional={
    "name": st.one_of(st.text(max_size=8), _json), "id_number": st.one_of(st.text(max_size=40), _json),
    "code_kind": st.one_of(st.sampled_from(["licence", "app", "x"]), _json),
    "valid_until": st.one_of(st.dates().map(str), st.text(max_size=12), _json), "issuer": _json, "card_type": _json})


@settings(max_examples=300, deadline=None)
@given(st.one_of(_json, st.builds(lambda f: {"identity": f}, _fields)))
def test_any_answer_parses_or_is_bad_answer(body):
    try:
        found = wire.parse_identity(body)
    except BackendError as exc:
        assert exc.reason == "bad_answer" and exc.detail.split(":")[0].startswith(("identity", "(answer)"))
        fields = body.get("identity") if isinstance(body, dict) else None
        number = fields.get("id_number") if isinstance(fields, dict) else None
        if isinstance(number, str) and len(number) >= 6:
            assert number not in exc.detail  # the detail names the field, never the value
        return
    assert found.name and found.code_kind in ("licence", "app") and found.id_number.isalnum()
