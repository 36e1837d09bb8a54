"""Power loss is harsher than kill -9: what is not fsync'd may be gone, renames included.

A kill leaves the page cache intact, so it cannot show a missing ``fsync``. These tests
look at what a power cut depends on instead:

* the system calls of every settings writer, under ``strace``: nothing is written in place,
  the temporary file is fsync'd after its last write and before the rename, and the folder
  is fsync'd after the rename (or the unlock's unlink), before the process moves on;
* leftovers of a cut at the next start: truncated and empty temporaries of dead writers
  (and the fixed temporary names of earlier versions) are ignored and removed, a live
  writer's temporary is kept;
* a settings file emptied or cut in half (what ext4 without those fsyncs can leave): the
  start does not fail, the device falls back safely (a damaged lock stays locked), and the
  next update repairs the file even when the server's data did not change (no 304 for a
  damaged file).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.atomic_file import clean_stale_temps, write_atomic
from kiosk.catalog_cache import CatalogCache
from kiosk.enrolment import TokenStore
from kiosk.lock_state import LockState
from kiosk.rating import current_reason_list
from kiosk.screen_schedule import ScheduleStore
from kiosk.staff import STAFF_FILE, StaffDirectory
from tests.helpers.http_stub import serving

from .config_writers import TOKEN_URL, WRITERS, UpdateServer, Writer

ROOT = Path(__file__).resolve().parents[2]
TEMP_RE = re.compile(r"^\..+\.\d+\.[0-9a-f]+\.tmp$")

# What the device makes of a damaged file at start: nothing (then defaults), or locked for a lock.
FALLBACK: dict[str, Callable[[Path], bool]] = {
    "catalog": lambda d: CatalogCache(d).load() == (None, ""),
    "schedule": lambda d: ScheduleStore(d).load() is None,
    "reasons": lambda d: current_reason_list(d).version == 1,  # the shipped list
    "staff": lambda d: len(StaffDirectory(d / STAFF_FILE)) == 0,
    "lock": lambda d: LockState(d).locked,  # an unreadable lock file still locks: the safe side
    "token": lambda d: TokenStore(d).load(TOKEN_URL) is None,
}


@pytest.fixture
def update_server() -> Iterator[str]:
    UpdateServer.reset()
    with serving(UpdateServer) as url:
        yield url
    UpdateServer.reset()


# The fixed temporary names earlier versions used (a device updated after a cut may still have one).
LEGACY_TEMP = {"catalog": "catalog.tmp", "schedule": "screen_schedule.tmp", "lock": "locked.tmp",
               "token": "server_token.tmp", "staff": "staff.tmp", "reasons": "rating_reasons.json.tmp"}


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


# ----- system call order ---------------------------------------------------------------------------------
SYSCALL_RE = re.compile(r"^(\w+)\((.*)\)\s+=\s+(-?\d+)")
RENAMES = ("rename", "renameat", "renameat2")


def trace(name: str, data_dir: Path, url: str) -> list[tuple[str, str, list[str], int]]:
    """Two updates of one writer under strace: (call, raw arguments, paths and numbers, result) in order."""
    log = data_dir.parent / f"{name}.strace"
    subprocess.run(["strace", "-qq", "-s", "200", "-e", "trace=openat,write,fsync,fdatasync,close,rename,renameat,"
                    "renameat2,unlink,unlinkat", "-o", str(log), sys.executable, "-m", "tests.powercut.config_writers",
                    name, str(data_dir), url, "1", "2"], cwd=ROOT, check=True, capture_output=True, timeout=60)
    calls = []
    for line in log.read_text(errors="replace").splitlines():
        match = SYSCALL_RE.match(line)
        if match:
            args = re.findall(r'"((?:[^"\\]|\\.)*)"|\b(\d+)\b', match[2])
            calls.append((match[1], match[2], [a or b for a, b in args], int(match[3])))
    return calls


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_writers_fsync_the_file_before_and_the_folder_after_the_rename(name: str, tmp_path: Path,
                                                                        update_server: str) -> None:
    data_dir = tmp_path / "data"
    folder = str(data_dir)
    fds: dict[int, str] = {}
    synced: set[str] = set()  # paths fsync'd since their last write
    pending = ""  # a rename (or the unlock's unlink) not yet made durable by a folder fsync
    durable = 0
    for call, raw, args, result in trace(name, data_dir, update_server):
        if call == "openat" and result >= 0:
            fds[result] = args[0]
            if os.path.dirname(args[0]) == folder and re.search(r"O_WRONLY|O_RDWR|O_TRUNC|O_APPEND", raw):
                assert TEMP_RE.match(os.path.basename(args[0])), f"{args[0]} written in place"
        elif call == "write":
            synced.discard(fds.get(int(args[0]), ""))
        elif call in ("fsync", "fdatasync") and result == 0:
            synced.add(fds.get(int(args[0]), ""))
            if fds.get(int(args[0])) == folder and pending:
                pending, durable = "", durable + 1
        elif call == "close":
            fds.pop(int(args[0]), None)
        elif (call in RENAMES or call.startswith("unlink")) and result == 0:
            paths = [a for a in args if a.startswith("/")]
            dst = paths[-1]
            if os.path.dirname(dst) != folder or (call.startswith("unlink") and os.path.basename(dst)
                                                  not in WRITERS[name].files):
                continue  # a leftover removed, not a settings change
            if call in RENAMES:
                assert paths[0] in synced, f"{paths[0]} renamed to {dst} without fsync after its last write"
            assert not pending, f"{pending} not made durable before the next change ({dst})"
            pending = dst
    assert not pending, f"folder not fsync'd after the change of {pending}"
    assert durable >= 2, f"{name}: only {durable} durable changes in two updates"


# ----- leftovers of a cut -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_start_ignores_and_removes_stale_temporaries(name: str, tmp_path: Path, update_server: str) -> None:
    writer = WRITERS[name](tmp_path, update_server)
    writer.open()
    writer.step(1)
    before = writer.read()
    target = next(tmp_path.glob(writer.files[0]))  # the main file (the staff photos are a glob)
    whole = target.read_bytes()
    dead = dead_pid()
    stale = [tmp_path / f".{target.name}.{dead}.0badcafe.tmp", tmp_path / f".{target.name}.{dead}.00000000.tmp"]
    stale[0].write_bytes(whole[: len(whole) // 2])  # cut mid-write
    stale[1].write_bytes(b"")  # created, nothing written yet
    legacy = tmp_path / LEGACY_TEMP[name]
    legacy.write_bytes(whole[:7])
    live = tmp_path / f".{target.name}.{os.getpid()}.1234abcd.tmp"  # a writer of a live process
    live.write_bytes(b"{")

    again = WRITERS[name](tmp_path, update_server)
    again.open()  # what the app's start does
    assert again.read() == before
    assert not any(p.exists() for p in (*stale, legacy)), "stale temporaries survived the start"
    assert live.exists(), "a live writer's temporary was removed"
    live.unlink()


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    """The disk fills up mid-write (a 4 KiB file size limit in a child process): EFBIG, nothing changed."""
    target = tmp_path / "settings.json"
    write_atomic(target, b'{"v": 1}')
    code = ("import resource, signal, sys; from kiosk.atomic_file import write_atomic\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN); resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
            "try:\n    write_atomic(sys.argv[1], b'{\"v\": 2, \"pad\": \"' + b'x' * 20000 + b'\"}')\n"
            "except OSError as exc:\n    print(exc.errno)")
    out = subprocess.run([sys.executable, "-c", code, str(target)], cwd=ROOT, capture_output=True, text=True,
                         timeout=30, check=True).stdout
    assert out.strip() == "27"  # EFBIG
    assert target.read_bytes() == b'{"v": 1}'
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
    assert clean_stale_temps(tmp_path) == []


# ----- files damaged by a cut -------------------------------------------------------------------------------
@pytest.mark.parametrize("cut", ["empty", "half"])
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_damaged_settings_file_neither_stops_the_start_nor_stays(name: str, cut: str, tmp_path: Path,
                                                                     update_server: str) -> None:
    writer = WRITERS[name](tmp_path, update_server)
    writer.open()
    writer.step(1)
    target = tmp_path / writer.files[0]
    whole = target.read_bytes()
    target.write_bytes(b"" if cut == "empty" else whole[: len(whole) // 2])

    assert FALLBACK[name](tmp_path), f"{name}: a damaged file is not handled safely at start"
    UpdateServer.frozen = True  # the server has nothing new: only a fresh fetch repairs the file
    again: Writer = WRITERS[name](tmp_path, update_server)
    again.open()
    state: Any = again.step(2 if name == "lock" else 1)  # lock: an unlock, then it must be gone
    assert again.read() == (again.expected(state) if not again.fetched else state)
    if name == "lock":
        assert not LockState(tmp_path).locked
