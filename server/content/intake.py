"""``POST /applications``: read the multipart body within the size limit and check it against the
published catalog item before the case source sees it.

Checks, in the order a terminal can act on them: the item exists (404 ``item_not_found``) and is
declarable (``item_not_declarable``), the ID number is well-formed (``bad_id_number``), every form
field is valid for its kind (``form_invalid:<key>``), every material marked ``scan`` came as a
PDF part (``material_missing``). The body is counted while it streams in, so a client without
(or lying in) Content-Length still cannot make the server read more than the limit (413).
"""
from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from server import wire
from server.content.adapter import Refusal, ScannedMaterial
from server.content.catalog import parse_day
from server.content.people import valid_id_number

MATERIAL_PREFIX = "material."
MAX_PARTS = 40


@dataclass(frozen=True)
class RawApplication:
    basic_code: str
    id_number: str
    name: str
    form: dict[str, Any]
    files: dict[str, bytes]  # material code -> PDF bytes


class _TooLarge(Exception):
    pass


async def read_application(request: Request, limit: int) -> RawApplication:
    """Parse the multipart body: the ``application`` JSON part and the ``material.<code>`` PDF parts."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refusal(413, "too_large")
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise Refusal(415, "bad_request")

    async def capped() -> AsyncIterator[bytes]:
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise _TooLarge
            yield chunk

    parser = MultiPartParser(request.headers, capped(), max_files=MAX_PARTS, max_fields=MAX_PARTS, max_part_size=limit)
    try:
        form = await parser.parse()
    except _TooLarge:
        raise Refusal(413, "too_large") from None
    except MultiPartException:
        raise Refusal(400, "bad_request") from None
    try:
        meta_part = form.get("application")
        raw = await meta_part.read() if isinstance(meta_part, UploadFile) else meta_part
        try:
            meta = json.loads(raw) if raw is not None else None
        except (ValueError, UnicodeDecodeError):
            meta = None
        try:
            wire.validate("content.application", meta)
        except wire.WireError:
            raise Refusal(422, "bad_request") from None  # no reasons: they would echo the ID number
        files: dict[str, bytes] = {}
        for name, value in form.multi_items():
            if name == "application":
                continue
            if not name.startswith(MATERIAL_PREFIX) or not isinstance(value, UploadFile):
                raise Refusal(422, "bad_request", part=name[:60])
            files[name[len(MATERIAL_PREFIX):]] = await value.read()
        return RawApplication(meta["basic_code"], meta["id_number"], meta["name"].strip(), meta.get("form", {}), files)
    finally:
        await form.close()


def check(raw: RawApplication, item: dict[str, Any] | None) -> tuple[dict[str, str], tuple[ScannedMaterial, ...]]:
    """The valid form values and scanned materials, or a ``Refusal`` with the contract's key."""
    if item is None:
        raise Refusal(404, "item_not_found")
    if "declare" not in item.get("functions", []):
        raise Refusal(422, "item_not_declarable")
    if not valid_id_number(raw.id_number):
        raise Refusal(422, "bad_id_number")
    values = check_form(item.get("form", []), raw.form)
    materials = []
    known = {m["code"]: m for m in item.get("materials", [])}
    for code in raw.files:
        if code not in known:
            raise Refusal(422, "bad_request", part=f"{MATERIAL_PREFIX}{code}"[:60])
    for code, material in known.items():
        pdf = raw.files.get(code)
        if material.get("scan") and (pdf is None or not pdf.startswith(b"%PDF-")):
            raise Refusal(422, "material_missing", material=code)
        if pdf is not None:
            materials.append(ScannedMaterial(code, material["name"], pdf))
    return values, tuple(materials)


def check_form(fields: list[dict[str, Any]], sent: dict[str, Any]) -> dict[str, str]:
    """Each value valid for its field's kind; unknown keys are refused too (a terminal bug shows early)."""
    by_key = {f["key"]: f for f in fields}
    for key in sent:
        if key not in by_key:
            raise Refusal(422, f"form_invalid:{_safe(key)}")
    values: dict[str, str] = {}
    for field in fields:
        key, value = field["key"], sent.get(field["key"])
        if value is None or value == "":
            if field.get("required", True):
                raise Refusal(422, f"form_invalid:{key}")
            continue
        if not isinstance(value, str) or not _valid(field, value):
            raise Refusal(422, f"form_invalid:{key}")
        values[key] = value
    return values


def _valid(field: dict[str, Any], value: str) -> bool:
    kind = field.get("kind")
    if kind == "choice":
        return value in field.get("options", [])
    if kind == "date":
        return parse_day(value) is not None
    if kind == "digits":
        low, high = field.get("min_len", 0) or 0, field.get("max_len", 0) or 0
        return value.isascii() and value.isdigit() and len(value) >= max(low, 1) and (not high or len(value) <= high)
    return False


def _safe(key: str) -> str:
    """A sent key echoed in the reason only when it looks like a key (never free text)."""
    return key if re.fullmatch(r"[a-z][a-z0-9_]{0,39}", key) else "unknown"
