"""Full collections only when the UI says nobody waits; the interpreter's thresholds come back."""
from __future__ import annotations

import gc
import weakref

from kiosk.gc_policy import DEFERRED_FULL, IdleCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_install_defers_full_collections_and_uninstall_restores():
    before = gc.get_threshold()
    collector = IdleCollector().install()
    try:
        young, middle, full = gc.get_threshold()
        assert (young, middle) == before[:2] and full == DEFERRED_FULL
        collector.install()  # twice is harmless: the saved thresholds stay the original ones
    finally:
        collector.uninstall()
    assert gc.get_threshold() == before
    collector.uninstall()
    assert gc.get_threshold() == before


def test_collect_frees_cycles_and_times_the_pause():
    node = _Node()
    ref = weakref.ref(node)
    gc.disable()  # no automatic collection may free it before ours
    try:
        del node
        assert ref() is not None  # a cycle outlives its last name
        collector = IdleCollector()
        pause = collector.collect()
    finally:
        gc.enable()
    assert ref() is None and pause >= 0 and collector.runs == 1 and collector.last_pause_s == pause


def test_collect_if_due_only_when_idle_and_after_the_interval():
    now = [100.0]
    collector = IdleCollector(every_s=60, clock=lambda: now[0])
    assert not collector.collect_if_due(idle=True)  # just made: the interval counts from creation
    now[0] += 61
    assert not collector.collect_if_due(idle=False)  # someone is using the screen
    assert collector.collect_if_due(idle=True) and collector.runs == 1
    now[0] += 30
    assert not collector.collect_if_due(idle=True)
    now[0] += 31
    assert collector.collect_if_due(idle=True) and collector.runs == 2
