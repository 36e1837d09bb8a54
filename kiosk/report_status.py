"""Reporting figures for ``kiosk doctor`` and ``kiosk report-status``, read from the outbox file.

These run in a process of their own while the kiosk app (and its reporter) may be running,
so they read what the reporter persisted in the outbox's ``meta`` table, through a
read-only SQLite connection that cannot disturb the app's writes.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from drivers.health import Health, HealthState
from kiosk.config import KioskConfig
from kiosk.reporter import (META_CLOCK_OFFSET, META_LAST_UPLOAD, META_LINK_DETAIL, META_LINK_REASON,
                            META_LINK_STATE)
from kiosk.reporting import outbox_path


@dataclass(frozen=True)
class ReportStatus:
    pending: int
    last_upload_at: float | None
    link: Health
    rejected: int = 0
    clock_offset_s: float | None = None


def report_status(config: KioskConfig) -> ReportStatus:
    """``(pending, last upload time, server link Health)`` as the running app last recorded them."""
    return read_outbox_status(outbox_path(config), has_server=config.server is not None)


def read_outbox_status(path: Path, *, has_server: bool = True) -> ReportStatus:
    if not path.exists():
        return ReportStatus(0, None, Health.degraded("no_outbox", f"{path} not created yet (app never ran)"))
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            pending = db.execute("SELECT count(*) FROM events").fetchone()[0]
            rejected = db.execute("SELECT count(*) FROM rejected").fetchone()[0]
            meta = dict(db.execute("SELECT key, value FROM meta WHERE key LIKE 'reporter.%'").fetchall())
        finally:
            db.close()
    except sqlite3.Error as exc:
        return ReportStatus(0, None, Health.fault("outbox_unreadable", str(exc)))
    last = _float(meta.get(META_LAST_UPLOAD))
    if not has_server:
        link = Health.degraded("no_server", "no [server] in config: events stay on the device")
    elif META_LINK_STATE in meta:
        link = Health(HealthState(meta[META_LINK_STATE]), meta.get(META_LINK_REASON, ""), meta.get(META_LINK_DETAIL, ""))
    else:
        link = Health.degraded("not_connected", "the reporter has not reached the server yet")
    return ReportStatus(pending, last, link, rejected, _float(meta.get(META_CLOCK_OFFSET)))


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
