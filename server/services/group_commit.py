"""Group commit: many small writes (or reads) that arrive together share one transaction.

Heartbeats are tiny writes (one UPDATE and one SELECT each), but 10,000 devices send 167 a
second. One transaction per heartbeat made every request queue for the database's write
lock: on SQLite the losers of ``BEGIN IMMEDIATE`` sleep in SQLite's busy handler (1, 2, 5,
10 ... 100 ms steps), which is where the seconds-long p99 came from; on PostgreSQL each
commit is a WAL flush. Here the first caller becomes the *leader*, takes every item that is
waiting and writes them in one transaction; callers that arrive meanwhile wait for the
leader and are either already done or lead the next round. Under light load a round holds
one item, so nobody waits for a timer; under heavy load rounds grow and commits per second
stay low. Each caller still gets its answer only after its own write is committed.

If a round fails, its items are retried one by one, so one bad item fails only its own
request, as it would without grouping.

``GroupCommit`` is for threads, ``AsyncGroupCommit`` for the async routes (the callers wait on
the event loop, not in worker threads).
"""
from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from anyio.to_thread import run_sync

Item = TypeVar("Item")
Result = TypeVar("Result")


class _Slot(Generic[Item, Result]):
    __slots__ = ("item", "result", "error", "done")

    def __init__(self, item: Item) -> None:
        self.item = item
        self.result: Result | None = None
        self.error: BaseException | None = None
        self.done = False


class GroupCommit(Generic[Item, Result]):
    """Run ``write(items) -> results`` (one result per item, in order) for items from many threads."""

    def __init__(self, write: Callable[[Sequence[Item]], Sequence[Result]], max_batch: int = 500) -> None:
        self._write = write
        self._max_batch = max_batch
        self._queue_lock = threading.Lock()  # guards _pending only (held for microseconds)
        self._writer_lock = threading.Lock()  # one round at a time
        self._pending: list[_Slot[Item, Result]] = []

    def submit(self, item: Item) -> Result:
        """Write ``item`` (grouped with whatever else is waiting); blocks until committed."""
        slot: _Slot[Item, Result] = _Slot(item)
        with self._queue_lock:
            self._pending.append(slot)
        while not slot.done:
            with self._writer_lock:
                if slot.done:  # a leader wrote it while we waited for the lock
                    break
                with self._queue_lock:
                    batch = self._pending[: self._max_batch]
                    del self._pending[: self._max_batch]
                self._round(batch)  # contains our slot unless more than max_batch were ahead of it
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _round(self, batch: list[_Slot[Item, Result]]) -> None:
        try:
            results = self._write([s.item for s in batch])
        except BaseException as exc:  # noqa: BLE001 - handed to the callers, never swallowed
            if len(batch) == 1:
                batch[0].error, batch[0].done = exc, True
                return
            for slot in batch:  # find the culprit: each item alone in its own transaction
                self._round([slot])
            return
        for slot, result in zip(batch, results, strict=True):
            slot.result, slot.done = result, True


class AsyncGroupCommit(Generic[Item, Result]):
    """``GroupCommit`` for async callers (the routes): the same rounds, without a parked thread per request.

    With the threaded form every waiting request holds a worker thread of the pool (40 by
    default) blocked on a lock; when a round is slow (a loaded machine, a checkpoint) the
    pool fills and requests that had nothing to wait for queue for a thread. Measured with
    ``bench/server.py`` (10,000 devices, SQLite, same machine load): heartbeat p99 about
    halved, together with the one-query token check (``deps._token_reader``).
    Here waiting callers are futures on the event loop; one task per loop runs the rounds,
    each in one worker thread, and resolves the futures when its transaction has committed.
    Rounds belong to the loop that started them (tests run several apps and loops in one
    process; uvicorn runs one).
    """

    def __init__(self, write: Callable[[Sequence[Item]], Sequence[Result]], max_batch: int = 500) -> None:
        self._write = write
        self._max_batch = max_batch
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list[tuple[Item, asyncio.Future[Result]]]] = \
            weakref.WeakKeyDictionary()
        self._drains: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Task[None]] = \
            weakref.WeakKeyDictionary()

    async def submit(self, item: Item) -> Result:
        """Write ``item`` (grouped with whatever else is waiting on this loop); returns once committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._queues.setdefault(loop, []).append((item, future))
        if loop not in self._drains:  # no round running on this loop: this caller starts them
            self._drains[loop] = loop.create_task(self._drain(loop))
        return await future  # a caller that goes away cancels only its own future, not the round

    async def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        queue = self._queues[loop]
        batch: list[tuple[Item, asyncio.Future[Result]]] = []
        try:
            while queue:
                batch = queue[: self._max_batch]
                del queue[: self._max_batch]
                await self._round(batch)
        finally:
            del self._drains[loop]
            for _, future in batch + queue:  # left undone only when this task was cancelled (loop closing)
                if not future.done():
                    future.cancel()
            queue.clear()

    async def _round(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        try:
            results = await run_sync(self._write, [item for item, _ in batch])
        except Exception as exc:  # noqa: BLE001 - handed to the callers, never swallowed
            if len(batch) == 1:
                _settle(batch[0][1], error=exc)
                return
            for one in batch:  # find the culprit: each item alone in its own transaction
                await self._round([one])
            return
        for (_, future), result in zip(batch, results, strict=True):
            _settle(future, result)


def _settle(future: asyncio.Future[Result], result: Result | None = None, error: BaseException | None = None) -> None:
    if future.done():  # cancelled: its caller is gone
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]
