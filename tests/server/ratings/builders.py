"""Builders for the 好差评 tests: rating payloads as an evaluator sends them, org rows, ratings."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models import Department, Site
from server.ratings import payload as wire
from server.ratings.intake import store


def payload(level: str | None = "very_satisfied", **over: Any) -> dict[str, Any]:
    """What ``kiosk.rating.RatingRecord.payload()`` produces (fields as on the wire)."""
    bad = level in ("dissatisfied", "very_dissatisfied")
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()), "invitation_id": str(uuid.uuid4()),
        "outcome": "rated" if level else "not_rated", "level": level, "bad": bad,
        "reasons": ["attitude"] if bad else [], "reason_list_version": 1 if bad else None, "text": "",
        "rated_at": "20261123T093000", "rating_count": 1, "case_no": f"C{uuid.uuid4().hex[:10]}",
        "consultation": False, "item_name": "社会保障卡申领", "item_basic_code": "0002010010",
        "item_impl_code": "11010500020101000001", "channel": "evaluator", "region_code": "110105",
        "window": "12", "staff_no": "S001", "device_id": "dev", "trigger": "window_system",
    }
    body.update(over)
    return body


def org(session: Session) -> Site:
    """Two departments and a hall (示例)."""
    session.add_all([Department(code="rsj", name="人力资源和社会保障局"), Department(code="gaj", name="公安局")])
    site = Site(slug="hall-a", name="A 大厅", region_code="110105")
    session.add(site)
    session.flush()
    return site


def add_rating(session: Session, level: str | None, *, site_id: int | None = None, department: str | None = "rsj",
               at: datetime | None = None, **over: Any):  # type: ignore[no-untyped-def]
    """Store a rating directly (as the QR page does); ``at`` is the UTC moment it was rated."""
    if at is not None:
        over["rated_at"] = at.astimezone(LOCAL).strftime("%Y%m%dT%H%M%S")
    record = wire.parse(payload(level, **over))
    return store(session, record, site_id=site_id, department_code=department,
                 now=at or datetime(2026, 11, 23, 1, 30, tzinfo=timezone.utc))
