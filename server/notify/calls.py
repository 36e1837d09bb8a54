"""Citizens' calls for staff (``call_staff`` events): shown to the hall at once, handled like faults.

A call is open until someone acknowledges it (on the way) and resolves it (helped), with the
same who/when columns as a fault so the reliability report can time both the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Device, Site, StaffCall, utcnow
from server.notify import outbox
from server.services import audit

ACTIVE = ("open", "acknowledged")
REASONS = {"help": "需要帮助", "elderly": "老年人协助", "disabled": "无障碍协助", "device": "设备问题"}


class CallStateError(Exception):
    """The requested transition is not allowed from the call's current state."""


def on_call_staff(session: Session, device_id: str, events: list) -> None:  # type: ignore[type-arg]
    """Batch effect for ``call_staff`` events (new ones only: a retried batch calls nobody twice).

    Several presses from one terminal while a call is still open are one call: the citizen is
    still waiting for the same person.
    """
    already = session.scalar(select(StaffCall.id).where(StaffCall.device_id == device_id,
                                                        StaffCall.state.in_(ACTIVE)).limit(1))
    if already is not None:
        return
    first = min(events, key=lambda e: (e.occurred_at, e.seq))
    reason = str(first.payload.get("reason", "help"))[:40] or "help"
    call = StaffCall(event_id=first.id, device_id=device_id, reason=reason, state="open",
                     opened_at=first.occurred_at, resolution_note="")
    session.add(call)
    outbox.call_changed(session, call, "opened")


def acknowledge(session: Session, call_id: int, username: str) -> StaffCall:
    call = _get(session, call_id)
    if call.state != "open":
        raise CallStateError(f"call {call_id} is {call.state}, only an open call can be acknowledged")
    call.state, call.acknowledged_at, call.acknowledged_by = "acknowledged", utcnow(), username
    audit.record(session, f"user:{username}", "call.acknowledge", str(call_id))
    outbox.call_changed(session, call, "acknowledged")
    return call


def resolve(session: Session, call_id: int, username: str, note: str = "") -> StaffCall:
    """Resolve a call; unlike a fault no note is required (helping the citizen is the whole story)."""
    call = _get(session, call_id)
    if call.state not in ACTIVE:
        raise CallStateError(f"call {call_id} is already resolved")
    call.state, call.resolved_at, call.resolved_by = "resolved", utcnow(), username
    call.resolution_note = note.strip()[:2000]
    audit.record(session, f"user:{username}", "call.resolve", str(call_id))
    outbox.call_changed(session, call, "resolved")
    return call


@dataclass(frozen=True)
class OpenCall:
    id: int
    device_id: str
    device_name: str
    location: str
    hall: str
    hall_slug: str
    reason: str
    state: str
    opened_at: datetime
    acknowledged_by: str | None


def open_calls(session: Session, site_slug: str | None = None) -> list[OpenCall]:
    """Calls still waiting, oldest first (the citizen who has waited longest comes first)."""
    query = (select(StaffCall, Device.name, Device.location, Site.name, Site.slug)
             .join(Device, Device.id == StaffCall.device_id).join(Site, Site.id == Device.site_id)
             .where(StaffCall.state.in_(ACTIVE)))
    if site_slug:
        query = query.where(Site.slug == site_slug)
    rows = session.execute(query.order_by(StaffCall.opened_at, StaffCall.id).limit(200)).all()
    return [OpenCall(c.id, c.device_id, name or c.device_id, location, hall, slug, c.reason, c.state, c.opened_at,
                     c.acknowledged_by) for c, name, location, hall, slug in rows]


def _get(session: Session, call_id: int) -> StaffCall:
    call = session.get(StaffCall, call_id, with_for_update=True)
    if call is None:
        raise LookupError(f"no call {call_id}")
    return call
