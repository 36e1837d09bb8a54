"""Webhook configuration (admin only): per hall or global, a format, optional secret and kinds."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models import Site, Webhook, WebhookAttempt, WebhookDelivery
from server.models.notify import NOTIFY_KINDS, WEBHOOK_FORMATS
from server.services import audit

FORMAT_LABELS = {"generic": "通用 JSON", "wecom": "企业微信群机器人", "dingtalk": "钉钉自定义机器人"}
KIND_LABELS = {
    "fault.opened": "故障发生", "fault.reopened": "故障再现", "fault.acknowledged": "故障确认",
    "fault.resolved": "故障解决", "call.opened": "呼叫工作人员", "call.acknowledged": "呼叫响应",
    "call.resolved": "呼叫处理完毕",
}


class WebhookError(ValueError):
    """Bad webhook settings; the message is shown on the form."""


def create(session: Session, *, name: str, url: str, fmt: str, secret: str, site_slug: str, kinds: list[str],
           actor: str) -> Webhook:
    name, url, secret = name.strip(), url.strip(), secret.strip()
    if not name:
        raise WebhookError("请填写名称 (name required)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WebhookError("地址须为 http:// 或 https:// 开头的完整网址 (URL must be http or https)")
    if len(url) > 500 or len(secret) > 200 or len(name) > 100:
        raise WebhookError("名称、地址或密钥过长 (too long)")
    if fmt not in WEBHOOK_FORMATS:
        raise WebhookError(f"格式须为 {', '.join(WEBHOOK_FORMATS)} 之一")
    unknown = set(kinds) - set(NOTIFY_KINDS)
    if unknown:
        raise WebhookError(f"未知通知类型 {', '.join(sorted(unknown))}")
    site_id = None
    if site_slug:
        site = session.scalar(select(Site).where(Site.slug == site_slug))
        if site is None:
            raise WebhookError(f"没有大厅 {site_slug}")
        site_id = site.id
    hook = Webhook(name=name, url=url, format=fmt, secret=secret, site_id=site_id, kinds=sorted(set(kinds)),
                   active=True, created_by=actor)
    session.add(hook)
    session.flush()
    # The URL of a robot embeds its key, and the secret is one: neither goes to the audit log.
    audit.record(session, actor, "webhook.create", str(hook.id), format=fmt, site=site_slug or "*")
    return hook


def set_active(session: Session, hook_id: int, active: bool, actor: str) -> Webhook:
    hook = session.get(Webhook, hook_id)
    if hook is None:
        raise LookupError(f"no webhook {hook_id}")
    hook.active = active
    audit.record(session, actor, "webhook.enable" if active else "webhook.disable", str(hook_id))
    return hook


@dataclass(frozen=True)
class HookRow:
    hook: Webhook
    hall: str
    delivered: int
    pending: int
    dead: int


def overview(session: Session) -> list[HookRow]:
    counts: dict[tuple[int, str], int] = {
        (hid, state): n for hid, state, n in session.execute(
            select(WebhookDelivery.webhook_id, WebhookDelivery.state, func.count())
            .group_by(WebhookDelivery.webhook_id, WebhookDelivery.state))
    }
    halls = dict(session.execute(select(Site.id, Site.name)).all())
    return [HookRow(h, halls.get(h.site_id, "全部大厅 (all halls)") if h.site_id else "全部大厅 (all halls)",
                    counts.get((h.id, "delivered"), 0), counts.get((h.id, "pending"), 0), counts.get((h.id, "dead"), 0))
            for h in session.scalars(select(Webhook).order_by(Webhook.id))]


def recent_attempts(session: Session, limit: int = 50) -> list[tuple[WebhookAttempt, WebhookDelivery]]:
    rows = session.execute(
        select(WebhookAttempt, WebhookDelivery).join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
        .order_by(WebhookAttempt.id.desc()).limit(limit)
    ).all()
    return [(a, d) for a, d in rows]
