"""The staff directory an evaluator caches: the active staff of its own site, with an ETag.

Only what the evaluator shows or checks goes out (number, name, title, department name, PIN
hash, card-UID hash, photo ETag and URL). ``version`` is the id of the newest staff audit
entry, so it only grows; the ETag is a hash of the body, so an unchanged directory costs the
device one 304.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models import AuditEntry, Department, Staff
from server.services.content import etag_of

AUDIT_PREFIX = "staff."


def photo_url(staff_no: str) -> str:
    return f"/api/v1/staff/{staff_no}/photo"


def directory(session: Session, site_id: int) -> tuple[dict[str, Any], str]:
    """``(body, etag)`` of ``staff.response.schema.json`` for the evaluators of ``site_id``."""
    version = session.scalar(select(func.max(AuditEntry.id)).where(AuditEntry.action.like(AUDIT_PREFIX + "%"))) or 0
    rows = session.execute(
        select(Staff, Department.name).outerjoin(Department, Department.code == Staff.department_code)
        .where(Staff.site_id == site_id, Staff.active.is_(True)).order_by(Staff.staff_no)
    ).all()
    staff = [{
        "staff_no": s.staff_no, "name": s.name, "title": s.title, "department": dept or "",
        "pin_hash": s.pin_hash, "card_uid_hash": s.card_uid_hash, "photo_etag": s.photo_etag,
        "photo_url": photo_url(s.staff_no) if s.photo_etag else "",
    } for s, dept in rows]
    body = {"version": int(version), "staff": staff}
    return body, etag_of(body)


def photo(session: Session, site_id: int, staff_no: str) -> tuple[bytes, str] | None:
    """The JPEG and its ETag, only for an active staff member of the caller's site."""
    row = session.get(Staff, staff_no)
    if row is None or row.site_id != site_id or not row.active or not row.photo_jpeg:
        return None
    return row.photo_jpeg, row.photo_etag
