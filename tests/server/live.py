"""Start ``kiosk-server run`` as a real process on a free port (for the CLI contract and browser tests)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.fixtures.postgres import free_port

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str, database_url: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``kiosk-server ARGS`` the way an operator would, with ``DATABASE_URL`` set."""
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120, check=check)


@contextmanager
def serve(database_url: str, **env_settings: str) -> Iterator[str]:
    """Yield the base URL of a running server; it is stopped (SIGTERM, then SIGKILL) afterwards."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, **{f"KIOSK_SERVER_{k.upper()}": v for k, v in env_settings.items()}}
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "run", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"kiosk-server exited: {process.stdout.read() if process.stdout else ''}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("kiosk-server did not answer /healthz within 60 s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
