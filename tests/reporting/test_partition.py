"""Partition test: a proxy cuts connections mid-response, then the server is gone for a while.

Nothing may be lost and nothing doubled: the server ends up with every event exactly once,
although (because answers were cut after the server had stored batches) the reporter had to
resend batches the server already held. ``KIOSK_PARTITION_DOWN_S`` (default 6) sets how long
the server stays down; the issue's "minutes" is ``KIOSK_PARTITION_DOWN_S=180``.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from drivers.health import HealthState
from kiosk import report_events
from kiosk.config import ServerLinkConfig
from kiosk.outbox import Outbox
from kiosk.reporter import Reporter, ReporterSettings
from kiosk.stack.flaky_proxy import FlakyProxy
from kiosk.stack.mgmt_server import MgmtServer

from . import server_db

DOWN_S = float(os.environ.get("KIOSK_PARTITION_DOWN_S", "6"))
SETTINGS = ReporterSettings(batch_max_events=100, heartbeat_interval_s=0.5, backoff_base_s=0.05, backoff_cap_s=1.0,
                            follow_server_interval=False)


def produce(box: Outbox, start: int, count: int) -> int:
    """Events numbered ``start ..``, in small bursts so uploads interleave; returns the next number."""
    for first in range(start, start + count, 10):
        numbers = range(first, min(first + 10, start + count))
        box.enqueue_many([("usage", report_events.usage("partition_test", "success", n=n)) for n in numbers])
        time.sleep(0.005)
    return start + count


@pytest.mark.slow
def test_cut_answers_and_a_server_outage_lose_and_double_nothing(tmp_path: Path,
                                                                fresh_mgmt_server: MgmtServer) -> None:
    server = fresh_mgmt_server
    with FlakyProxy(server.port, cut_probability=0.35, cut_after_bytes=(1, 300), seed=7) as proxy, \
            Outbox(tmp_path / "outbox.sqlite3", "partition") as box:
        reporter = Reporter(box, ServerLinkConfig(url=proxy.url, enrol_code=server.enrol_code(), timeout_s=5),
                            tmp_path, settings=SETTINGS, heartbeat=lambda: {"outbox_depth": box.pending_count()})
        while reporter.credentials is None:  # enrol through the flaky link (a cut enrol burns the code)
            proxy.cut_probability = 0.0
            reporter.step()
        proxy.cut_probability = 0.35
        reporter.start()
        try:
            # 1. flaky link: answers cut after the server stored the batch
            n = produce(box, 1, 1500)
            assert reporter.wait_until_empty(60), reporter.status()
            assert proxy.stats.cut > 0 and reporter.duplicates > 0  # resends happened and were recognised
            # 2. the server goes away under live traffic, events keep coming
            proxy.cut_probability = 0.0
            server.stop()
            proxy.drop_all()
            n = produce(box, n, 500)
            deadline = time.monotonic() + DOWN_S
            while time.monotonic() < deadline:
                n = produce(box, n, 50)
                time.sleep(0.2)
            status = reporter.status()
            assert status.pending >= 500 and status.link.state is HealthState.FAULT
            # 3. the link is refused outright for a moment, then everything comes back
            proxy.down = True
            server.start()
            time.sleep(0.5)
            proxy.down = False
            proxy.cut_probability = 0.3
            n = produce(box, n, 300)
            assert reporter.wait_until_empty(90), reporter.status()
        finally:
            reporter.stop()
        device = reporter.credentials.device_id  # type: ignore[union-attr]
    stored = server_db.events(server.db_path, device)
    numbers = sorted(e["payload"]["n"] for e in stored)
    assert numbers == list(range(1, n)), f"{len(stored)} stored, {n - 1} made"
    assert len({e["id"] for e in stored}) == len(stored)
