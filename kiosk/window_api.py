"""The evaluator's local HTTP API for the window (queue) system, on 127.0.0.1 with a token.

Why the standard library's ``ThreadingHTTPServer`` in a thread, not an ASGI app: the API
lives inside the Kivy process (it must change what the screen shows), serves one client at
a handful of requests per case, and has to start in milliseconds without adding uvicorn,
an event loop thread and their dependencies to the evaluator's start-up. Request bodies are
small JSON objects validated with pydantic (already a dependency) in pure functions
(:func:`parse_case`, :func:`parse_invite`) that the tests fuzz with hypothesis.

Security: the socket is bound to 127.0.0.1 only; every request needs
``Authorization: Bearer TOKEN`` (compared in constant time); bodies are capped at 8 KiB;
result callbacks go only to ``http://127.0.0.1:PORT/...``, so the API cannot be made to
reach anything off the machine. The applicant's name, if the window system sends one, is
masked on arrival (``张*``) and only the masked form is kept, for the screen.

Endpoints (see docs/evaluator-api.md for curl examples)::

    GET  /v1/status                   window state: staff, paused, case, open invitation
    POST /v1/case                     start a case {"case_no", "item_name", "basic_code", "impl_code", "applicant_name"}
    POST /v1/case/end                 the applicant left without a rating invitation
    POST /v1/invite                   invite a rating {"consultation": false, "callback_url": "..."}
    POST /v1/invite/cancel            withdraw the open invitation (recorded as not rated)
    GET  /v1/result/INVITATION_ID     pending | rated | not_rated, level and reasons
    POST /v1/pause, POST /v1/resume   暂停服务 / resume
"""
from __future__ import annotations

import hmac
import json
import logging
import threading
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.evaluator import EvaluatorService, Result
from kiosk.i18n import translate
from kiosk.privacy import mask_name
from kiosk.rating import Case, Invitation, RatingRefused

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
MAX_BODY = 8192
REFUSAL_STATUS = {"already_rated": 409, "too_soon": 409, "paused": 409, "no_staff": 409}


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str = "") -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status, self.error, self.message = status, error, message


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class CaseRequest(_Body):
    case_no: str = Field(min_length=1, max_length=64)
    item_name: str = Field(default="", max_length=100)
    basic_code: str = Field(default="", max_length=10)
    impl_code: str = Field(default="", max_length=24)
    applicant_name: str = Field(default="", max_length=64, description="masked on arrival, never kept")


def _local_callback(url: str) -> str:
    if not url:
        return url
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname != HOST or parts.username or parts.password:
        raise ValueError("callback_url must be http://127.0.0.1:PORT/...")
    _ = parts.port  # raises ValueError on a bad port
    return url


class InviteRequest(_Body):
    consultation: bool = False
    callback_url: str = Field(default="", max_length=300)

    @field_validator("callback_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return _local_callback(value)


def _json_object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ApiError(400, "bad_json", "body is not UTF-8 JSON") from None
    if not isinstance(value, dict):
        raise ApiError(400, "bad_json", "body must be a JSON object")
    return value


def _validated(model: type[_Body], body: bytes) -> Any:
    try:
        return model.model_validate(_json_object(body))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise ApiError(400, "bad_request", f"{where}: {first['msg']}") from None


def parse_case(body: bytes) -> Case:
    """A start-case request as a :class:`Case`; raises ApiError(400)."""
    req: CaseRequest = _validated(CaseRequest, body)
    try:
        return Case(req.case_no, req.item_name, req.basic_code, req.impl_code, mask_name(req.applicant_name))
    except ValueError as exc:
        raise ApiError(400, "bad_request", str(exc)) from None


def parse_invite(body: bytes) -> InviteRequest:
    return _validated(InviteRequest, body)


def check_token(header: str | None, token: str) -> bool:
    if not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[7:].strip().encode(), token.encode())


@dataclass
class _Route:
    method: str
    handler: Callable[[bytes, str], tuple[int, dict[str, Any]]]


class WindowApi:
    """``start()`` / ``stop()``; ``port`` is the bound port (0 in the config of a test = any)."""

    def __init__(self, service: EvaluatorService, token: str, port: int = 8765, language: str = "zh_CN",
                 post: Callable[[str, dict[str, Any]], None] | None = None) -> None:
        self.service = service
        self.token = token
        self.language = language
        self._post = post or _post_json
        self._callbacks: dict[str, str] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((HOST, port), _handler_class(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None
        service.on_result(self._result_ready)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def start(self) -> "WindowApi":
        self._thread = threading.Thread(target=self._server.serve_forever, name="window-api", daemon=True)
        self._thread.start()
        log.info("window API on http://%s:%d", HOST, self.port)
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    # ----- routing ---------------------------------------------------------------------------------
    def dispatch(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """Route one authenticated request; public so unit tests can call it without sockets."""
        path = path.split("?", 1)[0].rstrip("/")
        try:
            if path.startswith("/v1/result/") and method == "GET":
                return self._result(path.rsplit("/", 1)[1])
            route = self._routes().get(path)
            if route is None:
                raise ApiError(404, "not_found", path)
            if route.method != method:
                raise ApiError(405, "method_not_allowed", f"use {route.method}")
            return route.handler(body, path)
        except ApiError as exc:
            return exc.status, {"error": exc.error, "message": exc.message}
        except RatingRefused as exc:
            return REFUSAL_STATUS.get(exc.reason, 409), {
                "error": exc.reason, "message": translate(f"evaluator.refused.{exc.reason}", self.language)}

    def _routes(self) -> dict[str, _Route]:
        s = self.service
        return {
            "/v1/status": _Route("GET", lambda b, p: (200, s.status())),
            "/v1/case": _Route("POST", self._start_case),
            "/v1/case/end": _Route("POST", lambda b, p: (s.end_case(), (200, s.status()))[1]),
            "/v1/invite": _Route("POST", self._invite),
            "/v1/invite/cancel": _Route("POST", lambda b, p: (s.cancel_invitation(), (200, s.status()))[1]),
            "/v1/pause": _Route("POST", lambda b, p: (s.pause(), (200, s.status()))[1]),
            "/v1/resume": _Route("POST", lambda b, p: (s.resume(), (200, s.status()))[1]),
        }

    def _start_case(self, body: bytes, _path: str) -> tuple[int, dict[str, Any]]:
        case = parse_case(body)
        self.service.start_case(case)
        return 201, {"case_no": case.case_no, "rated": self.service.ledger.is_rated(case.case_no)}

    def _invite(self, body: bytes, _path: str) -> tuple[int, dict[str, Any]]:
        req = parse_invite(body)
        invitation = self.service.invite("window_system", consultation=req.consultation)
        if req.callback_url:
            with self._lock:
                self._callbacks[invitation.id] = req.callback_url
        return 202, {"invitation_id": invitation.id, "case_no": invitation.case.case_no if invitation.case else "",
                     "consultation": invitation.consultation, "timeout_s": invitation.timeout_s}

    def _result(self, invitation_id: str) -> tuple[int, dict[str, Any]]:
        result = self.service.result(invitation_id)
        if result is None:
            raise ApiError(404, "unknown_invitation", invitation_id[:64])
        return 200, result.as_dict()

    def _result_ready(self, invitation: Invitation, result: Result) -> None:
        with self._lock:
            url = self._callbacks.pop(invitation.id, None)
        if url:
            threading.Thread(target=self._post, args=(url, result.as_dict()), name="window-api-callback",
                             daemon=True).start()


def _post_json(url: str, payload: dict[str, Any]) -> None:
    """Tell the window system a result; a failed callback is logged (the result can still be polled)."""
    request = urllib.request.Request(url, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    try:
        # B310: URL checked to be 127.0.0.1
        with urllib.request.urlopen(request, timeout=3):  # nosec B310
            pass
    except OSError as exc:
        log.warning("result callback to %s failed: %s", url, exc)


def _handler_class(api: WindowApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "EvaluatorWindowApi/1"

        def _handle(self, method: str) -> None:
            if not check_token(self.headers.get("Authorization"), api.token):
                self._send(401, {"error": "unauthorized", "message": "Authorization: Bearer TOKEN"})
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY:
                self._send(413, {"error": "body_too_large", "message": f"at most {MAX_BODY} bytes"})
                return
            body = self.rfile.read(length) if length else b""
            try:
                status, payload = api.dispatch(method, self.path, body)
            except Exception:
                log.exception("window API %s %s failed", method, self.path)
                status, payload = 500, {"error": "internal_error", "message": ""}
            self._send(status, payload)

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            self._handle("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._handle("POST")

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status, HTTPStatus(status).phrase)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, fmt: str, *args: Any) -> None:
            log.debug("window API: " + fmt, *args)

    return Handler
