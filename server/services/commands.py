"""Remote commands: queued by people, delivered in heartbeat answers, closed by a device's ack."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from server.models import Command, utcnow
from server.services import audit

KINDS = ("reload_config", "update_catalog", "restart_app", "lock", "unlock", "screenshot", "set_schedule",
         "update_staff", "update_reasons")
OPEN_STATES = ("pending", "delivered")


def queue(session: Session, device_id: str, kind: str, args: dict[str, Any] | None, actor: str) -> Command:
    if kind not in KINDS:
        raise ValueError(f"unknown command {kind!r}")
    command = Command(device_id=device_id, kind=kind, args=args or {}, state="pending", created_by=actor,
                      created_at=utcnow(), result="")
    session.add(command)
    session.flush()
    audit.record(session, actor, "command.queue", device_id, command_id=command.id, kind=kind)
    return command


def take_open(session: Session, device_id: str, now: datetime) -> list[Command]:
    """Commands to send in this heartbeat answer.

    Delivered-but-unacknowledged commands are sent again (at-least-once): an answer lost on
    the network must not lose the command. Devices deduplicate by command id.
    """
    return take_open_many(session, [device_id], now).get(device_id, [])


_OPEN_MANY = (select(Command).where(Command.device_id.in_(bindparam("device_ids", expanding=True)),
                                    Command.state.in_(OPEN_STATES))
              .order_by(Command.id))


def take_open_many(session: Session, device_ids: list[str], now: datetime) -> dict[str, list[Command]]:
    """``take_open`` for several devices with one query (grouped heartbeats); keyed by device id."""
    found: dict[str, list[Command]] = {}
    for command in session.scalars(_OPEN_MANY, {"device_ids": device_ids}):
        if command.state == "pending":
            command.state = "delivered"
            command.delivered_at = now
        found.setdefault(command.device_id, []).append(command)
    return found


def acknowledge(session: Session, device_id: str, command_id: int, status: str, detail: str, at: datetime) -> bool:
    """Close the command from a device's ``command_ack``; a device can close only its own commands."""
    command = session.get(Command, command_id)
    if command is None or command.device_id != device_id or command.state not in OPEN_STATES:
        return False
    command.state = "done" if status == "done" else "failed"
    command.acked_at = at
    command.result = f"{status}: {detail}"[:500] if detail else status
    return True
