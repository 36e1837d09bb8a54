"""Server settings: environment variables, an optional TOML file, and start-up checks.

Settings are read once by the CLI (or a test) and passed down to the app factory, so nothing
reads the environment at import time and several differently configured apps can live in one
test process. Environment variables (``KIOSK_SERVER_*`` and the conventional ``DATABASE_URL``)
override the TOML file, which overrides the defaults: an operator can keep the file in
configuration management and still override one value for a migration run.
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "dev-secret", "secret", "please-change-this-secret"})
DEV_SECRET = "dev-secret"
DEFAULT_SQLITE_PATH = Path("var/server/server.db")


class Settings(BaseSettings):
    """Everything the server needs to start; see ``config/server.example.toml`` for comments."""

    model_config = SettingsConfigDict(env_prefix="KIOSK_SERVER_", extra="forbid", populate_by_name=True)

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("DATABASE_URL", "KIOSK_SERVER_DATABASE_URL", "database_url"),
    )
    secret_key: str = DEV_SECRET
    # Device protocol limits.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_application_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)  # multipart POST /applications (scanned PDFs)
    content_source: str = "server.content.demo_source:DemoCaseSource"  # CaseSource for cases/certificates/applications
    max_batch_events: int = Field(default=1000, ge=1)
    device_rate_per_s: float = Field(default=50.0, gt=0)
    device_burst: int = Field(default=200, ge=1)
    # Fleet behaviour.
    heartbeat_interval_s: int = Field(default=60, ge=5)
    offline_after_s: int = Field(default=180, ge=10)
    sweep_every_s: float = Field(default=30.0, ge=0)  # 0 disables the background sweeper
    flap_window_s: int = Field(default=300, ge=0)
    enrol_code_ttl_h: int = Field(default=72, ge=1)
    # Dashboard.
    login_max_failures: int = Field(default=5, ge=1)
    login_window_s: int = Field(default=300, ge=1)
    session_max_age_s: int = Field(default=8 * 3600, ge=60)
    secure_cookies: bool = False
    # 好差评 (server/ratings): rectification deadline, public base URL of the rating-QR page, push upstream.
    ratings_rectify_days: int = Field(default=5, ge=1, le=60)
    ratings_public_url: str = ""  # e.g. https://hall.example.gov.cn; default: the URL the dashboard is reached by
    ratings_push_url: str = ""
    ratings_push_token: str = ""
    ratings_push_profile: str = "national"
    ratings_push_attempts: int = Field(default=5, ge=1, le=20)
    ratings_push_backoff_s: float = Field(default=2.0, ge=0)
    ratings_push_batch: int = Field(default=500, ge=1, le=5000)
    # Webhook notifications (server/notify): the sender's round, HTTP timeout, retries with backoff.
    public_url: str = ""  # e.g. https://kiosk.example.gov.cn: links in notifications, empty for none
    notify_every_s: float = Field(default=5.0, ge=0)  # 0 disables the background sender
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    webhook_retry_base_s: float = Field(default=15.0, gt=0)  # waits 15 s, 30 s, 1 min ... up to 1 h
    webhook_max_attempts: int = Field(default=12, ge=1)
    enrol_retry_window_s: int = Field(default=600, ge=0)  # a lost enrol answer may be retried this long
    # Retention (server/retention.py): finished notifications and enrol claims are forgotten after this.
    notify_keep_days: int = Field(default=90, ge=0)  # 0 keeps them for ever
    enrol_claim_keep_days: int = Field(default=30, ge=1)
    purge_every_s: float = Field(default=3600.0, ge=0)  # 0: only `kiosk-server purge` purges

    @field_validator("database_url")
    @classmethod
    def _default_sqlite(cls, value: str) -> str:
        return value or f"sqlite:///{DEFAULT_SQLITE_PATH}"

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> "Settings":
        """A forgotten secret outside development would let anyone forge dashboard sessions."""
        if self.environment != "development" and self.secret_key.strip().lower() in PLACEHOLDER_SECRETS:
            raise ValueError("secret_key: a real secret is required outside development (set KIOSK_SERVER_SECRET_KEY)")
        if self.environment != "development" and len(self.secret_key) < 16:
            raise ValueError("secret_key: must be at least 16 characters outside development")
        if self.offline_after_s <= self.heartbeat_interval_s:
            raise ValueError("offline_after_s: must be longer than heartbeat_interval_s")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(config: Path | str | None = None, **overrides: Any) -> Settings:
    """Read ``config`` (a TOML file whose ``[server]`` table holds the settings) and the environment.

    Errors name the file and the key, e.g. ``server.toml: server.secret_key: ...``.
    Precedence: explicit ``overrides`` > environment > file > defaults, so an operator keeps the
    file in configuration management and still overrides one value for a single run.
    """
    if config is None:
        return Settings(**overrides)
    path = Path(config)
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    values = {k: v for k, v in dict(data.get("server", data)).items() if not _in_environment(k)}
    try:
        return Settings(**{**values, **overrides})
    except ValueError as exc:
        raise SystemExit(f"{path}: {_format_error(exc)}") from None


def _in_environment(field: str) -> bool:
    names = {f"KIOSK_SERVER_{field.upper()}"} | ({"DATABASE_URL"} if field == "database_url" else set())
    return any(name in os.environ for name in names)


def _format_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if errors is None:
        return str(exc)
    parts = []
    for err in errors():
        loc = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"server.{loc}: {err['msg']}" if loc else err["msg"])
    return "; ".join(parts)
