"""Looking into the real server's SQLite database from tests (as the dashboard would).

The client never touches the server's tables; the tests do, to check what the server holds
(every event exactly once) and to play the technician's part (queue a command, revoke a
token) without driving the dashboard's login and CSRF forms.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path
from typing import Any


def _connect(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, timeout=30)
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def _now() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")


def events(db: Path, device_id: str) -> list[dict[str, Any]]:
    with closing(_connect(db)) as conn:
        rows = conn.execute("SELECT id, seq, type, payload FROM events WHERE device_id = ? ORDER BY seq",
                            (device_id,)).fetchall()
    return [{"id": r[0], "seq": r[1], "type": r[2], "payload": json.loads(r[3])} for r in rows]


def queue_command(db: Path, device_id: str, kind: str, args: dict[str, Any] | None = None) -> int:
    with closing(_connect(db)) as conn, conn:
        cur = conn.execute(
            "INSERT INTO commands(device_id, kind, args, state, created_at, created_by, result)"
            " VALUES (?, ?, ?, 'pending', ?, 'test', '')", (device_id, kind, json.dumps(args or {}), _now()))
        return int(cur.lastrowid or 0)


def command_states(db: Path, device_id: str) -> dict[int, tuple[str, str]]:
    with closing(_connect(db)) as conn:
        rows = conn.execute("SELECT id, state, result FROM commands WHERE device_id = ?", (device_id,)).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def revoke_tokens(db: Path, device_id: str) -> None:
    with closing(_connect(db)) as conn, conn:
        conn.execute("UPDATE device_tokens SET revoked_at = ? WHERE device_id = ?", (_now(), device_id))


def open_faults(db: Path, device_id: str) -> list[tuple[str, str, str]]:
    with closing(_connect(db)) as conn:
        return conn.execute("SELECT peripheral, reason, state FROM faults WHERE device_id = ? ORDER BY id",
                            (device_id,)).fetchall()
