"""Property tests of everything that parses device input, plus the rate limiters and availability."""
from __future__ import annotations

import gzip
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from fastapi import HTTPException
from hypothesis import given, settings, strategies as st

from server import wire
from server.api.body import gunzip
from server.ratelimit import FailureLimiter, TokenBucket
from server.services.availability import online_share
from server.services.ingest import parse_batch

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
valid_event = st.fixed_dictionaries({
    "id": st.uuids().map(str),
    "type": st.sampled_from(["rating", "print_job", "heartbeat_summary"]),
    "seq": st.integers(min_value=0, max_value=2**63 - 1),
    "occurred_at": st.datetimes(timezones=st.just(timezone(timedelta(hours=8)))).map(lambda d: d.isoformat()),
    "payload": st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
})


@given(json_values)
def test_any_json_is_either_a_batch_or_a_wire_error(body: object) -> None:
    try:
        parse_batch({"events": [body]}, max_events=10)
    except wire.WireError as exc:
        assert exc.reasons
    try:
        parse_batch(body, max_events=10)
    except wire.WireError as exc:
        assert exc.reasons


@given(st.lists(valid_event, min_size=1, max_size=5))
def test_valid_events_parse_to_aware_times_and_lowercase_ids(events: list[dict]) -> None:
    parsed = parse_batch({"events": events}, max_events=10)
    assert [p.id for p in parsed] == [e["id"].lower() for e in events]
    assert all(p.occurred_at.tzinfo is not None for p in parsed)


@given(valid_event, st.sampled_from(["id", "type", "seq", "occurred_at", "payload"]))
def test_missing_field_names_the_field(event: dict, field: str) -> None:
    del event[field]
    with pytest.raises(wire.WireError, match=field):
        parse_batch({"events": [event]}, max_events=10)


@given(st.binary(max_size=2000))
def test_gunzip_round_trips_and_respects_the_limit(data: bytes) -> None:
    packed = gzip.compress(data)
    assert gunzip(packed, limit=2000) == data
    if len(data) > 10:
        with pytest.raises(HTTPException) as info:
            gunzip(packed, limit=10)
        assert info.value.status_code == 413


@given(st.binary(max_size=200))
def test_gunzip_of_garbage_is_a_400_or_413_never_a_crash(data: bytes) -> None:
    try:
        gunzip(data, limit=1000)
    except HTTPException as exc:
        assert exc.status_code in (400, 413)


@settings(max_examples=50)
@given(st.floats(min_value=0.1, max_value=100), st.integers(min_value=1, max_value=50),
       st.lists(st.floats(min_value=0, max_value=5), max_size=60))
def test_token_bucket_never_allows_more_than_burst_plus_rate(rate: float, burst: int, gaps: list[float]) -> None:
    now = [0.0]
    bucket = TokenBucket(rate, burst, clock=lambda: now[0])
    allowed = 0
    for gap in gaps:
        now[0] += gap
        if bucket.take("k") == 0:
            allowed += 1
    assert allowed <= burst + rate * now[0] + 1e-6


def test_failure_limiter_blocks_then_forgets() -> None:
    now = [0.0]
    limiter = FailureLimiter(3, 60, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.retry_after("a") == 0
        limiter.fail("a")
    assert limiter.retry_after("a") == 60 and limiter.retry_after("b") == 0
    now[0] = 61
    assert limiter.retry_after("a") == 0


START = datetime(2026, 11, 23, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def test_online_share_examples() -> None:
    assert online_share([], START, START + DAY, True) == 1.0
    assert online_share([], START, START + DAY, False) == 0.0
    flips = [(START + timedelta(hours=6), False), (START + timedelta(hours=12), True)]
    assert online_share(flips, START, START + DAY, True) == pytest.approx(0.75)


@given(st.booleans(), st.lists(st.tuples(st.integers(0, 86_400), st.booleans()), max_size=20))
def test_online_share_is_a_fraction(initial: bool, raw: list[tuple[int, bool]]) -> None:
    flips = [(START + timedelta(seconds=s), o) for s, o in raw]
    assert 0.0 <= online_share(flips, START, START + DAY, initial) <= 1.0


def test_schemas_are_the_wire_format() -> None:
    assert wire.schema("events")["properties"]["events"]["maxItems"] == 1000
    wire.validate("events.response", {"accepted": [str(uuid.uuid4())], "duplicates": []})
