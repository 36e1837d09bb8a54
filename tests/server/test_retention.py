"""Retention purge: finished, old bookkeeping goes; anything still in flight or recent stays."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.app import purge_once
from server.cli import main as cli_main
from server.context import AppContext
from server.models import Device, EnrolCode, Site
from server.models.notify import EnrolClaim, NotifyOutbox, Webhook, WebhookAttempt, WebhookDelivery
from server.models.people import SignedOutSession
from server.retention import RetentionPolicy, purge

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
OLD = NOW - timedelta(days=91)
RECENT = NOW - timedelta(days=10)


def _notification(session: Session, webhook: Webhook, at: datetime, outbox_state: str,
                  delivery_states: list[str]) -> int:
    row = NotifyOutbox(kind="fault_opened", device_id="T-1", payload={}, created_at=at, not_before=at,
                       state=outbox_state)
    session.add(row)
    session.flush()
    for state in delivery_states:
        delivery = WebhookDelivery(outbox_id=row.id, webhook_id=webhook.id, state=state, created_at=at)
        session.add(delivery)
        session.flush()
        session.add(WebhookAttempt(delivery_id=delivery.id, at=at, status=200 if state == "delivered" else 500))
    return row.id


def _fill(session: Session) -> dict[str, int]:
    site = Site(slug="hall", name="示例大厅")
    session.add(site)
    session.flush()
    session.add(Device(id="T-1", site_id=site.id, type="terminal"))
    webhook = Webhook(name="机器人", url="http://127.0.0.1:9/hook")
    session.add(webhook)
    session.flush()
    ids = {
        "old_done": _notification(session, webhook, OLD, "fanned", ["delivered", "dead"]),
        "old_cancelled": _notification(session, webhook, OLD, "cancelled", []),
        "old_retrying": _notification(session, webhook, OLD, "fanned", ["delivered", "pending"]),
        "old_pending": _notification(session, webhook, OLD, "pending", []),
        "recent_done": _notification(session, webhook, RECENT, "fanned", ["delivered"]),
    }
    for n, claimed in enumerate((OLD, RECENT)):
        code = EnrolCode(code_hash=f"h{n}", hint="x", site_id=site.id, device_type="terminal", expires_at=claimed)
        session.add(code)
        session.flush()
        session.add(EnrolClaim(code_id=code.id, nonce_hash="n", device_id="T-1", claimed_at=claimed))
        ids[f"claim_{n}"] = code.id
    session.add_all([SignedOutSession(sid="gone", expires_at=NOW - timedelta(seconds=1)),
                     SignedOutSession(sid="live", expires_at=NOW + timedelta(hours=1))])
    return ids


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_purge_keeps_what_is_recent_or_unfinished(ctx: AppContext) -> None:
    with ctx.transaction() as session:
        ids = _fill(session)
    with ctx.transaction() as session:
        deleted = purge(session, NOW, RetentionPolicy())
    assert deleted == {"notify_outbox": 2, "webhook_deliveries": 2, "webhook_attempts": 2,
                       "enrol_claims": 1, "signed_out_sessions": 1}
    with ctx.reading() as session:
        left = set(session.scalars(select(NotifyOutbox.id)))
        assert left == {ids["old_retrying"], ids["old_pending"], ids["recent_done"]}
        # a delivery still being retried keeps its finished sibling and every attempt of both
        assert _count(session, WebhookDelivery) == 3 and _count(session, WebhookAttempt) == 3
        assert set(session.scalars(select(EnrolClaim.code_id))) == {ids["claim_1"]}
        assert set(session.scalars(select(SignedOutSession.sid))) == {"live"}
    with ctx.transaction() as session:  # a second run finds nothing more
        assert purge(session, NOW, RetentionPolicy()) == {}


def test_zero_keeps_notifications_for_ever(ctx: AppContext) -> None:
    with ctx.transaction() as session:
        _fill(session)
    with ctx.transaction() as session:
        deleted = purge(session, NOW + timedelta(days=3650), RetentionPolicy(notify_keep_days=0))
    assert "notify_outbox" not in deleted and deleted["enrol_claims"] == 2
    with ctx.reading() as session:
        assert _count(session, NotifyOutbox) == 5


def test_purge_once_and_the_cli_use_the_settings(ctx: AppContext, database_url: str, monkeypatch, capsys) -> None:
    with ctx.transaction() as session:
        _fill(session)
    # everything above is older than a day before the real now
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("KIOSK_SERVER_NOTIFY_KEEP_DAYS", "1")
    assert cli_main(["purge"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("purged ") and "notify_outbox 3" in out  # recent_done (10 days) too, now
    assert "webhook_deliveries 3" in out and "webhook_attempts 3" in out
    assert purge_once(ctx) == {}
