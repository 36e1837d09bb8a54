"""``kiosk run`` end to end: the real UI under its supervisor, frozen on purpose."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures.kivy_ui import kiosk_config_dict

pytestmark = [pytest.mark.ui, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_config(tmp_path: Path) -> Path:
    data = kiosk_config_dict("terminal", tmp_path)
    data["liveness"] = {"stall_timeout_s": 5, "restart_backoff_s": 0}
    lines = [f"role = {_toml(data.pop('role'))}", f"config_version = {_toml(data.pop('config_version'))}"]
    for table, values in data.items():
        lines.append(f"[{table}]")
        lines += [f"{k} = {_toml(v)}" for k, v in values.items()]
    path = tmp_path / "terminal.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ui_pids(log_text: str) -> list[int]:
    return [int(p) for p in re.findall(r"UI started \(pid (\d+)\)", log_text)]


def _wait_log(path: Path, predicate, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if predicate(text):
            return text
        time.sleep(0.2)
    raise AssertionError(f"timed out; log so far:\n{text}")


def test_frozen_ui_is_restarted_and_sigterm_stops_everything(tmp_path, kivy_window):
    config = _write_config(tmp_path)
    shots = tmp_path / "shots"
    env = dict(os.environ, KIVY_NO_CONSOLELOG="1")
    supervisor = subprocess.Popen([sys.executable, "-m", "kiosk.cli", "run", "--config", str(config),
                                   "--screenshot-dir", str(shots)], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = tmp_path / "log" / "supervisor.log"
    try:
        # the UI is up and drawing: its screenshot appears
        deadline = time.monotonic() + 90
        while not (shots / "TEST-T-1.png").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert (shots / "TEST-T-1.png").exists()
        started = _ui_pids(_wait_log(log, lambda t: len(_ui_pids(t)) >= 1))
        frozen_pid = started[-1]
        os.kill(frozen_pid, signal.SIGSTOP)  # a frozen UI: alive, but no longer ticking
        text = _wait_log(log, lambda t: len(_ui_pids(t)) > len(started), timeout=40)
        assert f"killing pid {frozen_pid}" in text and "UI stalled: no heartbeat" in text
        second_pid = _ui_pids(text)[-1]
        assert second_pid != frozen_pid
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and Path(f"/proc/{frozen_pid}").exists():
            time.sleep(0.1)
        assert not Path(f"/proc/{frozen_pid}").exists()  # the frozen one is gone, not left behind
    finally:
        supervisor.send_signal(signal.SIGTERM)
        code = supervisor.wait(30)
    assert code == 0
    with pytest.raises(ProcessLookupError):
        os.kill(second_pid, 0)


def test_gallery_regenerates_every_screenshot(tmp_path, kivy_window):
    env = dict(os.environ, KIVY_NO_CONSOLELOG="1")
    # ~40 screens in two modes: about a minute alone, several on a machine busy with other runs
    out = subprocess.run([sys.executable, "-m", "kiosk.cli", "screenshots", "--out", str(tmp_path)], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert {"terminal_home.png", "evaluator_idle.png", "terminal_home_elderly.png", "maintenance.png"} <= set(names)
    assert all((tmp_path / n).stat().st_size > 10_000 for n in names)


def test_missing_cjk_font_stops_with_the_package_to_install(tmp_path, kivy_window):
    config = _write_config(tmp_path)
    text = config.read_text(encoding="utf-8").replace("[ui]\n", f'[ui]\nfont = "{tmp_path}/no-such-font.ttf"\n')
    config.write_text(text, encoding="utf-8")
    env = dict(os.environ, KIVY_NO_CONSOLELOG="1")
    out = subprocess.run([sys.executable, "-m", "kiosk.cli", "run", "--config", str(config)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "apt-get install fonts-wqy-microhei" in out.stderr
    assert "Traceback" not in out.stderr
    log = (tmp_path / "log" / "supervisor.log").read_text(encoding="utf-8")
    assert len(_ui_pids(log)) == 1  # refused once, not restarted in a loop
