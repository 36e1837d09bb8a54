"""The outbox keeps every undroppable event, in order, with a persistent seq, and says when it is full."""
from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from drivers.health import HealthState
from kiosk.outbox import KindPolicy, Outbox, OutboxError, OutboxFull
from kiosk.uuid7 import uuid7_unix_ms

from .conftest import schema_errors


def test_enqueue_peek_ack_round_trip(outbox: Outbox) -> None:
    first = outbox.enqueue("usage", {"function": "print", "outcome": "success"})
    second = outbox.enqueue("rating", {"level": "satisfied"})
    assert (first.seq, second.seq) == (1, 2)
    assert first.id < second.id and uuid7_unix_ms(first.id) > 0
    batch = outbox.peek_batch(10, 1 << 20)
    assert [e.id for e in batch] == [first.id, second.id]
    assert batch[0].payload == {"function": "print", "outcome": "success"}
    assert outbox.ack([first.id, "not-an-id"]) == 1
    assert [e.id for e in outbox.peek_batch(10, 1 << 20)] == [second.id]
    assert outbox.pending_count() == 1


def test_wire_shape_matches_the_server_schema(outbox: Outbox) -> None:
    outbox.enqueue("usage", {"function": "query_case", "outcome": "failure", "duration_ms": 1200})
    outbox.enqueue("fault_raised", {"peripheral": "printer", "reason": "paper_out", "detail": "DLE EOT 4: 0x72"})
    batch = {"events": [e.wire() for e in outbox.peek_batch(10, 1 << 20)]}
    assert schema_errors("events", batch) == []


def test_seq_survives_reopen_even_when_everything_was_acked(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    with Outbox(path, "dev") as box:
        events = [box.enqueue("usage", {"n": i}) for i in range(5)]
        box.ack([e.id for e in events])
    with Outbox(path, "dev") as box:
        assert box.last_seq() == 5
        assert box.enqueue("usage", {"n": 5}).seq == 6


def test_an_outbox_belongs_to_one_device(tmp_path: Path) -> None:
    Outbox(tmp_path / "o.sqlite3", "dev-a").close()
    with pytest.raises(OutboxError, match="dev-a"):
        Outbox(tmp_path / "o.sqlite3", "dev-b")


def test_heartbeats_are_coalesced_ratings_are_not(outbox: Outbox) -> None:
    for i in range(3):
        outbox.enqueue("heartbeat", {"n": i})
        outbox.enqueue("rating", {"n": i})
    pending = outbox.peek_batch(100, 1 << 20)
    assert [(e.type, e.payload["n"]) for e in pending] == [
        ("rating", 0), ("rating", 1), ("heartbeat", 2), ("rating", 2)]
    assert [e.seq for e in pending] == sorted(e.seq for e in pending)


def test_full_outbox_evicts_droppable_first_then_refuses(tmp_path: Path) -> None:
    policies = {"metrics": KindPolicy(droppable=True)}  # droppable but not coalesced
    with Outbox(tmp_path / "o.sqlite3", "dev", max_events=4, policies=policies) as box:
        box.enqueue("metrics", {"n": 0})
        box.enqueue("metrics", {"n": 1})
        box.enqueue("rating", {"n": 0})
        box.enqueue("rating", {"n": 1})
        box.enqueue("rating", {"n": 2})  # evicts metrics 0
        box.enqueue("rating", {"n": 3})  # evicts metrics 1
        assert box.health().is_ok
        with pytest.raises(OutboxFull) as err:
            box.enqueue("rating", {"n": 4})
        assert err.value.reason == "outbox_full"
        assert box.health().state is HealthState.FAULT and box.health().reason == "outbox_full"
        assert [e.payload["n"] for e in box.peek_batch(10, 1 << 20)] == [0, 1, 2, 3]
        box.ack([box.peek_batch(1, 1 << 20)[0].id])
        assert box.health().is_ok
        assert box.enqueue("rating", {"n": 4}).seq == 7  # the refused attempt used no seq


def test_disk_full_via_page_limit_keeps_every_rating(tmp_path: Path) -> None:
    """SQLite's max_page_count gives a real SQLITE_FULL; heartbeats/metrics make room, ratings never go."""
    policies = {"metrics": KindPolicy(droppable=True)}
    with Outbox(tmp_path / "o.sqlite3", "dev", max_bytes=96 * 1024, policies=policies) as box:
        blob = "x" * 900
        stored = []
        for i in range(30):
            box.enqueue("metrics", {"n": i, "blob": blob})
        with pytest.raises(OutboxFull) as err:
            while True:
                stored.append(box.enqueue("rating", {"n": len(stored), "blob": blob}).id)
        assert err.value.reason == "disk_full"
        assert box.health().reason == "disk_full"
        pending = box.peek_batch(10_000, 1 << 30)
        assert [e.id for e in pending if e.type == "rating"] == stored  # every accepted rating kept
        assert not any(e.type == "metrics" for e in pending)  # all evicted before refusing a rating
        assert len(stored) > 30  # the metrics' room was reused
        box.ack(stored[:20])
        box.enqueue("rating", {"n": "after", "blob": blob})  # room again once the server has some
        assert box.health().is_ok


def test_group_commit_from_many_threads_gives_unique_increasing_seqs(outbox: Outbox) -> None:
    results: list[tuple[int, int, str]] = []
    lock = threading.Lock()

    def producer(t: int) -> None:
        for i in range(50):
            e = outbox.enqueue("usage", {"t": t, "i": i})
            with lock:
                results.append((t, e.seq, e.id))

    threads = [threading.Thread(target=producer, args=(t,)) for t in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len({r[1] for r in results}) == 300 and len({r[2] for r in results}) == 300
    for t in range(6):  # each thread's own events are in its order
        mine = [seq for tt, seq, _ in results if tt == t]
        assert mine == sorted(mine)
    assert outbox.pending_count() == 300


def test_batches_respect_count_and_bytes_but_never_stall(outbox: Outbox) -> None:
    for i in range(10):
        outbox.enqueue("usage", {"i": i, "pad": "y" * 200})
    assert len(outbox.peek_batch(3, 1 << 20)) == 3
    one = outbox.peek_batch(10, 1)
    assert len(one) == 1  # an event bigger than the byte limit still goes, alone
    sizes = [e.size for e in outbox.peek_batch(10, 1 << 20)]
    assert len(outbox.peek_batch(10, sum(sizes[:4]))) == 4


def test_rejected_events_are_kept_aside_and_can_be_requeued(outbox: Outbox) -> None:
    bad = outbox.enqueue("usage", {"function": "x", "outcome": "exploded"})
    good = outbox.enqueue("usage", {"function": "x", "outcome": "success"})
    outbox.reject(bad, "payload/outcome: not one of the enum")
    assert [e.id for e in outbox.peek_batch(10, 1 << 20)] == [good.id]
    assert outbox.rejected_count() == 1
    assert outbox.requeue_rejected() == 1
    assert [e.id for e in outbox.peek_batch(10, 1 << 20)] == [bad.id, good.id]


def test_enqueue_many_is_all_or_nothing(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.sqlite3", "dev", max_events=3) as box:
        box.enqueue("rating", {})
        with pytest.raises(OutboxFull):
            box.enqueue_many([("rating", {}), ("rating", {}), ("rating", {})])
        assert box.pending_count() == 1


def test_unserialisable_payload_is_refused_in_the_callers_thread(outbox: Outbox) -> None:
    with pytest.raises(TypeError):
        outbox.enqueue("usage", {"when": object()})
    assert outbox.pending_count() == 0


def test_durable_settings(outbox: Outbox) -> None:
    db = sqlite3.connect(outbox.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert outbox._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


def test_any_json_payload_round_trips(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.sqlite3", "dev") as box:

        @settings(max_examples=80, deadline=None)
        @given(st.dictionaries(st.text(max_size=10), json_values, max_size=6))
        def round_trip(payload: dict) -> None:
            event = box.enqueue("usage", payload)
            stored = box.peek_batch(1, 1 << 20)[0]
            assert stored.payload == payload
            assert stored.size == len(json.dumps(stored.wire(), ensure_ascii=False, separators=(",", ":")).encode())
            box.ack([event.id])

        round_trip()
