"""Ratings from ``rating`` events and from the rating-QR page become rows (and bad ones open cases).

The ingestion effect runs in the same transaction as the storage of the events and only for
events stored for the first time, so a retried batch never makes a second rating. A payload
that cannot be read is *not* a reason to refuse the batch (the device would retry it for
ever and hold back its other events): the event stays in ``events`` and a ``rating_rejects``
row says why, which the dashboard counts. A rating's department, hall and (when the device
did not send one) window come from the device that sent it.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.db import SCRUBBED, scrub
from server.models import Device, Staff, utcnow
from server.models.ratings import Rating, RatingReject, RectificationCase
from server.ratings import payload as wire
from server.ratings.rectification import open_case
from server.services import audit

if TYPE_CHECKING:
    from server.services.ingest import Incoming


def apply_rating_events(session: Session, device_id: str, events: list["Incoming"]) -> None:
    """The ``rating`` batch effect (registered in ``server.services.ingest.batch_effects``).

    Set-wise: one query for rating ids already stored, one for the staff numbers named, then
    one executemany each for ratings, rejects and rectification cases (a batch of 500 events
    from a busy evaluator is mostly ratings; an ORM object per row cost more than the rest of
    the ingestion together). The rows are exactly those ``store`` makes, from ``_rating_row``.
    """
    device = session.get(Device, device_id)
    parsed: list[tuple[Incoming, wire.RatingPayload | str]] = []
    for event in events:
        try:
            parsed.append((event, wire.parse(event.payload)))
        except ValueError as exc:
            parsed.append((event, str(exc)[:300]))
    records = [p for _, p in parsed if not isinstance(p, str)]
    ids = {p.id for p in records}
    seen = set(session.scalars(select(Rating.id).where(Rating.id.in_(ids)))) if ids else set()
    named = {p.staff_no for p in records if p.staff_no}
    halls = dict(session.execute(select(Staff.staff_no, Staff.site_id).where(Staff.staff_no.in_(named))).tuples().all()) \
        if named and device is not None else {}
    now = utcnow()
    ratings: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    for event, record in parsed:
        if not isinstance(record, str) and record.id in seen:
            record = f"id: rating {record.id} was already received in another event"
        if isinstance(record, str):
            rejects.append({"event_id": event.id, "device_id": device_id, "error": record, "at": now})
            continue
        seen.add(record.id)
        staff_no = _staff_of_hall(session, record.staff_no, device, halls.get(record.staff_no))
        ratings.append(_rating_row(record, event_id=event.id, device=device, staff_no=staff_no, now=now))
    connection = session.connection()
    if ratings:
        connection.execute(insert(Rating.__table__), ratings, execution_options=SCRUBBED)
        cases = [_case_row(r["id"], r["department_code"], now) for r in ratings if r["bad"]]
        if cases:
            connection.execute(insert(RectificationCase.__table__), cases)
    if rejects:
        connection.execute(insert(RatingReject.__table__), rejects)


def store(session: Session, record: wire.RatingPayload, *, event_id: str | None = None, device: Device | None = None,
          site_id: int | None = None, department_code: str | None = None, contact_phone: str = "",
          now: datetime | None = None, flush: bool = True) -> Rating:
    """Insert one rating; a bad one opens its rectification case at once (``flush=False``: the caller flushes)."""
    now = now or utcnow()
    staff_no = _staff_of_hall(session, record.staff_no, device)
    rating = Rating(**_rating_row(record, event_id=event_id, device=device, staff_no=staff_no, now=now, site_id=site_id,
                                  department_code=department_code, contact_phone=contact_phone))
    session.add(rating)
    if rating.bad:
        open_case(session, rating, now)
    if flush:
        session.flush()
    return rating


def _rating_row(record: wire.RatingPayload, *, event_id: str | None, device: Device | None, staff_no: str,
                now: datetime, site_id: int | None = None, department_code: str | None = None,
                contact_phone: str = "") -> dict[str, Any]:
    """The column values of a new rating (the device, when there is one, gives hall, department and window).

    Free-text fields are scrubbed here (``server.db.scrub``: the other strings are pattern-checked
    by ``RatingPayload``, ``reasons`` is JSON and scrubbed by ``dump_json``), so the set-wise
    insert can skip the generic walk over every parameter.
    """
    rated_at, rated_on = _rated_times(record.rated_at)
    return {
        "id": record.id, "event_id": event_id, "device_id": device.id if device else None,
        "site_id": device.site_id if device else site_id,
        "department_code": device.department_code if device else department_code,
        "outcome": record.outcome, "level": record.level, "bad": record.bad, "reasons": list(record.reasons),
        "reason_list_version": record.reason_list_version, "text": scrub(record.text), "rated_at": rated_at,
        "rated_on": rated_on, "rating_count": record.rating_count, "case_no": scrub(record.case_no),
        "consultation": record.consultation, "item_name": scrub(record.item_name),
        "item_basic_code": record.item_basic_code, "item_impl_code": record.item_impl_code,
        "channel": record.channel, "region_code": record.region_code,
        "window": scrub(record.window) or (device.window if device else ""), "staff_no": scrub(staff_no),
        "trigger": scrub(record.trigger), "contact_phone": scrub(contact_phone), "received_at": now,
        "excluded": False, "version": 1, "pushed_version": 0,  # the model's defaults, spelt out for Core inserts
    }


def _case_row(rating_id: str, department_code: str | None, at: datetime) -> dict[str, Any]:
    """A new 待回访 case as ``open_case`` makes it (text columns empty, no step taken yet)."""
    return {"rating_id": rating_id, "department_code": department_code, "state": "pending_visit", "opened_at": at,
            "visited_at": None, "visit_note": "", "rectify_started_at": None, "rectify_plan": "",
            "rectified_at": None, "rectify_note": "", "reviewed_at": None, "review_satisfied": None,
            "review_note": ""}


@lru_cache(maxsize=1024)
def _rated_times(rated_at: str) -> tuple[datetime, date]:
    """评价时间 (local ``YYYYMMDDThhmmss``) in UTC and its local date; cached: ``strptime`` is slow
    and a busy hall's evaluators send many ratings within the same seconds."""
    utc = wire.local_time(rated_at).astimezone(timezone.utc)
    return utc, utc.astimezone(LOCAL).date()


_UNKNOWN = object()  # "not looked up yet" for ``_staff_of_hall`` (``None`` means: in no hall)


def _staff_of_hall(session: Session, staff_no: str, device: Device | None, hall: object = _UNKNOWN) -> str:
    """The rating's staff number, unless it names staff of another hall than the device's.

    The rating itself stands (the citizen did rate), but a device must not be able to put
    ratings on the record of someone working elsewhere; the refusal is audited. ``hall`` is
    the staff member's ``site_id`` when the caller looked it up already (a missing member
    and one in no hall both count as None).
    """
    if not staff_no or device is None:
        return staff_no
    if hall is _UNKNOWN:
        member = session.get(Staff, staff_no)
        hall = member.site_id if member is not None else None
    if hall is None or hall == device.site_id:
        return staff_no
    audit.record(session, f"device:{device.id}", "rating.staff_refused", f"staff:{staff_no}",
                 reason="staff member of another hall")
    return ""


def case_rated(session: Session, case_no: str) -> bool:
    """True when a rating (not a 未评) of this case number exists (一次一评 for the QR page)."""
    return session.scalar(select(Rating.id).where(Rating.case_no == case_no, Rating.outcome == "rated")
                          .limit(1)) is not None
