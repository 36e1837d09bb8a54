"""A short soak in every CI run: 350 ratings through the evaluator's real API leave no trace.

The long run (10,000 ratings) is ``bench/soak.py``; this one catches a leak that grows with
every rating (a thread, a file descriptor, a texture per cycle) in a few minutes.
"""
from __future__ import annotations

import pytest

from tests.helpers import soak

pytestmark = [pytest.mark.ui, pytest.mark.slow]


def test_ratings_leave_threads_fds_and_textures_flat(ui, tmp_path) -> None:
    from kiosk.window_sim import WindowClient

    port = soak.free_port()
    driver = ui(soak.evaluator_config(tmp_path, port))
    client = WindowClient(port, soak.TOKEN)
    samples = soak.run(driver, client, cycles=350, sample_every=50)
    warm = samples[1]  # after the first 50 ratings every lazily built screen exists
    last = samples[-1]
    assert last.threads <= warm.threads + 1, samples
    assert last.fds <= warm.fds + 2, samples
    assert last.textures <= warm.textures + 20, samples
    # RSS still settles (allocator arenas, Kivy caches) for a few hundred ratings; over the last 150 a
    # leak of a texture or a screen per rating (hundreds of KB) would show, allocator noise does not.
    late = next(s for s in samples if s.cycle >= 200)
    assert last.rss_kb - late.rss_kb < 4 * 1024, samples
    reporting = driver.app.reporting or driver.app._ensure_reporting()
    stored = [e for e in reporting.outbox.peek_batch(1000, 50_000_000) if e.type == "rating"]
    assert len(stored) == 350 and sum(1 for e in stored if e.payload["bad"]) == 50
