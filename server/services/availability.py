"""Availability: the share of a period a device was online, from its status transitions.

Only flips are stored, so the state at the start of a period is the last flip before it; a
device never seen before the period counts as offline until its first flip.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models import StatusTransition


def online_share(flips: Iterable[tuple[datetime, bool]], start: datetime, end: datetime, online_at_start: bool) -> float:
    """Fraction of [start, end) spent online, given the flips (time, online) inside the period."""
    if end <= start:
        raise ValueError("empty period")
    online_seconds = 0.0
    state, since = online_at_start, start
    for at, online in sorted(flips):
        at = min(max(at, start), end)
        if state:
            online_seconds += (at - since).total_seconds()
        state, since = online, at
    if state:
        online_seconds += (end - since).total_seconds()
    return online_seconds / (end - start).total_seconds()


def daily(session: Session, device_id: str, day: date, now: datetime) -> float:
    """Availability of ``device_id`` on local calendar ``day`` (up to ``now`` for today)."""
    start = datetime.combine(day, time.min, tzinfo=LOCAL)
    end = min(start + timedelta(days=1), now)
    if end <= start:
        return 0.0
    before = session.scalar(
        select(StatusTransition.online).where(StatusTransition.device_id == device_id, StatusTransition.at < start)
        .order_by(StatusTransition.at.desc(), StatusTransition.id.desc()).limit(1)
    )
    flips = session.execute(
        select(StatusTransition.at, StatusTransition.online)
        .where(StatusTransition.device_id == device_id, StatusTransition.at >= start, StatusTransition.at < end)
    ).all()
    return online_share([(a, o) for a, o in flips], start, end, bool(before))
