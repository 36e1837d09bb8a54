"""Ratings from ``rating`` events and from the rating-QR page become rows (and bad ones open cases).

The ingestion effect runs in the same transaction as the storage of the events and only for
events stored for the first time, so a retried batch never makes a second rating. A payload
that cannot be read is *not* a reason to refuse the batch (the device would retry it for
ever and hold back its other events): the event stays in ``events`` and a ``rating_rejects``
row says why, which the dashboard counts. A rating's department, hall and (when the device
did not send one) window come from the device that sent it.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models import Device, Staff, utcnow
from server.models.ratings import Rating, RatingReject
from server.ratings import payload as wire
from server.ratings.rectification import open_case
from server.services import audit

if TYPE_CHECKING:
    from server.services.ingest import Incoming


def apply_rating_events(session: Session, device_id: str, events: list["Incoming"]) -> None:
    """The ``rating`` batch effect (registered in ``server.services.ingest.batch_effects``)."""
    device = session.get(Device, device_id)
    parsed: list[tuple[Incoming, wire.RatingPayload | str]] = []
    for event in events:
        try:
            parsed.append((event, wire.parse(event.payload)))
        except ValueError as exc:
            parsed.append((event, str(exc)[:300]))
    ids = [p.id for _, p in parsed if not isinstance(p, str)]
    seen = set(session.scalars(select(Rating.id).where(Rating.id.in_(ids)))) if ids else set()
    for event, record in parsed:
        if not isinstance(record, str) and record.id in seen:
            record = f"id: rating {record.id} was already received in another event"
        if isinstance(record, str):
            session.add(RatingReject(event_id=event.id, device_id=device_id, error=record))
            continue
        seen.add(record.id)
        store(session, record, event_id=event.id, device=device, flush=False)
    session.flush()


def store(session: Session, record: wire.RatingPayload, *, event_id: str | None = None, device: Device | None = None,
          site_id: int | None = None, department_code: str | None = None, contact_phone: str = "",
          now: datetime | None = None, flush: bool = True) -> Rating:
    """Insert one rating; a bad one opens its rectification case at once (``flush=False``: the caller flushes)."""
    now = now or utcnow()
    rated_at = record.rated_at_utc
    staff_no = _staff_of_hall(session, record.staff_no, device)
    rating = Rating(
        id=record.id, event_id=event_id, device_id=device.id if device else None,
        site_id=device.site_id if device else site_id,
        department_code=device.department_code if device else department_code,
        outcome=record.outcome, level=record.level, bad=record.bad, reasons=list(record.reasons),
        reason_list_version=record.reason_list_version, text=record.text, rated_at=rated_at,
        rated_on=rated_at.astimezone(LOCAL).date(), rating_count=record.rating_count, case_no=record.case_no,
        consultation=record.consultation, item_name=record.item_name, item_basic_code=record.item_basic_code,
        item_impl_code=record.item_impl_code, channel=record.channel, region_code=record.region_code,
        window=record.window or (device.window if device else ""), staff_no=staff_no,
        trigger=record.trigger, contact_phone=contact_phone, received_at=now,
    )
    session.add(rating)
    if rating.bad:
        open_case(session, rating, now)
    if flush:
        session.flush()
    return rating


def _staff_of_hall(session: Session, staff_no: str, device: Device | None) -> str:
    """The rating's staff number, unless it names staff of another hall than the device's.

    The rating itself stands (the citizen did rate), but a device must not be able to put
    ratings on the record of someone working elsewhere; the refusal is audited.
    """
    if not staff_no or device is None:
        return staff_no
    member = session.get(Staff, staff_no)
    if member is None or member.site_id is None or member.site_id == device.site_id:
        return staff_no
    audit.record(session, f"device:{device.id}", "rating.staff_refused", f"staff:{staff_no}",
                 reason="staff member of another hall")
    return ""


def case_rated(session: Session, case_no: str) -> bool:
    """True when a rating (not a 未评) of this case number exists (一次一评 for the QR page)."""
    return session.scalar(select(Rating.id).where(Rating.case_no == case_no, Rating.outcome == "rated")
                          .limit(1)) is not None
