"""POST /api/v1/identity/verify: the demo identity codes, every refusal, device auth, and no token or ID
number in the server's log."""
from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from server import wire
from server.content import identity_codes
from server.content.adapter import CaseSource
from server.context import AppContext
from tests.server.content.builders import DEMO_ID, evaluator, seed, terminal

URL = "/api/v1/identity/verify"


@pytest.fixture
def auth(client: TestClient, ctx: AppContext) -> dict[str, str]:
    seed(ctx)
    return terminal(client, ctx)


@pytest.mark.parametrize(("token", "kind"), [(identity_codes.DEMO_LICENCE_TOKEN, "licence"),
                                             (identity_codes.DEMO_APP_TOKEN, "app")])
def test_demo_codes_name_the_demo_person(client: TestClient, auth: dict[str, str], token: str, kind: str) -> None:
    answer = client.post(URL, json={"token": token}, headers=auth)
    assert answer.status_code == 200, answer.text
    wire.validate("content.identity.response", answer.json())
    identity = answer.json()["identity"]
    assert (identity["name"], identity["id_number"], identity["code_kind"]) == ("李建华", DEMO_ID, kind)
    assert identity["valid_until"] == "2038-04-02" and identity["card_type"] == "resident"


def test_expired_and_unknown_codes_are_refused(client: TestClient, auth: dict[str, str]) -> None:
    expired = client.post(URL, json={"token": identity_codes.DEMO_EXPIRED_TOKEN}, headers=auth)
    assert (expired.status_code, expired.json()) == (410, {"detail": "code_expired"})
    unknown = client.post(URL, json={"token": "DEMO-UNKNOWN-2026-0000"}, headers=auth)
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "code_unknown"})
    # one character off a real token is just as unknown
    near = client.post(URL, json={"token": identity_codes.DEMO_LICENCE_TOKEN[:-1] + "9"}, headers=auth)
    assert near.status_code == 404


@pytest.mark.parametrize("body", [{}, {"token": "short"}, {"token": "DEMO LJH ELICENCE 2026"},
                                  {"token": identity_codes.DEMO_APP_TOKEN, "id_number": DEMO_ID}, ["x"]])
def test_malformed_bodies_are_bad_request_without_echo(client: TestClient, auth: dict[str, str], body) -> None:
    answer = client.post(URL, json=body, headers=auth)
    assert (answer.status_code, answer.json()) == (422, {"detail": "bad_request"})


def test_only_terminals_with_a_token_may_ask(client: TestClient, ctx: AppContext) -> None:
    seed(ctx)
    body = {"token": identity_codes.DEMO_LICENCE_TOKEN}
    assert client.post(URL, json=body).status_code == 401
    assert client.post(URL, json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    refused = client.post(URL, json=body, headers=evaluator(client, ctx))
    assert (refused.status_code, refused.json()) == (403, {"detail": "terminal_only"})


def test_a_source_without_a_licence_platform_refuses_every_code() -> None:
    class NoPlatform(CaseSource):
        case_by_number = cases_of = certificates_of = certificate_document = submit = None  # type: ignore[assignment]

    NoPlatform.__abstractmethods__ = frozenset()
    from server.content.adapter import Refusal

    with pytest.raises(Refusal) as refused:
        NoPlatform(None, None).verify_identity_code(identity_codes.DEMO_LICENCE_TOKEN)  # type: ignore[arg-type]
    assert (refused.value.status, refused.value.reason) == (501, "code_unsupported")


def test_neither_token_nor_id_number_reaches_the_log(client: TestClient, auth: dict[str, str],
                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for token in (identity_codes.DEMO_LICENCE_TOKEN, identity_codes.DEMO_EXPIRED_TOKEN, "DEMO-UNKNOWN-2026-0000"):
        client.post(URL, json={"token": token}, headers=auth)
    logged = caplog.text
    assert "ELICENCE-2026" not in logged and "EXPIRED-2026" not in logged and "UNKNOWN-2026" not in logged
    assert DEMO_ID not in logged
    assert identity_codes.token_hint(identity_codes.DEMO_LICENCE_TOKEN) == "DEMO…(27)"
