"""Just enough IPP/1.1 (RFC 8010/8011) over HTTP to print a PDF and follow it in CUPS.

Why not pycups: it needs libcups headers to build and a C extension per Python; why not
``lp``/``lpstat``: their text output hides the job state (completed, aborted and canceled
all look alike) and the printer-state-reasons keywords. IPP itself is a small binary
format, and it is what cupsd speaks on its port anyway.
"""
from __future__ import annotations

import http.client
import itertools
import struct
from dataclasses import dataclass, field
from typing import Any

# operations
PRINT_JOB = 0x0002
GET_JOB_ATTRIBUTES = 0x0009
GET_PRINTER_ATTRIBUTES = 0x000B
CANCEL_JOB = 0x0008

# delimiter and value tags
OPERATION_GROUP, JOB_GROUP, END, PRINTER_GROUP = 0x01, 0x02, 0x03, 0x04
INTEGER, BOOLEAN, ENUM = 0x21, 0x22, 0x23
TEXT, NAME, KEYWORD, URI, CHARSET, LANGUAGE, MIME = 0x41, 0x42, 0x44, 0x45, 0x47, 0x48, 0x49
_STRINGS = {0x30, 0x35, 0x36, TEXT, NAME, KEYWORD, URI, 0x46, CHARSET, LANGUAGE, MIME}

JOB_STATES = {3: "pending", 4: "pending-held", 5: "processing", 6: "processing-stopped", 7: "canceled",
              8: "aborted", 9: "completed"}
PRINTER_STATES = {3: "idle", 4: "processing", 5: "stopped"}

_request_ids = itertools.count(1)


class IppError(Exception):
    """The server could not be reached, or answered with an IPP error status."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class IppResponse:
    status: int
    groups: list[tuple[int, dict[str, list[Any]]]] = field(default_factory=list)

    def first(self, group_tag: int) -> dict[str, list[Any]]:
        return next((attrs for tag, attrs in self.groups if tag == group_tag), {})

    def value(self, group_tag: int, name: str, default: Any = None) -> Any:
        values = self.first(group_tag).get(name)
        return values[0] if values else default


def attr(tag: int, name: str, *values: Any) -> bytes:
    out = bytearray()
    for i, value in enumerate(values):
        if tag in (INTEGER, ENUM):
            raw = struct.pack(">i", value)
        elif tag == BOOLEAN:
            raw = bytes([1 if value else 0])
        else:
            raw = str(value).encode("utf-8")
        key = name.encode("ascii") if i == 0 else b""
        out += struct.pack(">BH", tag, len(key)) + key + struct.pack(">H", len(raw)) + raw
    return bytes(out)


def encode_request(operation: int, attributes: list[bytes], document: bytes = b"") -> bytes:
    head = struct.pack(">BBHI", 2, 0, operation, next(_request_ids))
    base = attr(CHARSET, "attributes-charset", "utf-8") + attr(LANGUAGE, "attributes-natural-language", "en")
    return head + bytes([OPERATION_GROUP]) + base + b"".join(attributes) + bytes([END]) + document


def _decode_value(tag: int, raw: bytes) -> Any:
    if tag in (INTEGER, ENUM) and len(raw) == 4:
        return struct.unpack(">i", raw)[0]
    if tag == BOOLEAN and len(raw) == 1:
        return bool(raw[0])
    if tag in _STRINGS:
        return raw.decode("utf-8", errors="replace")
    return raw


def decode_response(data: bytes) -> IppResponse:
    if len(data) < 9:
        raise IppError("short IPP response")
    status = struct.unpack(">H", data[2:4])[0]
    response = IppResponse(status)
    i, current, last_name = 8, None, ""
    while i < len(data):
        tag = data[i]
        i += 1
        if tag == END:
            break
        if tag < 0x10:  # a new attribute group
            current = {}
            response.groups.append((tag, current))
            continue
        if i + 2 > len(data) or current is None:
            raise IppError("malformed IPP response")
        name_len = struct.unpack(">H", data[i:i + 2])[0]
        name = data[i + 2:i + 2 + name_len].decode("ascii", errors="replace")
        i += 2 + name_len
        value_len = struct.unpack(">H", data[i:i + 2])[0]
        value = _decode_value(tag, data[i + 2:i + 2 + value_len])
        i += 2 + value_len
        if name:
            last_name = name
            current[name] = [value]
        else:  # an additional value of the previous attribute
            current.setdefault(last_name, []).append(value)
    return response


def call(host: str, port: int, path: str, body: bytes, timeout_s: float = 10.0) -> IppResponse:
    """POST one IPP request to cupsd; raise :class:`IppError` on transport or IPP failure."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout_s)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/ipp"})
        reply = conn.getresponse()
        data = reply.read()
    except (OSError, http.client.HTTPException) as exc:
        raise IppError(f"cupsd at {host}:{port} unreachable: {exc}") from None
    finally:
        conn.close()
    if reply.status != 200:
        raise IppError(f"cupsd answered HTTP {reply.status} for {path}", reply.status)
    response = decode_response(data)
    if response.status >= 0x0100:
        message = response.value(OPERATION_GROUP, "status-message", "")
        raise IppError(f"IPP status 0x{response.status:04x} {message}".strip(), response.status)
    return response
