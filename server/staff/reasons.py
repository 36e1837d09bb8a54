"""The versioned list of 差评 reasons that evaluators and terminals show, edited on the dashboard.

Stored as the content document ``rating_reasons`` (``services.content.store``), so it gets the
same ETag handling as the catalog. Each save bumps ``version``; devices install a list only
when it is valid and newer than theirs, and every rating names the list version its reason
codes come from, so statistics stay readable after the list changes. Until the first save
the server serves the list the devices ship with (version 1), which they simply keep.
"""
from __future__ import annotations

import copy
import re
from typing import Any

from sqlalchemy.orm import Session

from server import wire
from server.models import ContentDocument
from server.services import content

DOCUMENT = "rating_reasons"
SCHEMA = "rating_reasons"
DEFAULT: dict[str, Any] = {
    "version": 1,
    "name": "默认差评原因",
    "reasons": [
        {"code": "attitude", "zh_CN": "服务态度不好", "en": "Unfriendly service"},
        {"code": "waiting", "zh_CN": "等候时间过长", "en": "Waited too long"},
        {"code": "unclear", "zh_CN": "告知不清楚、不一次性告知", "en": "Requirements not explained clearly or at once"},
        {"code": "slow", "zh_CN": "办理效率低", "en": "Slow handling"},
        {"code": "errands", "zh_CN": "要求重复提交材料、多次跑腿", "en": "Asked for papers again or to come back"},
        {"code": "rules", "zh_CN": "办事流程繁琐", "en": "Cumbersome procedure"},
        {"code": "conduct", "zh_CN": "工作纪律、作风问题", "en": "Staff conduct or discipline"},
        {"code": "other", "zh_CN": "其他", "en": "Other", "free_text": True},
    ],
}
FREE_TEXT_CODE = "other"
LINE_RE = re.compile(r"^\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*$")


class ReasonsError(ValueError):
    """An edit that would not be a valid list; shown on the dashboard, the old list stays."""


def current(session: Session) -> tuple[dict[str, Any], str]:
    doc = session.get(ContentDocument, DOCUMENT)
    if doc is None:
        return DEFAULT, content.etag_of(DEFAULT)
    return doc.body, doc.etag


def validate(body: dict[str, Any]) -> None:
    """The schema plus what it cannot say: unique codes, exactly one free-text reason."""
    try:
        wire.validate(SCHEMA, body)
    except wire.WireError as exc:
        raise ReasonsError("; ".join(exc.reasons)) from None
    codes = [r["code"] for r in body["reasons"]]
    if len(set(codes)) != len(codes):
        raise ReasonsError("原因代码重复 (duplicate codes)")
    if sum(bool(r.get("free_text")) for r in body["reasons"]) != 1:
        raise ReasonsError("必须且只能有一个“其他”原因 (exactly one free-text reason)")


def parse_lines(text: str) -> list[dict[str, Any]]:
    """Dashboard text: one ``code | 中文 | English`` per line; the code ``other`` takes free text."""
    reasons = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = LINE_RE.match(line)
        if match is None:
            raise ReasonsError(f"第 {number} 行应为“代码 | 中文 | English” (line {number}: code | 中文 | English)")
        code, zh, en = match.groups()
        reason: dict[str, Any] = {"code": code, "zh_CN": zh, "en": en}
        if code == FREE_TEXT_CODE:
            reason["free_text"] = True
        reasons.append(reason)
    return reasons


def as_lines(body: dict[str, Any]) -> str:
    return "\n".join(f"{r['code']} | {r['zh_CN']} | {r['en']}" for r in body["reasons"])


def publish(session: Session, reasons: list[dict[str, Any]], name: str, actor: str) -> dict[str, Any]:
    """Validate and store the next version; raises ReasonsError and leaves the old list in force."""
    old, _etag = current(session)
    body = {"version": int(old["version"]) + 1, "name": name.strip()[:80], "reasons": copy.deepcopy(reasons)}
    validate(body)
    content.store(session, DOCUMENT, body, str(body["version"]), actor)
    return body
