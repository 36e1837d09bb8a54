"""A real HTTP server on a free loopback port playing the provincial 好差评 system.

It answers the first ``fail_first`` requests with 503 (or drops the connection), then 200,
and keeps every body it received, so a test sees exactly what was pushed.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.helpers.http_stub import serving


class Upstream:
    def __init__(self) -> None:
        self.fail_first = 0
        self.drop = False  # fail by closing the connection instead of answering 503
        self.requests = 0
        self.bodies: list[dict[str, Any]] = []
        self.auth: list[str] = []
        self.url = ""

    @property
    def records(self) -> list[dict[str, Any]]:
        return [r for body in self.bodies for r in body["records"]]


@contextmanager
def upstream() -> Iterator[Upstream]:
    state = Upstream()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            state.requests += 1
            if state.requests <= state.fail_first:
                if state.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(503)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"code":503,"msg":"busy"}')
                return
            state.bodies.append(json.loads(raw.decode("utf-8")))
            state.auth.append(self.headers.get("Authorization", ""))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"code": 0, "msg": "成功"}, ensure_ascii=False).encode())

        def log_message(self, *_args: Any) -> None:
            pass

    with serving(Handler) as base:
        state.url = f"{base}/api/hcp/push"
        yield state
