"""Settings: defaults, environment, the TOML file, precedence and the placeholder-secret refusal."""
from __future__ import annotations

from pathlib import Path

import pytest

from server.settings import Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "server.example.toml"


def test_defaults_use_a_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings()
    assert settings.database_url == "sqlite:///var/server/server.db" and settings.is_sqlite


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert load_settings().database_url == "postgresql+psycopg://u@h/db"
    assert load_settings(EXAMPLE).database_url == "postgresql+psycopg://u@h/db"  # env beats the file


def test_example_file_loads_and_overrides_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = load_settings(EXAMPLE, offline_after_s=600)
    assert settings.heartbeat_interval_s == 60 and settings.offline_after_s == 600


def test_placeholder_secret_is_refused_outside_development(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_SERVER_SECRET_KEY", raising=False)
    with pytest.raises(ValueError, match="secret_key"):
        Settings(environment="production")
    with pytest.raises(ValueError, match="secret_key"):
        Settings(environment="production", secret_key="change-me")
    assert Settings(environment="production", secret_key="x" * 32).secret_key == "x" * 32
    config = tmp_path / "server.toml"
    config.write_text('[server]\nenvironment = "production"\nsecret_key = "change-me"\n')
    with pytest.raises(SystemExit, match="server.toml.*secret_key"):
        load_settings(config)


def test_unknown_keys_and_bad_values_name_the_key(tmp_path: Path) -> None:
    config = tmp_path / "server.toml"
    config.write_text("[server]\nheartbeat_intervall_s = 60\n")
    with pytest.raises(SystemExit, match="heartbeat_intervall_s"):
        load_settings(config)
    config.write_text("[server]\nheartbeat_interval_s = 300\noffline_after_s = 200\n")
    with pytest.raises(SystemExit, match="offline_after_s"):
        load_settings(config)
