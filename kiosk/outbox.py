"""The durable outbox: every report a device makes waits here until the server has it.

Halls lose network and power, so an event (a rating, a fault, a print job) is written to a
local SQLite file *before* anything else happens with it, and deleted only after the server
has listed it as accepted or duplicate (see :mod:`kiosk.reporter`). Choices and why:

- WAL with ``synchronous=FULL``: a commit is on disk when ``enqueue`` returns, so a rating
  the citizen saw confirmed survives a power cut; WAL lets the reporter read while the UI
  writes.
- Group commit: threads that enqueue at the same time share one transaction (one fsync),
  so durability costs one fsync per burst, not one per event.
- Per-device ``seq`` kept in the ``meta`` table and advanced in the same transaction as the
  insert: monotonic across restarts and crashes (not contiguous: coalesced heartbeats
  leave gaps).
- Bounded: ``max_events`` rows and optionally ``max_bytes`` of file (SQLite
  ``max_page_count``). When full, droppable kinds (heartbeats, metrics) are evicted oldest
  first; if only undroppable events remain, or the disk itself is full, :class:`OutboxFull`
  is raised and :meth:`Outbox.health` reports a fault, so the caller can tell the citizen
  the rating was not recorded instead of silently losing it.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from drivers.health import Health
from kiosk.disk_reserve import DiskReserve
from kiosk.uuid7 import uuid7

log = logging.getLogger(__name__)

WAL_CHECKPOINT_PAGES = 200
"""Checkpoint the WAL at about 800 KiB, so it stays well below the reserve file."""

ENVELOPE_VERSION = 1
"""Version of the stored event shape; bumped when a column's meaning changes."""


@dataclass(frozen=True)
class KindPolicy:
    """How the outbox treats one event type when space or freshness matters."""

    droppable: bool = False  # may be evicted when the outbox is full
    coalesce: bool = False  # a new one replaces the pending one of the same type


KEEP = KindPolicy()
LATEST_ONLY = KindPolicy(droppable=True, coalesce=True)

DEFAULT_POLICIES: Mapping[str, KindPolicy] = {
    "heartbeat": LATEST_ONLY,
    "metrics": LATEST_ONLY,
}
"""Types not listed (ratings, faults, usage, print jobs, command acks ...) are never dropped."""


class OutboxError(Exception):
    """The outbox could not store an event; nothing was recorded."""


class OutboxFull(OutboxError):
    """No room: the row limit or the disk is full and nothing droppable is left to evict."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason  # "outbox_full" or "disk_full": a Health reason key
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass(frozen=True)
class OutboxEvent:
    """One stored event, in the shape it is sent to the server (see :meth:`wire`)."""

    id: str
    seq: int
    type: str
    occurred_at: str
    payload: dict[str, Any]
    device_id: str
    size: int = field(default=0, compare=False)  # bytes of the wire JSON, for batch limits

    def wire(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "seq": self.seq, "occurred_at": self.occurred_at,
                "payload": self.payload}


def iso_utc(ts: float) -> str:
    """Device time as ISO-8601 UTC with milliseconds, the form the server parses."""
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    droppable INTEGER NOT NULL,
    coalesce_key TEXT,
    size INTEGER NOT NULL,
    v INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_coalesce ON events(coalesce_key) WHERE coalesce_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_droppable_seq ON events(seq) WHERE droppable = 1;
CREATE TABLE IF NOT EXISTS rejected (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, occurred_at TEXT NOT NULL,
    payload TEXT NOT NULL, reason TEXT NOT NULL, rejected_at TEXT NOT NULL
);
"""


@dataclass
class _Ticket:
    """One caller's events waiting for the group commit."""

    rows: list[tuple[str, dict[str, Any], str, float]]  # type, payload, payload as JSON, device time
    done: bool = False
    result: list[OutboxEvent] = field(default_factory=list)
    error: BaseException | None = None


class Outbox:
    """A bounded, durable, ordered queue of events for one device.

    Thread-safe. One process writes (the kiosk app); others (``kiosk doctor``) may open the
    same file to read counts and the reporter's status.
    """

    def __init__(
        self,
        path: str | Path,
        device_id: str,
        *,
        max_events: int = 200_000,
        max_bytes: int | None = None,
        policies: Mapping[str, KindPolicy] = DEFAULT_POLICIES,
        clock: Callable[[], float] = time.time,
        reserve_bytes: int = 2 << 20,
    ) -> None:
        self.path = Path(path)
        self.device_id = device_id
        self.max_events = max_events
        self.policies = dict(policies)
        self._clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self._db_lock = threading.RLock()
        self._cv = threading.Condition()
        self._queue: list[_Ticket] = []
        self._writing = False
        self._full_reason: str | None = None
        self._reserve = DiskReserve(self.path.with_name(self.path.name + ".reserve"), reserve_bytes)
        self._ack_reserve = DiskReserve(self.path.with_name(self.path.name + ".ack-reserve"), reserve_bytes)
        self._max_pages = 0
        self._listeners: list[Callable[[], None]] = []
        with self._db_lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            # A small WAL: it is what grows first when the disk fills, and the reserve file
            # must be big enough to let a checkpoint absorb all of it.
            self._db.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
            self._db.execute(f"PRAGMA journal_size_limit={WAL_CHECKPOINT_PAGES * 4096 * 2}")
            self._db.executescript(_SCHEMA)
            if max_bytes is not None:
                page_size = self._db.execute("PRAGMA page_size").fetchone()[0]
                self._max_pages = max(8, max_bytes // page_size)
                self._db.execute(f"PRAGMA max_page_count={self._max_pages}")
            self._claim_device(device_id)
            self._count = self._db.execute("SELECT count(*) FROM events").fetchone()[0]
            self._last_seq = self._load_last_seq()
        self._ack_reserve.ensure()
        self._reserve.ensure()

    # ---- set-up -------------------------------------------------------------------------
    def _claim_device(self, device_id: str) -> None:
        stored = self.get_meta("device_id")
        if stored is None:
            self._db.execute("INSERT INTO meta(key, value) VALUES ('device_id', ?)", (device_id,))
        elif stored != device_id:
            raise OutboxError(f"{self.path} belongs to device {stored!r}, not {device_id!r}")

    def _load_last_seq(self) -> int:
        meta = int(self.get_meta("last_seq") or 0)
        pending = self._db.execute("SELECT max(seq) FROM events").fetchone()[0] or 0
        rejected = self._db.execute("SELECT max(seq) FROM rejected").fetchone()[0] or 0
        return max(meta, pending, rejected)

    def close(self) -> None:
        with self._db_lock:
            self._db.close()

    def __enter__(self) -> "Outbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_listener(self, callback: Callable[[], None]) -> None:
        """Called (on the enqueuing thread) after each durable commit: wakes the reporter."""
        self._listeners.append(callback)

    # ---- writing ------------------------------------------------------------------------
    def enqueue(self, type_: str, payload: Mapping[str, Any], *, occurred_at: float | None = None) -> OutboxEvent:
        """Store one event durably and return it; raises :class:`OutboxFull` / :class:`OutboxError`."""
        return self.enqueue_many([(type_, payload)], occurred_at=occurred_at)[0]

    def enqueue_many(self, items: Iterable[tuple[str, Mapping[str, Any]]], *,
                     occurred_at: float | None = None) -> list[OutboxEvent]:
        """Store several events in one transaction (all or none)."""
        ts = self._clock() if occurred_at is None else occurred_at
        rows = []
        for type_, payload in items:
            if not type_ or not isinstance(type_, str):
                raise ValueError("event type must be a non-empty string")
            # Serialised here, in the caller's thread: a bad payload fails its own caller, and
            # the group-commit leader spends its time only on SQLite.
            rows.append((type_, dict(payload), _json(payload), ts))
        ticket = _Ticket(rows)
        self._group_commit(ticket)
        if ticket.error is not None:
            raise ticket.error
        for listener in self._listeners:
            listener()
        return ticket.result

    def _group_commit(self, ticket: _Ticket) -> None:
        """Leader/follower group commit: whoever finds no write in progress writes everyone's rows."""
        with self._cv:
            self._queue.append(ticket)
            while not ticket.done:
                if self._writing:
                    self._cv.wait()
                    continue
                self._writing = True
                batch, self._queue = self._queue, []
                self._cv.release()
                try:
                    self._write_batch(batch)
                finally:
                    self._cv.acquire()
                    self._writing = False
                    self._cv.notify_all()

    def _write_batch(self, batch: list[_Ticket]) -> None:
        with self._db_lock:
            try:
                self._write_tickets(batch)
            except OutboxError as exc:
                if len(batch) == 1:
                    batch[0].error = exc
                else:  # one caller's events must not fail another's: retry one by one
                    for ticket in batch:
                        try:
                            self._write_tickets([ticket])
                        except OutboxError as own:
                            ticket.error = own
            except BaseException as exc:  # never leave followers waiting forever
                for ticket in batch:
                    ticket.error = exc
            finally:
                for ticket in batch:
                    ticket.done = True

    def _write_tickets(self, tickets: list[_Ticket]) -> None:
        """One transaction for all rows; when the disk is full, make room and retry.

        Room is made in this order: checkpoint and truncate the WAL (on a nearly full disk the
        WAL is usually what cannot grow), give up the reserve file (ratings keep being
        accepted while :meth:`health` already reports ``disk_full``), evict droppable rows.
        Only when none of these frees anything is the write refused.
        """
        room_makers = [self._checkpoint, self._use_reserve, self._evict_droppable]
        while True:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                seq, count = self._last_seq, self._count
                results: list[list[OutboxEvent]] = []
                for ticket in tickets:
                    stored = []
                    for type_, payload, payload_json, ts in ticket.rows:
                        seq += 1
                        event, count = self._insert(seq, type_, payload, payload_json, ts, count)
                        stored.append(event)
                    results.append(stored)
                self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self._rollback()
                if not _is_disk_full(exc):
                    raise OutboxError(f"outbox write failed: {exc}") from None
                if self._make_room(room_makers):
                    continue
                self._full_reason = "disk_full"
                raise OutboxFull("disk_full", str(exc)) from None
            except OutboxFull as exc:
                self._rollback()
                self._full_reason = exc.reason
                raise
            except BaseException:
                self._rollback()
                raise
            self._last_seq, self._count = seq, count
            self._full_reason = None
            for ticket, stored in zip(tickets, results):
                ticket.result = stored
            return

    def _insert(self, seq: int, type_: str, payload: dict[str, Any], payload_json: str, ts: float,
                count: int) -> tuple[OutboxEvent, int]:
        policy = self.policies.get(type_, KEEP)
        if policy.coalesce:
            count -= self._db.execute("DELETE FROM events WHERE coalesce_key = ?", (type_,)).rowcount
        if count >= self.max_events:
            evicted = self._db.execute(
                "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE droppable = 1 ORDER BY seq LIMIT 1)"
            ).rowcount
            if not evicted:
                raise OutboxFull("outbox_full", f"{count} undroppable events pending")
            count -= evicted
        event = OutboxEvent(str(uuid7()), seq, type_, iso_utc(ts), payload, self.device_id)
        self._db.execute(
            "INSERT INTO events(seq, id, type, occurred_at, payload, droppable, coalesce_key, size, v)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, event.id, type_, event.occurred_at, payload_json, int(policy.droppable),
             type_ if policy.coalesce else None, _wire_size(event, payload_json), ENVELOPE_VERSION),
        )
        return event, count + 1

    def _make_room(self, makers: list[Callable[[], bool]]) -> bool:
        """Run the first maker that frees something; eviction stays on the list while it works."""
        while makers:
            maker = makers[0]
            if maker():
                if maker != self._evict_droppable:
                    makers.pop(0)
                return True
            makers.pop(0)
        return False

    def _checkpoint(self) -> bool:
        try:
            busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError as exc:
            log.warning("WAL checkpoint failed: %s", exc)
            return False
        return not busy

    def _use_reserve(self) -> bool:
        """Delete the reserve file so ratings can still be written; :meth:`health` turns to fault now."""
        if self._max_pages and self._db.execute("PRAGMA page_count").fetchone()[0] >= self._max_pages - 1:
            return False  # the configured size limit is reached, not the disk: the reserve cannot help
        if not self._reserve.release():
            return False
        log.error("disk full: using the outbox reserve; free disk space on this device")
        self._checkpoint()  # the freed space lets the database absorb the WAL, which then shrinks
        return True

    def _evict_droppable(self, how_many: int = 64) -> bool:
        """Free room after SQLITE_FULL; ``False`` when there is nothing droppable left."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._keep_last_seq()
            gone = self._db.execute(
                "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE droppable = 1 ORDER BY seq LIMIT ?)",
                (how_many,),
            ).rowcount
            self._db.execute("COMMIT")
        except sqlite3.OperationalError:
            self._rollback()
            return False
        self._count -= gone
        if gone:
            self._checkpoint()
        return gone > 0

    def _keep_last_seq(self) -> None:
        """Record the seq high-water mark inside a transaction that deletes events.

        Inserts do not write it (one page less per durable commit): while events remain,
        ``max(seq)`` is the mark; only a delete can remove the highest one.
        """
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('last_seq', ?)", (str(self._last_seq),))

    def _rollback(self) -> None:
        try:
            self._db.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # SQLite already rolled back (it does so by itself after SQLITE_FULL)

    # ---- reading and acknowledging ------------------------------------------------------
    def peek_batch(self, max_count: int, max_bytes: int) -> list[OutboxEvent]:
        """The oldest pending events, at most ``max_count`` and ``max_bytes`` (always at least one)."""
        with self._db_lock:
            rows = self._db.execute(
                "SELECT id, seq, type, occurred_at, payload, size FROM events ORDER BY seq LIMIT ?", (max_count,)
            ).fetchall()
        batch: list[OutboxEvent] = []
        total = 0
        for id_, seq, type_, occurred_at, payload, size in rows:
            if batch and total + size > max_bytes:
                break
            total += size
            batch.append(OutboxEvent(id_, seq, type_, occurred_at, json.loads(payload), self.device_id, size))
        return batch

    def ack(self, ids: Iterable[str]) -> int:
        """Delete events the server has (accepted or duplicate); returns how many were pending."""
        ids = list(ids)
        if not ids:
            return 0
        with self._db_lock:
            for attempt in (1, 2):
                try:
                    gone = self._delete_ids(ids)
                    break
                except sqlite3.OperationalError as exc:
                    self._rollback()
                    if attempt == 2 or not _is_disk_full(exc):
                        raise OutboxError(f"outbox ack failed: {exc}") from None
                    if not self._checkpoint():
                        self._ack_reserve.release()
                        self._checkpoint()
            self._count -= gone
            if gone:
                self._full_reason = None
                if not (self._reserve.present and self._ack_reserve.present):
                    self._checkpoint()
                    self._ack_reserve.ensure()
                    self._reserve.ensure()
            return gone

    def _delete_ids(self, ids: list[str]) -> int:
        self._db.execute("BEGIN IMMEDIATE")
        self._keep_last_seq()
        gone = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            placeholders = ",".join("?" * len(chunk))  # only "?" marks; the ids are bound parameters
            gone += self._db.execute(f"DELETE FROM events WHERE id IN ({placeholders})", chunk).rowcount  # nosec B608
        self._db.execute("COMMIT")
        return gone

    def reject(self, event: OutboxEvent, reason: str) -> None:
        """Move an event the server refuses as malformed aside, so it cannot block the queue.

        It is kept (table ``rejected``) for a technician; it is never silently dropped.
        """
        with self._db_lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT OR REPLACE INTO rejected(seq, id, type, occurred_at, payload, reason, rejected_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (event.seq, event.id, event.type, event.occurred_at,
                     json.dumps(event.payload, ensure_ascii=False), reason[:2000], iso_utc(self._clock())),
                )
                self._keep_last_seq()
                gone = self._db.execute("DELETE FROM events WHERE id = ?", (event.id,)).rowcount
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            self._count -= gone

    def requeue_rejected(self) -> int:
        """Put set-aside events back in the queue (after a server fix); they keep id and seq."""
        with self._db_lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                rows = self._db.execute("SELECT seq, id, type, occurred_at, payload FROM rejected").fetchall()
                for seq, id_, type_, occurred_at, payload in rows:
                    size = _wire_size(OutboxEvent(id_, seq, type_, occurred_at, {}, self.device_id), payload)
                    self._db.execute(
                        "INSERT OR IGNORE INTO events(seq, id, type, occurred_at, payload, droppable, coalesce_key,"
                        " size, v) VALUES (?, ?, ?, ?, ?, 0, NULL, ?, ?)",
                        (seq, id_, type_, occurred_at, payload, size, ENVELOPE_VERSION))
                self._db.execute("DELETE FROM rejected")
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            self._count = self._db.execute("SELECT count(*) FROM events").fetchone()[0]
            return len(rows)

    def pending_count(self) -> int:
        with self._db_lock:
            return self._db.execute("SELECT count(*) FROM events").fetchone()[0]

    def rejected_count(self) -> int:
        with self._db_lock:
            return self._db.execute("SELECT count(*) FROM rejected").fetchone()[0]

    def last_seq(self) -> int:
        """The highest seq ever given out (persisted; survives restarts and crashes)."""
        with self._db_lock:
            return self._last_seq

    def health(self) -> Health:
        """Fault while the last write failed for lack of room; the maintenance screen shows it."""
        if self._full_reason:
            return Health.fault(self._full_reason, f"{self._count} events pending")
        if not self._reserve.present:
            return Health.fault("disk_full", f"disk full, writing into the reserve; {self._count} events pending")
        return Health.ok(f"{self._count} pending")

    # ---- small persistent key/value store (reporter status, shared with ``kiosk doctor``)
    def get_meta(self, key: str) -> str | None:
        with self._db_lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, values: Mapping[str, str]) -> None:
        with self._db_lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", list(values.items()))
                self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:  # status is best effort; events are not
                self._rollback()
                log.warning("could not store reporter status: %s", exc)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_ENVELOPE_BYTES = len(_json({"id": "", "type": "", "seq": 0, "occurred_at": "", "payload": None})) - len("0null")


def _wire_size(event: OutboxEvent, payload_json: str) -> int:
    """Bytes of ``json(event.wire())`` without serialising the payload a second time."""
    return (_ENVELOPE_BYTES + len(event.id) + len(_json(event.type).encode()) - 2 + len(str(event.seq))
            + len(event.occurred_at) + len(payload_json.encode()))


def _is_disk_full(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "full" in str(exc).lower()
