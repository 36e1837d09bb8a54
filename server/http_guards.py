"""Two guards every response and request of the dashboard passes through (pure ASGI, no per-request objects).

* Security headers on every response: the dashboard's forms must not be framed by another site
  (clickjacking: ``X-Frame-Options`` and CSP ``frame-ancestors``), browsers must not guess a
  content type (``nosniff``), and links to other sites carry no path or query (``Referrer-Policy``).
* A body limit for dashboard forms (everything outside ``/api/``, whose routes read their bodies
  with their own limits): URL-encoded forms up to ``form_bytes``, multipart uploads (staff photos,
  claim evidence) up to ``upload_bytes``. A declared length over the limit is refused with 413
  before any byte is read; a chunked body is counted as it arrives and cut off the same way.
"""
from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class BodyTooLarge(Exception):
    pass


class HttpGuards:
    def __init__(self, app: ASGIApp, form_bytes: int = 256 * 1024, upload_bytes: int = 12 * 1024 * 1024) -> None:
        self.app = app
        self.form_bytes = form_bytes
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        limit = self._limit(scope)
        if limit is None:
            await self.app(scope, receive, send_with_headers)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send_with_headers, limit)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
            return message

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _refuse(send_with_headers, limit)

    def _limit(self, scope: Scope) -> int | None:
        if scope["method"] not in ("POST", "PUT", "PATCH") or scope["path"].startswith("/api/"):
            return None
        kind = (_header(scope, b"content-type") or "").lower()
        return self.upload_bytes if kind.startswith("multipart/") else self.form_bytes


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


async def _refuse(send: Any, limit: int) -> None:
    body = f"请求内容过大（上限 {limit // 1024} KB）/ request body larger than {limit} bytes".encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
