"""Fast bulk inserts for ingestion, one code path per database.

SQLite: a cached ``INSERT .. ON CONFLICT DO NOTHING RETURNING`` run as executemany.
PostgreSQL: ``INSERT .. SELECT FROM unnest(arrays)``: one statement with a fixed number of
array parameters whatever the batch size. The generic executemany form costs about 4x more
there, because the driver re-parses a long multi-VALUES query for every batch and sends
the non-RETURNING rows one by one in a pipeline.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from server.models import Event, UsageRecord

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
            "payloads": [json.dumps(r["payload"], ensure_ascii=False) for r in rows],
        })
        return set(result.scalars())
    table = Event.__table__
    statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=["id"]).returning(table.c.id)
    params = [{**r, "device_id": device_id, "received_at": received_at} for r in rows]
    return set(connection.execute(statement, params).scalars())


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
    connection.execute(UsageRecord.__table__.insert(), [{**r, "device_id": device_id} for r in rows])
