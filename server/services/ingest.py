"""Batched, idempotent event ingestion.

A batch is validated whole before anything is written (one bad event refuses the batch, so a
device never has to work out which half was stored). Events are inserted with
``INSERT .. ON CONFLICT DO NOTHING RETURNING id`` (see ``bulk``): the ids that come back are
new, the rest were already there (a retry after a lost answer) and are reported as
duplicates. Only new events have effects (faults, usage, command acks), so a retried batch
never double-counts; this is what makes the device side's at-least-once delivery exactly-once.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import update
from sqlalchemy.orm import Session

from server import wire
from server.models import Device, utcnow
from server.services import bulk, commands, faults


class Incoming(NamedTuple):
    """One validated event (a named tuple: built 500 times a batch, it costs a third of a frozen dataclass)."""

    id: str
    type: str
    seq: int
    occurred_at: datetime
    payload: dict[str, Any]


@dataclass(frozen=True)
class BatchResult:
    accepted: list[str]
    duplicates: list[str]


def parse_batch(body: Any, max_events: int) -> list[Incoming]:
    """Validate ``body`` against ``events.schema.json`` and convert it; raises ``wire.WireError``."""
    wire.validate("events", body)
    events = body["events"]
    if len(events) > max_events:
        raise wire.WireError([f"/events: at most {max_events} events per batch, got {len(events)}"])
    parsed = []
    times: dict[str, datetime] = {}  # a batch often repeats a time (a burst of events in one second)
    for index, raw in enumerate(events):
        text = raw["occurred_at"]
        at = times.get(text)
        if at is None:
            try:
                at = datetime.fromisoformat(text.upper())
            except ValueError:
                raise wire.WireError([f"/events/{index}/occurred_at: not an ISO-8601 time this server can read"]) from None
            if at.tzinfo is None:
                raise wire.WireError([f"/events/{index}/occurred_at: a UTC offset is required"])
            times[text] = at
        parsed.append(Incoming(raw["id"].lower(), raw["type"], raw["seq"], at, raw["payload"]))
    return parsed


def ingest(session: Session, device_id: str, events: list[Incoming], *, flap_window_s: int) -> BatchResult:
    """Store new events and apply their effects; answer which ids were new and which duplicates."""
    unique: dict[str, Incoming] = {}
    for event in events:
        unique.setdefault(event.id, event)  # a repeated id inside one batch counts once
    new_ids = bulk.insert_events(session, device_id, utcnow(), list(unique.values()))
    accepted = [e.id for e in events if e.id in new_ids and unique[e.id] is e]
    duplicates = [e.id for e in events if e.id not in new_ids or unique[e.id] is not e]
    new_events = sorted((unique[i] for i in new_ids), key=lambda e: (e.seq, e.occurred_at))
    _apply(session, device_id, new_events, flap_window_s)
    if new_events:
        top = max(e.seq for e in new_events)
        session.execute(update(Device).where(Device.id == device_id, Device.last_seq < top).values(last_seq=top))
    return BatchResult(accepted=accepted, duplicates=duplicates)


def _apply(session: Session, device_id: str, events: list[Incoming], flap_window_s: int) -> None:
    by_type: dict[str, list[Incoming]] = {}
    for event in events:
        by_type.setdefault(event.type, []).append(event)
    if "fault_raised" in by_type or "fault_cleared" in by_type or "command_ack" in by_type:
        for event in events:  # in order: a fault cleared after it was raised in the same batch ends closed
            p = event.payload
            if event.type == "fault_raised":
                faults.raise_fault(session, device_id, p["peripheral"], p["reason"], at=event.occurred_at,
                                   detail=p.get("detail", ""), flap_window_s=flap_window_s)
            elif event.type == "fault_cleared":
                faults.clear_faults(session, device_id, p["peripheral"], p.get("reason"), at=event.occurred_at)
            elif event.type == "command_ack":
                commands.acknowledge(session, device_id, p["command_id"], p["status"], p.get("detail", ""),
                                     event.occurred_at)
            # (Autoflush makes each fault change visible to the next event's query.)
    bulk.insert_usage(session, device_id, by_type.get("usage", []))
    for event_type, effect in batch_effects().items():
        of_type = by_type.get(event_type)
        if of_type:
            effect(session, device_id, of_type)


BatchEffect = Callable[[Session, str, list[Incoming]], None]
"""Applies the new events of one type from one batch (same transaction as their storage)."""


@cache
def batch_effects() -> dict[str, BatchEffect]:
    """Effects that features outside the fleet core attach to event types, one line each.

    Imported on first use, not at import time, so the fleet core does not load every feature.
    Types without an effect are stored only.
    """
    from server.notify.calls import on_call_staff
    from server.ratings.intake import apply_rating_events

    return {"call_staff": on_call_staff, "rating": apply_rating_events}
