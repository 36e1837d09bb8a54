"""Full collections only when the UI says nobody waits; the interpreter's thresholds come back."""
from __future__ import annotations

import gc
import platform
import subprocess
import sys
import weakref
from pathlib import Path

import psutil
import pytest

from kiosk.gc_policy import DEFERRED_FULL, IdleCollector, release_free_memory


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


glibc_only = pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                                reason="malloc_trim and mallopt are glibc's")


def _rss_bytes() -> int:
    return psutil.Process().memory_info().rss


@glibc_only
def test_release_free_memory_gives_freed_heap_pages_back():
    """Freed blocks in the middle of the heap stay resident until trimmed (the UI's image buffers)."""
    blocks = [bytes(1000) + bytes([i % 256]) for i in range(100_000)]  # ~100 MB of malloc'd 1 KB blocks
    keep = blocks[::64]  # survivors pin the heap's top: a plain free() cannot shrink it
    del blocks
    freed = _rss_bytes()
    assert release_free_memory()
    after = _rss_bytes()
    assert freed - after > 50 * 1024 * 1024, (freed, after)
    assert len(keep) == 1563


def test_collect_trims_after_collecting(monkeypatch):
    calls = []
    monkeypatch.setattr("kiosk.gc_policy.release_free_memory", lambda: calls.append("trim") or True)
    IdleCollector().collect()
    assert calls == ["trim"]


_BIG_BLOCKS = """
import sys
import psutil
from kiosk.gc_policy import keep_big_blocks_out_of_the_heap
def rss_mb():
    return psutil.Process().memory_info().rss / 2**20
if sys.argv[1] == "fixed":
    assert keep_big_blocks_out_of_the_heap()
big = bytearray(8 * 2**20)
del big  # one big block freed: glibc raises its threshold to 8 MB
before = rss_mb()
blocks, pins = [], []
for _ in range(64):  # image-sized buffers, each followed by a small block that outlives it
    blocks.append(bytearray(2**20))
    pins.append(bytearray(2000))
del blocks
print(rss_mb() - before)
"""


@glibc_only
def test_fixed_mmap_threshold_gives_freed_buffers_back_at_once():
    def kept_mb(mode: str) -> float:
        run = subprocess.run([sys.executable, "-c", _BIG_BLOCKS, mode], capture_output=True, text=True, check=True,
                             cwd=Path(__file__).resolve().parents[2])
        return float(run.stdout)

    assert kept_mb("dynamic") > 40  # glibc's own behaviour: the freed buffers stay resident in its heap
    assert kept_mb("fixed") < 8
