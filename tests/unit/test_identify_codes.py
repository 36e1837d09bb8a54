"""kiosk.identify for codes and the social-security card: admit_code, refusal keys, the methods a
terminal names, and the 政务 App identity-code format in kiosk.payloads (property-based)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.idcard.people import PEOPLE
from drivers.smartcard.errors import ApplicationNotFound, CardRemovedError, StatusWordError
from kiosk.backend.base import VerifiedIdentity
from kiosk.config import DevicesConfig
from kiosk.events import EventBus
from kiosk.i18n import catalog
from kiosk.identify import (CardPulledDuringRead, CardRefused, admit_code, code_refusal_key, configured_methods,
                            heading, read_sscard_whole, sscard_refusal_key, token_hint, voice_key)
from kiosk.payloads import APP_IDENTITY_PREFIX, PayloadKind, classify
from kiosk.privacy import SensitiveValues
from kiosk.session import Session
from kiosk.voice_prompts import VOICE_KEYS

DEMO = PEOPLE["demo"]
TODAY = dt.date(2026, 11, 23)


def _verified(**changes) -> VerifiedIdentity:
    values = {"name": DEMO.name, "id_number": DEMO.id_number, "code_kind": "licence",
              "valid_until": dt.date(2038, 4, 2)}
    values.update(changes)
    return VerifiedIdentity(**values)


def _session() -> Session:
    return Session(EventBus(), 60, sensitive=SensitiveValues())


def test_a_vouched_code_holder_becomes_the_identity_and_is_masked():
    session = _session()
    identity = admit_code(session, _verified(code_kind="app"), TODAY)
    assert session.identity is identity and identity.source == "qr" and identity.extra["code_kind"] == "app"
    assert DEMO.id_number not in repr(identity) and DEMO.name not in repr(identity)


@pytest.mark.parametrize(("changes", "key"), [({"valid_until": dt.date(2026, 11, 22)}, "identify.expired"),
                                              ({"id_number": DEMO.id_number[:-1] + "9"}, "identify.invalid_number")])
def test_an_expired_card_or_a_bad_number_is_refused_as_for_a_card(changes, key):
    session = _session()
    with pytest.raises(CardRefused) as refused:
        admit_code(session, _verified(**changes), TODAY)
    assert refused.value.key == key and session.identity is None


def test_refusal_keys_exist_in_both_languages():
    keys = {code_refusal_key(r) for r in ("code_unknown", "code_expired", "code_unsupported", "offline",
                                           "no_server", "http_500", "bad_answer")}
    keys |= {sscard_refusal_key(e) for e in (CardPulledDuringRead("x"), ApplicationNotFound(0x6A82),
                                              StatusWordError(0x6F00))}
    assert code_refusal_key("http_500") == code_refusal_key("bad_answer") == "identify.code_failed"
    assert len(keys) == 8
    for language in ("zh_CN", "en"):
        assert keys <= set(catalog(language)), language


def test_a_card_pulled_during_the_read_is_reported():
    class Pulled:
        def transmit(self, apdu):
            raise CardRemovedError("gone")

    with pytest.raises(CardPulledDuringRead):
        read_sscard_whole(Pulled())


@pytest.mark.parametrize(("devices", "methods", "zh"), [
    ({"idcard": {"port": "/dev/ttyUSB0"}, "sscard": {}, "scanner": {"port": "/dev/ttyACM0"}},
     ("idcard", "sscard", "qr"), "请放置身份证、社保卡或出示二维码"),
    ({"idcard": {"port": "/dev/ttyUSB0"}, "sscard": {}}, ("idcard", "sscard"), "请放置身份证或社保卡"),
    ({"sscard": {}, "qr_camera": {"source": "0"}}, ("sscard", "qr"), "请放置社保卡或出示二维码"),
    ({"qr_camera": {"source": "0"}}, ("qr",), "请出示电子证照或政务App身份码二维码"),
    ({}, (), "本机未连接身份识别设备，请到窗口办理"),
])
def test_the_screen_names_exactly_the_configured_methods(devices, methods, zh):
    found = configured_methods(DevicesConfig.validate(devices))
    assert found == methods
    assert heading(found, catalog("zh_CN").__getitem__) == zh
    assert voice_key(found) in VOICE_KEYS


def test_token_hint_never_shows_the_token():
    assert token_hint("DEMO-LJH-ELICENCE-2026-0001") == "DEMO…(27)"


_TOKEN = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-", min_size=16, max_size=256)


@given(_TOKEN)
def test_every_well_formed_app_code_is_an_app_identity(token):
    payload = classify((APP_IDENTITY_PREFIX + token).encode(), APP_IDENTITY_PREFIX + token, "utf-8")
    assert (payload.kind, payload.value) == (PayloadKind.APP_IDENTITY, token)


@given(st.text(max_size=300))
def test_anything_after_the_app_prefix_is_a_token_or_refused(rest):
    text = APP_IDENTITY_PREFIX + rest
    payload = classify(text.encode(), text, "utf-8")
    assert payload.kind in (PayloadKind.APP_IDENTITY, PayloadKind.REJECTED)
    if payload.kind is PayloadKind.APP_IDENTITY:
        assert payload.value == rest.strip() and 16 <= len(payload.value) <= 256
    else:
        assert payload.message_key in ("scan.bad_identity_code", "scan.empty", "scan.too_long")
