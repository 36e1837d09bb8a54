"""Sites, one-time enrol codes, device enrolment and token checks."""
from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from server import security
from server.models import Device, DeviceToken, EnrolClaim, EnrolCode, Site, utcnow
from server.services import audit

DEFAULT_SITE_SLUG = "default"
DEFAULT_SITE_NAME = "默认站点 (default site)"


class EnrolError(Exception):
    """The code is unknown, used or expired; the message is safe to show to the device."""


@dataclass(frozen=True)
class IssuedCode:
    code: str
    site_slug: str
    device_type: str
    expires_at_iso: str


@dataclass(frozen=True)
class Enrolled:
    device_id: str
    token: str


def ensure_default_site(session: Session) -> Site:
    """The contract says an enrol code works without ``--site``: this is the site it lands in."""
    site = session.scalar(select(Site).where(Site.slug == DEFAULT_SITE_SLUG))
    if site is None:
        site = Site(slug=DEFAULT_SITE_SLUG, name=DEFAULT_SITE_NAME, region_code="")
        session.add(site)
        session.flush()
    return site


def find_site(session: Session, slug: str | None) -> Site:
    if not slug or slug == DEFAULT_SITE_SLUG:
        return ensure_default_site(session)
    site = session.scalar(select(Site).where(Site.slug == slug))
    if site is None:
        raise LookupError(f"unknown site {slug!r}")
    return site


def issue_code(
    session: Session, *, actor: str, ttl_hours: int, site_slug: str | None = None,
    device_type: str = "terminal", window: str = "", location: str = "",
) -> IssuedCode:
    """Create a one-time enrol code; the clear code is returned once and never stored."""
    if device_type not in ("terminal", "evaluator"):
        raise ValueError("device type must be terminal or evaluator")
    site = find_site(session, site_slug)
    code = security.new_enrol_code()
    expires = utcnow() + timedelta(hours=ttl_hours)
    session.add(EnrolCode(
        code_hash=security.digest(code), hint=code[-4:], site_id=site.id, device_type=device_type,
        window=window, location=location, created_by=actor, expires_at=expires,
    ))
    audit.record(session, actor, "enrol_code.issue", site.slug, device_type=device_type, hint=code[-4:])
    return IssuedCode(code=code, site_slug=site.slug, device_type=device_type, expires_at_iso=expires.isoformat())


def enrol(session: Session, code: str, *, name: str = "", instance_id: str = "", retry_window_s: int = 600) -> Enrolled:
    """Consume ``code`` and create the device with its first token.

    The code is marked used with a conditional UPDATE, so two devices racing with the same
    code (or two server replicas) cannot both succeed. A device that sends a random
    ``instance_id`` with the code may send the same pair again within ``retry_window_s`` (its
    answer was lost): it gets the same device id and a fresh token, and the first token is
    revoked, so at most one token from the code is ever live.
    """
    now = utcnow()
    row = session.scalar(select(EnrolCode).where(EnrolCode.code_hash == security.digest(security.normalise_code(code))))
    if row is not None and row.used_at is not None and instance_id:
        return _retry(session, row, instance_id, now, retry_window_s)
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise EnrolError("enrol code unknown, already used or expired")
    claimed = session.execute(
        update(EnrolCode).where(EnrolCode.id == row.id, EnrolCode.used_at.is_(None)).values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise EnrolError("enrol code unknown, already used or expired")
    prefix = "T" if row.device_type == "terminal" else "E"
    device = Device(
        id=f"{prefix}-{secrets.token_hex(5).upper()}", site_id=row.site_id, type=row.device_type,
        name=name[:200], window=row.window, location=row.location, peripherals={}, last_heartbeat={},
    )
    session.add(device)
    session.flush()
    session.execute(update(EnrolCode).where(EnrolCode.id == row.id).values(device_id=device.id))
    token = security.new_token()
    session.add(DeviceToken(token_hash=security.digest(token), device_id=device.id))
    if instance_id:
        session.add(EnrolClaim(code_id=row.id, nonce_hash=security.digest(instance_id), device_id=device.id,
                               claimed_at=now, retries=0))
    audit.record(session, f"device:{device.id}", "device.enrol", device.id, code_hint=row.hint)
    return Enrolled(device_id=device.id, token=token)


def _retry(session: Session, row: EnrolCode, instance_id: str, now: datetime, window_s: int) -> Enrolled:
    """Answer a retried enrolment again: same instance, within the window, device still in service."""
    claim = session.get(EnrolClaim, row.id, with_for_update=True)
    device = session.get(Device, claim.device_id) if claim is not None else None
    if (claim is None or device is None or device.retired or claim.claimed_at < now - timedelta(seconds=window_s)
            or not security.same(claim.nonce_hash, security.digest(instance_id))):
        raise EnrolError("enrol code unknown, already used or expired")
    session.execute(update(DeviceToken).where(DeviceToken.device_id == device.id, DeviceToken.revoked_at.is_(None))
                    .values(revoked_at=now))
    token = security.new_token()
    session.add(DeviceToken(token_hash=security.digest(token), device_id=device.id))
    claim.retries += 1
    audit.record(session, f"device:{device.id}", "device.enrol_retry", device.id, code_hint=row.hint,
                 retries=claim.retries)
    return Enrolled(device_id=device.id, token=token)


# Built once: this runs on every device request, and building the statement each time cost
# more than executing it (measured with the heartbeat benchmark).
_LIVE_TOKENS = (
    select(Device.id, Device.type)
    .join(DeviceToken, DeviceToken.device_id == Device.id)
    .where(DeviceToken.revoked_at.is_(None), Device.retired.is_(False))
)
_TOKEN_LOOKUP = _LIVE_TOKENS.where(DeviceToken.token_hash == bindparam("token_hash"))
_TOKENS_LOOKUP = (_LIVE_TOKENS.add_columns(DeviceToken.token_hash)
                  .where(DeviceToken.token_hash.in_(bindparam("token_hashes", expanding=True))))


def device_for_token(session: Session, token: str) -> tuple[str, str] | None:
    """(id, type) of the device owning a live token, or None (unknown, revoked, or device retired)."""
    row = session.execute(_TOKEN_LOOKUP, {"token_hash": security.digest(token)}).first()
    return (row[0], row[1]) if row else None


def devices_for_token_hashes(session: Session, token_hashes: Sequence[str]) -> dict[str, tuple[str, str]]:
    """``device_for_token`` for several tokens (by ``security.digest``) in one query; live ones only."""
    rows = session.execute(_TOKENS_LOOKUP, {"token_hashes": list(set(token_hashes))})
    return {token_hash: (device_id, kind) for device_id, kind, token_hash in rows}


def revoke_tokens(session: Session, device_id: str, actor: str) -> int:
    result = session.execute(
        update(DeviceToken).where(DeviceToken.device_id == device_id, DeviceToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    audit.record(session, actor, "device.revoke_tokens", device_id)
    return int(result.rowcount)  # type: ignore[attr-defined]
