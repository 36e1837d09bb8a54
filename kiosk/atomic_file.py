"""Small files in the data directory that survive a kill -9 or a power cut whole.

Settings the server or a technician pushes (catalog, screen hours, reason list, staff
directory, lock, the enrolment token) are read at every start. A file rewritten in place
can be found empty or half-written after a power cut, and a rename alone is not enough
either: without ``fsync`` before it, the file system may persist the rename before the data
(a zero-length file after reboot), and without ``fsync`` of the folder after it, the rename
itself may be lost. So every writer here goes: a temporary file *in the same folder*
(``os.replace`` is only atomic within one file system) -> write -> ``fsync`` -> ``os.replace``
-> ``fsync`` of the folder.

A crash leaves at most a temporary file behind. Its name carries the writer's pid
(``.NAME.PID.RANDOM.tmp``), so :func:`clean_stale_temps` can remove the leftovers of dead
writers at the next start without touching a temporary file another live thread or process
is still writing.
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

TEMP_SUFFIX = ".tmp"


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: str | Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data``: readers see the old content or the new one, never a mix.

    ``mode`` is set on the temporary file at creation (``O_EXCL``, so a secret is never
    readable by others, not even for a moment).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        try:
            os.fchmod(fd, mode)  # the umask must not widen or narrow what the caller asked for
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk or a failed write leaves no litter
        raise
    fsync_dir(target.parent)


def write_text_atomic(path: str | Path, text: str, mode: int = 0o644, encoding: str = "utf-8",
                      errors: str = "strict") -> None:
    write_atomic(path, text.encode(encoding, errors), mode)


def write_json_atomic(path: str | Path, value: Any, mode: int = 0o644) -> None:
    write_atomic(path, json.dumps(value, ensure_ascii=False).encode("utf-8"), mode)


def replace_durably(src: str | Path, dst: str | Path) -> None:
    """``os.replace`` within one folder, then make it durable (e.g. moving a token aside)."""
    os.replace(src, dst)
    fsync_dir(Path(dst).parent)


def remove_durably(path: str | Path) -> bool:
    """Delete ``path`` (if present) so that the deletion survives a power cut; True if it existed."""
    target = Path(path)
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    fsync_dir(target.parent)
    return True


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def clean_stale_temps(folder: str | Path, name: str = "*", legacy: tuple[str, ...] = ()) -> list[Path]:
    """Remove temporary files of ``folder/name`` left by writers that died (kill -9, power cut).

    ``name`` may be a glob (``staff_photo_*.jpg``). A temporary file of a live process (this
    one included) is kept: it may be mid-write. ``legacy`` names fixed temporary names used
    before this module (``catalog.tmp`` ...), which no current writer uses. Returns what was
    removed; errors are ignored (a start must never fail over a leftover).
    """
    base = Path(folder)
    removed: list[Path] = []
    try:
        candidates = list(base.glob(f".{name}.*{TEMP_SUFFIX}"))
    except OSError:
        return removed
    for tmp in candidates:
        parts = tmp.name.rsplit(".", 3)  # [".NAME", PID, RANDOM, "tmp"]
        if len(parts) == 4 and parts[1].isdigit() and _pid_alive(int(parts[1])):
            continue
        try:
            tmp.unlink()
            removed.append(tmp)
        except OSError:
            pass
    for old_name in legacy:
        old = base / old_name
        try:
            old.unlink()
            removed.append(old)
        except OSError:
            pass
    return removed
