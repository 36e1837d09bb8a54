"""Who may do and see what on the 好差评 side.

Roles (``server.models.people.ROLES``): ``admin`` and ``supervisor`` (好差评 supervision) act on
everything; ``department`` (部门人员, a user linked to one department in ``department_members``)
acts only on its own department's bad ratings; ``technician`` and ``viewer`` see statistics
and queues but change nothing and see the rater's phone masked.

| action | roles |
|---|---|
| 回访, start 整改, finish 整改 | department (own), supervisor, admin |
| 复核 (record whether the rater is satisfied), reassign a case | supervisor, admin |
| claim 恶意差评 | department (own), supervisor, admin |
| decide a claim | supervisor, admin (never the claimant) |
| rater's phone in clear | department (own), supervisor, admin |
| holidays, rating-QR windows, push | admin (holidays); supervisor, admin (QR, push) |
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from server.models.ratings import DepartmentMember

SUPERVISING = ("admin", "supervisor")
DEPARTMENT_ROLE = "department"


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    department_code: str | None = None

    @property
    def audit_name(self) -> str:
        return f"user:{self.username}"

    @property
    def supervises(self) -> bool:
        return self.role in SUPERVISING

    def acts_for(self, department_code: str | None) -> bool:
        """May handle a bad rating of this department (its 回访, 整改, claims)."""
        if self.supervises:
            return True
        return (self.role == DEPARTMENT_ROLE and self.department_code is not None
                and self.department_code == department_code)

    def sees_contact(self, department_code: str | None) -> bool:
        return self.acts_for(department_code)


def actor_for(session: Session, user_id: int, username: str, role: str) -> Actor:
    member = session.get(DepartmentMember, user_id) if role == DEPARTMENT_ROLE else None
    return Actor(username, role, member.department_code if member else None)


def mask_phone(phone: str) -> str:
    """``138****5678``: enough to tell two callers apart, not enough to call."""
    if not phone:
        return ""
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7 if len(phone) > 7 else 1) + phone[-4:]
