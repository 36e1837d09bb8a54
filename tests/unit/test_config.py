"""Config files: the shipped examples are valid, and every kind of mistake is one clear line."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_kiosk_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["terminal.example.toml", "evaluator.example.toml"])
def test_example_configs_are_valid(name):
    config = load_kiosk_config(ROOT / "config" / name)
    assert config.maintenance.pin_hash.startswith("pbkdf2_sha256$")


@pytest.mark.parametrize("section,role", [("terminal", "terminal"), ("evaluator", "evaluator")])
def test_demo_sections_are_valid(section, role):
    assert load_kiosk_config(ROOT / "config" / "demo.toml", section).role == role


def _write_broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "config" / "terminal.example.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "terminal.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old,new,expected", [
    ('port = "usb:0x0416:0x5011"', 'port = "printer-on-the-left"',
     "devices.printer.port: not a serial port, host:port, usb:VID:PID or file:PATH"),
    ('port = "/dev/ttyUSB0"', 'port = "localhost:9100"', "devices.idcard.port: not a serial port"),
    ("idle_timeout_s = 90", "idle_timeout = 90", "ui.idle_timeout: unknown key"),
    ('region_code = "110105"           # 行政区划代码, 6 or 9 digits', 'region_code = "11010"',
     "device.region_code: not a 6 or 9 digit 行政区划 code"),
    ('role = "terminal"', 'role = "kiosk"', "role: Input should be 'terminal' or 'evaluator'"),
    ("paper_width_mm = 80", "paper_width_mm = 76", "devices.printer.paper_width_mm: Input should be 58 or 80"),
    ('pin_hash = "pbkdf2', 'pin_hash = "246810" #', "maintenance.pin_hash: not a PIN hash made by `kiosk hash-pin` (pbkdf2_sha256$...)"),
])
def test_bad_value_names_file_key_and_reason(tmp_path, old, new, expected):
    path = _write_broken(tmp_path, old, new)
    with pytest.raises(ConfigError) as err:
        load_kiosk_config(path)
    assert str(err.value).splitlines()[0] == f"{path}: {expected}"


def test_missing_required_key(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('role = "terminal"\n[device]\nid = "T1"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_kiosk_config(path)
    assert str(err.value) == f"{path}: maintenance: required key is missing"


def test_syntax_error_and_missing_file(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('role = "terminal\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_kiosk_config(path)
    assert str(err.value).startswith(f"{path}: (syntax): ")
    with pytest.raises(ConfigError) as err:
        load_kiosk_config(tmp_path / "nope.toml")
    assert str(err.value) == f"{tmp_path / 'nope.toml'}: (file): not found"


def test_section_errors_carry_the_section(tmp_path):
    text = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8").replace('window = "12"', 'window = 12')
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_kiosk_config(path, "evaluator")
    assert str(err.value) == f"{path}: evaluator.device.window: Input should be a valid string"


@pytest.mark.parametrize("command", [["doctor"], ["run"]])
def test_cli_reports_a_broken_config_in_one_line_without_traceback(tmp_path, command):
    path = _write_broken(tmp_path, 'port = "usb:0x0416:0x5011"', 'port = "printer-on-the-left"')
    out = subprocess.run([sys.executable, "-m", "kiosk.cli", *command, "--config", str(path)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip() == (f"{path}: devices.printer.port: not a serial port, host:port, usb:VID:PID "
                                  "or file:PATH")
    assert "Traceback" not in out.stdout + out.stderr
