"""A scriptable HTTP stand-in for the management server, for reporter tests of rare answers.

The real server is used for everything it does on its own (see the e2e tests); this stub
exists for answers the real one gives only under conditions hard to arrange on demand
(429 with Retry-After, 413, a 5xx, a reply that forgets an id). By default it answers like
the real server; a test pushes one-shot overrides per path.
"""
from __future__ import annotations

import gzip
import json
import ssl
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, dict[str, str], Any]


class StubServer:
    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.requests: list[tuple[str, dict[str, str], Any]] = []
        self.overrides: dict[str, deque[Answer | Callable[[Any], Answer]]] = {}
        self.stored: set[str] = set()
        self.commands: list[dict[str, Any]] = []
        self.server_time_offset_s = 0.0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                body = json.loads(raw)
                stub.requests.append((self.path, dict(self.headers), body))
                status, headers, answer = stub.answer(self.path, body)
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if ssl_context is not None:
            self.httpd.socket = ssl_context.wrap_socket(self.httpd.socket, server_side=True)
        scheme = "https" if ssl_context else "http"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def push(self, path: str, *answers: Answer | Callable[[Any], Answer]) -> None:
        self.overrides.setdefault(path, deque()).extend(answers)

    def answer(self, path: str, body: Any) -> Answer:
        queue = self.overrides.get(path)
        if queue:
            item = queue.popleft()
            return item(body) if callable(item) else item
        if path == "/api/v1/devices/enrol":
            return 200, {}, {"device_id": "T-STUB", "token": "secret-token"}
        if path == "/api/v1/heartbeat":
            now = datetime.now(timezone.utc).timestamp() + self.server_time_offset_s
            return 200, {}, {"server_time": datetime.fromtimestamp(now, timezone.utc).isoformat(),
                             "heartbeat_interval_s": 60, "commands": self.commands}
        if path == "/api/v1/events":
            return 200, {}, self.ingest(body)
        return 404, {}, {"detail": "not found"}

    def ingest(self, body: Any) -> dict[str, list[str]]:
        ids = [e["id"] for e in body["events"]]
        accepted = [i for i in ids if i not in self.stored]
        self.stored.update(ids)
        return {"accepted": accepted, "duplicates": [i for i in ids if i not in accepted]}

    def paths(self) -> list[str]:
        return [p for p, _, _ in self.requests]

    def __enter__(self) -> "StubServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
