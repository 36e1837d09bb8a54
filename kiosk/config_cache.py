"""A validated config kept on disk, so that starting again with the same file skips pydantic.

Like Python's ``.pyc`` files: the cache entry is the result of validating one config file
(and section), keyed by the file's exact bytes and by the source of :mod:`kiosk.config`
itself, so an edited file or an updated schema is validated afresh. A kiosk restarts its UI
after a freeze and at every power-on with an unchanged file; importing pydantic and building
its validators would be a quarter of a second of each such start (bench/startup.py).

Entries are pickles of the frozen config dataclasses. They are only read from a folder that
belongs to this user and that no one else may write to, and they hold nothing the config
file itself does not (no personal data). Anything unexpected (another owner, a truncated or
stale entry, a read-only home) means "not cached", never an error.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle  # nosec B403 - our own entries, in a folder only this user can write (checked)
import stat
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CACHE_ENV = "KIOSK_CONFIG_CACHE"  # a folder, or "off"
_KEY_BYTES = 32


def cache_dir() -> Path | None:
    configured = os.environ.get(CACHE_ENV, "")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zhengwu-kiosk" / "config"


def _schema_fingerprint() -> bytes:
    import kiosk
    import kiosk.config

    source = Path(kiosk.config.__file__).read_bytes()
    return hashlib.sha256(source + f"|{kiosk.__version__}|{sys.version}".encode()).digest()


def _entry(folder: Path, path: Path, section: str | None) -> Path:
    name = hashlib.sha256(f"{path.resolve()}\0{section or ''}".encode()).hexdigest()[:32]
    return folder / f"{name}.pickle"


def _key(raw: bytes, section: str | None) -> bytes:
    return hashlib.sha256(_schema_fingerprint() + (section or "").encode() + b"\0" + raw).digest()


def _private(st: os.stat_result) -> bool:
    return st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def get(path: Path, section: str | None, raw: bytes) -> Any | None:
    """The config validated earlier from exactly these bytes, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    entry = _entry(folder, path, section)
    try:
        if not (_private(folder.stat()) and _private(entry.stat())):
            return None
        blob = entry.read_bytes()
        if blob[:_KEY_BYTES] != _key(raw, section):
            return None
        return pickle.loads(blob[_KEY_BYTES:])  # nosec B301 - see the module docstring
    except FileNotFoundError:
        return None
    except Exception as exc:  # a stale or damaged entry is simply not used
        log.info("config cache entry %s not used: %s", entry.name, type(exc).__name__)
        return None


def put(path: Path, section: str | None, raw: bytes, config: Any) -> None:
    """Keep ``config`` (validated from ``raw``) for the next start; failures only cost speed."""
    folder = cache_dir()
    if folder is None:
        return
    from kiosk.atomic_file import write_atomic

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(folder.stat()):
            return
        payload = _key(raw, section) + pickle.dumps(config, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(_entry(folder, path, section), payload, mode=0o600)
    except OSError as exc:
        log.info("config cache not written: %s", exc)
