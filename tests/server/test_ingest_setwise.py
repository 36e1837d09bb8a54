"""The set-wise ingestion path (issue 8): ratings, rejects and cases written in bulk behave as one by one.

Covers what bulk writing could get wrong: a batch mixing retried events, repeated rating ids
and new ones; exactly one rectification case per bad rating; staff of another hall refused
per rating; NUL and NaN scrubbed on both databases; a malformed event storing nothing at all.
"""
from __future__ import annotations

import json
import math

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from server.context import AppContext
from server.models import AuditEntry, Department, Device, Event, Site, Staff, UsageRecord
from server.models.ratings import Rating, RatingReject, RectificationCase
from tests.server.helpers import enrol, event
from tests.server.ratings.builders import payload


def _evaluator(client: TestClient, ctx: AppContext) -> tuple[str, dict[str, str]]:
    device_id, headers = enrol(client, ctx, "evaluator", window="7")
    with ctx.transaction() as session:
        session.add(Department(code="rsj", name="人力资源和社会保障局"))
        session.flush()
        session.execute(update(Device).where(Device.id == device_id).values(department_code="rsj"))
    return device_id, headers


def _post(client: TestClient, headers: dict[str, str], events: list[dict]) -> dict:
    answer = client.post("/api/v1/events", json={"events": events}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_batch_mixing_retries_repeated_ratings_and_new_ones(client: TestClient, ctx: AppContext) -> None:
    _device_id, headers = _evaluator(client, ctx)
    good, bad = payload("satisfied"), payload("dissatisfied", reasons=["attitude"])
    first = [event("rating", good), event("rating", bad)]
    assert _post(client, headers, first)["accepted"] == [e["id"] for e in first]

    newer_bad = payload("very_dissatisfied", reasons=["slow"])
    second = [
        first[0],                              # a retried event: duplicate, no second rating
        event("rating", bad),                  # a new event repeating a stored rating id: rejected
        event("rating", newer_bad),            # new bad rating: one row, one case
        event("rating", newer_bad),            # its id again in the same batch: rejected
        event("usage"),
        first[1],                              # another retried event
    ]
    answer = _post(client, headers, second)
    assert answer["duplicates"] == [first[0]["id"], first[1]["id"]]
    assert answer["accepted"] == [e["id"] for e in second[1:5]]

    with ctx.reading() as session:
        ratings = {r.id: r for r in session.scalars(select(Rating))}
        assert set(ratings) == {good["id"], bad["id"], newer_bad["id"]}
        assert ratings[newer_bad["id"]].event_id == second[2]["id"]  # the first event carrying it wins
        assert ratings[newer_bad["id"]].window == "12" and ratings[good["id"]].department_code == "rsj"
        assert ratings[newer_bad["id"]].excluded is False and ratings[newer_bad["id"]].version == 1
        cases = session.execute(select(RectificationCase.rating_id, RectificationCase.state,
                                       RectificationCase.department_code).order_by(RectificationCase.id)).all()
        assert [tuple(c) for c in cases] == [(bad["id"], "pending_visit", "rsj"), (newer_bad["id"], "pending_visit", "rsj")]
        rejects = {r.event_id: r.error for r in session.scalars(select(RatingReject))}
        assert set(rejects) == {second[1]["id"], second[3]["id"]}
        assert all("already received" in error for error in rejects.values())
        assert session.scalar(select(func.count()).select_from(Event)) == 6
        assert session.scalar(select(func.count()).select_from(UsageRecord)) == 1


def test_staff_of_another_hall_is_dropped_from_the_rating_and_audited(client: TestClient, ctx: AppContext) -> None:
    device_id, headers = _evaluator(client, ctx)
    with ctx.transaction() as session:
        here, there = Site(slug="here", name="本大厅", region_code="110105"), Site(slug="there", name="别的大厅", region_code="110105")
        session.add_all([here, there])
        session.flush()
        session.execute(update(Device).where(Device.id == device_id).values(site_id=here.id))
        session.add_all([Staff(staff_no="H1", name="本厅", site_id=here.id), Staff(staff_no="T1", name="他厅", site_id=there.id),
                         Staff(staff_no="N1", name="无厅", site_id=None)])
    own, other, floating, unknown = (payload("satisfied", staff_no=no) for no in ("H1", "T1", "N1", "ZZ9"))
    _post(client, headers, [event("rating", p) for p in (own, other, floating, unknown)])
    with ctx.reading() as session:
        staff = dict(session.execute(select(Rating.id, Rating.staff_no)).tuples().all())
        assert staff == {own["id"]: "H1", other["id"]: "", floating["id"]: "N1", unknown["id"]: "ZZ9"}
        refused = session.scalars(select(AuditEntry).where(AuditEntry.action == "rating.staff_refused")).all()
        assert [(a.actor, a.target) for a in refused] == [(f"device:{device_id}", "staff:T1")]


def test_nul_and_nan_are_scrubbed_in_events_and_ratings(client: TestClient, ctx: AppContext) -> None:
    _device_id, headers = _evaluator(client, ctx)
    odd = event("widget", {"note": "a\x00b", "reading": math.nan, "nested": [{"k\x00": math.inf}]})
    rating = event("rating", payload("satisfied", text="好\x00", item_name="x\x00y"))
    clean = event("widget", {"note": "plain \\u0000 text"})  # an escaped-looking string is not a NUL
    body = json.dumps({"events": [odd, rating, clean]})  # NaN/Infinity as Python's json writes them
    answer = client.post("/api/v1/events", content=body, headers={**headers, "Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text
    with ctx.reading() as session:
        stored = {e.id: e.payload for e in session.scalars(select(Event))}
        assert stored[odd["id"]] == {"note": "a\ufffdb", "reading": None, "nested": [{"k\ufffd": None}]}
        assert stored[clean["id"]] == {"note": "plain \\u0000 text"}
        row = session.scalar(select(Rating))
        assert (row.text, row.item_name) == ("好\ufffd", "x\ufffdy")


def test_a_malformed_event_among_ratings_stores_nothing(client: TestClient, ctx: AppContext) -> None:
    _device_id, headers = _evaluator(client, ctx)
    batch = [event("rating", payload("dissatisfied", reasons=["attitude"])), event("usage"),
             event("usage", {"function": "print", "outcome": "exploded"})]
    answer = client.post("/api/v1/events", json={"events": batch}, headers=headers)
    assert answer.status_code == 422 and "/events/2" in answer.text
    with ctx.reading() as session:
        for model in (Event, UsageRecord, Rating, RectificationCase, RatingReject):
            assert session.scalar(select(func.count()).select_from(model)) == 0, model.__name__
