"""恶意差评: a department claims a bad rating is malicious, a supervisor decides.

An upheld claim sets ``Rating.excluded``: the rating leaves every statistic and the overdue
list, but the row, the claim with its evidence and the audit entries stay, so the decision can
be reviewed later. The exclusion is a change of the record (``version`` goes up) and is pushed
upstream like any change. A rejected claim changes nothing but its own state; one claim may be
open per rating at a time.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import utcnow
from server.models.ratings import MaliciousClaim, Rating
from server.ratings.access import Actor
from server.ratings.rectification import NotAllowed
from server.services import audit

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = ("image/jpeg", "image/png", "application/pdf", "audio/mpeg", "audio/wav", "text/plain")


class ClaimError(Exception):
    """A claim or decision the rules refuse (message shown to the user)."""


def claim(session: Session, rating_id: str, actor: Actor, evidence_text: str, *, file: bytes | None = None,
          filename: str = "", content_type: str = "", now: datetime | None = None) -> MaliciousClaim:
    rating = session.get(Rating, rating_id)
    if rating is None:
        raise LookupError("no such rating")
    if not actor.acts_for(rating.department_code):
        raise NotAllowed("只能申诉本部门的差评 (only your department's ratings)")
    if not rating.bad:
        raise ClaimError("只有差评可以申诉为恶意差评 (only bad ratings)")
    if rating.excluded:
        raise ClaimError("该差评已被认定为恶意差评 (already excluded)")
    evidence_text = evidence_text.strip()
    if len(evidence_text) < 5:
        raise ClaimError("请写明理由和证据（至少 5 个字）(explain the evidence, at least 5 characters)")
    if file:
        if len(file) > MAX_EVIDENCE_BYTES:
            raise ClaimError("证据文件不能超过 5 MB (file larger than 5 MB)")
        if content_type not in EVIDENCE_TYPES:
            raise ClaimError("证据文件类型仅限图片、PDF、音频或文本 (file type not accepted)")
    pending = session.scalar(select(MaliciousClaim.id).where(MaliciousClaim.rating_id == rating_id,
                                                             MaliciousClaim.state == "pending"))
    if pending is not None:
        raise ClaimError("该差评已有待审核的申诉 (a claim is already pending)")
    row = MaliciousClaim(rating_id=rating_id, claimed_by=actor.username, claimed_at=now or utcnow(),
                         evidence_text=evidence_text[:4000], evidence_file=file or None,
                         evidence_filename=filename[-120:] if file else "", evidence_type=content_type if file else "")
    session.add(row)
    session.flush()
    audit.record(session, actor.audit_name, "rating.malicious_claim", f"rating:{rating_id}", claim=row.id,
                 with_file=bool(file))
    return row


def decide(session: Session, claim_id: int, actor: Actor, uphold: bool, note: str,
           now: datetime | None = None) -> MaliciousClaim:
    row = session.get(MaliciousClaim, claim_id)
    if row is None:
        raise LookupError("no such claim")
    if not actor.supervises:
        raise NotAllowed("只有监督员或管理员可以审核 (only supervisors decide)")
    if actor.username == row.claimed_by:
        raise NotAllowed("不能审核自己提出的申诉 (not your own claim)")
    if row.state != "pending":
        raise ClaimError("该申诉已审核 (already decided)")
    if not note.strip():
        raise ClaimError("请填写审核意见 (a note is required)")
    row.state = "upheld" if uphold else "rejected"
    row.decided_by, row.decided_at, row.decision_note = actor.username, now or utcnow(), note.strip()
    if uphold:
        rating = session.get(Rating, row.rating_id)
        assert rating is not None  # foreign key
        rating.excluded = True
        rating.version += 1
    audit.record(session, actor.audit_name, "rating.malicious_upheld" if uphold else "rating.malicious_rejected",
                 f"rating:{row.rating_id}", claim=row.id)
    return row
