"""Group commit (heartbeats, token checks, event batches): grouping never mixes up answers or failures."""
from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.context import AppContext
from server.models import Command, Device, Event, StatusTransition, UsageRecord
from server.services import commands, status
from server.services.group_commit import GroupCommit, _Slot
from tests.server.helpers import enrol, event


def test_concurrent_items_are_grouped_and_each_caller_gets_its_own_result() -> None:
    rounds: list[list[int]] = []
    release = threading.Event()
    first_round_started = threading.Event()

    def write(items: Sequence[int]) -> list[int]:
        rounds.append(list(items))
        if len(rounds) == 1:  # hold the first round so the others queue up behind it
            first_round_started.set()
            release.wait(10)
        return [item * 10 for item in items]

    group: GroupCommit[int, int] = GroupCommit(write)
    results: dict[int, int] = {}

    def call(item: int) -> None:
        results[item] = group.submit(item)

    leader = threading.Thread(target=call, args=(0,))
    leader.start()
    assert first_round_started.wait(10)
    followers = [threading.Thread(target=call, args=(n,)) for n in range(1, 9)]
    for thread in followers:
        thread.start()
    while True:  # every follower is queued (not yet written) before the first round ends
        with group._queue_lock:
            if len(group._pending) == 8:
                break
        time.sleep(0.001)
    release.set()
    for thread in [leader, *followers]:
        thread.join(10)
    assert results == {n: n * 10 for n in range(9)}
    assert rounds[0] == [0] and sorted(rounds[1]) == list(range(1, 9))  # the 8 waiting items shared one round


def test_a_failing_item_fails_only_its_own_caller() -> None:
    def write(items: Sequence[int]) -> list[int]:
        if 13 in items:
            raise ValueError("unlucky")
        return list(items)

    group: GroupCommit[int, int] = GroupCommit(write)
    assert group.submit(1) == 1  # nothing else queued: a lone item is its own round
    with pytest.raises(ValueError, match="unlucky"):
        group.submit(13)
    # A round mixing good and bad items is retried item by item.
    batch: list[_Slot[int, int]] = [_Slot(2), _Slot(13), _Slot(3)]
    group._round(batch)
    assert [(s.done, s.result, type(s.error)) for s in batch] == [
        (True, 2, type(None)), (True, None, ValueError), (True, 3, type(None))]


def test_grouped_heartbeats_flip_offline_devices_and_hand_each_its_own_commands(client: TestClient,
                                                                                 ctx: AppContext) -> None:
    online_id, online_auth = enrol(client, ctx)
    offline_id, _ = enrol(client, ctx)
    client.post("/api/v1/heartbeat", json={}, headers=online_auth)
    with ctx.transaction() as session:
        session.get(Device, offline_id).online = False
        command_id = commands.queue(session, offline_id, "reload_config", {}, "user:tech").id
    now = datetime.now(timezone.utc)
    beats = [(online_id, {"app_version": "1"}), (offline_id, {"peripherals": {"printer": {"state": "ok"}}}),
             (online_id, {"app_version": "2"})]
    with ctx.transaction() as session:
        answers = status.heartbeat_many(session, beats, now)
    assert [[c.id for c in a] for a in answers] == [[], [command_id], []]
    with ctx.reading() as session:
        online, offline = session.get(Device, online_id), session.get(Device, offline_id)
        assert online.last_heartbeat == {"app_version": "2"} and online.online
        assert offline.online and offline.peripherals == {"printer": {"state": "ok"}}
        assert session.scalars(select(StatusTransition.online).where(StatusTransition.device_id == offline_id)
                               ).all()[-1] is True
        assert session.get(Command, command_id).state == "delivered"


def test_events_stored_by_the_bulk_path_read_back_exactly(client: TestClient, ctx: AppContext) -> None:
    _device_id, auth = enrol(client, ctx)
    at = datetime(2026, 11, 23, 13, 5, 0, tzinfo=timezone.utc)  # a whole second: no microseconds to drop
    batch = [event("usage", {"function": "print", "outcome": "success", "pages": 2}, at=at),
             event("usage", {"function": "query", "outcome": "failure"}, at=at.replace(microsecond=7))]
    answer = client.post("/api/v1/events", json={"events": batch}, headers=auth).json()
    assert answer == {"accepted": [e["id"] for e in batch], "duplicates": []}
    again = client.post("/api/v1/events", json={"events": batch}, headers=auth).json()
    assert again == {"accepted": [], "duplicates": [e["id"] for e in batch]}
    with ctx.reading() as session:
        stored = {e.id: e for e in session.scalars(select(Event))}
        assert stored[batch[0]["id"]].occurred_at == at
        assert stored[batch[1]["id"]].occurred_at == at.replace(microsecond=7)
        assert stored[batch[0]["id"]].payload == batch[0]["payload"]
        usage = session.scalars(select(UsageRecord).order_by(UsageRecord.occurred_at)).all()
        assert [(u.function, u.pages, u.occurred_at) for u in usage] == [
            ("print", 2, at), ("query", 0, at.replace(microsecond=7))]
        # range queries compare the stored text with bound datetimes: the formats must agree
        between = select(Event.id).where(Event.occurred_at >= at, Event.occurred_at < at.replace(microsecond=7))
        assert session.scalars(between).all() == [batch[0]["id"]]


def test_async_callers_are_grouped_and_a_failure_stays_with_its_caller() -> None:
    """``AsyncGroupCommit``: callers arriving during a round form the next one; a bad item fails alone."""
    import asyncio

    from server.services.group_commit import AsyncGroupCommit

    rounds: list[list[int]] = []
    release = threading.Event()

    def write(items: Sequence[int]) -> list[int]:
        rounds.append(list(items))
        if len(rounds) == 1:
            release.wait(10)  # hold the first round (in its worker thread) while the others queue
        if 13 in items:
            raise ValueError("unlucky")
        return [item * 10 for item in items]

    group: AsyncGroupCommit[int, int] = AsyncGroupCommit(write)

    async def scenario() -> list[object]:
        first = asyncio.create_task(group.submit(0))
        while not rounds:
            await asyncio.sleep(0.001)
        others = [asyncio.create_task(group.submit(n)) for n in (1, 2, 13, 3)]
        await asyncio.sleep(0.01)
        release.set()
        return await asyncio.gather(first, *others, return_exceptions=True)

    results = asyncio.run(scenario())
    assert results[:3] == [0, 10, 20] and results[4] == 30
    assert isinstance(results[3], ValueError)
    # the four waiting callers shared one round, which failed and was retried item by item
    assert rounds == [[0], [1, 2, 13, 3], [1], [2], [13], [3]]
