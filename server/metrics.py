"""``/metrics`` in the Prometheus text format, without a client library.

Counters are per process (Prometheus sums replicas); fleet gauges are read from the database
at scrape time, so every replica reports the same fleet state.
"""
from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models import Device, Fault

HELP = {
    "kiosk_events_accepted_total": ("counter", "Events stored for the first time."),
    "kiosk_events_duplicate_total": ("counter", "Events received again (retries), not stored twice."),
    "kiosk_event_batches_rejected_total": ("counter", "Batches refused as malformed."),
    "kiosk_heartbeats_total": ("counter", "Heartbeats received."),
    "kiosk_rate_limited_total": ("counter", "Device requests answered 429."),
    "kiosk_logins_failed_total": ("counter", "Failed dashboard logins."),
    "kiosk_webhook_deliveries_total": ("counter", "Webhook messages a receiver accepted."),
    "kiosk_webhook_failures_total": ("counter", "Webhook attempts that failed (retried later or given up)."),
}


class Counters:
    """Thread-safe monotonic counters of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: Counter[str] = Counter()

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._values[name] += amount

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._values)


def render(counters: Counters, session: Session) -> str:
    lines: list[str] = []
    values = counters.snapshot()
    for name, (kind, text) in HELP.items():
        lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}", f"{name} {values.get(name, 0)}"]
    lines += ["# HELP kiosk_devices Enrolled devices by type and status.", "# TYPE kiosk_devices gauge"]
    rows = session.execute(
        select(Device.type, Device.online, func.count()).where(Device.retired.is_(False))
        .group_by(Device.type, Device.online)
    )
    for device_type, online, count in rows:
        status = "online" if online else "offline"
        lines.append(f'kiosk_devices{{type="{device_type}",status="{status}"}} {count}')
    lines += ["# HELP kiosk_faults Faults not yet resolved, by state.", "# TYPE kiosk_faults gauge"]
    counts = dict(session.execute(
        select(Fault.state, func.count()).where(Fault.state != "resolved").group_by(Fault.state)
    ).all())
    for state in ("open", "acknowledged"):
        lines.append(f'kiosk_faults{{state="{state}"}} {counts.get(state, 0)}')
    return "\n".join(lines) + "\n"
