"""Payload bytes -> text: UTF-8 first, GB18030 for GBK phones, else binary; raw kept."""
from __future__ import annotations

from hypothesis import assume, given, strategies as st

from drivers.scanner.codes import ScannedCode
from drivers.scanner.text import decode_payload

CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=40)
PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=80)


def test_utf8_gbk_and_binary():
    assert decode_payload("办件查询".encode()).encoding == "utf-8"
    gbk = decode_payload("办件查询".encode("gbk"))
    assert (gbk.text, gbk.encoding) == ("办件查询", "gb18030")
    assert decode_payload(b"\x00\x01\xff\xfe").encoding == "binary"
    assert decode_payload(b"ABC\x00DEF").encoding == "binary"  # NUL: not text whatever the codec


def test_ascii_is_utf8():
    assert decode_payload(b"ZWFW:CASE:202600000001").encoding == "utf-8"


@given(PRINTABLE)
def test_any_printable_text_in_utf8_comes_back(text):
    decoded = decode_payload(text.encode("utf-8"))
    assert (decoded.text, decoded.encoding) == (text, "utf-8")


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_short_gbk_that_is_also_valid_utf8_reads_as_utf8():
    # 一 in GBK is D2 BB, which is also UTF-8 for Cyrillic һ: UTF-8 first is the rule.
    assert decode_payload("一".encode("gbk")).encoding == "utf-8"
    assert decode_payload("一".encode("gbk")).text == "һ"


@given(CJK)
def test_gbk_chinese_comes_back(text):
    raw = text.encode("gbk")
    assume(not _is_utf8(raw))  # almost every GBK string of two or more characters
    decoded = decode_payload(raw)
    assert decoded.text == text
    assert decoded.encoding == "gb18030"


@given(st.binary(max_size=200))
def test_never_raises_and_binary_round_trips(raw):
    decoded = decode_payload(raw)
    if decoded.encoding == "binary":
        assert decoded.text.encode("latin-1") == raw
    else:
        assert decoded.text.encode(decoded.encoding) == raw


@given(st.binary(max_size=100))
def test_scanned_code_keeps_raw_bytes(raw):
    code = ScannedCode.from_bytes(raw, "QRCode", "camera")
    assert code.raw == raw
    assert bytes.fromhex(code.as_json()["bytes_hex"]) == raw
    assert set(code.as_json()) == {"format", "text", "bytes_hex", "encoding"}
