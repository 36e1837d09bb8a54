"""Everything one app instance owns, created by the app factory and reached through ``request.app``.

Keeping it on the app (not in module globals) lets tests build several apps with different
settings and databases in one process.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from server.db import make_engine, make_read_sessionmaker, make_sessionmaker, transaction
from server.metrics import Counters
from server.ratelimit import FailureLimiter, TokenBucket
from server.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    device_limiter: TokenBucket
    login_limiter: FailureLimiter
    readers: sessionmaker[Session] | None = None
    counters: Counters = field(default_factory=Counters)

    @classmethod
    def build(cls, settings: Settings) -> "AppContext":
        engine = make_engine(settings.database_url)
        return cls(
            settings=settings, engine=engine, sessions=make_sessionmaker(engine), readers=make_read_sessionmaker(engine),
            device_limiter=TokenBucket(settings.device_rate_per_s, settings.device_burst),
            login_limiter=FailureLimiter(settings.login_max_failures, settings.login_window_s),
        )

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.sessions) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A unit of work that only reads (token checks, pages): no write lock on SQLite."""
        with transaction(self.readers or self.sessions) as session:
            yield session
