"""``kiosk demo`` end to end: server, terminal and evaluator come up; Ctrl-C stops them all."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.ui, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _demo_config(tmp_path: Path, port: int) -> Path:
    """demo.toml with its own folder, server port, printer ports and ID-card link."""
    text = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('"var/demo', f'"{tmp_path}/demo').replace("8700", str(port))
    text = text.replace("127.0.0.1:9100", f"127.0.0.1:{_free_port()}").replace("127.0.0.1:8631", f"127.0.0.1:{_free_port()}")
    text = text.replace("/dev/ttySIM-idcard", f"/dev/ttySIM-idcard-{port}")
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _online_demo_devices(tmp_path: Path) -> set[str]:
    """Types of the non-sample devices the server holds as online (read-only look at its SQLite)."""
    import sqlite3

    db = sqlite3.connect(f"file:{tmp_path}/demo/server/server.db?mode=ro", uri=True, timeout=5)
    try:
        rows = db.execute("SELECT type FROM devices WHERE online AND id NOT LIKE 'SAMPLE-%'").fetchall()
    except sqlite3.Error:
        return set()
    finally:
        db.close()
    return {r[0] for r in rows}


def _processes_mentioning(needle: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if needle in cmdline:
            found.append(f"{pid}: {cmdline}")
    return found


def test_demo_starts_everything_and_ctrl_c_stops_it(tmp_path):
    port = _free_port()
    config = _demo_config(tmp_path, port)
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}  # as on a headless host
    demo = subprocess.Popen([sys.executable, "-m", "kiosk.cli", "demo", "--config", str(config)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    shots = tmp_path / "demo" / "screenshots"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if {p.name for p in shots.glob("*.png")} >= {"DEMO-T-0001.png", "DEMO-E-0012.png"}:
                break
            assert demo.poll() is None, demo.stdout.read() if demo.stdout else ""
            time.sleep(0.5)
        else:
            raise AssertionError("no screenshots of both windows")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.status == 200
            json.loads(response.read() or b"{}")
        # the terminal and the evaluator enrolled and report heartbeats: both online on the server
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _online_demo_devices(tmp_path) != {"terminal", "evaluator"}:
            time.sleep(1)
        assert _online_demo_devices(tmp_path) == {"terminal", "evaluator"}
    finally:
        demo.send_signal(signal.SIGINT)  # Ctrl-C
        output, _ = demo.communicate(timeout=60)
    assert demo.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output and "password:" in output
    assert str(shots.resolve()) in output  # says where to look when there is no display
    assert "demo stopped" in output
    time.sleep(0.5)
    assert _processes_mentioning(str(config)) == []
    assert _processes_mentioning(str(tmp_path / "demo" / "server")) == []
