"""恶意差评 claims: who may claim and decide, evidence, and an upheld claim leaving the statistics only."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from server.models import AuditEntry
from server.models.ratings import MaliciousClaim, Rating
from server.ratings import claims, stats
from server.ratings.access import Actor
from server.ratings.rectification import NotAllowed
from tests.server.ratings.builders import add_rating, org

RSJ = Actor("rsj1", "department", "rsj")
SUP = Actor("sup", "supervisor")
DAY = stats.Filters(date(2026, 11, 23), date(2026, 11, 23))


def _bad(ctx) -> str:  # type: ignore[no-untyped-def]
    with ctx.transaction() as session:
        org(session)
        add_rating(session, "satisfied")
        return add_rating(session, "very_dissatisfied").id


def test_upheld_claim_leaves_statistics_but_keeps_record_and_audit(ctx) -> None:  # type: ignore[no-untyped-def]
    rating_id = _bad(ctx)
    with ctx.transaction() as session:
        claim = claims.claim(session, rating_id, RSJ, "该群众未办理业务，录像为证", file=b"%PDF-1.4 evidence",
                             filename="录像截图.pdf", content_type="application/pdf")
        claim_id = claim.id
    with ctx.reading() as session:
        assert stats.totals(session, DAY).bad == 1  # pending: still counted
    with ctx.transaction() as session, pytest.raises(NotAllowed):
        claims.decide(session, claim_id, RSJ, True, "自己认定")
    with ctx.transaction() as session:
        claims.decide(session, claim_id, SUP, True, "录像属实，认定恶意差评")
    with ctx.reading() as session:
        total = stats.totals(session, DAY)
        rating = session.get(Rating, rating_id)
        stored = session.get(MaliciousClaim, claim_id)
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.target == f"rating:{rating_id}")
                                  .order_by(AuditEntry.id)).all()
    assert (total.rated, total.bad, total.bad_rate) == (1, 0, 0.0)
    assert rating is not None and rating.excluded and rating.version == 2  # kept, marked, to be pushed again
    assert stored.evidence_file == b"%PDF-1.4 evidence" and stored.state == "upheld"
    assert actions == ["rating.malicious_claim", "rating.malicious_upheld"]


def test_rejected_claim_changes_nothing(ctx) -> None:  # type: ignore[no-untyped-def]
    rating_id = _bad(ctx)
    with ctx.transaction() as session:
        claim_id = claims.claim(session, rating_id, SUP, "怀疑恶意差评，请审核").id
    with ctx.transaction() as session, pytest.raises(NotAllowed):
        claims.decide(session, claim_id, SUP, False, "不能审自己的")
    with ctx.transaction() as session:
        claims.decide(session, claim_id, Actor("sup2", "admin"), False, "证据不足")
    with ctx.transaction() as session, pytest.raises(claims.ClaimError):
        claims.decide(session, claim_id, Actor("sup2", "admin"), True, "再改")
    with ctx.reading() as session:
        assert stats.totals(session, DAY).bad == 1
        assert not session.get(Rating, rating_id).excluded


def test_claim_rules(ctx) -> None:  # type: ignore[no-untyped-def]
    rating_id = _bad(ctx)
    with ctx.transaction() as session:
        good_id = add_rating(session, "very_satisfied").id
    refusals = [
        (Actor("gaj1", "department", "gaj"), rating_id, "别的部门的差评", {}, NotAllowed),
        (Actor("v", "viewer"), rating_id, "只读用户不能申诉", {}, NotAllowed),
        (RSJ, good_id, "好评不能申诉啊", {}, claims.ClaimError),
        (RSJ, rating_id, "短", {}, claims.ClaimError),
        (RSJ, rating_id, "可执行文件不行", {"file": b"MZ", "filename": "x.exe", "content_type": "application/x-msdownload"},
         claims.ClaimError),
    ]
    for actor, target, text, extra, error in refusals:
        with ctx.transaction() as session, pytest.raises(error):
            claims.claim(session, target, actor, text, **extra)
    with ctx.transaction() as session:
        claims.claim(session, rating_id, RSJ, "第一次申诉理由")
    with ctx.transaction() as session, pytest.raises(claims.ClaimError, match="待审核"):
        claims.claim(session, rating_id, RSJ, "第二次申诉理由")
