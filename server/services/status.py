"""Online/offline: heartbeats mark a device online, a sweeper marks silent ones offline.

Only flips are written to ``status_transitions`` (not every heartbeat), and each flip is a
conditional UPDATE on ``devices.online``, so two replicas sweeping at once, or a heartbeat
racing the sweeper, cannot write the same transition twice. Going offline opens a
server-side fault (peripheral ``device``, reason ``offline``); coming back resolves it.
"""
from __future__ import annotations

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


def heartbeat(session: Session, device_id: str, body: dict[str, Any], now: datetime) -> list[Command]:
    """Record a heartbeat; returns the commands to hand to the device."""
    peripherals = body.get("peripherals")
    params = {"device_id": device_id, "seen": now, "snapshot": body,
              "peripherals": peripherals if isinstance(peripherals, dict) else None}
    flipped = session.execute(_SEEN_AND_BACK, params).rowcount  # type: ignore[attr-defined]
    if not flipped:  # the usual case: already online, one UPDATE either way
        session.execute(_SEEN, params)
    else:
        session.add(StatusTransition(device_id=device_id, at=now, online=True, reason="heartbeat"))
        faults.clear_faults(session, device_id, OFFLINE_PERIPHERAL, OFFLINE_REASON, at=now, by="server")
    return commands.take_open(session, device_id, now)


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
