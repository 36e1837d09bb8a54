"""Power cut during settings updates: every writer is SIGKILLed at random instants.

After each kill the files must hold the old or the new version whole (never empty, torn or
mixed, the token never readable by others), the next start must not fail and must remove
the temporary files the killed writer left. Half the kills land at any instant of an update,
half just after a temporary file appeared (inside a write, a small part of an update).
``KIOSK_POWERCUT_KILLS`` (default 7) kills per writer, six writers; the figures (how many kills
hit a write in progress) are printed.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.http_stub import serving

from .config_writers import WRITERS, UpdateServer, Writer

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("KIOSK_POWERCUT_KILLS", "7"))


@pytest.fixture(scope="module")
def update_server() -> Iterator[str]:
    UpdateServer.reset()
    with serving(UpdateServer) as url:
        yield url


def start(name: str, data_dir: Path, url: str, first: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.powercut.config_writers", name, str(data_dir), url,
                             str(first)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def temps(writer: Writer) -> list[Path]:
    """Temporary files of the writer's settings files (``.NAME.PID.RANDOM.tmp``)."""
    return [p for name in writer.files for p in writer.data_dir.glob(f".{name}.*.tmp")]


def temp_pid(path: Path) -> int:
    return int(path.name.rsplit(".", 3)[1])


def wait_for_write(writer: Writer, pid: int, timeout_s: float = 5.0) -> None:
    """Return as soon as the child has a temporary file open (or after ``timeout_s``)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not any(temp_pid(t) == pid for t in temps(writer)):
        time.sleep(0.0002)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_sigkill_during_updates_leaves_old_or_new_version_whole(name: str, tmp_path: Path,
                                                                   update_server: str) -> None:
    rng = random.Random(zlib.crc32(name.encode()))
    writer = WRITERS[name](tmp_path, update_server)
    last = 0  # the last update known to be complete (local writers: step; fetched: version)
    on_disk = writer.read()
    killed_mid_write = 0
    updates = 0
    step_s = 0.05  # a running estimate of one update's duration: kills spread over whole updates
    for _ in range(KILLS):
        proc = start(name, tmp_path, update_server, last + 1)
        assert proc.stdout is not None and proc.stderr is not None
        ready = proc.stdout.readline()
        assert ready.startswith("ready"), proc.stderr.read()[-2000:]
        # The start cleaned what the previous kill left: only the new child's own temporaries remain.
        assert all(temp_pid(t) == proc.pid for t in temps(writer)), temps(writer)
        seen = []
        for _ in range(rng.randint(0, 2)):  # let a few updates complete, timing them
            started = time.monotonic()
            seen.append(proc.stdout.readline())
            assert seen[-1].startswith("done "), proc.stderr.read()[-2000:]
            step_s = 0.5 * step_s + 0.5 * (time.monotonic() - started)
        if rng.random() < 0.5:
            time.sleep(rng.uniform(0, 1.2 * step_s))  # any instant of an update
        else:
            wait_for_write(writer, proc.pid)  # an instant inside a file write (a rarer target)
            time.sleep(rng.uniform(0, 0.0005))
        assert proc.poll() is None, proc.stderr.read()[-2000:]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        out, err = "".join(seen) + proc.stdout.read(), proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        assert "Traceback" not in err, err[-2000:]
        done = [int(line.split()[1]) for line in out.splitlines() if line.startswith("done ")]
        updates += len(done)
        killed_mid_write += bool(temps(writer))
        state = writer.read()  # raises Torn when the state on disk is not one whole version
        if writer.fetched:
            floor = max([on_disk, *done])
            assert floor <= state <= UpdateServer.served[name], (state, floor, UpdateServer.served[name])
            last = on_disk = state
        else:
            d = done[-1] if done else last
            assert state in (writer.expected(d), writer.expected(d + 1)), (state, d)
            last = d
    final = subprocess.run([sys.executable, "-m", "tests.powercut.config_writers", name, str(tmp_path),
                            update_server, str(last + 1), str(last + 1)], cwd=ROOT, capture_output=True,
                           text=True, timeout=60)
    assert final.returncode == 0, final.stderr[-2000:]
    assert not temps(writer), temps(writer)  # the start cleaned up, the write left nothing behind
    print(f"\n{name}: {KILLS} kills, {killed_mid_write} with a write in progress, {updates} updates completed")
