"""A real HTTP receiver on a free loopback port, for webhook tests: it can fail, then recover."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.helpers.http_stub import serving


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    base: str = ""
    failures_left: int = 0  # answer this many requests with 503 before accepting
    robot_errcode: int = 0  # answer 200 with this errcode (robots refuse that way)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted(self) -> list[Received]:
        return [r for r in self.received if r.headers.get("x-test-outcome") == "ok"]


@contextmanager
def receiver(failures: int = 0) -> Iterator[Receiver]:
    state = Receiver(failures_left=failures)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            parts = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            with state.lock:
                failing = state.failures_left > 0
                state.failures_left -= 1 if failing else 0
                headers["x-test-outcome"] = "failed" if failing else "ok"
                state.received.append(Received(parts.path, parse_qs(parts.query), headers, body))
            if failing:
                self.send_response(503)
                answer = b"busy"
            else:
                self.send_response(200)
                answer = json.dumps({"errcode": state.robot_errcode, "errmsg": "ok"}).encode()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args: Any) -> None:
            pass

    with serving(Handler) as base:
        state.base = base
        yield state
