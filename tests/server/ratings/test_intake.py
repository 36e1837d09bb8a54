"""Rating events become rating rows once; malformed ones are kept as events and counted as rejected."""
from __future__ import annotations

from sqlalchemy import func, select, update

from server.models import Department, Device, Event
from server.models.ratings import Rating, RatingLevel, RatingReject, RectificationCase
from tests.server.helpers import add_user, enrol, event, login
from tests.server.ratings.builders import payload


def _evaluator(client, ctx):  # type: ignore[no-untyped-def]
    device_id, headers = enrol(client, ctx, "evaluator", window="12")
    with ctx.transaction() as session:
        session.add(Department(code="rsj", name="人力资源和社会保障局"))
        session.flush()
        session.execute(update(Device).where(Device.id == device_id).values(department_code="rsj"))
    return device_id, headers


def test_rating_events_make_rows_and_open_cases(client, ctx) -> None:  # type: ignore[no-untyped-def]
    device_id, headers = _evaluator(client, ctx)
    good = payload("satisfied", window="")
    bad = payload("very_dissatisfied", reasons=["attitude", "other"], text="态度差")
    unrated = payload(None)
    malformed = payload("dissatisfied", reasons=[])  # a bad rating without reason
    garbage = {"hello": "world"}
    batch = [event("rating", p) for p in (good, bad, unrated, malformed, garbage)]
    answer = client.post("/api/v1/events", json={"events": batch}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["accepted"]) == 5  # the batch is never blocked

    again = client.post("/api/v1/events", json={"events": batch}, headers=headers)
    assert len(again.json()["duplicates"]) == 5

    with ctx.reading() as session:
        rows = {r.id: r for r in session.scalars(select(Rating))}
        assert set(rows) == {good["id"], bad["id"], unrated["id"]}
        assert rows[good["id"]].level is RatingLevel.SATISFIED
        assert rows[good["id"]].window == "12"  # from the device when the payload has none
        assert rows[good["id"]].department_code == "rsj"
        assert rows[unrated["id"]].outcome == "not_rated" and rows[unrated["id"]].level is None
        assert rows[bad["id"]].bad and rows[bad["id"]].reasons == ["attitude", "other"]
        assert str(rows[bad["id"]].rated_on) == "2026-11-23"
        cases = session.scalars(select(RectificationCase)).all()
        assert [(c.rating_id, c.state, c.department_code) for c in cases] == [(bad["id"], "pending_visit", "rsj")]
        rejects = session.scalars(select(RatingReject)).all()
        assert len(rejects) == 2
        assert any("reasons" in r.error for r in rejects)
        assert session.scalar(select(func.count()).select_from(Event).where(Event.type == "rating")) == 5
    add_user(ctx, "v", "viewer")
    login(client, "v")
    page = client.get("/ratings?start=2026-11-23&end=2026-11-23")
    assert "无法识别的评价上报 2 条" in page.text  # the rejected count on the dashboard


def test_same_rating_in_a_new_event_is_rejected_not_doubled(client, ctx) -> None:  # type: ignore[no-untyped-def]
    _device_id, headers = _evaluator(client, ctx)
    body = payload("very_satisfied")
    for _ in range(2):
        assert client.post("/api/v1/events", json={"events": [event("rating", body)]}, headers=headers).status_code == 200
    with ctx.reading() as session:
        assert session.scalar(select(func.count()).select_from(Rating)) == 1
        assert "already received" in session.scalar(select(RatingReject.error))
