"""Webhook bodies for any text a hall, device or fault may carry: always valid JSON, robots' text
never loses the device's name, the DingTalk signature always verifies."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from server.notify import formats
from server.notify.outbox import AUTOMATIC

text = st.text(max_size=80)
kinds = st.sampled_from(["fault.opened", "fault.reopened", "fault.acknowledged", "fault.resolved"])


def _message(kind: str, hall: str, name: str, location: str, note: str, by: str) -> dict:  # type: ignore[type-arg]
    return {
        "id": 1, "kind": kind, "created_at": "2026-11-23T01:00:00+00:00",
        "hall": {"slug": "h", "name": hall, "region_code": ""},
        "device": {"id": "T-1", "type": "terminal", "name": name, "window": "", "location": location},
        "fault": {"id": 1, "peripheral": "printer", "reason": "paper_out", "detail": note, "source": "device",
                  "state": "open", "flaps": 0, "opened_at": "2026-11-23T01:00:00+00:00", "acknowledged_at": None,
                  "acknowledged_by": by, "resolved_at": "2026-11-23T02:00:00+00:00", "resolved_by": by,
                  "resolution_note": note},
    }


@given(kinds, text, text, text, text, st.sampled_from(["tech", *AUTOMATIC]), text.filter(bool))
def test_every_format_renders_valid_json(kind: str, hall: str, name: str, location: str, note: str, by: str,
                                         secret: str) -> None:
    message = _message(kind, hall, name, location, note, by)
    generic = formats.render("generic", "http://r/x", secret, message, now_ms=1, delivery_id=5)
    assert json.loads(generic.body) == message
    mac = hmac.new(secret.encode(), generic.body, hashlib.sha256).hexdigest()
    assert generic.headers["X-Kiosk-Signature"] == f"sha256={mac}"
    wecom = json.loads(formats.render("wecom", "http://r/x", "", message, now_ms=1, delivery_id=5).body)
    assert (name or "T-1") in wecom["markdown"]["content"]
    ding = formats.render("dingtalk", "http://r/x?access_token=a", secret, message, now_ms=1700000000123,
                          delivery_id=5)
    json.loads(ding.body)
    query = parse_qs(urlsplit(ding.url).query)
    expected = base64.b64encode(hmac.new(secret.encode(), f"1700000000123\n{secret}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert query["sign"] == [expected] and query["access_token"] == ["a"]


@given(st.integers(100, 599), st.binary(max_size=200))
def test_answers_are_judged_without_crashing(status: int, body: bytes) -> None:
    for fmt in ("generic", "wecom", "dingtalk"):
        ok, why = formats.accepted(fmt, status, body)
        assert ok == (not why)
        if not 200 <= status < 300:
            assert not ok
