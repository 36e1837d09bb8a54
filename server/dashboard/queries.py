"""Read-side queries for the dashboard pages, shaped for templates (a few queries per page)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models import Command, Device, EnrolCode, Event, Fault, Site, utcnow
from server.services import availability

ACTIVE = ("open", "acknowledged")


@dataclass(frozen=True)
class Tile:
    id: str
    type: str
    name: str
    window: str
    location: str
    status: str  # ok | fault | offline | never
    open_faults: int
    last_seen_at: datetime | None


@dataclass(frozen=True)
class HallGroup:
    site: Site
    tiles: list[Tile]

    def count(self, status: str) -> int:
        return sum(1 for t in self.tiles if t.status == status)

    def needing_attention(self) -> list[Tile]:
        return [t for t in self.tiles if t.status != "ok"]


def fleet(session: Session, site_slug: str | None = None) -> list[HallGroup]:
    """Devices grouped by hall (one hall when ``site_slug``), with a status key each: three queries."""
    fault_counts = dict(session.execute(
        select(Fault.device_id, func.count()).where(Fault.state.in_(ACTIVE)).group_by(Fault.device_id)
    ).all())
    site_query = select(Site).order_by(Site.region_code, Site.name)
    device_query = (
        select(Device.id, Device.site_id, Device.type, Device.name, Device.window, Device.location, Device.online,
               Device.last_seen_at).where(Device.retired.is_(False))
        .order_by(Device.site_id, Device.type.desc(), Device.window, Device.id)
    )
    if site_slug:
        site_query = site_query.where(Site.slug == site_slug)
        device_query = device_query.join(Site, Site.id == Device.site_id).where(Site.slug == site_slug)
    sites = {s.id: s for s in session.scalars(site_query)}
    groups: dict[int, list[Tile]] = {sid: [] for sid in sites}
    rows = session.execute(device_query)
    for did, site_id, dtype, name, window, location, online, seen in rows:
        n = fault_counts.get(did, 0)
        state = "never" if seen is None else "offline" if not online else "fault" if n else "ok"
        groups[site_id].append(Tile(did, dtype, name, window, location, state, n, seen))
    return [HallGroup(sites[sid], tiles) for sid, tiles in groups.items() if tiles or sites[sid].slug != "default"]


def device_detail(session: Session, device_id: str) -> dict[str, Any] | None:
    device = session.get(Device, device_id)
    if device is None:
        return None
    return {
        "device": device,
        "site": device.site,
        "faults": list(session.scalars(
            select(Fault).where(Fault.device_id == device_id).order_by(Fault.opened_at.desc()).limit(50))),
        "events": list(session.scalars(
            select(Event).where(Event.device_id == device_id).order_by(Event.occurred_at.desc()).limit(30))),
        "availability": _last_days(session, device_id, days=7),
        "commands": list(session.scalars(
            select(Command).where(Command.device_id == device_id).order_by(Command.id.desc()).limit(20))),
    }


def _last_days(session: Session, device_id: str, days: int) -> list[tuple[date, float]]:
    now = utcnow()
    today = now.astimezone(LOCAL).date()
    return [(day, availability.daily(session, device_id, day, now))
            for day in (today - timedelta(days=n) for n in range(days))]


def fault_queue(session: Session, show_all: bool) -> list[tuple[Fault, Device, str]]:
    """Newest first, with the device and its hall's name (faults of many halls share one queue)."""
    query = (select(Fault, Device, Site.name).join(Device, Device.id == Fault.device_id)
             .join(Site, Site.id == Device.site_id))
    if not show_all:
        query = query.where(Fault.state.in_(ACTIVE))
    rows = session.execute(query.order_by(Fault.opened_at.desc(), Fault.id.desc()).limit(500)).all()
    return [(f, d, hall) for f, d, hall in rows]


def recent_codes(session: Session) -> list[EnrolCode]:
    return list(session.scalars(select(EnrolCode).order_by(EnrolCode.id.desc()).limit(30)))


def sites(session: Session) -> list[Site]:
    return list(session.scalars(select(Site).order_by(Site.name)))
