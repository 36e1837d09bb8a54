"""Changes to staff records from the dashboard and the demo seeding, each one audited.

Audit entries name the staff number only (never the name: the audit log is read widely), and
every change moves the directory ``version`` (see ``directory.py``) so evaluators refetch.
"""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Department, Site, Staff
from server.services import audit
from server.staff import credentials, photos
from server.staff.directory import AUDIT_PREFIX

STAFF_NO_RE = re.compile(r"^[A-Za-z0-9]{1,16}$")  # what the evaluator accepts


class StaffEditError(ValueError):
    """A change that is refused; the message is shown on the dashboard as it is."""


def _clean(value: str, limit: int, label: str, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise StaffEditError(f"{label}不能为空 (required)")
    if len(value) > limit:
        raise StaffEditError(f"{label}最多 {limit} 个字 (too long)")
    return value


def save(session: Session, actor: str, *, staff_no: str, name: str, title: str, site_id: int | None,
         department_code: str | None, create: bool) -> Staff:
    """Create (``create=True``) or update the plain fields of one staff member."""
    staff_no = staff_no.strip()
    if not STAFF_NO_RE.match(staff_no):
        raise StaffEditError("工号须为 1-16 位字母或数字 (staff no.: 1-16 letters/digits)")
    name = _clean(name, 32, "姓名", required=True)
    title = _clean(title, 32, "岗位")
    if site_id is not None and session.get(Site, site_id) is None:
        raise StaffEditError("未知的服务大厅 (unknown hall)")
    if department_code and session.get(Department, department_code) is None:
        raise StaffEditError("未知的部门 (unknown department)")
    row = session.get(Staff, staff_no, with_for_update=True)
    if create and row is not None:
        raise StaffEditError(f"工号 {staff_no} 已存在 (exists)")
    if not create and row is None:
        raise StaffEditError(f"没有工号 {staff_no} (no such staff member)")
    if row is None:
        row = Staff(staff_no=staff_no, name=name, pin_hash="", card_uid_hash="", photo_etag="", active=True)
        session.add(row)
    row.name, row.title, row.site_id, row.department_code = name, title, site_id, department_code or None
    session.flush()
    audit.record(session, actor, AUDIT_PREFIX + ("create" if create else "update"), staff_no,
                 site_id=site_id, department=department_code or "")
    return row


def _get(session: Session, staff_no: str) -> Staff:
    row = session.get(Staff, staff_no, with_for_update=True)
    if row is None:
        raise StaffEditError(f"没有工号 {staff_no} (no such staff member)")
    return row


def set_pin(session: Session, actor: str, staff_no: str, pin: str) -> None:
    row = _get(session, staff_no)
    try:
        row.pin_hash = credentials.hash_pin(pin) if pin else ""
    except credentials.CredentialError as exc:
        raise StaffEditError(str(exc)) from None
    audit.record(session, actor, AUDIT_PREFIX + ("set_pin" if pin else "clear_pin"), staff_no)


def set_card(session: Session, actor: str, staff_no: str, uid: str) -> None:
    """Register a staff card by its UID (an empty UID removes the card)."""
    row = _get(session, staff_no)
    try:
        digest = credentials.hash_card_uid(uid) if uid.strip() else ""
    except credentials.CredentialError as exc:
        raise StaffEditError(str(exc)) from None
    if digest:
        other = session.scalar(select(Staff.staff_no).where(Staff.card_uid_hash == digest, Staff.staff_no != staff_no))
        if other is not None:
            raise StaffEditError(f"该卡已登记给工号 {other} (card already registered)")
    row.card_uid_hash = digest
    audit.record(session, actor, AUDIT_PREFIX + ("set_card" if digest else "clear_card"), staff_no)


def set_photo(session: Session, actor: str, staff_no: str, data: bytes) -> None:
    row = _get(session, staff_no)
    try:
        row.photo_jpeg, row.photo_etag = photos.normalise(data)
    except photos.PhotoError as exc:
        raise StaffEditError(str(exc)) from None
    audit.record(session, actor, AUDIT_PREFIX + "set_photo", staff_no, bytes=len(row.photo_jpeg))


def set_active(session: Session, actor: str, staff_no: str, active: bool) -> None:
    row = _get(session, staff_no)
    row.active = active
    audit.record(session, actor, AUDIT_PREFIX + ("activate" if active else "deactivate"), staff_no)


def department(session: Session, code: str, name: str, **fields: str) -> Department:
    """Get or create a department (the demo seeding adds one when missing)."""
    row = session.get(Department, code)
    if row is None:
        row = Department(code=code, name=name, active=True, **fields)
        session.add(row)
        session.flush()
    return row
