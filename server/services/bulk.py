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

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.db import dump_json  # NaN/Infinity -> null, NUL -> U+FFFD, as on every other write

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


def insert_events(session: Session, device_id: str, received_at: datetime, rows: list[dict[str, Any]]) -> set[str]:
    """Insert events (keys id, seq, type, occurred_at, payload); returns the ids that were new."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        result = connection.execute(_PG_EVENTS, {
            "device_id": device_id, "received_at": received_at, "ids": [r["id"] for r in rows],
            "seqs": [r["seq"] for r in rows], "types": [r["type"] for r in rows],
            "times": [r["occurred_at"] for r in rows],
            "payloads": [dump_json(r["payload"]) for r in rows],
        })
        return set(result.scalars())
    ids = [r["id"] for r in rows]
    stored: set[str] = set()
    for start in range(0, len(ids), _SQLITE_MAX_VARS):
        chunk = ids[start : start + _SQLITE_MAX_VARS]
        marks = ",".join("?" * len(chunk))  # only "?" marks: the ids are bound parameters
        query = f"SELECT id FROM events WHERE id IN ({marks})"  # nosec B608
        stored.update(row[0] for row in connection.exec_driver_sql(query, tuple(chunk)))
    received = sqlite_time(received_at)
    new = [(r["id"], device_id, r["seq"], r["type"], sqlite_time(r["occurred_at"]), received,
            dump_json(r["payload"])) for r in rows if r["id"] not in stored]
    if new:
        connection.exec_driver_sql(_SQLITE_EVENTS, new)
    return {row[0] for row in new}


def insert_usage(session: Session, device_id: str, rows: list[dict[str, Any]]) -> None:
    """Insert usage records (keys event_id, function, outcome, pages, occurred_at)."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_USAGE, {
            "device_id": device_id, "event_ids": [r["event_id"] for r in rows],
            "functions": [r["function"] for r in rows], "outcomes": [r["outcome"] for r in rows],
            "pages": [r["pages"] for r in rows], "times": [r["occurred_at"] for r in rows],
        })
        return
    connection.exec_driver_sql(_SQLITE_USAGE, [(r["event_id"], device_id, r["function"], r["outcome"], r["pages"],
                                                sqlite_time(r["occurred_at"])) for r in rows])


def sqlite_time(value: datetime) -> str:
    """A aware datetime as ``UTCDateTime`` stores it on SQLite (UTC, SQLAlchemy's DATETIME text format)."""
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(" ", "microseconds")
