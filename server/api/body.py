"""Reading a device's JSON body safely: size limit, gzip, JSON parse.

Devices on slow links send gzip-compressed batches (``Content-Encoding: gzip``). The limit
applies both to the bytes on the wire and to the decompressed size, so a small "zip bomb"
cannot make the server inflate gigabytes. Violations become 413/400/415 with a reason,
before anything touches the database.
"""
from __future__ import annotations

import json
import zlib
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse

from server.wire import WireError


async def read_json(request: Request, limit: int) -> Any:
    """The parsed JSON body of ``request`` (decompressed when gzip), at most ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"body larger than {limit} bytes")
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > limit:
            raise HTTPException(413, f"body larger than {limit} bytes")
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding == "gzip":
        data = gunzip(bytes(raw), limit)
    elif encoding in ("identity", ""):
        data = bytes(raw)
    else:
        raise HTTPException(415, f"unsupported content-encoding {encoding!r} (use gzip or none)")
    try:
        return json.loads(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(400, f"body is not valid JSON: {exc}") from None


def gunzip(data: bytes, limit: int) -> bytes:
    """Inflate gzip ``data``; refuse output beyond ``limit`` bytes and trailing garbage."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise HTTPException(400, f"body is not valid gzip: {exc}") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise HTTPException(413, f"decompressed body larger than {limit} bytes")
    if not inflater.eof:
        raise HTTPException(400, "body is not valid gzip: truncated")
    return out


def refuse(exc: WireError) -> JSONResponse:
    """422 naming every reason; the caller has not written anything yet."""
    return JSONResponse({"detail": "; ".join(exc.reasons), "reasons": exc.reasons}, status_code=422)
