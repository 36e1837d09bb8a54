"""``kiosk doctor`` against real local devices: the virtual printer, a pty, a missing port."""
from __future__ import annotations

import json
import os
import pty
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN_HASH = "pbkdf2_sha256$1000$YWJj$YWJj"


@pytest.fixture()
def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture()
def pty_path():
    master, slave = pty.openpty()
    yield os.ttyname(slave)
    os.close(master)
    os.close(slave)


def _config(tmp_path: Path, devices: str) -> Path:
    path = tmp_path / "t.toml"
    path.write_text(f"""
role = "terminal"
[device]
id = "T-TEST"
[maintenance]
pin_hash = "{PIN_HASH}"
[paths]
data_dir = "{tmp_path}/data"
log_dir = "{tmp_path}/log"
{devices}
""", encoding="utf-8")
    return path


def _doctor(path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk.cli", "doctor", "--config", str(path), *extra],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_all_present_exits_zero(tmp_path, printer_sim, pty_path):
    path = _config(tmp_path, f"""
[devices.printer]
port = "{printer_sim.port}"
[devices.scanner]
port = "{pty_path}"
""")
    out = _doctor(path, "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    rows = {r["device"]: r for r in json.loads(out.stdout)}
    assert rows["printer"]["state"] == "ok" and rows["scanner"]["state"] == "ok"


def test_required_fault_exits_non_zero_with_reason_in_table(tmp_path, printer_sim):
    path = _config(tmp_path, f"""
[devices.printer]
port = "{printer_sim.port}"
[devices.idcard]
port = "/dev/ttyUSB-not-here"
""")
    out = _doctor(path, "--lang", "en")
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[1].split() == ["device", "link", "state", "reason"]
    idcard = next(line for line in lines if line.startswith("idcard"))
    assert "Fault" in idcard and "Not connected" in idcard and "/dev/ttyUSB-not-here" in idcard
    printer = next(line for line in lines if line.startswith("printer"))
    assert " OK " in printer


def test_optional_fault_does_not_fail(tmp_path):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    path = _config(tmp_path, f"""
[devices.printer]
port = "127.0.0.1:{port}"
required = false
""")
    out = _doctor(path, "--json")
    assert out.returncode == 0
    row = json.loads(out.stdout)[0]
    assert row["state"] == "fault" and row["reason"] == "unreachable"


def test_printer_out_of_paper_is_a_required_fault(tmp_path, printer_sim):
    printer_sim.control("paper-out")
    path = _config(tmp_path, f"""
[devices.printer]
port = "{printer_sim.port}"
""")
    out = _doctor(path, "--json")
    assert out.returncode == 1
    row = next(r for r in json.loads(out.stdout) if r["device"] == "printer")
    assert row["state"] == "fault" and row["reason"] == "paper_out"


def test_server_link_and_reporting_are_shown(tmp_path):
    path = _config(tmp_path, "[server]\nurl = \"http://127.0.0.1:9\"\nrequired = true\n")
    out = _doctor(path, "--json")
    assert out.returncode == 1
    rows = {r["device"]: r for r in json.loads(out.stdout)}
    assert rows["server"]["reason"] == "server_unreachable"
    assert rows["reporting"]["link"].startswith("0 pending, last upload -")
