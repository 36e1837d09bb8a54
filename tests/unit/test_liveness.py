"""The supervisor against real child processes that speak the heartbeat protocol."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.liveness import EXIT_RESTART, Limits, Supervisor

CHILD = textwrap.dedent("""
    import os, sys, time
    fd = int(sys.argv[sys.argv.index("--heartbeat-fd") + 1])
    mode = sys.argv[1]
    counter = sys.argv[2]
    with open(counter, "a") as fh:
        fh.write("run\\n")
    runs = len(open(counter).read().splitlines())
    if mode == "stall":            # ticks, then freezes: a hung UI thread
        for _ in range(3):
            os.write(fd, b"."); time.sleep(0.05)
        time.sleep(60)
    elif mode == "memory":         # ticks while growing past the limit
        hog = []
        while True:
            hog.append(bytearray(8 * 1024 * 1024)); os.write(fd, b"."); time.sleep(0.02)
    elif mode == "restart-once":   # asks for a restart, then exits normally
        os.write(fd, b".")
        sys.exit(3 if runs == 1 else 0)
    elif mode == "crash":
        os.write(fd, b".")
        sys.exit(1)
    elif mode == "never-ticks":
        time.sleep(60)
""")


@pytest.fixture()
def child(tmp_path: Path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    counter = tmp_path / "runs.txt"

    def command(mode: str) -> list[str]:
        return [sys.executable, str(script), mode, str(counter)]

    command.runs = lambda: len(counter.read_text().splitlines()) if counter.exists() else 0  # type: ignore[attr-defined]
    return command


def test_frozen_child_is_killed_and_restarted(child, caplog):
    supervisor = Supervisor(child("stall"), Limits(stall_timeout_s=0.5, restart_backoff_s=0))
    supervisor.run(max_runs=2)
    assert [e.reason for e in supervisor.ends] == ["stalled", "stalled"]
    assert child.runs() == 2 and supervisor.restarts == 1
    assert "UI stalled: no heartbeat" in caplog.text


def test_child_that_never_ticks_gets_the_startup_grace_then_is_killed(child):
    supervisor = Supervisor(child("never-ticks"), Limits(stall_timeout_s=0.3, restart_backoff_s=0))
    supervisor.run(max_runs=1)
    assert supervisor.ends[0].reason == "stalled"


def test_memory_limit_restarts(child, caplog):
    supervisor = Supervisor(child("memory"), Limits(stall_timeout_s=5, max_rss_mb=120, restart_backoff_s=0))
    supervisor.run(max_runs=1)
    assert supervisor.ends[0].reason == "memory"
    assert "over the limit of 120 MB" in caplog.text


def test_requested_restart_then_clean_exit(child):
    supervisor = Supervisor(child("restart-once"), Limits(stall_timeout_s=5, restart_backoff_s=30))
    code = supervisor.run()  # would wait 30 s if the restart were treated as a crash
    assert code == 0
    assert [e.returncode for e in supervisor.ends] == [EXIT_RESTART, 0]


def test_crash_loop_backs_off(child):
    clock_calls = []
    supervisor = Supervisor(child("crash"), Limits(stall_timeout_s=5, restart_backoff_s=0.05, max_backoff_s=0.2))
    supervisor.run(max_runs=4)
    assert [e.returncode for e in supervisor.ends] == [1, 1, 1, 1]
    assert supervisor.restarts == 3
    del clock_calls
