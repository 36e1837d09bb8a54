"""Engine and session factory for SQLite and PostgreSQL.

SQLite gets WAL mode, a busy timeout and foreign keys on every connection: WAL lets the
dashboard read while a batch is being ingested, the busy timeout turns short write
contention into waiting instead of "database is locked", and SQLite enforces foreign keys
only when asked. Transactions start with ``BEGIN IMMEDIATE``: a deferred transaction that
reads and then writes fails at once (SQLITE_BUSY, no waiting) when another writer committed
in between, which concurrent heartbeats and batches would hit all the time. PostgreSQL needs nothing special; the pool is sized for a small replica.

Both databases get the same two scrubs at the boundary, because PostgreSQL refuses a NUL
character in text and NaN/Infinity in JSON (a 500, and for a device a batch its outbox would
retry for ever): NUL becomes U+FFFD (the replacement character) in every bound string and
JSON value, NaN/Infinity become ``null``. SQLite would store them, but one rule for both keeps
what a record says independent of the database it lives in.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    """Create the engine for ``url``; the SQLite file's folder is created when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               json_serializer=dump_json)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    else:
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, json_serializer=dump_json)
    event.listen(engine, "before_cursor_execute", _scrub_parameters, retval=True)
    return engine


def scrub(value: Any) -> Any:
    """``value`` with NUL replaced in every string and NaN/Infinity turned into ``None``."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(v) for v in value)
    return value


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)  # built once: json.dumps(**options) builds one per call
_ESCAPED_NUL = "\\u0000"  # how the encoder writes a NUL character


def dump_json(value: Any) -> str:
    """``value`` as JSON text, scrubbed (see ``scrub``).

    Encodes first and walks the value only when the text shows something to scrub (a NaN or
    Infinity makes the encoder raise; a NUL appears as ``\\u0000``): nearly every value is
    clean, and the encoder is C code while ``scrub`` is a Python walk.
    """
    try:
        text = _ENCODER.encode(value)
    except ValueError:  # NaN or Infinity somewhere
        return _ENCODER.encode(scrub(value))
    return _ENCODER.encode(scrub(value)) if _ESCAPED_NUL in text else text


SCRUBBED = {"kiosk_scrubbed": True}
"""Execution options of a statement whose parameters the caller has already scrubbed (bulk
ingestion: ids and types checked by the wire schema, payloads through ``dump_json``), so the
hook below need not walk thousands of values a second time."""


def _scrub_parameters(_conn, _cursor, statement, parameters, context, _executemany):  # type: ignore[no-untyped-def]
    if context is not None and context.execution_options.get("kiosk_scrubbed"):
        return statement, parameters
    return statement, scrub(parameters)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" hook issue BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: every commit's WAL is synced before the answer goes out. NORMAL would keep the file
    # consistent but may lose the last commits on a power cut, and a device deletes an event from
    # its outbox as soon as the server has acknowledged it. Group commit shares the sync.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(connection: Connection) -> None:
    # Read-only units of work (``reading`` below) keep a plain BEGIN: they never upgrade to a
    # write, and WAL lets them run beside the writer instead of queueing for its lock.
    read_only = connection.get_execution_options().get("kiosk_read_only", False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: routes read attributes after commit to build their answer.
    return sessionmaker(engine, expire_on_commit=False)


def make_read_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine.execution_options(kiosk_read_only=True), expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session
