"""Classification of decoded codes: receipt, licence, URL, text, refused."""
from __future__ import annotations

import logging
import re

import pytest
from hypothesis import given, strategies as st

from drivers.scanner.codes import ScannedCode
from kiosk.payloads import (
    DEFAULT_RULES,
    Payload,
    PayloadKind,
    PayloadRules,
    classify,
    classify_code,
    receipt_payload,
)

CASE_NO = st.from_regex(r"[A-Z0-9][A-Z0-9-]{5,39}", fullmatch=True)
TOKEN = st.from_regex(r"[A-Za-z0-9+/=_.-]{16,64}", fullmatch=True)


def _classify_text(text: str, rules: PayloadRules = DEFAULT_RULES) -> Payload:
    code = ScannedCode.from_bytes(text.encode("utf-8"), "QRCode", "camera")
    return classify_code(code, rules)


@given(CASE_NO)
def test_receipt_round_trip(case_no):
    payload = _classify_text(receipt_payload(case_no))
    assert payload == Payload(PayloadKind.RECEIPT, case_no)


def test_receipt_prefix_is_case_insensitive_and_number_upper_cased():
    assert _classify_text("zwfw:case:2026-abc123").value == "2026-ABC123"


@pytest.mark.parametrize("text", ["ZWFW:CASE:", "ZWFW:CASE:12", "ZWFW:CASE:2026 0001", "ZWFW:CASE:" + "9" * 41])
def test_bad_receipt_is_refused_not_shown_as_text(text):
    assert _classify_text(text) == Payload(PayloadKind.REJECTED, message_key="scan.bad_receipt")


@given(TOKEN)
def test_default_licence_pattern_gives_the_token(token):
    assert _classify_text(f"DZZZ:{token}") == Payload(PayloadKind.LICENCE, token)


def test_configured_licence_pattern_wins_over_url():
    rules = PayloadRules(re.compile(r"https://zzfw\.example\.gov\.cn/l\?t=(?P<token>[0-9a-f]{32})"))
    token = "0123456789abcdef" * 2
    assert _classify_text(f"https://zzfw.example.gov.cn/l?t={token}", rules) == Payload(PayloadKind.LICENCE, token)
    assert _classify_text("https://other.example.com/", rules).kind is PayloadKind.URL


def test_pattern_without_token_group_gives_the_whole_text():
    rules = PayloadRules(re.compile(r"EL-\d{8}"))
    assert _classify_text("EL-12345678", rules) == Payload(PayloadKind.LICENCE, "EL-12345678")


@given(st.from_regex(r"https?://[a-z0-9]{1,20}\.(gov\.cn|com)(/[A-Za-z0-9?=&%._-]{0,60})?", fullmatch=True))
def test_urls(url):
    assert _classify_text(url) == Payload(PayloadKind.URL, url)


@pytest.mark.parametrize("text", ["http://", "https:// space.com", "ftp://x.y/z"])
def test_not_quite_urls_are_text(text):
    assert _classify_text(text).kind is PayloadKind.TEXT


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=100))
def test_any_readable_text_is_accepted_never_raises(text):
    payload = _classify_text(text)
    if not text.strip():
        assert payload.message_key == "scan.empty"
    else:
        assert payload.accepted


@given(st.binary(min_size=1, max_size=300))
def test_any_bytes_classify_without_raising(raw):
    code = ScannedCode.from_bytes(raw, "QRCode", "camera")
    payload = classify_code(code)
    assert payload.accepted == (payload.message_key == "")
    if code.encoding == "binary":
        assert payload.message_key == "scan.unreadable"


def test_gbk_text_from_a_phone():
    code = ScannedCode.from_bytes("营业执照 统一社会信用代码".encode("gbk"), "QRCode", "camera")
    assert classify_code(code) == Payload(PayloadKind.TEXT, "营业执照 统一社会信用代码")


def test_oversized_and_garbage_are_refused_and_not_logged(caplog):
    secret = "DZZZ:" + "S3CRET" * 500
    with caplog.at_level(logging.INFO, logger="kiosk.payloads"):
        too_long = classify(secret.encode(), secret, "utf-8", PayloadRules(max_bytes=2048))
        garbage = classify(b"\x00\x9f\xff SECRETBYTES", "", "binary")
        accepted = _classify_text("DZZZ:TOKENTHATISPERSONAL123")
    assert too_long == Payload(PayloadKind.REJECTED, message_key="scan.too_long")
    assert garbage == Payload(PayloadKind.REJECTED, message_key="scan.unreadable")
    assert accepted.kind is PayloadKind.LICENCE
    logged = caplog.text
    assert "S3CRET" not in logged and "SECRETBYTES" not in logged and "TOKENTHATISPERSONAL" not in logged
    assert "scan.too_long" in logged and "scan.unreadable" in logged


def test_rules_from_device_config():
    from kiosk.config import ScannerConfig

    config = ScannerConfig(port="/dev/ttyUSB0", licence_pattern=r"EL-(?P<token>\d{8})", max_payload_bytes=64)
    rules = PayloadRules.from_config(config)
    assert _classify_text("EL-12345678", rules) == Payload(PayloadKind.LICENCE, "12345678")
    assert _classify_text("x" * 65, rules).message_key == "scan.too_long"


def test_receipt_payload_refuses_bad_numbers():
    with pytest.raises(ValueError):
        receipt_payload("no spaces allowed")
