"""What the fleet and device pages show from this package (kept here so routes.py stays short)."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server.models import Device

ALL_TILES_UP_TO = 300  # = server.dashboard.routes.ALL_TILES_UP_TO (not imported: routes imports this module)
from server.notify.calls import open_calls
from server.reports import device as device_report
from server.reports import workable


def fleet_extras(session: Session, site_slug: str | None) -> dict[str, Any]:
    """Open staff calls of the hall(s), the fleet's 实时可办率 and the rate of each tile shown."""
    overview = workable.summary(session, site_slug)
    # Every tile shows its rate when every tile is shown; a large fleet shows only the tiles needing
    # attention, whose rates (terminals with faults) the summary has already worked out.
    by_device = (workable.fleet_rate(session, site_slug).by_device() if site_slug or overview.count <= ALL_TILES_UP_TO
                 else overview.by_device)
    return {"calls": open_calls(session, site_slug), "workable": overview, "workable_by_device": by_device,
            "workable_target": workable.TARGET}


def device_extras(session: Session, device: Device) -> dict[str, Any]:
    chart, transactions = device_report.usage_chart(session, device.id)
    rate = None
    if device.type == "terminal":
        rate = next(iter(workable.fleet_rate(session, device_id=device.id).terminals), None)
    return {"timeline": device_report.timeline(session, device), "usage_chart": chart,
            "usage_transactions": transactions, "workable_rate": rate, "workable_target": workable.TARGET}
