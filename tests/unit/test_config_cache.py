"""The validated-config cache: a start with an unchanged file needs no pydantic; anything else
(an edit, a foreign or damaged entry, a wrong file) is validated as before."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config_cache
from kiosk.config import ConfigError, KioskConfig, load_kiosk_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KIOSK_CONFIG_CACHE", str(folder))
    return folder


@pytest.fixture
def config_file(tmp_path) -> Path:
    path = tmp_path / "terminal.toml"
    path.write_text((ROOT / "config" / "demo.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.pickle"))


def test_a_second_load_of_the_same_bytes_is_the_cached_config(cache, config_file):
    first = load_kiosk_config(config_file, "terminal", cached=True)
    [entry] = _entries(cache)
    assert oct(entry.stat().st_mode & 0o777) == "0o600" and oct(cache.stat().st_mode & 0o777) == "0o700"
    second = load_kiosk_config(config_file, "terminal", cached=True)
    assert second == first and second is not first and isinstance(second, KioskConfig)
    assert config_cache.get(config_file, "terminal", config_file.read_bytes()) == first
    load_kiosk_config(config_file, "evaluator", cached=True)
    assert len(_entries(cache)) == 2  # one entry per file and section


def test_a_cached_start_does_not_import_pydantic(cache, config_file):
    load_kiosk_config(config_file, "terminal", cached=True)
    probe = ("import sys; from kiosk.config import load_kiosk_config as load; "
             f"c = load({str(config_file)!r}, 'terminal', cached=True); "
             "print(c.device.id, 'pydantic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "KIOSK_CONFIG_CACHE": str(cache)})
    assert out.stdout.split() == ["DEMO-T-0001", "False"], out.stderr


def test_an_edited_file_is_validated_again(cache, config_file):
    load_kiosk_config(config_file, "terminal", cached=True)
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace("idle_timeout_s = 60", "idle_timeout_s = 75"), encoding="utf-8")
    assert load_kiosk_config(config_file, "terminal", cached=True).ui.idle_timeout_s == 75
    config_file.write_text(text.replace("idle_timeout_s = 60", "idle_timeout_s = 1"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"terminal\.ui\.idle_timeout_s: Input should be greater than or equal to 5"):
        load_kiosk_config(config_file, "terminal", cached=True)


def test_a_wrong_file_is_never_cached(cache, config_file):
    config_file.write_text("[terminal]\nrole = 'terminal'\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="terminal.device: required key is missing"):
            load_kiosk_config(config_file, "terminal", cached=True)
    assert _entries(cache) == []


def test_damaged_or_foreign_entries_are_not_used(cache, config_file):
    good = load_kiosk_config(config_file, "terminal", cached=True)
    [entry] = _entries(cache)
    raw = config_file.read_bytes()
    entry.write_bytes(entry.read_bytes()[:40])  # truncated by a power cut
    assert config_cache.get(config_file, "terminal", raw) is None
    assert load_kiosk_config(config_file, "terminal", cached=True) == good  # validated and written again
    assert config_cache.get(config_file, "terminal", raw) == good
    entry.chmod(0o620)  # someone else could have written it
    assert config_cache.get(config_file, "terminal", raw) is None
    entry.chmod(0o600)
    cache.chmod(0o770)
    assert config_cache.get(config_file, "terminal", raw) is None
    cache.chmod(0o700)


def test_switched_off_and_unwritable_cache_only_cost_speed(tmp_path, config_file, monkeypatch):
    monkeypatch.setenv("KIOSK_CONFIG_CACHE", "off")
    assert load_kiosk_config(config_file, "terminal", cached=True).device.id == "DEMO-T-0001"
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("KIOSK_CONFIG_CACHE", str(blocked / "cache"))
    assert load_kiosk_config(config_file, "terminal", cached=True).device.id == "DEMO-T-0001"


def test_sections_round_trip_through_plain_values(config_file):
    config = load_kiosk_config(config_file, "evaluator")
    again = KioskConfig.validate(config.to_dict())
    assert again == config and hash(again) == hash(config)
    changed = config.replace(ui=config.ui.replace(idle_timeout_s=30))
    assert changed != config and changed.ui.idle_timeout_s == 30 and config.ui.idle_timeout_s != 30
    with pytest.raises(AttributeError):
        config.role = "terminal"  # type: ignore[misc]  # frozen
