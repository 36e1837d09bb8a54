"""Event ingestion: idempotency, whole-batch refusal, gzip, size limits, rate limits."""
from __future__ import annotations

import gzip
import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from server.context import AppContext
from server.models import Event, UsageRecord
from tests.server.helpers import enrol, event


def count_events(ctx: AppContext) -> int:
    with ctx.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(Event)) or 0)


def test_batch_is_accepted_then_reported_as_duplicates(client: TestClient, ctx: AppContext) -> None:
    _, auth = enrol(client, ctx)
    batch = [event() for _ in range(5)]
    first = client.post("/api/v1/events", json={"events": batch}, headers=auth)
    assert first.status_code == 200, first.text
    assert first.json() == {"accepted": [e["id"] for e in batch], "duplicates": []}
    again = client.post("/api/v1/events", json={"events": batch}, headers=auth)
    assert again.json() == {"accepted": [], "duplicates": [e["id"] for e in batch]}
    assert count_events(ctx) == 5


def test_partly_new_batch_and_repeats_inside_one_batch(client: TestClient, ctx: AppContext) -> None:
    _, auth = enrol(client, ctx)
    old = event()
    client.post("/api/v1/events", json={"events": [old]}, headers=auth)
    new = event()
    answer = client.post("/api/v1/events", json={"events": [old, new, new]}, headers=auth).json()
    assert answer == {"accepted": [new["id"]], "duplicates": [old["id"], new["id"]]}
    with ctx.transaction() as session:
        assert session.scalar(select(func.count()).select_from(UsageRecord)) == 2  # not three


def test_one_malformed_event_refuses_the_whole_batch(client: TestClient, ctx: AppContext) -> None:
    _, auth = enrol(client, ctx)
    bad = event("usage", {"function": "print"})  # no outcome
    answer = client.post("/api/v1/events", json={"events": [event(), bad, event()]}, headers=auth)
    assert answer.status_code == 422
    assert "/events/1/payload" in answer.json()["detail"] and "outcome" in answer.json()["detail"]
    assert count_events(ctx) == 0


def test_malformed_shapes_get_422_with_a_reason(client: TestClient, ctx: AppContext) -> None:
    _, auth = enrol(client, ctx)
    cases = [
        {"events": [{**event(), "id": "not-a-uuid"}]},
        {"events": [{**event(), "occurred_at": "2026-11-23 09:00"}]},
        {"events": [{**event(), "occurred_at": "2026-11-23T09:00:00"}]},  # no offset
        {"events": [{**event(), "seq": -1}]},
        {"events": [{**event(), "type": "Bad Type"}]},
        {"events": []},
        {"events": [event()], "extra": 1},
        [event()],
    ]
    for body in cases:
        answer = client.post("/api/v1/events", json=body, headers=auth)
        assert answer.status_code == 422, body
        assert answer.json()["detail"]
    assert count_events(ctx) == 0


def test_gzip_body_is_accepted(client: TestClient, ctx: AppContext) -> None:
    _, auth = enrol(client, ctx)
    batch = [event() for _ in range(50)]
    data = gzip.compress(json.dumps({"events": batch}).encode())
    answer = client.post("/api/v1/events", content=data,
                         headers={**auth, "Content-Encoding": "gzip", "Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["accepted"]) == 50


def test_bad_gzip_invalid_json_and_unknown_encoding(client: TestClient, ctx: AppContext) -> None:
    _, auth = enrol(client, ctx)
    assert client.post("/api/v1/events", content=b"not gzip", headers={**auth, "Content-Encoding": "gzip"}).status_code == 400
    assert client.post("/api/v1/events", content=b"{nope", headers=auth).status_code == 400
    assert client.post("/api/v1/events", content=b"{}", headers={**auth, "Content-Encoding": "br"}).status_code == 415


def test_oversized_bodies_get_413(client: TestClient, ctx: AppContext) -> None:
    _, auth = enrol(client, ctx)
    limit = ctx.settings.max_body_bytes
    big = b'{"events": [' + b" " * (limit + 10) + b"]}"
    assert client.post("/api/v1/events", content=big, headers=auth).status_code == 413
    bomb = gzip.compress(big)  # small on the wire, too big once inflated
    assert len(bomb) < limit
    answer = client.post("/api/v1/events", content=bomb, headers={**auth, "Content-Encoding": "gzip"})
    assert answer.status_code == 413
    assert count_events(ctx) == 0


def test_too_many_events_in_one_batch(client: TestClient, ctx: AppContext) -> None:
    _, auth = enrol(client, ctx)
    ctx.settings.max_batch_events = 3
    answer = client.post("/api/v1/events", json={"events": [event() for _ in range(4)]}, headers=auth)
    assert answer.status_code == 422 and "at most 3" in answer.json()["detail"]


def test_other_event_types_are_stored_as_they_are(client: TestClient, ctx: AppContext) -> None:
    _, auth = enrol(client, ctx)
    rating = event("rating", {"level": "very_satisfied", "window": "12"})
    other = event("print_job", {"pages": 2})
    assert client.post("/api/v1/events", json={"events": [rating, other]}, headers=auth).status_code == 200
    with ctx.transaction() as session:
        stored = session.get(Event, rating["id"])
        assert stored is not None and stored.payload == {"level": "very_satisfied", "window": "12"}


def test_the_same_id_from_another_device_is_not_stored_twice(client: TestClient, ctx: AppContext) -> None:
    _, auth_a = enrol(client, ctx)
    _, auth_b = enrol(client, ctx)
    shared = event()
    assert client.post("/api/v1/events", json={"events": [shared]}, headers=auth_a).json()["accepted"]
    assert client.post("/api/v1/events", json={"events": [shared]}, headers=auth_b).json()["duplicates"]


def test_flooding_device_gets_429_with_retry_after(client: TestClient, ctx: AppContext) -> None:
    _, auth = enrol(client, ctx)
    ctx.device_limiter.rate, ctx.device_limiter.burst = 0.01, 3.0
    codes = [client.post("/api/v1/heartbeat", json={}, headers=auth).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    answer = client.post("/api/v1/heartbeat", json={}, headers=auth)
    assert int(answer.headers["Retry-After"]) >= 1


def test_concurrent_devices_and_retries_store_each_event_once(client: TestClient, ctx: AppContext) -> None:
    from concurrent.futures import ThreadPoolExecutor

    devices = [enrol(client, ctx)[1] for _ in range(4)]
    batches = [[event() for _ in range(20)] for _ in range(8)]

    def device_work(auth: dict[str, str]) -> list[int]:
        codes = []
        for batch in batches:  # every device sends every batch: only the first copy of each id counts
            codes.append(client.post("/api/v1/events", json={"events": batch}, headers=auth).status_code)
            codes.append(client.post("/api/v1/heartbeat", json={}, headers=auth).status_code)
        return codes

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(device_work, devices))
    assert all(code == 200 for codes in results for code in codes)
    assert count_events(ctx) == 8 * 20
    with ctx.transaction() as session:
        assert session.scalar(select(func.count()).select_from(UsageRecord)) == 8 * 20
