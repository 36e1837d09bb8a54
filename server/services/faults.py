"""The fault life cycle: open → acknowledged (by whom) → resolved (by the device or by hand).

Faults are keyed by (device, peripheral, reason). Flapping is suppressed in two ways: a
``fault_raised`` for a fault that is already open only refreshes it, and one that comes back
within ``flap_window_s`` of being cleared re-opens the same row (``flaps`` + 1) instead of
adding a new one, so a loose cable is one fault in the queue rather than fifty.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Fault, utcnow
from server.notify import outbox as notify
from server.services import audit

ACTIVE = ("open", "acknowledged")
DEVICE = "device"


class FaultStateError(Exception):
    """The requested transition is not allowed from the fault's current state."""


def raise_fault(
    session: Session, device_id: str, peripheral: str, reason: str, *, at: datetime,
    detail: str = "", source: str = DEVICE, flap_window_s: int = 300,
) -> Fault:
    """Open (or refresh, or re-open) the fault; returns the row that represents it."""
    key = (Fault.device_id == device_id, Fault.peripheral == peripheral, Fault.reason == reason)
    active = session.scalar(select(Fault).where(*key, Fault.state.in_(ACTIVE)).limit(1))
    if active is not None:
        active.detail = detail[:500] or active.detail
        return active
    recent = session.scalar(
        select(Fault).where(*key, Fault.state == "resolved", Fault.resolved_by.in_((DEVICE, "server")),
                            Fault.resolved_at >= at - timedelta(seconds=flap_window_s))
        .order_by(Fault.resolved_at.desc()).limit(1)
    )
    if recent is not None:
        # Someone who already acknowledged it need not do so again for the same flapping cause.
        recent.state = "acknowledged" if recent.acknowledged_at else "open"
        recent.resolved_at = None
        recent.resolved_by = None
        recent.flaps += 1
        recent.detail = detail[:500] or recent.detail
        notify.fault_changed(session, recent, "reopened")
        return recent
    fault = Fault(device_id=device_id, peripheral=peripheral, reason=reason, detail=detail[:500],
                  source=source, state="open", opened_at=at, flaps=0, resolution_note="")
    session.add(fault)
    notify.fault_changed(session, fault, "opened")
    return fault


def clear_faults(session: Session, device_id: str, peripheral: str, reason: str | None, *, at: datetime,
                 by: str = DEVICE) -> list[Fault]:
    """Resolve the active faults of ``peripheral`` (only ``reason`` when given) automatically."""
    query = select(Fault).where(Fault.device_id == device_id, Fault.peripheral == peripheral,
                                Fault.state.in_(ACTIVE))
    if reason:
        query = query.where(Fault.reason == reason)
    faults = list(session.scalars(query))
    for fault in faults:
        fault.state = "resolved"
        fault.resolved_at = max(at, fault.opened_at)
        fault.resolved_by = by
        notify.fault_changed(session, fault, "resolved")
    return faults


def acknowledge(session: Session, fault_id: int, username: str) -> Fault:
    fault = _get(session, fault_id)
    if fault.state != "open":
        raise FaultStateError(f"fault {fault_id} is {fault.state}, only an open fault can be acknowledged")
    fault.state = "acknowledged"
    fault.acknowledged_at = utcnow()
    fault.acknowledged_by = username
    audit.record(session, f"user:{username}", "fault.acknowledge", str(fault_id))
    notify.fault_changed(session, fault, "acknowledged")
    return fault


def resolve(session: Session, fault_id: int, username: str, note: str) -> Fault:
    """Resolve by hand; a note is required so the next technician knows what was done."""
    if not note.strip():
        raise FaultStateError("a note is required to resolve a fault by hand")
    fault = _get(session, fault_id)
    if fault.state not in ACTIVE:
        raise FaultStateError(f"fault {fault_id} is already resolved")
    fault.state = "resolved"
    fault.resolved_at = utcnow()
    fault.resolved_by = username
    fault.resolution_note = note.strip()[:2000]
    audit.record(session, f"user:{username}", "fault.resolve", str(fault_id))
    notify.fault_changed(session, fault, "resolved")
    return fault


def _get(session: Session, fault_id: int) -> Fault:
    fault = session.get(Fault, fault_id, with_for_update=True)
    if fault is None:
        raise LookupError(f"no fault {fault_id}")
    return fault
