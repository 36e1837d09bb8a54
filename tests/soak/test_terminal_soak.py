"""A short soak in every CI run: 100 scripted terminal journeys leave no trace (issue 12).

The journeys of :mod:`screens.scripted` in turn (办事指南, 办件查询, 证照打印 with the ID card
and CUPS, 评价, idle wipe) on the real app with the simulators. The long run (1,000 or 10,000
journeys, with screen-switch times) is ``bench/ui.py``; this one catches a leak that grows with
every journey (a thread, a file descriptor, a texture, a kept screen or document).
"""
from __future__ import annotations

import pytest

from tests.helpers import soak

pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.timeout(1500)]

WARMUP = 10  # two of each journey: every screen built, every cache filled once
JOURNEYS = 90  # 100 with the warm-up
EVERY = 15


def test_terminal_journeys_leave_threads_fds_and_textures_flat(ui, tmp_path, sam_sim, virtual_printer,
                                                               cups_server) -> None:
    from drivers.idcard.people import PEOPLE
    from screens.scripted import JOURNEYS as KINDS
    from screens.scripted import Terminal, run_journey

    config = soak.terminal_config(tmp_path, virtual_printer.port, sam_sim.path,
                                  {"queue": cups_server.queue, "server": cups_server.server})
    driver = ui(config)
    soak.await_device_checks(driver)
    pdfs = soak.CupsPdfCollector(cups_server.out_dir, config.device.id)
    terminal = Terminal(driver, lambda: sam_sim.place(PEOPLE["zhang"]), sam_sim.remove, pdfs.collect)
    for cycle in range(WARMUP):
        run_journey(terminal, cycle)
    samples = soak.sampled(lambda cycle: run_journey(terminal, cycle), JOURNEYS, EVERY, first=WARMUP)

    warm, last = samples[0], samples[-1]
    assert last.threads <= warm.threads + 1, samples
    assert last.fds <= warm.fds + 2, samples
    assert last.textures <= warm.textures + 20, samples
    # The RSS figure is bench/ui.py's, in a process of its own: +2.0 MB over 1,000 journeys with the app's
    # allocator policy (kiosk/gc_policy.py). Here the app shares the pytest process (about 1 GB after two
    # thousand tests, with their leftover threads), whose RSS swung by 40-80 MB between samples in a full
    # run though a run of this file alone stayed within 16 MB. So only the last 30 journeys are bounded:
    # a screen or a previewed document kept per journey (several MB each) still fails this.
    assert last.rss_kb - samples[-3].rss_kb < 36 * 1024, samples

    per_kind = (WARMUP + JOURNEYS) // len(KINDS)
    assert {name: terminal.counts.get(name) for name, _journey in KINDS} == {name: per_kind for name, _journey in KINDS}
    # every other certificate is the three-page 缴费明细: each filed whole by cups-pdf
    assert pdfs.pages == [1, 3] * (per_kind // 2), pdfs.pages
    assert driver.app.session.identity is None
