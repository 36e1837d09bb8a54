"""A really full disk: the outbox on a 4 MiB tmpfs (needs root to mount; skipped otherwise).

The page-limit test in ``test_outbox.py`` always runs; this one shows the same behaviour when
the kernel itself answers ENOSPC, for the database and its WAL alike.
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.outbox import Outbox, OutboxError, OutboxFull

BLOB = "评" * 300


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_full_disk_refuses_a_rating_loudly_and_keeps_every_one_it_accepted(tiny_fs: Path) -> None:
    box = Outbox(tiny_fs / "outbox.sqlite3", "dev", reserve_bytes=1 << 20)
    assert (tiny_fs / "outbox.sqlite3.reserve").stat().st_size == 1 << 20
    (tiny_fs / "kiosk.log").write_bytes(b"x" * (512 * 1024))  # something a technician can delete
    accepted: list[str] = []
    warned_while_accepting = 0
    for i in range(20):
        box.enqueue("heartbeat", {"n": i, "blob": BLOB})
        box.enqueue("metrics", {"n": i, "blob": BLOB})
    with pytest.raises(OutboxError) as err:
        for i in range(100_000):
            accepted.append(box.enqueue("rating", {"n": i, "blob": BLOB}).id)
            warned_while_accepting += box.health().reason == "disk_full"
    assert isinstance(err.value, OutboxFull) and err.value.reason == "disk_full", err.value
    assert box.health().reason == "disk_full"
    assert warned_while_accepting > 10  # the fault was raised while ratings were still being kept
    assert not (tiny_fs / "outbox.sqlite3.reserve").exists()
    assert len(accepted) > 1000
    box.close()
    # After a restart (the app would be restarted by its supervisor) every accepted rating is there.
    box = Outbox(tiny_fs / "outbox.sqlite3", "dev", reserve_bytes=1 << 20)
    pending = box.peek_batch(100_000, 1 << 40)
    assert [e.id for e in pending if e.type == "rating"] == accepted
    # Once the server has taken some, ratings are accepted again (the freed pages are reused) ...
    box.ack(accepted[: len(accepted) // 2])
    box.enqueue("rating", {"n": "after", "blob": BLOB})
    assert box.health().reason == "disk_full"  # ... but the disk is still full: the fault stays
    # The technician frees space; with the next acknowledgement the reserve is back and the fault clears.
    (tiny_fs / "kiosk.log").unlink()
    box.ack(accepted[len(accepted) // 2:])
    assert box.health().is_ok and (tiny_fs / "outbox.sqlite3.reserve").exists()
    box.close()
