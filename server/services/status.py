"""Online/offline: heartbeats mark a device online, a sweeper marks silent ones offline.

Only flips are written to ``status_transitions`` (not every heartbeat), and each flip is a
conditional UPDATE on ``devices.online``, so two replicas sweeping at once, or a heartbeat
racing the sweeper, cannot write the same transition twice. Going offline opens a
server-side fault (peripheral ``device``, reason ``offline``); coming back resolves it.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, bindparam, func, select, update
from sqlalchemy.orm import Session

from server.models import Command, Device, StatusTransition
from server.services import commands, faults

OFFLINE_PERIPHERAL = "device"
OFFLINE_REASON = "offline"


# Statements built once (heartbeats are the hottest path: 10,000 devices send one a minute).
_SEEN = (update(Device).where(Device.id == bindparam("device_id"))
         .values(last_seen_at=bindparam("seen"), last_heartbeat=bindparam("snapshot"),
                 peripherals=func.coalesce(bindparam("peripherals", type_=JSON(none_as_null=True)), Device.peripherals)))
_SEEN_AND_BACK = _SEEN.where(Device.online.is_(False)).values(online=True)


def _seen_params(device_id: str, body: dict[str, Any], now: datetime) -> dict[str, Any]:
    peripherals = body.get("peripherals")
    return {"device_id": device_id, "seen": now, "snapshot": body,
            "peripherals": peripherals if isinstance(peripherals, dict) else None}


def _mark_seen(session: Session, device_id: str, body: dict[str, Any], now: datetime) -> None:
    params = _seen_params(device_id, body, now)
    flipped = session.execute(_SEEN_AND_BACK, params).rowcount  # type: ignore[attr-defined]
    if not flipped:  # the usual case: already online, one UPDATE either way
        session.execute(_SEEN, params)
    else:
        session.add(StatusTransition(device_id=device_id, at=now, online=True, reason="heartbeat"))
        faults.clear_faults(session, device_id, OFFLINE_PERIPHERAL, OFFLINE_REASON, at=now, by="server")


def heartbeat(session: Session, device_id: str, body: dict[str, Any], now: datetime) -> list[Command]:
    """Record a heartbeat; returns the commands to hand to the device."""
    _mark_seen(session, device_id, body, now)
    return commands.take_open(session, device_id, now)


def heartbeat_many(session: Session, beats: Sequence[tuple[str, dict[str, Any]]], now: datetime) -> list[list[Command]]:
    """Record several heartbeats in one transaction (see ``group_commit``); commands per beat, in order.

    Devices that are online (nearly all) get one executemany UPDATE together; the few that
    were offline take the per-device path that writes the transition and clears the fault.
    A device that beats twice in one round gets its commands in the first answer only.
    """
    ids = list(dict.fromkeys(device_id for device_id, _ in beats))
    offline = set(session.scalars(select(Device.id).where(Device.id.in_(ids), Device.online.is_(False))))
    online_rows = []
    for device_id, body in beats:
        if device_id in offline:
            _mark_seen(session, device_id, body, now)
        else:
            online_rows.append(_seen_params(device_id, body, now))
    if online_rows:
        session.connection().execute(_SEEN, online_rows)
    pending = commands.take_open_many(session, ids, now)
    return [pending.pop(device_id, []) for device_id, _ in beats]


def sweep(session: Session, now: datetime, offline_after_s: int, flap_window_s: int) -> list[str]:
    """Mark devices silent for longer than ``offline_after_s`` offline; returns their ids."""
    cutoff = now - timedelta(seconds=offline_after_s)
    candidates = list(session.scalars(
        select(Device.id).where(Device.online.is_(True), Device.last_seen_at < cutoff)
    ))
    flipped = []
    for device_id in candidates:
        changed = session.execute(
            update(Device).where(Device.id == device_id, Device.online.is_(True), Device.last_seen_at < cutoff)
            .values(online=False)
        ).rowcount  # type: ignore[attr-defined]
        if not changed:
            continue
        flipped.append(device_id)
        session.add(StatusTransition(device_id=device_id, at=now, online=False, reason="timeout"))
        faults.raise_fault(session, device_id, OFFLINE_PERIPHERAL, OFFLINE_REASON, at=now, source="server",
                           detail=f"no heartbeat for {offline_after_s} s", flap_window_s=flap_window_s)
    return flipped
