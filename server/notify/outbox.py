"""Queue a notification in the transaction of the change it announces (the transactional outbox).

Called from the fault life cycle and the staff-call service. It only adds a row (no query on the
usual paths), so ingestion and heartbeats stay as fast as before; the sender does the rest.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.models import Fault, NotifyOutbox, StaffCall, utcnow

AUTOMATIC = ("device", "server")  # resolvers whose "resolved" is held for the flap window


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def fault_snapshot(fault: Fault) -> dict[str, Any]:
    return {
        "id": fault.id, "peripheral": fault.peripheral, "reason": fault.reason, "detail": fault.detail,
        "source": fault.source, "state": fault.state, "flaps": fault.flaps,
        "opened_at": _iso(fault.opened_at), "acknowledged_at": _iso(fault.acknowledged_at),
        "acknowledged_by": fault.acknowledged_by, "resolved_at": _iso(fault.resolved_at),
        "resolved_by": fault.resolved_by, "resolution_note": fault.resolution_note,
    }


def call_snapshot(call: StaffCall) -> dict[str, Any]:
    return {
        "id": call.id, "reason": call.reason, "state": call.state, "opened_at": _iso(call.opened_at),
        "acknowledged_at": _iso(call.acknowledged_at), "acknowledged_by": call.acknowledged_by,
        "resolved_at": _iso(call.resolved_at), "resolved_by": call.resolved_by,
        "resolution_note": call.resolution_note,
    }


def fault_changed(session: Session, fault: Fault, change: str) -> None:
    """Announce ``fault.<change>`` (opened, reopened, acknowledged, resolved).

    A re-open within the flap window first tries to withdraw the held "resolved" message of the
    same fault: when that succeeds the receivers never heard it was resolved, so nothing is sent.
    """
    if fault.id is None:
        session.flush([fault])
    if change == "reopened":
        withdrawn = session.execute(
            update(NotifyOutbox).where(NotifyOutbox.fault_id == fault.id, NotifyOutbox.kind == "fault.resolved",
                                       NotifyOutbox.state == "pending").values(state="cancelled")
        ).rowcount  # type: ignore[attr-defined]
        if withdrawn:
            return
    session.add(NotifyOutbox(kind=f"fault.{change}", device_id=fault.device_id, fault_id=fault.id,
                             payload={"fault": fault_snapshot(fault)}, created_at=utcnow(), not_before=utcnow(),
                             state="pending"))


def call_changed(session: Session, call: StaffCall, change: str) -> None:
    """Announce ``call.<change>`` (opened, acknowledged, resolved)."""
    if call.id is None:
        session.flush([call])
    session.add(NotifyOutbox(kind=f"call.{change}", device_id=call.device_id, call_id=call.id,
                             payload={"call": call_snapshot(call)}, created_at=utcnow(), not_before=utcnow(),
                             state="pending"))


def pending_for_fault(session: Session, fault_id: int) -> list[NotifyOutbox]:
    """Outbox rows of one fault (tests and the delivery page)."""
    return list(session.scalars(select(NotifyOutbox).where(NotifyOutbox.fault_id == fault_id)
                                .order_by(NotifyOutbox.id)))
