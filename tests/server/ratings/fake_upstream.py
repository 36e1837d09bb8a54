"""A real HTTP server on a free loopback port playing the provincial 好差评 system.

It answers the first ``fail_first`` requests with 503 (or drops the connection), then 200,
and keeps every body it received, so a test sees exactly what was pushed.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


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

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/api/hcp/push"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
