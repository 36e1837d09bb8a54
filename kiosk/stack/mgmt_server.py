"""Launcher for the management server (``kiosk-server``) as a child process.

Used by ``kiosk demo`` and by the test fixture ``tests/fixtures/mgmt_server.py``. The server
is started exactly as an operator would start it (``migrate`` then ``run``), on a port of
its own and its own SQLite file unless ``database_url`` says otherwise, so tests exercise
the real program and several can run side by side. Nothing here imports ``server``: the
kiosk shares only the wire protocol with it.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from kiosk.stack.process import terminate


class MgmtServerError(RuntimeError):
    """The server did not start or a CLI call failed; the message carries its output."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def server_command() -> list[str]:
    """``kiosk-server`` from the same environment as this Python, else from PATH."""
    beside = Path(sys.executable).with_name("kiosk-server")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("kiosk-server")
    if found:
        return [found]
    raise MgmtServerError("kiosk-server not found (pip install -e '.[server]')")


class MgmtServer:
    """``start()`` / ``stop()`` (or ``with``); ``url`` once started; ``enrol_code()`` for devices."""

    def __init__(
        self,
        *,
        workdir: str | Path | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        database_url: str | None = None,
        env: dict[str, str] | None = None,
        start_timeout_s: float = 30.0,
    ) -> None:
        self._own_dir = workdir is None
        self.workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="kiosk-server-"))
        self.host = host
        self.port = port or free_port(host)
        self.database_url = database_url or f"sqlite:///{self.workdir / 'server.db'}"
        self.extra_env = dict(env or {})
        self.start_timeout_s = start_timeout_s
        self.log_path = self.workdir / "server.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._migrated = False

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def db_path(self) -> Path | None:
        """The SQLite file, when the database is one (tests read it to count events)."""
        prefix = "sqlite:///"
        return Path(self.database_url[len(prefix):]) if self.database_url.startswith(prefix) else None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({"DATABASE_URL": self.database_url, "KIOSK_SERVER_ENVIRONMENT": "development"})
        env.update(self.extra_env)
        return env

    def cli(self, *args: str, timeout: float = 60.0) -> str:
        """Run ``kiosk-server ARGS`` against this server's database; returns its stdout."""
        done = subprocess.run(server_command() + list(args), env=self.env(), cwd=self.workdir,
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise MgmtServerError(f"kiosk-server {' '.join(args)} failed ({done.returncode}): "
                                  f"{(done.stderr or done.stdout).strip()[-2000:]}")
        if args[:1] == ("migrate",):
            self._migrated = True  # start() need not migrate again
        return done.stdout

    def enrol_code(self, site: str | None = None, device_type: str = "terminal") -> str:
        """A one-time enrol code (the CLI prints it on its last line)."""
        args = ["enrol-code", "--type", device_type] + (["--site", site] if site else [])
        lines = [line.strip() for line in self.cli(*args).splitlines() if line.strip()]
        if not lines:
            raise MgmtServerError("kiosk-server enrol-code printed nothing")
        return lines[-1]

    def start(self) -> "MgmtServer":
        if self._proc is not None:
            return self
        if not self._migrated:
            self.cli("migrate")
            self._migrated = True
        log = open(self.log_path, "ab")
        try:
            self._proc = subprocess.Popen(
                server_command() + ["run", "--host", self.host, "--port", str(self.port)],
                env=self.env(), cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                self._proc = None
                raise MgmtServerError(f"kiosk-server exited at start-up: {self.log_tail()}")
            try:
                # B310: http://127.0.0.1
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # nosec B310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise MgmtServerError(f"kiosk-server not ready after {self.start_timeout_s} s: {self.log_tail()}")

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            terminate(proc)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self) -> "MgmtServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)
