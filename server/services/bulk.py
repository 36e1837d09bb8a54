"""Fast bulk inserts for ingestion, one code path per database.

SQLite: one ``SELECT id .. IN (..)`` for the ids already stored, then a plain executemany
of driver-level ``INSERT``s with values converted here. The ingesting transaction holds
SQLite's write lock (``BEGIN IMMEDIATE``, see ``server.db``), so no other writer can add
one of these ids in between. This replaced ``INSERT .. ON CONFLICT DO NOTHING RETURNING``
through SQLAlchemy's insertmanyvalues, where per-row statement assembly and bind processing
(two datetime conversions per row) cost more than SQLite's own work.
PostgreSQL: ``INSERT .. SELECT FROM unnest(arrays)``: one statement with a fixed number of
array parameters whatever the batch size. The generic executemany form costs about 4x more
there, because the driver re-parses a long multi-VALUES query for every batch and sends
the non-RETURNING rows one by one in a pipeline.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.db import SCRUBBED, dump_json  # NaN/Infinity -> null, NUL -> U+FFFD, as on every other write

_SQLITE_MAX_VARS = 900  # below SQLite's default limit of bound parameters per statement
_SQLITE_EVENTS = ("INSERT INTO events (id, device_id, seq, type, occurred_at, received_at, payload) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)")
_SQLITE_USAGE = ("INSERT INTO usage_records (event_id, device_id, function, outcome, pages, occurred_at) "
                 "VALUES (?, ?, ?, ?, ?, ?)")

_PG_EVENTS = text("""
INSERT INTO events (id, device_id, seq, type, occurred_at, received_at, payload)
SELECT e.id, :device_id, e.seq, e.type, e.occurred_at, :received_at, e.payload
FROM unnest(CAST(:ids AS varchar[]), CAST(:seqs AS bigint[]), CAST(:types AS varchar[]),
            CAST(:times AS timestamptz[]), CAST(:payloads AS json[])) AS e(id, seq, type, occurred_at, payload)
ON CONFLICT (id) DO NOTHING
RETURNING id
""")

_PG_USAGE = text("""
INSERT INTO usage_records (event_id, device_id, function, outcome, pages, occurred_at)
SELECT u.event_id, :device_id, u.function, u.outcome, u.pages, u.occurred_at
FROM unnest(CAST(:event_ids AS varchar[]), CAST(:functions AS varchar[]), CAST(:outcomes AS varchar[]),
            CAST(:pages AS integer[]), CAST(:times AS timestamptz[])) AS u(event_id, function, outcome, pages, occurred_at)
""")


class EventRow(Protocol):
    """What ``insert_events`` reads from an event (``server.services.ingest.Incoming``)."""

    @property
    def id(self) -> str: ...
    @property
    def seq(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def payload(self) -> dict[str, Any]: ...


def insert_events(session: Session, device_id: str, received_at: datetime, events: Sequence[EventRow]) -> set[str]:
    """Insert events (ids unique within ``events``); returns the ids that were new.

    Ids, types and the usage fields are wire-schema-checked strings (no NUL possible) and the
    payloads go through ``dump_json``, so the statements skip the generic parameter scrub.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        result = connection.execute(_PG_EVENTS, {
            "device_id": device_id, "received_at": received_at, "ids": [e.id for e in events],
            "seqs": [e.seq for e in events], "types": [e.type for e in events],
            "times": [e.occurred_at for e in events], "payloads": [dump_json(e.payload) for e in events],
        }, execution_options=SCRUBBED)
        return set(result.scalars())
    ids = [e.id for e in events]
    stored: set[str] = set()
    for start in range(0, len(ids), _SQLITE_MAX_VARS):
        chunk = ids[start : start + _SQLITE_MAX_VARS]
        marks = ",".join("?" * len(chunk))  # only "?" marks: the ids are bound parameters
        query = f"SELECT id FROM events WHERE id IN ({marks})"  # nosec B608
        stored.update(row[0] for row in connection.exec_driver_sql(query, tuple(chunk), execution_options=SCRUBBED))
    received = sqlite_time(received_at)
    times: dict[datetime, str] = {}  # a batch often repeats a time (a burst of events in one second)
    new = []
    for e in events:
        if e.id in stored:
            continue
        at = times.get(e.occurred_at)
        if at is None:
            at = times[e.occurred_at] = sqlite_time(e.occurred_at)
        new.append((e.id, device_id, e.seq, e.type, at, received, dump_json(e.payload)))
    if new:
        connection.exec_driver_sql(_SQLITE_EVENTS, new, execution_options=SCRUBBED)
    return {row[0] for row in new}


def insert_usage(session: Session, device_id: str, events: Sequence[EventRow]) -> None:
    """Insert the usage records of ``usage`` events (payload: function, outcome, optional pages)."""
    if not events:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_USAGE, {
            "device_id": device_id, "event_ids": [e.id for e in events],
            "functions": [e.payload["function"] for e in events], "outcomes": [e.payload["outcome"] for e in events],
            "pages": [e.payload.get("pages", 0) for e in events], "times": [e.occurred_at for e in events],
        }, execution_options=SCRUBBED)
        return
    times = {at: sqlite_time(at) for at in {e.occurred_at for e in events}}
    connection.exec_driver_sql(_SQLITE_USAGE, [
        (e.id, device_id, e.payload["function"], e.payload["outcome"], e.payload.get("pages", 0),
         times[e.occurred_at]) for e in events], execution_options=SCRUBBED)


def sqlite_time(value: datetime) -> str:
    """A aware datetime as ``UTCDateTime`` stores it on SQLite (UTC, SQLAlchemy's DATETIME text format)."""
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(" ", "microseconds")
