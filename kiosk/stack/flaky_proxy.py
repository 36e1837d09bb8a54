"""A TCP proxy that misbehaves on purpose, for partition tests of the reporter.

Halls sit behind cheap routers and 4G links: connections drop in the middle of an answer,
after the server has already stored a batch. The proxy forwards bytes between the kiosk
and the server and, per connection, with a seeded probability, cuts both sides after a
random number of response bytes; it can also refuse everything (``down``) to simulate a
link that is gone. The cut decisions follow a seeded random sequence.
"""
from __future__ import annotations

import random
import socket
import struct
import threading
from dataclasses import dataclass


@dataclass
class ProxyStats:
    connections: int = 0
    cut: int = 0
    refused: int = 0


class FlakyProxy:
    """``with FlakyProxy(upstream_port) as proxy: ... proxy.url ...``; switch modes while running."""

    def __init__(self, upstream_port: int, *, upstream_host: str = "127.0.0.1", cut_probability: float = 0.0,
                 cut_after_bytes: tuple[int, int] = (1, 400), seed: int = 1, host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.cut_probability = cut_probability
        self.cut_after_bytes = cut_after_bytes
        self.down = False
        self.stats = ProxyStats()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._listener = socket.create_server((host, 0))
        self.host, self.port = self._listener.getsockname()[:2]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, name="flaky-proxy", daemon=True)
        self._open: set[socket.socket] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "FlakyProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        try:
            socket.create_connection((self.host, self.port), timeout=1).close()  # unblock accept()
        except OSError:
            pass
        self._thread.join(5)
        self._listener.close()
        self.drop_all()

    def drop_all(self) -> None:
        """Reset every open connection now (a link going down under live traffic)."""
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            _reset(sock)

    def __enter__(self) -> "FlakyProxy":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._stop.is_set():
                client.close()
                return
            with self._lock:
                self.stats.connections += 1
                refuse = self.down
                if refuse:
                    self.stats.refused += 1
            if refuse:
                _reset(client)
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            _reset(client)
            return
        with self._lock:
            self._open.update((client, upstream))
        plan = _CutPlan()
        threading.Thread(target=self._pump, args=(client, upstream, plan, True), daemon=True).start()
        self._pump(upstream, client, plan, False)

    def _pump(self, src: socket.socket, dst: socket.socket, plan: "_CutPlan", is_request: bool) -> None:
        """Copy bytes; a request chunk re-draws whether (and where) the coming answer is cut.

        Deciding per request rather than per connection matters: HTTP keep-alive carries many
        requests over one connection, and each answer should be at risk.
        """
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if is_request:
                    with self._lock:
                        plan.answered = 0
                        plan.cut_at = (self._rng.randint(*self.cut_after_bytes)
                                       if self._rng.random() < self.cut_probability else None)
                    dst.sendall(data)
                    continue
                with self._lock:
                    cut_at, answered = plan.cut_at, plan.answered
                    plan.answered += len(data)
                if cut_at is not None and answered + len(data) >= cut_at:
                    dst.sendall(data[:max(cut_at - answered, 0)])
                    with self._lock:
                        self.stats.cut += 1
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.discard(src)
                self._open.discard(dst)
            _reset(src)
            _reset(dst)


@dataclass
class _CutPlan:
    """Shared by a connection's two pumps: where to cut the answer to the latest request."""

    cut_at: int | None = None
    answered: int = 0


def _reset(sock: socket.socket) -> None:
    """Drop a connection at once, as a failing link does.

    ``shutdown`` first: a plain ``close`` would not wake the other pump thread blocked in
    ``recv`` on the same socket, and the peer would see nothing until its read timeout.
    SO_LINGER 0 makes the final close a reset rather than an orderly goodbye.
    """
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
