"""Credentials, photo re-encoding and reason-list parsing: the pure parts of server/staff."""
from __future__ import annotations

import base64
import hashlib
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from server.staff import credentials, photos, reasons


def test_pin_hash_is_the_device_wire_format() -> None:
    encoded = credentials.hash_pin("123456", iterations=1000, salt=b"s" * 16)
    algo, iterations, salt, digest = encoded.split("$")
    assert (algo, iterations, base64.b64decode(salt)) == ("pbkdf2_sha256", "1000", b"s" * 16)
    assert base64.b64decode(digest) == hashlib.pbkdf2_hmac("sha256", b"123456", b"s" * 16, 1000)
    for bad in ("1234", "12345a", "123456789", ""):
        with pytest.raises(credentials.CredentialError):
            credentials.hash_pin(bad)


def test_card_uid_hash_normalises_case_and_separators() -> None:
    assert credentials.hash_card_uid("04:a1:b2:c3") == hashlib.sha256(b"04A1B2C3").hexdigest()
    with pytest.raises(credentials.CredentialError):
        credentials.hash_card_uid("xyz")


def test_photo_is_upright_small_and_without_exif() -> None:
    img = Image.new("RGB", (800, 400), (200, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    exif[0x8825] = {2: (39.0, 54.0, 0.0)}  # a GPS block that must not survive
    raw = io.BytesIO()
    img.save(raw, "JPEG", exif=exif)
    jpeg, etag = photos.normalise(raw.getvalue())
    out = Image.open(io.BytesIO(jpeg))
    assert out.format == "JPEG" and out.size == photos.SIZE
    assert not out.getexif() and b"Exif" not in jpeg[:200]
    assert etag == photos.etag_of(jpeg)
    with pytest.raises(photos.PhotoError):
        photos.normalise(b"not an image")
    with pytest.raises(photos.PhotoError):
        photos.normalise(b"")


def test_reason_lines_round_trip_and_errors() -> None:
    body = dict(reasons.DEFAULT)
    parsed = reasons.parse_lines(reasons.as_lines(body))
    assert parsed == body["reasons"]
    with pytest.raises(reasons.ReasonsError, match="第 2 行"):
        reasons.parse_lines("a | 甲 | A\nbroken line")
    with pytest.raises(reasons.ReasonsError, match="其他"):
        reasons.validate({"version": 2, "reasons": [{"code": "a", "zh_CN": "甲", "en": "A"}]})
    with pytest.raises(reasons.ReasonsError, match="重复"):
        reasons.validate({"version": 2, "reasons": [{"code": "other", "zh_CN": "甲", "en": "A", "free_text": True},
                                                    {"code": "other", "zh_CN": "乙", "en": "B"}]})


@given(st.text(max_size=300))
def test_reason_lines_never_crash(text: str) -> None:
    try:
        parsed = reasons.parse_lines(text)
    except reasons.ReasonsError:
        return
    for reason in parsed:
        assert set(reason) <= {"code", "zh_CN", "en", "free_text"}
        assert "|" not in reason["zh_CN"]
