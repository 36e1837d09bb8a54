"""The audit log: one call per change, in the same transaction as the change itself."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server.models import AuditEntry, utcnow


def record(session: Session, actor: str, action: str, target: str = "", **detail: Any) -> None:
    """Append an audit entry. Never pass names or ID numbers in ``detail`` (privacy rule)."""
    session.add(AuditEntry(at=utcnow(), actor=actor, action=action, target=target, detail=detail))
