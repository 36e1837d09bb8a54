"""The HTTP(S) connection to the management server, shared by enrolment, uploads and heartbeats.

One pooled :class:`requests.Session` (keep-alive saves a TLS handshake per batch on slow
village links), explicit connect and read timeouts (a half-open connection must not hang the
reporter), TLS verification on unless the config turns it off, and an optional private CA
for halls whose server uses the province's own certificate authority. Every outcome comes
back as a :class:`Reply` or a :class:`LinkDown`; the caller never sees a requests exception.
"""
from __future__ import annotations

import gzip
import json
import time
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from kiosk import __version__
from kiosk.backoff import parse_iso_epoch, parse_retry_after
from kiosk.config import ServerLinkConfig

API_PREFIX = "/api/v1"


class LinkDown(Exception):
    """No usable answer: connection refused or cut, timeout, TLS failure, unreadable body."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason  # Health reason key: server_unreachable, tls_error, bad_response
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass(frozen=True)
class Reply:
    """A complete HTTP answer, with what the reporter needs for pacing and clock skew."""

    status: int
    body: Any
    sent_wall: float
    received_wall: float
    retry_after_s: float | None
    server_epoch: float | None  # the JSON ``server_time`` of a heartbeat answer

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def error_text(self) -> str:
        """The server's reason for a 4xx/5xx, short enough for a log line or a Health detail."""
        if isinstance(self.body, dict):
            detail = self.body.get("detail", self.body)
            return json.dumps(detail, ensure_ascii=False)[:500]
        return str(self.body)[:500]


class ServerLink:
    """Posts JSON to ``{url}/api/v1/...``; thread-safe for the reporter's one worker."""

    def __init__(self, config: ServerLinkConfig, *, connect_timeout_s: float | None = None,
                 gzip_min_bytes: int = 1024) -> None:
        self.config = config
        self.base_url = config.url.rstrip("/")
        self.timeouts = (connect_timeout_s or min(config.timeout_s, 5.0), config.timeout_s)
        self.gzip_min_bytes = gzip_min_bytes
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=2, max_retries=0)  # retries are ours
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        # Passed on every request, not set on the session: requests lets REQUESTS_CA_BUNDLE /
        # CURL_CA_BUNDLE override a session-level ``verify``, which would silently drop our CA
        # (or turn verification back on behind a technician's ``verify_tls = false``).
        self.verify: bool | str = str(config.ca_file) if config.ca_file else config.verify_tls
        self.session.headers["User-Agent"] = f"zhengwu-kiosk/{__version__}"
        self.token: str | None = None

    def close(self) -> None:
        self.session.close()

    def post(self, path: str, body: Any, *, auth: bool = True) -> Reply:
        """POST ``body`` as JSON (gzip when large); raises :class:`LinkDown` when no full answer came."""
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if len(data) >= self.gzip_min_bytes:
            data = gzip.compress(data, compresslevel=5)
            headers["Content-Encoding"] = "gzip"
        if auth:
            if not self.token:
                raise LinkDown("not_enrolled")
            headers["Authorization"] = f"Bearer {self.token}"
        sent = time.time()
        try:
            response = self.session.post(self.base_url + API_PREFIX + path, data=data, headers=headers,
                                         timeout=self.timeouts, verify=self.verify)
            raw = response.content  # read it all here: a cut mid-body raises now, not later
        except requests.exceptions.SSLError as exc:
            raise LinkDown("tls_error", _short(exc)) from None
        except requests.RequestException as exc:
            raise LinkDown("server_unreachable", f"{type(exc).__name__}: {_short(exc)}") from None
        received = time.time()
        if response.ok and not raw:  # every answer of this API has a body: this one was cut
            raise LinkDown("bad_response", f"HTTP {response.status_code}: empty body")
        try:
            parsed: Any = json.loads(raw) if raw else None
        except ValueError:
            if response.ok:  # a 2xx we cannot read might have been cut by a proxy: retry later
                raise LinkDown("bad_response", f"HTTP {response.status_code}: unreadable body") from None
            parsed = raw[:500].decode("utf-8", "replace")
        # Only the JSON server_time (heartbeat answers) is precise enough for skew; the Date
        # header has whole seconds and would bias the estimate by up to a second.
        server_epoch = parse_iso_epoch(parsed.get("server_time")) if isinstance(parsed, dict) else None
        return Reply(response.status_code, parsed, sent, received,
                     parse_retry_after(response.headers.get("Retry-After"), received), server_epoch)


@dataclass(frozen=True)
class Fetched:
    """A GET answer: ``body`` is None when the server said 304 Not Modified."""

    status: int
    body: Any
    etag: str


def get_json(link: ServerLink, path: str, etag: str = "") -> Fetched:
    """GET a device resource (config, catalog) with ``If-None-Match``; raises :class:`LinkDown`."""
    status, raw, new_etag = _get(link, path, etag, "application/json")
    if status == 304:
        return Fetched(304, None, etag)
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        raise LinkDown("bad_response", f"HTTP {status}: unreadable body") from None
    return Fetched(status, body, new_etag)


def get_bytes(link: ServerLink, path: str, etag: str = "", accept: str = "*/*") -> Fetched:
    """GET a binary resource (a staff photo) with ``If-None-Match``; ``body`` is the raw bytes."""
    status, raw, new_etag = _get(link, path, etag, accept)
    return Fetched(304, None, etag) if status == 304 else Fetched(status, raw, new_etag)


def _get(link: ServerLink, path: str, etag: str, accept: str) -> tuple[int, bytes, str]:
    if not link.token:
        raise LinkDown("not_enrolled")
    headers = {"Accept": accept, "Authorization": f"Bearer {link.token}"}
    if etag:
        headers["If-None-Match"] = etag
    try:
        response = link.session.get(link.base_url + API_PREFIX + path, headers=headers, timeout=link.timeouts,
                                    verify=link.verify)
        raw = response.content
    except requests.exceptions.SSLError as exc:
        raise LinkDown("tls_error", _short(exc)) from None
    except requests.RequestException as exc:
        raise LinkDown("server_unreachable", f"{type(exc).__name__}: {_short(exc)}") from None
    return response.status_code, raw, response.headers.get("ETag", "")


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
